using XmrEngine.Persistence;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Cli;

/// <summary>Comparisons of saved models and matrices the CLI tests share.</summary>
internal static class ModelFileAssert
{
    /// <summary>Two model files hold the same weight pattern on every level and values within <paramref name="tolerance"/>.</summary>
    public static void SameWeights(string a, string b, double tolerance)
    {
        var ma = XLinearModelFile.Load(a);
        var mb = XLinearModelFile.Load(b);
        Assert.That(mb.Weights, Has.Count.EqualTo(ma.Weights.Count), "levels");
        for (int t = 0; t < ma.Weights.Count; t++)
        {
            Assert.That(mb.Weights[t].Indices.ToArray(), Is.EqualTo(ma.Weights[t].Indices.ToArray()), $"level {t}");
            var va = ma.Weights[t].Values.ToArray();
            var vb = mb.Weights[t].Values.ToArray();
            for (int k = 0; k < va.Length; k++) Assert.That((double)vb[k], Is.EqualTo(va[k]).Within(tolerance), $"level {t}, value {k}");
        }
    }

    /// <summary>The matrix as a dense row-major array (for writing it as a dense .npy).</summary>
    public static float[,] Dense(CsrMatrix m)
    {
        var d = new float[m.Rows, m.Cols];
        for (int r = 0; r < m.Rows; r++)
        {
            var row = m.Row(r);
            for (int k = 0; k < row.Indices.Length; k++) d[r, row.Indices[k]] = row.Values[k];
        }
        return d;
    }
}
