using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

/// <summary>
/// Building blocks of the managed backend: gather dot (sparse against dense) and axpy, both run by the
/// width-generic <see cref="SimdDriver"/>, and the sorted-merge dot; the scalar versions in
/// <see cref="ReferenceKernels"/> are the oracle.
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

    /// <summary>
    /// Dot of two sorted sparse vectors. When one side is much shorter, binary-search (galloping) its
    /// indices in the longer one; otherwise a branch-light linear merge.
    /// </summary>
    public static float SortedDot(SparseVector a, SparseVector b)
    {
        if (a.Length > b.Length) return SortedDot(b, a);
        if (a.Length == 0) return 0f;
        if (a.Length * 8 < b.Length) return GallopDot(a, b);
        float s = 0f;
        int p = 0, q = 0, na = a.Length, nb = b.Length;
        ref int ai = ref MemoryMarshal.GetReference(a.Indices);
        ref int bi = ref MemoryMarshal.GetReference(b.Indices);
        while (p < na && q < nb)
        {
            int x = Unsafe.Add(ref ai, p), y = Unsafe.Add(ref bi, q);
            if (x == y) s += a.Values[p] * b.Values[q];
            p += x <= y ? 1 : 0;
            q += y <= x ? 1 : 0;
        }
        return s;
    }

    /// <summary>
    /// For each index of the short vector, probe the long one exponentially from the last match
    /// (1, 2, 4, ... ahead) and binary-search the bracketed range: O(short * log(gap)) and cache
    /// friendly, since consecutive probes land close together.
    /// </summary>
    private static float GallopDot(SparseVector small, SparseVector large)
    {
        float s = 0f;
        ref int li = ref MemoryMarshal.GetReference(large.Indices);
        ref float lv = ref MemoryMarshal.GetReference(large.Values);
        int n = large.Length, lo = 0;
        for (int p = 0; p < small.Length && lo < n; p++)
        {
            int key = small.Indices[p];
            int hi = lo;
            long step = 1;
            while (hi < n && Unsafe.Add(ref li, hi) < key)
            {
                lo = hi + 1;
                hi = (int)Math.Min(hi + step, n);
                step <<= 1;
            }
            while (lo < hi)
            {
                int mid = lo + ((hi - lo) >> 1);
                if (Unsafe.Add(ref li, mid) < key) lo = mid + 1;
                else hi = mid;
            }
            if (lo < n && Unsafe.Add(ref li, lo) == key)
            {
                s += small.Values[p] * Unsafe.Add(ref lv, lo);
                lo++;
            }
        }
        return s;
    }
}
