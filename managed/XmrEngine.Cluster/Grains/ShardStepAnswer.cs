using XmrEngine.Sharding;

namespace XmrEngine.Cluster.Grains;

/// <summary>A <see cref="ShardStepResult"/> on its way back from a shard grain.</summary>
[GenerateSerializer, Alias("xmr.ShardStepAnswer")]
public sealed class ShardStepAnswer
{
    /// <summary>See <see cref="ShardStepResult.Start"/>.</summary>
    [Id(0)] public int[] Start { get; set; } = [];

    /// <summary>See <see cref="ShardStepResult.Nodes"/>.</summary>
    [Id(1)] public int[] Nodes { get; set; } = [];

    /// <summary>See <see cref="ShardStepResult.Scores"/>.</summary>
    [Id(2)] public float[] Scores { get; set; } = [];

    /// <summary>The answer carrying <paramref name="result"/>.</summary>
    internal static ShardStepAnswer From(ShardStepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ShardStepAnswer { Start = result.Start, Nodes = result.Nodes, Scores = result.Scores };
    }

    /// <summary>The core's result (the router checks its shape before merging).</summary>
    internal ShardStepResult ToResult() => new() { Start = Start ?? [], Nodes = Nodes ?? [], Scores = Scores ?? [] };
}
