using XmrEngine.Sparse;
using XmrEngine.Common;

namespace XmrEngine.Synthetic;

/// <summary>
/// A seeded generator of XMR-like data: label popularity follows a Zipf law (a few head labels, a
/// long tail), and features are label-correlated — every label owns a signature of feature ids and an
/// instance draws most of its features from its labels' signatures, plus Zipf-distributed noise — so
/// that a linear tree model can learn it, as on real data. Rows of X are L2-normalised TF-IDF-like
/// positive values; Y is binary. Each instance is generated from its own seed, so the output does not
/// depend on the thread count.
/// </summary>
public static class SyntheticXmrGenerator
{
    /// <summary>Generates (X, Y).</summary>
    public static (CsrMatrix X, CsrMatrix Y) Generate(SyntheticXmrOptions options, int threads = 0)
    {
        options.Validate();
        var labelCdf = ZipfCdf(options.Labels, options.LabelZipfExponent);
        var featureCdf = ZipfCdf(options.Features, 1.0);
        int n = options.Instances;
        var xRows = new (int[] Idx, float[] Val)[n];
        var yRows = new int[n][];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = ThreadCount.Resolve(threads) }, i =>
        {
            var rng = new Random(unchecked((int)Mix((ulong)options.Seed * 0x9E3779B97F4A7C15UL + (ulong)i)));
            var labels = DrawLabels(rng, labelCdf, options.MeanLabelsPerInstance);
            yRows[i] = labels;
            var features = new Dictionary<int, float>();
            foreach (int l in labels)
            {
                for (int k = 0; k < options.FeaturesPerLabelInInstance; k++)
                {
                    int f = SignatureFeature(options.Seed, l, rng.Next(options.SignatureFeaturesPerLabel), options.Features);
                    features[f] = features.GetValueOrDefault(f) + 1f;
                }
            }
            for (int k = 0; k < options.NoiseFeaturesPerInstance; k++)
            {
                int f = Sample(featureCdf, rng.NextDouble());
                features[f] = features.GetValueOrDefault(f) + 1f;
            }
            var idx = features.Keys.ToArray();
            Array.Sort(idx);
            var val = new float[idx.Length];
            for (int k = 0; k < idx.Length; k++)
                // A sublinear tf times an idf-like weight that grows with the feature id (rarer features).
                val[k] = (1f + MathF.Log(features[idx[k]])) * (1f + MathF.Log(1f + idx[k] % 1000 / 100f));
            SparseOps.NormalizeInPlace(val, RowNorm.L2);
            xRows[i] = (idx, val);
        });
        return (Assemble(xRows, options.Features), AssembleBinary(yRows, options.Labels));
    }

    private static int[] DrawLabels(Random rng, double[] cdf, double mean)
    {
        // 1 + Poisson(mean - 1) labels, distinct.
        int count = 1 + Poisson(rng, mean - 1);
        count = Math.Min(count, cdf.Length);
        var set = new HashSet<int>();
        int guard = 0;
        while (set.Count < count && guard++ < count * 20) set.Add(Sample(cdf, rng.NextDouble()));
        var labels = set.ToArray();
        Array.Sort(labels);
        return labels;
    }

    private static int Poisson(Random rng, double lambda)
    {
        if (lambda <= 0) return 0;
        double l = Math.Exp(-lambda), p = 1;
        int k = 0;
        do
        {
            k++;
            p *= rng.NextDouble();
        } while (p > l && k < 1000);
        return k - 1;
    }

    /// <summary>The j-th signature feature of label l: a hash, so no table of L x signature ids is stored.</summary>
    private static int SignatureFeature(int seed, int label, int j, int features) =>
        (int)(Mix(((ulong)(uint)seed << 40) ^ ((ulong)(uint)label << 8) ^ (ulong)j) % (ulong)features);

    private static double[] ZipfCdf(int n, double s)
    {
        var cdf = new double[n];
        double acc = 0;
        for (int i = 0; i < n; i++)
        {
            acc += 1.0 / Math.Pow(i + 1, s);
            cdf[i] = acc;
        }
        for (int i = 0; i < n; i++) cdf[i] /= acc;
        return cdf;
    }

    private static int Sample(double[] cdf, double u)
    {
        int k = Array.BinarySearch(cdf, u);
        if (k < 0) k = ~k;
        return Math.Min(k, cdf.Length - 1);
    }

    /// <summary>SplitMix64 finaliser: a fast, well-mixed hash of a 64-bit value.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static CsrMatrix Assemble((int[] Idx, float[] Val)[] rows, int cols)
    {
        var ptr = new long[rows.Length + 1];
        for (int i = 0; i < rows.Length; i++) ptr[i + 1] = ptr[i] + rows[i].Idx.Length;
        var idx = new int[ptr[^1]];
        var val = new float[ptr[^1]];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i].Idx.CopyTo(idx, ptr[i]);
            rows[i].Val.CopyTo(val, ptr[i]);
        }
        return new CsrMatrix(rows.Length, cols, ptr, idx, val);
    }

    private static CsrMatrix AssembleBinary(int[][] rows, int cols)
    {
        var ptr = new long[rows.Length + 1];
        for (int i = 0; i < rows.Length; i++) ptr[i + 1] = ptr[i] + rows[i].Length;
        var idx = new int[ptr[^1]];
        for (int i = 0; i < rows.Length; i++) rows[i].CopyTo(idx, ptr[i]);
        var val = new float[idx.Length];
        Array.Fill(val, 1f);
        return new CsrMatrix(rows.Length, cols, ptr, idx, val);
    }
}
