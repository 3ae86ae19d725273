using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XmrEngine.Kernels;

/// <summary>
/// Every binding to libxmr_native (native/include/xmr_native.h), source-generated with
/// <see cref="LibraryImportAttribute"/>. All parameters are blittable, so the generated stubs pass
/// them straight through; callers pin managed memory with <c>fixed</c>. Every kernel returns an
/// <see cref="NativeStatus"/> code.
/// </summary>
internal static unsafe partial class NativeMethods
{
    /// <summary>Library name as given to the runtime; <see cref="NativeLibraryResolver"/> maps it to a file.</summary>
    public const string LibraryName = "xmr_native";

    /// <summary>The ABI version this assembly was written against (xmr_abi_version()).</summary>
    public const int ExpectedAbiVersion = 4;

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

    [LibraryImport(LibraryName, EntryPoint = "xmr_spgemm_workspace_bytes")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial long SpgemmWorkspaceBytes(int bCols);

    [LibraryImport(LibraryName, EntryPoint = "xmr_spgemm_count_rows")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int SpgemmCountRows(SparseView* a, SparseView* b, int rowStart, int rowEnd, void* workspace, long* rowNnz);

    [LibraryImport(LibraryName, EntryPoint = "xmr_spgemm_fill_rows")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int SpgemmFillRows(SparseView* a, SparseView* b, int rowStart, int rowEnd, void* workspace, long* cPtr, int* cIdx, float* cVal);

    [LibraryImport(LibraryName, EntryPoint = "xmr_masked_rows")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int MaskedRows(SparseView* x, SparseView* w, SparseView* mask, int rowStart, int rowEnd, float* dense, float* output);

    [LibraryImport(LibraryName, EntryPoint = "xmr_csr_dense_rows")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int CsrDenseRows(SparseView* a, float* b, int bCols, int rowStart, int rowEnd, float* output);

    [LibraryImport(LibraryName, EntryPoint = "xmr_sparse_dense_dot")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int SparseDenseDot(int* indices, float* values, long nnz, float* dense, long denseLength, float* result);

    [LibraryImport(LibraryName, EntryPoint = "xmr_chunk_row_add")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int ChunkRowAdd(float scale, int* slots, long slotCount, int dense, float* scores, long scoreCount);
}
