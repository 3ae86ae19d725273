namespace XmrEngine.Text;

/// <summary>
/// Turns merged document frequencies into a vocabulary: filters by document frequency, trims to
/// <see cref="TfidfOptions.MaxFeatures"/>, numbers the survivors in ordinal string order and computes idf.
/// Every step depends only on the counts, never on how they were gathered, so any thread count gives the
/// same vocabulary.
/// </summary>
internal static class VocabularyBuilder
{
    public static (string[] Terms, float[] Idf) Build(Dictionary<string, DocumentFrequencyCounter.Entry> counts, long documents, TfidfOptions o)
    {
        var (minDf, maxDf) = DfBounds(documents, o);
        var terms = new List<string>();
        var dfs = new List<int>();
        foreach (var (term, e) in counts)
        {
            if (e.Df < minDf || e.Df > maxDf) continue;
            terms.Add(term);
            dfs.Add(e.Df);
        }
        string[] t = [.. terms];
        int[] d = [.. dfs];

        if (o.MaxFeatures > 0 && t.Length > o.MaxFeatures)
        {
            var order = new int[t.Length];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            int sign = o.KeepFrequentFeatures ? -1 : 1;
            Array.Sort(order, (a, b) =>
            {
                int c = sign * d[a].CompareTo(d[b]);
                return c != 0 ? c : string.CompareOrdinal(t[a], t[b]);
            });
            var keptTerms = new string[o.MaxFeatures];
            var keptDf = new int[o.MaxFeatures];
            for (int i = 0; i < keptTerms.Length; i++)
            {
                keptTerms[i] = t[order[i]];
                keptDf[i] = d[order[i]];
            }
            t = keptTerms;
            d = keptDf;
        }

        Array.Sort(t, d, StringComparer.Ordinal);
        var idf = new float[t.Length];
        for (int i = 0; i < idf.Length; i++) idf[i] = Idf(documents, d[i], o);
        return (t, idf);
    }

    /// <summary>
    /// The inclusive document-frequency range a kept term must fall in (PECOS's rule): the lower bound is the
    /// larger of the count and round(ratio x N), the upper bound the smaller of round(ratio x N) and the
    /// count when the count is positive. Rounding is half away from zero, as C's round.
    /// </summary>
    public static (long Min, long Max) DfBounds(long documents, TfidfOptions o)
    {
        long min = Math.Max(o.MinDfCount, (long)Math.Round(o.MinDfRatio * documents, MidpointRounding.AwayFromZero));
        long max = (long)Math.Round(o.MaxDfRatio * documents, MidpointRounding.AwayFromZero);
        if (o.MaxDfCount > 0) max = Math.Min(max, o.MaxDfCount);
        return (min, max);
    }

    /// <summary>Inverse document frequency of a term with document frequency <paramref name="df"/>.</summary>
    public static float Idf(long documents, long df, TfidfOptions o)
    {
        double s = o.SmoothIdf ? 1 : 0;
        double n = documents;
        return o.IdfFormula == IdfFormula.Pecos
            ? (float)Math.Max(0.0, Math.Log(n / (df + s)))
            : (float)(Math.Log((n + s) / (df + s)) + 1.0);
    }
}
