#!/usr/bin/env bash
# Whole-process comparison of `xmr spmm` with SciPy's `A @ B` on the same .npz files:
# A is 20k x 50k with 1M non-zeros, B is 50k x 20k with 1M non-zeros. Prints the best of N runs of
# each, wall-clock including process start, loading, multiplying and saving, and their ratio.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
xmr="$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll"
[ -f "$xmr" ] || dotnet build "$root/managed/XmrEngine.Cli" -c Release -v quiet -nologo >/dev/null
py=/usr/bin/python3
$py -c "import scipy" 2>/dev/null || { echo "SciPy is not installed for $py (apt-get install python3-scipy)"; exit 1; }

dotnet "$xmr" generate random -r 20000 -c 50000 --nnz 1000000 --seed 1 -o "$work/A.npz"
dotnet "$xmr" generate random -r 50000 -c 20000 --nnz 1000000 --seed 2 -o "$work/B.npz"

best() { sort -n | head -n 1; }
time_ms() { local s e; s=$(date +%s%N); "$@" 2>>"$work/log"; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }

for backend in ${BACKENDS:-managed native}; do
  for _ in $(seq "$runs"); do time_ms dotnet "$xmr" spmm -a "$work/A.npz" -b "$work/B.npz" -o "$work/C_$backend.npz" --backend "$backend"; done | best > "$work/xmr_$backend"
done
for _ in $(seq "$runs"); do time_ms $py "$root/perf/spmm_scipy.py" "$work/A.npz" "$work/B.npz" "$work/C_scipy.npz"; done | best > "$work/scipy"

# Same result? Compare in SciPy (values to float32 tolerance).
$py - "$work/C_managed.npz" "$work/C_scipy.npz" <<'PY'
import sys, numpy as np, scipy.sparse as sp
a, b = sp.load_npz(sys.argv[1]).tocsr(), sp.load_npz(sys.argv[2]).tocsr()
assert a.shape == b.shape, (a.shape, b.shape)
d = abs(a - b).max() if a.nnz or b.nnz else 0.0
print(f"results agree: shape {a.shape}, nnz {a.nnz} vs {b.nnz}, max |diff| {d:.2e}")
assert d < 1e-4
PY
s=$(cat "$work/scipy")
echo "best of $runs, whole process (ms):"
echo "  scipy A @ B       : $s"
for backend in ${BACKENDS:-managed native}; do
  x=$(cat "$work/xmr_$backend")
  awk -v x="$x" -v s="$s" -v b="$backend" 'BEGIN { printf "  xmr spmm %-9s: %d  (xmr/scipy = %.2f)\n", b, x, x / s }'
done
echo "last stage timings:"; grep -E "multiply" "$work/log" | tail -n 3
