using XmrEngine.Cluster.Grains;
using XmrEngine.Serving;
using XmrEngine.Sharding;

namespace XmrEngine.Cluster.Serving;

/// <summary>
/// A sharded model served by a cluster: the meta-model is opened in this process (the router), each shard is its
/// grain. The result answers through a <see cref="ShardedPredictor"/>, the same router a single machine uses, and
/// prepares queries by the model's own rule, so the answers are the single machine's.
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
    /// <param name="version">Names what is served (<see cref="XLinearServingModel.Version"/>); null for the directory's current version.</param>
    /// <param name="connection">The cluster connection the router's calls go through, disposed with the model; null when the caller keeps it.</param>
    /// <returns>The model, which prepares raw queries by the rule the original model file saved, as every front end does.</returns>
    /// <exception cref="IO.XmrDataException">The manifest or the meta-model is missing or corrupt; names the file.</exception>
    public static XLinearServingModel Open(IGrainFactory grains, string path, RetryPolicy policy, CallStatistics statistics, bool verifyChecksums,
        int batchRows, int concurrentBatches, string? version = null, IDisposable? connection = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var (directory, manifest) = ShardedModelDirectory.ReadManifest(path);
        var meta = ShardedModelDirectory.OpenMeta(directory, manifest, verifyChecksums, out var metadata);
        var shards = Enumerable.Range(0, manifest.Shards.Count)
            .Select(s => (IShardStepper)new RemoteShardStepper(grains, new ShardKey(s, directory), policy, statistics))
            .ToArray();
        try
        {
            var router = new ShardedPredictor(manifest, meta, shards, metadata.Prediction, ownsShards: false) { BatchRows = batchRows, ConcurrentBatches = concurrentBatches };
            return XLinearServingModel.OverShards(router, metadata, version ?? ModelVersions.OfFolder(path, ShardManifest.FileName),
                $"sharded: meta-model here, {manifest.Shards.Count} shards on the cluster", connection);
        }
        catch
        {
            meta.Dispose();
            throw;
        }
    }
}
