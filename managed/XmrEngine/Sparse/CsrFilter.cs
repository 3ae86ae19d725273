namespace XmrEngine.Sparse;

/// <summary>Entry-wise filters of a CSR matrix that keep its shape: the kept entries stay in their rows, in order.</summary>
internal static class CsrFilter
{
    /// <summary>The entries of <paramref name="a"/> whose value passes <paramref name="keep"/>, with their values.</summary>
    public static CsrMatrix Where(CsrMatrix a, Func<float, bool> keep) => Build(a, v => keep(v) ? v : null);

    /// <summary>Each entry's value mapped by <paramref name="map"/>; entries whose mapped value is below <paramref name="min"/> are dropped.</summary>
    public static CsrMatrix MapValues(CsrMatrix a, Func<float, float> map, double min) => Build(a, v =>
    {
        float m = map(v);
        return m >= min ? m : null;
    });

    private static CsrMatrix Build(CsrMatrix a, Func<float, float?> entry)
    {
        var ptr = new long[a.Rows + 1];
        var idx = new List<int>();
        var val = new List<float>();
        for (int r = 0; r < a.Rows; r++)
        {
            var row = a.Row(r);
            for (int k = 0; k < row.Length; k++)
            {
                if (entry(row.Values[k]) is not { } v) continue;
                idx.Add(row.Indices[k]);
                val.Add(v);
            }
            ptr[r + 1] = idx.Count;
        }
        return new CsrMatrix(a.Rows, a.Cols, ptr, idx.ToArray(), val.ToArray());
    }
}
