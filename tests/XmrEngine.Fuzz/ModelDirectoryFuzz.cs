namespace XmrEngine.Fuzz;

/// <summary>
/// Fuzzes a model that is a directory of files (PECOS, QAC, product retrieval): a valid model is built once per
/// process, and each input replaces one of its files. The first input byte picks the file (modulo the number of
/// files, in ordinal path order), the rest is that file's new content; after the load the original file is put back.
/// The seeds are every file of the valid model, each behind its own selector byte.
/// </summary>
/// <param name="name">Names the model folder inside the scratch folder.</param>
/// <param name="build">Writes a complete valid model into the (not yet existing) folder it is given, by the engine's own code.</param>
/// <param name="fileRoot">The folder whose files are fuzzed, relative to the model folder's resolved version
/// (given the model folder); for a versioned model also the pointer file is one of them.</param>
internal sealed class ModelDirectoryFuzz(string name, Action<string> build, Func<string, string> fileRoot)
{
    private readonly Lazy<(string Model, string[] Files, byte[][] Originals)> _template = new(() =>
    {
        string model = FuzzScratch.PathOf(name);
        build(model);
        string root = fileRoot(model);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(model, "CURRENT"))
            .Distinct()
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return (model, files, files.Select(File.ReadAllBytes).ToArray());
    });

    /// <summary>The model folder to load (built on first use).</summary>
    public string Model => _template.Value.Model;

    /// <summary>Builds the valid model now, outside the fuzzer's time limit.</summary>
    public void Prepare() => _ = _template.Value;

    /// <summary>Writes one seed per file of the valid model: its selector byte, then its content.</summary>
    public void Seed(string directory)
    {
        var (model, files, originals) = _template.Value;
        for (int i = 0; i < files.Length; i++)
        {
            string label = Path.GetRelativePath(model, files[i]).Replace(Path.DirectorySeparatorChar, '_');
            File.WriteAllBytes(Path.Combine(directory, $"{i:D2}-{label}"), [(byte)i, .. originals[i]]);
        }
    }

    /// <summary>Replaces the selected file with the input's content, runs <paramref name="load"/> on the model folder, restores the file.</summary>
    public void Run(byte[] input, Action<string> load)
    {
        var (model, files, originals) = _template.Value;
        if (input.Length == 0) return;
        int which = input[0] % files.Length;
        File.WriteAllBytes(files[which], input.AsSpan(1).ToArray());
        try
        {
            load(model);
        }
        finally
        {
            File.WriteAllBytes(files[which], originals[which]);
        }
    }
}
