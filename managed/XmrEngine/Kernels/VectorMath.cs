using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

/// <summary>
/// SIMD building blocks of the managed backend: gather dot (sparse against dense), axpy and sorted-merge dot.
/// Each has a Vector256 path, a Vector128 path and a scalar tail/fallback; the scalar versions in
/// <see cref="ReferenceKernels"/> are the oracle.
/// </summary>
internal static class VectorMath
{
    /// <summary>
    /// Sum of values[k] * dense[indices[k]]. Uses AVX2 gathers when available; indices must be in range
    /// (the caller guarantees it: gathers do not bounds-check).
    /// </summary>
    public static unsafe float GatherDot(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<float> dense)
    {
        int n = indices.Length, i = 0;
        float sum = 0f;
        fixed (int* pi = indices)
        fixed (float* pv = values)
        fixed (float* pd = dense)
        {
            if (Avx2.IsSupported && n >= 8)
            {
                var acc0 = Vector256<float>.Zero;
                var acc1 = Vector256<float>.Zero;
                for (; i <= n - 16; i += 16)
                {
                    var g0 = Avx2.GatherVector256(pd, Avx.LoadVector256(pi + i), 4);
                    var g1 = Avx2.GatherVector256(pd, Avx.LoadVector256(pi + i + 8), 4);
                    acc0 = Fma256(g0, Avx.LoadVector256(pv + i), acc0);
                    acc1 = Fma256(g1, Avx.LoadVector256(pv + i + 8), acc1);
                }
                if (i <= n - 8)
                {
                    var g0 = Avx2.GatherVector256(pd, Avx.LoadVector256(pi + i), 4);
                    acc0 = Fma256(g0, Avx.LoadVector256(pv + i), acc0);
                    i += 8;
                }
                sum = Vector256.Sum(acc0 + acc1);
            }
            for (; i < n; i++) sum += pv[i] * pd[pi[i]];
        }
        return sum;
    }

    /// <summary>y += alpha * x over dense spans of equal length.</summary>
    /// <remarks>Inlined: sparse x dense calls it once per stored entry on short rows, where call overhead shows.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, i = 0;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(alpha);
            for (; i <= n - 8; i += 8)
                Fma256(va, Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var va = Vector128.Create(alpha);
            for (; i <= n - 4; i += 4)
                (va * Vector128.LoadUnsafe(ref rx, (nuint)i) + Vector128.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref ry, i) += alpha * Unsafe.Add(ref rx, i);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma256(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
}
