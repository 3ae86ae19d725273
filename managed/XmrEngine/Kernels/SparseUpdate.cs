using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XmrEngine.Kernels;

/// <summary>
/// The solvers' weight update w[idx[k]] += alpha * val[k], without bounds checks: it runs once per
/// coordinate step, and the indices are the columns of X, which the trainer guarantees are below
/// w.Length. <see cref="ScatterAddReference"/> is the checked oracle for tests.
/// </summary>
internal static class SparseUpdate
{
    /// <summary>w[idx[k]] += alpha * val[k] for every k; indices must be within w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScatterAdd(float alpha, ReadOnlySpan<int> idx, ReadOnlySpan<float> val, float[] w)
    {
        ref int ri = ref MemoryMarshal.GetReference(idx);
        ref float rv = ref MemoryMarshal.GetReference(val);
        ref float rw = ref MemoryMarshal.GetArrayDataReference(w);
        int n = idx.Length, k = 0;
        for (; k <= n - 4; k += 4)
        {
            Unsafe.Add(ref rw, Unsafe.Add(ref ri, k)) += alpha * Unsafe.Add(ref rv, k);
            Unsafe.Add(ref rw, Unsafe.Add(ref ri, k + 1)) += alpha * Unsafe.Add(ref rv, k + 1);
            Unsafe.Add(ref rw, Unsafe.Add(ref ri, k + 2)) += alpha * Unsafe.Add(ref rv, k + 2);
            Unsafe.Add(ref rw, Unsafe.Add(ref ri, k + 3)) += alpha * Unsafe.Add(ref rv, k + 3);
        }
        for (; k < n; k++) Unsafe.Add(ref rw, Unsafe.Add(ref ri, k)) += alpha * Unsafe.Add(ref rv, k);
    }

    /// <summary>The same update with ordinary checked indexing.</summary>
    public static void ScatterAddReference(float alpha, ReadOnlySpan<int> idx, ReadOnlySpan<float> val, float[] w)
    {
        for (int k = 0; k < idx.Length; k++) w[idx[k]] += alpha * val[k];
    }
}
