#!/usr/bin/env bash
# The main job, the whole product on the shared data: an end-to-end XR-Linear run (../shared/data/bibtex, or
# generated data when the shared folder is absent), product searches on Home Depot, session-aware suggestions
# on AOL, then the command that serves those models over HTTP. Called by `./build.sh demo` after a Release build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
xmr() { dotnet "$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll" "$@"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
data="$root/../shared/data/bibtex"
shared="$root/../shared/data"
# The models the demo trains stay here (git-ignored) so `xmr serve` can serve them afterwards.
models="$root/artifacts/demo-models"
rm -rf "$models" && mkdir -p "$models"

echo "== xmr info"
xmr info
if [ -f "$data/train.txt" ] && [ -f "$data/test.txt" ]; then
  train="$data/train.txt"; test="$data/test.txt"
  echo "== real data: Bibtex ($train)"
else
  echo "== ../shared/data/bibtex not found: generating a synthetic XMR data set instead"
  xmr generate xmr -n 20000 -d 20000 -l 2000 --test-instances 5000 -o "$work/train.txt" --test-output "$work/test.txt"
  train="$work/train.txt"; test="$work/test.txt"
fi
echo "== xmr stats"
xmr stats -i "$train"
echo "== xmr convert (to .npz and back)"
xmr convert -i "$train" -x "$work/X.npz" -y "$work/Y.npz"
xmr convert -i "$work/X.npz" --labels-in "$work/Y.npz" -o "$work/roundtrip.txt"
echo "== xmr train (the default, balanced preset: 64-way tree, PECOS's costs, solver tolerance 0.3)"
xmr train -x "$train" -m "$work/model.xmr"
cp "$work/model.xmr" "$models/bibtex.xmr"
echo "== xmr tree"
xmr tree -m "$work/model.xmr"
echo "== xmr predict + evaluate"
xmr predict -x "$test" -m "$work/model.xmr" -o "$work/pred.npz"
xmr evaluate -y "$test" -p "$work/pred.npz" -k 5
echo "== xmr bench xlinear"
xmr bench xlinear -i "$train" -t "$test"

if [ -f "$shared/homedepot/train.csv" ]; then
  echo "== product retrieval on Home Depot: prepare, train (the best setting of perf/homedepot.sh), a few searches"
  xmr text2text prepare-homedepot -i "$shared/homedepot/train.csv" -o "$work/hd" --seed 0
  xmr text2text train -i "$work/hd/train.txt" -q "$work/hd/items.txt" -m "$models/homedepot" --label-embed pifa+text \
    --vectorizer-config "$root/perf/homedepot-vectorizer.json" --item-texts-as-queries --Cp 4 --threshold 0.01 \
    --text-weight 0.9 --title-candidates 100 --title-idf-once
  printf '%s\n' "rose of jericho plant" "cordless drill" "outdoor ceiling fan with light" |
    xmr text2text predict -i - -m "$models/homedepot" -o - --top-k 3
else
  echo "== ../shared/data/homedepot not found: skipping product retrieval"
fi

if [ -d "$shared/aol-sessions/users" ]; then
  echo "== session-aware auto-completion on AOL: train (fused ranker), a few suggestions"
  xmr qac train -i "$shared/aol-sessions/users" -m "$models/aol" --indexer hybrid --trie-depth 2
  for pair in "nike shoes|ad" "bank of america|w" "weather|ch"; do
    echo "-- previous query '${pair%%|*}', typed '${pair#*|}'"
    xmr qac suggest -m "$models/aol" --prev "${pair%%|*}" --prefix "${pair#*|}" -k 5
  done
else
  echo "== ../shared/data/aol-sessions not found: skipping auto-completion"
fi

echo "== the models this demo trained are in ${models#"$root"/} (kept after the demo):"
ls -1 "$models" | sed 's/^/   /'
echo "== serve them (JSON API, health, Prometheus metrics, auto-complete page):"
echo "   dotnet $root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll serve --models $models --urls http://127.0.0.1:5080"
echo "   then open http://127.0.0.1:5080/ in a browser, or: curl 'http://127.0.0.1:5080/v1/qac/aol/suggest?prev=nike%20shoes&prefix=ad'"
