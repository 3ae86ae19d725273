/* Kernels with a dense operand: CSR x dense rows and the three vector dot products. */
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

XMR_API int32_t xmr_dot(const float* x, const float* y, int64_t n, float* result)
{
    if (result == NULL || n < 0 || (n > 0 && (x == NULL || y == NULL))) return XMR_ERR_ARG;
    *result = xmr_dense_dot(x, y, n);
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

XMR_API int32_t xmr_sparse_sparse_dot(const int32_t* a_idx, const float* a_val, int64_t a_nnz,
                                      const int32_t* b_idx, const float* b_val, int64_t b_nnz,
                                      float* result)
{
    if (result == NULL || a_nnz < 0 || b_nnz < 0) return XMR_ERR_ARG;
    if ((a_nnz > 0 && (a_idx == NULL || a_val == NULL)) || (b_nnz > 0 && (b_idx == NULL || b_val == NULL)))
        return XMR_ERR_ARG;
    *result = xmr_sorted_dot(a_idx, a_val, a_nnz, b_idx, b_val, b_nnz);
    return XMR_OK;
}
