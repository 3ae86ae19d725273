namespace XmrEngine.Sharding;

/// <summary>
/// A sorted set of node ids of one tree level, stored as runs of consecutive ids. A balanced k-means tree
/// numbers each subtree's nodes consecutively, so a shard's nodes on a level are a handful of runs and the
/// manifest stays small even for huge models; an arbitrary tree (children not contiguous) still works, with
/// more runs. Immutable.
/// </summary>
public sealed class NodeRuns
{
    private readonly int[] _starts;
    private readonly int[] _counts;

    /// <summary>Number of runs.</summary>
    public int RunCount => _starts.Length;

    /// <summary>Number of ids in all runs.</summary>
    public int Count { get; }

    /// <summary>First id of run <paramref name="run"/>.</summary>
    public int Start(int run) => _starts[run];

    /// <summary>Length of run <paramref name="run"/>.</summary>
    public int Length(int run) => _counts[run];

    /// <summary>One past the largest id (0 when empty).</summary>
    public long End => _starts.Length == 0 ? 0 : (long)_starts[^1] + _counts[^1];

    /// <summary>Runs given as (start, length) pairs; they must be ascending, non-overlapping and non-empty.</summary>
    /// <exception cref="ArgumentException">A run is empty, negative, overlaps or follows a larger one, or the ids overflow.</exception>
    public NodeRuns(int[] starts, int[] counts)
    {
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(counts);
        if (starts.Length != counts.Length) throw new ArgumentException($"{starts.Length} run starts but {counts.Length} run lengths.", nameof(counts));
        long previousEnd = 0, total = 0;
        for (int i = 0; i < starts.Length; i++)
        {
            if (counts[i] < 1) throw new ArgumentException($"run {i} has length {counts[i]}; runs are non-empty.", nameof(counts));
            if (starts[i] < previousEnd)
                throw new ArgumentException($"run {i} starts at {starts[i]}, before the end {previousEnd} of the run before it; runs are ascending and disjoint.", nameof(starts));
            previousEnd = (long)starts[i] + counts[i];
            if (previousEnd > int.MaxValue) throw new ArgumentException($"run {i} ends at {previousEnd}, beyond the largest node id.", nameof(counts));
            total += counts[i];
        }
        _starts = starts;
        _counts = counts;
        Count = checked((int)total);
    }

    /// <summary>The runs of strictly increasing <paramref name="ids"/>.</summary>
    /// <exception cref="ArgumentException">The ids are not strictly increasing or one is negative.</exception>
    public static NodeRuns FromSorted(ReadOnlySpan<int> ids)
    {
        var starts = new List<int>();
        var counts = new List<int>();
        for (int i = 0; i < ids.Length; i++)
        {
            if (ids[i] < 0) throw new ArgumentException($"id {ids[i]} at position {i} is negative.", nameof(ids));
            if (i > 0 && ids[i] <= ids[i - 1]) throw new ArgumentException($"id {ids[i]} at position {i} does not follow {ids[i - 1]} in increasing order.", nameof(ids));
            if (i > 0 && ids[i] == ids[i - 1] + 1) counts[^1]++;
            else
            {
                starts.Add(ids[i]);
                counts.Add(1);
            }
        }
        return new NodeRuns(starts.ToArray(), counts.ToArray());
    }

    /// <summary>Every id, ascending (the shard's local numbering: local id i is the i-th id here).</summary>
    public int[] ToArray()
    {
        var ids = new int[Count];
        int at = 0;
        for (int r = 0; r < _starts.Length; r++)
            for (int j = 0; j < _counts[r]; j++) ids[at++] = _starts[r] + j;
        return ids;
    }
}
