using System.Text;
using System.Text.Json;

namespace XmrEngine.Sharding;

/// <summary>
/// What <c>shards.json</c> says about a sharded model: the whole model's shape, the split level, the
/// meta-model file (levels above the split) and each shard's file and owned nodes. Written by
/// <see cref="ModelSharder"/>, read (and fully validated against itself) by <see cref="ShardManifestReader"/>.
/// Immutable.
/// </summary>
public sealed class ShardManifest
{
    /// <summary>The manifest's file name inside a sharded model directory (also the directory's marker file).</summary>
    public const string FileName = "shards.json";

    /// <summary>The value of the manifest's <c>format</c> field.</summary>
    public const string FormatName = "xmr-sharded-xlinear";

    /// <summary>The manifest version this code writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Input dimension D of the whole model.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of labels of the whole model.</summary>
    public int LabelCount { get; }

    /// <summary>Value of the bias feature.</summary>
    public float Bias { get; }

    /// <summary>Nodes per tree level of the whole model, top first; the last is the label count.</summary>
    public IReadOnlyList<int> LevelNodes { get; }

    /// <summary>Tree depth of the whole model.</summary>
    public int Depth => LevelNodes.Count;

    /// <summary>The first level the shards hold: the meta-model holds levels 0 .. SplitLevel-1, whose last level's
    /// nodes are the roots of the shards' subtrees.</summary>
    public int SplitLevel { get; }

    /// <summary>The meta-model's file.</summary>
    public ShardFile Meta { get; }

    /// <summary>The shards, in file order.</summary>
    public IReadOnlyList<ShardEntry> Shards { get; }

    /// <summary>Most nodes on any level (caps the beam exactly as the unsharded predictor's widest level does).</summary>
    public int WidestLevel => LevelNodes.Max();

    /// <summary>Creates a manifest; <see cref="ShardManifestReader"/> validates one read from a file.</summary>
    public ShardManifest(int featureCount, int labelCount, float bias, IReadOnlyList<int> levelNodes, int splitLevel, ShardFile meta, IReadOnlyList<ShardEntry> shards)
    {
        ArgumentNullException.ThrowIfNull(levelNodes);
        ArgumentNullException.ThrowIfNull(shards);
        FeatureCount = featureCount;
        LabelCount = labelCount;
        Bias = bias;
        LevelNodes = levelNodes.ToArray();
        SplitLevel = splitLevel;
        Meta = meta ?? throw new ArgumentNullException(nameof(meta));
        Shards = shards.ToArray();
    }

    /// <summary>The manifest as indented UTF-8 JSON.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", FormatName);
            w.WriteNumber("version", Version);
            w.WriteNumber("feature_count", FeatureCount);
            w.WriteNumber("label_count", LabelCount);
            w.WriteNumber("bias", Bias);
            w.WriteStartArray("level_nodes");
            foreach (int n in LevelNodes) w.WriteNumberValue(n);
            w.WriteEndArray();
            w.WriteNumber("split_level", SplitLevel);
            w.WritePropertyName("meta");
            WriteFile(w, Meta);
            w.WriteStartArray("shards");
            foreach (var shard in Shards)
            {
                w.WriteStartObject();
                WriteFileFields(w, shard.File);
                w.WriteNumber("weights", shard.WeightCount);
                // One array per level (subtree roots first), each a list of [start, length] runs.
                w.WriteStartArray("levels");
                foreach (var runs in shard.Levels)
                {
                    w.WriteStartArray();
                    for (int r = 0; r < runs.RunCount; r++)
                    {
                        w.WriteStartArray();
                        w.WriteNumberValue(runs.Start(r));
                        w.WriteNumberValue(runs.Length(r));
                        w.WriteEndArray();
                    }
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The manifest's JSON text (for display).</summary>
    public override string ToString() => Encoding.UTF8.GetString(ToJson());

    private static void WriteFile(Utf8JsonWriter w, ShardFile file)
    {
        w.WriteStartObject();
        WriteFileFields(w, file);
        w.WriteEndObject();
    }

    private static void WriteFileFields(Utf8JsonWriter w, ShardFile file)
    {
        w.WriteString("file", file.Name);
        w.WriteString("sha256", file.Sha256);
        w.WriteNumber("bytes", file.Bytes);
    }
}
