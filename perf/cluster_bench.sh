#!/usr/bin/env bash
# Sharded serving on Orleans beside the single-process predictor, on Bibtex, on this machine.
# Trains Bibtex with a 4-level tree (--nr-splits 4 --max-leaf-size 8: 2, 8, 32, 159 nodes), shards it at level 2
# into 3 shards (8 subtrees), then for REPS interleaved rounds measures, each in a fresh process:
#   single   xmr predict -m model.xmr --latency-queries Q   (the chunked single-query predictor; batch us/row)
#   local    xmr predict -m sharded-dir                     (the sharded router, shards in process; batch only)
#   N silos  xmr cluster predict --warm-up (N = 1, 2, 3 fresh `xmr cluster silo` processes, Redis membership on loopback;
#            batch throughput with 256-row calls x 4 in flight, then Q single-row requests one at a time)
# Needs a Release build and redis-server listening on 127.0.0.1:6379. Prints the load average around every run:
# on a shared 2-core machine, read the numbers together with it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dll="$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll"
xmr() { dotnet "$dll" "$@"; }
reps="${1:-3}"
queries="${2:-500}"
data="$root/../shared/data/bibtex"
[ -f "$data/train.txt" ] || { echo "needs ../shared/data/bibtex" >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "needs redis-server on 127.0.0.1:6379" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }

xmr train -x "$data/train.txt" -m "$work/bib.xmr" --nr-splits 4 --max-leaf-size 8 | tail -1
xmr shard -m "$work/bib.xmr" --level 2 --shards 3 -o "$work/sharded"

silos() { # start N silos of cluster $2 and wait until each prints "silo running"
  local n="$1" id="$2" i
  pids=()
  for i in $(seq 1 "$n"); do
    # dotnet itself in the background (not the xmr function, whose subshell would take the kill and leave the silo running).
    dotnet "$dll" cluster silo --port $((22000 + i)) --gateway-port $((22100 + i)) --cluster-id "$id" --redis 127.0.0.1:6379 >"$work/silo$i.log" 2>&1 &
    pids+=($!)
  done
  for i in $(seq 1 "$n"); do
    for _ in $(seq 1 600); do grep -q "silo running" "$work/silo$i.log" && break; sleep 0.1; done
  done
}
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; pids=(); }

for rep in $(seq 1 "$reps"); do
  echo "== round $rep (load before: $(load))"
  echo "-- single process: $(xmr predict -m "$work/bib.xmr" -x "$data/test.txt" -o "$work/single.npz" --latency-queries "$queries" | tr '\n' ' ')"
  echo "-- sharded, in process: $(xmr predict -m "$work/sharded" -x "$data/test.txt" -o "$work/local.npz" | tr '\n' ' ')"
  for n in 1 2 3; do
    silos "$n" "bench-$rep-$n-$$"
    echo "-- $n silo(s) (load $(load)): $(xmr cluster predict -m "$work/sharded" -x "$data/test.txt" -o "$work/cluster.npz" --cluster-id "bench-$rep-$n-$$" --redis 127.0.0.1:6379 --warm-up --latency-queries "$queries" | tr '\n' ' ')"
    cmp -s "$work/single.npz" "$work/cluster.npz" && echo "   predictions: identical bytes to the single process" || echo "   predictions: DIFFER from the single process"
    stop
  done
done
echo "== load after: $(load)"
