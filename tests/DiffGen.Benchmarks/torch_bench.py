#!/usr/bin/python3
"""PyTorch reference timings for compare.sh.

Prints one line per case: ``name<TAB>microseconds`` (median time per call). The names must match the C# side
(``[CompareAs("name")]`` plus ``_`` and the benchmark's parameter values, e.g. ``sgemm_64x784x256``).

To add a case (Rosenbrock gradient, softmax regression, MLP SGD step, FGSM step, ...): write a function that
builds its inputs and returns a zero-argument callable doing one step, add it to CASES under the same name the
C# benchmark uses, and mark that benchmark method ``[CompareAs("...")]``. compare.sh joins the two sides by name.

Runs single-threaded (torch.set_num_threads(1); compare.sh also sets OPENBLAS_NUM_THREADS=1) so that the sgemm
and dgemm cases measure one core of OpenBLAS against DiffGen's single-thread kernel.
"""
import statistics
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(0)


def gemm(m, k, n, dtype):
    a = torch.randn(m, k, dtype=dtype)
    b = torch.randn(k, n, dtype=dtype)
    out = torch.empty(m, n, dtype=dtype)
    return lambda: torch.mm(a, b, out=out)


# name -> zero-argument factory returning the callable to time.
CASES = {
    "sgemm_64x784x256": lambda: gemm(64, 784, 256, torch.float32),
    "sgemm_256x784x64": lambda: gemm(256, 784, 64, torch.float32),
    "sgemm_512x512x512": lambda: gemm(512, 512, 512, torch.float32),
    "dgemm_64x784x256": lambda: gemm(64, 784, 256, torch.float64),
    "dgemm_256x784x64": lambda: gemm(256, 784, 64, torch.float64),
    "dgemm_512x512x512": lambda: gemm(512, 512, 512, torch.float64),
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
    for name, factory in CASES.items():
        if selected and not any(s in name for s in selected):
            continue
        print(f"{name}\t{time_case(factory()):.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
