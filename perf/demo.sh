#!/usr/bin/env bash
# The main job: an end-to-end XR-Linear run on real data (../shared/data/bibtex), or on generated data
# when the shared folder is absent. Called by `./build.sh demo` after a Release build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
xmr() { dotnet "$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll" "$@"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
data="$root/../shared/data/bibtex"

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
echo "== xmr train (PECOS defaults: nr-splits 16, max-leaf-size 100, l2-hinge, threshold 0.1)"
xmr train -x "$train" -m "$work/model.xmr"
echo "== xmr tree"
xmr tree -m "$work/model.xmr"
echo "== xmr predict + evaluate"
xmr predict -x "$test" -m "$work/model.xmr" -o "$work/pred.npz"
xmr evaluate -y "$test" -p "$work/pred.npz" -k 5
echo "== xmr bench xlinear"
xmr bench xlinear -i "$train" -t "$test"
