using XmrEngine.Sparse;

namespace XmrEngine.Tests.Support;

/// <summary>Seeded random sparse matrices for tests, including awkward shapes.</summary>
public static class RandomSparse
{
    /// <summary>A rows x cols CSR matrix where each entry is present with probability <paramref name="density"/>.</summary>
    public static CsrMatrix Csr(int rows, int cols, double density, int seed, bool allowEmptyRows = true)
    {
        var rng = new Random(seed);
        var b = new CooBuilder(rows, cols);
        for (int r = 0; r < rows; r++)
        {
            bool any = false;
            for (int c = 0; c < cols; c++)
            {
                if (rng.NextDouble() < density)
                {
                    b.Add(r, c, (float)(rng.NextDouble() * 2 - 1));
                    any = true;
                }
            }
            if (!any && !allowEmptyRows && cols > 0) b.Add(r, rng.Next(cols), 1f);
        }
        return b.ToCsr();
    }

    /// <summary>A CSR matrix with about <paramref name="nnzPerRow"/> entries per row (fast for wide shapes).</summary>
    public static CsrMatrix CsrByRowCount(int rows, int cols, int nnzPerRow, int seed)
    {
        var rng = new Random(seed);
        var b = new CooBuilder(rows, cols, rows * nnzPerRow);
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < nnzPerRow && cols > 0; k++)
                b.Add(r, rng.Next(cols), (float)(rng.NextDouble() * 2 - 1));
        return b.ToCsr();
    }
}
