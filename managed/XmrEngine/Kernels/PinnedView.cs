using XmrEngine.Sparse;
using static XmrEngine.Kernels.NativeMethods;

namespace XmrEngine.Kernels;

/// <summary>
/// The one way a sparse matrix reaches libxmr_native: its three arrays pinned (<see cref="PinnedArray{T}"/>)
/// for as long as this value lives, with the <see cref="SparseView"/> the C code reads. The view holds
/// pointers, so the arrays must stay pinned across the calls that read it (often many parallel blocks).
/// </summary>
internal unsafe struct PinnedView : IDisposable
{
    private PinnedArray<long> _ptr;
    private PinnedArray<int> _idx;
    private PinnedArray<float> _val;

    private PinnedView(int rows, int cols, long[] ptr, int[] idx, float[]? val)
    {
        _ptr = new PinnedArray<long>(ptr);
        _idx = new PinnedArray<int>(idx);
        _val = new PinnedArray<float>(val);
        View = new SparseView(rows, cols, _ptr.Pointer, _idx.Pointer, _val.Pointer);
    }

    /// <summary>The matrix as the C code sees it; valid until <see cref="Dispose"/>.</summary>
    public SparseView View { get; }

    /// <summary>Pins a CSR matrix (row pointers, column indices, values).</summary>
    public static PinnedView Of(CsrMatrix m) => new(m.Rows, m.Cols, m.RowPtrArray, m.ColIdxArray, m.ValuesArray);

    /// <summary>Pins a CSC matrix (column pointers, row indices, values).</summary>
    public static PinnedView Of(CscMatrix m) => new(m.Rows, m.Cols, m.ColPtrArray, m.RowIdxArray, m.ValuesArray);

    /// <summary>Pins only a CSR matrix's structure: its values are not read (the mask of a masked product).</summary>
    public static PinnedView StructureOf(CsrMatrix m) => new(m.Rows, m.Cols, m.RowPtrArray, m.ColIdxArray, null);

    /// <summary>Releases the pins.</summary>
    public void Dispose()
    {
        _ptr.Dispose();
        _idx.Dispose();
        _val.Dispose();
    }
}
