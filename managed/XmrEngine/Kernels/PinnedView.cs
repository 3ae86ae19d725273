using System.Runtime.InteropServices;
using XmrEngine.Sparse;
using static XmrEngine.Kernels.NativeMethods;

namespace XmrEngine.Kernels;

/// <summary>
/// The one way a sparse matrix reaches libxmr_native: its three arrays pinned (GC handles, no heap
/// allocation) for as long as this value lives, with the <see cref="SparseView"/> the C code reads.
/// Spans of the caller (results, dense operands, per-call buffers) are pinned with <c>fixed</c> at the
/// call instead: they may live on the stack, where a handle cannot reach.
/// </summary>
internal unsafe struct PinnedView : IDisposable
{
    private GCHandle _ptr;
    private GCHandle _idx;
    private GCHandle _val;

    private PinnedView(int rows, int cols, long[] ptr, int[] idx, float[]? val)
    {
        _ptr = GCHandle.Alloc(ptr, GCHandleType.Pinned);
        _idx = GCHandle.Alloc(idx, GCHandleType.Pinned);
        _val = val is null ? default : GCHandle.Alloc(val, GCHandleType.Pinned);
        View = new SparseView(rows, cols, (long*)_ptr.AddrOfPinnedObject(), (int*)_idx.AddrOfPinnedObject(),
            val is null ? null : (float*)_val.AddrOfPinnedObject());
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
        if (_ptr.IsAllocated) _ptr.Free();
        if (_idx.IsAllocated) _idx.Free();
        if (_val.IsAllocated) _val.Free();
    }
}
