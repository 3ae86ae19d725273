namespace XmrEngine.Sharding;

/// <summary>
/// A shard's answer to a <see cref="ShardStepRequest"/>: per query, its best nodes (global ids) and their path
/// scores, best first (ties to the smaller id).
/// </summary>
public sealed class ShardStepResult
{
    /// <summary>Query r's nodes are <c>Nodes[Start[r] .. Start[r + 1])</c> (rows + 1 entries).</summary>
    public required int[] Start { get; init; }

    /// <summary>Global node ids on the requested level.</summary>
    public required int[] Nodes { get; init; }

    /// <summary>Path scores aligned with <see cref="Nodes"/>.</summary>
    public required float[] Scores { get; init; }
}
