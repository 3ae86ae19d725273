using XmrEngine.Sparse;

namespace XmrEngine.Fuzz;

/// <summary>The small seeded matrices the seeds are made of (6 rows, 9 features, 4 labels).</summary>
internal static class SeedMatrices
{
    public static CsrMatrix Features { get; } = Matrix(6, 9, 3, seed: 1);

    public static CsrMatrix Labels { get; } = Matrix(6, 4, 1, seed: 2);

    private static CsrMatrix Matrix(int rows, int cols, int perRow, int seed)
    {
        var rng = new Random(seed);
        var b = new CooBuilder(rows, cols);
        for (int r = 0; r < rows; r++)
            foreach (int c in Enumerable.Range(0, cols).OrderBy(_ => rng.Next()).Take(perRow))
                b.Add(r, c, (float)rng.NextDouble() + 0.1f);
        return b.ToCsr();
    }
}
