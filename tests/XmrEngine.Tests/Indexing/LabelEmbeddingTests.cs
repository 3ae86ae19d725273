using XmrEngine.Indexing;
using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Indexing;

public class LabelEmbeddingTests
{
    /// <summary>PIFA written out densely: normalise Y rows, Z = Y^T X, normalise Z rows.</summary>
    private static double[,] DensePifa(float[,] x, float[,] y)
    {
        int n = x.GetLength(0), d = x.GetLength(1), l = y.GetLength(1);
        var yn = new double[n, l];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < l; j++) s += (double)y[i, j] * y[i, j];
            s = Math.Sqrt(s);
            for (int j = 0; j < l; j++) yn[i, j] = s > 0 ? y[i, j] / s : 0;
        }
        var z = new double[l, d];
        for (int j = 0; j < l; j++)
            for (int f = 0; f < d; f++)
                for (int i = 0; i < n; i++) z[j, f] += yn[i, j] * x[i, f];
        for (int j = 0; j < l; j++)
        {
            double s = 0;
            for (int f = 0; f < d; f++) s += z[j, f] * z[j, f];
            s = Math.Sqrt(s);
            for (int f = 0; f < d; f++) z[j, f] = s > 0 ? z[j, f] / s : 0;
        }
        return z;
    }

    private static CsrMatrix RandomLabels(int n, int l, int seed)
    {
        var rng = new Random(seed);
        var b = new CooBuilder(n, l);
        // Instance 0 has no labels; label l-1 has no positives.
        for (int i = 1; i < n; i++)
            for (int j = 0; j < l - 1; j++)
                if (rng.NextDouble() < 0.3) b.Add(i, j, 1f);
        return b.ToCsr();
    }

    [TestCase(KernelBackend.Managed)]
    [TestCase(KernelBackend.Reference)]
    public void PifaMatchesDenseComputation(KernelBackend backend)
    {
        var x = RandomSparse.Csr(23, 13, 0.4, seed: 5).NormalizeRows();
        var y = RandomLabels(23, 6, seed: 9);
        var z = LabelEmbedding.Pifa(x, y, KernelRegistry.Get(backend));
        var expected = DensePifa(x.ToDense(), y.ToDense());
        Assert.That((z.Rows, z.Cols), Is.EqualTo((6, 13)));
        var got = z.ToDense();
        for (int j = 0; j < 6; j++)
            for (int f = 0; f < 13; f++)
                Assert.That(got[j, f], Is.EqualTo(expected[j, f]).Within(1e-5), $"label {j}, feature {f}");
        Assert.That(z.RowLength(5), Is.EqualTo(0), "a label without positives has an all-zero embedding");
    }

    [Test]
    public void LabelFeaturesAreNormalisedAndConcatenated()
    {
        var x = RandomSparse.Csr(10, 5, 0.5, seed: 1, allowEmptyRows: false).NormalizeRows();
        var y = RandomLabels(10, 4, seed: 2);
        var lf = RandomSparse.Csr(4, 3, 0.8, seed: 3, allowEmptyRows: false);
        var lfn = LabelEmbedding.FromLabelFeatures(lf);
        for (int j = 0; j < 4; j++)
        {
            double s = 0;
            foreach (float v in lfn.Row(j).Values) s += v * v;
            Assert.That(s, Is.EqualTo(1).Within(1e-5));
        }
        var both = LabelEmbedding.PifaConcat(x, y, lf);
        var pifa = LabelEmbedding.Pifa(x, y).ToDense();
        var dense = both.ToDense();
        var lfDense = lfn.ToDense();
        Assert.That((both.Rows, both.Cols), Is.EqualTo((4, 8)));
        for (int j = 0; j < 4; j++)
        {
            for (int f = 0; f < 5; f++) Assert.That(dense[j, f], Is.EqualTo(pifa[j, f]));
            for (int f = 0; f < 3; f++) Assert.That(dense[j, 5 + f], Is.EqualTo(lfDense[j, f]));
        }
    }

    [Test]
    public void ShapeMismatchesAreRejected()
    {
        var x = RandomSparse.Csr(10, 5, 0.5, seed: 1);
        Assert.That(() => LabelEmbedding.Pifa(x, CsrMatrix.Empty(9, 3)), Throws.ArgumentException.With.Message.Contains("10").And.Message.Contains("9"));
        Assert.That(() => LabelEmbedding.PifaConcat(x, CsrMatrix.Empty(10, 3), CsrMatrix.Empty(4, 2)), Throws.ArgumentException.With.Message.Contains("4 rows"));
    }
}
