#!/usr/bin/env bash
# XmrEngine build script (Linux/macOS). Verbs: build | deps | test | pack [outdir] | publish [outdir] | fuzz TARGET[,TARGET...]|all [seconds] | bench [filter...] | chart [results-dir] [png] | native | demo | clean
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
  deps)
    # What the tests, ./build.sh fuzz and the sample need (scripts/deps.sh): as root on Debian, apt-get installs
    # what is missing (MKL from Debian's non-free component) and a loopback Redis is started.
    bash scripts/deps.sh install
    ;;
  test)
    # First the test dependencies: as root on Debian they are installed and started (./build.sh deps); otherwise
    # a missing one stops here with one line each and the command that installs it. XMR_TEST_WITHOUT_DEPS=1 runs
    # the tests anyway (those that need what is missing are skipped, and the summary says why).
    if [ "${XMR_TEST_WITHOUT_DEPS:-}" = 1 ]; then
      bash scripts/deps.sh start || true
    elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      bash scripts/deps.sh install
    else
      bash scripts/deps.sh start || true
      if ! bash scripts/deps.sh check; then
        echo "test: stopped before testing: the dependencies above are missing." >&2
        echo "test: install them all with: sudo ./build.sh deps   (or run without them: XMR_TEST_WITHOUT_DEPS=1 ./build.sh test)" >&2
        exit 1
      fi
    fi
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
    # CI shows only the tail of the output: name every failed test (with the first lines of its message) last.
    if [ "$failed" -gt 0 ]; then
      echo "failed tests:"
      grep -E -A 6 '^[[:space:]]+Failed [^:]' "$log" | cut -c1-400 || true
    fi
    echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
    # Why tests did not run, one line per distinct reason with its count. The console logger lists each skipped test
    # (and each [Explicit] fixture) as "  Skipped NAME [time]"; the NUnit adapter prints "NAME: REASON" (Assert.Ignore's
    # or Explicit's message) before it.
    if grep -q '^  Skipped ' "$log"; then
      echo "tests not run, by reason (skipped tests, and explicit-only fixtures, which the counts above leave out):"
      awk 'FNR == NR {
             if ($0 ~ /^  Skipped .* \[[^]]*\]$/) { n = $0; sub(/^  Skipped /, "", n); sub(/ \[[^]]*\]$/, "", n); names[n] = 1 }
             next
           }
           {
             rest = $0; at = 0
             while ((i = index(rest, ": ")) > 0) {
               name = substr($0, 1, at + i - 1)
               if (name in names) { print substr($0, at + i + 2); delete names[name]; break }
               at += i + 1; rest = substr(rest, i + 2)
             }
           }' "$log" "$log" | sort | uniq -c | sort -rn | awk '{ n = $1; sub(/^ *[0-9]+ /, ""); print "not run: " n " x " $0 }'
    fi
    rm -f "$log"
    [ "$projects" -gt 0 ] || { echo "no test summary found"; exit 1; }
    exit "$status"
    ;;
  pack)
    # NuGet packages of the libraries (IsPackable=true: XmrEngine with the native library when it builds,
    # .Text, .Apps.ProductRetrieval, .Apps.AutoComplete, .Hosting, .Cluster) into OUTDIR [artifacts/packages].
    out="${1:-artifacts/packages}"
    dotnet pack XmrEngine.sln -c Release -o "$out" "${@:2}"
    ;;
  publish)
    # The xmr command for this machine into OUTDIR [artifacts/xmr]: OUTDIR/xmr compiled to native code (Native AOT,
    # managed/XmrEngine.Cli.Aot), which starts in milliseconds; it hands serve, keys, bench and cluster (ASP.NET Core
    # and Orleans, which do not compile ahead of time) to the JIT-compiled xmr, published ReadyToRun into OUTDIR/jit.
    # Native AOT needs clang or gcc. Run: OUTDIR/xmr (docs/build.md; timings in perf/RESULTS.md, "The cold process").
    out="${1:-artifacts/xmr}"
    rid="$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')"
    dotnet publish managed/XmrEngine.Cli -c Release -r "${rid:-linux-x64}" --self-contained false -p:PublishReadyToRun=true -o "$out/jit" "${@:2}"
    dotnet publish managed/XmrEngine.Cli.Aot -c Release -r "${rid:-linux-x64}" -o "$out" "${@:2}"
    ;;
  fuzz)
    # Coverage-guided fuzzing with AFL++ of one reader, a comma-separated list, or `all`, for SECONDS [60] each: builds
    # tests/XmrEngine.Fuzz once, instruments its copies of the engine's assemblies with SharpFuzz, seeds each target
    # from the engine's own writers, and fails when AFL++ saved a crash or a hang for any target (a reader that threw
    # anything but XmrDataException, ran past 1 s, or outgrew the 512 MiB GC heap cap, which turns into an
    # OutOfMemoryException). Needs afl-fuzz (Debian afl++); the instrumenter is installed from NuGet into artifacts/tools.
    usage="usage: ./build.sh fuzz TARGET[,TARGET...]|all [SECONDS]"
    targets="${1:?$usage}"
    seconds="${2:-60}"
    command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 1; }
    [ -x artifacts/tools/sharpfuzz ] || dotnet tool install --tool-path artifacts/tools SharpFuzz.CommandLine --version 2.3.0 >/dev/null
    build="artifacts/fuzz/build"
    rm -rf "$build" && mkdir -p "$build"
    dotnet build tests/XmrEngine.Fuzz -c Release -v quiet -nologo -o "$build/bin" >/dev/null
    # Seeds come from an uninstrumented copy (instrumented code outside the fuzzer has no coverage map), taken
    # before instrumenting rather than built again.
    cp -r "$build/bin" "$build/seeder"
    for dll in XmrEngine XmrEngine.Text XmrEngine.Apps.AutoComplete XmrEngine.Apps.ProductRetrieval XmrEngine.Hosting; do
      artifacts/tools/sharpfuzz "$build/bin/$dll.dll" >/dev/null
    done
    [ "$targets" = all ] && targets="$(dotnet "$build/seeder/XmrEngine.Fuzz.dll" --list | paste -sd, -)"
    failed=()
    for target in ${targets//,/ }; do
      out="artifacts/fuzz/$target"
      rm -rf "$out" && mkdir -p "$out/scratch"
      dotnet "$build/seeder/XmrEngine.Fuzz.dll" "$target" --seeds "$out/seeds"
      # -m none: the .NET runtime reserves far more address space than it uses, so the memory cap is the GC's heap
      # limit instead. The model-directory targets train a small model before the loop, hence the start-up allowance.
      AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
      AFL_FORKSRV_INIT_TMOUT=60000 DOTNET_GCHeapHardLimit=0x20000000 XMR_FUZZ_SCRATCH="$out/scratch" \
        afl-fuzz -i "$out/seeds" -o "$out/findings" -t 1000 -m none -V "$seconds" -- dotnet "$build/bin/XmrEngine.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 || {
          tail -20 "$out/afl.log" >&2; failed+=("$target"); continue; }
      stats="$out/findings/default/fuzzer_stats"
      value() { awk -v k="$1" '$1 == k { print $3 }' "$stats"; }
      echo "fuzz $target: ${seconds} s, $(value execs_done) executions, $(value corpus_count) corpus entries, $(value edges_found) edges, $(value saved_crashes) crashes, $(value saved_hangs) hangs"
      if [ "$(value saved_crashes)" != "0" ] || [ "$(value saved_hangs)" != "0" ]; then
        echo "findings in $out/findings/default/crashes and hangs; replay one with: dotnet $build/seeder/XmrEngine.Fuzz.dll $target < FILE" >&2
        failed+=("$target")
      fi
    done
    [ ${#failed[@]} -eq 0 ] || { echo "fuzz: findings or errors in: ${failed[*]}" >&2; exit 1; }
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
    echo "usage: ./build.sh build|deps|test|pack [outdir]|publish [outdir]|fuzz TARGET[,TARGET...]|all [seconds]|bench [filter...]|chart [results-dir] [png]|native|demo|clean" >&2
    exit 2
    ;;
esac
