namespace XmrEngine.Sharding;

/// <summary>
/// One level of the beam search for a batch of queries, asked of one shard: "score the children, on level
/// <see cref="Level"/>, of these parents (which you hold) for these queries, combine each child's score with its
/// parent's, and return the best <see cref="K"/> per query". Plain arrays so that a transport (an Orleans grain
/// call) can carry it as is; <see cref="ModelShard"/> validates everything before use.
/// </summary>
public sealed class ShardStepRequest
{
    /// <summary>The tree level whose nodes are scored (split level or deeper).</summary>
    public required int Level { get; init; }

    /// <summary>Most nodes returned per query (the beam size, or top-k at the last level).</summary>
    public required int K { get; init; }

    /// <summary>The post-processor's name (<c>l3-hinge</c>, ...): the transform and the combiner.</summary>
    public required string PostProcessor { get; init; }

    /// <summary>CSR row pointers of the queries (rows + 1 entries).</summary>
    public required long[] QueryPointers { get; init; }

    /// <summary>Feature ids of the queries, strictly increasing within a row.</summary>
    public required int[] QueryIndices { get; init; }

    /// <summary>Feature values aligned with <see cref="QueryIndices"/>.</summary>
    public required float[] QueryValues { get; init; }

    /// <summary>Query r's parents are <c>Parents[ParentStart[r] .. ParentStart[r + 1])</c> (rows + 1 entries).</summary>
    public required int[] ParentStart { get; init; }

    /// <summary>Global node ids on level <see cref="Level"/> - 1, each held by the shard asked.</summary>
    public required int[] Parents { get; init; }

    /// <summary>The parents' path scores, aligned with <see cref="Parents"/>.</summary>
    public required float[] ParentScores { get; init; }

    /// <summary>Number of queries.</summary>
    public int Rows => QueryPointers.Length - 1;
}
