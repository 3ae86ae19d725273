namespace XmrEngine.Sparse;

/// <summary>
/// Collects (row, column, value) triplets in any order and builds a <see cref="CsrMatrix"/> or
/// <see cref="CscMatrix"/>; triplets at the same position are summed. Not thread-safe.
/// </summary>
public sealed class CooBuilder
{
    private int[] _rows;
    private int[] _cols;
    private float[] _vals;
    private int _count;

    /// <summary>Number of rows of the matrix being built.</summary>
    public int Rows { get; }

    /// <summary>Number of columns of the matrix being built.</summary>
    public int Cols { get; }

    /// <summary>Number of triplets added so far.</summary>
    public int Count => _count;

    /// <summary>Creates a builder for a <paramref name="rows"/> x <paramref name="cols"/> matrix.</summary>
    public CooBuilder(int rows, int cols, int capacity = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        Rows = rows;
        Cols = cols;
        capacity = Math.Max(capacity, 4);
        _rows = new int[capacity];
        _cols = new int[capacity];
        _vals = new float[capacity];
    }

    /// <summary>Adds one triplet.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the matrix.</exception>
    /// <exception cref="ArgumentException">The value is NaN or infinite.</exception>
    public void Add(int row, int col, float value)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {Rows}).");
        if ((uint)col >= (uint)Cols) throw new ArgumentOutOfRangeException(nameof(col), col, $"Column must be in [0, {Cols}).");
        if (!float.IsFinite(value)) throw new ArgumentException($"Value at ({row}, {col}) is {value}; values must be finite.", nameof(value));
        if (_count == _rows.Length)
        {
            int n = checked(_count * 2);
            Array.Resize(ref _rows, n);
            Array.Resize(ref _cols, n);
            Array.Resize(ref _vals, n);
        }
        _rows[_count] = row;
        _cols[_count] = col;
        _vals[_count] = value;
        _count++;
    }

    /// <summary>Builds the CSR matrix; duplicate positions are summed and explicit zeros are kept.</summary>
    public CsrMatrix ToCsr()
    {
        var (ptr, idx, val) = Compress(_rows, _cols, _vals, _count, Rows);
        return CsrMatrix.FromTrusted(Rows, Cols, ptr, idx, val);
    }

    /// <summary>Builds the CSC matrix; duplicate positions are summed.</summary>
    public CscMatrix ToCsc()
    {
        var (ptr, idx, val) = Compress(_cols, _rows, _vals, _count, Cols);
        return CscMatrix.FromTrusted(Rows, Cols, ptr, idx, val);
    }

    /// <summary>
    /// Counting sort by outer index, then a stable insertion/array sort by inner index per slice, then
    /// a merge of equal inner indices. Summation order of duplicates is their insertion order.
    /// </summary>
    internal static (long[] Ptr, int[] Idx, float[] Val) Compress(int[] outerIdx, int[] innerIdx, float[] vals, int count, int outer)
    {
        var ptr = new long[outer + 1];
        for (int k = 0; k < count; k++) ptr[outerIdx[k] + 1]++;
        for (int o = 0; o < outer; o++) ptr[o + 1] += ptr[o];
        var next = (long[])ptr.Clone();
        var idx = new int[count];
        var val = new float[count];
        for (int k = 0; k < count; k++)
        {
            long p = next[outerIdx[k]]++;
            idx[p] = innerIdx[k];
            val[p] = vals[k];
        }
        // Sort each slice by inner index (stable so duplicates sum in insertion order), then merge duplicates in place.
        long write = 0;
        var newPtr = new long[outer + 1];
        for (int o = 0; o < outer; o++)
        {
            int start = (int)ptr[o], len = (int)(ptr[o + 1] - ptr[o]);
            if (len > 1) StableSortByKey(idx.AsSpan(start, len), val.AsSpan(start, len));
            for (int k = start; k < start + len; k++)
            {
                if (write > newPtr[o] && idx[write - 1] == idx[k]) val[write - 1] += val[k];
                else
                {
                    idx[write] = idx[k];
                    val[write] = val[k];
                    write++;
                }
            }
            newPtr[o + 1] = write;
        }
        if (write != count)
        {
            Array.Resize(ref idx, (int)write);
            Array.Resize(ref val, (int)write);
        }
        return (newPtr, idx, val);
    }

    private static void StableSortByKey(Span<int> keys, Span<float> vals)
    {
        // Insertion sort for short slices (the common case for XMR rows); otherwise sort (key, position) pairs.
        if (keys.Length <= 32)
        {
            for (int i = 1; i < keys.Length; i++)
            {
                int k = keys[i];
                float v = vals[i];
                int j = i - 1;
                while (j >= 0 && keys[j] > k)
                {
                    keys[j + 1] = keys[j];
                    vals[j + 1] = vals[j];
                    j--;
                }
                keys[j + 1] = k;
                vals[j + 1] = v;
            }
            return;
        }
        var composite = new long[keys.Length];
        for (int i = 0; i < keys.Length; i++) composite[i] = ((long)keys[i] << 32) | (uint)i;
        Array.Sort(composite);
        var v2 = vals.ToArray();
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = (int)(composite[i] >> 32);
            vals[i] = v2[(int)(uint)composite[i]];
        }
    }
}
