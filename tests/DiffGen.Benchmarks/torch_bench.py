#!/usr/bin/python3
"""PyTorch reference timings for compare.sh.

Prints one line per case: ``name<TAB>microseconds`` (median time per call). The names must match the C# side
(``[CompareAs("name")]`` plus ``_`` and the benchmark's parameter values, e.g. ``sgemm_64x784x256``).

To add a case (Rosenbrock gradient, softmax regression, MLP SGD step, FGSM step, ...): write a function that
builds its inputs and returns a zero-argument callable doing one step, add it to CASES under the same name the
C# benchmark uses, and mark that benchmark method ``[CompareAs("...")]``. compare.sh joins the two sides by name.

Runs single-threaded (torch.set_num_threads(1); compare.sh also sets OPENBLAS_NUM_THREADS=1) so that the sgemm
cases measure one core of OpenBLAS against DiffGen's single-thread kernel. ``--threads N`` sets PyTorch's intra-op
thread count to N instead and appends ``@N-threads`` to each name (compare.sh joins it with the plain name's DiffGen
time, since Ops.MatMul uses both cores on the MLP's largest products); run it with OPENBLAS_NUM_THREADS=N. (Debian's
torch 1.13 here defaults to ONE thread — at::get_num_threads() = 1 on this 2-vCPU VM — so "default" would be 1.)

Precision follows the C# side: float64 for the Rosenbrock functions, float32 for the networks. Every gradient case is
PyTorch autograd as a user writes it (leaf tensors with requires_grad, loss.backward() or torch.autograd.grad).
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F

THREADS = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
torch.set_num_threads(THREADS)
torch.manual_seed(0)


def sgemm(m, k, n):
    a = torch.randn(m, k, dtype=torch.float32)
    b = torch.randn(k, n, dtype=torch.float32)
    out = torch.empty(m, n, dtype=torch.float32)
    return lambda: torch.mm(a, b, out=out)


def sgemm_tn(m, k, n):
    """C (m x n) = A^T B with A stored k x m: the weight-gradient product of a linear layer's backward."""
    a = torch.randn(k, m, dtype=torch.float32)
    b = torch.randn(k, n, dtype=torch.float32)
    out = torch.empty(m, n, dtype=torch.float32)
    return lambda: torch.mm(a.t(), b, out=out)


def rosenbrock(x, y):
    return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)


def rosenbrock2d_value():
    x = torch.tensor(-1.2, dtype=torch.float64)
    y = torch.tensor(1.0, dtype=torch.float64)

    def step():
        with torch.no_grad():
            return rosenbrock(x, y).item()

    return step


def rosenbrock2d_grad():
    """The autograd round trip for a scalar function: leaves with requires_grad, f.backward(), read the gradient."""

    def step():
        x = torch.tensor(-1.2, dtype=torch.float64).requires_grad_()
        y = torch.tensor(1.0, dtype=torch.float64).requires_grad_()
        f = rosenbrock(x, y)
        f.backward()
        return f.item(), x.grad.item(), y.grad.item()

    return step


def extended_rosenbrock(x):
    a, b = x[0::2], x[1::2]
    return (100 * (b - a * a) ** 2 + (1 - a) ** 2).sum()


def ext_rosenbrock_value(n):
    x = torch.rand(n, dtype=torch.float64) * 3 - 1.5

    def step():
        with torch.no_grad():
            return extended_rosenbrock(x).item()

    return step


def ext_rosenbrock_grad(n):
    x = (torch.rand(n, dtype=torch.float64) * 3 - 1.5).requires_grad_()

    def step():  # .grad accumulates, like DiffGen's generated gradient (nothing zeroed per call)
        f = extended_rosenbrock(x)
        f.backward()
        return f.item()

    return step


BATCH = 64


def batch(features=784, classes=10):
    return torch.rand(BATCH, features, dtype=torch.float32), torch.randint(0, classes, (BATCH,))


def softmax_regression(grad):
    x, y = batch()
    model = torch.nn.Linear(784, 10)
    if not grad:
        def step():
            with torch.no_grad():
                return F.cross_entropy(model(x), y).item()
        return step

    def step():  # .grad accumulates, like the C# side
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        return loss.item()

    return step


def mlp():
    """784 -> 256 -> 128 -> 10 with ReLU; no bias on the last layer, like the C# network."""
    return torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10, bias=False))


def forward_case(model, inputs):
    """The loss alone, no graph (the primal of the network cases)."""
    x, y = inputs

    def step():
        with torch.no_grad():
            return F.cross_entropy(model(x), y).item()

    return step


def sgd_step_case(model, inputs):
    """One training step as a user writes it: zero_grad, forward, backward, SGD step."""
    x, y = inputs
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def fgsm_step(epsilon=0.1):
    x, y = batch()
    model = mlp()

    def step():
        xa = x.clone().requires_grad_()
        loss = F.cross_entropy(model(xa), y)
        (gradient,) = torch.autograd.grad(loss, xa)  # only the input gradient, not the parameters'
        return (x + epsilon * gradient.sign()).clamp_(0, 1)

    return step


def cnn():
    """The main job's CNN: conv 3x3 (32) -> ReLU -> max-pool 2 -> conv 3x3 (64) -> ReLU -> max-pool 2 -> 3136 -> 128 -> 10."""
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(3136, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))


def image_batch():
    return torch.rand(BATCH, 1, 28, 28, dtype=torch.float32), torch.randint(0, 10, (BATCH,))


# The CNN's convolutions on a batch of 64, named by their im2col product OC x K x (batch * output pixels) as on the C# side.
CONVS = {"32x9x50176": (1, 32, 28), "64x288x12544": (32, 64, 14)}


def conv_forward(shape):
    c, o, size = CONVS[shape]
    x, w, b = torch.rand(BATCH, c, size, size), torch.randn(o, c, 3, 3), torch.randn(o)
    return lambda: F.conv2d(x, w, b, padding=1)


def conv_pullback(shape):
    """The convolution's backward alone (dx, dweight, dbias), as autograd calls it."""
    c, o, size = CONVS[shape]
    x, w, dy = torch.rand(BATCH, c, size, size), torch.randn(o, c, 3, 3), torch.randn(BATCH, o, size, size)
    return lambda: torch.ops.aten.convolution_backward(
        dy, x, w, [o], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, [True, True, True])


# name -> zero-argument factory returning the callable to time.
CASES = {
    "sgemm_64x784x256": lambda: sgemm(64, 784, 256),
    "sgemm_256x784x64": lambda: sgemm(256, 784, 64),
    "sgemm_512x512x512": lambda: sgemm(512, 512, 512),
    "sgemm_64x784x10": lambda: sgemm(64, 784, 10),
    "sgemm_tn_784x64x10": lambda: sgemm_tn(784, 64, 10),
    "sgemm_tn_784x64x256": lambda: sgemm_tn(784, 64, 256),
    "sgemm_tn_128x64x10": lambda: sgemm_tn(128, 64, 10),
    "sgemm_32x9x784": lambda: sgemm(32, 9, 784),
    "sgemm_64x288x196": lambda: sgemm(64, 288, 196),
    "rosenbrock2d_value": rosenbrock2d_value,
    "rosenbrock2d_grad": rosenbrock2d_grad,
    "ext_rosenbrock1000_value": lambda: ext_rosenbrock_value(1000),
    "ext_rosenbrock1000_grad": lambda: ext_rosenbrock_grad(1000),
    "softmax_regression_loss": lambda: softmax_regression(grad=False),
    "softmax_regression_grad": lambda: softmax_regression(grad=True),
    "mlp_forward": lambda: forward_case(mlp(), batch()),
    "mlp_sgd_step": lambda: sgd_step_case(mlp(), batch()),
    "fgsm_step": fgsm_step,
    "cnn_forward": lambda: forward_case(cnn(), image_batch()),
    "cnn_sgd_step": lambda: sgd_step_case(cnn(), image_batch()),
    "conv_forward_32x9x50176": lambda: conv_forward("32x9x50176"),
    "conv_forward_64x288x12544": lambda: conv_forward("64x288x12544"),
    "conv_pullback_32x9x50176": lambda: conv_pullback("32x9x50176"),
    "conv_pullback_64x288x12544": lambda: conv_pullback("64x288x12544"),
}


def time_case(step, min_seconds=0.25, repeats=7):
    """Median over `repeats` batches of the mean time per call, in microseconds."""
    for _ in range(20):
        step()
    calls = 1
    while True:  # size a batch to take at least min_seconds
        start = time.perf_counter()
        for _ in range(calls):
            step()
        if time.perf_counter() - start >= min_seconds:
            break
        calls *= 2
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            step()
        samples.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(samples)


def main(selected):
    suffix = f"@{THREADS}-threads" if "--threads" in sys.argv else ""
    for name, factory in CASES.items():
        if selected and not any(s in name for s in selected):
            continue
        print(f"{name}{suffix}\t{time_case(factory()):.3f}", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--threads" in args:
        i = args.index("--threads")
        del args[i:i + 2]
    main(args)
