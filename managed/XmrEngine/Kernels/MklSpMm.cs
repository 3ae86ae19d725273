using XmrEngine.Sparse;

namespace XmrEngine.Kernels;

/// <summary>Sparse x dense product through <c>mkl_sparse_s_mm</c> with row-major dense operands.</summary>
internal static unsafe class MklSpMm
{
    /// <summary>Computes <c>result = A B</c>; throws <see cref="InvalidOperationException"/> when MKL cannot (see <see cref="TryMultiply"/>).</summary>
    public static void Multiply(CsrMatrix a, ReadOnlySpan<float> b, int bCols, Span<float> result, int threads)
    {
        if (!TryMultiply(a, b, bCols, result, threads, out var reason)) throw new InvalidOperationException(reason);
    }

    /// <summary>
    /// Computes <c>result = A B</c> (B is a.Cols x bCols, result a.Rows x bCols, both row-major), or
    /// returns false with the reason MKL cannot (A has more than 2^31-1 entries) and leaves
    /// <paramref name="result"/> untouched.
    /// </summary>
    /// <exception cref="MklException">An MKL call returned an error status.</exception>
    public static bool TryMultiply(CsrMatrix a, ReadOnlySpan<float> b, int bCols, Span<float> result, int threads, out string reason)
    {
        reason = "";
        if (a.Nnz > MklSpGemm.Int32Limit)
        {
            reason = $"the sparse operand has {a.Nnz} stored entries; MKL's LP64 interface is limited to {MklSpGemm.Int32Limit}.";
            return false;
        }
        // MKL rejects zero-sized operands and null arrays; the product is all zeros (or empty) then.
        if (a.Rows == 0 || bCols == 0 || a.Nnz == 0)
        {
            result.Clear();
            return true;
        }
        var aPtr = MklSpGemm.ToInt32Pointers(a.Pointers, 0, a.Rows);
        // The handle keeps A's array addresses (MKL does not copy them), so they stay pinned until it is
        // destroyed; B and the result are spans of the one mkl_sparse_s_mm call, pinned by its stub.
        using var aStart = new PinnedArray<int>(aPtr);
        using var aIdx = new PinnedArray<int>(a.ColIdxArray);
        using var aVal = new PinnedArray<float>(a.ValuesArray);
        using var scope = new MklThreadScope(threads);
        MklException.Check(MklNative.CreateCsr(out var handle, MklIndexBase.Zero, a.Rows, a.Cols, aStart.Pointer, aStart.Pointer + 1, aIdx.Pointer, aVal.Pointer),
            "mkl_sparse_s_create_csr");
        using (handle)
        {
            MklException.Check(MklNative.Mm(MklOperation.NonTranspose, 1f, handle, MklMatrixDescriptor.General, MklLayout.RowMajor,
                b, bCols, bCols, 0f, result, bCols), "mkl_sparse_s_mm");
        }
        return true;
    }
}
