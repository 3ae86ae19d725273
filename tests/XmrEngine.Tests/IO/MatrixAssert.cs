using XmrEngine.Sparse;

namespace XmrEngine.Tests.IO;

/// <summary>Exact structural and value comparison of sparse matrices for round-trip tests.</summary>
internal static class MatrixAssert
{
    public static void Equal(CsrMatrix expected, CsrMatrix actual, string what = "matrix")
    {
        Assert.That(actual.Rows, Is.EqualTo(expected.Rows), $"{what}: rows");
        Assert.That(actual.Cols, Is.EqualTo(expected.Cols), $"{what}: cols");
        Assert.That(actual.Pointers.ToArray(), Is.EqualTo(expected.Pointers.ToArray()), $"{what}: row pointers");
        Assert.That(actual.Indices.ToArray(), Is.EqualTo(expected.Indices.ToArray()), $"{what}: column indices");
        Assert.That(BitsOf(actual.Values), Is.EqualTo(BitsOf(expected.Values)), $"{what}: values (bitwise)");
    }

    public static void Equal(CscMatrix expected, CscMatrix actual, string what = "matrix")
    {
        Assert.That(actual.Rows, Is.EqualTo(expected.Rows), $"{what}: rows");
        Assert.That(actual.Cols, Is.EqualTo(expected.Cols), $"{what}: cols");
        Assert.That(actual.Pointers.ToArray(), Is.EqualTo(expected.Pointers.ToArray()), $"{what}: column pointers");
        Assert.That(actual.Indices.ToArray(), Is.EqualTo(expected.Indices.ToArray()), $"{what}: row indices");
        Assert.That(BitsOf(actual.Values), Is.EqualTo(BitsOf(expected.Values)), $"{what}: values (bitwise)");
    }

    private static int[] BitsOf(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (int i = 0; i < values.Length; i++) bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        return bits;
    }
}
