# XmrEngine build script (Windows/PowerShell). Verbs: build | test | pack [outdir] | publish [outdir] | bench [filter...] | chart [results-dir] [png] | native | demo | clean
# Same verbs as build.sh.
param(
    [Parameter(Position = 0)][ValidateSet('build', 'test', 'pack', 'publish', 'bench', 'chart', 'native', 'demo', 'clean')][string]$Verb = 'build',
    [Parameter(Position = 1, ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

switch ($Verb) {
    'build' { dotnet build XmrEngine.sln -c Release @Rest; exit $LASTEXITCODE }
    'native' {
        cmake -S native -B artifacts/native -DCMAKE_BUILD_TYPE=Release "-DCMAKE_RUNTIME_OUTPUT_DIRECTORY=$PSScriptRoot/artifacts/native/lib" "-DCMAKE_LIBRARY_OUTPUT_DIRECTORY=$PSScriptRoot/artifacts/native/lib" @Rest
        cmake --build artifacts/native --config Release
        exit $LASTEXITCODE
    }
    'test' {
        dotnet test XmrEngine.sln -c Release --logger "console;verbosity=normal" @Rest
        exit $LASTEXITCODE
    }
    'publish' {
        # OUTDIR/xmr compiled to native code (Native AOT; needs the C++ build tools), handing serve, keys, bench and cluster
        # to the JIT-compiled xmr published ReadyToRun into OUTDIR/jit; same as build.sh (docs/build.md).
        $out = if ($Rest.Count -gt 0) { $Rest[0] } else { 'artifacts/xmr' }
        $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
        dotnet publish managed/XmrEngine.Cli -c Release -r $rid --self-contained false -p:PublishReadyToRun=true -o (Join-Path $out 'jit')
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
        dotnet publish managed/XmrEngine.Cli.Aot -c Release -r $rid -o $out
    }
    'pack' {
        # NuGet packages of the libraries (IsPackable=true) into OUTDIR [artifacts/packages].
        $out = if ($Rest.Count -gt 0) { $Rest[0] } else { 'artifacts/packages' }
        $more = if ($Rest.Count -gt 1) { $Rest[1..($Rest.Count - 1)] } else { @() }
        dotnet pack XmrEngine.sln -c Release -o $out @more
        exit $LASTEXITCODE
    }
    'bench' {
        $filters = if ($Rest.Count -gt 0) { $Rest } else { @('*') }
        dotnet run -c Release --project perf/XmrEngine.Benchmarks -- --filter @filters
        exit $LASTEXITCODE
    }
    'chart' {
        $results = if ($Rest.Count -gt 0) { $Rest[0] } else { 'BenchmarkDotNet.Artifacts/results' }
        $png = if ($Rest.Count -gt 1) { $Rest[1] } else { 'perf/backends.png' }
        dotnet run -c Release --project perf/XmrEngine.PerfChart -- $results $png
        exit $LASTEXITCODE
    }
    'demo' {
        Write-Host '== building (Release)'
        dotnet build XmrEngine.sln -c Release -v minimal -nologo
        if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
        & bash perf/demo.sh
        exit $LASTEXITCODE
    }
    'clean' {
        Remove-Item -Recurse -Force artifacts, BenchmarkDotNet.Artifacts -ErrorAction SilentlyContinue
        dotnet clean XmrEngine.sln -v quiet
    }
}
