#if XMR_AOT
using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace XmrEngine.Cli;

/// <summary>
/// The verbs the ahead-of-time compiled <c>xmr</c> hands to its JIT-compiled companion: those built on ASP.NET Core
/// (<c>serve</c>, <c>keys</c>, <c>bench</c>, whose <c>bench serve</c> serves over HTTP) and on Orleans (<c>cluster</c>),
/// which Native AOT does not compile (docs/build.md). The companion is the ordinary <c>xmr</c>, published ReadyToRun
/// into <c>jit/</c> beside this executable; the command line goes to it unchanged and it replaces this process, so
/// its output, exit code and signals are the user's. These verbs run long (a server, a silo, a benchmark), so the
/// companion's slower start does not matter for them.
/// </summary>
internal static partial class Companion
{
    private static readonly (string Name, string Description)[] Verbs =
    [
        ("bench", "Whole-pipeline benchmarks."),
        ("serve", "Serve the models of a folder over HTTP (JSON API, OpenAPI document, health, metrics, auto-complete page)."),
        ("keys", "API keys for `xmr serve`."),
        ("cluster", "Serve a sharded model (xmr shard) on a Microsoft Orleans cluster: silos host the shards and run subtree training jobs, a client routes the beam search or coordinates training."),
    ];

    /// <summary>Whether <paramref name="args"/> names a verb the companion runs.</summary>
    public static bool Handles(string[] args) => args.Length > 0 && Verbs.Any(v => v.Name == args[0]);

    /// <summary>The verb's entry in <c>xmr --help</c>; running it is <see cref="Run"/>'s job, before parsing.</summary>
    public static Command Stub(string name)
    {
        var command = new Command(name, Verbs.Single(v => v.Name == name).Description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(_ => Run([name]));
        return command;
    }

    /// <summary>Runs the command line in the companion; returns its exit code where the process cannot be replaced.</summary>
    public static int Run(string[] args)
    {
        try
        {
            return Replace(args);
        }
        catch (IOException e)
        {
            CliConsole.ErrWriter.WriteLine($"error: {e.Message}");
            return CliRunner.UserError;
        }
    }

    private static int Replace(string[] args)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "jit", OperatingSystem.IsWindows() ? "xmr.exe" : "xmr");
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"'xmr {args[0]}' runs in the JIT-compiled companion '{path}', which is missing: publish with ./build.sh publish, which puts it there.", path);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            string?[] argv = [path, .. args, null];
            Exec(path, argv);
            throw new IOException($"could not run '{path}' (errno {Marshal.GetLastPInvokeError()}).");
        }
        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    [LibraryImport("libc", EntryPoint = "execv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Exec(string path, string?[] argv);
}
#endif
