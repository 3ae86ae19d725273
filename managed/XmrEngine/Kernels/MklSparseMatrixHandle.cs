using Microsoft.Win32.SafeHandles;

namespace XmrEngine.Kernels;

/// <summary>
/// Owns an MKL <c>sparse_matrix_t</c> and destroys it with <c>mkl_sparse_destroy</c>. A handle made
/// by <c>mkl_sparse_s_create_csr/csc</c> points into caller arrays, so it must be disposed while those
/// arrays are still pinned.
/// </summary>
internal sealed class MklSparseMatrixHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Used by the P/Invoke marshaller for <c>out</c> parameters.</summary>
    public MklSparseMatrixHandle()
        : base(ownsHandle: true)
    {
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle() => MklNative.Destroy(handle) == MklStatus.Success;
}
