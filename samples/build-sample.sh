#!/usr/bin/env bash
# Packs the libraries, builds samples/XmrEngine.SampleService against those packages (PackageReference from
# the local folder feed, never a project reference) and smoke-tests it on loopback with a small model: a
# broken package (missing dependency, asset, native library) fails here. Exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

feed="$root/artifacts/packages"        # the source samples/nuget.config names
sample="$root/samples/XmrEngine.SampleService"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "build-sample: FAIL: $*" >&2; [ -f "$work/server.log" ] && sed 's/^/  server| /' "$work/server.log" >&2; exit 1; }

version="$(dotnet msbuild managed/XmrEngine/XmrEngine.csproj -getProperty:Version -p:Configuration=Release)"
echo "== pack $version -> $feed"
./build.sh pack "$feed" -v q -nologo
for id in XmrEngine XmrEngine.Text XmrEngine.Apps.ProductRetrieval XmrEngine.Apps.AutoComplete XmrEngine.Hosting XmrEngine.Cluster; do
  [ -f "$feed/$id.$version.nupkg" ] || fail "$feed/$id.$version.nupkg was not produced"
done
core="$feed/XmrEngine.$version.nupkg"
has_native=false
# Listed into a variable first: `unzip | grep -q` under pipefail fails whenever grep quits before unzip is done.
listing="$(unzip -Z1 "$core")"
if grep -qx 'runtimes/linux-x64/native/libxmr_native.so' <<<"$listing"; then has_native=true; fi
echo "   XmrEngine package carries libxmr_native.so: $has_native"

echo "== build the sample against the packages"
# A repack keeps the version, so an XmrEngine.* already extracted in the samples' packages folder would be
# the old build: remove it, and force the restore (its no-op check would trust the previous assets file).
rm -rf "$root"/samples/.packages/xmrengine*
# Likewise the sample's own output: a libxmr_native.so left there by an earlier build must not pass for this one.
rm -rf "$sample/bin" "$sample/obj"
dotnet restore "$sample" --force -p:XmrEngineVersion="$version" -v q -nologo
[ -d "$root/samples/.packages/xmrengine.hosting/$version" ] || fail "XmrEngine.Hosting $version was not restored from $feed"
[ -d "$root/samples/.packages/xmrengine.cluster/$version" ] || fail "XmrEngine.Cluster $version was not restored from $feed"
# The core assembly the sample compiles against must be the one just packed, byte for byte.
packed="$(unzip -p "$core" lib/net10.0/XmrEngine.dll | sha256sum | cut -d' ' -f1)"
restored="$(sha256sum "$root/samples/.packages/xmrengine/$version/lib/net10.0/XmrEngine.dll" | cut -d' ' -f1)"
[ "$packed" = "$restored" ] || fail "the restored XmrEngine.dll is not the packed one (stale package?)"
dotnet build "$sample" -c Release --no-restore -p:XmrEngineVersion="$version" -v q -nologo
out="$sample/bin/Release/net10.0"
[ -f "$out/XmrEngine.SampleService.dll" ] || fail "no sample build output in $out"

echo "== a small model (xmr generate xmr + xmr train)"
dotnet build managed/XmrEngine.Cli/XmrEngine.Cli.csproj -c Release -v q -nologo
xmr() { dotnet "$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll" "$@"; }
mkdir -p "$work/models"
xmr generate xmr -n 400 -d 300 -l 40 --seed 7 -o "$work/train.txt" >/dev/null
xmr train -x "$work/train.txt" -m "$work/models/tiny.xmr" >/dev/null 2>&1 || fail "xmr train failed"

echo "== run the sample on loopback"
# Port 0: Kestrel picks a free port and logs it ("Now listening on: ..."), so parallel runs never collide.
dotnet "$out/XmrEngine.SampleService.dll" --models "$work/models" --urls "http://127.0.0.1:0" >"$work/server.log" 2>&1 &
server_pid=$!
base=""
for _ in $(seq 1 60); do           # at most ~30 s to start
  base="$(grep -m1 -o 'Now listening on: http://127.0.0.1:[0-9]*' "$work/server.log" | sed 's/^Now listening on: //')" || true
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || fail "the sample exited while starting"
  sleep 0.5
done
[ -n "$base" ] || fail "the sample did not start listening within 30 s"
echo "   listening on $base"

get() { curl -sS --max-time 10 -o "$work/body" -w '%{http_code}' "$@" || echo 000; }

code="$(get "$base/healthz")"; [ "$code" = 200 ] || fail "/healthz answered $code"
ready=""
for _ in $(seq 1 60); do           # at most ~30 s for the model to load
  code="$(get "$base/readyz")"; [ "$code" = 200 ] && { ready=1; break; }
  sleep 0.5
done
[ -n "$ready" ] || fail "/readyz never answered 200 (last $code)"

code="$(get "$base/v1/models")"
[ "$code" = 200 ] || fail "GET /v1/models answered $code"
grep -q '"tiny"' "$work/body" || fail "GET /v1/models does not list the model: $(cat "$work/body")"
echo "   GET /v1/models: $(head -c 300 "$work/body")"

code="$(get -X POST -H 'Content-Type: application/json' \
  -d '{"rows":[{"indices":[0,3,17],"values":[0.5,0.5,0.7]}],"topK":3,"beamSize":10}' "$base/v1/xlinear/tiny/predict")"
[ "$code" = 200 ] || fail "POST /v1/xlinear/tiny/predict answered $code: $(cat "$work/body")"
grep -q '"label"' "$work/body" || fail "predict returned no labels: $(cat "$work/body")"
echo "   POST /v1/xlinear/tiny/predict: $(head -c 300 "$work/body")"

code="$(get -X POST -H 'Content-Type: application/json' -d '{"rows":[],"topK":-1}' "$base/v1/xlinear/tiny/predict")"
[ "$code" = 400 ] || fail "a bad predict request answered $code, expected 400"
code="$(get "$base/v1/xlinear/nosuchmodel/predict" -X POST -H 'Content-Type: application/json' -d '{"rows":[{"indices":[0],"values":[1]}]}')"
[ "$code" = 404 ] || fail "an unknown model answered $code, expected 404"

code="$(get "$base/metrics")"; [ "$code" = 200 ] || fail "/metrics answered $code"

# AddClusterModels (the XmrEngine.Cluster package) claims NAME.cluster.json: a cluster file naming a missing model
# directory is listed with an error naming the file and field, while the local model serves on.
printf '{"clusterId": "none", "redis": "127.0.0.1:1", "model": "%s"}' "$work/no-such-sharded-model" >"$work/models/remote.cluster.json"
listed=""
for _ in $(seq 1 40); do           # at most ~20 s for the watcher (or the poll) to notice the file
  code="$(get "$base/v1/models")"
  [ "$code" = 200 ] && grep -q '"remote"' "$work/body" && { listed=1; break; }
  sleep 0.5
done
[ -n "$listed" ] || fail "the sample does not serve NAME.cluster.json (AddClusterModels): $(cat "$work/body")"
grep -q "remote.cluster.json: field 'model': .*no such model directory" "$work/body" \
  || fail "remote.cluster.json is listed without the expected error: $(cat "$work/body")"
echo "   remote.cluster.json listed by the Cluster package's model source, with its error"
code="$(get -X POST -H 'Content-Type: application/json' -d '{"rows":[{"indices":[0],"values":[1]}],"topK":3}' "$base/v1/xlinear/tiny/predict")"
[ "$code" = 200 ] || fail "the local model stopped serving beside a broken cluster file: $code"

native_line="$(grep -m1 -o 'native backend: [a-z]*.*' "$work/server.log")" || fail "the sample did not log whether the native backend loads"
echo "   $native_line"
if [ "$has_native" = true ]; then
  [ -f "$out/runtimes/linux-x64/native/libxmr_native.so" ] || [ -f "$out/libxmr_native.so" ] \
    || fail "the package's libxmr_native.so did not reach the sample's output"
  [[ "$native_line" == "native backend: available"* ]] || fail "the package carries libxmr_native.so but the sample cannot load it: $native_line"
fi

echo "== stop"
kill -TERM "$server_pid"
for _ in $(seq 1 20); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
kill -0 "$server_pid" 2>/dev/null && fail "the sample did not stop within 10 s of SIGTERM"
wait "$server_pid" || true
server_pid=""
echo "build-sample: OK (XmrEngine $version packages, sample built and answered on loopback)"
