using XmrEngine.Cluster.Grains;
using XmrEngine.Persistence;
using XmrEngine.Sharding;

namespace XmrEngine.Cluster.Serving;

/// <summary>
/// A sharded model served by a cluster: the meta-model is opened in this process (the router), each shard is its
/// grain. The result is a <see cref="ShardedPredictor"/>, the same router a single machine uses, so the answers are
/// the single machine's.
/// </summary>
public static class ClusterShardedModel
{
    /// <summary>
    /// Opens the sharded model at <paramref name="path"/> (which every silo must also be able to read at the same
    /// absolute path) as a router over the cluster's shard grains.
    /// </summary>
    /// <param name="grains">The cluster client's grain factory.</param>
    /// <param name="path">The directory <c>xmr shard</c> wrote.</param>
    /// <param name="policy">Retries of the shard calls.</param>
    /// <param name="statistics">Receives every shard call's retries and duration.</param>
    /// <param name="verifyChecksums">Check the meta-model's SHA-256 here (the grains always check their shard's).</param>
    /// <param name="batchRows">Queries per shard call (<see cref="ShardedPredictor.BatchRows"/>).</param>
    /// <param name="concurrentBatches">Batches in flight at once (<see cref="ShardedPredictor.ConcurrentBatches"/>).</param>
    /// <param name="metadata">The metadata saved with the original model.</param>
    /// <exception cref="IO.XmrDataException">The manifest or the meta-model is missing or corrupt; names the file.</exception>
    public static ShardedPredictor Open(IGrainFactory grains, string path, RetryPolicy policy, CallStatistics statistics, bool verifyChecksums,
        int batchRows, int concurrentBatches, out ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var (directory, manifest) = ShardedModelDirectory.ReadManifest(path);
        var meta = ShardedModelDirectory.OpenMeta(directory, manifest, verifyChecksums, out metadata);
        var shards = Enumerable.Range(0, manifest.Shards.Count)
            .Select(s => (IShardStepper)new RemoteShardStepper(grains, new ShardKey(s, directory), policy, statistics))
            .ToArray();
        try
        {
            return new ShardedPredictor(manifest, meta, shards, metadata.Prediction, ownsShards: false) { BatchRows = batchRows, ConcurrentBatches = concurrentBatches };
        }
        catch
        {
            meta.Dispose();
            throw;
        }
    }
}
