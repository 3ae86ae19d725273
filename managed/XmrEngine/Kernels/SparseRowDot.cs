using System.Runtime.CompilerServices;

namespace XmrEngine.Kernels;

/// <summary>
/// The solvers' margin w . x_i for one sparse input row, without bounds checks (the indices are
/// columns of X, which the trainer guarantees are below w.Length). The same driver as
/// <see cref="VectorMath.GatherDot"/> (<see cref="SimdDriver.IndexedDot{TLoad}"/>), so the result is
/// bit-identical to it; only the lanes are filled by plain loads (<see cref="ScalarLoad"/>) instead of
/// vpgatherdps, which is slower on the AMD cores measured. libxmr_native's solver does the same.
/// </summary>
internal static class SparseRowDot
{
    /// <summary>sum val[k] * w[idx[k]]; indices must be within w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe float Dot(ReadOnlySpan<int> idx, ReadOnlySpan<float> val, float[] w)
    {
        fixed (int* pi = idx)
        fixed (float* pv = val)
        fixed (float* pw = w)
            return SimdDriver.IndexedDot<ScalarLoad>(pi, pv, idx.Length, pw, SimdSelection.MaxBits);
    }

    /// <summary>The plain scalar sum with checked indexing, in double: the oracle for tests.</summary>
    public static double DotReference(ReadOnlySpan<int> idx, ReadOnlySpan<float> val, float[] w)
    {
        double sum = 0;
        for (int k = 0; k < idx.Length; k++) sum += (double)val[k] * w[idx[k]];
        return sum;
    }
}
