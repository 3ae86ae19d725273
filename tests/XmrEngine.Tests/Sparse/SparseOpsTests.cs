using XmrEngine.Sparse;
using XmrEngine.Tests.Support;

namespace XmrEngine.Tests.Sparse;

public sealed class SparseOpsTests
{
    [TestCase(0, 0)]
    [TestCase(1, 1)]
    [TestCase(7, 13)]
    [TestCase(40, 3)]
    public void ToCscToCsr_RoundTrip_KeepsMatrix(int rows, int cols)
    {
        var a = RandomSparse.Csr(rows, cols, 0.3, rows * 31 + cols);
        var csc = a.ToCsc();
        Assert.That((csc.Rows, csc.Cols, csc.Nnz), Is.EqualTo((a.Rows, a.Cols, a.Nnz)));
        var back = csc.ToCsr();
        Assert.That(back.Pointers.ToArray(), Is.EqualTo(a.Pointers.ToArray()));
        Assert.That(back.Indices.ToArray(), Is.EqualTo(a.Indices.ToArray()));
        Assert.That(back.Values.ToArray(), Is.EqualTo(a.Values.ToArray()));
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                Assert.That(csc[r, c], Is.EqualTo(a[r, c]));
    }

    [Test]
    public void Transpose_SwapsEntriesAndTwiceIsIdentity()
    {
        var a = RandomSparse.Csr(9, 14, 0.25, 5);
        var t = a.Transpose();
        Assert.That((t.Rows, t.Cols), Is.EqualTo((14, 9)));
        var d = a.ToDense();
        var dt = t.ToDense();
        for (int r = 0; r < 9; r++)
            for (int c = 0; c < 14; c++)
                Assert.That(dt[c, r], Is.EqualTo(d[r, c]));
        Assert.That(t.Transpose().ToDense(), Is.EqualTo(d));
        // A CSC matrix's arrays are the CSR arrays of its transpose.
        Assert.That(a.ToCsc().TransposeView().ToDense(), Is.EqualTo(dt));
        Assert.That(a.TransposeView().ToCsr().ToDense(), Is.EqualTo(dt));
    }

    [TestCase(RowNorm.L1)]
    [TestCase(RowNorm.L2)]
    public void NormalizeRows_GivesUnitRowsAndLeavesZeroRows(RowNorm norm)
    {
        // Row 1 has no entries, row 2 only an explicit zero.
        var a = new CsrMatrix(3, 4, [0, 3, 3, 4], [0, 1, 3, 2], [3f, -4f, 12f, 0f]);
        var n = a.NormalizeRows(norm);
        double expectedScale = norm == RowNorm.L1 ? 19 : 13;
        var row = n.Row(0).Values.ToArray();
        Assert.That(row[0], Is.EqualTo(3 / expectedScale).Within(1e-6));
        Assert.That(row[1], Is.EqualTo(-4 / expectedScale).Within(1e-6));
        double total = norm == RowNorm.L1 ? row.Sum(v => Math.Abs(v)) : Math.Sqrt(row.Sum(v => (double)v * v));
        Assert.That(total, Is.EqualTo(1.0).Within(1e-6));
        Assert.That(n.RowLength(1), Is.EqualTo(0));
        Assert.That(n.Row(2).Values.ToArray(), Is.EqualTo(new[] { 0f }));
        Assert.That(a.Values.ToArray(), Is.EqualTo(new[] { 3f, -4f, 12f, 0f }), "input untouched");
    }

    [Test]
    public void HStack_PlacesBlocksSideBySide()
    {
        var a = RandomSparse.Csr(5, 3, 0.5, 1);
        var b = RandomSparse.Csr(5, 0, 0.5, 2);
        var c = RandomSparse.Csr(5, 4, 0.5, 3);
        var s = SparseOps.HStack(a, b, c);
        Assert.That((s.Rows, s.Cols, s.Nnz), Is.EqualTo((5, 7, a.Nnz + c.Nnz)));
        var ds = s.ToDense();
        for (int r = 0; r < 5; r++)
        {
            for (int j = 0; j < 3; j++) Assert.That(ds[r, j], Is.EqualTo(a[r, j]));
            for (int j = 0; j < 4; j++) Assert.That(ds[r, 3 + j], Is.EqualTo(c[r, j]));
        }
        Assert.That(() => SparseOps.HStack(a, RandomSparse.Csr(4, 3, 0.5, 4)), Throws.ArgumentException.With.Message.Contains("block 1 has 4 rows"));
        Assert.That(() => SparseOps.HStack(), Throws.ArgumentException);
    }

    [Test]
    public void VStack_PlacesBlocksOnTopOfEachOther()
    {
        var a = RandomSparse.Csr(3, 6, 0.5, 5);
        var b = RandomSparse.Csr(0, 6, 0.5, 6);
        var c = RandomSparse.Csr(4, 6, 0.5, 7);
        var s = SparseOps.VStack(a, b, c);
        Assert.That((s.Rows, s.Cols, s.Nnz), Is.EqualTo((7, 6, a.Nnz + c.Nnz)));
        for (int j = 0; j < 6; j++)
        {
            for (int r = 0; r < 3; r++) Assert.That(s[r, j], Is.EqualTo(a[r, j]));
            for (int r = 0; r < 4; r++) Assert.That(s[3 + r, j], Is.EqualTo(c[r, j]));
        }
        Assert.That(() => SparseOps.VStack(a, RandomSparse.Csr(2, 5, 0.5, 8)), Throws.ArgumentException.With.Message.Contains("block 1 has 5 columns"));
    }

    [Test]
    public void SelectRows_KeepsOrderAndRepeats()
    {
        var a = RandomSparse.Csr(6, 5, 0.5, 9);
        var s = a.SelectRows([4, 0, 4]);
        Assert.That(s.Rows, Is.EqualTo(3));
        for (int j = 0; j < 5; j++)
        {
            Assert.That(s[0, j], Is.EqualTo(a[4, j]));
            Assert.That(s[1, j], Is.EqualTo(a[0, j]));
            Assert.That(s[2, j], Is.EqualTo(a[4, j]));
        }
        Assert.That(a.SelectRows([]).Rows, Is.EqualTo(0));
        Assert.That(() => a.SelectRows([1, 6]), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("position 1"));
    }

    [Test]
    public void Binarize_SetsOnesAndDropsExplicitZeros()
    {
        var a = new CsrMatrix(2, 3, [0, 2, 3], [0, 2, 1], [-2.5f, 0f, 7f]);
        var b = a.Binarize();
        Assert.That(b.Pointers.ToArray(), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(b.Indices.ToArray(), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(b.Values.ToArray(), Is.EqualTo(new[] { 1f, 1f }));
    }

    [Test]
    public void Prune_DropsSmallMagnitudesAndZeros()
    {
        var a = new CsrMatrix(2, 4, [0, 3, 4], [0, 1, 3, 2], [0.05f, -0.5f, 0f, 0.1f]);
        var p = a.Prune(0.1f);
        Assert.That(p.Pointers.ToArray(), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(p.Indices.ToArray(), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(p.Values.ToArray(), Is.EqualTo(new[] { -0.5f, 0.1f }));
        Assert.That(a.Prune(0f).Nnz, Is.EqualTo(3), "threshold 0 still drops explicit zeros");
    }

    [Test]
    public void FromDenseToDense_RoundTrip()
    {
        var d = new float[,] { { 0f, 1f, 0f }, { 0f, 0f, 0f }, { -2f, 0f, 3f } };
        var m = SparseOps.FromDense(d);
        Assert.That(m.Nnz, Is.EqualTo(3));
        Assert.That(m.ToDense(), Is.EqualTo(d));
    }
}
