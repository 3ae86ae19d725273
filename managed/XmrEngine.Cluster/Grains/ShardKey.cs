using System.Globalization;

namespace XmrEngine.Cluster.Grains;

/// <summary>
/// The key of a shard grain: the shard's index and the absolute path of the sharded model's resolved version
/// directory, as <c>index|directory</c>. A new <c>xmr shard</c> run writes a new version directory, so its shards
/// are new grains and a running cluster never mixes the files of two versions.
/// </summary>
internal readonly record struct ShardKey(int Index, string Directory)
{
    /// <summary>The grain key text.</summary>
    public override string ToString() => $"{Index.ToString(CultureInfo.InvariantCulture)}|{Directory}";

    /// <summary>Parses a key made by <see cref="ToString"/>.</summary>
    /// <exception cref="ArgumentException">Not of the form <c>index|absolute directory</c>.</exception>
    public static ShardKey Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int bar = key.IndexOf('|');
        if (bar <= 0 || !int.TryParse(key.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out int index) || !Path.IsPathFullyQualified(key[(bar + 1)..]))
            throw new ArgumentException($"'{key}' is not a shard grain key (index|absolute directory).", nameof(key));
        return new ShardKey(index, key[(bar + 1)..]);
    }
}
