#!/usr/bin/env bash
# Distributed training time beside single-machine training, on this machine. For REPS interleaved rounds,
# each a fresh process: `xmr train` and `xmr cluster train --level 2 --jobs 3` against 1 and 3 fresh silos (Redis
# membership on loopback), on Bibtex (4-level tree: --nr-splits 4 --max-leaf-size 8) and on a generated set
# (20,000 rows x 20,000 features x 2,000 labels). Wall time of the whole command (start-up, data load, training, save);
# every distributed model is compared byte for byte with the single-machine one. Needs a Release build and
# redis-server on 127.0.0.1:6379; prints the load average around every run (a shared 2-core machine).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dll="$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll"
xmr() { dotnet "$dll" "$@"; }
reps="${1:-3}"
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "needs redis-server on 127.0.0.1:6379" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done; pids=(); }
trap 'stop; rm -rf "$work"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
silos() {
  local n="$1" id="$2" i
  for i in $(seq 1 "$n"); do
    # dotnet itself in the background, so that stop() reaches the silo process.
    dotnet "$dll" cluster silo --port $((23000 + i)) --gateway-port $((23100 + i)) --cluster-id "$id" --redis 127.0.0.1:6379 >"$work/silo$i.log" 2>&1 &
    pids+=($!)
  done
  for i in $(seq 1 "$n"); do for _ in $(seq 1 600); do grep -q "silo running" "$work/silo$i.log" && break; sleep 0.1; done; done
}
seconds() { local start; start=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $start" | bc; }

xmr generate xmr -n 20000 -d 20000 -l 2000 --test-instances 10 -o "$work/gen.txt" --test-output "$work/gen-test.txt" >/dev/null
sets=("bibtex:$root/../shared/data/bibtex/train.txt" "generated:$work/gen.txt")
flags=(--nr-splits 4 --max-leaf-size 8)
for rep in $(seq 1 "$reps"); do
  for set in "${sets[@]}"; do
    name="${set%%:*}" data="${set#*:}"
    [ -f "$data" ] || continue
    echo "== round $rep, $name (load $(load))"
    echo "   single machine: $(seconds xmr train -x "$data" -m "$work/single.xmr" "${flags[@]}") s"
    for n in 1 3; do
      silos "$n" "train-$rep-$name-$n-$$"
      t=$(seconds xmr cluster train -x "$data" -m "$work/cluster.xmr" "${flags[@]}" --level 2 --jobs 3 --cluster-id "train-$rep-$name-$n-$$" --redis 127.0.0.1:6379)
      same=$(cmp -s "$work/single.xmr" "$work/cluster.xmr" && echo "identical file" || echo "FILES DIFFER")
      echo "   $n silo(s), 3 jobs: $t s ($same; load $(load))"
      stop
    done
  done
done
