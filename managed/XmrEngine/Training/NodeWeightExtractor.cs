using XmrEngine.Kernels;

namespace XmrEngine.Training;

/// <summary>
/// Turns a worker's dense solution into one sparse weight column: keeps |w| &gt;= threshold (never
/// exact zeros), optionally only the largest |w| up to a cap (the bias competes like any feature),
/// sorted by row, with the bias at row D. Zeroes the worker's w and b as a side effect (the touched set stays
/// for the next sibling).
/// </summary>
/// <remarks>
/// The survivors are collected first and only they are sorted: a node may touch tens of thousands of
/// features but keep a few dozen weights after pruning, so sorting the touched set cost more than
/// solving small nodes did.
/// </remarks>
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
        int kept = 0;
        if (ws.AllFeaturesTouched)
        {
            // Every feature may be non-zero: scan w in order, which also yields the rows sorted.
            for (int j = 0; j < featureCount; j++)
                if (Keep(w[j], threshold)) ws.AddSurvivor(kept++, j, w[j]);
        }
        else
        {
            // Input feature touched[f] has its weight at w[f] with local ids, at w[touched[f]] otherwise.
            var touched = ws.Touched;
            bool local = ws.LocalIndexing;
            for (int f = 0; f < touched.Length; f++)
            {
                float v = w[local ? f : touched[f]];
                if (Keep(v, threshold)) ws.AddSurvivor(kept++, touched[f], v);
            }
            Array.Sort(ws.SurvivorRows, ws.SurvivorValues, 0, kept);
        }
        float bv = (float)ws.B;
        bool keepBias = hasBias && Keep(bv, threshold);
        if (keepBias) ws.AddSurvivor(kept++, featureCount, bv);
        var sortedRows = ws.SurvivorRows.AsSpan(0, kept);
        var sortedValues = ws.SurvivorValues.AsSpan(0, kept);
        var result = maxNonzeros > 0 && kept > maxNonzeros
            ? LargestByMagnitude(sortedRows, sortedValues, maxNonzeros)
            : (sortedRows.ToArray(), sortedValues.ToArray());
        ws.ZeroWeights();
        return result;
    }

    private static bool Keep(float v, float threshold) => v != 0f && Math.Abs(v) >= threshold;

    /// <summary>The <paramref name="cap"/> entries of largest |w| (ties: lower row first), sorted by row.</summary>
    private static (int[] Rows, float[] Values) LargestByMagnitude(ReadOnlySpan<int> sortedRows, ReadOnlySpan<float> values, int cap)
    {
        var cand = new (float Abs, int Row, float Value)[sortedRows.Length];
        for (int k = 0; k < cand.Length; k++) cand[k] = (Math.Abs(values[k]), sortedRows[k], values[k]);
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
