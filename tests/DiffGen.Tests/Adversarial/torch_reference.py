"""PyTorch reference for DiffGen's adversarial attacks (issue #6, part 5).

Usage: /usr/bin/python3 torch_reference.py INPUT.json OUTPUT.json

INPUT holds a softmax-regression model (logits = x @ W.T + b, W row-major classes x features), a batch
(x row-major, labels, targets), the valid range and a list of attacks. The loss is torch's mean
cross-entropy; every input gradient comes from autograd, in float32, no random start. For each attack the
script writes the adversarial batch, the number of adversarial examples classified as their true label
(untargeted) or as their target (targeted, over rows whose label differs from the target), and the input
gradient at the clean batch.

The formulas (the same ones DiffGen implements, written with torch ops):
  sign step   x <- x + s*alpha*sign(g)                       (s = +1 untargeted, -1 targeted; sign(0) = 0)
  L-inf proj  x <- clamp(min(max(x, x0 - eps), x0 + eps), lo, hi)
  L2 step     x <- x + s*alpha*g/||g||_2 per row              (rows with ||g|| = 0 do not move)
  L2 proj     d = x - x0; x <- x0 + d*eps/||d||_2 where ||d||_2 > eps; then clamp(lo, hi)
  MI-FGSM     m <- mu*m + g/||g||_1 per row; sign step on m; L-inf proj
Exit code 3 (with a message on stderr) when torch cannot be imported.
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


def main(input_path, output_path):
    torch.set_num_threads(1)
    with open(input_path, "r", encoding="utf-8") as f:
        spec = json.load(f)

    features, classes = spec["features"], spec["classes"]
    weights = torch.tensor(spec["weights"], dtype=torch.float32).reshape(classes, features)
    bias = torch.tensor(spec["bias"], dtype=torch.float32)
    x0 = torch.tensor(spec["x"], dtype=torch.float32).reshape(-1, features)
    labels = torch.tensor(spec["labels"], dtype=torch.long)
    targets = torch.tensor(spec["targets"], dtype=torch.long)
    lo, hi = float(spec["lo"]), float(spec["hi"])

    def logits(x):
        return x @ weights.T + bias

    def input_gradient(x, y):
        x = x.detach().requires_grad_(True)
        loss = F.cross_entropy(logits(x), y)
        (grad,) = torch.autograd.grad(loss, x)
        return grad

    def project_linf(x, eps):
        return torch.min(torch.max(x, x0 - eps), x0 + eps).clamp(lo, hi)

    def project_l2(x, eps):
        delta = x - x0
        norm = delta.norm(p=2, dim=1, keepdim=True)
        outside = norm > eps
        scaled = x0 + delta * (eps / torch.where(outside, norm, torch.ones_like(norm)))
        return torch.where(outside, scaled, x).clamp(lo, hi)

    def run(attack):
        kind, targeted = attack["kind"], attack["targeted"]
        y = targets if targeted else labels
        s = -1.0 if targeted else 1.0
        eps = float(attack["eps"])
        if kind == "fgsm":
            g = input_gradient(x0, y)
            return (x0 + s * eps * g.sign()).clamp(lo, hi)
        alpha, steps = float(attack["alpha"]), int(attack["steps"])
        x = x0.clone()
        momentum = torch.zeros_like(x0)
        for _ in range(steps):
            g = input_gradient(x, y)
            if kind == "linf":
                x = project_linf(x + s * alpha * g.sign(), eps)
            elif kind == "l2":
                norm = g.norm(p=2, dim=1, keepdim=True)
                moves = norm > 0
                step = g * (alpha / torch.where(moves, norm, torch.ones_like(norm)))
                x = project_l2(torch.where(moves, x + s * step, x), eps)
            elif kind == "mi":
                l1 = g.abs().sum(dim=1, keepdim=True)
                momentum = float(attack["decay"]) * momentum + torch.where(l1 > 0, g / torch.where(l1 > 0, l1, torch.ones_like(l1)), torch.zeros_like(g))
                x = project_linf(x + s * alpha * momentum.sign(), eps)
            else:
                raise ValueError("unknown attack kind " + kind)
        return x

    results = {}
    for attack in spec["attacks"]:
        adversarial = run(attack).detach()
        predictions = logits(adversarial).argmax(dim=1)
        if attack["targeted"]:
            eligible = labels != targets
            hits = int(((predictions == targets) & eligible).sum().item())
        else:
            hits = int((predictions == labels).sum().item())
        results[attack["name"]] = {
            "adversarial": adversarial.reshape(-1).tolist(),
            "hits": hits,
            "predictions": predictions.tolist(),
        }

    output = {
        "torch": torch.__version__,
        "gradient": input_gradient(x0, labels).reshape(-1).tolist(),
        "clean_correct": int((logits(x0).argmax(dim=1) == labels).sum().item()),
        "results": results,
    }
    with open(output_path, "w", encoding="utf-8") as f:
        json.dump(output, f)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write("usage: torch_reference.py INPUT.json OUTPUT.json\n")
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
