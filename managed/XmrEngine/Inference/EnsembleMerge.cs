namespace XmrEngine.Inference;

/// <summary>
/// Combines the ranked label lists of an ensemble's trees into one top-k list (see
/// <see cref="EnsembleCombination"/>). Works in caller-owned scratch, so a prediction allocates nothing;
/// ties go to the smaller label id, so the result does not depend on the trees' order.
/// </summary>
internal static class EnsembleMerge
{
    /// <summary>Rank offset of reciprocal-rank fusion (the customary 60 of Cormack et al., 2009).</summary>
    public const float RankOffset = 60f;

    /// <summary>Merges the trees' lists and writes the best <paramref name="k"/> labels, best first; returns how many.</summary>
    /// <param name="candidates">Every tree's list, best first, one after the other.</param>
    /// <param name="runLengths">Length of each tree's list (one entry per tree).</param>
    /// <param name="combination">How the scores are combined.</param>
    /// <param name="k">Most labels to return.</param>
    /// <param name="keys">Scratch of at least candidates.Length entries.</param>
    /// <param name="heapNodes">Scratch of at least k entries.</param>
    /// <param name="heapScores">Scratch of at least k entries.</param>
    /// <param name="output">Receives the result (at least k long).</param>
    public static int Merge(ReadOnlySpan<ScoredLabel> candidates, ReadOnlySpan<int> runLengths, EnsembleCombination combination, int k,
        Span<ulong> keys, Span<int> heapNodes, Span<float> heapScores, Span<ScoredLabel> output)
    {
        int n = candidates.Length, trees = runLengths.Length;
        // Sorting (label, position) keys groups each label's entries; the position finds the entry again.
        for (int i = 0; i < n; i++) keys[i] = ((ulong)(uint)candidates[i].Label << 32) | (uint)i;
        keys[..n].Sort();
        int count = 0;
        for (int g = 0; g < n;)
        {
            int label = (int)(keys[g] >> 32);
            float value = combination == EnsembleCombination.Max ? float.NegativeInfinity : 0f;
            for (; g < n && (int)(keys[g] >> 32) == label; g++)
            {
                int at = (int)(uint)keys[g];
                value = combination switch
                {
                    EnsembleCombination.Average => value + candidates[at].Score,
                    EnsembleCombination.ReciprocalRank => value + 1f / (RankOffset + 1 + RankInRun(runLengths, at)),
                    _ => Math.Max(value, candidates[at].Score),
                };
            }
            if (combination == EnsembleCombination.Average) value /= trees;
            count = TopKHeap.Offer(heapNodes, heapScores, count, k, label, value);
        }
        TopKHeap.SortBestFirst(heapNodes, heapScores, count);
        for (int i = 0; i < count; i++) output[i] = new ScoredLabel(heapNodes[i], heapScores[i]);
        return count;
    }

    /// <summary>0-based rank of the entry at <paramref name="position"/> within its tree's list.</summary>
    private static int RankInRun(ReadOnlySpan<int> runLengths, int position)
    {
        foreach (int length in runLengths)
        {
            if (position < length) return position;
            position -= length;
        }
        throw new ArgumentOutOfRangeException(nameof(position), "The position lies past every run.");
    }
}
