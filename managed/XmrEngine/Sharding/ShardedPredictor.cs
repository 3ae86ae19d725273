using XmrEngine.Common;
using XmrEngine.Inference;
using XmrEngine.Sparse;

namespace XmrEngine.Sharding;

/// <summary>
/// The router of a sharded model: runs the meta-model's beam search, then continues the same beam search level
/// by level across the shards. At each level every query's beam nodes are grouped by the shard that holds them,
/// each shard is asked once for the whole batch (<see cref="IShardStepper"/>: in process or remote), and each
/// query's next beam is the best K of all shards' answers by the single-machine rule (score, then smaller node
/// id). Since every shard returns its own best K by that rule, the merge keeps exactly the nodes, in the order
/// and with the scores, that the unsharded search keeps: the top-k is identical, not approximately equal.
/// Thread-safe.
/// </summary>
public sealed class ShardedPredictor : IBatchPredictor, IDisposable
{
    private readonly XLinearPredictor _meta;
    private readonly IShardStepper[] _shards;
    private readonly ShardManifest _manifest;
    // Owner tables of levels split-1 .. depth-1 (index 0 = split-1).
    private readonly LevelOwners[] _owners;
    private readonly bool _ownsShards;

    /// <inheritdoc />
    public int FeatureCount => _manifest.FeatureCount;

    /// <inheritdoc />
    public int LabelCount => _manifest.LabelCount;

    /// <inheritdoc />
    public int Depth => _manifest.Depth;

    /// <inheritdoc />
    public int WidestLevel => _manifest.WidestLevel;

    /// <inheritdoc />
    public PredictOptions Defaults { get; }

    /// <summary>Number of shards.</summary>
    public int ShardCount => _shards.Length;

    /// <summary>Queries sent to a shard in one step call (a batch runs all its levels before the next starts) [1024].</summary>
    public int BatchRows { get; init; } = 1024;

    /// <summary>Batches in flight at once [1]: more hide a remote call's latency behind another batch's work.</summary>
    public int ConcurrentBatches { get; init; } = 1;

    /// <summary>
    /// A router over the meta-model <paramref name="meta"/> (levels above the split, as <see cref="ModelSharder"/>
    /// wrote it) and one stepper per shard of <paramref name="manifest"/>, in manifest order.
    /// </summary>
    /// <param name="manifest">The sharded model's manifest.</param>
    /// <param name="meta">The meta-model's predictor; disposed with this router.</param>
    /// <param name="shards">One stepper per shard.</param>
    /// <param name="defaults">Default beam settings; null for the meta-model's.</param>
    /// <param name="ownsShards">Dispose the steppers that are <see cref="IDisposable"/> with this router.</param>
    /// <exception cref="ArgumentException">The meta-model or the shard count does not match the manifest.</exception>
    public ShardedPredictor(ShardManifest manifest, XLinearPredictor meta, IReadOnlyList<IShardStepper> shards, PredictOptions? defaults = null, bool ownsShards = true)
    {
        _manifest = manifest ?? throw new ArgumentNullException(nameof(manifest));
        _meta = meta ?? throw new ArgumentNullException(nameof(meta));
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count != manifest.Shards.Count) throw new ArgumentException($"{shards.Count} shard steppers for {manifest.Shards.Count} shards.", nameof(shards));
        if (meta.TreeCount != 1 || meta.Depth != manifest.SplitLevel || meta.LabelCount != manifest.LevelNodes[manifest.SplitLevel - 1] || meta.FeatureCount != manifest.FeatureCount)
            throw new ArgumentException($"the meta-model ({meta.TreeCount} tree(s), depth {meta.Depth}, {meta.LabelCount} leaves, {meta.FeatureCount} features) does not match the manifest " +
                                        $"(depth {manifest.SplitLevel}, {manifest.LevelNodes[manifest.SplitLevel - 1]} subtree roots, {manifest.FeatureCount} features).", nameof(meta));
        _shards = shards.ToArray();
        _ownsShards = ownsShards;
        _owners = new LevelOwners[manifest.Depth - manifest.SplitLevel + 1];
        for (int i = 0; i < _owners.Length; i++) _owners[i] = new LevelOwners(manifest, manifest.SplitLevel - 1 + i);
        Defaults = defaults ?? meta.Defaults;
    }

    /// <summary>Disposes the meta-model and, when owned, the shard steppers.</summary>
    public void Dispose()
    {
        _meta.Dispose();
        if (!_ownsShards) return;
        foreach (var shard in _shards) (shard as IDisposable)?.Dispose();
    }

    /// <inheritdoc />
    /// <remarks>Waits for <see cref="PredictAsync"/>; with in-process shards nothing is asynchronous.</remarks>
    public CsrMatrix Predict(CsrMatrix queries, PredictOptions? options = null, int maxThreads = 0) =>
        PredictAsync(queries, options, maxThreads, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Predicts every row of <paramref name="queries"/>: row i holds the top-k labels of query i with their scores
    /// (CSR, sorted by label id), exactly as the unsharded model's predictor returns them.
    /// </summary>
    /// <param name="queries">n x D' query matrix with D' &lt;= <see cref="FeatureCount"/>.</param>
    /// <param name="options">Beam settings; null for <see cref="Defaults"/>; capped as the unsharded predictor caps them.</param>
    /// <param name="maxThreads">Upper bound on threads of the meta-model's search; 0 for all cores.</param>
    /// <param name="cancellationToken">Cancels the remaining shard calls.</param>
    /// <exception cref="ArgumentException">The queries have more columns than the model has features.</exception>
    public async Task<CsrMatrix> PredictAsync(CsrMatrix queries, PredictOptions? options, int maxThreads, CancellationToken cancellationToken)
    {
        options = Checked(queries, options, maxThreads);
        using var output = new TopKRows(queries.Rows, options.TopK);
        await SearchAsync(queries, options, maxThreads, beam => beam.CopyTo(output), cancellationToken).ConfigureAwait(false);
        return output.ToCsr(LabelCount);
    }

    /// <summary>
    /// Predicts every row of <paramref name="queries"/> as <see cref="PredictAsync"/> does, but returns each query's
    /// labels best first (score, then the smaller label id: the beam's own order), as the single-query predictor does.
    /// </summary>
    /// <exception cref="ArgumentException">The queries have more columns than the model has features.</exception>
    public async Task<ScoredLabel[][]> PredictRankedAsync(CsrMatrix queries, PredictOptions? options, int maxThreads, CancellationToken cancellationToken)
    {
        options = Checked(queries, options, maxThreads);
        var output = new ScoredLabel[queries.Rows][];
        int k = options.TopK;
        await SearchAsync(queries, options, maxThreads, beam => beam.CopyTo(output, k), cancellationToken).ConfigureAwait(false);
        return output;
    }

    private PredictOptions Checked(CsrMatrix queries, PredictOptions? options, int maxThreads)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(maxThreads);
        if (queries.Cols > FeatureCount)
            throw new ArgumentException($"The query matrix has {queries.Cols} columns but the model has {FeatureCount} features.", nameof(queries));
        return (options ?? Defaults).CappedTo(LabelCount, WidestLevel);
    }

    /// <summary>Runs the search in batches of <see cref="BatchRows"/> and hands each finished batch's beam to <paramref name="collect"/>.</summary>
    private async Task SearchAsync(CsrMatrix queries, PredictOptions options, int maxThreads, Action<ShardedBeam> collect, CancellationToken cancellationToken)
    {
        int batchRows = Math.Max(1, BatchRows), threads = ThreadCount.Resolve(maxThreads);
        int batches = (queries.Rows + batchRows - 1) / batchRows;
        await Parallel.ForAsync(0, batches, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, ConcurrentBatches), CancellationToken = cancellationToken },
            async (b, ct) =>
            {
                int first = b * batchRows, count = Math.Min(batchRows, queries.Rows - first);
                var beam = new ShardedBeam(queries, first, count, options);
                MetaBeam(beam, options, threads);
                for (int level = _manifest.SplitLevel; level < Depth; level++)
                    await StepAsync(beam, level, level == Depth - 1 ? options.TopK : options.BeamSize, options, ct).ConfigureAwait(false);
                collect(beam);
            }).ConfigureAwait(false);
    }

    /// <summary>The meta-model's levels: the single-machine search down to the subtree roots, keeping a beam there.</summary>
    private void MetaBeam(ShardedBeam beam, PredictOptions options, int threads)
    {
        var levels = _meta.TreeLevels(0);
        var mapping = _meta.Mapping;
        mapping?.Enter();
        try
        {
            ParallelBlocks.Run(beam.Count, 32, threads, () => 0, (_, start, end, _) =>
            {
                var ws = PredictWorkspace.Current;
                ws.Ensure(_meta.MaxChildren, options.BeamSize);
                for (int r = start; r < end; r++)
                {
                    var row = beam.Queries.Row(beam.First + r);
                    var query = new QueryVector(row.Indices, row.Values, _meta.Bias);
                    try
                    {
                        // The split level's parents are never the labels, so the beam (not top-k) survives there.
                        var found = ws.Results.AsSpan(0, options.BeamSize);
                        int n = BeamSearch.Run(levels, query, options.BeamSize, options.BeamSize, options.PostProcessor, ws, found);
                        beam.Set(r, found[..n]);
                    }
                    finally
                    {
                        ws.EndQuery(query);
                    }
                }
            });
        }
        finally
        {
            mapping?.Exit();
        }
    }

    /// <summary>Moves every query's beam from level-1 to <paramref name="level"/>: one call per shard, then the merge.</summary>
    private async Task StepAsync(ShardedBeam beam, int level, int k, PredictOptions options, CancellationToken ct)
    {
        var parentOwners = _owners[level - _manifest.SplitLevel];
        var requests = beam.Requests(parentOwners, _shards.Length, level, k, options.PostProcessor.Name);
        var calls = new Task<ShardStepResult>?[_shards.Length];
        for (int s = 0; s < _shards.Length; s++)
            if (requests[s] is { } request) calls[s] = _shards[s].StepAsync(request.Request, ct).AsTask();
        var answers = new ShardStepResult?[_shards.Length];
        for (int s = 0; s < _shards.Length; s++)
            if (calls[s] is { } call) answers[s] = await call.ConfigureAwait(false);
        beam.Merge(requests, answers, _owners[level - _manifest.SplitLevel + 1], level, k);
    }
}
