using System.Runtime.InteropServices;

namespace XmrEngine.Kernels;

/// <summary>
/// Hand-written source-generated bindings to the parts of <c>libmkl_rt</c> the MKL backend uses:
/// the inspector-executor sparse BLAS (mkl_spblas.h) and the service
/// functions that pick the interface and threading layers. MKL_INT is 32-bit because the backend
/// selects the LP64 interface before any other call (<see cref="MklLibrary"/>).
/// Only call these after <see cref="MklLibrary.TryInitialize"/> succeeded: the library is resolved
/// by <see cref="MklLibrary"/>, and calling into a missing library throws <see cref="DllNotFoundException"/>.
/// </summary>
/// <remarks>
/// The service functions are bound to their mixed-case C entry points (<c>MKL_Set_Num_Threads_Local</c>):
/// the lower-case names exported by libmkl_rt for them are the Fortran wrappers that take pointers.
/// The sparse functions only exist in lower case with C calling conventions.
/// </remarks>
internal static unsafe partial class MklNative
{
    /// <summary>The library name given to the runtime; <see cref="MklLibrary"/> resolves it.</summary>
    public const string Library = "mkl_rt";

    // ---- service (mkl_service.h) ----

    /// <summary>Selects LP64/ILP64; returns the layer in effect afterwards, or -1 on error.</summary>
    [LibraryImport(Library, EntryPoint = "MKL_Set_Interface_Layer")]
    public static partial int SetInterfaceLayer(int layer);

    /// <summary>Selects the threading layer; returns the layer in effect afterwards, or -1 on error.</summary>
    [LibraryImport(Library, EntryPoint = "MKL_Set_Threading_Layer")]
    public static partial int SetThreadingLayer(int layer);

    /// <summary>Sets the calling thread's MKL thread count (0 = follow the global setting); returns the previous local value.</summary>
    [LibraryImport(Library, EntryPoint = "MKL_Set_Num_Threads_Local")]
    public static partial int SetNumThreadsLocal(int threads);

    /// <summary>Largest thread count MKL would use now.</summary>
    [LibraryImport(Library, EntryPoint = "MKL_Get_Max_Threads")]
    public static partial int GetMaxThreads();

    /// <summary>Writes a NUL-terminated version string into <paramref name="buffer"/>.</summary>
    [LibraryImport(Library, EntryPoint = "MKL_Get_Version_String")]
    public static partial void GetVersionString(byte* buffer, int length);

    // ---- inspector-executor sparse BLAS (mkl_spblas.h) ----

    /// <summary>4-array CSR handle; MKL keeps the pointers (no copy), so the arrays must stay pinned until the handle is destroyed.</summary>
    [LibraryImport(Library, EntryPoint = "mkl_sparse_s_create_csr")]
    public static partial MklStatus CreateCsr(out MklSparseMatrixHandle matrix, MklIndexBase indexing, int rows, int cols,
        int* rowsStart, int* rowsEnd, int* colIndices, float* values);

    /// <summary>Pointers into the handle's CSR storage (owned by MKL; valid until the handle is destroyed).</summary>
    [LibraryImport(Library, EntryPoint = "mkl_sparse_s_export_csr")]
    public static partial MklStatus ExportCsr(MklSparseMatrixHandle source, out MklIndexBase indexing, out int rows, out int cols,
        out int* rowsStart, out int* rowsEnd, out int* colIndices, out float* values);

    /// <summary>Frees a handle (and any storage MKL allocated for it).</summary>
    [LibraryImport(Library, EntryPoint = "mkl_sparse_destroy")]
    public static partial MklStatus Destroy(nint matrix);

    /// <summary><c>C = op(A) op(B)</c> with descriptors and a stage request (two-stage capable SpGEMM).</summary>
    [LibraryImport(Library, EntryPoint = "mkl_sparse_sp2m")]
    public static partial MklStatus Sp2m(MklOperation operationA, MklMatrixDescriptor descriptorA, MklSparseMatrixHandle a,
        MklOperation operationB, MklMatrixDescriptor descriptorB, MklSparseMatrixHandle b, MklRequest request, out MklSparseMatrixHandle c);

    /// <summary><c>C = alpha op(A) B + beta C</c> with dense B and C in the given layout.</summary>
    [LibraryImport(Library, EntryPoint = "mkl_sparse_s_mm")]
    public static partial MklStatus Mm(MklOperation operation, float alpha, MklSparseMatrixHandle a, MklMatrixDescriptor descriptor,
        MklLayout layout, ReadOnlySpan<float> b, int columns, int ldb, float beta, Span<float> c, int ldc);
}
