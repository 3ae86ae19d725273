#!/usr/bin/env bash
# PECOS's own text2text CLI test, run with xmr: the commands of test/pecos/apps/text2text/test_text2text.py (test_cli)
# mapped to `xmr text2text`'s, on PECOS's fixture (test/tst-data/apps/text2text), each expectation reported PASS / FAIL /
# NOT MAPPED with the largest difference. Nothing of PECOS is copied: its source tree is read where it lies.
# PECOS's text2text defaults map to xmr text2text flags (xmr's own defaults are the measured product-search ones):
#   --label-embed pifa --item-texts-as-queries false --text-weight 0 --title-candidates 0 --Cp 1 --threshold 0.1
#   (xmr's tree split 16, solver tolerance 0.1, beam 10 and bias 1 are PECOS's already); PECOS predicts its top 20.
# The comparison is PECOS's: each line's items sorted by (-score, item), compared rank by rank over the shorter list,
# item equal and score within a relative 1e-6 (xmr's scores rounded to the 5 significant digits PECOS prints).
# Needs: PECOS_SRC (default ../peers/pecos, built so that `import pecos` works), /usr/bin/python3, and a built xmr
# (XMR=path to xmr or xmr.dll; default the Release build, else the Debug build).
# Usage: perf/pecos_text2text_parity.sh [--keep DIR]   Exit status 0 whatever the parity; 2 when something it needs is absent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pecos_src="${PECOS_SRC:-$root/../peers/pecos}"
py="${PYTHON:-/usr/bin/python3}"
keep=""
if [ "${1:-}" = "--keep" ]; then keep="$2"; fi

fixtures="$pecos_src/test/tst-data/apps/text2text"
if [ ! -d "$fixtures" ]; then echo "PECOS fixtures not found at $fixtures (set PECOS_SRC); nothing to compare." >&2; exit 2; fi
if ! PYTHONPATH="$pecos_src" "$py" -c "import pecos.apps.text2text" 2>/dev/null; then
  echo "python ($py) cannot import pecos.apps.text2text from $pecos_src; build PECOS first." >&2; exit 2
fi
xmr_bin="${XMR:-}"
if [ -z "$xmr_bin" ]; then
  for c in Release Debug; do
    if [ -f "$root/managed/XmrEngine.Cli/bin/$c/net10.0/xmr.dll" ]; then xmr_bin="$root/managed/XmrEngine.Cli/bin/$c/net10.0/xmr.dll"; break; fi
  done
fi
if [ -z "$xmr_bin" ]; then echo "no built xmr (run ./build.sh build, or set XMR)." >&2; exit 2; fi
xmr() { if [[ "$xmr_bin" == *.dll ]]; then dotnet "$xmr_bin" "$@"; else "$xmr_bin" "$@"; fi; }

work="${keep:-$(mktemp -d)}"
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
log="$work/commands.log"
: > "$log"

# xmr's JSON lines ({"results":[{"text","score"}]}) against PECOS's ({"data":[[item, score]]}), as PECOS's test compares.
cat > "$work/parity.py" <<'PY'
import json, sys

def items(line, min_score):
    d = json.loads(line)
    # PECOS prints scores to 5 significant digits; xmr's are rounded the same before comparing.
    pairs = [(r["text"], float(format(r["score"], ".5g"))) for r in d["results"]] if "results" in d else [tuple(p) for p in d["data"]]
    return sorted(((t, s) for t, s in pairs if s >= min_score), key=lambda p: (-p[1], p[0]))

def cmp(got, want, min_score="-inf"):
    g = [items(l, float(min_score)) for l in open(got, encoding="utf-8") if l.strip()]
    w = [items(l, float(min_score)) for l in open(want, encoding="utf-8") if l.strip()]
    if len(g) != len(w):
        print(f"FAIL  {len(g)} lines vs {len(w)}")
        return
    ranks = wrong = 0
    worst = 0.0
    for a, b in zip(g, w):
        for (ta, sa), (tb, sb) in zip(a, b):
            ranks += 1
            if ta != tb: wrong += 1
        shared = dict(b)
        for t, s in a:
            if t in shared: worst = max(worst, abs(s - shared[t]))
    ok = wrong == 0 and all(abs(sa - sb) <= 1e-6 * abs(sb) for a, b in zip(g, w) for (_, sa), (_, sb) in zip(a, b))
    tops = sum(1 for a, b in zip(g, w) if a and b and a[0][0] == b[0][0])
    print(("PASS" if ok else "FAIL") + f"  items differ at {wrong} of {ranks} ranks, top-1 same on {tops} of {len(w)} lines,"
          f" max |score diff| on shared items {worst:.3g}")

def vectors(pecos_model, fixtures, out):
    # PECOS's own vectorizer (from the model PECOS trained) on the fixture: X, Xt and Y as .npz for xmr train / predict.
    import numpy as np, scipy.sparse as sp
    from pecos.utils.featurization.text.preprocess import Preprocessor
    p = Preprocessor.load(pecos_model + "/preprocessor")
    tr = [l.rstrip("\n").split("\t") for l in open(fixtures + "/train.txt", encoding="utf-8")]
    te = [l.rstrip("\n").split("\t")[-1] for l in open(fixtures + "/test.txt", encoding="utf-8")]
    n = sum(1 for _ in open(fixtures + "/query_text.txt", encoding="utf-8"))
    rows = [i for i, (ids, _) in enumerate(tr) for _ in ids.split(",")]
    cols = [int(j) for ids, _ in tr for j in ids.split(",")]
    sp.save_npz(out + "/X.npz", p.predict([t for _, t in tr]).tocsr().astype(np.float32))
    sp.save_npz(out + "/Xt.npz", p.predict(te).tocsr().astype(np.float32))
    sp.save_npz(out + "/Y.npz", sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(tr), n)))
    print(p.predict([t for _, t in tr]).shape[1])

def npz_to_json(npz, items_path, out):
    import scipy.sparse as sp
    names = [l.rstrip("\n") for l in open(items_path, encoding="utf-8")]
    P = sp.load_npz(npz).tocsr()
    with open(out, "w", encoding="utf-8") as f:
        for i in range(P.shape[0]):
            s, e = P.indptr[i], P.indptr[i + 1]
            f.write(json.dumps({"results": [{"text": names[j], "score": float(v)} for j, v in zip(P.indices[s:e], P.data[s:e])]}) + "\n")

if __name__ == "__main__":
    globals()[sys.argv[1]](*sys.argv[2:])
PY
parity() { "$py" "$work/parity.py" "$@"; }

passed=0 failed=0 unmapped=0
report() {  # report NAME RESULT-LINE
  local name="$1" line="$2"
  case "$line" in
    PASS*) passed=$((passed + 1)) ;;
    FAIL*) failed=$((failed + 1)) ;;
    *) unmapped=$((unmapped + 1)) ;;
  esac
  printf '%-74s %s\n' "$name" "$line"
}
check() {  # check NAME GOT WANT [MIN-SCORE]
  if [ ! -s "$2" ]; then report "$1" "FAIL  xmr failed (see $log)"; return; fi
  report "$1" "$(parity cmp "$2" "$3" "${4:--inf}")"
}
run() { echo "+ xmr $*" >> "$log"; xmr "$@" >> "$log" 2>&1 || true; }

F="$fixtures"
pecos_defaults=(--label-embed pifa --item-texts-as-queries false --text-weight 0 --title-candidates 0 --threshold 0.1)
# PECOS predicts on the last tab-separated field of each line; xmr predicts on the whole line.
cut -f2 "$F/test.txt" > "$work/test.queries"
echo "PECOS text2text test_cli mapped to xmr (PECOS $pecos_src, xmr $xmr_bin)"

m="$work/sklearn"
rm -rf "$m" "$work/sklearn.pred"
run text2text train -i "$F/train.txt" -q "$F/query_text.txt" -m "$m" --max-leaf-size 10 "${pecos_defaults[@]}" --Cp 1 \
  --vectorizer-config '{"type":"sklearntfidf","kwargs":{}}'
run text2text predict -i "$work/test.queries" -m "$m" -o "$work/sklearn.pred" --top-k 20
# predict -T 0.001 drops items scoring below 0.001: applied to both sides in the comparison (xmr has no such flag);
# --meta-info-path only copies test.txt's lines into the output, which the expectation does not compare.
check "sklearntfidf, leaf 10; predict -T 0.001 == sklearn_tfidf_true_pred_items" "$work/sklearn.pred" "$F/sklearn_tfidf_true_pred_items.txt" 0.001
report "sklearntfidf; predict --output-to-keep-path query_to_keep_text.txt" "NOT MAPPED  xmr text2text predict has no output constraint"

m="$work/tfidf"
rm -rf "$m" "$work/tfidf.pred" "$work/tfidf.stdin.pred"
run text2text train -i "$F/train.txt" -q "$F/query_text.txt" -m "$m" --max-leaf-size 10 "${pecos_defaults[@]}" --Cp 1 \
  --vectorizer-config '{"type":"tfidf","kwargs":{}}'
run text2text predict -i "$work/test.queries" -m "$m" -o "$work/tfidf.pred" --top-k 20
check "tfidf (PECOS's default), leaf 10; predict == true_pred_items" "$work/tfidf.pred" "$F/true_pred_items.txt"
echo "+ xmr text2text predict -i - (standard input)" >> "$log"
xmr text2text predict -i - -m "$m" -o - --top-k 20 < "$work/test.queries" > "$work/tfidf.stdin.pred" 2>> "$log" || true
check "tfidf; realtime predict (standard input) == true_pred_items" "$work/tfidf.stdin.pred" "$F/true_pred_items.txt"

report "evaluate -p PRED -y truth_items.txt (item texts)" "NOT MAPPED  xmr text2text evaluate scores a model, not a predictions file"
report "evaluate -p PRED -y test.txt -q query_text.txt (item ids)" "NOT MAPPED  xmr text2text evaluate scores a model, not a predictions file"
report "train --workspace-folder twice (exit 0 only)" "NOT MAPPED  xmr text2text keeps no workspace"
report "train --label-embed-type pifa_lf_concat::Z=Z.pifa.npz; predict == true_pred_items" "NOT MAPPED  xmr embeds pifa or pifa+text, no external Z"

# Cost-sensitive: every pair of train_with_rel.txt has relevance 2.0 ('id::2.0'), so induce with no-norm must equal Cp 2.
rm -rf "$work/rel" "$work/cp2" "$work/rel.pred" "$work/cp2.pred"
run text2text train -i "$F/train_with_rel.txt" -q "$F/query_text.txt" -m "$work/rel" "${pecos_defaults[@]}" --Cp 1 \
  --vectorizer-config '{"type":"tfidf","kwargs":{}}' --rel-norm no-norm --rel-mode induce
run text2text predict -i "$work/test.queries" -m "$work/rel" -o "$work/rel.pred" --top-k 20
run text2text train -i "$F/train.txt" -q "$F/query_text.txt" -m "$work/cp2" "${pecos_defaults[@]}" \
  --vectorizer-config '{"type":"tfidf","kwargs":{}}' --Cp 2
run text2text predict -i "$work/test.queries" -m "$work/cp2" -o "$work/cp2.pred" --top-k 20
check "train_with_rel --rel-mode induce --rel-norm no-norm == --Cp 2 (xmr to xmr)" "$work/rel.pred" "$work/cp2.pred"

echo
echo "To tell the vectorizer, the solver and inference apart: PECOS trains text2text on the same command, then xmr predicts"
echo "PECOS's model on PECOS's query vectors, and xmr trains (--preset pecos --max-leaf-size 10) on PECOS's vectors."
d="$work/pecos"
rm -rf "$d"; mkdir -p "$d"
(cd "$pecos_src" && PYTHONPATH="$pecos_src" "$py" -m pecos.apps.text2text.train -i "$F/train.txt" -q "$F/query_text.txt" \
  -m "$d/model" --max-leaf-size 10) >> "$log" 2>&1 || true
if features=$(PYTHONPATH="$pecos_src" "$py" "$work/parity.py" vectors "$d/model" "$F" "$d" 2>> "$log"); then
  echo "PECOS's tfidf has $features features; xmr text2text's: $(grep -o 'items, [0-9]* features' "$log" | sed -n 2p)"
  run predict -x "$d/Xt.npz" -m "$d/model/xlinear_ensemble/0" -o "$d/pecos-model.npz" --top-k 20
  [ -s "$d/pecos-model.npz" ] && parity npz_to_json "$d/pecos-model.npz" "$F/query_text.txt" "$d/pecos-model.pred"
  check "[diagnostic] xmr predict with PECOS's model on PECOS's vectors == true_pred_items" "$d/pecos-model.pred" "$F/true_pred_items.txt"
  run train -x "$d/X.npz" -y "$d/Y.npz" -m "$d/xmr.xmr" --preset pecos --max-leaf-size 10
  run predict -x "$d/Xt.npz" -m "$d/xmr.xmr" -o "$d/xmr-model.npz" --top-k 20
  [ -s "$d/xmr-model.npz" ] && parity npz_to_json "$d/xmr-model.npz" "$F/query_text.txt" "$d/xmr-model.pred"
  check "[diagnostic] xmr train --preset pecos on PECOS's vectors == true_pred_items" "$d/xmr-model.pred" "$F/true_pred_items.txt"
else
  echo "PECOS's own training failed (see $log); no diagnostic."
fi

echo
echo "$passed passed, $failed failed, $unmapped not mapped (commands and xmr output in ${keep:-a temporary folder}/commands.log)"
exit 0
