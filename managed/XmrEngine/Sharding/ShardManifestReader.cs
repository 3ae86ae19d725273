using System.Text.Json;
using XmrEngine.IO;

namespace XmrEngine.Sharding;

/// <summary>
/// Reads <c>shards.json</c> and checks everything it can without opening the model files: the format and
/// version, the shape (levels, split level, label count), plain file names, checksums that look like SHA-256,
/// and that on every level the shards' runs are in range and together cover each node exactly once. Every
/// problem is an <see cref="XmrDataException"/> naming the manifest and the field.
/// </summary>
public static class ShardManifestReader
{
    /// <summary>Reads and validates the manifest at <paramref name="path"/>.</summary>
    /// <exception cref="XmrDataException">The file is missing, not JSON, or any field is missing or wrong.</exception>
    public static ShardManifest Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XmrDataException(path, null, null, null, $"cannot read the sharded model's manifest: {e.Message}", e);
        }
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return Parse(doc.RootElement, path);
        }
        catch (JsonException e)
        {
            throw new XmrDataException(path, null, null, null, $"not valid JSON: {e.Message}", e);
        }
    }

    private static ShardManifest Parse(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Bad(path, null, "the manifest must be a JSON object");
        string format = String(root, "format", path);
        if (format != ShardManifest.FormatName) throw Bad(path, "format", $"is '{format}'; expected '{ShardManifest.FormatName}'");
        int version = Int(root, "version", path);
        if (version != ShardManifest.Version) throw Bad(path, "version", $"is {version}; this build reads version {ShardManifest.Version}");
        int features = Int(root, "feature_count", path);
        if (features < 0) throw Bad(path, "feature_count", $"is {features}; must be >= 0");
        int labels = Int(root, "label_count", path);
        var biasElement = Property(root, "bias", path);
        if (biasElement.ValueKind != JsonValueKind.Number || !biasElement.TryGetSingle(out float bias) || !float.IsFinite(bias))
            throw Bad(path, "bias", "must be a finite number");
        var levelNodes = IntArray(Property(root, "level_nodes", path), "level_nodes", path);
        if (levelNodes.Length < 2) throw Bad(path, "level_nodes", $"lists {levelNodes.Length} levels; a sharded model has at least 2");
        for (int t = 0; t < levelNodes.Length; t++)
            if (levelNodes[t] < 1) throw Bad(path, $"level_nodes[{t}]", $"is {levelNodes[t]}; every level has at least one node");
        if (labels != levelNodes[^1]) throw Bad(path, "label_count", $"is {labels} but the last level has {levelNodes[^1]} nodes");
        int split = Int(root, "split_level", path);
        if (split < 1 || split >= levelNodes.Length) throw Bad(path, "split_level", $"is {split}; must be in [1, {levelNodes.Length - 1}]");
        var meta = File(Property(root, "meta", path), "meta", path);
        var shardsElement = Property(root, "shards", path);
        if (shardsElement.ValueKind != JsonValueKind.Array || shardsElement.GetArrayLength() == 0) throw Bad(path, "shards", "must be a non-empty array");
        var shards = new List<ShardEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal) { meta.Name };
        foreach (var s in shardsElement.EnumerateArray())
        {
            string field = $"shards[{shards.Count}]";
            if (s.ValueKind != JsonValueKind.Object) throw Bad(path, field, "must be an object");
            var file = File(s, field, path);
            if (!names.Add(file.Name)) throw Bad(path, $"{field}.file", $"'{file.Name}' is listed twice");
            long weights = Long(s, "weights", path, field);
            if (weights < 0) throw Bad(path, $"{field}.weights", $"is {weights}; must be >= 0");
            var levels = Levels(Property(s, "levels", path, field), $"{field}.levels", levelNodes, split, path);
            shards.Add(new ShardEntry(file, weights, levels));
        }
        var manifest = new ShardManifest(features, labels, bias, levelNodes, split, meta, shards);
        // Each level must be split between the shards exactly: a node nobody owns would silently drop labels.
        for (int t = split - 1; t < levelNodes.Length; t++)
        {
            try
            {
                _ = new LevelOwners(manifest, t);
            }
            catch (ArgumentException e)
            {
                throw Bad(path, "shards", e.Message);
            }
        }
        return manifest;
    }

    private static NodeRuns[] Levels(JsonElement e, string field, int[] levelNodes, int split, string path)
    {
        int expected = levelNodes.Length - split + 1;
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != expected)
            throw Bad(path, field, $"must be an array of {expected} levels (level {split - 1} to {levelNodes.Length - 1})");
        var result = new NodeRuns[expected];
        int i = 0;
        foreach (var level in e.EnumerateArray())
        {
            string f = $"{field}[{i}]";
            // A shard holds at least one subtree root, but a childless root leaves it nothing on the levels below.
            if (level.ValueKind != JsonValueKind.Array || (i == 0 && level.GetArrayLength() == 0))
                throw Bad(path, f, i == 0 ? "must list the shard's subtree roots as [start, length] runs" : "must be an array of [start, length] runs");
            var starts = new int[level.GetArrayLength()];
            var counts = new int[starts.Length];
            int r = 0;
            foreach (var run in level.EnumerateArray())
            {
                var pair = IntArray(run, $"{f}[{r}]", path);
                if (pair.Length != 2) throw Bad(path, $"{f}[{r}]", "must be [start, length]");
                (starts[r], counts[r]) = (pair[0], pair[1]);
                r++;
            }
            NodeRuns runs;
            try
            {
                runs = new NodeRuns(starts, counts);
            }
            catch (ArgumentException ex)
            {
                throw Bad(path, f, ex.Message.Split(" (Parameter")[0]);
            }
            int nodes = levelNodes[split - 1 + i];
            if (runs.End > nodes) throw Bad(path, f, $"reaches node {runs.End - 1} but level {split - 1 + i} has {nodes} nodes");
            result[i++] = runs;
        }
        return result;
    }

    private static ShardFile File(JsonElement e, string field, string path)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Bad(path, field, "must be an object with file, sha256 and bytes");
        string name = String(e, "file", path, field);
        // A plain name keeps every file inside the model directory, whatever the manifest says.
        if (name.Length == 0 || name != Path.GetFileName(name) || name is "." or ".." || name.Contains('/') || name.Contains('\\'))
            throw Bad(path, $"{field}.file", $"'{name}' must be a plain file name inside the model directory");
        string sha = String(e, "sha256", path, field);
        if (sha.Length != 64 || !sha.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
            throw Bad(path, $"{field}.sha256", $"'{sha}' is not 64 lower-case hex digits");
        long bytes = Long(e, "bytes", path, field);
        if (bytes < 0) throw Bad(path, $"{field}.bytes", $"is {bytes}; must be >= 0");
        return new ShardFile(name, sha, bytes);
    }

    private static JsonElement Property(JsonElement e, string name, string path, string? parent = null) =>
        e.TryGetProperty(name, out var value) ? value : throw Bad(path, parent is null ? name : $"{parent}.{name}", "is missing");

    private static string String(JsonElement e, string name, string path, string? parent = null)
    {
        var v = Property(e, name, path, parent);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Bad(path, parent is null ? name : $"{parent}.{name}", "must be a string");
    }

    private static int Int(JsonElement e, string name, string path, string? parent = null)
    {
        var v = Property(e, name, path, parent);
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n) ? n : throw Bad(path, parent is null ? name : $"{parent}.{name}", "must be a 32-bit integer");
    }

    private static long Long(JsonElement e, string name, string path, string? parent = null)
    {
        var v = Property(e, name, path, parent);
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) ? n : throw Bad(path, parent is null ? name : $"{parent}.{name}", "must be an integer");
    }

    private static int[] IntArray(JsonElement e, string field, string path)
    {
        if (e.ValueKind != JsonValueKind.Array) throw Bad(path, field, "must be an array of integers");
        var values = new int[e.GetArrayLength()];
        int i = 0;
        foreach (var item in e.EnumerateArray())
            values[i++] = item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out int n) ? n : throw Bad(path, $"{field}[{i}]", "must be a 32-bit integer");
        return values;
    }

    private static XmrDataException Bad(string path, string? field, string problem) => new(path, null, null, field, problem);
}
