#!/usr/bin/env bash
# PECOS's own XR-Linear CLI test, run with xmr: the commands of test/pecos/xmc/xlinear/test_xlinear.py (test_cli and
# test_cost_sensitive) mapped to xmr's, on PECOS's fixtures, each expectation reported PASS / FAIL / NOT MAPPED with the
# largest difference. Nothing of PECOS is copied: its source tree is read where it lies.
#   xmr trains with --preset pecos, which reproduces PECOS's tree and solver (docs/cli.md, "Coming from PECOS"): every
#   mapped expectation is expected to pass.
#   Also, to tell inference from training apart: xmr predicting with the models PECOS itself trains on the same commands,
#   and xmr training on the trees PECOS builds.
# Needs: PECOS_SRC (default ../peers/pecos, built so that `import pecos` works), /usr/bin/python3 with NumPy and SciPy,
# and a built xmr (XMR=path to xmr or xmr.dll; default the Release build, else the Debug build).
# Usage: perf/pecos_cli_parity.sh [--keep DIR]   Exit status 0 whatever the parity; 2 when something it needs is absent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pecos_src="${PECOS_SRC:-$root/../peers/pecos}"
py="${PYTHON:-/usr/bin/python3}"
keep=""
if [ "${1:-}" = "--keep" ]; then keep="$2"; fi

fixtures="$pecos_src/test/tst-data/xmc/xlinear"
if [ ! -d "$fixtures" ]; then echo "PECOS fixtures not found at $fixtures (set PECOS_SRC); nothing to compare." >&2; exit 2; fi
if ! PYTHONPATH="$pecos_src" "$py" -c "import numpy, scipy, pecos.xmc.xlinear" 2>/dev/null; then
  echo "python ($py) cannot import numpy, scipy and pecos from $pecos_src; build PECOS first." >&2; exit 2
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

# The comparisons, PECOS's way: dense matrices equal to approx(abs=tol), the evaluate text byte for byte.
cat > "$work/parity.py" <<'PY'
import sys, numpy as np, scipy.sparse as sp

def load(path):
    return sp.load_npz(path).tocsr()

def cmp(kind, a, b, tol="1e-6"):
    tol = float(tol)
    if kind == "dense":
        A, B = load(a), load(b)
        if A.shape != B.shape:
            print(f"FAIL  shape {A.shape} vs {B.shape}")
            return
        d = abs(A - B)
        worst = d.max() if d.nnz else 0.0
        print(("PASS" if worst <= tol else "FAIL") + f"  max |diff| {worst:.3g} (tolerance {tol:g})")
    elif kind == "text":
        got, want = open(a, "rb").read(), open(b, "rb").read()
        print("PASS  identical bytes" if got == want else f"FAIL  got {got!r}")

def dense_npy(src, dst):
    np.save(dst, load(src).toarray(), allow_pickle=False)

def relevance(y, factor, dst):
    Y = load(y)
    R = Y.copy(); R.data[:] = factor
    sp.save_npz(dst, R)

if __name__ == "__main__":
    globals()[sys.argv[1]](*sys.argv[2:])
PY
parity() { "$py" "$work/parity.py" "$@"; }
pecos_tree() { PYTHONPATH="$pecos_src" "$py" -c "
import sys, scipy.sparse as sp
from pecos.xmc import Indexer, LabelEmbeddingFactory
from pecos.xmc.xlinear import XLinearModel as xlm
X, Y = xlm.load_feature_matrix(sys.argv[1]), xlm.load_label_matrix(sys.argv[2])
chain = Indexer.gen(LabelEmbeddingFactory.create(Y, X, method='pifa'), max_leaf_size=int(sys.argv[3]))
chain.save(sys.argv[4])
sp.save_npz(sys.argv[5], chain[-1])" "$@"; }
pecos() { (cd "$work" && PYTHONPATH="$pecos_src" "$py" -m "$@") >> "$log" 2>&1; }

passed=0 failed=0 unmapped=0 worst_pass=0
report() {  # report NAME RESULT-LINE
  local name="$1" line="$2"
  case "$line" in
    PASS*) passed=$((passed + 1))
      if [[ "$line" =~ max\ \|diff\|\ ([^ ]+) ]]; then
        worst_pass="$(awk -v a="$worst_pass" -v b="${BASH_REMATCH[1]}" 'BEGIN { print (b + 0 > a + 0) ? b : a }')"
      fi ;;
    FAIL*) failed=$((failed + 1)) ;;
    *) unmapped=$((unmapped + 1)) ;;
  esac
  printf '%-78s %s\n' "$name" "$line"
}
# check NAME KIND GOT WANT [TOL]: runs the comparison when the xmr step before it produced GOT.
check() {
  local name="$1" kind="$2" got="$3" want="$4" tol="${5:-1e-6}"
  if [ ! -s "$got" ]; then report "$name" "FAIL  xmr failed (see $log)"; return; fi
  report "$name" "$(parity cmp "$kind" "$got" "$want" "$tol")"
}
run() { echo "+ xmr $*" >> "$log"; xmr "$@" >> "$log" 2>&1 || true; }

X="$fixtures/X.npz" Y="$fixtures/Y.npz" Xt="$fixtures/Xt.npz" Yt="$fixtures/Yt.npz"
parity dense_npy "$X" "$work/X.trn.npy"
parity dense_npy "$Xt" "$work/X.tst.npy"
printf '==== evaluation results ====\nprec   = 100.00 50.00 33.33 25.00 20.00 16.67 14.29 12.50 11.11 10.00\nrecall = 100.00 100.00 100.00 100.00 100.00 100.00 100.00 100.00 100.00 100.00\n' > "$work/evaluate.expected"

echo "PECOS test_cli mapped to xmr (PECOS $pecos_src, xmr $xmr_bin)"
for input in sparse dense; do
  if [ "$input" = sparse ]; then trn="$X" tst="$Xt"; else trn="$work/X.trn.npy" tst="$work/X.tst.npy"; fi
  m="$work/$input"
  mkdir -p "$m"
  rm -f "$m"/*.npz "$m"/*.xmr
  # PECOS's defaults are xmr's pecos preset; PECOS predicts its top 20.
  run train -x "$trn" -y "$Y" -m "$m/model.xmr" --preset pecos --max-leaf-size 10
  run predict -x "$tst" -m "$m/model.xmr" -o "$m/pred.npz" --top-k 20
  check "[$input] train --max-leaf-size 10, predict == Yt_pred.npz" dense "$m/pred.npz" "$fixtures/Yt_pred.npz"
  run predict -x "$tst" -m "$m/model.xmr" -so "$fixtures/Yt_pred.npz" -o "$m/so.npz"
  check "[$input] select inference (-so Yt_pred.npz) == Yt_pred.npz" dense "$m/so.npz" "$fixtures/Yt_pred.npz"
  xmr evaluate -y "$Yt" -p "$fixtures/Yt_pred.npz" --format pecos > "$m/evaluate.txt" 2>> "$log" || true
  check "[$input] evaluate -y Yt.npz -p Yt_pred.npz (stdout)" text "$m/evaluate.txt" "$work/evaluate.expected"

  # Training with existing clustering: PECOS's own tree (PIFA, max leaf 10), as a folder and as the last code matrix.
  rm -rf "$m/cluster_chain"
  pecos_tree "$trn" "$Y" 10 "$m/cluster_chain" "$m/codes.npz" >> "$log" 2>&1 || true
  run train -x "$trn" -y "$Y" -c "$m/cluster_chain" -m "$m/chain.xmr" --preset pecos
  run predict -x "$tst" -m "$m/chain.xmr" -o "$m/chain-pred.npz" --top-k 20
  check "[$input] train -c cluster_chain folder, predict == Yt_pred.npz" dense "$m/chain-pred.npz" "$fixtures/Yt_pred.npz"
  run train -x "$trn" -y "$Y" -c "$m/codes.npz" -m "$m/codes.xmr" --preset pecos
  run predict -x "$tst" -m "$m/codes.xmr" -o "$m/codes-pred.npz" --top-k 20
  check "[$input] train -c codes.npz, predict == Yt_pred.npz" dense "$m/codes-pred.npz" "$fixtures/Yt_pred.npz"
  run predict -x "$tst" -m "$m/codes.xmr" -so "$fixtures/Yt_pred.npz" -o "$m/codes-so.npz"
  check "[$input] train -c codes.npz, select inference == Yt_pred.npz" dense "$m/codes-so.npz" "$fixtures/Yt_pred.npz"
  report "[$input] train -c codes.npz -um M.npz -uy Y.npz (user-supplied negatives)" "NOT MAPPED  xmr has no user-supplied negatives"

  # Matcher-aware negatives: PECOS mines with beam 2 and noop scores, then predicts with sigmoid and beam 4.
  run train -x "$trn" -y "$Y" -m "$m/man.xmr" --preset pecos --max-leaf-size 10 --negatives tfn+man --beam-size 2 --man-post-processor noop
  run predict -x "$tst" -m "$m/man.xmr" -o "$m/man-pred.npz" --top-k 20 --post-processor sigmoid --beam-size 4
  check "[$input] train -ns tfn+man -b 2 -pp noop, predict -pp sigmoid -b 4" dense "$m/man-pred.npz" "$fixtures/Yt_pred_with_tfn+man.npz"
  run predict -x "$tst" -m "$m/man.xmr" -so "$fixtures/Yt_pred_with_tfn+man.npz" -o "$m/man-so.npz" --post-processor sigmoid
  check "[$input] tfn+man, select inference -pp sigmoid" dense "$m/man-so.npz" "$fixtures/Yt_pred_with_tfn+man.npz"

  for s in 2 4; do
    run train -x "$trn" -y "$Y" -m "$m/splits$s.xmr" --preset pecos --nr-splits "$s" --max-leaf-size 2
    run predict -x "$tst" -m "$m/splits$s.xmr" -o "$m/splits$s-pred.npz" --top-k 20
    check "[$input] --nr-splits $s --max-leaf-size 2, predict == P_nr_splits=$s.npz" dense "$m/splits$s-pred.npz" "$fixtures/P_nr_splits=$s.npz"
    run predict -x "$tst" -m "$m/splits$s.xmr" -so "$fixtures/P_nr_splits=$s.npz" -o "$m/splits$s-so.npz"
    check "[$input] --nr-splits $s, select inference" dense "$m/splits$s-so.npz" "$fixtures/P_nr_splits=$s.npz"
  done
done

echo
echo "test_cost_sensitive mapped to xmr"
m="$work/cost"
mkdir -p "$m"
parity relevance "$Y" 2 "$m/R.npz"
run train -x "$X" -y "$Y" -m "$m/cp2.xmr" --preset pecos --max-leaf-size 2 --Cp 2
run train -x "$X" -y "$Y" -m "$m/r2.xmr" --preset pecos --max-leaf-size 2 -r "$m/R.npz" --rel-norm no-norm --rel-mode induce
run predict -x "$Xt" -m "$m/cp2.xmr" -o "$m/cp2.npz" --top-k 20
run predict -x "$Xt" -m "$m/r2.xmr" -o "$m/r2.npz" --top-k 20
check "xmr: Cp 2 == Cp 1 with R = 2Y (induce, no-norm), predictions" dense "$m/r2.npz" "$m/cp2.npz" 1e-9
pecos pecos.xmc.xlinear.train -x "$X" -y "$Y" -m "$m/pecos-r2" -r "$m/R.npz" --max-leaf-size 2 --rel-norm no-norm --rel-mode induce || true
run predict -x "$Xt" -m "$m/pecos-r2" -o "$m/pecos-r2.npz" --top-k 20
check "xmr -r model vs PECOS -r model, predictions" dense "$m/r2.npz" "$m/pecos-r2.npz"

echo
echo "Inference alone: xmr predicting with the models PECOS trains on test_cli's commands (sparse input)"
m="$work/pecos-models"
mkdir -p "$m"
pecos pecos.xmc.xlinear.train -x "$X" -y "$Y" -m "$m/default" --max-leaf-size 10 || true
pecos pecos.xmc.xlinear.predict -x "$Xt" -m "$m/default" -o "$m/default-pecos.npz" || true
run predict -x "$Xt" -m "$m/default" -o "$m/default-xmr.npz" --top-k 20
check "PECOS-trained default model: xmr predict == PECOS predict" dense "$m/default-xmr.npz" "$m/default-pecos.npz"
check "PECOS-trained default model: xmr predict == Yt_pred.npz" dense "$m/default-xmr.npz" "$fixtures/Yt_pred.npz"
run predict -x "$Xt" -m "$m/default" -so "$fixtures/Yt_pred.npz" -o "$m/default-so.npz"
check "PECOS-trained default model: xmr -so Yt_pred.npz == Yt_pred.npz" dense "$m/default-so.npz" "$fixtures/Yt_pred.npz"
pecos pecos.xmc.xlinear.train -x "$X" -y "$Y" -m "$m/man" --max-leaf-size 10 -pp noop -b 2 -ns tfn+man || true
run predict -x "$Xt" -m "$m/man" -o "$m/man-xmr.npz" --top-k 20 --post-processor sigmoid --beam-size 4
check "PECOS-trained tfn+man model: xmr predict -pp sigmoid -b 4 == Yt_pred_with_tfn+man.npz" dense "$m/man-xmr.npz" "$fixtures/Yt_pred_with_tfn+man.npz"
run predict -x "$Xt" -m "$m/man" -so "$fixtures/Yt_pred_with_tfn+man.npz" -o "$m/man-so.npz" --post-processor sigmoid
check "PECOS-trained tfn+man model: xmr -so -pp sigmoid" dense "$m/man-so.npz" "$fixtures/Yt_pred_with_tfn+man.npz"
for s in 2 4; do
  pecos pecos.xmc.xlinear.train -x "$X" -y "$Y" -m "$m/splits$s" --nr-splits "$s" --max-leaf-size 2 || true
  run predict -x "$Xt" -m "$m/splits$s" -o "$m/splits$s-xmr.npz" --top-k 20
  check "PECOS-trained --nr-splits $s model: xmr predict == P_nr_splits=$s.npz" dense "$m/splits$s-xmr.npz" "$fixtures/P_nr_splits=$s.npz"
  run predict -x "$Xt" -m "$m/splits$s" -so "$fixtures/P_nr_splits=$s.npz" -o "$m/splits$s-so.npz"
  check "PECOS-trained --nr-splits $s model: xmr -so" dense "$m/splits$s-so.npz" "$fixtures/P_nr_splits=$s.npz"
done

echo
echo "Training on PECOS's tree: xmr's solver alone (sparse input)"
run predict -x "$Xt" -m "$work/sparse/chain.xmr" -o "$m/chain-xmr.npz" --top-k 20
pecos pecos.xmc.xlinear.train -x "$X" -y "$Y" -c "$work/sparse/cluster_chain" -m "$m/chain" || true
pecos pecos.xmc.xlinear.predict -x "$Xt" -m "$m/chain" -o "$m/chain-pecos.npz" || true
check "xmr train -c PECOS's tree vs PECOS train -c the same tree, predictions" dense "$m/chain-xmr.npz" "$m/chain-pecos.npz"

echo
echo "largest difference among the passed comparisons: $worst_pass"
echo "passed $passed, failed $failed, not mapped $unmapped (commands and their output: $log${keep:+; files kept in $work})"
