#!/usr/bin/env bash
# The main job's training throughput on 1 and 2 threads and 1 and 2 MPI ranks (docs/performance.md): for each batch size,
# the four configurations one after the other, ROUNDS times; each figure is the best epoch among epochs 2-4 (epoch 1
# includes JIT warm-up). Ranks talk over TCP on loopback only. Build first: dotnet build -c Release samples/FashionMnist
set -uo pipefail
cd "$(dirname "$0")/../.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 TERM=dumb
job=samples/FashionMnist/bin/Release/net10.0/FashionMnist.dll
mpi="mpirun --mca btl self,tcp --mca btl_tcp_if_include lo --mca oob_tcp_if_include lo"
out="$(mktemp -d)"
args="--epochs 4 --skip-attacks --out $out"
best() { grep -E "epoch  [234]:" | grep -oP "\d+(?= samples/s)" | sort -n | tail -1; }
for round in $(seq 1 "${ROUNDS:-3}"); do
  for batch in 64 256; do
    echo "round $round, batch $batch, load $(cut -d' ' -f1 /proc/loadavg)"
    echo "  1 thread:  $(dotnet $job $args --batch-size $batch 2>&1 | best)"
    echo "  2 threads: $(dotnet $job $args --batch-size $batch --threads 2 2>&1 | best)"
    echo "  1 rank:    $($mpi -np 1 dotnet $job $args --batch-size $batch --distributed 2>&1 | best)"
    echo "  2 ranks:   $($mpi -np 2 dotnet $job $args --batch-size $batch --distributed 2>&1 | best)"
  done
done
rm -rf "$out"
