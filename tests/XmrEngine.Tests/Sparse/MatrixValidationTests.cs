using XmrEngine.Sparse;

namespace XmrEngine.Tests.Sparse;

/// <summary>The public constructors reject every broken invariant with a message that names the place.</summary>
public sealed class MatrixValidationTests
{
    [Test]
    public void Csr_ValidArrays_AreAccepted()
    {
        var m = new CsrMatrix(2, 3, [0, 2, 3], [0, 2, 1], [1f, 2f, 3f]);
        Assert.That(m[0, 2], Is.EqualTo(2f));
        Assert.That(m[1, 0], Is.EqualTo(0f));
    }

    [TestCase(new long[] { 0, 2, 3 }, new[] { 2, 0, 1 }, "not sorted")]
    [TestCase(new long[] { 0, 2, 3 }, new[] { 1, 1, 1 }, "duplicate column index 1")]
    [TestCase(new long[] { 0, 2, 3 }, new[] { 0, 3, 1 }, "out of range")]
    [TestCase(new long[] { 0, 2, 3 }, new[] { 0, 1, -1 }, "out of range")]
    [TestCase(new long[] { 1, 2, 3 }, new[] { 0, 1, 2 }, "first row pointer")]
    [TestCase(new long[] { 0, 3, 2 }, new[] { 0, 1, 2 }, "decrease")]
    [TestCase(new long[] { 0, 2, 4 }, new[] { 0, 1, 2 }, "last row pointer")]
    [TestCase(new long[] { 0, 9, 3 }, new[] { 0, 1, 2 }, "Row 0 ends at 9, past the 3 indices")]
    public void Csr_BrokenStructure_Throws(long[] ptr, int[] idx, string message)
    {
        Assert.That(() => new CsrMatrix(2, 3, ptr, idx, [1f, 2f, 3f]), Throws.ArgumentException.With.Message.Contains(message));
    }

    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    public void Csr_NonFiniteValue_ThrowsNamingPosition(float bad)
    {
        Assert.That(() => new CsrMatrix(2, 3, [0, 1, 2], [0, 2], [1f, bad]),
            Throws.ArgumentException.With.Message.Contains("Row 1, column 2").And.Message.Contains("not finite"));
    }

    [Test]
    public void Csr_WrongPointerLengthOrNegativeShape_Throws()
    {
        Assert.That(() => new CsrMatrix(3, 3, [0, 1], [0], [1f]), Throws.ArgumentException.With.Message.Contains("rows + 1"));
        Assert.That(() => new CsrMatrix(-1, 3, [0], [], []), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new CsrMatrix(1, -3, [0, 0], [], []), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Csc_BrokenStructure_ThrowsNamingColumn()
    {
        Assert.That(() => new CscMatrix(3, 2, [0, 2, 3], [2, 0, 1], [1f, 2f, 3f]),
            Throws.ArgumentException.With.Message.Contains("Column 0").And.Message.Contains("row indices are not sorted"));
        Assert.That(() => new CscMatrix(3, 2, [0, 1, 2], [0, 3], [1f, 2f]),
            Throws.ArgumentException.With.Message.Contains("row index 3 is out of range"));
        Assert.That(() => new CscMatrix(3, 2, [0, 1, 2], [0, 1], [1f, float.NaN]),
            Throws.ArgumentException.With.Message.Contains("not finite"));
        Assert.That(() => new CscMatrix(3, 2, [0, 1], [0], [1f]), Throws.ArgumentException.With.Message.Contains("cols + 1"));
    }

    [Test]
    public void Indexer_OutsideMatrix_Throws()
    {
        var m = new CsrMatrix(2, 2, [0, 1, 1], [1], [4f]);
        Assert.That(() => m[2, 0], Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => m[0, -1], Throws.InstanceOf<ArgumentOutOfRangeException>());
        var c = m.ToCsc();
        Assert.That(c[0, 1], Is.EqualTo(4f));
        Assert.That(() => c[0, 2], Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
