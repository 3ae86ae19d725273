using System.Globalization;
using System.Security.Cryptography;
using XmrEngine.Indexing;
using XmrEngine.IO;
using XmrEngine.Models;
using XmrEngine.Persistence;
using XmrEngine.Sparse;

namespace XmrEngine.Sharding;

/// <summary>
/// Splits a trained one-tree model at a level into a meta-model and shard files (see <see cref="ShardManifest"/>).
/// The meta-model is the model's levels 0 .. L-1, an ordinary model file whose "labels" are the subtree roots.
/// A shard file is an ordinary model file too, of the shard's own small tree: its level 0 holds the shard's
/// subtree roots (with their level L-1 weights, so the file is a complete sub-model), its deeper levels the
/// subtrees' nodes, each level numbered in ascending global id. Scoring a parent's children reads the same
/// weight columns in the same order as the whole model does, so the scores are the same floats.
/// </summary>
public static class ModelSharder
{
    /// <summary>The meta-model's file name inside the directory.</summary>
    public const string MetaFileName = "meta.xmr";

    /// <summary>The file name of shard <paramref name="index"/>.</summary>
    public static string ShardFileName(int index) => $"shard-{index.ToString("D3", CultureInfo.InvariantCulture)}.xmr";

    /// <summary>
    /// Writes the sharded model into <paramref name="directory"/> as a new version (<see cref="VersionedDirectory"/>:
    /// a reader sees the old complete model or the new one, never a mix) and returns its manifest.
    /// </summary>
    /// <param name="model">A trained one-tree model of depth >= 2.</param>
    /// <param name="metadata">Saved with the meta-model (prediction defaults, the input rule), as in the model file.</param>
    /// <param name="splitLevel">The first level the shards hold, in [1, depth-1].</param>
    /// <param name="shardCount">Number of shards, in [1, nodes of level splitLevel-1].</param>
    /// <param name="directory">The output directory (created; its parent must exist).</param>
    /// <exception cref="ArgumentOutOfRangeException">The split level or shard count does not fit the model.</exception>
    public static ShardManifest Write(XLinearModel model, ModelMetadata metadata, int splitLevel, int shardCount, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var (owners, loads) = ShardPlanner.Plan(model, splitLevel, shardCount);
        ShardManifest? manifest = null;
        VersionedDirectory.Write(directory, ShardManifest.FileName, temp =>
        {
            XLinearModelFile.Save(Path.Combine(temp, MetaFileName), MetaModel(model, splitLevel), metadata);
            var meta = Describe(temp, MetaFileName);
            var shards = new ShardEntry[shardCount];
            for (int s = 0; s < shardCount; s++)
            {
                var (local, levels) = ShardModel(model, splitLevel, owners, s);
                var shardMetadata = ModelMetadata.Default with
                {
                    Prediction = metadata.Prediction,
                    NormalizeRows = metadata.NormalizeRows,
                    TrainingNotes = new Dictionary<string, string>
                    {
                        ["shard"] = $"{s + 1} of {shardCount}",
                        ["split_level"] = splitLevel.ToString(CultureInfo.InvariantCulture),
                    },
                };
                string name = ShardFileName(s);
                XLinearModelFile.Save(Path.Combine(temp, name), local, shardMetadata);
                shards[s] = new ShardEntry(Describe(temp, name), loads[s], levels);
            }
            var levelNodes = model.Chain.Levels.Select(l => l.Rows).ToArray();
            manifest = new ShardManifest(model.FeatureCount, model.LabelCount, model.Bias, levelNodes, splitLevel, meta, shards);
            AtomicFile.Write(Path.Combine(temp, ShardManifest.FileName), stream => stream.Write(manifest.ToJson()));
        });
        return manifest!;
    }

    /// <summary>The SHA-256 (lower-case hex) of a file, read once sequentially.</summary>
    internal static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static ShardFile Describe(string directory, string name)
    {
        string path = Path.Combine(directory, name);
        return new ShardFile(name, Sha256(path), new FileInfo(path).Length);
    }

    /// <summary>Levels 0 .. split-1 of the model: a model whose labels are the subtree roots.</summary>
    internal static XLinearModel MetaModel(XLinearModel model, int splitLevel) =>
        new(new ClusterChain(model.Chain.Levels.Take(splitLevel)), model.Weights.Take(splitLevel).ToArray(), model.FeatureCount, model.Bias);

    /// <summary>Shard <paramref name="shard"/>'s own tree and weights, and its owned global ids per level.</summary>
    internal static (XLinearModel Model, NodeRuns[] Levels) ShardModel(XLinearModel model, int splitLevel, int[][] owners, int shard)
    {
        var levels = new CsrMatrix[owners.Length];
        var weights = new CscMatrix[owners.Length];
        var runs = new NodeRuns[owners.Length];
        // Local id of each global node of the level above (-1 when another shard owns it).
        int[] localAbove = [];
        for (int i = 0; i < owners.Length; i++)
        {
            int t = splitLevel - 1 + i;
            var owned = new List<int>();
            for (int node = 0; node < owners[i].Length; node++)
                if (owners[i][node] == shard) owned.Add(node);
            var ids = owned.ToArray();
            var parents = new int[ids.Length];
            if (i > 0)
                for (int j = 0; j < ids.Length; j++) parents[j] = localAbove[model.Chain.Parent(t, ids[j])];
            levels[i] = ClusterChain.LevelFromParents(parents, i == 0 ? 1 : runs[i - 1].Count);
            weights[i] = Columns(model.Weights[t], ids);
            runs[i] = NodeRuns.FromSorted(ids);
            localAbove = new int[owners[i].Length];
            Array.Fill(localAbove, -1);
            for (int j = 0; j < ids.Length; j++) localAbove[ids[j]] = j;
        }
        return (new XLinearModel(new ClusterChain(levels), weights, model.FeatureCount, model.Bias), runs);
    }

    /// <summary>The columns <paramref name="columns"/> of <paramref name="w"/>, in that order.</summary>
    private static CscMatrix Columns(CscMatrix w, int[] columns)
    {
        var pointers = w.Pointers;
        var ptr = new long[columns.Length + 1];
        for (int j = 0; j < columns.Length; j++) ptr[j + 1] = ptr[j] + (pointers[columns[j] + 1] - pointers[columns[j]]);
        var rows = new int[ptr[^1]];
        var values = new float[ptr[^1]];
        for (int j = 0; j < columns.Length; j++)
        {
            var column = w.Column(columns[j]);
            column.Indices.CopyTo(rows.AsSpan((int)ptr[j]));
            column.Values.CopyTo(values.AsSpan((int)ptr[j]));
        }
        return new CscMatrix(w.Rows, columns.Length, ptr, rows, values);
    }
}
