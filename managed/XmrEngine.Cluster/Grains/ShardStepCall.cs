using XmrEngine.Sharding;

namespace XmrEngine.Cluster.Grains;

/// <summary>
/// A <see cref="ShardStepRequest"/> as it travels to a shard grain: the same arrays, with Orleans serialization
/// ids. The core's request type stays free of Orleans; this copy only moves references.
/// </summary>
[GenerateSerializer, Alias("xmr.ShardStepCall")]
public sealed class ShardStepCall
{
    /// <summary>See <see cref="ShardStepRequest.Level"/>.</summary>
    [Id(0)] public int Level { get; set; }

    /// <summary>See <see cref="ShardStepRequest.K"/>.</summary>
    [Id(1)] public int K { get; set; }

    /// <summary>See <see cref="ShardStepRequest.PostProcessor"/>.</summary>
    [Id(2)] public string PostProcessor { get; set; } = "";

    /// <summary>See <see cref="ShardStepRequest.QueryPointers"/>.</summary>
    [Id(3)] public long[] QueryPointers { get; set; } = [];

    /// <summary>See <see cref="ShardStepRequest.QueryIndices"/>.</summary>
    [Id(4)] public int[] QueryIndices { get; set; } = [];

    /// <summary>See <see cref="ShardStepRequest.QueryValues"/>.</summary>
    [Id(5)] public float[] QueryValues { get; set; } = [];

    /// <summary>See <see cref="ShardStepRequest.ParentStart"/>.</summary>
    [Id(6)] public int[] ParentStart { get; set; } = [];

    /// <summary>See <see cref="ShardStepRequest.Parents"/>.</summary>
    [Id(7)] public int[] Parents { get; set; } = [];

    /// <summary>See <see cref="ShardStepRequest.ParentScores"/>.</summary>
    [Id(8)] public float[] ParentScores { get; set; } = [];

    /// <summary>The call for <paramref name="request"/>.</summary>
    internal static ShardStepCall From(ShardStepRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ShardStepCall
        {
            Level = request.Level, K = request.K, PostProcessor = request.PostProcessor,
            QueryPointers = request.QueryPointers, QueryIndices = request.QueryIndices, QueryValues = request.QueryValues,
            ParentStart = request.ParentStart, Parents = request.Parents, ParentScores = request.ParentScores,
        };
    }

    /// <summary>The core's request (the shard validates it as it would any other).</summary>
    internal ShardStepRequest ToRequest() => new()
    {
        Level = Level, K = K, PostProcessor = PostProcessor,
        QueryPointers = QueryPointers ?? [], QueryIndices = QueryIndices ?? [], QueryValues = QueryValues ?? [],
        ParentStart = ParentStart ?? [], Parents = Parents ?? [], ParentScores = ParentScores ?? [],
    };
}
