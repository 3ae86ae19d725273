using XmrEngine.Kernels;

namespace XmrEngine.Tests.Training;

/// <summary>The solvers' unchecked row dot against <see cref="VectorMath.GatherDot"/> (bit for bit) and a double-precision reference.</summary>
public class SparseRowDotTests
{
    [Test]
    public void MatchesGatherDotBitForBitAndTheReference([Values(0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 33, 100)] int length)
    {
        var rng = new Random(length + 1);
        var w = Enumerable.Range(0, 200).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        for (int trial = 0; trial < 20; trial++)
        {
            var idx = Enumerable.Range(0, 200).OrderBy(_ => rng.Next()).Take(length).Order().ToArray();
            var val = Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            float fast = SparseRowDot.Dot(idx, val, w);
            Assert.That(fast, Is.EqualTo(VectorMath.GatherDot(idx, val, w)), "same lanes and reduction as GatherDot");
            Assert.That(fast, Is.EqualTo(SparseRowDot.DotReference(idx, val, w)).Within(1e-5 * Math.Max(1, length)));
        }
    }

    [Test]
    public void ReferenceIsTheScalarSum()
    {
        float[] w = [1f, 2f, 3f, 4f];
        Assert.That(SparseRowDot.DotReference([0, 3], [0.5f, -1f], w), Is.EqualTo(-3.5));
        Assert.That(SparseRowDot.Dot([0, 3], [0.5f, -1f], w), Is.EqualTo(-3.5f));
    }
}
