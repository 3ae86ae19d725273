using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Kernels;

/// <summary>
/// The MKL backend against the scalar reference. Skipped where MKL is absent, except on CI or where
/// Debian's libmkl_rt is installed: there MKL must load, so a broken install fails the run.
/// </summary>
[TestFixture]
public class MklKernelsTests
{
    private const string DebianMklPath = "/usr/lib/x86_64-linux-gnu/libmkl_rt.so";
    private static readonly SparseKernels Reference = ReferenceKernels.Instance;

    private static MklKernels Mkl()
    {
        if (MklKernels.IsAvailable(out var reason)) return MklKernels.Instance;
        if (MklMustBePresent) Assert.Fail($"MKL should be available here but is not: {reason}");
        Assert.Ignore($"MKL not available: {reason}");
        return null!;
    }

    private static bool MklMustBePresent =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) || File.Exists(DebianMklPath);

    [Test]
    public void IsAvailableWhereInstalled()
    {
        bool available = MklKernels.IsAvailable(out var reason);
        if (!MklMustBePresent && !available) Assert.Ignore($"MKL not installed: {reason}");
        Assert.That(available, Is.True, reason);
        Assert.That(reason, Is.Empty);
        var kernels = KernelRegistry.Get(KernelBackend.Mkl);
        Assert.That(kernels, Is.SameAs(MklKernels.Instance));
        Assert.That(kernels.Backend, Is.EqualTo(KernelBackend.Mkl));
        Assert.That(kernels.Name, Does.StartWith("mkl (").And.Contains("Math Kernel Library"));
        Assert.That(KernelRegistry.Available().Select(k => k.Backend), Does.Contain(KernelBackend.Mkl));
    }

    [Test]
    public void UnavailableMklIsReportedWithReason()
    {
        if (MklKernels.IsAvailable(out _))
        {
            // Installed here: a child process that cannot see libmkl_rt takes the unavailable path.
            var (exit, error) = MklHiddenChild.RunXmr("spmm", "--backend", "mkl", "-a", "a.npz", "-b", "b.npz", "-o", "c.npz");
            Assert.That(exit, Is.EqualTo(2), error);
            Assert.That(error.Trim(), Does.StartWith("error: Kernel backend 'mkl' is not available: Intel MKL was not found"));
            return;
        }
        Assert.That(KernelRegistry.IsAvailable(KernelBackend.Mkl, out var reason), Is.False);
        Assert.That(reason, Is.Not.Empty);
        var e = Assert.Throws<KernelUnavailableException>(() => KernelRegistry.Get(KernelBackend.Mkl));
        Assert.That(e!.Message, Does.Contain(reason));
    }

    [TestCase(1, 1, 1, 1.0, 1)]
    [TestCase(7, 9, 5, 0.3, 1)]
    [TestCase(33, 17, 41, 0.15, 2)]
    [TestCase(100, 250, 90, 0.05, 2)]
    [TestCase(65, 300, 13, 0.02, 0)]
    public void MultiplyMatchesReference(int m, int k, int n, double density, int threads)
    {
        var mkl = Mkl();
        for (int seed = 0; seed < 3; seed++)
        {
            var a = RandomSparse.Csr(m, k, density, seed);
            var b = RandomSparse.Csr(k, n, density, seed + 100);
            AssertSame(mkl.Multiply(a, b, threads), Reference.Multiply(a, b));
        }
    }

    [Test]
    public void MultiplyOnWideXmrShapeMatchesReference()
    {
        var mkl = Mkl();
        var x = RandomSparse.CsrByRowCount(200, 5_000, 20, seed: 3);
        var w = RandomSparse.CsrByRowCount(5_000, 300, 6, seed: 4);
        AssertSame(mkl.Multiply(x, w, 2), Reference.Multiply(x, w));
    }

    [TestCase(1L)]
    [TestCase(7L)]
    [TestCase(60L)]
    public void MultiplyInRowBlocksMatchesReference(long blockLimit)
    {
        Mkl();
        var a = RandomSparse.Csr(50, 30, 0.2, seed: 11);
        var b = RandomSparse.Csr(30, 40, 0.2, seed: 12);
        var blocked = MklSpGemm.TryMultiply(a, b, threads: 2, blockLimit, out var reason);
        Assert.That(blocked, Is.Not.Null, reason);
        AssertSame(blocked!, Reference.Multiply(a, b));
    }

    [TestCase(0, 0, 0)]
    [TestCase(0, 5, 3)]
    [TestCase(4, 0, 3)]
    [TestCase(4, 5, 0)]
    public void MultiplyEmptyShapes(int m, int k, int n)
    {
        var mkl = Mkl();
        var c = mkl.Multiply(CsrMatrix.Empty(m, k), CsrMatrix.Empty(k, n));
        Assert.That((c.Rows, c.Cols, c.Nnz), Is.EqualTo((m, n, 0L)));
        Assert.That(c.Pointers.ToArray(), Has.All.EqualTo(0L));
    }

    [Test]
    public void MultiplyWithEmptyRowsAndColumns()
    {
        var mkl = Mkl();
        // Rows 0, 2 and 4 of A are empty; column 1 of A is never used; rows 1 and 3 of B are empty.
        var ab = new CooBuilder(5, 4);
        ab.Add(1, 0, 2f);
        ab.Add(1, 3, -1f);
        ab.Add(3, 1, 4f);
        ab.Add(3, 2, 0.5f);
        var bb = new CooBuilder(4, 6);
        bb.Add(0, 5, 3f);
        bb.Add(0, 0, 1f);
        bb.Add(2, 2, -2f);
        var a = ab.ToCsr();
        var b = bb.ToCsr();
        AssertSame(mkl.Multiply(a, b), Reference.Multiply(a, b));
        // A whose entries only hit empty rows of B: a product with no entries at all.
        var onlyEmpty = new CsrMatrix(2, 4, [0, 1, 2], [1, 3], [1f, 1f]);
        var c = mkl.Multiply(onlyEmpty, b);
        Assert.That((c.Rows, c.Cols, c.Nnz), Is.EqualTo((2, 6, 0L)));
    }

    [Test]
    public void MultiplySingleElement()
    {
        var mkl = Mkl();
        var a = new CsrMatrix(1, 1, [0, 1], [0], [3f]);
        var b = new CsrMatrix(1, 1, [0, 1], [0], [-2.5f]);
        var c = mkl.Multiply(a, b);
        Assert.That((c.Rows, c.Cols, c.Nnz, c[0, 0]), Is.EqualTo((1, 1, 1L, -7.5f)));
    }

    [Test]
    public void MultiplySumsDuplicateTriplets()
    {
        var mkl = Mkl();
        var ab = new CooBuilder(3, 3);
        ab.Add(0, 1, 1f);
        ab.Add(0, 1, 2f);
        ab.Add(2, 0, 1f);
        ab.Add(2, 2, -1f);
        ab.Add(2, 0, 0.25f);
        var bb = new CooBuilder(3, 4);
        bb.Add(1, 3, 2f);
        bb.Add(1, 3, 2f);
        bb.Add(0, 0, 1f);
        bb.Add(2, 0, 1f);
        var a = ab.ToCsr();
        var b = bb.ToCsr();
        var c = mkl.Multiply(a, b);
        AssertSame(c, Reference.Multiply(a, b));
        Assert.That(c[0, 3], Is.EqualTo(12f));
        Assert.That(c[2, 0], Is.EqualTo(0.25f));
    }

    [TestCase(1, 1, 1, 1)]
    [TestCase(9, 13, 7, 1)]
    [TestCase(40, 33, 17, 2)]
    [TestCase(130, 70, 8, 2)]
    [TestCase(64, 200, 1, 0)]
    public void MultiplyDenseMatchesReference(int m, int k, int bCols, int threads)
    {
        var mkl = Mkl();
        var rng = new Random(m * 31 + k);
        var a = RandomSparse.Csr(m, k, 0.1, seed: m + k);
        var b = Enumerable.Range(0, k * bCols).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var expected = new float[m * bCols];
        Reference.MultiplyDense(a, b, bCols, expected);
        var actual = Enumerable.Repeat(float.NaN, m * bCols).ToArray();
        mkl.MultiplyDense(a, b, bCols, actual, threads);
        AssertClose(actual, expected);
    }

    [TestCase(0, 4, 3)]
    [TestCase(3, 0, 2)]
    [TestCase(3, 4, 0)]
    [TestCase(5, 4, 3)]
    public void MultiplyDenseEdgeShapesAreZero(int m, int k, int bCols)
    {
        var mkl = Mkl();
        var a = CsrMatrix.Empty(m, k);
        var b = Enumerable.Repeat(1f, k * bCols).ToArray();
        var result = Enumerable.Repeat(float.NaN, m * bCols).ToArray();
        mkl.MultiplyDense(a, b, bCols, result);
        Assert.That(result, Has.All.EqualTo(0f));
    }

    [Test]
    public void MultiplyDenseWithEmptyRowsOverwritesThem()
    {
        var mkl = Mkl();
        var a = new CsrMatrix(4, 3, [0, 0, 2, 2, 3], [0, 2, 1], [1f, 2f, -1f]);
        float[] b = [1f, 2f, 3f, 4f, 5f, 6f];
        var result = Enumerable.Repeat(float.NaN, 8).ToArray();
        mkl.MultiplyDense(a, b, 2, result);
        Assert.That(result, Is.EqualTo(new[] { 0f, 0f, 11f, 14f, 0f, 0f, -3f, -4f }));
    }

    [Test]
    public void MaskedProductAndDotsMatchReference()
    {
        var mkl = Mkl();
        var x = RandomSparse.Csr(20, 50, 0.2, seed: 5);
        var w = SparseOps.ToCsc(RandomSparse.Csr(50, 30, 0.2, seed: 6));
        var mask = RandomSparse.Csr(20, 30, 0.3, seed: 7);
        var expected = new float[mask.Nnz];
        var actual = new float[mask.Nnz];
        Reference.MaskedMultiply(x, w, mask, expected);
        mkl.MaskedMultiply(x, w, mask, actual, 2);
        AssertClose(actual, expected);

        var v = Enumerable.Range(0, 37).Select(i => (float)Math.Cos(i)).ToArray();
        int[] idx = [3, 0, 36, 17];
        float[] val = [1f, -2f, 0.5f, 4f];
        Assert.That(mkl.GatherDot(idx, val, v), Is.EqualTo(Reference.GatherDot(idx, val, v)).Within(1e-5));
        Assert.That(mkl.RunsOn(KernelOperation.GatherDot), Is.EqualTo(KernelBackend.Managed), "stated delegation");
        Assert.That(mkl.RunsOn(KernelOperation.MaskedMultiply), Is.EqualTo(KernelBackend.Managed), "stated delegation");
        Assert.That(mkl.RunsOn(KernelOperation.Multiply), Is.EqualTo(KernelBackend.Mkl));
    }

    [Test]
    public void ThreadLimitAppliesOnlyInsideTheCall()
    {
        Mkl();
        int before = MklNative.GetMaxThreads();
        using (new MklThreadScope(1))
            Assert.That(MklNative.GetMaxThreads(), Is.EqualTo(1));
        Assert.That(MklNative.GetMaxThreads(), Is.EqualTo(before));
        var a = RandomSparse.Csr(30, 30, 0.2, seed: 8);
        MklKernels.Instance.Multiply(a, a, maxThreads: 1);
        Assert.That(MklNative.GetMaxThreads(), Is.EqualTo(before));
    }

    [Test]
    public unsafe void MklErrorStatusBecomesExceptionNamingTheFunction()
    {
        Mkl();
        int[] ptr = [0, 0];
        MklStatus status;
        fixed (int* p = ptr)
        {
            status = MklNative.CreateCsr(out var handle, MklIndexBase.Zero, -1, 2, p, p + 1, p, null);
            handle.Dispose();
        }
        Assert.That(status, Is.Not.EqualTo(MklStatus.Success));
        var e = Assert.Throws<MklException>(() => MklException.Check(status, "mkl_sparse_s_create_csr"));
        Assert.That(e!.Function, Is.EqualTo("mkl_sparse_s_create_csr"));
        Assert.That(e.Status, Is.EqualTo(status));
        Assert.That(e.Message, Does.Contain("mkl_sparse_s_create_csr").And.Contain("SPARSE_STATUS_"));
    }

    /// <summary>Same shape and structure, sorted rows, values equal up to float rounding.</summary>
    private static void AssertSame(CsrMatrix actual, CsrMatrix expected)
    {
        Assert.That((actual.Rows, actual.Cols), Is.EqualTo((expected.Rows, expected.Cols)));
        Assert.That(actual.Pointers.ToArray(), Is.EqualTo(expected.Pointers.ToArray()));
        Assert.That(actual.Indices.ToArray(), Is.EqualTo(expected.Indices.ToArray()));
        AssertClose(actual.Values.ToArray(), expected.Values.ToArray());
    }

    private static void AssertClose(float[] actual, float[] expected)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < actual.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-5 + 1e-5 * Math.Abs(expected[i])), $"entry {i}");
    }
}
