namespace XmrEngine.Sharding;

/// <summary>
/// One shard as the sharded beam search sees it: something that answers a level step for a batch of queries.
/// <see cref="ModelShard"/> answers in process; a cluster answers through a remote call to the shard's grain,
/// which runs the same <see cref="ModelShard.Step"/>. Implementations are safe to call concurrently.
/// </summary>
public interface IShardStepper
{
    /// <summary>Scores the children of the request's parents and returns each query's best K.</summary>
    /// <param name="request">The level, the queries and their parents held by this shard.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<ShardStepResult> StepAsync(ShardStepRequest request, CancellationToken cancellationToken);
}
