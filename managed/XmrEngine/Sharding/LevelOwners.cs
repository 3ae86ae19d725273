namespace XmrEngine.Sharding;

/// <summary>
/// Which shard owns each node of one tree level, from the manifest's runs: a sorted table of run starts and
/// owners searched by binary search, so it costs one entry per run, not one per node (a 100M-label level
/// would otherwise need 400 MB on the router). Built only when the shards' runs cover the level exactly once.
/// </summary>
internal sealed class LevelOwners
{
    private readonly int[] _starts;
    private readonly int[] _ends;
    private readonly int[] _owner;

    /// <summary>Number of nodes on the level.</summary>
    public int NodeCount { get; }

    /// <summary>The owner table of level <paramref name="level"/> (split level - 1 or deeper).</summary>
    /// <exception cref="ArgumentException">A node is owned by two shards or by none.</exception>
    public LevelOwners(ShardManifest manifest, int level)
    {
        int index = level - (manifest.SplitLevel - 1);
        var runs = new List<(int Start, int End, int Shard)>();
        for (int s = 0; s < manifest.Shards.Count; s++)
        {
            var r = manifest.Shards[s].Levels[index];
            for (int i = 0; i < r.RunCount; i++) runs.Add((r.Start(i), r.Start(i) + r.Length(i), s));
        }
        runs.Sort((a, b) => a.Start.CompareTo(b.Start));
        NodeCount = manifest.LevelNodes[level];
        long expected = 0;
        foreach (var (start, end, shard) in runs)
        {
            if (start < expected) throw new ArgumentException($"level {level}: node {start} is held by more than one shard (shard {shard} among them).");
            if (start > expected) throw new ArgumentException($"level {level}: node {expected} is held by no shard.");
            expected = end;
        }
        if (expected != NodeCount) throw new ArgumentException($"level {level}: node {expected} is held by no shard (the level has {NodeCount} nodes).");
        _starts = runs.Select(r => r.Start).ToArray();
        _ends = runs.Select(r => r.End).ToArray();
        _owner = runs.Select(r => r.Shard).ToArray();
    }

    /// <summary>The shard holding <paramref name="node"/>; -1 when the id is outside the level.</summary>
    public int Owner(int node)
    {
        if ((uint)node >= (uint)NodeCount) return -1;
        int i = Array.BinarySearch(_starts, node);
        if (i < 0) i = ~i - 1;
        return node < _ends[i] ? _owner[i] : -1;
    }
}
