using XmrEngine.Kernels;
using static XmrEngine.Tests.Kernels.KernelAssert;

namespace XmrEngine.Tests.Kernels;

/// <summary>
/// The width-generic SIMD driver at every width it implements (the 512-bit blocks are not the default,
/// so only these tests run them) against double-precision sums; both lane loaders give the same bits.
/// </summary>
public sealed unsafe class SimdDriverTests
{
    private static readonly int[] Lengths = [0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 100];

    [Test]
    public void IndexedDot_EveryWidth_MatchesReference_AndLoadersAgree([ValueSource(nameof(Lengths))] int n, [Values(256, 512)] int width)
    {
        var rng = new Random(n * 7 + width);
        var dense = RandomVector(300, n + 1);
        var idx = Enumerable.Range(0, n).Select(_ => rng.Next(dense.Length)).ToArray();
        var val = RandomVector(n, n + 2);
        double expected = 0;
        for (int k = 0; k < n; k++) expected += (double)val[k] * dense[idx[k]];
        float gather, scalar;
        fixed (int* pi = idx)
        fixed (float* pv = val)
        fixed (float* pd = dense)
        {
            gather = SimdDriver.IndexedDot<GatherLoad>(pi, pv, n, pd, width);
            scalar = SimdDriver.IndexedDot<ScalarLoad>(pi, pv, n, pd, width);
        }
        Close(gather, (float)expected, $"gather dot n={n} width={width}");
        Assert.That(scalar, Is.EqualTo(gather), "same lanes, same reduction, same bits");
    }

    [Test]
    public void DefaultWidthIsTheOneTheKernelsAndBaselinesUse()
    {
        Assert.That(SimdDriver.DefaultMaxWidth, Is.EqualTo(256));
        var idx = Enumerable.Range(0, 40).Select(i => (i * 7) % 50).ToArray();
        var val = RandomVector(40, 3);
        var w = RandomVector(50, 4);
        fixed (int* pi = idx)
        fixed (float* pv = val)
        fixed (float* pw = w)
            Assert.That(VectorMath.GatherDot(idx, val, w), Is.EqualTo(SimdDriver.IndexedDot<GatherLoad>(pi, pv, idx.Length, pw, 256)));
    }

    [Test]
    public void ScaledAdd_EveryWidth_MatchesScalar([ValueSource(nameof(Lengths))] int n, [Values(128, 256, 512)] int width)
    {
        var x = RandomVector(n, n + 5);
        var y = RandomVector(n, n + 6);
        var expected = y.Select((v, i) => (float)(v + 0.3 * x[i])).ToArray();
        fixed (float* px = x)
        fixed (float* py = y)
            SimdDriver.ScaledAdd(0.3f, px, py, n, width);
        for (int i = 0; i < n; i++) Close(y[i], expected[i], $"element {i} of {n}, width {width}");
    }
}
