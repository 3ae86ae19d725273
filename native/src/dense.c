/* Kernels with a dense operand: CSR x dense rows and the gather dot. */
#include <stddef.h>
#include <string.h>
#include "xmr_native.h"
#include "simd.h"
#include "views.h"

XMR_API int32_t xmr_csr_dense_rows(const xmr_sparse_view* a, const float* b, int32_t b_cols,
                                   int32_t row_start, int32_t row_end, float* out)
{
    if (!xmr_view_ok(a, a ? a->rows : 0, 1) || b_cols < 0) return XMR_ERR_ARG;
    if (!xmr_range_ok(row_start, row_end, a->rows)) return XMR_ERR_ARG;
    if (b_cols == 0 || row_end == row_start) return XMR_OK;
    if (out == NULL || (b == NULL && a->cols > 0)) return XMR_ERR_ARG;
    for (int32_t i = row_start; i < row_end; i++) {
        float* row = out + (int64_t)i * b_cols;
        memset(row, 0, (size_t)b_cols * sizeof(float));
        for (int64_t p = a->ptr[i]; p < a->ptr[i + 1]; p++)
            xmr_axpy(a->val[p], b + (int64_t)a->idx[p] * b_cols, row, b_cols);
    }
    return XMR_OK;
}

XMR_API int32_t xmr_sparse_dense_dot(const int32_t* indices, const float* values, int64_t nnz,
                                     const float* dense, int64_t dense_len, float* result)
{
    if (result == NULL || nnz < 0 || dense_len < 0) return XMR_ERR_ARG;
    if (nnz > 0 && (indices == NULL || values == NULL || dense == NULL)) return XMR_ERR_ARG;
    *result = xmr_gather_dot(indices, values, nnz, dense);
    return XMR_OK;
}
