namespace XmrEngine.Sharding;

/// <summary>
/// Greedy largest-first partition of weighted items into bins, the rule that splits subtrees between shard files and
/// between training jobs: items in decreasing weight (ties: smaller index) each go to the bin holding the least weight
/// so far (ties: fewer items, then the smaller bin index, so that no bin stays empty while items remain). Depends only
/// on the weights.
/// </summary>
public static class GreedyPartition
{
    /// <summary>The bin of every item, and each bin's total weight.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The bin count is not in [1, items].</exception>
    public static (int[] BinOf, long[] Loads) Assign(IReadOnlyList<long> weights, int bins)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (bins < 1 || bins > weights.Count)
            throw new ArgumentOutOfRangeException(nameof(bins), bins, $"the count must be in [1, {weights.Count}], one item at least per bin.");
        var order = Enumerable.Range(0, weights.Count).OrderByDescending(i => weights[i]).ThenBy(i => i).ToArray();
        var loads = new long[bins];
        var items = new int[bins];
        var binOf = new int[weights.Count];
        foreach (int item in order)
        {
            int best = 0;
            for (int b = 1; b < bins; b++)
                if (loads[b] < loads[best] || (loads[b] == loads[best] && items[b] < items[best])) best = b;
            binOf[item] = best;
            loads[best] += weights[item];
            items[best]++;
        }
        return (binOf, loads);
    }
}
