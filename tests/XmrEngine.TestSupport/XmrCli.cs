using System.Diagnostics;

namespace XmrEngine.Tests.Support;

/// <summary>
/// Runs the built command-line tool (<c>dotnet xmr.dll</c>, from the CLI project's output for the same
/// configuration as the tests) as a child process, so tests can kill a real process mid-work.
/// </summary>
public static class XmrCli
{
    /// <summary>The longest any child may run; a child still alive then is killed and the test fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>The path of xmr.dll; the test is ignored (with the reason) when the CLI has not been built.</summary>
    public static string Dll()
    {
        // tests/XmrEngine.Tests/bin/<Configuration>/<tfm>/
        var testDir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        string tfm = testDir.Name, configuration = testDir.Parent!.Name;
        string root = testDir.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        string dll = Path.Combine(root, "managed", "XmrEngine.Cli", "bin", configuration, tfm, "xmr.dll");
        if (!File.Exists(dll)) Assert.Ignore($"{dll} is missing; build the solution first.");
        return dll;
    }

    /// <summary>Starts <c>dotnet xmr.dll args</c>, optionally under a wrapper such as strace (given first in <paramref name="wrapper"/>).</summary>
    public static Process Start(IEnumerable<string> args, params string[] wrapper) => Start(args, null, wrapper);

    /// <summary>As <see cref="Start(IEnumerable{string}, string[])"/>, with environment variables set for the child (null value: removed).</summary>
    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment, params string[] wrapper)
    {
        var info = new ProcessStartInfo(wrapper.Length > 0 ? wrapper[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        foreach (string a in wrapper.Skip(1)) info.ArgumentList.Add(a);
        if (wrapper.Length > 0) info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(Dll());
        foreach (string a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        // Drain both pipes so a chatty child never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Starts <c>dotnet xmr.dll args</c> keeping everything it prints; <paramref name="output"/> returns stdout then stderr
    /// so far. With <paramref name="standardInput"/>, the child reads that text from a redirected standard input, then its end.
    /// </summary>
    public static Process StartCapturing(IEnumerable<string> args, out Func<string> output, string? standardInput = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = standardInput is not null, UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll());
        foreach (string a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }
        output = () =>
        {
            // The asynchronous readers deliver the last lines only after the exit is observed.
            if (process.HasExited) process.WaitForExit();
            lock (stdout) lock (stderr) return $"--- stdout\n{stdout}--- stderr\n{stderr}";
        };
        return process;
    }

    /// <summary>Waits for the child within <see cref="Deadline"/>; kills it and fails the test if it overruns.</summary>
    public static int WaitForExit(Process process)
    {
        if (!process.WaitForExit(Deadline))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the child process ran longer than {Deadline}");
        }
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Runs <c>dotnet xmr.dll args</c> to the end (within <see cref="Deadline"/>); the exit code and stdout then stderr.</summary>
    public static (int Exit, string Output) Run(params string[] args)
    {
        using var process = StartCapturing(args, out var output);
        int exit = WaitForExit(process);
        return (exit, output());
    }
}
