#!/usr/bin/env python3
"""The throughput model of docs/distributed.md: data-parallel SGD with a ring all-reduce of the gradient.

    python3 docs/scaling_model.py [compute_ms_for_batch_64]

Step time on N machines = compute + the all-reduce time that is not hidden behind the backward pass. A ring all-reduce
of M bytes in k buckets costs k·2(N−1)·α (latency) + 2(N−1)/N·M/β (bandwidth). Without overlap (the MLP: its gradient is
one generated call) all of it is exposed; with overlap, bucket i leaves when the backward pass has produced it.
"""
import sys

M = 235_136 * 4                      # bytes: the MLP's gradient (W1 200 704, c 256, W2 32 768, d 128, W3 1 280 floats)
TC64 = float(sys.argv[1]) * 1e-3 if len(sys.argv) > 1 else 0.58e-3   # one step at batch 64 on one machine (measured)
NETS = {"10 Gb/s": (1.25e9, 15e-6), "100 Gb/s": (12.5e9, 3e-6)}        # β bytes/s, α s (TCP; RDMA)


def ring(n, beta, alpha, buckets=1):
    return 0.0 if n == 1 else buckets * 2 * (n - 1) * alpha + 2 * (n - 1) / n * M / beta


def exposed(n, beta, alpha, buckets, backward):
    """All-reduce time left after the backward pass, when bucket i is ready at (i+1)/k of it and buckets go one by one."""
    if n == 1:
        return 0.0
    per = ring(n, beta, alpha, buckets) / buckets
    finish = 0.0
    for i in range(buckets):
        finish = max(finish, (i + 1) / buckets * backward) + per
    return finish - backward


def weak(batch):
    tc = TC64 * batch / 64
    print(f"\nWeak scaling, {batch} samples per machine per step (compute {tc * 1e3:.2f} ms), one bucket, no overlap:\n")
    print("| machines | " + " | ".join(f"{k}: all-reduce, samples/s, efficiency" for k in NETS) + " |")
    print("| ---: | " + " | ".join("---:" for _ in NETS) + " |")
    for n in [1, 2, 4, 8, 16, 32, 64, 128, 256]:
        cells = []
        for beta, alpha in NETS.values():
            t = ring(n, beta, alpha)
            cells.append(f"{t * 1e3:.2f} ms, {n * batch / (tc + t):,.0f}, {tc / (tc + t):.0%}")
        print(f"| {n} | " + " | ".join(cells) + " |")


def buckets(n, batch):
    tc = TC64 * batch / 64
    backward = 2 / 3 * tc
    print(f"\nBucket count at {n} machines, {batch} per machine: exposed all-reduce time per step (ms)\n")
    print("| buckets (size) | " + " | ".join(f"{k} no overlap | {k} with overlap" for k in NETS) + " |")
    print("| ---: | " + " | ".join("---: | ---:" for _ in NETS) + " |")
    for k in [1, 2, 4, 8, 16, 64, 256]:
        cells = []
        for beta, alpha in NETS.values():
            cells.append(f"{ring(n, beta, alpha, k) * 1e3:.2f} | {exposed(n, beta, alpha, k, backward) * 1e3:.2f}")
        print(f"| {k} ({M / k / 1024:,.0f} KiB) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    weak(64)
    weak(1024)
    buckets(16, 1024)
