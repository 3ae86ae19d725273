using XmrEngine.Inference;
using XmrEngine.Sparse;

namespace XmrEngine.Sharding;

/// <summary>
/// The beam of one batch of queries during a sharded search: per query up to K (node, score) pairs, best first,
/// on the level just searched. Builds the per-shard step requests and merges the shards' answers into the next
/// level's beam with the single-machine ranking (<see cref="TopKHeap"/>: score, then smaller node id).
/// </summary>
internal sealed class ShardedBeam
{
    private readonly int _width;
    private int[] _nodes;
    private float[] _scores;
    private int[] _counts;

    /// <summary>The whole query matrix; this batch is rows <see cref="First"/> .. First + <see cref="Count"/>.</summary>
    public CsrMatrix Queries { get; }

    /// <summary>The batch's first row.</summary>
    public int First { get; }

    /// <summary>The batch's row count.</summary>
    public int Count { get; }

    /// <summary>A shard's request with the batch rows it covers (request row i is batch row Rows[i]).</summary>
    public sealed record ShardRequest(ShardStepRequest Request, int[] Rows);

    public ShardedBeam(CsrMatrix queries, int first, int count, PredictOptions options)
    {
        Queries = queries;
        First = first;
        Count = count;
        _width = Math.Max(options.BeamSize, options.TopK);
        _nodes = new int[count * _width];
        _scores = new float[count * _width];
        _counts = new int[count];
    }

    /// <summary>Sets batch row <paramref name="row"/>'s beam (best first).</summary>
    public void Set(int row, ReadOnlySpan<ScoredLabel> beam)
    {
        for (int i = 0; i < beam.Length; i++)
        {
            _nodes[row * _width + i] = beam[i].Label;
            _scores[row * _width + i] = beam[i].Score;
        }
        _counts[row] = beam.Length;
    }

    /// <summary>One request per shard holding any beam node (null for the others): its queries and their parents there.</summary>
    public ShardRequest?[] Requests(LevelOwners owners, int shardCount, int level, int k, string post)
    {
        var rows = new List<int>[shardCount];
        for (int r = 0; r < Count; r++)
            for (int i = 0; i < _counts[r]; i++)
            {
                int s = owners.Owner(_nodes[r * _width + i]);
                var list = rows[s] ??= [];
                if (list.Count == 0 || list[^1] != r) list.Add(r);
            }
        var requests = new ShardRequest?[shardCount];
        for (int s = 0; s < shardCount; s++)
            if (rows[s] is { } list) requests[s] = Build(owners, s, list.ToArray(), level, k, post);
        return requests;
    }

    private ShardRequest Build(LevelOwners owners, int shard, int[] rows, int level, int k, string post)
    {
        var pointers = new long[rows.Length + 1];
        var parentStart = new int[rows.Length + 1];
        for (int i = 0; i < rows.Length; i++)
        {
            pointers[i + 1] = pointers[i] + Queries.RowLength(First + rows[i]);
            int held = 0;
            for (int b = 0; b < _counts[rows[i]]; b++)
                if (owners.Owner(_nodes[rows[i] * _width + b]) == shard) held++;
            parentStart[i + 1] = parentStart[i] + held;
        }
        var indices = new int[pointers[^1]];
        var values = new float[pointers[^1]];
        var parents = new int[parentStart[^1]];
        var parentScores = new float[parentStart[^1]];
        for (int i = 0; i < rows.Length; i++)
        {
            var q = Queries.Row(First + rows[i]);
            q.Indices.CopyTo(indices.AsSpan((int)pointers[i]));
            q.Values.CopyTo(values.AsSpan((int)pointers[i]));
            int at = parentStart[i];
            for (int b = 0; b < _counts[rows[i]]; b++)
            {
                int node = _nodes[rows[i] * _width + b];
                if (owners.Owner(node) != shard) continue;
                parents[at] = node;
                parentScores[at++] = _scores[rows[i] * _width + b];
            }
        }
        var request = new ShardStepRequest
        {
            Level = level, K = k, PostProcessor = post,
            QueryPointers = pointers, QueryIndices = indices, QueryValues = values,
            ParentStart = parentStart, Parents = parents, ParentScores = parentScores,
        };
        return new ShardRequest(request, rows);
    }

    /// <summary>
    /// Replaces the beam with the best <paramref name="k"/> of all shards' answers per query, checking that each
    /// answer has the request's shape and holds only nodes of <paramref name="level"/> that its shard owns.
    /// </summary>
    /// <exception cref="InvalidOperationException">A shard's answer is malformed (names the shard).</exception>
    public void Merge(ShardRequest?[] requests, ShardStepResult?[] answers, LevelOwners owners, int level, int k)
    {
        var nodes = new int[_nodes.Length];
        var scores = new float[_scores.Length];
        var counts = new int[Count];
        for (int s = 0; s < requests.Length; s++)
        {
            if (requests[s] is not { } request) continue;
            var answer = answers[s] ?? throw new InvalidOperationException($"shard {s} gave no answer for level {level}.");
            var rows = request.Rows;
            if (answer.Start is null || answer.Nodes is null || answer.Scores is null || answer.Start.Length != rows.Length + 1 ||
                answer.Start[0] != 0 || answer.Start[^1] != answer.Nodes.Length || answer.Nodes.Length != answer.Scores.Length)
                throw new InvalidOperationException($"shard {s}: the answer for level {level} does not have the request's {rows.Length} queries.");
            for (int i = 0; i < rows.Length; i++)
            {
                int from = answer.Start[i], to = answer.Start[i + 1];
                if (to < from || to - from > k) throw new InvalidOperationException($"shard {s}: query {i} of level {level} has {to - from} nodes (at most {k} expected).");
                int r = rows[i];
                var rowNodes = nodes.AsSpan(r * _width, k);
                var rowScores = scores.AsSpan(r * _width, k);
                for (int e = from; e < to; e++)
                {
                    int node = answer.Nodes[e];
                    if (owners.Owner(node) != s) throw new InvalidOperationException($"shard {s}: returned node {node} of level {level}, which it does not hold.");
                    counts[r] = TopKHeap.Offer(rowNodes, rowScores, counts[r], k, node, answer.Scores[e]);
                }
            }
        }
        for (int r = 0; r < Count; r++) TopKHeap.SortBestFirst(nodes.AsSpan(r * _width, k), scores.AsSpan(r * _width, k), counts[r]);
        (_nodes, _scores, _counts) = (nodes, scores, counts);
    }

    /// <summary>Copies every query's beam (the labels, after the last level), best first, into its entry of <paramref name="output"/>.</summary>
    public void CopyTo(ScoredLabel[][] output, int topK)
    {
        for (int r = 0; r < Count; r++)
        {
            int m = Math.Min(_counts[r], topK);
            var labels = new ScoredLabel[m];
            for (int i = 0; i < m; i++) labels[i] = new ScoredLabel(_nodes[r * _width + i], _scores[r * _width + i]);
            output[First + r] = labels;
        }
    }

    /// <summary>Writes every query's beam (the labels, after the last level) into its row of <paramref name="output"/>.</summary>
    public void CopyTo(TopKRows output)
    {
        for (int r = 0; r < Count; r++)
        {
            int m = Math.Min(_counts[r], output.Capacity);
            _nodes.AsSpan(r * _width, m).CopyTo(output.Labels(First + r));
            _scores.AsSpan(r * _width, m).CopyTo(output.Scores(First + r));
            output.Commit(First + r, m);
        }
    }
}
