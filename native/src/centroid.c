/* Centroid accumulation for the k-means indexer: add scaled sparse rows into a dense vector and
 * record the coordinates written for the first time, so the caller can read, scale and clear the
 * centre in O(touched) instead of O(width). Mirrors TrackedDenseVector.AddRow in the managed code. */
#include <stddef.h>
#include "xmr_native.h"
#include "views.h"

XMR_API int32_t xmr_centroid_add_rows(const xmr_sparse_view* z, const int32_t* rows, int32_t row_count,
                                      float alpha, float* dense, uint8_t* marked,
                                      int32_t* touched, int32_t touched_capacity, int32_t* touched_count)
{
    if (!xmr_view_ok(z, z ? z->rows : 0, 1) || row_count < 0 || touched_count == NULL) return XMR_ERR_ARG;
    if (*touched_count < 0 || touched_capacity < *touched_count) return XMR_ERR_ARG;
    if (row_count == 0) return XMR_OK;
    if (rows == NULL) return XMR_ERR_ARG;
    if (z->cols > 0 && (dense == NULL || marked == NULL)) return XMR_ERR_ARG;
    /* Check every row id before writing anything, so a bad id leaves the outputs untouched. */
    for (int32_t r = 0; r < row_count; r++)
        if (rows[r] < 0 || rows[r] >= z->rows) return XMR_ERR_ARG;

    int32_t count = *touched_count;
    int32_t status = XMR_OK;
    for (int32_t r = 0; r < row_count && status == XMR_OK; r++) {
        const int64_t end = z->ptr[rows[r] + 1];
        for (int64_t p = z->ptr[rows[r]]; p < end; p++) {
            const int32_t j = z->idx[p];
            if (!marked[j]) {
                /* Out of room: stop before this entry, leaving dense, marked and touched consistent. */
                if (count == touched_capacity || touched == NULL) {
                    status = XMR_ERR_ARG;
                    break;
                }
                marked[j] = 1;
                touched[count++] = j;
            }
            dense[j] += alpha * z->val[p];
        }
    }
    *touched_count = count;
    return status;
}
