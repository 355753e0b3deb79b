"""PyTorch reference for DiffGen's layer ops (Conv2D, MaxPool2D, AvgPool2D, Linear, LayerNorm, GELU).

Usage: /usr/bin/python3 torch_layers.py INPUT.json OUTPUT.json

INPUT holds a list of cases, each with an op ("conv2d", "max_pool2d", "avg_pool2d", "linear", "layer_norm", "gelu" in its tanh form), its geometry, a dtype
("float32" or "float64") and flat row-major inputs: x (NCHW, or rows for linear), weight and bias where the op has
them (conv weight [out, in, kH, kW], linear weight [out, in], PyTorch's own layouts) and dy, the adjoint of the output.
For each case the script writes y = op(x) and, from autograd with y.backward(dy), the gradients of x, weight and bias,
in the case's dtype. Exit code 3 (with a message on stderr) when torch cannot be imported.
"""
import json
import sys

try:
    import torch
    import torch.nn.functional as F
except Exception as error:  # noqa: BLE001 - any import failure means "install torch"
    sys.stderr.write(
        "TORCH_MISSING: cannot import torch with %s (%s). Install it with: "
        "sudo apt-get update && sudo apt-get install -y python3-torch libopenblas0-pthread\n" % (sys.executable, error))
    sys.exit(3)


def leaf(values, dtype, shape):
    return torch.tensor(values, dtype=dtype).reshape(shape).requires_grad_(True)


def run(case):
    dtype = torch.float32 if case["dtype"] == "float32" else torch.float64
    op, n = case["op"], case["batch"]
    if op == "conv2d":
        c, o, h, w = case["in_channels"], case["out_channels"], case["height"], case["width"]
        x = leaf(case["x"], dtype, (n, c, h, w))
        weight = leaf(case["weight"], dtype, (o, c, case["kernel_height"], case["kernel_width"]))
        bias = leaf(case["bias"], dtype, (o,))
        y = F.conv2d(x, weight, bias, stride=case["stride"], padding=case["padding"])
        leaves = {"x": x, "weight": weight, "bias": bias}
    elif op in ("max_pool2d", "avg_pool2d"):
        x = leaf(case["x"], dtype, (n, case["channels"], case["height"], case["width"]))
        pool = F.max_pool2d if op == "max_pool2d" else F.avg_pool2d
        y = pool(x, case["kernel"], stride=case["stride"], padding=case["padding"])
        leaves = {"x": x}
    elif op == "gelu":
        x = leaf(case["x"], dtype, (n, -1))
        y = F.gelu(x, approximate="tanh")
        leaves = {"x": x}
    elif op == "layer_norm":
        f = case["features"]
        x = leaf(case["x"], dtype, (n, f))
        weight = leaf(case["weight"], dtype, (f,))
        bias = leaf(case["bias"], dtype, (f,))
        y = F.layer_norm(x, (f,), weight, bias, eps=case["eps"])
        leaves = {"x": x, "weight": weight, "bias": bias}
    elif op == "linear":
        x = leaf(case["x"], dtype, (n, case["in_features"]))
        weight = leaf(case["weight"], dtype, (case["out_features"], case["in_features"]))
        bias = leaf(case["bias"], dtype, (case["out_features"],))
        y = F.linear(x, weight, bias)
        leaves = {"x": x, "weight": weight, "bias": bias}
    else:
        raise ValueError("unknown op " + op)
    y.backward(torch.tensor(case["dy"], dtype=dtype).reshape(y.shape))
    result = {"y": y.detach().reshape(-1).tolist()}
    for name, tensor in leaves.items():
        result["d" + name] = tensor.grad.reshape(-1).tolist()
    return result


def main(input_path, output_path):
    torch.set_num_threads(1)
    with open(input_path, "r", encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    output = {"torch": torch.__version__, "results": [run(case) for case in cases]}
    with open(output_path, "w", encoding="utf-8") as f:
        json.dump(output, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
