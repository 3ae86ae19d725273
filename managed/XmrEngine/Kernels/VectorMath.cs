using System.Runtime.CompilerServices;
using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

/// <summary>
/// Building blocks of the managed backend: gather dot (sparse against dense) and axpy, both run by the
/// width-generic <see cref="SimdDriver"/> (the sorted-merge dot is <see cref="SparseVector.Dot"/>); the scalar
/// versions in <see cref="ReferenceKernels"/> are the oracle.
/// </summary>
internal static class VectorMath
{
    /// <summary>
    /// Sum of values[k] * dense[indices[k]] with hardware gathers (<see cref="SimdDriver.IndexedDot{TLoad}"/>);
    /// indices must be in range (the caller guarantees it: gathers do not bounds-check).
    /// </summary>
    public static unsafe float GatherDot(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> dense)
    {
        fixed (int* pi = indices)
        fixed (float* pv = values)
        fixed (float* pd = dense)
            return SimdDriver.IndexedDot<GatherLoad>(pi, pv, indices.Length, pd, SimdSelection.MaxBits);
    }

    /// <summary>y += alpha * x over dense spans of equal length (<see cref="SimdDriver.ScaledAdd"/>).</summary>
    /// <remarks>Inlined: sparse x dense calls it once per stored entry on short rows, where call overhead shows.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        fixed (float* px = x)
        fixed (float* py = y)
            SimdDriver.ScaledAdd(alpha, px, py, x.Length, SimdSelection.MaxBits);
    }
}
