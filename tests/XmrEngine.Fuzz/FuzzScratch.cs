namespace XmrEngine.Fuzz;

/// <summary>
/// Where targets whose reader takes a path put the fuzzer's bytes: a folder of this process's own, under
/// <c>XMR_FUZZ_SCRATCH</c> when set (<c>./build.sh fuzz</c> points it into the run's output, so processes the
/// fuzzer kills leave nothing in the system temp folder) or else the temp folder, removed when the process exits.
/// </summary>
internal static class FuzzScratch
{
    private static readonly Lazy<string> Root = new(() =>
    {
        string parent = Environment.GetEnvironmentVariable("XMR_FUZZ_SCRATCH") is { Length: > 0 } set ? set : Path.GetTempPath();
        string root = Path.Combine(parent, $"xmr-fuzz-{Environment.ProcessId}");
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
        return root;
    });

    /// <summary>A path inside this process's scratch folder (the folder exists; the file may not).</summary>
    public static string PathOf(string name) => Path.Combine(Root.Value, name);

    /// <summary>Writes <paramref name="input"/> to the scratch file <paramref name="name"/> and runs <paramref name="read"/> on its path.</summary>
    public static void WithFile(string name, byte[] input, Action<string> read)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, input);
        try
        {
            read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void TryDelete(string root)
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort at exit; the next run of the same process id removes it first.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
