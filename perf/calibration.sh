#!/usr/bin/env bash
# Calibrated probabilities (xmr train --calibrate) measured on test rows: the reliability table, the expected
# calibration error and precision / recall at probability 0.5, of the raw beam-search scores read as probabilities
# (before) and of the calibrated probabilities (after), plus P@1/3/5 (calibration must not change the ranking).
# Sets: Bibtex (../shared/data/bibtex, skipped when absent) and the generated 20k-label set of perf/RESULTS.md
# (`xmr generate xmr --preset 20k`; ROWS20K lowers its training rows, default all 50,000).
# Env: XMR (an xmr.dll, run with dotnet, or a native xmr; default the Release build's), BINS (10), WORK (a folder kept
# afterwards; default a temporary one).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bins="${BINS:-10}"
work="${WORK:-$(mktemp -d)}"
[ -n "${WORK:-}" ] || trap 'rm -rf "$work"' EXIT
mkdir -p "$work"
xmr="${XMR:-$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll}"
[ -f "$xmr" ] || dotnet build "$root/managed/XmrEngine.Cli" -c Release -v quiet -nologo >/dev/null
run_xmr() { if [[ "$xmr" == *.dll ]]; then dotnet "$xmr" "$@"; else "$xmr" "$@"; fi; }

measure() {
  local name="$1" train="$2" test="$3" dir="$work/$1"
  mkdir -p "$dir"
  echo "## $name"
  echo "load average before training: $(cut -d' ' -f1-3 /proc/loadavg)"
  local s e
  s=$(date +%s)
  run_xmr train -x "$train" -m "$dir/model.xmr" --calibrate 2>&1 | grep -E "^(calibration|cost|trained)" || true
  e=$(date +%s)
  echo "train with --calibrate: $((e - s)) s wall"
  run_xmr predict -x "$test" -m "$dir/model.xmr" -o "$dir/scores.npz" --probabilities "$dir/probabilities.npz" >/dev/null
  echo "### raw scores read as probabilities (before)"
  run_xmr evaluate -y "$test" -p "$dir/scores.npz" --reliability "$bins"
  echo "### calibrated probabilities (after)"
  run_xmr evaluate -y "$test" -p "$dir/probabilities.npz" --reliability "$bins"
  echo "### P@k of the scores"
  run_xmr evaluate -y "$test" -p "$dir/scores.npz" -k 5 --json
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

bibtex="$root/../shared/data/bibtex"
if [ -f "$bibtex/train.txt" ]; then measure bibtex "$bibtex/train.txt" "$bibtex/test.txt"; else echo "bibtex: $bibtex absent, skipped"; fi

rows="${ROWS20K:-50000}"
if [ ! -f "$work/20k-train.txt" ]; then
  run_xmr generate xmr -n "$rows" -d 100000 -l 20000 --test-instances 10000 --seed 0 -o "$work/20k-train.txt" --test-output "$work/20k-test.txt" >/dev/null
fi
measure "20k-labels-$rows-rows" "$work/20k-train.txt" "$work/20k-test.txt"
