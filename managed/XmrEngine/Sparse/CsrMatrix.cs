using System.Runtime.CompilerServices;

namespace XmrEngine.Sparse;

/// <summary>
/// A compressed-sparse-row matrix of <see cref="float"/> values with 32-bit column indices and 64-bit
/// row pointers. The matrix owns its arrays and is immutable once built; hot code reads rows through
/// <see cref="ReadOnlySpan{T}"/> views. Invariants (checked by the public constructor): pointers are
/// monotone and end at the value count, column indices in each row are strictly increasing (sorted,
/// no duplicates) and within <c>[0, Cols)</c>, and no value is NaN or infinite.
/// Instances are safe to read from any number of threads.
/// </summary>
public sealed class CsrMatrix
{
    private readonly long[] _rowPtr;
    private readonly int[] _colIdx;
    private readonly float[] _values;

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Cols { get; }

    /// <summary>Number of stored entries.</summary>
    public long Nnz => _rowPtr[Rows];

    /// <summary>Row pointers, length <see cref="Rows"/> + 1.</summary>
    public ReadOnlySpan<long> Pointers => _rowPtr;

    /// <summary>Column index of every stored entry, row by row.</summary>
    public ReadOnlySpan<int> Indices => _colIdx.AsSpan(0, checked((int)Nnz));

    /// <summary>Value of every stored entry, row by row.</summary>
    public ReadOnlySpan<float> Values => _values.AsSpan(0, checked((int)Nnz));

    /// <summary>Creates a matrix from its three arrays after checking every invariant.</summary>
    /// <exception cref="ArgumentException">An invariant does not hold; the message names the row and entry.</exception>
    public CsrMatrix(int rows, int cols, long[] rowPointers, int[] columnIndices, float[] values)
        : this(rows, cols, rowPointers, columnIndices, values, validate: true)
    {
    }

    private CsrMatrix(int rows, int cols, long[] rowPtr, int[] colIdx, float[] values, bool validate)
    {
        ArgumentNullException.ThrowIfNull(rowPtr);
        ArgumentNullException.ThrowIfNull(colIdx);
        ArgumentNullException.ThrowIfNull(values);
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Row count must be non-negative.");
        if (cols < 0) throw new ArgumentOutOfRangeException(nameof(cols), cols, "Column count must be non-negative.");
        if (rowPtr.Length != (long)rows + 1)
            throw new ArgumentException($"Row pointer array has length {rowPtr.Length}; expected rows + 1 = {(long)rows + 1}.", nameof(rowPtr));
        Rows = rows;
        Cols = cols;
        _rowPtr = rowPtr;
        _colIdx = colIdx;
        _values = values;
        if (validate) SparseValidation.ValidateCompressed(rowPtr, colIdx, values, rows, cols, "row", "column");
    }

    /// <summary>Wraps arrays that the caller guarantees to be valid (kernels that build sorted output).</summary>
    internal static CsrMatrix FromTrusted(int rows, int cols, long[] rowPtr, int[] colIdx, float[] values)
    {
#if DEBUG
        return new CsrMatrix(rows, cols, rowPtr, colIdx, values, validate: true);
#else
        return new CsrMatrix(rows, cols, rowPtr, colIdx, values, validate: false);
#endif
    }

    /// <summary>An all-zero matrix of the given shape.</summary>
    public static CsrMatrix Empty(int rows, int cols) => new(rows, cols, new long[rows + 1], [], [], validate: false);

    /// <summary>Number of stored entries in <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int RowLength(int row) => (int)(_rowPtr[row + 1] - _rowPtr[row]);

    /// <summary>One row as a (column indices, values) view; the column indices are sorted ascending.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SparseVector Row(int row)
    {
        long start = _rowPtr[row];
        int length = (int)(_rowPtr[row + 1] - start);
        return new SparseVector(_colIdx.AsSpan((int)start, length), _values.AsSpan((int)start, length), trusted: true);
    }

    /// <summary>The value at (<paramref name="row"/>, <paramref name="col"/>), zero when not stored (binary search).</summary>
    public float this[int row, int col]
    {
        get
        {
            if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row));
            if ((uint)col >= (uint)Cols) throw new ArgumentOutOfRangeException(nameof(col));
            var r = Row(row);
            int k = r.Indices.BinarySearch(col);
            return k >= 0 ? r.Values[k] : 0f;
        }
    }

    internal long[] RowPtrArray => _rowPtr;
    internal int[] ColIdxArray => _colIdx;
    internal float[] ValuesArray => _values;

    /// <inheritdoc />
    public override string ToString() => $"CsrMatrix {Rows}x{Cols}, nnz={Nnz}";
}
