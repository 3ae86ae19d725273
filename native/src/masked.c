/* Masked product (X W) at the stored positions of a mask: the scoring step of beam search. */
#include <stddef.h>
#include <string.h>
#include "xmr_native.h"
#include "simd.h"
#include "views.h"

/* A W column longer than this many times nnz(x_i) is searched from x_i's side instead of gathered. */
#define XMR_GALLOP_RATIO 32

static void masked_row(const xmr_sparse_view* x, const xmr_sparse_view* w, const xmr_sparse_view* mask,
                       int32_t i, float* restrict dense, float* restrict out)
{
    int64_t xs = x->ptr[i], xn = x->ptr[i + 1] - xs;
    int64_t k0 = mask->ptr[i], cn = mask->ptr[i + 1] - k0;
    if (cn == 0) return;
    if (xn == 0) {
        memset(out + k0, 0, (size_t)cn * sizeof(float));
        return;
    }
    const int32_t* xi = x->idx + xs;
    const float* xv = x->val + xs;
    const int32_t* cols = mask->idx + k0;
    for (int64_t p = 0; p < xn; p++) dense[xi[p]] = xv[p];
    for (int64_t c = 0; c < cn; c++) {
        int32_t j = cols[c];
        int64_t ws = w->ptr[j], wn = w->ptr[j + 1] - ws;
        out[k0 + c] = wn > XMR_GALLOP_RATIO * xn
            ? xmr_sorted_dot(xi, xv, xn, w->idx + ws, w->val + ws, wn)
            : xmr_gather_dot(w->idx + ws, w->val + ws, wn, dense);
    }
    for (int64_t p = 0; p < xn; p++) dense[xi[p]] = 0.0f;
}

XMR_API int32_t xmr_masked_rows(const xmr_sparse_view* x, const xmr_sparse_view* w, const xmr_sparse_view* mask,
                                int32_t row_start, int32_t row_end, float* dense, float* out)
{
    if (!xmr_view_ok(x, x ? x->rows : 0, 1) || !xmr_view_ok(w, w ? w->cols : 0, 1)
        || !xmr_view_ok(mask, mask ? mask->rows : 0, 0))
        return XMR_ERR_ARG;
    if (x->cols != w->rows || mask->rows != x->rows || mask->cols != w->cols) return XMR_ERR_SHAPE;
    if (!xmr_range_ok(row_start, row_end, mask->rows)) return XMR_ERR_ARG;
    if (row_end > row_start && mask->ptr[row_end] > mask->ptr[row_start] && (out == NULL || (dense == NULL && x->cols > 0)))
        return XMR_ERR_ARG;
    for (int32_t i = row_start; i < row_end; i++) masked_row(x, w, mask, i, dense, out);
    return XMR_OK;
}
