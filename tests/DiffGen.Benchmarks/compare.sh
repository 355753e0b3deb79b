#!/usr/bin/env bash
# DiffGen vs PyTorch on this machine, one table with ratios.
#
#   tests/DiffGen.Benchmarks/compare.sh [extra BenchmarkDotNet args, e.g. --job short]
#
# 1. Makes sure Debian's PyTorch is installed (python3-torch + libopenblas0-pthread, for /usr/bin/python3 — not
#    whatever python3 is first on PATH).
# 2. Runs torch_bench.py single-threaded (every case, or those matching TORCH_CASES): one "name<TAB>microseconds"
#    line per case; then the MLP and FGSM cases again with $(nproc) threads ("name@N-threads"), because Ops.MatMul
#    uses both cores on the MLP's largest products (TORCH_THREADS_CASES, default "mlp_ fgsm_"; empty skips it).
# 3. Runs the BenchmarkDotNet benchmarks marked [CompareAs] (BENCH_FILTER, space-separated globs; default: MatMul,
#    Rosenbrock, extended Rosenbrock, softmax regression, MLP step, FGSM), which write "name<TAB>µs<TAB>bytes<TAB>role".
# 4. Joins both by name and prints one table: case, PyTorch µs, DiffGen µs, hand-written C# µs, generated/hand-written,
#    gradient/primal (DiffGen; the primal is the "_value"/"_loss"/"mlp_forward" case), speed-up (PyTorch time /
#    DiffGen time), DiffGen bytes allocated per operation and, for sgemm_MxKxN and sgemm_tn_MxKxN cases, both GFLOP/s.
# To add cases, see the docstring of torch_bench.py and set BENCH_FILTER to include the new benchmark classes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py=/usr/bin/python3

if ! "$py" -c 'import torch' >/dev/null 2>&1; then
  echo "Installing python3-torch and libopenblas0-pthread..." >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== PyTorch $("$py" -c 'import torch; print(torch.__version__)') (1 thread, OPENBLAS_NUM_THREADS=1)" >&2
read -r -a torch_cases <<< "${TORCH_CASES:-}"
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 "$py" "$here/torch_bench.py" "${torch_cases[@]}" | tee "$work/torch.tsv" >&2
read -r -a threads_cases <<< "${TORCH_THREADS_CASES-mlp_ fgsm_}"
if [ ${#threads_cases[@]} -gt 0 ]; then
  n="$(nproc)"
  echo "== PyTorch with $n threads (OPENBLAS_NUM_THREADS=$n)" >&2
  OPENBLAS_NUM_THREADS=$n OMP_NUM_THREADS=$n MKL_NUM_THREADS=$n "$py" "$here/torch_bench.py" --threads "$n" "${threads_cases[@]}" | tee -a "$work/torch.tsv" >&2
fi

echo "== DiffGen (BenchmarkDotNet)" >&2
read -r -a filters <<< "${BENCH_FILTER:-*MatMulBenchmarks* *MatMulTransposedABenchmarks* *RosenbrockBenchmarks* *SoftmaxRegressionBenchmarks* *MlpStepBenchmarks* *FgsmBenchmarks*}"
(cd "$root" && dotnet run -c Release --project tests/DiffGen.Benchmarks -- \
  --filter "${filters[@]}" --compare-tsv "$work/diffgen.tsv" "$@") >&2
cat "$work/diffgen.tsv" >&2

"$py" - "$work/torch.tsv" "$work/diffgen.tsv" <<'PY'
import re, sys

# gradient case -> the primal case its gradient/primal ratio divides by
PRIMAL = {
    "rosenbrock2d_grad": "rosenbrock2d_value",
    "ext_rosenbrock1000_grad": "ext_rosenbrock1000_value",
    "softmax_regression_grad": "softmax_regression_loss",
    "mlp_sgd_step": "mlp_forward",
    "fgsm_step": "mlp_forward",
    "cnn_sgd_step": "cnn_forward",
}

torch_us = {}
with open(sys.argv[1]) as f:
    for line in f:
        if line.strip():
            name, us = line.rstrip("\n").split("\t")[:2]
            torch_us[name] = float(us)
ours, hand, allocated = {}, {}, {}
with open(sys.argv[2]) as f:
    for line in f:
        if line.strip():
            name, us, nbytes, role = line.rstrip("\n").split("\t")
            (hand if role == "handwritten" else ours)[name] = float(us)
            if role != "handwritten":
                allocated[name] = int(nbytes)

def fmt(v):
    return "-" if v is None else f"{v:.3f}" if v < 1 else f"{v:.1f}"

rows = []
for name in list(torch_us) + [n for n in ours if n not in torch_us]:
    base = name.split("@")[0]
    t, d, h = torch_us.get(name), ours.get(base), hand.get(base)
    p = ours.get(PRIMAL.get(base, ""))
    shape = re.fullmatch(r"(sgemm_(?:tn_)?|conv_forward_|conv_pullback_)(\d+)x(\d+)x(\d+)", base)
    products = 2 if shape and shape[1] == "conv_pullback_" else 1  # the pullback computes dweight and dx
    flops = products * 2 * int(shape[2]) * int(shape[3]) * int(shape[4]) if shape else None
    b = allocated.get(base)
    rows.append((
        name, fmt(t), fmt(d), fmt(h),
        f"{d / h:.2f}" if d and h else "-",
        f"{d / p:.2f}" if d and p else "-",
        f"{t / d:.2f}x" if t and d else "-",
        "-" if b is None else "?" if b < 0 else f"{b} B",
        f"{flops / t / 1e3:.1f}" if flops and t else "-",
        f"{flops / d / 1e3:.1f}" if flops and d else "-",
    ))
header = ("case", "PyTorch us", "DiffGen us", "hand-written C# us", "generated/hand-written", "gradient/primal",
          "speed-up (PyTorch/DiffGen)", "DiffGen alloc/op", "PyTorch GFLOP/s", "DiffGen GFLOP/s")
widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in rows:
    print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
PY
