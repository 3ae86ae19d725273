using System.Diagnostics;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Kernels;

/// <summary>
/// Runs the xmr command where Intel MKL is installed but cannot be seen: in a private mount namespace (root only,
/// as on CI) where every libmkl_rt file the loader knows of, and the loader's cache, are covered by /dev/null. So the
/// unavailable-MKL path runs on a machine that has MKL.
/// </summary>
internal static class MklHiddenChild
{
    private const string HideAndRun = """
        set -e
        for f in $(/sbin/ldconfig -p | awk '/libmkl_rt\.so/ { print $NF }' | sort -u) /etc/ld.so.cache; do mount --bind /dev/null "$f"; done
        exec "$@"
        """;

    /// <summary>Runs <c>xmr args</c> with MKL hidden; returns the exit code and standard error. Ignores the test where it cannot.</summary>
    public static (int Exit, string Error) RunXmr(params string[] args)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            Assert.Ignore("MKL is installed here; hiding it from a child process takes a private mount namespace, which needs root (CI runs as root).");
        var info = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-m", "--propagation", "private", "sh", "-c", HideAndRun, "sh", "dotnet", XmrCli.Dll() }.Concat(args))
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(XmrCli.Deadline))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"xmr {string.Join(' ', args)} with MKL hidden did not finish.");
        }
        process.WaitForExit();
        _ = stdout.Result;
        if (error.Contains("mount:", StringComparison.Ordinal) || error.Contains("unshare:", StringComparison.Ordinal))
            Assert.Ignore($"cannot hide MKL in a private mount namespace here: {error.Trim()}");
        return (process.ExitCode, error);
    }
}
