#!/usr/bin/env bash
# XmrEngine build script (Linux/macOS). Verbs: build | test | pack [outdir] | publish [outdir] | bench [filter...] | chart [results-dir] [png] | native | demo | clean
# Same verbs as build.ps1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
verb="${1:-build}"
shift || true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

xmr() { dotnet "$root/managed/XmrEngine.Cli/bin/Release/net10.0/xmr.dll" "$@"; }

case "$verb" in
  build)
    dotnet build XmrEngine.sln -c Release "$@"
    ;;
  native)
    cmake -S native -B artifacts/native -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_LIBRARY_OUTPUT_DIRECTORY="$root/artifacts/native/lib" "$@"
    cmake --build artifacts/native -j 2
    ;;
  test)
    # Every test project of the solution (core, text, apps, CLI); each prints its own "Total tests:" block.
    log="$(mktemp)"
    set +e
    dotnet test XmrEngine.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    set -e
    # One plain summary line that any CI reads: "tests: N passed, N failed, N skipped", summed over the
    # projects' "Total tests:" blocks (each followed by "Passed: N", and "Failed: N" / "Skipped: N" when non-zero).
    sum() { awk -v key="$1:" '$1 == key && NF == 2 && $2 ~ /^[0-9]+$/ { s += $2 } END { print s + 0 }' "$log"; }
    passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
    projects=$(awk '/^Total tests: / { n++ } END { print n + 0 }' "$log")
    rm -f "$log"
    echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
    [ "$projects" -gt 0 ] || { echo "no test summary found"; exit 1; }
    exit "$status"
    ;;
  pack)
    # NuGet packages of the libraries (IsPackable=true: XmrEngine with the native library when it builds,
    # .Text, .Apps.ProductRetrieval, .Apps.AutoComplete, .Hosting) into OUTDIR [artifacts/packages].
    out="${1:-artifacts/packages}"
    dotnet pack XmrEngine.sln -c Release -o "$out" "${@:2}"
    ;;
  publish)
    # The xmr command compiled ahead of time (ReadyToRun) for this machine's runtime into OUTDIR [artifacts/xmr]:
    # start-up drops from ~0.34 s to ~0.21 s for a Bibtex predict (perf/RESULTS.md). Run: dotnet OUTDIR/xmr.dll
    out="${1:-artifacts/xmr}"
    rid="$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')"
    dotnet publish managed/XmrEngine.Cli -c Release -r "${rid:-linux-x64}" --self-contained false -p:PublishReadyToRun=true -o "$out" "${@:2}"
    ;;
  bench)
    filter="${1:-*}"
    dotnet run -c Release --project perf/XmrEngine.Benchmarks -- --filter "$filter" "${@:2}"
    ;;
  chart)
    # Draws BenchmarkDotNet's CSV reports (default BenchmarkDotNet.Artifacts/results) as one PNG (default perf/backends.png).
    dotnet run -c Release --project perf/XmrEngine.PerfChart -- "${1:-BenchmarkDotNet.Artifacts/results}" "${2:-perf/backends.png}" "${@:3}"
    ;;
  demo)
    # The build's own output stays visible: a compile error must not be swallowed, and the first minute is not silent.
    echo "== building (Release)"
    dotnet build XmrEngine.sln -c Release -v minimal -nologo
    exec bash "$root/perf/demo.sh"
    ;;
  clean)
    rm -rf artifacts BenchmarkDotNet.Artifacts
    dotnet clean XmrEngine.sln -v quiet
    ;;
  *)
    echo "usage: ./build.sh build|test|pack [outdir]|publish [outdir]|bench [filter...]|chart [results-dir] [png]|native|demo|clean" >&2
    exit 2
    ;;
esac
