namespace XmrEngine.Cluster.Grains;

/// <summary>
/// One shard of a sharded model, served by whichever silo Orleans places it on. Keyed by <see cref="ShardKey"/>;
/// activation memory-maps the shard file from the directory in the key (a path every silo can read).
/// </summary>
[Alias("xmr.IShardGrain")]
public interface IShardGrain : IGrainWithStringKey
{
    /// <summary>One level step of the beam search for a batch of queries (see <c>ModelShard.Step</c>).</summary>
    /// <exception cref="ShardLoadException">The shard file was refused on activation; names the file.</exception>
    /// <exception cref="ArgumentException">The call is malformed.</exception>
    [Alias("Step")]
    Task<ShardStepAnswer> Step(ShardStepCall call);
}
