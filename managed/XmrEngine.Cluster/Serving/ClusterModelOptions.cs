namespace XmrEngine.Cluster.Serving;

/// <summary>How <see cref="ClusterModelSource"/> connects to clusters and calls their shards.</summary>
public sealed class ClusterModelOptions
{
    /// <summary>How long connecting to a cluster may take before the load fails [20 s].</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Retries of a shard call [5 s per attempt, given up after 15 s]: shorter than the batch client's minute, since
    /// an HTTP caller is waiting; a call given up is answered 503.
    /// </summary>
    public RetryPolicy RetryPolicy { get; set; } = RetryPolicy.Default with { GiveUpAfter = TimeSpan.FromSeconds(15) };

    /// <summary>Queries per shard call [256]; a request's rows beyond this go in further calls.</summary>
    public int BatchRows { get; set; } = 256;

    /// <summary>Batches of one request in flight at once [2].</summary>
    public int ConcurrentBatches { get; set; } = 2;

    /// <summary>Check the meta-model's SHA-256 when loading [true] (the silos always check their shards').</summary>
    public bool VerifyChecksums { get; set; } = true;

    internal void Validate()
    {
        if (ConnectTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "Must be positive.");
        ArgumentNullException.ThrowIfNull(RetryPolicy);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ConcurrentBatches, 1);
    }
}
