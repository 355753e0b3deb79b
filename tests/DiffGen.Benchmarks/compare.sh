#!/usr/bin/env bash
# DiffGen vs PyTorch on this machine, one table with ratios.
#
#   tests/DiffGen.Benchmarks/compare.sh [BenchmarkDotNet args; default: --job short]
#   ROUNDS=3 BENCH_FILTER='*MatMul*Benchmarks.DiffGenSingleThread*' tests/DiffGen.Benchmarks/compare.sh
#   ROUNDS=6 TORCH_CASES=sgemm BENCH_FILTER='*MatMulBenchmarks.DiffGenSingleThread*' tests/DiffGen.Benchmarks/compare.sh
#   (TORCH_CASES: substrings selecting torch_bench.py cases; default all)
#
# 1. Makes sure Debian's PyTorch is installed (python3-torch + libopenblas0-pthread, for /usr/bin/python3 — not
#    whatever python3 is first on PATH).
# 2. ROUNDS times (default 3), back to back: torch_bench.py single-threaded (one "name<TAB>microseconds" line per
#    case, median of 7 batches), then the BenchmarkDotNet benchmarks marked [CompareAs] selected by BENCH_FILTER
#    (median time), which write the same format.
# 3. Joins both by name, keeping each side's best round (on a shared machine other jobs only ever slow a round
#    down), and prints: case, PyTorch µs, DiffGen µs, speed-up (PyTorch time / DiffGen time) and, for [sd]gemm_MxKxN
#    cases, both GFLOP/s.
# To add cases, see the docstring of torch_bench.py and widen BENCH_FILTER to the new benchmark classes.
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

rounds="${ROUNDS:-3}"
filter="${BENCH_FILTER:-*MatMul*Benchmarks.DiffGenSingleThread*}"
if [ $# -eq 0 ]; then set -- --job short; fi
(cd "$root" && dotnet build -c Release tests/DiffGen.Benchmarks >/dev/null)

for round in $(seq 1 "$rounds"); do
  echo "== round $round/$rounds: PyTorch $("$py" -c 'import torch; print(torch.__version__)') (1 thread, OPENBLAS_NUM_THREADS=1)" >&2
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 "$py" "$here/torch_bench.py" ${TORCH_CASES:-} | tee -a "$work/torch.tsv" >&2
  echo "== round $round/$rounds: DiffGen (BenchmarkDotNet $*)" >&2
  (cd "$root" && dotnet run -c Release --no-build --project tests/DiffGen.Benchmarks -- \
    --filter "$filter" --compare-tsv "$work/diffgen-$round.tsv" "$@") >&2
  cat "$work/diffgen-$round.tsv" | tee -a "$work/diffgen.tsv" >&2
done

"$py" - "$work/torch.tsv" "$work/diffgen.tsv" <<'PY'
import re, sys

def load(path):
    best = {}  # best (lowest) time per case over the rounds
    with open(path) as f:
        for line in f:
            if line.strip():
                name, us = line.rstrip("\n").split("\t")
                best[name] = min(float(us), best.get(name, float("inf")))
    return best

torch_us, ours_us = load(sys.argv[1]), load(sys.argv[2])
rows = []
for name in list(torch_us) + [n for n in ours_us if n not in torch_us]:
    t, d = torch_us.get(name), ours_us.get(name)
    shape = re.fullmatch(r"[sd]gemm_(\d+)x(\d+)x(\d+)", name)
    flops = 2 * int(shape[1]) * int(shape[2]) * int(shape[3]) if shape else None
    rows.append((
        name,
        f"{t:.1f}" if t else "-",
        f"{d:.1f}" if d else "-",
        f"{t / d:.2f}x" if t and d else "-",
        f"{flops / t / 1e3:.1f}" if flops and t else "-",
        f"{flops / d / 1e3:.1f}" if flops and d else "-",
    ))
header = ("case", "PyTorch us", "DiffGen us", "speed-up (PyTorch/DiffGen)", "PyTorch GFLOP/s", "DiffGen GFLOP/s")
widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in rows:
    print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")
PY
