using System.Diagnostics;

namespace XmrEngine.Tests.IO;

/// <summary>
/// Runs scripts with the system Python (<c>/usr/bin/python3</c>, deliberately not whatever python3 is first
/// on PATH) when it has NumPy and SciPy; tests call <see cref="RequireOrIgnore"/> to skip otherwise.
/// </summary>
internal static class PythonSciPy
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private static readonly Lazy<string?> WhyUnavailable = new(Probe);

    /// <summary>Skips the test with a clear message unless SciPy can be imported.</summary>
    public static void RequireOrIgnore()
    {
        if (WhyUnavailable.Value is string reason) Assert.Ignore(reason);
    }

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/>; fails the test on a non-zero exit.</summary>
    public static string Run(string script, params string[] args)
    {
        var (exit, stdout, stderr) = Execute(script, args);
        if (exit != 0) Assert.Fail($"Python exited with {exit}.\nstdout:\n{stdout}\nstderr:\n{stderr}");
        return stdout;
    }

    private static string? Probe()
    {
        if (!File.Exists(Python)) return $"{Python} not found; install python3-scipy to run the SciPy interop tests.";
        try
        {
            var (exit, _, stderr) = Execute("import numpy, scipy.sparse", []);
            return exit == 0 ? null : $"SciPy is not importable by {Python} ({stderr.Trim()}); install python3-scipy python3-numpy.";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"{Python} cannot be started ({e.Message}).";
        }
    }

    private static (int Exit, string Stdout, string Stderr) Execute(string script, string[] args)
    {
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (string a in args) info.ArgumentList.Add(a);
        // Keep a pyenv or virtualenv on the developer's PATH from redirecting the system interpreter's imports.
        info.Environment.Remove("PYTHONPATH");
        info.Environment.Remove("PYTHONHOME");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned null.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"Python did not finish within {Timeout}.");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
