using XmrEngine.Sparse;

namespace XmrEngine.Tests.Training;

/// <summary>
/// Seeded multi-label data with learnable structure: every label has a sparse prototype, an
/// instance's features are the sum of its labels' prototypes plus noise (rows L2-normalised).
/// The last label never occurs and every tenth instance has no label.
/// </summary>
internal static class SyntheticData
{
    public static (CsrMatrix X, CsrMatrix Y) Make(int n, int d, int labels, int seed)
    {
        var rng = new Random(seed);
        var prototypes = new (int Feature, float Value)[labels][];
        for (int l = 0; l < labels; l++)
            prototypes[l] = Enumerable.Range(0, 8).Select(_ => (rng.Next(d), (float)(0.5 + rng.NextDouble()))).ToArray();
        var xb = new CooBuilder(n, d);
        var yb = new CooBuilder(n, labels);
        for (int i = 0; i < n; i++)
        {
            if (i % 10 != 9)
            {
                int count = 1 + rng.Next(3);
                foreach (int l in Enumerable.Range(0, count).Select(_ => rng.Next(labels - 1)).Distinct())
                {
                    yb.Add(i, l, 1f);
                    foreach (var (f, v) in prototypes[l]) xb.Add(i, f, v);
                }
            }
            for (int k = 0; k < 4; k++) xb.Add(i, rng.Next(d), (float)(0.3 * rng.NextDouble()));
        }
        return (xb.ToCsr().NormalizeRows(), yb.ToCsr());
    }
}
