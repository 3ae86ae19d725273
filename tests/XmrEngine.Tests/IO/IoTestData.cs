using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.IO;

/// <summary>Random and edge-case matrices for the format tests.</summary>
internal static class IoTestData
{
    /// <summary>A random binary label matrix where about a fifth of the rows have no label.</summary>
    public static CsrMatrix Labels(int rows, int cols, int seed, bool weighted = false)
    {
        var rng = new Random(seed);
        var b = new CooBuilder(rows, cols);
        for (int r = 0; r < rows && cols > 0; r++)
        {
            if (rng.Next(5) == 0) continue;
            int count = 1 + rng.Next(Math.Min(cols, 4));
            var chosen = new HashSet<int>();
            while (chosen.Count < count) chosen.Add(rng.Next(cols));
            foreach (int c in chosen) b.Add(r, c, weighted ? (float)Math.Round(rng.NextDouble() * 3, 2) : 1f);
        }
        return b.ToCsr();
    }

    /// <summary>Random features with some empty rows.</summary>
    public static CsrMatrix Features(int rows, int cols, int seed) =>
        cols == 0 ? CsrMatrix.Empty(rows, 0) : RandomSparse.Csr(rows, cols, 3.0 / Math.Max(cols, 3), seed);

    /// <summary>Values that stress float formatting: extremes, subnormals, negative zero, explicit zero.</summary>
    public static CsrMatrix AwkwardValues()
    {
        float[] values = [float.MaxValue, -float.MaxValue, float.Epsilon, 1e-30f, -0f, 0f, 1f / 3f, 123456.79f, 1e7f, 16777217f, 0.1f];
        var b = new CooBuilder(2, values.Length + 3);
        for (int i = 0; i < values.Length; i++) b.Add(i % 2, i + 1, values[i]);
        return b.ToCsr();
    }
}
