using System.Runtime.InteropServices;
using XmrEngine.Sparse;

namespace XmrEngine.Tests.Kernels;

/// <summary>Comparisons between a backend's output and the reference oracle.</summary>
internal static class KernelAssert
{
    /// <summary>Relative part of the tolerance |got - expected| &lt;= Rel * |expected| + Abs.</summary>
    public const double Rel = 1e-4;

    /// <summary>Absolute part of the tolerance.</summary>
    public const double Abs = 1e-5;

    public static void Close(float got, float expected, string what)
    {
        double tol = Rel * Math.Abs(expected) + Abs;
        Assert.That(Math.Abs((double)got - expected), Is.LessThanOrEqualTo(tol), $"{what}: got {got:R}, expected {expected:R}");
    }

    public static void Close(ReadOnlySpan<float> got, ReadOnlySpan<float> expected, string what)
    {
        Assert.That(got.Length, Is.EqualTo(expected.Length), $"{what}: length");
        for (int i = 0; i < got.Length; i++) Close(got[i], expected[i], $"{what}[{i}]");
    }

    /// <summary>Same shape and stored positions; values within tolerance.</summary>
    public static void Close(CsrMatrix got, CsrMatrix expected, string what)
    {
        Assert.That((got.Rows, got.Cols), Is.EqualTo((expected.Rows, expected.Cols)), $"{what}: shape");
        Assert.That(got.Pointers.ToArray(), Is.EqualTo(expected.Pointers.ToArray()), $"{what}: row pointers");
        Assert.That(got.Indices.ToArray(), Is.EqualTo(expected.Indices.ToArray()), $"{what}: column indices");
        Close(got.Values, expected.Values, $"{what}: values");
    }

    /// <summary>Bit-for-bit equality (distinguishes -0 from +0), for thread-count determinism.</summary>
    public static void Identical(ReadOnlySpan<float> a, ReadOnlySpan<float> b, string what)
    {
        Assert.That(MemoryMarshal.Cast<float, int>(a).ToArray(), Is.EqualTo(MemoryMarshal.Cast<float, int>(b).ToArray()), what);
    }

    public static void Identical(CsrMatrix a, CsrMatrix b, string what)
    {
        Assert.That(a.Pointers.ToArray(), Is.EqualTo(b.Pointers.ToArray()), $"{what}: row pointers");
        Assert.That(a.Indices.ToArray(), Is.EqualTo(b.Indices.ToArray()), $"{what}: column indices");
        Identical(a.Values, b.Values, $"{what}: values");
    }

    /// <summary>Random values in [-1, 1) from a seed.</summary>
    public static float[] RandomVector(int length, int seed)
    {
        var rng = new Random(seed);
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }
}
