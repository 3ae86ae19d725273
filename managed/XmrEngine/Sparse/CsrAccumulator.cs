namespace XmrEngine.Sparse;

/// <summary>
/// Collects a CSR matrix row by row while a file is parsed: entries of the current row are appended in
/// file order, and <see cref="FinishRow"/> sorts the row when needed and reports a duplicate index.
/// Arrays double when full, so parsing allocates O(log nnz) times rather than per token.
/// </summary>
internal sealed class CsrAccumulator
{
    private long[] _ptr;
    private int[] _idx;
    private float[] _val;
    private int _rows;
    private int _count;

    public CsrAccumulator(int expectedRows, int expectedEntries)
    {
        _ptr = new long[Math.Max(expectedRows, 4) + 1];
        _idx = new int[Math.Max(expectedEntries, 16)];
        _val = new float[_idx.Length];
    }

    /// <summary>Rows finished so far.</summary>
    public int Rows => _rows;

    /// <summary>Entries stored so far, including the unfinished row.</summary>
    public int Count => _count;

    /// <summary>Largest index seen so far, or -1.</summary>
    public int MaxIndex { get; private set; } = -1;

    /// <summary>Whether another entry fits in a .NET array.</summary>
    public bool IsFull => _count == Array.MaxLength;

    public void Add(int index, float value)
    {
        if (_count == _idx.Length) Grow();
        _idx[_count] = index;
        _val[_count] = value;
        _count++;
        if (index > MaxIndex) MaxIndex = index;
    }

    /// <summary>Number of entries in the unfinished row.</summary>
    public int PendingLength => _count - (int)_ptr[_rows];

    /// <summary>
    /// Closes the current row after sorting it by index (stable, so file order is kept among equals).
    /// Returns the first duplicated index of the row, or -1 when the indices are distinct.
    /// </summary>
    public int FinishRow()
    {
        int start = (int)_ptr[_rows];
        var keys = _idx.AsSpan(start, _count - start);
        var values = _val.AsSpan(start, _count - start);
        int duplicate = -1;
        if (!IndexSort.IsStrictlyIncreasing(keys)) IndexSort.StableSortByIndex(keys, values);
        for (int k = 1; k < keys.Length; k++)
        {
            if (keys[k] == keys[k - 1])
            {
                duplicate = keys[k];
                break;
            }
        }
        if (_rows + 1 >= _ptr.Length)
            Array.Resize(ref _ptr, (int)Math.Min((long)_ptr.Length * 2, Array.MaxLength));
        _ptr[++_rows] = _count;
        return duplicate;
    }

    /// <summary>The finished rows as a matrix with <paramref name="cols"/> columns (every index must be below it).</summary>
    public CsrMatrix Build(int cols)
    {
        var ptr = _ptr.Length == _rows + 1 ? _ptr : _ptr.AsSpan(0, _rows + 1).ToArray();
        int nnz = (int)ptr[_rows];
        var idx = _idx.Length == nnz ? _idx : _idx.AsSpan(0, nnz).ToArray();
        var val = _val.Length == nnz ? _val : _val.AsSpan(0, nnz).ToArray();
        return CsrMatrix.FromTrusted(_rows, cols, ptr, idx, val);
    }

    /// <summary>
    /// The rows of several accumulators one after the other, as one matrix with <paramref name="cols"/>
    /// columns: what one accumulator fed all the rows in the same order would build (the parallel text
    /// readers parse byte ranges of a file into one accumulator each). The caller checks that the total
    /// entry and row counts fit in arrays.
    /// </summary>
    public static CsrMatrix Concatenate(IReadOnlyList<CsrAccumulator> parts, int cols)
    {
        if (parts.Count == 1) return parts[0].Build(cols);
        long rows = 0, nnz = 0;
        foreach (var p in parts)
        {
            rows += p._rows;
            nnz += p._ptr[p._rows];
        }
        var ptr = new long[rows + 1];
        var idx = new int[nnz];
        var val = new float[nnz];
        long rowAt = 0, entryAt = 0;
        foreach (var p in parts)
        {
            int count = (int)p._ptr[p._rows];
            for (int r = 1; r <= p._rows; r++) ptr[rowAt + r] = entryAt + p._ptr[r];
            p._idx.AsSpan(0, count).CopyTo(idx.AsSpan((int)entryAt));
            p._val.AsSpan(0, count).CopyTo(val.AsSpan((int)entryAt));
            rowAt += p._rows;
            entryAt += count;
        }
        return CsrMatrix.FromTrusted((int)rows, cols, ptr, idx, val);
    }

    private void Grow()
    {
        int size = (int)Math.Min((long)_idx.Length * 2, Array.MaxLength);
        Array.Resize(ref _idx, size);
        Array.Resize(ref _val, size);
    }
}
