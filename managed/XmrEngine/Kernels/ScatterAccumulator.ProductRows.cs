using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

// The SpGEMM product rows: the hot loop of the managed sparse x sparse product. These methods append to
// the touched list without a branch (the slot is always written, the count grows only for a new column),
// which is why the list has one spare slot beyond the width, and they skip bounds checks: they read
// validated matrices, whose indices are always in range, with B's column count at most the width.
public sealed partial class ScatterAccumulator
{
    /// <summary>
    /// Accumulates the product row <c>a_i B</c>: values[j] += a_ik * b_kj for every stored a_ik
    /// (in order) and every stored b_kj.
    /// </summary>
    public void AddProductRow(ReadOnlySpan<int> aIndices, ReadOnlySpan<float> aValues, CsrMatrix b)
    {
        CheckWidth(b);
        long[] bPtr = b.RowPtrArray;
        ref int bIdx = ref MemoryMarshal.GetArrayDataReference(b.ColIdxArray);
        ref float bVal = ref MemoryMarshal.GetArrayDataReference(b.ValuesArray);
        ref float acc = ref MemoryMarshal.GetArrayDataReference(_values);
        ref byte seen = ref MemoryMarshal.GetArrayDataReference(_seen);
        ref int touched = ref MemoryMarshal.GetArrayDataReference(_touched);
        int n = _count;
        for (int p = 0; p < aIndices.Length; p++)
        {
            int k = aIndices[p];
            float scale = aValues[p];
            // Bounds-checked: one check per entry of A guards against a row id outside B.
            nint q = (nint)bPtr[k], qEnd = (nint)bPtr[k + 1];
            for (; q < qEnd; q++)
            {
                int j = Unsafe.Add(ref bIdx, q);
                ref byte mark = ref Unsafe.Add(ref seen, (nint)(uint)j);
                Unsafe.Add(ref touched, n) = j;
                n += mark ^ 1;
                mark = 1;
                Unsafe.Add(ref acc, (nint)(uint)j) += scale * Unsafe.Add(ref bVal, q);
            }
        }
        _count = n;
    }

    private void CheckWidth(CsrMatrix b)
    {
        if (b.Cols > _values.Length)
            throw new ArgumentException($"B has {b.Cols} columns but the accumulator is {_values.Length} wide.", nameof(b));
    }
}
