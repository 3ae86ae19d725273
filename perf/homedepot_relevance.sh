#!/usr/bin/env bash
# Relevance-weighted text2text on Home Depot: the default model trained on prepare-homedepot's split unweighted, then
# with each training pair's grade (the mean of human ratings in train.csv; 2.5-3 on the pairs prepare-homedepot keeps)
# as its relevance (`id:grade`), with --rel-norm no-norm (grades as weights) and max (each query's best grade 1); all
# evaluated on the same test queries, with the models' chosen text weight and with the tree alone (--text-weight 0).
# perf/RESULTS.md "Relevance-weighted text2text on Home Depot".
# The weighted file keeps prepare-homedepot's split, lines and item ids; a small Python step looks each pair's grade up.
# Usage: perf/homedepot_relevance.sh [path/to/homedepot/train.csv]   (needs `./build.sh build` first, /usr/bin/python3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
xmr() { dotnet "$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll" "$@"; }
csv="${1:-$root/../shared/data/homedepot/train.csv}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a), $(nproc) cores"
xmr text2text prepare-homedepot -i "$csv" -o "$work/hd" --seed 0
cat > "$work/weighted.py" <<'PY'
import sys, csv, io
# hd_weighted.py TRAIN.CSV HD_DIR OUT: rewrites HD_DIR/train.txt with each id as id:relevance (the grade of that
# query-product pair in TRAIN.CSV; the mean when a pair repeats), keeping its split, lines and item ids.
csv_path, hd, out = sys.argv[1:4]
raw = open(csv_path, "rb").read().decode("latin-1")
def field(s):
    b = s.encode("latin-1")
    try: return b.decode("utf-8")
    except UnicodeDecodeError: return s
rows = csv.reader(io.StringIO(raw, newline=""))
head = [h.strip() for h in next(rows)]
c = {h: i for i, h in enumerate(head)}
item_of, grades = {}, {}
for r in rows:
    if len(r) == 1 and r[0] == "": continue
    rel = float(r[c["relevance"]])
    if rel < 2.5: continue
    q = " ".join(field(r[c["search_term"]]).split()).lower()
    p = r[c["product_uid"]].strip()
    if not q or not p: continue
    item = item_of.setdefault(p, len(item_of))
    grades.setdefault((q, item), []).append(rel)
missing = pairs = 0
with open(out, "w", encoding="utf-8") as f:
    for line in open(f"{hd}/train.txt", encoding="utf-8"):
        ids, q = line.rstrip("\n").split("\t", 1)
        cells = []
        for i in ids.split(","):
            g = grades.get((q, int(i)))
            pairs += 1
            if g is None: missing += 1; cells.append(i)
            else: cells.append(f"{i}:{sum(g)/len(g):g}")
        f.write(",".join(cells) + "\t" + q + "\n")
print(f"{pairs} pairs, {missing} without a grade (weight 1)", file=sys.stderr)
PY
/usr/bin/python3 "$work/weighted.py" "$csv" "$work/hd" "$work/hd/train_rel.txt"
for v in unweighted no-norm max; do
  if [ "$v" = unweighted ]; then in="$work/hd/train.txt" extra=(); else in="$work/hd/train_rel.txt" extra=(--rel-norm "$v"); fi
  echo "== $v"
  start=$(date +%s)
  xmr text2text train -i "$in" -q "$work/hd/items.txt" -m "$work/$v" "${extra[@]}" | grep 'chosen' || true
  echo "trained in $(( $(date +%s) - start )) s"
  echo "default:     $(xmr text2text evaluate -i "$work/hd/test.txt" -m "$work/$v" -k 100 --json)"
  echo "tree alone:  $(xmr text2text evaluate -i "$work/hd/test.txt" -m "$work/$v" -k 100 --text-weight 0 --json)"
done
