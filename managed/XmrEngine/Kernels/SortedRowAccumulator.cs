using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

/// <summary>
/// The managed SpGEMM's row accumulator, which emits each product row sorted by column without sorting it:
/// a dense value array plus an occupancy bitmap (one bit per column). Reading the set bits of the bitmap in
/// word order with <see cref="BitOperations.TrailingZeroCount(ulong)"/> gives the columns in ascending order.
/// Which words were touched is remembered too, so a narrow row of a very wide product visits only its own
/// words (sorted: a few words instead of every column it touched), while a wide row scans the bitmap from
/// start to end. One per worker; validated inputs only (indices in range, B no wider than the accumulator).
/// </summary>
/// <remarks>
/// The earlier accumulator kept a list of touched columns and sorted it per row; on a product whose rows hold
/// about a thousand columns that sort cost more than the multiplication. Here a row of n entries spread over w
/// touched 64-column words costs n bit-extractions plus either a sort of w word ids or a scan of
/// <see cref="Width"/>/64 words, whichever is smaller.
/// </remarks>
internal sealed class SortedRowAccumulator
{
    private readonly float[] _values;
    private readonly ulong[] _bits;
    // Touched word ids in first-touch order; one spare slot for the branch-free append.
    private readonly int[] _words;
    private int _wordCount;

    /// <summary>An accumulator over columns [0, <paramref name="width"/>), all zero.</summary>
    public SortedRowAccumulator(int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        _values = new float[width];
        _bits = new ulong[(width + 63) / 64];
        _words = new int[_bits.Length + 1];
    }

    /// <summary>Columns the accumulator takes.</summary>
    public int Width => _values.Length;

    /// <summary>
    /// The number of distinct columns of the product row <c>a_i B</c> (the symbolic pass): the columns of every row k
    /// of <paramref name="b"/> with k in <paramref name="aIndices"/>. Leaves the accumulator empty.
    /// </summary>
    public int CountProductRow(ReadOnlySpan<int> aIndices, CsrMatrix b)
    {
        CheckWidth(b);
        long[] bPtr = b.RowPtrArray;
        ref int bIdx = ref MemoryMarshal.GetArrayDataReference(b.ColIdxArray);
        ref ulong bits = ref MemoryMarshal.GetArrayDataReference(_bits);
        ref int words = ref MemoryMarshal.GetArrayDataReference(_words);
        int nw = _wordCount;
        foreach (int k in aIndices)
        {
            // Bounds-checked: one check per entry of A guards against a row id outside B.
            nint q = (nint)bPtr[k], qEnd = (nint)bPtr[k + 1];
            for (; q < qEnd; q++)
            {
                int j = Unsafe.Add(ref bIdx, q);
                nw = Mark(ref bits, ref words, nw, j);
            }
        }
        int count = 0;
        for (int t = 0; t < nw; t++)
        {
            ref ulong word = ref Unsafe.Add(ref bits, Unsafe.Add(ref words, t));
            count += BitOperations.PopCount(word);
            word = 0;
        }
        _wordCount = 0;
        return count;
    }

    /// <summary>
    /// Accumulates the product row <c>a_i B</c>: values[j] += a_ik * b_kj for every stored a_ik (in order) and every
    /// stored b_kj (in order). <see cref="Drain"/> then writes it out.
    /// </summary>
    public void AddProductRow(ReadOnlySpan<int> aIndices, ReadOnlySpan<float> aValues, CsrMatrix b)
    {
        CheckWidth(b);
        long[] bPtr = b.RowPtrArray;
        ref int bIdx = ref MemoryMarshal.GetArrayDataReference(b.ColIdxArray);
        ref float bVal = ref MemoryMarshal.GetArrayDataReference(b.ValuesArray);
        ref float acc = ref MemoryMarshal.GetArrayDataReference(_values);
        ref ulong bits = ref MemoryMarshal.GetArrayDataReference(_bits);
        ref int words = ref MemoryMarshal.GetArrayDataReference(_words);
        int nw = _wordCount;
        for (int p = 0; p < aIndices.Length; p++)
        {
            int k = aIndices[p];
            float scale = aValues[p];
            nint q = (nint)bPtr[k], qEnd = (nint)bPtr[k + 1];
            for (; q < qEnd; q++)
            {
                int j = Unsafe.Add(ref bIdx, q);
                nw = Mark(ref bits, ref words, nw, j);
                Unsafe.Add(ref acc, (nint)(uint)j) += scale * Unsafe.Add(ref bVal, q);
            }
        }
        _wordCount = nw;
    }

    /// <summary>
    /// Adds entries given directly (values[indices[k] - shift] += values[k]): an unsorted row produced elsewhere
    /// (MKL's product), to be written out sorted by <see cref="Drain"/>. Indices must be in range after the shift.
    /// </summary>
    public void AddEntries(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int shift)
    {
        ref float acc = ref MemoryMarshal.GetArrayDataReference(_values);
        ref ulong bits = ref MemoryMarshal.GetArrayDataReference(_bits);
        ref int words = ref MemoryMarshal.GetArrayDataReference(_words);
        int nw = _wordCount;
        for (int k = 0; k < indices.Length; k++)
        {
            int j = indices[k] - shift;
            if ((uint)j >= (uint)_values.Length) throw new ArgumentOutOfRangeException(nameof(indices), $"Column {j} is outside [0, {_values.Length}).");
            nw = Mark(ref bits, ref words, nw, j);
            Unsafe.Add(ref acc, (nint)(uint)j) += values[k];
        }
        _wordCount = nw;
    }

    /// <summary>
    /// Writes the accumulated entries in ascending column order into spans of exactly the row's entry count (as
    /// <see cref="CountProductRow"/> gives it), and resets the accumulator.
    /// </summary>
    /// <exception cref="InvalidOperationException">The spans are not exactly as long as the accumulated row.</exception>
    public void Drain(Span<int> indices, Span<float> values)
    {
        int nw = _wordCount;
        var touched = _words.AsSpan(0, nw);
        int n = 0;
        foreach (int w in touched) n += BitOperations.PopCount(_bits[w]);
        if (indices.Length != n || values.Length != n)
            throw new InvalidOperationException($"Drain: the row holds {n} entries but the output holds {indices.Length} indices and {values.Length} values.");
        ref int outIdx = ref MemoryMarshal.GetReference(indices);
        ref float outVal = ref MemoryMarshal.GetReference(values);
        ref float acc = ref MemoryMarshal.GetArrayDataReference(_values);
        ref ulong bits = ref MemoryMarshal.GetArrayDataReference(_bits);
        int o = 0;
        // A row touching at least an eighth of the words is read by scanning the whole bitmap (no sort,
        // empty words cost a compare each); a narrow row sorts its few word ids and visits only those.
        if (8L * nw >= _bits.Length)
        {
            for (int w = 0; w < _bits.Length; w++)
                o = DrainWord(ref Unsafe.Add(ref bits, w), w, ref acc, ref outIdx, ref outVal, o);
        }
        else
        {
            touched.Sort();
            foreach (int w in touched) o = DrainWord(ref Unsafe.Add(ref bits, w), w, ref acc, ref outIdx, ref outVal, o);
        }
        _wordCount = 0;
    }

    /// <summary>Forgets whatever is accumulated (after a failed <see cref="Drain"/>), in O(touched words + entries).</summary>
    public void Reset()
    {
        foreach (int w in _words.AsSpan(0, _wordCount))
        {
            for (ulong set = _bits[w]; set != 0; set &= set - 1) _values[(w << 6) + BitOperations.TrailingZeroCount(set)] = 0f;
            _bits[w] = 0;
        }
        _wordCount = 0;
    }

    /// <summary>
    /// Sets column <paramref name="j"/>'s occupancy bit, recording its word the first time the word becomes non-zero;
    /// returns the new touched-word count. Branch-free: the word slot is always written and the count advances only
    /// for a new word (the list has one spare slot for that write).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Mark(ref ulong bits, ref int words, int nw, int j)
    {
        ref ulong word = ref Unsafe.Add(ref bits, j >> 6);
        Unsafe.Add(ref words, nw) = j >> 6;
        nw += word == 0 ? 1 : 0;
        word |= 1UL << j;
        return nw;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DrainWord(ref ulong word, int w, ref float acc, ref int outIdx, ref float outVal, int o)
    {
        ulong set = word;
        if (set == 0) return o;
        word = 0;
        int baseColumn = w << 6;
        do
        {
            int j = baseColumn + BitOperations.TrailingZeroCount(set);
            Unsafe.Add(ref outIdx, o) = j;
            ref float v = ref Unsafe.Add(ref acc, (nint)(uint)j);
            Unsafe.Add(ref outVal, o) = v;
            v = 0f;
            o++;
            set &= set - 1;
        }
        while (set != 0);
        return o;
    }

    private void CheckWidth(CsrMatrix b)
    {
        if (b.Cols > _values.Length)
            throw new ArgumentException($"B has {b.Cols} columns but the accumulator is {_values.Length} wide.", nameof(b));
    }
}
