#!/usr/bin/env bash
# Whole-process comparison of `xmr spmm` with SciPy's `A @ B` on the same .npz files:
# A is 20k x 50k with 1M non-zeros, B is 50k x 20k with 1M non-zeros. Runs are interleaved (xmr, SciPy, xmr, ...)
# so both see the same load; each prints its wall time (process start included) and, per stage, wall, CPU and
# page faults. Env: RUNS (3), THREADS (1), BACKENDS (managed), XMR (the xmr to run: an xmr.dll, run with dotnet, or the
# native artifacts/xmr/xmr of ./build.sh publish; default the Release build's xmr.dll),
# MODES ("none fastest": uncompressed output, then deflated; SciPy's pair is compressed=False / save_npz's default).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
threads="${THREADS:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
xmr="${XMR:-$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll}"
[ -f "$xmr" ] || dotnet build "$root/managed/XmrEngine.Cli" -c Release -v quiet -nologo >/dev/null
backends="${BACKENDS:-managed}"
# An xmr.dll runs through dotnet; the native xmr runs as it is.
run_xmr() { if [[ "$xmr" == *.dll ]]; then dotnet "$xmr" "$@"; else "$xmr" "$@"; fi; }
py=/usr/bin/python3
$py -c "import scipy" 2>/dev/null || { echo "SciPy is not installed for $py (apt-get install python3-scipy)"; exit 1; }

run_xmr generate random -r 20000 -c 50000 --nnz 1000000 --seed 1 -o "$work/A.npz" >/dev/null
run_xmr generate random -r 50000 -c 20000 --nnz 1000000 --seed 2 -o "$work/B.npz" >/dev/null

# Runs one process, prints "LABEL wall MS | its stage line | load".
run() {
  local label="$1" s e stages; shift
  s=$(date +%s%N)
  stages=$("$@" 2>&1 >/dev/null | grep -E "stages:" || true)
  e=$(date +%s%N)
  printf '%-26s wall %5d ms | %s | load %s\n' "$label" $(( (e - s) / 1000000 )) "${stages#*stages: }" "$(cut -d' ' -f1 /proc/loadavg)"
}

for mode in ${MODES:-none fastest}; do
  pyflag=$([ "$mode" = none ] && echo --no-compress || true)
  for _ in $(seq "$runs"); do
    for backend in $backends; do
      run "xmr $backend $mode" run_xmr spmm -a "$work/A.npz" -b "$work/B.npz" -o "$work/C_$backend.npz" \
        --backend "$backend" --threads "$threads" --compression "$mode"
    done
    run "scipy unsorted $mode" $py "$root/perf/spmm_scipy.py" "$work/A.npz" "$work/B.npz" "$work/C_scipy_u.npz" --unsorted $pyflag
    run "scipy sorted $mode" $py "$root/perf/spmm_scipy.py" "$work/A.npz" "$work/B.npz" "$work/C_scipy.npz" $pyflag
  done
done

# Same result? Compare in SciPy (values to float32 tolerance).
$py - "$work/C_${backends%% *}.npz" "$work/C_scipy.npz" <<'PY'
import sys, scipy.sparse as sp
a, b = sp.load_npz(sys.argv[1]).tocsr(), sp.load_npz(sys.argv[2]).tocsr()
assert a.shape == b.shape, (a.shape, b.shape)
d = abs(a - b).max() if a.nnz or b.nnz else 0.0
print(f"results agree: shape {a.shape}, nnz {a.nnz} vs {b.nnz}, max |diff| {d:.2e}")
assert d < 1e-4
PY
