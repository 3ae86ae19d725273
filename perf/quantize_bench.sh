#!/bin/bash
# Quantised weights: batch predict (2 threads) and `xmr bench serve` for the f32, f16 and i8 files of one model,
# interleaved A/B rounds, then P@k of each; see perf/RESULTS.md, "Quantised weights".
# Usage: perf/quantize_bench.sh MODEL_DIR TEST_FILE [ROUNDS]
# MODEL_DIR holds f32.xmr (xmr train), f16.xmr and i8.xmr (xmr quantize); a bm/ folder with the three is made for bench serve.
set -euo pipefail
D=$1; T=$2; ROUNDS=${3:-3}
X=${XMR:-xmr}
mkdir -p "$D/bm" && cp "$D/f32.xmr" "$D/f16.xmr" "$D/i8.xmr" "$D/bm/"
for p in f32 f16 i8; do $X tree -m "$D/$p.xmr" | tail -1; done
for r in $(seq 1 "$ROUNDS"); do
  for p in f32 f16 i8; do
    echo "round $r $p $(uptime | sed 's/.*load/load/')"
    nice $X predict -x "$T" -m "$D/$p.xmr" -o "$D/$p-r.npz" --threads 2 2>&1 | tail -1
  done
  echo "round $r bench serve $(uptime | sed 's/.*load/load/')"
  nice $X bench serve --models "$D/bm" --xlinear-test "$T" --requests 2000 --clients 2 --rounds 1 2>&1 | grep -E "in-process|load average"
done
for p in f32 f16 i8; do echo "$p"; $X evaluate -y "$T" -p "$D/$p-r.npz" -k 5 --json | head -c 200; echo; done
