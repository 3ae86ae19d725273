#!/usr/bin/env bash
# The defaults suite: XmrEngine's defaults (and its quality preset) beside PECOS's and napkinXC's defaults, same
# files, same run, on every set at hand. Prints one table and writes OUT/suite.json (plus OUT/results.jsonl, one
# line per set and system).
#   XMC (P@1/3/5): Bibtex; five generated shapes that break fixed defaults (few-labels, many-labels, heavy-tail,
#     multi-label, wide), each at seeds 0 and 1.
#   text2text (R@10/R@100, P@1): Reuters-21578 ModApte (articles -> topics), Home Depot (rich item texts), AOL
#     query -> clicked site split by user (item texts are host names).
#   QAC (MRR@10, per prefix bucket): AOL sessions, users split (the fused ranker, the model alone, most popular).
# Peers run when built (../shared/peers/README.md): PECOS_SRC (default ../peers/pecos), NXC (default
# ../peers/napkinxc/build/nxc). Sets whose data is absent are skipped with a line saying so.
# Usage: perf/suite.sh [--quick] [--out DIR] [--only NAME[,NAME...]]   (needs ./build.sh build first)
#   --quick: Bibtex, the five shapes at seed 0 and Reuters; no Home Depot and no AOL sets (under 5 minutes on a quiet
#   2-core machine; XmrEngine's quality preset is the longest part).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$root/../shared/data"
pecos_src="${PECOS_SRC:-$root/../peers/pecos}"
nxc="${NXC:-$root/../peers/napkinxc/build/nxc}"
py=/usr/bin/python3
quick=0 out="$root/artifacts/suite" only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --out) out="$2"; shift ;;
    --only) only=",$2,"; shift ;;
    *) echo "usage: perf/suite.sh [--quick] [--out DIR] [--only NAME[,NAME...]]" >&2; exit 2 ;;
  esac
  shift
done
xmr() { dotnet "$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll" "$@"; }
[ -f "$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll" ] || { echo "build first: ./build.sh build" >&2; exit 1; }
mkdir -p "$out"
results="$out/results.jsonl"
: > "$results"
has_pecos=0; [ -d "$pecos_src/pecos" ] && PYTHONPATH="$pecos_src" $py -c "import pecos.xmc.xlinear" 2>/dev/null && has_pecos=1
has_nxc=0; [ -x "$nxc" ] && has_nxc=1
echo "== suite: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; PECOS $([ $has_pecos = 1 ] && echo yes || echo "no ($pecos_src)"), napkinXC $([ $has_nxc = 1 ] && echo yes || echo "no ($nxc)")"
wanted() { [ -z "$only" ] || [[ "$only" == *",$1,"* ]]; }
now() { date +%s.%N; }
since() { $py -c "import sys; print(round($(now) - $1, 2))"; }
record() { echo "$1" >> "$results"; echo "   $1"; }
bytes() { du -sb "$1" | cut -f1; }

# One XMC set (train.txt / test.txt in the XMC repository format) under every system.
xmc_set() {
  local name="$1" dir="$2" seed="$3"
  local labels; labels=$(head -1 "$dir/train.txt" | awk '{print $3}')
  echo "== $name (seed $seed): $(head -1 "$dir/train.txt" | awk '{print $1 " rows, " $2 " features, " $3 " labels"}')"
  local preset
  for preset in balanced quality; do
    local m="$dir/xmr-$preset.xmr" t0 train_s lat
    t0=$(now); xmr train -x "$dir/train.txt" -m "$m" --preset "$preset" --seed "$seed" > "$dir/xmr-$preset.log" 2>&1; train_s=$(since "$t0")
    lat=$(xmr predict -x "$dir/test.txt" -m "$m" -o "$dir/xmr-$preset.npz" --latency-queries 1000 | awk '/single query/ { gsub(",", ""); print $6, $9 }')
    record "$(xmr evaluate -y "$dir/test.txt" -p "$dir/xmr-$preset.npz" --json | $py -c "import json,sys; m=json.load(sys.stdin); l='$lat'.split(); print(json.dumps({'set':'$name','seed':$seed,'kind':'xmc','system':'xmr $preset','P@1':m['P@1'],'P@3':m['P@3'],'P@5':m['P@5'],'train_s':$train_s,'model_bytes':$(bytes "$m"),'p50_ms':float(l[0]),'p99_ms':float(l[1])}))")"
  done
  if [ $has_pecos = 1 ]; then
    local p="$dir/pecos" t0 train_s lat
    rm -rf "$p" "$p.model"; PYTHONPATH="$pecos_src" $py "$root/../shared/peers/pecos_xlinear.py" prep "$dir/train.txt" "$dir/test.txt" "$p"
    t0=$(now); PYTHONPATH="$pecos_src" $py "$root/../shared/peers/pecos_xlinear.py" train "$p" "$p.model" 2 > "$p.train.log"; train_s=$(since "$t0")
    lat=$(PYTHONPATH="$pecos_src" $py "$root/../shared/peers/pecos_xlinear.py" predict "$p" "$p.model" "$p.npz" 2 1000 | awk '/PECOS_LAT_P50_MS/ { a = $2 } /PECOS_LAT_P99_MS/ { b = $2 } END { print a, b }')
    record "$(xmr evaluate -y "$dir/test.txt" -p "$p.npz" --json | $py -c "import json,sys; m=json.load(sys.stdin); l='$lat'.split(); print(json.dumps({'set':'$name','seed':$seed,'kind':'xmc','system':'PECOS','P@1':m['P@1'],'P@3':m['P@3'],'P@5':m['P@5'],'train_s':$train_s,'model_bytes':$(bytes "$p.model"),'p50_ms':float(l[0]),'p99_ms':float(l[1])}))")"
  fi
  if [ $has_nxc = 1 ]; then
    local n="$dir/nxc" t0 train_s rows
    rm -rf "$n"; t0=$(now); "$nxc" train -i "$dir/train.txt" -o "$n" -t 2 --seed "$seed" > "$n.train.log" 2>&1; train_s=$(since "$t0")
    "$nxc" test -i "$dir/test.txt" -o "$n" -t 2 --topK 10 --predictionPrecision 6 --metricsPrecision 5 --prediction "$n.pred" > "$n.test.log" 2>&1
    rows=$(head -1 "$dir/test.txt" | awk '{print $1}')
    $py "$root/perf/suite/nxc_to_npz.py" "$n.pred" "$rows" "$labels" "$n.npz"
    record "$(xmr evaluate -y "$dir/test.txt" -p "$n.npz" --json | $py -c "import json,sys; m=json.load(sys.stdin); print(json.dumps({'set':'$name','seed':$seed,'kind':'xmc','system':'napkinXC','P@1':m['P@1'],'P@3':m['P@3'],'P@5':m['P@5'],'train_s':$train_s,'model_bytes':$(bytes "$n")}))")"
  fi
}

# One text2text set (train.txt / items.txt / test.txt) under xmr's defaults and PECOS text2text's.
t2t_set() {
  local name="$1" dir="$2" t0 train_s
  echo "== $name: $(wc -l < "$dir/train.txt") train / $(wc -l < "$dir/test.txt") test queries, $(wc -l < "$dir/items.txt") items"
  rm -rf "$dir/xmr"; t0=$(now); xmr text2text train -i "$dir/train.txt" -q "$dir/items.txt" -m "$dir/xmr" > "$dir/xmr.log" 2>&1; train_s=$(since "$t0")
  record "$(xmr text2text evaluate -i "$dir/test.txt" -m "$dir/xmr" -k 100 --json | $py -c "import json,sys; m=json.load(sys.stdin); print(json.dumps({'set':'$name','seed':0,'kind':'text2text','system':'xmr defaults','P@1':m['P@1'],'R@10':m['R@10'],'R@100':m['R@100'],'train_s':$train_s,'model_bytes':$(bytes "$dir/xmr")}))")"
  if [ $has_pecos = 1 ]; then
    rm -rf "$dir/pecos"
    record "$(PYTHONPATH="$pecos_src" $py "$root/perf/suite/pecos_text2text.py" "$dir/train.txt" "$dir/items.txt" "$dir/test.txt" "$dir/pecos" 2 | $py -c "import json,sys; m=json.load(sys.stdin); m.update({'set':'$name','seed':0,'kind':'text2text','system':'PECOS'}); print(json.dumps(m))")"
  fi
}

work="$out/data"
mkdir -p "$work"
if wanted bibtex; then
  if [ -f "$data/bibtex/train.txt" ]; then mkdir -p "$work/bibtex" && cp "$data/bibtex/train.txt" "$data/bibtex/test.txt" "$work/bibtex/" && xmc_set bibtex "$work/bibtex" 0
  else echo "== bibtex: skipped ($data/bibtex absent)"; fi
fi
seeds="0 1"; [ $quick = 1 ] && seeds="0"
for shape in few-labels many-labels heavy-tail multi-label wide; do
  wanted "$shape" || continue
  for seed in $seeds; do
    d="$work/$shape-$seed"; mkdir -p "$d"
    xmr generate xmr --preset "$shape" --seed "$seed" -o "$d/train.txt" --test-output "$d/test.txt"
    xmc_set "$shape" "$d" "$seed"
  done
done
if wanted reuters; then
  if [ -d "$data/reuters21578" ]; then $py "$root/perf/suite/reuters_text2text.py" "$data/reuters21578" "$work/reuters" > /dev/null && t2t_set reuters "$work/reuters"
  else echo "== reuters: skipped ($data/reuters21578 absent)"; fi
fi
if [ $quick = 0 ] && wanted homedepot; then
  if [ -f "$data/homedepot/train.csv" ]; then xmr text2text prepare-homedepot -i "$data/homedepot/train.csv" -o "$work/homedepot" --seed 0 > /dev/null && t2t_set homedepot "$work/homedepot"
  else echo "== homedepot: skipped ($data/homedepot absent)"; fi
fi
if [ $quick = 0 ] && [ -d "$data/aol-sessions/users" ]; then
  if wanted aol-sites; then
    xmr text2text prepare-aol -i "$data/aol-sessions/users" -o "$work/aol-sites" --seed 0 --test-users 0.2 > /dev/null && t2t_set aol-sites "$work/aol-sites"
  fi
  if wanted aol-qac; then
    echo "== aol-qac: xmr qac train (hybrid indexer, 20% of users held out), evaluate on the held-out users"
    q="$work/aol-qac"; rm -rf "$q"; t0=$(now)
    xmr qac train -i "$data/aol-sessions/users" -m "$q" --holdout-users 0.2 --seed 0 > "$q.train.log" 2>&1; train_s=$(since "$t0")
    xmr qac evaluate -i "$data/aol-sessions/users" -m "$q" --json > "$q.eval.json"
    while read -r line; do record "$line"; done < <($py -c "
import json
e = json.load(open('$q.eval.json'))
for key, name in (('model', 'xmr fused'), ('model_only', 'xmr model alone'), ('most_popular', 'most popular')):
    if key not in e: continue
    m = e[key]
    row = {'set': 'aol-qac', 'seed': 0, 'kind': 'qac', 'system': name, 'MRR@10': m['MRR@10'], 'p50_ms': m['p50_ms'], 'p99_ms': m['p99_ms'],
           'buckets': {b: v['MRR@10'] for b, v in m['by_prefix'].items()}}
    if key == 'model': row['train_s'] = $train_s
    print(json.dumps(row))")
  fi
elif [ $quick = 0 ]; then echo "== aol sets: skipped ($data/aol-sessions/users absent)"; fi

$py "$root/perf/suite/table.py" "$results" "$out/suite.json"
