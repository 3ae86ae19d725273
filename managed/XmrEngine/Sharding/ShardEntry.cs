namespace XmrEngine.Sharding;

/// <summary>
/// One shard of a sharded model: its file and the global node ids it holds on each level from the split
/// level's parents (its subtree roots) down to the labels. Inside the shard file the nodes of a level are
/// numbered 0, 1, ... in the order of these ids.
/// </summary>
public sealed class ShardEntry
{
    /// <summary>The shard's model file.</summary>
    public ShardFile File { get; }

    /// <summary>Non-zero weights the shard holds (the balance the planner evened out).</summary>
    public long WeightCount { get; }

    /// <summary>Owned node ids per level: index 0 is level <c>SplitLevel - 1</c> (the subtree roots), the last the labels.</summary>
    public IReadOnlyList<NodeRuns> Levels { get; }

    /// <summary>The roots of the whole subtrees the shard holds (nodes of level <c>SplitLevel - 1</c>).</summary>
    public NodeRuns SubtreeRoots => Levels[0];

    /// <summary>Creates an entry (the manifest reader validates the values against the model first).</summary>
    public ShardEntry(ShardFile file, long weightCount, IReadOnlyList<NodeRuns> levels)
    {
        File = file ?? throw new ArgumentNullException(nameof(file));
        ArgumentNullException.ThrowIfNull(levels);
        if (levels.Count == 0) throw new ArgumentException("A shard holds at least its subtree roots' level.", nameof(levels));
        ArgumentOutOfRangeException.ThrowIfNegative(weightCount);
        WeightCount = weightCount;
        Levels = levels.ToArray();
    }
}
