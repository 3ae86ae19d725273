using XmrEngine.Ann;

namespace XmrEngine.Tests.Ann;

/// <summary>The SIMD dot product against the double-precision reference at every length around each vector width.</summary>
public class DenseDotTests
{
    private static readonly int[] Lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65, 127, 128, 129, 384, 385];

    [Test]
    public void MatchesTheReference_AtEveryLengthAroundEachWidth([Values(1, 2, 3)] int seed)
    {
        var rng = new Random(seed);
        foreach (int n in Lengths)
        {
            var a = new float[n];
            var b = new float[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = (float)(rng.NextDouble() * 2 - 1) * (seed == 3 ? 1e6f : 1f);
                b[i] = (float)(rng.NextDouble() * 2 - 1);
            }
            double reference = DenseDot.Reference(a, b);
            double scale = 0;
            for (int i = 0; i < n; i++) scale += Math.Abs((double)a[i] * b[i]);
            // float32 accumulation: error grows with the length and the sum of magnitudes.
            Assert.That(DenseDot.Dot(a, b), Is.EqualTo(reference).Within(1e-6 * (n + 1) * Math.Max(scale, 1e-30) + 1e-30), $"length {n}");
        }
    }

    [Test]
    public void EdgeCases_EmptyZeroAndMismatchedLengths()
    {
        Assert.That(DenseDot.Dot([], []), Is.Zero);
        Assert.That(DenseDot.Dot(new float[33], new float[33]), Is.Zero);
        Assert.That(() => DenseDot.Dot(new float[3], new float[4]), Throws.ArgumentException);
        var zero = new float[17];
        Assert.That(DenseDot.Normalize(zero), Is.Zero);
        Assert.That(zero, Is.All.Zero, "a zero vector stays zero, never NaN");
        var v = new float[] { 3, 4 };
        Assert.That(DenseDot.Normalize(v), Is.EqualTo(5f));
        Assert.That(v, Is.EqualTo(new[] { 0.6f, 0.8f }).Within(1e-7f));
    }
}
