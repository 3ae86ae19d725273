using XmrEngine.Common;
using XmrEngine.Inference;
using XmrEngine.IO;
using XmrEngine.Persistence;

namespace XmrEngine.Sharding;

/// <summary>
/// One shard file opened for serving: the memory-mapped sub-model (see <see cref="ModelSharder"/>) plus the
/// global id of each of its nodes. <see cref="Step"/> is one level of the beam search restricted to the shard's
/// subtrees, with the exact rule of the single-machine search (<see cref="BeamSelection"/> on the same raw scores,
/// ties by global id), so the router's merge of every shard's best K is the single-machine beam.
/// Thread-safe; dispose to unmap the file (safe while steps run, as for <see cref="XLinearPredictor"/>).
/// </summary>
public sealed class ModelShard : IShardStepper, IDisposable
{
    private readonly XLinearPredictor _predictor;
    private readonly ILevelScorer[] _levels;
    // Per local level: global id of each local node (ascending), and of each entry of the level's child lists.
    private readonly int[][] _globalIds;
    private readonly int[][] _childGlobalIds;

    /// <summary>The shard's index in the manifest.</summary>
    public int Index { get; }

    /// <summary>The shard file's full path.</summary>
    public string FilePath { get; }

    /// <summary>The model's split level (the first level this shard scores).</summary>
    public int SplitLevel { get; }

    /// <summary>The whole model's depth (one past the last level this shard scores).</summary>
    public int Depth { get; }

    /// <summary>Input dimension of the model.</summary>
    public int FeatureCount => _predictor.FeatureCount;

    /// <summary>True when the weights are scored from the mapped file.</summary>
    public bool IsMemoryMapped => _predictor.IsMemoryMapped;

    private ModelShard(XLinearPredictor predictor, ShardManifest manifest, int index, string path)
    {
        _predictor = predictor;
        _levels = predictor.TreeLevels(0);
        Index = index;
        FilePath = path;
        SplitLevel = manifest.SplitLevel;
        Depth = manifest.Depth;
        var entry = manifest.Shards[index];
        _globalIds = entry.Levels.Select(r => r.ToArray()).ToArray();
        _childGlobalIds = new int[_levels.Length][];
        for (int j = 0; j < _levels.Length; j++)
            _childGlobalIds[j] = Array.ConvertAll(_levels[j].Tree.ChildIds, local => _globalIds[j][local]);
    }

    /// <summary>
    /// Opens shard <paramref name="index"/> of the sharded model in <paramref name="directory"/> (a resolved
    /// version directory holding <paramref name="manifest"/>): checks the file against the manifest, maps it and
    /// checks that its tree has the manifest's node counts.
    /// </summary>
    /// <param name="directory">The directory holding the manifest and the files.</param>
    /// <param name="manifest">The manifest read from it.</param>
    /// <param name="index">The shard's index.</param>
    /// <param name="verifyChecksums">Check the file's SHA-256 (reads it once); the structure is validated regardless.</param>
    /// <exception cref="XmrDataException">The file is missing, corrupt, or does not match the manifest; names the file.</exception>
    public static ModelShard Open(string directory, ShardManifest manifest, int index, bool verifyChecksums = true)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, manifest.Shards.Count);
        var entry = manifest.Shards[index];
        string path = ShardFiles.Verify(directory, entry.File, verifyChecksums);
        // The SHA-256 already covered every byte, so the file's own checksums would only read it again.
        var predictor = XLinearModelFile.OpenMapped(path, null, verifyChecksums: false, out _);
        try
        {
            Check(predictor, manifest, entry, path);
            return new ModelShard(predictor, manifest, index, path);
        }
        catch
        {
            predictor.Dispose();
            throw;
        }
    }

    private static void Check(XLinearPredictor predictor, ShardManifest manifest, ShardEntry entry, string path)
    {
        if (predictor.TreeCount != 1) throw new XmrDataException(path, null, null, "trees", $"holds {predictor.TreeCount} trees; a shard holds one");
        if (predictor.FeatureCount != manifest.FeatureCount)
            throw new XmrDataException(path, null, null, "features", $"has {predictor.FeatureCount} features but the manifest says {manifest.FeatureCount}");
        if (predictor.Bias != manifest.Bias) throw new XmrDataException(path, null, null, "bias", $"is {predictor.Bias} but the manifest says {manifest.Bias}");
        var levels = predictor.TreeLevels(0);
        if (levels.Length != entry.Levels.Count)
            throw new XmrDataException(path, null, null, "levels", $"has {levels.Length} levels but the manifest lists {entry.Levels.Count}");
        for (int j = 0; j < levels.Length; j++)
            if (levels[j].Tree.NodeCount != entry.Levels[j].Count)
                throw new XmrDataException(path, null, null, $"level {j}", $"has {levels[j].Tree.NodeCount} nodes but the manifest lists {entry.Levels[j].Count}");
    }

    /// <summary>Unmaps the file once running steps return.</summary>
    public void Dispose() => _predictor.Dispose();

    /// <inheritdoc />
    public ValueTask<ShardStepResult> StepAsync(ShardStepRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Step(request));

    /// <summary>Runs one level step for every query of <paramref name="request"/> (in parallel over queries).</summary>
    /// <param name="request">The level, the queries and their parents.</param>
    /// <param name="maxThreads">Upper bound on worker threads; 0 for all cores.</param>
    /// <exception cref="ArgumentException">The request is malformed or names a parent this shard does not hold; the message says which.</exception>
    public ShardStepResult Step(ShardStepRequest request, int maxThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (local, post, j) = Validate(request);
        var level = _levels[j];
        var childIds = _childGlobalIds[j];
        int rows = request.Rows;
        // A shard never returns more nodes than its level holds, whatever K the caller sent.
        int k = Math.Min(request.K, level.Tree.NodeCount);
        var nodes = new int[rows * k];
        var scores = new float[rows * k];
        var counts = new int[rows];
        var mapping = _predictor.Mapping;
        mapping?.Enter();
        try
        {
            ParallelBlocks.Run(rows, 16, ThreadCount.Resolve(maxThreads), () => 0, (_, start, end, _) =>
            {
                var ws = PredictWorkspace.Current;
                ws.Ensure(_predictor.MaxChildren, k);
                for (int r = start; r < end; r++)
                {
                    int from = (int)request.QueryPointers[r], length = (int)(request.QueryPointers[r + 1] - from);
                    var query = new QueryVector(request.QueryIndices.AsSpan(from, length), request.QueryValues.AsSpan(from, length), _predictor.Bias);
                    try
                    {
                        int count = 0;
                        for (int b = request.ParentStart[r]; b < request.ParentStart[r + 1]; b++)
                        {
                            int parent = local[b];
                            int first = level.Tree.ChildStart[parent], n = level.Tree.ChildStart[parent + 1] - first;
                            if (n == 0) continue;
                            var raw = ws.ChildScores.AsSpan(0, n);
                            level.ScoreChildren(parent, query, ws, raw);
                            // Below the top level the single-machine search always combines with the parent's score.
                            count = BeamSelection.Offer(post, combine: true, request.ParentScores[b], childIds.AsSpan(first, n), raw, ws.HeapNodes, ws.HeapScores, count, k);
                        }
                        TopKHeap.SortBestFirst(ws.HeapNodes, ws.HeapScores, count);
                        ws.HeapNodes.AsSpan(0, count).CopyTo(nodes.AsSpan(r * k));
                        ws.HeapScores.AsSpan(0, count).CopyTo(scores.AsSpan(r * k));
                        counts[r] = count;
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
        return Pack(nodes, scores, counts, k);
    }

    private static ShardStepResult Pack(int[] nodes, float[] scores, int[] counts, int k)
    {
        var start = new int[counts.Length + 1];
        for (int r = 0; r < counts.Length; r++) start[r + 1] = start[r] + counts[r];
        var packedNodes = new int[start[^1]];
        var packedScores = new float[start[^1]];
        for (int r = 0; r < counts.Length; r++)
        {
            nodes.AsSpan(r * k, counts[r]).CopyTo(packedNodes.AsSpan(start[r]));
            scores.AsSpan(r * k, counts[r]).CopyTo(packedScores.AsSpan(start[r]));
        }
        return new ShardStepResult { Start = start, Nodes = packedNodes, Scores = packedScores };
    }

    /// <summary>Checks the request (it may come from another process) and maps its parents to local ids.</summary>
    private (int[] LocalParents, PostProcessor Post, int LocalLevel) Validate(ShardStepRequest r)
    {
        if (r.Level < SplitLevel || r.Level >= Depth)
            throw new ArgumentException($"shard {Index}: level {r.Level} is not one this shard scores ([{SplitLevel}, {Depth - 1}]).", nameof(r));
        if (r.K < 1) throw new ArgumentException($"shard {Index}: K must be positive; got {r.K}.", nameof(r));
        if (!PostProcessor.TryParse(r.PostProcessor, out var post)) throw new ArgumentException($"shard {Index}: unknown post-processor '{r.PostProcessor}'.", nameof(r));
        if (r.QueryPointers is null || r.QueryIndices is null || r.QueryValues is null || r.ParentStart is null || r.Parents is null || r.ParentScores is null)
            throw new ArgumentException($"shard {Index}: the request lacks an array.", nameof(r));
        if (r.QueryPointers.Length < 1) throw new ArgumentException($"shard {Index}: QueryPointers needs rows + 1 entries.", nameof(r));
        int rows = r.Rows;
        if (r.QueryIndices.Length != r.QueryValues.Length || r.QueryPointers[0] != 0 || r.QueryPointers[rows] != r.QueryIndices.Length)
            throw new ArgumentException($"shard {Index}: the query arrays disagree (pointers end at {r.QueryPointers[rows]}, {r.QueryIndices.Length} ids, {r.QueryValues.Length} values).", nameof(r));
        for (int row = 0; row < rows; row++)
        {
            long from = r.QueryPointers[row], to = r.QueryPointers[row + 1];
            if (to < from) throw new ArgumentException($"shard {Index}: query pointers decrease at row {row}.", nameof(r));
            for (long e = from; e < to; e++)
            {
                int id = r.QueryIndices[e];
                if ((uint)id >= (uint)FeatureCount || (e > from && id <= r.QueryIndices[e - 1]) || !float.IsFinite(r.QueryValues[e]))
                    throw new ArgumentException($"shard {Index}: query {row} has feature id {id} (value {r.QueryValues[e]}) out of range [0, {FeatureCount}), out of order or not finite.", nameof(r));
            }
        }
        if (r.ParentStart.Length != rows + 1 || r.ParentStart[0] != 0 || r.ParentStart[rows] != r.Parents.Length || r.Parents.Length != r.ParentScores.Length)
            throw new ArgumentException($"shard {Index}: the parent arrays disagree with {rows} queries.", nameof(r));
        int j = r.Level - (SplitLevel - 1);
        var parentIds = _globalIds[j - 1];
        var local = new int[r.Parents.Length];
        for (int row = 0; row < rows; row++)
        {
            if (r.ParentStart[row + 1] < r.ParentStart[row]) throw new ArgumentException($"shard {Index}: parent starts decrease at query {row}.", nameof(r));
            for (int b = r.ParentStart[row]; b < r.ParentStart[row + 1]; b++)
            {
                int at = Array.BinarySearch(parentIds, r.Parents[b]);
                if (at < 0) throw new ArgumentException($"shard {Index}: node {r.Parents[b]} of level {r.Level - 1} is not held by this shard.", nameof(r));
                local[b] = at;
            }
        }
        return (local, post, j);
    }
}
