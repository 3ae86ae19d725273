namespace XmrEngine.Evaluation;

/// <summary>
/// Mean reciprocal rank at a cut-off, for one relevant item per query (exact string match, as in query
/// auto-completion): a query scores 1/r when the relevant item is at rank r &lt;= k of its list, else 0;
/// MRR@k is the mean over queries.
/// </summary>
public static class MrrAtK
{
    /// <summary>1/rank of <paramref name="truth"/> within the first <paramref name="k"/> items of <paramref name="ranked"/> (ordinal equality), or 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    public static double ReciprocalRank(IReadOnlyList<string> ranked, string truth, int k = 10)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int limit = Math.Min(k, ranked.Count);
        for (int i = 0; i < limit; i++)
            if (string.Equals(ranked[i], truth, StringComparison.Ordinal)) return 1.0 / (i + 1);
        return 0;
    }

    /// <summary>Mean of <see cref="ReciprocalRank"/> over queries; 0 for no queries.</summary>
    /// <exception cref="ArgumentException">The two lists differ in length.</exception>
    public static double Mean(IReadOnlyList<IReadOnlyList<string>> ranked, IReadOnlyList<string> truths, int k = 10)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(truths);
        if (ranked.Count != truths.Count) throw new ArgumentException($"{ranked.Count} ranked lists but {truths.Count} truths.", nameof(truths));
        if (ranked.Count == 0) return 0;
        double sum = 0;
        for (int i = 0; i < ranked.Count; i++) sum += ReciprocalRank(ranked[i], truths[i], k);
        return sum / ranked.Count;
    }
}
