using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Sparse;
using XmrEngine.Training;

namespace XmrEngine.Persistence;

/// <summary>
/// A training checkpoint kept in a folder: <c>checkpoint.json</c> (format and the fingerprint of the data and
/// options it belongs to), per ensemble tree its label tree (<c>tree-I-chain-T.npz</c> per level, then
/// <c>tree-I-chain.json</c> with the depth, written last so that a tree is there only when all its levels are),
/// and per trained level its weights (<c>tree-I-level-T.npz</c>). Every file is written atomically (temporary file,
/// fsync, rename), so a run killed at any moment leaves each piece whole or absent. Pass it to
/// <see cref="XLinearTrainer.TrainEnsemble(CsrMatrix, CsrMatrix, XLinearTrainOptions, ITrainingCheckpoint?, IProgress{TrainingProgress}?, CancellationToken)"/>.
/// One training run uses a folder at a time; the class is not meant for concurrent runs on the same folder.
/// </summary>
public sealed class TrainingCheckpointDirectory : ITrainingCheckpoint
{
    private const int FormatVersion = 1;
    private const string ManifestName = "checkpoint.json";
    private int _storedTrees, _storedLevels;

    private TrainingCheckpointDirectory(string path) => Path = path;

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Trees and levels this run took from the folder instead of computing them (for reports).</summary>
    public (int Trees, int Levels) Reused => (_storedTrees, _storedLevels);

    /// <summary>
    /// Starts a fresh checkpoint in <paramref name="path"/> (created if needed), removing the files of any earlier
    /// checkpoint there (only files this class writes; anything else in the folder is left alone).
    /// </summary>
    public static TrainingCheckpointDirectory Create(string path, CsrMatrix x, CsrMatrix y, XLinearTrainOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(path);
        foreach (var file in OwnFiles(path)) File.Delete(file);
        WriteManifest(System.IO.Path.Combine(path, ManifestName), Fingerprint(x, y, options));
        return new TrainingCheckpointDirectory(path);
    }

    /// <summary>Opens the checkpoint an earlier run left in <paramref name="path"/> to resume it.</summary>
    /// <exception cref="XmrDataException">There is no checkpoint there, its manifest is damaged, or it was written for
    /// other data or options (the message names the folder and says what to do).</exception>
    public static TrainingCheckpointDirectory Resume(string path, CsrMatrix x, CsrMatrix y, XLinearTrainOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string manifest = System.IO.Path.Combine(path, ManifestName);
        if (!File.Exists(manifest))
            throw new XmrDataException(path, null, null, null, $"there is no training checkpoint to resume ({ManifestName} is missing); train without --resume to start one.");
        string stored = ReadManifest(manifest);
        string expected = Fingerprint(x, y, options);
        if (stored != expected)
            throw new XmrDataException(manifest, null, null, "fingerprint",
                $"the checkpoint was written for other training data or options ({stored}, this run is {expected}); resume with the same inputs and flags, or train without --resume to start over.");
        return new TrainingCheckpointDirectory(path);
    }

    /// <summary>Removes the checkpoint's files and, when nothing else is left in it, the folder.</summary>
    public void Delete()
    {
        if (!Directory.Exists(Path)) return;
        foreach (var file in OwnFiles(Path)) File.Delete(file);
        if (!Directory.EnumerateFileSystemEntries(Path).Any()) Directory.Delete(Path);
    }

    /// <summary>
    /// What a checkpoint belongs to: the XxHash64 of X's and Y's arrays and of the options that shape the model
    /// (thread counts excluded: they never change the model).
    /// </summary>
    public static string Fingerprint(CsrMatrix x, CsrMatrix y, XLinearTrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(options);
        var hash = new XxHash64();
        foreach (var m in new[] { x, y })
        {
            hash.Append(BitConverter.GetBytes(m.Rows));
            hash.Append(BitConverter.GetBytes(m.Cols));
            hash.Append(MemoryMarshal.AsBytes(m.Pointers));
            hash.Append(MemoryMarshal.AsBytes(m.ColIdxArray.AsSpan(0, checked((int)m.Nnz))));
            hash.Append(MemoryMarshal.AsBytes(m.ValuesArray.AsSpan(0, checked((int)m.Nnz))));
        }
        var shaping = options with { Threads = 0 };
        hash.Append(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{shaping}")));
        return $"xxh64:{hash.GetCurrentHashAsUInt64():x16}";
    }

    /// <inheritdoc />
    public ClusterChain? LoadTree(int tree)
    {
        string marker = PieceFile(tree, "chain.json");
        if (!File.Exists(marker)) return null;
        int depth;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(marker));
            depth = doc.RootElement.GetProperty("depth").GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new XmrDataException(marker, null, null, "depth", $"the checkpoint's tree marker is damaged: {e.Message}", e);
        }
        if (depth < 1 || depth > 64) throw new XmrDataException(marker, null, null, "depth", $"depth {depth} is out of range.");
        var levels = new CsrMatrix[depth];
        for (int t = 0; t < depth; t++) levels[t] = NpzFormat.ReadCsr(PieceFile(tree, $"chain-{t}.npz"));
        try
        {
            var chain = new ClusterChain(levels);
            _storedTrees++;
            return chain;
        }
        catch (ArgumentException e)
        {
            throw new XmrDataException(marker, null, null, null, $"the checkpoint's tree {tree} is not a valid label tree: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public void SaveTree(int tree, ClusterChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        for (int t = 0; t < chain.Depth; t++) NpzFormat.Write(PieceFile(tree, $"chain-{t}.npz"), chain.Levels[t], NpzCompression.None);
        AtomicFile.Write(PieceFile(tree, "chain.json"), s => s.Write(Encoding.UTF8.GetBytes($"{{\"depth\": {chain.Depth}}}\n")));
    }

    /// <inheritdoc />
    public CscMatrix? LoadLevel(int tree, int level)
    {
        string path = PieceFile(tree, $"level-{level}.npz");
        if (!File.Exists(path)) return null;
        var weights = NpzFormat.ReadCsc(path);
        _storedLevels++;
        return weights;
    }

    /// <inheritdoc />
    public void SaveLevel(int tree, int level, CscMatrix weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        NpzFormat.Write(PieceFile(tree, $"level-{level}.npz"), weights, compressed: false);
    }

    private string PieceFile(int tree, string rest) => System.IO.Path.Combine(Path, $"tree-{tree}-{rest}");

    /// <summary>The pieces and manifest this class writes, and the temporaries a killed write of one of them left.</summary>
    private static IEnumerable<string> OwnFiles(string path)
    {
        static bool Own(string name) => name == ManifestName || (name.StartsWith("tree-", StringComparison.Ordinal)
            && (name.EndsWith(".npz", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal)));
        return Directory.EnumerateFiles(path).Where(f =>
        {
            string name = System.IO.Path.GetFileName(f);
            return Own(name) || StaleTemporaries.TargetOf(name) is { } target && Own(target);
        }).ToArray();
    }

    private static void WriteManifest(string path, string fingerprint) =>
        AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes($"{{\"format\": {FormatVersion}, \"fingerprint\": \"{fingerprint}\"}}\n")));

    private static string ReadManifest(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            int format = doc.RootElement.GetProperty("format").GetInt32();
            if (format != FormatVersion) throw new XmrDataException(path, null, null, "format", $"checkpoint format {format} is not supported (this build writes {FormatVersion}).");
            return doc.RootElement.GetProperty("fingerprint").GetString() ?? throw new XmrDataException(path, null, null, "fingerprint", "the fingerprint is null.");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new XmrDataException(path, null, null, null, $"the checkpoint manifest is damaged: {e.Message}", e);
        }
    }
}
