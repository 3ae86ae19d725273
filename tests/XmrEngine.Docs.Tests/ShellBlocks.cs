using System.Diagnostics;

namespace XmrEngine.Docs.Tests;

/// <summary>
/// Runs a documented shell block with bash (<c>set -euo pipefail</c>) in a page's work folder, with <c>xmr</c> on
/// PATH as the command built beside the tests (a launcher for <c>dotnet xmr.dll</c>).
/// </summary>
public static class ShellBlocks
{
    /// <summary>The longest one block may run; it is killed and the test fails after that.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    /// <summary>Writes the <c>xmr</c> launcher for <paramref name="xmrDll"/> into <paramref name="binDir"/>.</summary>
    public static void WriteLauncher(string binDir, string xmrDll)
    {
        Directory.CreateDirectory(binDir);
        string launcher = Path.Combine(binDir, "xmr");
        File.WriteAllText(launcher, $"#!/usr/bin/env bash\nexec dotnet '{xmrDll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Runs <paramref name="block"/>; fails the test with its output when it exits non-zero or overruns.</summary>
    public static void Run(DocBlock block, string workDir, string binDir)
    {
        string script = Path.Combine(Path.GetDirectoryName(workDir)!, $"block-{block.Line}.sh");
        File.WriteAllText(script, "set -euo pipefail\n" + block.Code + "\n");
        var info = new ProcessStartInfo("bash", [script])
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PATH"] = binDir + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        info.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Deadline))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{block.Where} did not finish within {Deadline.TotalMinutes} minutes.\n{Tail(stderr.Result)}");
        }
        process.WaitForExit();
        TestContext.Out.WriteLine($"== {block.Where}\n{Tail(stdout.Result)}");
        if (process.ExitCode != 0)
        {
            Assert.Fail($"{block.Where} exited with {process.ExitCode} in {workDir}.\nstdout:\n{Tail(stdout.Result)}\nstderr:\n{Tail(stderr.Result)}");
        }
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "..." + text[^4000..];
}
