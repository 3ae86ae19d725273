using XmrEngine.Kernels;
using static XmrEngine.Tests.Kernels.KernelAssert;

namespace XmrEngine.Tests.Kernels;

/// <summary>
/// The width-generic SIMD driver at every width it implements (0 = scalar loops only, 256, 512; the kernels
/// run at the one <c>XMR_SIMD</c> selects) against double-precision sums; both lane loaders give the same bits.
/// </summary>
public sealed unsafe class SimdDriverTests
{
    private static readonly int[] Lengths = [0, 1, 7, 8, 15, 16, 17, 31, 32, 33, 100];

    [Test]
    public void IndexedDot_EveryWidth_MatchesReference_AndLoadersAgree([ValueSource(nameof(Lengths))] int n, [Values(0, 256, 512)] int width)
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
        Assert.That(SimdSelection.Resolve(null), Is.EqualTo((SimdWidth.Avx2, (string?)null)), "unset XMR_SIMD means 256 bits");
        var idx = Enumerable.Range(0, 40).Select(i => (i * 7) % 50).ToArray();
        var val = RandomVector(40, 3);
        var w = RandomVector(50, 4);
        fixed (int* pi = idx)
        fixed (float* pv = val)
        fixed (float* pw = w)
            Assert.That(VectorMath.GatherDot(idx, val, w), Is.EqualTo(SimdDriver.IndexedDot<GatherLoad>(pi, pv, idx.Length, pw, SimdSelection.MaxBits)),
                "the kernels run at the process's selected width");
    }

    [Test]
    public void ScaledAdd_EveryWidth_MatchesScalar([ValueSource(nameof(Lengths))] int n, [Values(0, 128, 256, 512)] int width)
    {
        var x = RandomVector(n, n + 5);
        var y = RandomVector(n, n + 6);
        var expected = y.Select((v, i) => (float)(v + 0.3 * x[i])).ToArray();
        fixed (float* px = x)
        fixed (float* py = y)
            SimdDriver.ScaledAdd(0.3f, px, py, n, width);
        for (int i = 0; i < n; i++) Close(y[i], expected[i], $"element {i} of {n}, width {width}");
    }

    [TestCase(null, SimdWidth.Avx2)]
    [TestCase("", SimdWidth.Avx2)]
    [TestCase("AVX2", SimdWidth.Avx2)]
    [TestCase(" scalar ", SimdWidth.Scalar)]
    [TestCase("0", SimdWidth.Scalar)]
    public void XmrSimdNamesAWidth(string? value, SimdWidth expected) =>
        Assert.That(SimdSelection.Resolve(value), Is.EqualTo((expected, (string?)null)));

    [Test]
    public void Avx512IsGrantedOnlyWhereTheCpuAcceleratesIt()
    {
        var (width, error) = SimdSelection.Resolve("avx512");
        if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            Assert.That((width, error), Is.EqualTo((SimdWidth.Avx512, (string?)null)));
            Assert.That(SimdSelection.Available, Does.Contain(SimdWidth.Avx512));
        }
        else
        {
            Assert.That(width, Is.EqualTo(SimdWidth.Avx2));
            Assert.That(error, Does.Contain("AVX-512F"));
        }
    }

    [TestCase("sse")]
    [TestCase("avx-2")]
    [TestCase("1024")]
    public void AnUnknownXmrSimdIsAnErrorNamingTheVariable(string value)
    {
        var (width, error) = SimdSelection.Resolve(value);
        Assert.That(width, Is.EqualTo(SimdWidth.Avx2));
        Assert.That(error, Does.Contain("XMR_SIMD").And.Contain(value).And.Contain("scalar, avx2 or avx512"));
    }
}
