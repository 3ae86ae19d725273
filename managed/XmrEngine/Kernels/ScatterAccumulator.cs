using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XmrEngine.Kernels;

/// <summary>
/// The one dense "touched" vector of the engine: a dense value array plus the list of touched indices
/// in first-touch order, so that adding into arbitrary coordinates costs O(1) each and reading,
/// scaling and clearing cost O(touched) rather than O(width). It accumulates sparse product rows whose
/// touched entries are read unordered (<c>ScatterAccumulator.ProductRows.cs</c>: the title index of product
/// retrieval; the SpGEMM, which needs its rows sorted, has <see cref="SortedRowAccumulator"/>) and the k-means cluster centres (<c>ScatterAccumulator.Centroid.cs</c>), whose nodes touch only a
/// few of possibly millions of feature columns. One per worker.
/// </summary>
/// <remarks>
/// The marks are bytes of 0 or 1: the product-row loops add them arithmetically, and the centroid
/// kernel of <see cref="SparseKernels.AccumulateRows"/> reads them as <see cref="bool"/> (same layout).
/// The touched list has room for every coordinate plus one spare slot, so the product-row loops can
/// append without a branch and no kernel ever runs out of room.
/// </remarks>
public sealed partial class ScatterAccumulator
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

    /// <summary>All values, dense (zero outside <see cref="Touched"/>): the operand of a gather-dot.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The marks as the centroid kernels take them: a byte of 0 or 1 is a valid <see cref="bool"/>.</summary>
    private Span<bool> MarksAsBool => MemoryMarshal.Cast<byte, bool>(_seen.AsSpan());

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
