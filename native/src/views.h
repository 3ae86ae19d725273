/* Internal argument checks shared by the kernels. */
#ifndef XMR_VIEWS_H
#define XMR_VIEWS_H
#include "xmr_native.h"

/* A view is usable when its dimensions are non-negative, ptr is present and idx/val are present
 * whenever the matrix stores entries. outer is rows for CSR, cols for CSC. */
static inline int xmr_view_ok(const xmr_sparse_view* v, int32_t outer, int need_values)
{
    if (v == 0 || v->rows < 0 || v->cols < 0 || v->ptr == 0) return 0;
    if (v->ptr[outer] > 0 && (v->idx == 0 || (need_values && v->val == 0))) return 0;
    return 1;
}

static inline int xmr_range_ok(int32_t start, int32_t end, int32_t rows)
{
    return start >= 0 && start <= end && end <= rows;
}
#endif
