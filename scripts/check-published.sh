#!/usr/bin/env bash
# Checks a published xmr (./build.sh publish OUTDIR): the native xmr starts, trains and predicts on generated data,
# its predictions are byte-identical to the JIT-compiled companion's, and a verb it hands over (keys) runs in the
# companion. A few seconds. Usage: scripts/check-published.sh [OUTDIR, default artifacts/xmr]
set -euo pipefail
out="$(cd "${1:-artifacts/xmr}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
"$out/xmr" --version >/dev/null
"$out/xmr" info >/dev/null
"$out/xmr" generate xmr -n 600 -d 300 -l 40 --test-instances 200 -o train.txt --test-output test.txt >/dev/null
"$out/xmr" train -x train.txt -m model.xmr >/dev/null 2>&1
"$out/xmr" predict -x test.txt -m model.xmr -o aot.npz >/dev/null
"$out/jit/xmr" predict -x test.txt -m model.xmr -o jit.npz >/dev/null
cmp aot.npz jit.npz || { echo "check-published: the native and JIT-compiled xmr predict differently" >&2; exit 1; }
"$out/xmr" keys --help | grep -q "xmr keys" || { echo "check-published: 'xmr keys' did not run in the companion" >&2; exit 1; }
echo "check-published: $out/xmr starts, trains and predicts (as its JIT companion does), and hands 'keys' over"
