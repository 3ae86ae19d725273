using XmrEngine.Kernels;
using XmrEngine.Sparse;
using XmrEngine.Tests.Support;
using static XmrEngine.Tests.Kernels.KernelAssert;

namespace XmrEngine.Tests.Kernels;

/// <summary>
/// Every fast backend against <see cref="ReferenceKernels"/>: random matrices at several seeds and
/// densities, edge shapes, both masked-product strategies, thread-count determinism and argument
/// errors. Backends that do not load on this machine are reported as ignored, not passed.
/// </summary>
[TestFixtureSource(nameof(Backends))]
public sealed class KernelBackendConformanceTests(KernelBackend backend)
{
    private static readonly ReferenceKernels Oracle = ReferenceKernels.Instance;
    private SparseKernels _kernels = null!;

    /// <summary>All concrete backends except the oracle itself.</summary>
    public static IEnumerable<KernelBackend> Backends() =>
        Enum.GetValues<KernelBackend>().Where(b => b is not (KernelBackend.Auto or KernelBackend.Reference));

    private static readonly int[] VectorLengths = [0, 1, 7, 8, 9, 15, 16, 17, 33];

    [OneTimeSetUp]
    public void LoadBackend()
    {
        if (!KernelRegistry.IsAvailable(backend, out var reason)) Assert.Ignore($"{backend} is not available here: {reason}");
        _kernels = KernelRegistry.Get(backend);
        Assert.That(_kernels.Backend, Is.EqualTo(backend));
    }

    // ---------------------------------------------------------------- SpGEMM

    [Test]
    public void Multiply_RandomMatrices_MatchReference(
        [Values(1, 2, 3)] int seed, [Values(0.02, 0.1, 0.5)] double density)
    {
        // 200 output columns: sparse rows take the sort path, dense rows the linear-scan drain.
        var a = RandomSparse.Csr(150, 90, density, seed);
        var b = RandomSparse.Csr(90, 200, density, seed + 100);
        Close(_kernels.Multiply(a, b), Oracle.Multiply(a, b), "A*B");
    }

    [TestCase(0, 0, 0)]
    [TestCase(0, 5, 3)]
    [TestCase(3, 0, 4)]
    [TestCase(4, 6, 0)]
    [TestCase(1, 1, 1)]
    public void Multiply_DegenerateShapes_MatchReference(int m, int k, int n)
    {
        var a = RandomSparse.Csr(m, k, 0.7, 11);
        var b = RandomSparse.Csr(k, n, 0.7, 12);
        var c = _kernels.Multiply(a, b);
        Assert.That((c.Rows, c.Cols), Is.EqualTo((m, n)));
        Close(c, Oracle.Multiply(a, b), "A*B");
    }

    [Test]
    public void Multiply_SingleElements_GivesTheirProduct()
    {
        var a = new CsrMatrix(1, 1, [0, 1], [0], [3f]);
        var b = new CsrMatrix(1, 1, [0, 1], [0], [-2f]);
        var c = _kernels.Multiply(a, b);
        Assert.That(c.Nnz, Is.EqualTo(1));
        Assert.That(c[0, 0], Is.EqualTo(-6f));
    }

    [Test]
    public void Multiply_EmptyRowsAndColumns_StayEmpty()
    {
        // Row 1 of A and column 1 of A are empty; row 2 of B is empty, so A's column 2 contributes nothing.
        var a = new CsrMatrix(3, 3, [0, 2, 2, 3], [0, 2, 0], [1f, 2f, 4f]);
        var b = new CsrMatrix(3, 4, [0, 2, 3, 3], [0, 3, 1], [5f, 6f, 7f]);
        var c = _kernels.Multiply(a, b);
        Close(c, Oracle.Multiply(a, b), "A*B");
        Assert.That(c.RowLength(1), Is.EqualTo(0));
        Assert.That(c.Row(0).Indices.ToArray(), Is.EqualTo(new[] { 0, 3 }));
    }

    [Test]
    public void Multiply_CancellingProducts_KeepStructuralEntry()
    {
        // 1*1 + 1*(-1) = 0 at (0, 0): every backend keeps the structural entry, like the oracle.
        var a = new CsrMatrix(1, 2, [0, 2], [0, 1], [1f, 1f]);
        var b = new CsrMatrix(2, 1, [0, 1, 2], [0, 0], [1f, -1f]);
        var c = _kernels.Multiply(a, b);
        Close(c, Oracle.Multiply(a, b), "A*B");
        Assert.That(c.Nnz, Is.EqualTo(1));
    }

    [Test]
    public void Multiply_DuplicateTripletsSummedByBuilder_MatchReference()
    {
        var builder = new CooBuilder(3, 4);
        builder.Add(2, 1, 1.5f);
        builder.Add(0, 3, 1f);
        builder.Add(2, 1, 2.5f); // duplicate of (2, 1): stored as 4
        builder.Add(0, 0, -1f);
        builder.Add(0, 3, 2f); // duplicate of (0, 3): stored as 3
        var a = builder.ToCsr();
        var b = RandomSparse.Csr(4, 5, 0.6, 5);
        var c = _kernels.Multiply(a, b);
        Close(c, Oracle.Multiply(a, b), "A*B");
        for (int j = 0; j < 5; j++) Close(c[2, j], 4f * b[1, j], $"C[2,{j}]");
    }

    [Test]
    public void Multiply_OneOrTwoThreads_BitwiseIdentical()
    {
        var a = RandomSparse.CsrByRowCount(300, 500, 20, 21);
        var b = RandomSparse.CsrByRowCount(500, 700, 15, 22);
        Identical(_kernels.Multiply(a, b, maxThreads: 1), _kernels.Multiply(a, b, maxThreads: 2), "A*B threads 1 vs 2");
    }

    [Test]
    public void Multiply_InnerDimensionMismatch_Throws()
    {
        var a = CsrMatrix.Empty(2, 3);
        var b = CsrMatrix.Empty(4, 2);
        Assert.That(() => _kernels.Multiply(a, b), Throws.ArgumentException.With.Message.Contains("inner dimensions"));
    }

    // ---------------------------------------------------------------- masked product

    [Test]
    public void MaskedMultiply_RandomMatrices_MatchReference(
        [Values(1, 2, 3)] int seed, [Values(0.05, 0.3)] double density)
    {
        var x = RandomSparse.Csr(130, 70, density, seed);
        var w = RandomSparse.Csr(70, 45, density, seed + 7).ToCsc();
        var mask = RandomSparse.Csr(130, 45, 0.2, seed + 13);
        AssertMaskedMatches(x, w, mask);
    }

    [Test]
    public void MaskedMultiply_LongWColumnsShortXRows_GallopPathMatchesReference([Values(4, 5)] int seed)
    {
        // nnz(x_i) <= 2 and W columns of ~150 entries: column length > 32 * nnz(x_i), so x_i is searched.
        var x = RandomSparse.CsrByRowCount(40, 300, 2, seed);
        var w = RandomSparse.Csr(300, 25, 0.5, seed + 1).ToCsc();
        var mask = RandomSparse.Csr(40, 25, 0.6, seed + 2);
        AssertMaskedMatches(x, w, mask);
        Assert.That(Oracle.MaskedMultiply(x, w, mask).Values.ToArray(), Has.Some.Not.EqualTo(0f), "the data must exercise real overlaps");
    }

    [Test]
    public void MaskedMultiply_ShortWColumnsLongXRows_GatherPathMatchesReference([Values(6, 7)] int seed)
    {
        var x = RandomSparse.CsrByRowCount(40, 300, 60, seed);
        var w = RandomSparse.Csr(300, 25, 0.08, seed + 1).ToCsc();
        var mask = RandomSparse.Csr(40, 25, 0.6, seed + 2);
        AssertMaskedMatches(x, w, mask);
    }

    [Test]
    public void MaskedMultiply_MaskWithEmptyRowsAndXWithEmptyRows_MatchReference()
    {
        var x = new CsrMatrix(4, 3, [0, 2, 2, 3, 3], [0, 2, 1], [1f, 2f, 3f]);
        var w = new CsrMatrix(3, 2, [0, 1, 2, 4], [0, 1, 0, 1], [1f, 2f, 3f, 4f]).ToCsc();
        // Row 1 of x is empty but masked; rows 2 and 3 of the mask are empty.
        var mask = new CsrMatrix(4, 2, [0, 2, 4, 4, 4], [0, 1, 0, 1], [1f, 1f, 1f, 1f]);
        var got = AssertMaskedMatches(x, w, mask);
        Assert.That(got, Is.EqualTo(new[] { 7f, 8f, 0f, 0f }));
    }

    [Test]
    public void MaskedMultiply_MaskCoveringAllColumns_EqualsFullProduct()
    {
        var x = RandomSparse.Csr(70, 40, 0.2, 31);
        var wCsr = RandomSparse.Csr(40, 30, 0.3, 32);
        var full = new float[70, 30];
        for (int i = 0; i < 70; i++)
            for (int j = 0; j < 30; j++)
                full[i, j] = 1f;
        var mask = SparseOps.FromDense(full);
        var got = _kernels.MaskedMultiply(x, wCsr.ToCsc(), mask);
        var product = Oracle.Multiply(x, wCsr).ToDense();
        for (int i = 0; i < 70; i++)
            for (int j = 0; j < 30; j++)
                Close(got[i, j], product[i, j], $"XW[{i},{j}]");
    }

    [Test]
    public void MaskedMultiply_EmptyShapes_WriteNothing()
    {
        var x = CsrMatrix.Empty(0, 5);
        var w = CscMatrix.Empty(5, 3);
        var mask = CsrMatrix.Empty(0, 3);
        Assert.That(_kernels.MaskedMultiply(x, w, mask).Nnz, Is.EqualTo(0));
        var x2 = CsrMatrix.Empty(3, 0);
        var w2 = CscMatrix.Empty(0, 2);
        var mask2 = new CsrMatrix(3, 2, [0, 1, 1, 2], [1, 0], [1f, 1f]);
        var result = new float[] { 9f, 9f };
        _kernels.MaskedMultiply(x2, w2, mask2, result);
        Assert.That(result, Is.EqualTo(new[] { 0f, 0f }));
    }

    [Test]
    public void MaskedMultiply_OneOrTwoThreads_BitwiseIdentical()
    {
        var x = RandomSparse.CsrByRowCount(400, 600, 25, 41);
        var w = RandomSparse.Csr(600, 80, 0.1, 42).ToCsc();
        var mask = RandomSparse.Csr(400, 80, 0.15, 43);
        var one = new float[mask.Nnz];
        var two = new float[mask.Nnz];
        _kernels.MaskedMultiply(x, w, mask, one, maxThreads: 1);
        _kernels.MaskedMultiply(x, w, mask, two, maxThreads: 2);
        Identical(one, two, "masked threads 1 vs 2");
    }

    [Test]
    public void MaskedMultiply_ShapeMismatches_Throw()
    {
        var x = RandomSparse.Csr(4, 6, 0.5, 1);
        var w = RandomSparse.Csr(6, 3, 0.5, 2).ToCsc();
        var mask = RandomSparse.Csr(4, 3, 0.5, 3);
        Assert.That(() => _kernels.MaskedMultiply(x, RandomSparse.Csr(5, 3, 0.5, 2).ToCsc(), mask),
            Throws.ArgumentException.With.Message.Contains("inner dimensions"));
        Assert.That(() => _kernels.MaskedMultiply(x, w, RandomSparse.Csr(4, 2, 0.5, 3)),
            Throws.ArgumentException.With.Message.Contains("Mask is 4x2"));
        Assert.That(() => _kernels.MaskedMultiply(x, w, mask, new float[mask.Nnz + 1]),
            Throws.ArgumentException.With.Message.Contains("Result has length"));
    }

    private float[] AssertMaskedMatches(CsrMatrix x, CscMatrix w, CsrMatrix mask)
    {
        var got = new float[mask.Nnz];
        var expected = new float[mask.Nnz];
        Array.Fill(got, float.NaN); // every slot must be written
        _kernels.MaskedMultiply(x, w, mask, got);
        Oracle.MaskedMultiply(x, w, mask, expected);
        Close(got, expected, "masked XW");
        return got;
    }

    // ---------------------------------------------------------------- sparse x dense

    [Test]
    public void MultiplyDense_RandomMatrices_MatchReference([Values(0, 1, 7, 8, 9, 17, 33)] int bCols, [Values(1, 2)] int seed)
    {
        var a = RandomSparse.Csr(90, 40, 0.15, seed);
        var b = RandomVector(40 * bCols, seed + 1);
        var got = new float[90 * bCols];
        var expected = new float[90 * bCols];
        Array.Fill(got, float.NaN);
        _kernels.MultiplyDense(a, b, bCols, got);
        Oracle.MultiplyDense(a, b, bCols, expected);
        Close(got, expected, "A*B dense");
    }

    [Test]
    public void MultiplyDense_EmptyMatrix_GivesZeros()
    {
        var a = CsrMatrix.Empty(3, 0);
        var got = new float[] { 1f, 1f, 1f, 1f, 1f, 1f };
        _kernels.MultiplyDense(a, ReadOnlySpan<float>.Empty, 2, got);
        Assert.That(got, Is.All.EqualTo(0f));
        _kernels.MultiplyDense(CsrMatrix.Empty(0, 0), ReadOnlySpan<float>.Empty, 0, Span<float>.Empty);
    }

    [Test]
    public void MultiplyDense_OneOrTwoThreads_BitwiseIdentical()
    {
        var a = RandomSparse.CsrByRowCount(300, 200, 12, 51);
        var b = RandomVector(200 * 19, 52);
        var one = new float[300 * 19];
        var two = new float[300 * 19];
        _kernels.MultiplyDense(a, b, 19, one, maxThreads: 1);
        _kernels.MultiplyDense(a, b, 19, two, maxThreads: 2);
        Identical(one, two, "A*B dense threads 1 vs 2");
    }

    [Test]
    public void MultiplyDense_WrongBufferSizes_Throw()
    {
        var a = RandomSparse.Csr(3, 4, 0.5, 1);
        Assert.That(() => _kernels.MultiplyDense(a, new float[4 * 2 - 1], 2, new float[3 * 2]),
            Throws.ArgumentException.With.Message.Contains("Dense operand"));
        Assert.That(() => _kernels.MultiplyDense(a, new float[4 * 2], 2, new float[3 * 2 + 1]),
            Throws.ArgumentException.With.Message.Contains("Result has"));
    }

    // ---------------------------------------------------------------- gather-dot, chunk rows, centroids

    [Test]
    public void GatherDot_VectorLengths_MatchReference([ValueSource(nameof(VectorLengths))] int length)
    {
        var rng = new Random(length);
        var dense = RandomVector(64, length + 7);
        // Distinct indices in shuffled (unsorted) order.
        var indices = Enumerable.Range(0, 64).OrderBy(_ => rng.Next()).Take(length).ToArray();
        var values = RandomVector(length, length + 9);
        Close(_kernels.GatherDot(indices, values, dense), Oracle.GatherDot(indices, values, dense), $"sparse dot length {length}");
    }

    [Test]
    public void GatherDot_BadArguments_Throw()
    {
        Assert.That(() => _kernels.GatherDot([0, 1], [1f], new float[4]), Throws.ArgumentException.With.Message.Contains("differ in length"));
        Assert.That(() => _kernels.GatherDot([0, 4], [1f, 1f], new float[4]), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => _kernels.GatherDot([-1], [1f], new float[4]), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void AddChunkRow_DenseAndSparse_MatchReferenceBitForBit([ValueSource(nameof(VectorLengths))] int length, [Values] bool dense)
    {
        var rng = new Random(length * 3 + (dense ? 1 : 0));
        int width = dense ? length : length + 5;
        var values = RandomVector(length, length + 11);
        int[] slots = dense
            ? values.Select(BitConverter.SingleToInt32Bits).ToArray()
            : Enumerable.Range(0, width).OrderBy(_ => rng.Next()).Take(length)
                .SelectMany((c, k) => new[] { c, BitConverter.SingleToInt32Bits(values[k]) }).ToArray();
        var start = RandomVector(width, length + 13);
        var got = (float[])start.Clone();
        var expected = (float[])start.Clone();
        _kernels.AddChunkRow(0.75f, slots, dense, got);
        Oracle.AddChunkRow(0.75f, slots, dense, expected);
        // Sparse rows are scattered one product at a time on every backend; dense rows are an axpy whose
        // fused multiply-adds may round differently from the scalar oracle.
        if (dense) for (int c = 0; c < width; c++) Close(got[c], expected[c], $"child {c}");
        else Assert.That(got, Is.EqualTo(expected));
    }

    [Test]
    public void AddChunkRow_BadArguments_Throw()
    {
        Assert.That(() => _kernels.AddChunkRow(1f, [1, 2, 3], dense: true, new float[4]), Throws.ArgumentException.With.Message.Contains("dense chunk row"));
        Assert.That(() => _kernels.AddChunkRow(1f, [1, 2, 3], dense: false, new float[4]), Throws.ArgumentException.With.Message.Contains("pairs"));
        Assert.That(() => _kernels.AddChunkRow(1f, [4, 0], dense: false, new float[4]), Throws.ArgumentException.With.Message.Contains("outside"));
    }

    [Test]
    public void AccumulateRows_MatchesReferenceBitForBit([Values(1, 2)] int seed, [Values(1f, -0.37f)] float alpha)
    {
        var z = RandomSparse.Csr(120, 90, 0.1, seed: seed);
        var rng = new Random(seed);
        var (dense, marked, touched) = (new float[90], new bool[90], new int[90]);
        var (denseRef, markedRef, touchedRef) = (new float[90], new bool[90], new int[90]);
        int count = 0, countRef = 0;
        foreach (int size in new[] { 0, 1, 9, 40 })
        {
            var rows = Enumerable.Range(0, size).Select(_ => rng.Next(z.Rows)).ToArray();
            _kernels.AccumulateRows(z, rows, alpha, dense, marked, touched, ref count);
            Oracle.AccumulateRows(z, rows, alpha, denseRef, markedRef, touchedRef, ref countRef);
            Assert.That(dense, Is.EqualTo(denseRef), $"values after {size} rows");
            Assert.That(touched.Take(count), Is.EqualTo(touchedRef.Take(countRef)), "touched, in first-touch order");
            Assert.That(marked, Is.EqualTo(markedRef));
        }
    }

    [Test]
    public void AccumulateRows_BadArguments_Throw()
    {
        var z = new CsrMatrix(2, 4, [0, 1, 3], [3, 0, 1], [1f, 2f, 3f]);
        int count = 0;
        Assert.That(() => _kernels.AccumulateRows(z, [0], 1f, new float[3], new bool[3], new int[3], ref count), Throws.ArgumentException.With.Message.Contains("width 3"));
        Assert.That(() => _kernels.AccumulateRows(z, [2], 1f, new float[4], new bool[4], new int[4], ref count), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => _kernels.AccumulateRows(z, [0, 1], 1f, new float[4], new bool[4], new int[2], ref count), Throws.ArgumentException.With.Message.Contains("room for 2"));
        Assert.That(count, Is.Zero);
    }

    [Test]
    public void EveryOperationRunsHereOrSaysWhereAndWhy()
    {
        foreach (var op in Enum.GetValues<KernelOperation>())
        {
            var runsOn = _kernels.RunsOn(op);
            if (runsOn == _kernels.Backend) Assert.That(_kernels.DelegationReason(op), Is.Empty, op.ToString());
            else Assert.That(_kernels.DelegationReason(op), Is.Not.Empty, $"{op} runs on {runsOn} without a reason");
        }
        Assert.That(_kernels.RunsOn(KernelOperation.Multiply), Is.EqualTo(_kernels.Backend), "every backend computes its own products");
    }
}
