using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XmrEngine.Kernels;

/// <summary>
/// Every binding to libxmr_native (native/include/xmr_native.h), source-generated with
/// <see cref="LibraryImportAttribute"/>. Buffers of one call are spans (and structs <c>in</c>, results
/// <c>out</c>): their element types are blittable, so the generated stubs pin them for the call and pass
/// the address, and no call site pins by hand. Only the matrices' arrays, whose addresses the C code reads
/// from inside a <see cref="SparseView"/>, are pinned beforehand (<see cref="PinnedView"/>). An empty span
/// may arrive as a null or a dangling pointer; the C code reads nothing through a pointer whose count is 0.
/// Every kernel returns an <see cref="NativeStatus"/> code.
/// </summary>
internal static unsafe partial class NativeMethods
{
    /// <summary>Library name as given to the runtime; <see cref="NativeLibraryResolver"/> maps it to a file.</summary>
    public const string LibraryName = "xmr_native";

    /// <summary>The ABI version this assembly was written against (xmr_abi_version()).</summary>
    public const int ExpectedAbiVersion = 5;

    /// <summary>Mirror of <c>xmr_sparse_view</c>: a CSR or CSC matrix as (rows, cols, ptr, idx, val).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SparseView
    {
        public int Rows;
        public int Cols;
        public long* Ptr;
        public int* Idx;
        public float* Val;

        public SparseView(int rows, int cols, long* ptr, int* idx, float* val)
        {
            Rows = rows;
            Cols = cols;
            Ptr = ptr;
            Idx = idx;
            Val = val;
        }
    }

    [LibraryImport(LibraryName, EntryPoint = "xmr_abi_version")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int AbiVersion();

    /// <summary>Sets the SIMD width of the library's kernels for the process; returns the width in effect.</summary>
    [LibraryImport(LibraryName, EntryPoint = "xmr_set_simd_bits")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int SetSimdBits(int bits);

    [LibraryImport(LibraryName, EntryPoint = "xmr_spgemm_workspace_bytes")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial long SpgemmWorkspaceBytes(int bCols);

    [LibraryImport(LibraryName, EntryPoint = "xmr_spgemm_count_rows")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int SpgemmCountRows(in SparseView a, in SparseView b, int rowStart, int rowEnd, Span<byte> workspace, Span<long> rowNnz);

    [LibraryImport(LibraryName, EntryPoint = "xmr_spgemm_fill_rows")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int SpgemmFillRows(in SparseView a, in SparseView b, int rowStart, int rowEnd, Span<byte> workspace, ReadOnlySpan<long> cPtr,
        Span<int> cIdx, Span<float> cVal);

    [LibraryImport(LibraryName, EntryPoint = "xmr_masked_rows")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int MaskedRows(in SparseView x, in SparseView w, in SparseView mask, int rowStart, int rowEnd, Span<float> dense, Span<float> output);

    [LibraryImport(LibraryName, EntryPoint = "xmr_csr_dense_rows")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int CsrDenseRows(in SparseView a, ReadOnlySpan<float> b, int bCols, int rowStart, int rowEnd, Span<float> output);

    [LibraryImport(LibraryName, EntryPoint = "xmr_sparse_dense_dot")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int SparseDenseDot(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, long nnz, ReadOnlySpan<float> dense, long denseLength, out float result);

    [LibraryImport(LibraryName, EntryPoint = "xmr_chunk_row_add")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int ChunkRowAdd(float scale, ReadOnlySpan<int> slots, long slotCount, int dense, Span<float> scores, long scoreCount);
}
