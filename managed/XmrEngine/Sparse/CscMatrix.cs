using System.Runtime.CompilerServices;

namespace XmrEngine.Sparse;

/// <summary>
/// A compressed-sparse-column matrix of <see cref="float"/> values with 32-bit row indices and 64-bit
/// column pointers; the column-major twin of <see cref="CsrMatrix"/> with the same invariants (row
/// indices strictly increasing within each column, in range, finite values). Immutable and safe to
/// read from any number of threads.
/// </summary>
public sealed class CscMatrix
{
    private readonly long[] _colPtr;
    private readonly int[] _rowIdx;
    private readonly float[] _values;

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Cols { get; }

    /// <summary>Number of stored entries.</summary>
    public long Nnz => _colPtr[Cols];

    /// <summary>Column pointers, length <see cref="Cols"/> + 1.</summary>
    public ReadOnlySpan<long> Pointers => _colPtr;

    /// <summary>Row index of every stored entry, column by column.</summary>
    public ReadOnlySpan<int> Indices => _rowIdx.AsSpan(0, checked((int)Nnz));

    /// <summary>Value of every stored entry, column by column.</summary>
    public ReadOnlySpan<float> Values => _values.AsSpan(0, checked((int)Nnz));

    /// <summary>Creates a matrix from its three arrays after checking every invariant.</summary>
    /// <exception cref="ArgumentException">An invariant does not hold; the message names the column and entry.</exception>
    public CscMatrix(int rows, int cols, long[] columnPointers, int[] rowIndices, float[] values)
        : this(rows, cols, columnPointers, rowIndices, values, validate: true)
    {
    }

    private CscMatrix(int rows, int cols, long[] colPtr, int[] rowIdx, float[] values, bool validate)
    {
        ArgumentNullException.ThrowIfNull(colPtr);
        ArgumentNullException.ThrowIfNull(rowIdx);
        ArgumentNullException.ThrowIfNull(values);
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Row count must be non-negative.");
        if (cols < 0) throw new ArgumentOutOfRangeException(nameof(cols), cols, "Column count must be non-negative.");
        if (colPtr.Length != (long)cols + 1)
            throw new ArgumentException($"Column pointer array has length {colPtr.Length}; expected cols + 1 = {(long)cols + 1}.", nameof(colPtr));
        Rows = rows;
        Cols = cols;
        _colPtr = colPtr;
        _rowIdx = rowIdx;
        _values = values;
        if (validate) SparseValidation.ValidateCompressed(colPtr, rowIdx, values, cols, rows, "column", "row");
    }

    internal static CscMatrix FromTrusted(int rows, int cols, long[] colPtr, int[] rowIdx, float[] values)
    {
#if DEBUG
        return new CscMatrix(rows, cols, colPtr, rowIdx, values, validate: true);
#else
        return new CscMatrix(rows, cols, colPtr, rowIdx, values, validate: false);
#endif
    }

    /// <summary>An all-zero matrix of the given shape.</summary>
    public static CscMatrix Empty(int rows, int cols) => new(rows, cols, new long[cols + 1], [], [], validate: false);

    /// <summary>Number of stored entries in <paramref name="col"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ColumnLength(int col) => (int)(_colPtr[col + 1] - _colPtr[col]);

    /// <summary>One column as a (row indices, values) view; the row indices are sorted ascending.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SparseVector Column(int col)
    {
        long start = _colPtr[col];
        int length = (int)(_colPtr[col + 1] - start);
        return new SparseVector(_rowIdx.AsSpan((int)start, length), _values.AsSpan((int)start, length), trusted: true);
    }

    /// <summary>The value at (<paramref name="row"/>, <paramref name="col"/>), zero when not stored.</summary>
    public float this[int row, int col]
    {
        get
        {
            if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row));
            if ((uint)col >= (uint)Cols) throw new ArgumentOutOfRangeException(nameof(col));
            var column = Column(col);
            int k = column.Indices.BinarySearch(row);
            return k >= 0 ? column.Values[k] : 0f;
        }
    }

    internal long[] ColPtrArray => _colPtr;
    internal int[] RowIdxArray => _rowIdx;
    internal float[] ValuesArray => _values;

    /// <inheritdoc />
    public override string ToString() => $"CscMatrix {Rows}x{Cols}, nnz={Nnz}";
}
