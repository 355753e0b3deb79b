#!/usr/bin/env bash
# Runs every test of the solution on a fresh machine and prints "N passed, M failed" last.
# Installs what the tests need (Debian's python3-torch + OpenBLAS for the PyTorch reference checks, Open MPI for the
# 2-rank tests, which run on loopback only and each within its own time limit).
set -uo pipefail
cd "$(dirname "$0")"

if ! /usr/bin/python3 -c "import torch" >/dev/null 2>&1; then
  echo "Installing python3-torch and libopenblas0-pthread (PyTorch reference checks)..."
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  (export DEBIAN_FRONTEND=noninteractive; $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null) \
    || echo "warning: could not install python3-torch; PyTorch reference tests will fail"
fi

if ! command -v mpirun >/dev/null 2>&1 || ! ldconfig -p | grep -q 'libmpi\.so\.40'; then
  echo "Installing openmpi-bin and libopenmpi-dev (the 2-rank MPI tests in tests/DiffGen.Distributed.Tests)..."
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  (export DEBIAN_FRONTEND=noninteractive; $SUDO apt-get update -qq && $SUDO apt-get install -y -qq openmpi-bin libopenmpi-dev >/dev/null) \
    || echo "warning: could not install Open MPI; the MPI tests will fail"
fi

results="$(mktemp -d)"
dotnet test DiffGen.sln -c Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0
for f in "$results"/*.trx; do
  [ -e "$f" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p'); f2=$(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f2:-0}))
done
rm -rf "$results"
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; echo "dotnet test exited with $status (build failure?)"; fi
echo "$passed passed, $failed failed"
[ $status -eq 0 ] && [ $failed -eq 0 ]
