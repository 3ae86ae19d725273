using System.Globalization;
using System.Text.Json;
using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Sparse;

namespace XmrEngine.Persistence;

/// <summary>
/// Label trees in PECOS's files, for training on a given clustering (<c>xmr train -c</c>, PECOS's <c>-c</c>): a
/// <c>ClusterChain.save</c> folder (<c>config.json</c> with <c>{"len": n}</c>, then <c>C0.npz</c> .. <c>C{n-1}.npz</c>,
/// level t's nodes x level t-1's nodes, <c>C0</c> one column for the root), or one <c>.npz</c> code matrix (labels x
/// clusters), above which the levels are completed as PECOS's <c>ClusterChain.from_partial_chain</c> completes them:
/// consecutive clusters grouped <c>nrSplits</c> at a time until at most <c>nrSplits</c> remain, under one root.
/// </summary>
public static class ClusterChainFiles
{
    /// <summary>PECOS's branching factor for the levels it adds above a code matrix (what its <c>ClusterChain.load</c> uses).</summary>
    public const int PecosNrSplits = 16;

    /// <summary>Reads a cluster-chain folder or a code-matrix file.</summary>
    /// <param name="path">A folder written by PECOS's <c>ClusterChain.save</c> (or <see cref="Save"/>), or an .npz code matrix.</param>
    /// <param name="nrSplits">Children per node of the levels completed above a code matrix.</param>
    /// <exception cref="FileNotFoundException">The path is neither a folder nor a file.</exception>
    /// <exception cref="XmrDataException">A file of the folder is missing or malformed, or the matrices do not form a tree; the message names the file.</exception>
    public static ClusterChain Load(string path, int nrSplits = PecosNrSplits)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(nrSplits, 2);
        if (Directory.Exists(path)) return LoadFolder(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such cluster-chain folder or code-matrix file.", path);
        var codes = Level(NpzFormat.ReadCsr(path), path);
        var levels = new List<CsrMatrix> { codes };
        int top = codes.Cols;
        while (top > nrSplits)
        {
            var parents = new int[top];
            for (int c = 0; c < top; c++) parents[c] = c / nrSplits;
            var level = ClusterChain.LevelFromParents(parents, (top + nrSplits - 1) / nrSplits);
            levels.Insert(0, level);
            top = level.Cols;
        }
        if (top > 1) levels.Insert(0, ClusterChain.LevelFromParents(new int[top], 1));
        return Chain(levels, path);
    }

    /// <summary>Writes <paramref name="chain"/> as PECOS's <c>ClusterChain.save</c> does, so PECOS and <see cref="Load"/> read it.</summary>
    /// <param name="folder">The folder (created when missing).</param>
    /// <param name="chain">The tree.</param>
    public static void Save(string folder, ClusterChain chain)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(chain);
        Directory.CreateDirectory(folder);
        for (int t = 0; t < chain.Depth; t++) NpzFormat.Write(Path.Combine(folder, $"C{t}.npz"), chain.Levels[t].ToCsc());
        byte[] config = System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"len\": {chain.Depth}}}"));
        AtomicFile.Write(Path.Combine(folder, "config.json"), stream => stream.Write(config));
    }

    private static ClusterChain LoadFolder(string folder)
    {
        string config = Path.Combine(folder, "config.json");
        if (!File.Exists(config)) throw new XmrDataException(config, null, null, null, "missing: a cluster-chain folder holds config.json with its number of levels (\"len\")");
        int length;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(config));
            length = doc.RootElement.GetProperty("len").GetInt32();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new XmrDataException(config, null, null, "len", $"expected {{\"len\": number of levels}}: {e.Message}", e);
        }
        if (length < 1 || length > 64) throw new XmrDataException(config, null, null, "len", $"{length} levels is out of range (1 to 64).");
        var levels = new List<CsrMatrix>();
        for (int t = 0; t < length; t++)
        {
            string file = Path.Combine(folder, $"C{t}.npz");
            if (!File.Exists(file)) throw new XmrDataException(file, null, null, null, $"missing: config.json says the chain has {length} levels");
            levels.Add(Level(NpzFormat.ReadCsr(file), file));
        }
        return Chain(levels, folder);
    }

    /// <summary>The level with each node's one parent, values 1 (PECOS stores floats; only the pattern matters).</summary>
    private static CsrMatrix Level(CsrMatrix c, string file)
    {
        var parents = new int[c.Rows];
        for (int i = 0; i < c.Rows; i++)
        {
            if (c.RowLength(i) != 1)
                throw new XmrDataException(file, null, null, $"row {i}", $"node {i} has {c.RowLength(i)} parent clusters; each needs exactly one");
            parents[i] = c.Row(i).Indices[0];
        }
        return ClusterChain.LevelFromParents(parents, c.Cols);
    }

    private static ClusterChain Chain(List<CsrMatrix> levels, string path)
    {
        try
        {
            return new ClusterChain(levels);
        }
        catch (ArgumentException e)
        {
            throw new XmrDataException(path, null, null, null, $"not a label tree: {e.Message}", e);
        }
    }
}
