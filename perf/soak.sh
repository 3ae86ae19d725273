#!/usr/bin/env bash
# The served auto-complete model under load, as users would reach it: a real `xmr serve` process with API keys,
# driven over HTTP by `xmr bench load` with raw (previous query, prefix) requests taken from the AOL query logs.
#   1. idle: a light steady rate, the reference p99;
#   2. capacity: back-to-back callers, answered requests per second;
#   3. back-to-back reloads at the idle rate (p99 against idle): of the same files, then each of a new version (the
#      model folder's CURRENT flipped between two versions before every reload);
#   4. the soak: a steady rate for SOAK_SECONDS (default 600) with a reload every 30 s, one CSV line per 10 s
#      (status counts, p50/p99, server RSS, open handles, GC heap), drawn as perf/soak.png;
#   5. overload: 5x capacity for 60 s (status counts; p99 of the admitted requests against idle, as the client saw
#      them and as the server timed them: ASP.NET Core's request-duration histogram, queue wait included).
# Usage: perf/soak.sh [OUT_DIR]   (needs ./build.sh build and ../shared/data/aol-sessions; about 16 minutes)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/artifacts/soak}"
soak_seconds="${SOAK_SECONDS:-600}"
port="${SOAK_PORT:-5099}"
data="$root/../shared/data/aol-sessions/users"
dll="$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll"
[ -f "$dll" ] || { echo "build first: ./build.sh build" >&2; exit 1; }
[ -d "$data" ] || { echo "soak: $data absent" >&2; exit 1; }
xmr() { dotnet "$dll" "$@"; }
py=/usr/bin/python3
mkdir -p "$out/models"
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== soak: $(date -u +%FT%TZ), load $(load), $(nproc) cores"
if [ ! -f "$out/models/aol/qac.json" ] && [ ! -f "$out/models/aol/CURRENT" ]; then
  xmr qac train -i "$data" -m "$out/models/aol" --holdout-users 0.2 --seed 0 > "$out/train.log" 2>&1
fi
# A second version of the model, so reloads can swap between two (a copy under the next version name).
first=$(cat "$out/models/aol/CURRENT")
second=$(echo "$first" | awk -F- '{printf "v-%08d-%s\n", $2 + 1000, $3}')
[ -d "$out/models/aol/$second" ] || cp -r "$out/models/aol/$first" "$out/models/aol/$second"
admin=$(xmr keys new --role admin | head -1 | awk '{print $2}')
printf 'admin %s\n' "$admin" > "$out/keys.txt"

# Raw requests: for consecutive queries of one user, the earlier one as the previous query and the first one to
# four characters of the next as the prefix (what a user would have typed), URL-encoded as a browser would.
$py - "$data" "$out/paths.txt" <<'EOF'
import os, sys, random, urllib.parse
data, out = sys.argv[1], sys.argv[2]
rng = random.Random(0)
paths = []
for name in sorted(os.listdir(data)):
    queries = []
    for line in open(os.path.join(data, name), encoding="utf-8", errors="replace"):
        if "\t" in line and not line.startswith("http"):
            q = line.split("\t")[0].strip()
            if q and q != "-":
                queries.append(q)
    for prev, nxt in zip(queries, queries[1:]):
        prefix = nxt[: rng.randint(1, 4)]
        paths.append("/v1/qac/aol/suggest?prev=" + urllib.parse.quote(prev) + "&prefix=" + urllib.parse.quote(prefix) + "&count=10")
rng.shuffle(paths)
open(out, "w").write("\n".join(paths[:50000]) + "\n")
print(f"{min(len(paths), 50000)} request paths")
EOF

if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "soak: port $port is taken (another server?); set SOAK_PORT" >&2; exit 1; fi
# dotnet itself in the background (not the shell function), so $! is the server process whose memory is sampled.
dotnet "$dll" serve --models "$out/models" --urls "http://127.0.0.1:$port" --api-keys "$out/keys.txt" --request-timeout 2 > "$out/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do kill -0 $server 2> /dev/null || break; curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 1; done
kill -0 $server 2> /dev/null || { echo "soak: xmr serve exited" >&2; cat "$out/serve.log" >&2; exit 1; }
curl -sf "http://127.0.0.1:$port/readyz" > /dev/null || { echo "soak: the server did not become ready" >&2; cat "$out/serve.log" >&2; exit 1; }
bench() { XMR_API_KEY="$admin" xmr bench load --url "http://127.0.0.1:$port" --paths "$out/paths.txt" --server-pid "$server" "$@"; }

echo "== idle (load $(load))"
bench --rate 50 --duration 40 --csv "$out/idle.csv" | tail -1 | tee "$out/idle.txt"
echo "== capacity (load $(load))"
bench --rate 0 --clients 8 --duration 20 | tee "$out/capacity.txt"
capacity=$(awk '/^capacity:/ {print $2}' "$out/capacity.txt")
echo "== back-to-back reloads at the idle rate (load $(load))"
bench --rate 50 --duration 60 --reload-model aol --reload-every 0 --csv "$out/reloads.csv" | tail -1 | tee "$out/reloads.txt"
echo "== back-to-back reloads, each of a new version, at the idle rate (load $(load))"
( end=$((SECONDS + 60)); cur=$first
  while [ $SECONDS -lt $end ]; do
    cur=$([ "$cur" = "$first" ] && echo "$second" || echo "$first")
    echo "$cur" > "$out/models/aol/.CURRENT.swap" && mv "$out/models/aol/.CURRENT.swap" "$out/models/aol/CURRENT"
    curl -s -X POST -H "X-Api-Key: $admin" "http://127.0.0.1:$port/v1/models/aol/reload" | grep -o '"outcome":"[a-z]*"' || echo '"outcome":"error"'
  done | sort | uniq -c | tr '\n' ' ' > "$out/swaps-outcomes.txt" ) &
swapper=$!
bench --rate 50 --duration 60 --csv "$out/swaps.csv" | tail -1 | tee "$out/swaps.txt"
wait $swapper
echo "$first" > "$out/models/aol/.CURRENT.swap" && mv "$out/models/aol/.CURRENT.swap" "$out/models/aol/CURRENT"
echo "reload outcomes: $(cat "$out/swaps-outcomes.txt")" | tee -a "$out/swaps.txt"
rate=$(( capacity / 4 > 50 ? capacity / 4 : 50 ))
echo "== soak: $rate req/s (a quarter of capacity) for $soak_seconds s, a reload every 30 s (load $(load))"
bench --rate "$rate" --duration "$soak_seconds" --reload-model aol --reload-every 30 --csv "$out/soak.csv" | tail -1 | tee "$out/soak.txt"
echo "== overload: $(( capacity * 5 )) req/s (5x capacity) for 60 s, request timeout 2 s (load $(load))"
curl -s "http://127.0.0.1:$port/metrics" > "$out/overload-metrics-before.txt"
bench --rate $(( capacity * 5 )) --duration 60 --timeout 10 --csv "$out/overload.csv" | tail -1 | tee "$out/overload.txt"
curl -s "http://127.0.0.1:$port/metrics" > "$out/overload-metrics-after.txt"
$py "$root/perf/server_latency.py" "$out/overload-metrics-before.txt" "$out/overload-metrics-after.txt" | tee -a "$out/overload.txt"
echo "== server log: $(grep -ci 'fail\|exception' "$out/serve.log" || true) lines with 'fail' or 'exception'"
$py "$root/perf/soak_plot.py" "$out/soak.csv" "$root/perf/soak.png" "$rate" && echo "plot: perf/soak.png"
echo "== done (load $(load))"
