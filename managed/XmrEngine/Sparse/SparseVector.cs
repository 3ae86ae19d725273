using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XmrEngine.Sparse;

/// <summary>A read-only view of one sparse row or column: sorted indices and their values.</summary>
public readonly ref struct SparseVector
{
    /// <summary>Sorted, distinct indices.</summary>
    public ReadOnlySpan<int> Indices { get; }

    /// <summary>Values aligned with <see cref="Indices"/>.</summary>
    public ReadOnlySpan<float> Values { get; }

    /// <summary>Number of stored entries.</summary>
    public int Length => Indices.Length;

    /// <summary>Creates a view; both spans must have the same length.</summary>
    public SparseVector(ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        if (indices.Length != values.Length)
            throw new ArgumentException($"Indices ({indices.Length}) and values ({values.Length}) differ in length.");
        Indices = indices;
        Values = values;
    }

    /// <summary>A view over spans the caller guarantees to have equal lengths (the matrices' own rows and columns).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal SparseVector(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, bool trusted)
    {
        _ = trusted;
        Indices = indices;
        Values = values;
    }

    /// <summary>The dot product with <paramref name="other"/>; both must have strictly increasing indices (as CSR rows do).</summary>
    public float Dot(SparseVector other) => SortedDot(this, other);

    /// <summary>
    /// Dot of two sorted sparse vectors. When one side is much shorter, binary-search (galloping) its
    /// indices in the longer one; otherwise a branch-light linear merge.
    /// </summary>
    internal static float SortedDot(SparseVector a, SparseVector b)
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
