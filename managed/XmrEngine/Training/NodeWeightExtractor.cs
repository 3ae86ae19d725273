namespace XmrEngine.Training;

/// <summary>
/// Turns a worker's dense solution into one sparse weight column: keeps |w| &gt;= threshold (never
/// exact zeros), optionally only the largest |w| up to a cap (the bias competes like any feature),
/// sorted by row, with the bias at row D. Clears the worker's w as a side effect.
/// </summary>
internal static class NodeWeightExtractor
{
    /// <param name="ws">Worker holding the solution; its weights are zero afterwards.</param>
    /// <param name="featureCount">D; the bias goes to row D.</param>
    /// <param name="hasBias">Whether a bias feature is in use (bias value &gt; 0).</param>
    /// <param name="threshold">Smallest |w| kept.</param>
    /// <param name="maxNonzeros">Cap on kept entries; 0 means no cap.</param>
    public static (int[] Rows, float[] Values) Extract(SolverWorkspace ws, int featureCount, bool hasBias, float threshold, int maxNonzeros)
    {
        var w = ws.W;
        var touched = ws.SortedTouched();
        int kept = 0;
        foreach (int j in touched)
            if (Keep(w[j], threshold)) kept++;
        float bv = (float)ws.B;
        bool keepBias = hasBias && Keep(bv, threshold);
        int total = kept + (keepBias ? 1 : 0);

        int[] rows;
        float[] vals;
        if (maxNonzeros > 0 && total > maxNonzeros)
        {
            (rows, vals) = LargestByMagnitude(touched, w, threshold, kept, keepBias ? featureCount : -1, bv, maxNonzeros);
        }
        else
        {
            rows = new int[total];
            vals = new float[total];
            int k = 0;
            foreach (int j in touched)
            {
                if (!Keep(w[j], threshold)) continue;
                rows[k] = j;
                vals[k++] = w[j];
            }
            if (keepBias)
            {
                rows[k] = featureCount;
                vals[k] = bv;
            }
        }
        ws.ClearWeights();
        return (rows, vals);
    }

    private static bool Keep(float v, float threshold) => v != 0f && Math.Abs(v) >= threshold;

    /// <summary>The <paramref name="cap"/> surviving entries of largest |w| (ties: lower row first), sorted by row.</summary>
    private static (int[] Rows, float[] Values) LargestByMagnitude(ReadOnlySpan<int> sortedRows, float[] w, float threshold, int kept, int biasRow, float biasValue, int cap)
    {
        var cand = new (float Abs, int Row, float Value)[kept + (biasRow >= 0 ? 1 : 0)];
        int n = 0;
        foreach (int j in sortedRows)
            if (Keep(w[j], threshold)) cand[n++] = (Math.Abs(w[j]), j, w[j]);
        if (biasRow >= 0) cand[n] = (Math.Abs(biasValue), biasRow, biasValue);
        Array.Sort(cand, static (a, b) => a.Abs != b.Abs ? b.Abs.CompareTo(a.Abs) : a.Row.CompareTo(b.Row));
        var top = cand.AsSpan(0, cap);
        top.Sort(static (a, b) => a.Row.CompareTo(b.Row));
        var rows = new int[cap];
        var vals = new float[cap];
        for (int k = 0; k < cap; k++)
        {
            rows[k] = top[k].Row;
            vals[k] = top[k].Value;
        }
        return (rows, vals);
    }
}
