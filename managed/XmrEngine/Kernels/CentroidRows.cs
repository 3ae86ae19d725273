using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

/// <summary>
/// The managed centroid-accumulation kernel: adds scaled label rows into a dense centre and records
/// first-touched coordinates. libxmr_native's <c>xmr_centroid_add_rows</c> performs the same float
/// operations in the same order, so both build the same tree.
/// </summary>
internal static class CentroidRows
{
    /// <summary>dense += alpha * z[r] for r in rows; arguments checked by <see cref="SparseKernels.AccumulateRows"/>.</summary>
    // Hot loop: compile fully optimised at once instead of starting at tier 0 (matters for one-shot training runs).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(CsrMatrix z, ReadOnlySpan<int> rows, float alpha, Span<float> dense, Span<bool> marked, Span<int> touched, ref int touchedCount)
    {
        ref float values = ref MemoryMarshal.GetReference(dense);
        ref bool mark = ref MemoryMarshal.GetReference(marked);
        int count = touchedCount;
        foreach (int r in rows)
        {
            // z is a validated CsrMatrix no wider than dense, so its indices are in range.
            var idx = z.Row(r).Indices;
            ref int ri = ref MemoryMarshal.GetReference(idx);
            ref float rv = ref MemoryMarshal.GetReference(z.Row(r).Values);
            for (int k = 0; k < idx.Length; k++)
            {
                int j = Unsafe.Add(ref ri, k);
                if (!Unsafe.Add(ref mark, j))
                {
                    Unsafe.Add(ref mark, j) = true;
                    touched[count++] = j;
                }
                Unsafe.Add(ref values, j) += alpha * Unsafe.Add(ref rv, k);
            }
        }
        touchedCount = count;
    }
}
