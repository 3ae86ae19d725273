#if !XMR_AOT
using System.Collections;
using System.Runtime.InteropServices;

namespace XmrEngine.Cli;

/// <summary>
/// Runs <c>xmr serve</c> and the cluster's silos with the garbage collector set for serving rather than for training.
/// The command's runtime configuration asks the GC to conserve memory (GCConserveMemory 9: compact the large-object
/// heap), which keeps training's peak memory down but makes every model load in a server set off several blocking
/// full collections: measured on the AOL auto-complete model, 57 MB allocated per reload cost 90 ms of paused
/// queries with it and 12 ms without. GC settings are read once at process start, so a serving verb started
/// without an explicit setting replaces its own process (same id, arguments and environment) with one that has
/// <c>DOTNET_GCConserveMemory=0</c>. A setting of the user's (either spelling) is kept as it is.
/// </summary>
internal static partial class ServingGcSettings
{
    private const string Variable = "DOTNET_GCConserveMemory";

    /// <summary>
    /// When <paramref name="args"/> starts a long-running server and the setting is not there yet, replaces this
    /// process; returns only when it did not (other verbs, the setting already present, or a platform without exec).
    /// </summary>
    public static void ApplyBeforeServing(string[] args)
    {
        if (!IsServing(args) || !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return;
        if (Environment.GetEnvironmentVariable(Variable) is not null || Environment.GetEnvironmentVariable("COMPlus_GCConserveMemory") is not null) return;
        string? host = Environment.ProcessPath;
        string entry = Environment.GetCommandLineArgs()[0];
        if (host is null || !File.Exists(host)) return;
        // `dotnet xmr.dll serve ...` is the host plus the assembly; the xmr apphost is the whole command.
        bool viaDotnet = Path.GetFileNameWithoutExtension(host) == "dotnet";
        string?[] argv = viaDotnet ? [host, entry, .. args, null] : [host, .. args, null];
        var environment = new List<string?>();
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) environment.Add($"{e.Key}={e.Value}");
        environment.Add($"{Variable}=0");
        environment.Add(null);
        Exec(host, argv, [.. environment]);
        // execve returned: the process could not be replaced; serve with the settings it has rather than fail.
    }

    private static bool IsServing(string[] args) =>
        args.Length > 0 && (args[0] == "serve" || (args[0] == "cluster" && args.Length > 1 && args[1] == "silo"));

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Exec(string path, string?[] argv, string?[] envp);
}
#endif
