using XmrEngine.Sparse;

namespace XmrEngine.Benchmarks;

/// <summary>
/// Seeded synthetic matrices with the shapes of an XR-Linear problem: sparse TF-IDF-like inputs X,
/// a sparse weight matrix W, and a beam-search mask that selects whole parents' child blocks.
/// </summary>
public static class XmrShapes
{
    /// <summary>Rows x cols CSR with exactly <paramref name="nnzPerRow"/> distinct random columns per row, L2-normalised.</summary>
    public static CsrMatrix Inputs(int rows, int cols, int nnzPerRow, int seed)
    {
        var rng = new Random(seed);
        var ptr = new long[rows + 1];
        var idx = new int[(long)rows * nnzPerRow];
        var val = new float[idx.Length];
        var set = new HashSet<int>();
        for (int r = 0; r < rows; r++)
        {
            set.Clear();
            while (set.Count < Math.Min(nnzPerRow, cols)) set.Add(rng.Next(cols));
            var row = set.ToArray();
            Array.Sort(row);
            int start = (int)ptr[r];
            for (int k = 0; k < row.Length; k++)
            {
                idx[start + k] = row[k];
                val[start + k] = (float)rng.NextDouble() + 0.01f;
            }
            SparseOps.NormalizeInPlace(val.AsSpan(start, row.Length), RowNorm.L2);
            ptr[r + 1] = start + row.Length;
        }
        Array.Resize(ref idx, (int)ptr[rows]);
        Array.Resize(ref val, (int)ptr[rows]);
        return new CsrMatrix(rows, cols, ptr, idx, val);
    }

    /// <summary>A rows x cols matrix with each entry present with probability <paramref name="density"/> (values in [-1, 1)).</summary>
    public static CsrMatrix Weights(int rows, int cols, double density, int seed)
    {
        var rng = new Random(seed);
        int perRow = Math.Max(1, (int)Math.Round(cols * density));
        var m = Inputs(rows, cols, perRow, seed);
        var val = m.Values.ToArray();
        for (int k = 0; k < val.Length; k++) val[k] = (float)(rng.NextDouble() * 2 - 1);
        return new CsrMatrix(m.Rows, m.Cols, m.Pointers.ToArray(), m.Indices.ToArray(), val);
    }

    /// <summary>
    /// A beam-search mask: for each row, <paramref name="parentsPerRow"/> random distinct parents, each
    /// contributing its <paramref name="childrenPerParent"/> consecutive child columns.
    /// </summary>
    public static CsrMatrix Mask(int rows, int cols, int parentsPerRow, int childrenPerParent, int seed)
    {
        var rng = new Random(seed);
        int parents = cols / childrenPerParent;
        var ptr = new long[rows + 1];
        var idx = new List<int>(rows * parentsPerRow * childrenPerParent);
        var chosen = new HashSet<int>();
        for (int r = 0; r < rows; r++)
        {
            chosen.Clear();
            while (chosen.Count < Math.Min(parentsPerRow, parents)) chosen.Add(rng.Next(parents));
            var ps = chosen.ToArray();
            Array.Sort(ps);
            foreach (int p in ps)
                for (int c = 0; c < childrenPerParent; c++) idx.Add(p * childrenPerParent + c);
            ptr[r + 1] = idx.Count;
        }
        var ones = new float[idx.Count];
        Array.Fill(ones, 1f);
        return new CsrMatrix(rows, cols, ptr, idx.ToArray(), ones);
    }
}
