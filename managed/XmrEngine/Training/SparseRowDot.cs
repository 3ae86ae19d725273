using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using XmrEngine.Kernels;

namespace XmrEngine.Training;

/// <summary>
/// The solvers' margin w . x_i for one sparse input row, without bounds checks (the indices are
/// columns of X, which the trainer guarantees are below w.Length). Same lanes, accumulators and
/// reduction as <see cref="VectorMath.GatherDot"/>, so the result is bit-identical to it; the eight
/// lanes are filled by plain loads instead of vpgatherdps, which is slower on the AMD cores measured
/// (Bibtex rows, random order: 15% less time per dot). libxmr_native's solver does the same.
/// </summary>
internal static class SparseRowDot
{
    /// <summary>sum val[k] * w[idx[k]]; indices must be within w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<int> idx, ReadOnlySpan<float> val, float[] w)
    {
        int n = idx.Length, i = 0;
        float sum = 0f;
        ref float rw = ref MemoryMarshal.GetArrayDataReference(w);
        ref int ri = ref MemoryMarshal.GetReference(idx);
        ref float rv = ref MemoryMarshal.GetReference(val);
        if (Avx2.IsSupported && n >= 8)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                acc0 = MultiplyAdd(Load8(ref rw, ref Unsafe.Add(ref ri, i)), Vector256.LoadUnsafe(ref rv, (nuint)i), acc0);
                acc1 = MultiplyAdd(Load8(ref rw, ref Unsafe.Add(ref ri, i + 8)), Vector256.LoadUnsafe(ref rv, (nuint)(i + 8)), acc1);
            }
            if (i <= n - 8)
            {
                acc0 = MultiplyAdd(Load8(ref rw, ref Unsafe.Add(ref ri, i)), Vector256.LoadUnsafe(ref rv, (nuint)i), acc0);
                i += 8;
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; i < n; i++) sum += Unsafe.Add(ref rv, i) * Unsafe.Add(ref rw, Unsafe.Add(ref ri, i));
        return sum;
    }

    /// <summary>The plain scalar sum with checked indexing, in double: the oracle for tests.</summary>
    public static double DotReference(ReadOnlySpan<int> idx, ReadOnlySpan<float> val, float[] w)
    {
        double sum = 0;
        for (int k = 0; k < idx.Length; k++) sum += (double)val[k] * w[idx[k]];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load8(ref float w, ref int idx) => Vector256.Create(
        Unsafe.Add(ref w, idx), Unsafe.Add(ref w, Unsafe.Add(ref idx, 1)), Unsafe.Add(ref w, Unsafe.Add(ref idx, 2)), Unsafe.Add(ref w, Unsafe.Add(ref idx, 3)),
        Unsafe.Add(ref w, Unsafe.Add(ref idx, 4)), Unsafe.Add(ref w, Unsafe.Add(ref idx, 5)), Unsafe.Add(ref w, Unsafe.Add(ref idx, 6)), Unsafe.Add(ref w, Unsafe.Add(ref idx, 7)));

    // The same choice as VectorMath: fused when the CPU has FMA, otherwise multiply then add.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
}
