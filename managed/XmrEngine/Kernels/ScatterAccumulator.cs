using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

/// <summary>
/// A dense value array plus the list of touched indices: accumulate into arbitrary columns of a row
/// in O(1) each, then read the touched entries out sorted and clear in O(touched). One per worker.
/// </summary>
/// <remarks>
/// The product-row methods (<see cref="MarkProductRow"/>, <see cref="AddProductRow"/>) are the SpGEMM hot loop.
/// They append to the touched list without a branch (the slot is always written, the count grows
/// only for a new column), which is why the list has one spare slot beyond the width, and they skip
/// bounds checks: they read validated matrices, whose indices are always in range, with B's column
/// count equal to the width.
/// </remarks>
public sealed class ScatterAccumulator
{
    private readonly float[] _values;
    private readonly byte[] _seen;
    private readonly int[] _touched;
    private int _count;

    /// <summary>An accumulator over ids [0, <paramref name="width"/>), all zero.</summary>
    public ScatterAccumulator(int width)
    {
        _values = new float[width];
        _seen = new byte[width];
        _touched = new int[width + 1];
    }

    /// <summary>Number of distinct touched indices.</summary>
    public int Count => _count;

    /// <summary>Width: the largest index + 1 the accumulator takes.</summary>
    public int Width => _values.Length;

    /// <summary>The touched indices, in first-touch order.</summary>
    public ReadOnlySpan<int> Touched => _touched.AsSpan(0, _count);

    /// <summary>The accumulated value at <paramref name="j"/> (0 when untouched).</summary>
    public float Value(int j) => _values[j];

    /// <summary>Zeroes the touched values and forgets them, in O(touched).</summary>
    public void Clear()
    {
        for (int t = 0; t < _count; t++)
        {
            int j = _touched[t];
            _values[j] = 0f;
            _seen[j] = 0;
        }
        _count = 0;
    }

    /// <summary>values[j] += v.</summary>
    public void Add(int j, float v)
    {
        if (_seen[j] == 0)
        {
            _seen[j] = 1;
            _touched[_count++] = j;
        }
        _values[j] += v;
    }

    /// <summary>
    /// Marks the structural columns of the product row <c>a_i B</c> as touched, without values (the
    /// symbolic pass): every column of every row k of <paramref name="b"/> with k in <paramref name="aIndices"/>.
    /// </summary>
    public void MarkProductRow(ReadOnlySpan<int> aIndices, CsrMatrix b)
    {
        CheckWidth(b);
        long[] bPtr = b.RowPtrArray;
        ref int bIdx = ref MemoryMarshal.GetArrayDataReference(b.ColIdxArray);
        ref byte seen = ref MemoryMarshal.GetArrayDataReference(_seen);
        ref int touched = ref MemoryMarshal.GetArrayDataReference(_touched);
        int n = _count;
        foreach (int k in aIndices)
        {
            // Bounds-checked: one check per entry of A guards against a row id outside B.
            nint q = (nint)bPtr[k], qEnd = (nint)bPtr[k + 1];
            for (; q < qEnd; q++)
            {
                int j = Unsafe.Add(ref bIdx, q);
                ref byte mark = ref Unsafe.Add(ref seen, (nint)(uint)j);
                Unsafe.Add(ref touched, n) = j;
                n += mark ^ 1;
                mark = 1;
            }
        }
        _count = n;
    }

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

    /// <summary>Forgets the touched indices (after a symbolic pass) and returns how many there were.</summary>
    public int ClearMarks()
    {
        int n = _count;
        ref byte seen = ref MemoryMarshal.GetArrayDataReference(_seen);
        ref int touched = ref MemoryMarshal.GetArrayDataReference(_touched);
        for (int t = 0; t < n; t++) Unsafe.Add(ref seen, (nint)(uint)Unsafe.Add(ref touched, t)) = 0;
        _count = 0;
        return n;
    }

    /// <summary>
    /// Writes the touched entries sorted by index into spans of exactly <see cref="Count"/> elements
    /// and resets the accumulator. When more than 1/16 of the width was touched a linear scan
    /// replaces the sort.
    /// </summary>
    public void DrainSorted(Span<int> indices, Span<float> values)
    {
        int n = _count;
        if (indices.Length != n || values.Length != n)
            throw new InvalidOperationException($"DrainSorted: {n} touched entries but the output holds {indices.Length} indices and {values.Length} values.");
        ref int outIdx = ref MemoryMarshal.GetReference(indices);
        ref float outVal = ref MemoryMarshal.GetReference(values);
        ref float acc = ref MemoryMarshal.GetArrayDataReference(_values);
        ref byte seen = ref MemoryMarshal.GetArrayDataReference(_seen);
        if (n > _values.Length / 16)
        {
            // Branch-free scan: the marks of a dense-ish row are unpredictable, so always write slot o
            // and advance it by the mark; stopping at o == n keeps every write inside the spans.
            int o = 0;
            for (int j = 0; o < n; j++)
            {
                Unsafe.Add(ref outIdx, o) = j;
                Unsafe.Add(ref outVal, o) = Unsafe.Add(ref acc, j);
                o += Unsafe.Add(ref seen, j);
                Unsafe.Add(ref acc, j) = 0f;
                Unsafe.Add(ref seen, j) = 0;
            }
        }
        else
        {
            var t = _touched.AsSpan(0, n);
            t.Sort();
            for (int k = 0; k < n; k++)
            {
                int j = t[k];
                Unsafe.Add(ref outIdx, k) = j;
                Unsafe.Add(ref outVal, k) = Unsafe.Add(ref acc, (nint)(uint)j);
                Unsafe.Add(ref acc, (nint)(uint)j) = 0f;
                Unsafe.Add(ref seen, (nint)(uint)j) = 0;
            }
        }
        _count = 0;
    }
}
