/* SpGEMM C = A * B for CSR operands, in two row-range phases so the caller can drive parallelism:
 * count the entries of each row, prefix-sum (caller), then fill. Both phases use a per-worker
 * workspace of dense accumulator + touched-column list + marker, cleared in O(touched). */
#include <stddef.h>
#include <string.h>
#include "xmr_native.h"
#include "sort.h"
#include "views.h"

/* Workspace layout for b_cols = n: float acc[n] | int32 touched[n + 1] | uint8 mark[n]. touched has one
 * spare slot because the branch-free append writes a slot before knowing whether the column is new. */
typedef struct spgemm_workspace {
    float* acc;
    int32_t* touched;
    uint8_t* mark;
} spgemm_workspace;

static spgemm_workspace split(void* ws, int32_t b_cols)
{
    spgemm_workspace w;
    w.acc = (float*)ws;
    w.touched = (int32_t*)(w.acc + b_cols);
    w.mark = (uint8_t*)(w.touched + b_cols + 1);
    return w;
}

XMR_API int64_t xmr_spgemm_workspace_bytes(int32_t b_cols)
{
    if (b_cols < 0) return 0;
    int64_t bytes = (int64_t)b_cols * (int64_t)(sizeof(float) + sizeof(int32_t) + sizeof(uint8_t)) + (int64_t)sizeof(int32_t);
    return (bytes + 15) & ~(int64_t)15;
}

static int32_t check(const xmr_sparse_view* a, const xmr_sparse_view* b, int32_t row_start, int32_t row_end,
                     const void* ws, int need_values)
{
    if (!xmr_view_ok(a, a ? a->rows : 0, need_values) || !xmr_view_ok(b, b ? b->rows : 0, need_values))
        return XMR_ERR_ARG;
    if (a->cols != b->rows) return XMR_ERR_SHAPE;
    if (!xmr_range_ok(row_start, row_end, a->rows)) return XMR_ERR_ARG;
    if (ws == NULL && b->cols > 0) return XMR_ERR_ARG;
    return XMR_OK;
}

/* Marks the structural columns of row i of A*B; returns how many are distinct. Leaves them marked.
 * Pointers are copied to restrict locals because the byte-sized marker stores could otherwise alias
 * every load and force reloads inside the inner loop. */
static int64_t mark_row(const xmr_sparse_view* a, const xmr_sparse_view* b, int32_t i, spgemm_workspace w)
{
    const int32_t* restrict a_idx = a->idx;
    const int64_t* restrict b_ptr = b->ptr;
    const int32_t* restrict b_idx = b->idx;
    int32_t* restrict touched = w.touched;
    uint8_t* restrict mark = w.mark;
    int64_t n = 0;
    for (int64_t p = a->ptr[i], p_end = a->ptr[i + 1]; p < p_end; p++) {
        int32_t k = a_idx[p];
        for (int64_t q = b_ptr[k], q_end = b_ptr[k + 1]; q < q_end; q++) {
            int32_t j = b_idx[q];
            /* Branch-free append: the slot is always written, the count only grows for new columns. */
            touched[n] = j;
            n += mark[j] ^ 1;
            mark[j] = 1;
        }
    }
    return n;
}

XMR_API int32_t xmr_spgemm_count_rows(const xmr_sparse_view* a, const xmr_sparse_view* b,
                                      int32_t row_start, int32_t row_end,
                                      void* workspace_ptr, int64_t* row_nnz)
{
    int32_t status = check(a, b, row_start, row_end, workspace_ptr, 0);
    if (status != XMR_OK) return status;
    if (row_nnz == NULL && row_end > row_start) return XMR_ERR_ARG;
    spgemm_workspace w = split(workspace_ptr, b->cols);
    for (int32_t i = row_start; i < row_end; i++) {
        int64_t n = mark_row(a, b, i, w);
        for (int64_t t = 0; t < n; t++) w.mark[w.touched[t]] = 0;
        row_nnz[i - row_start] = n;
    }
    return XMR_OK;
}

/* Accumulates row i of A*B into the workspace (columns recorded in touched); returns the count. */
static int64_t accumulate_row(const xmr_sparse_view* a, const xmr_sparse_view* b, int32_t i, spgemm_workspace w)
{
    const int32_t* restrict a_idx = a->idx;
    const float* restrict a_val = a->val;
    const int64_t* restrict b_ptr = b->ptr;
    const int32_t* restrict b_idx = b->idx;
    const float* restrict b_val = b->val;
    float* restrict acc = w.acc;
    int32_t* restrict touched = w.touched;
    uint8_t* restrict mark = w.mark;
    int64_t n = 0;
    for (int64_t p = a->ptr[i], p_end = a->ptr[i + 1]; p < p_end; p++) {
        int32_t k = a_idx[p];
        float s = a_val[p];
        for (int64_t q = b_ptr[k], q_end = b_ptr[k + 1]; q < q_end; q++) {
            int32_t j = b_idx[q];
            touched[n] = j;
            n += mark[j] ^ 1;
            mark[j] = 1;
            acc[j] += s * b_val[q];
        }
    }
    return n;
}

static void clear_touched(spgemm_workspace w, int64_t n)
{
    for (int64_t t = 0; t < n; t++) {
        w.acc[w.touched[t]] = 0.0f;
        w.mark[w.touched[t]] = 0;
    }
}

/* Writes the accumulated row sorted by column and clears the workspace. A dense scan replaces the
 * sort when the row touches more than 1/16 of the columns (same rule as the managed kernels). */
static void drain_sorted(spgemm_workspace w, int64_t n, int32_t b_cols, int32_t* out_idx, float* out_val)
{
    if (n > b_cols / 16) {
        /* Branch-free scan: marks of a dense-ish row are unpredictable, so always write slot o and
         * advance it by the mark. Stopping once o == n keeps every write inside this row's range. */
        int64_t o = 0;
        for (int32_t j = 0; o < n; j++) {
            out_idx[o] = j;
            out_val[o] = w.acc[j];
            o += w.mark[j];
            w.acc[j] = 0.0f;
            w.mark[j] = 0;
        }
        return;
    }
    xmr_sort_i32(w.touched, n);
    for (int64_t t = 0; t < n; t++) {
        int32_t j = w.touched[t];
        out_idx[t] = j;
        out_val[t] = w.acc[j];
        w.acc[j] = 0.0f;
        w.mark[j] = 0;
    }
}

XMR_API int32_t xmr_spgemm_fill_rows(const xmr_sparse_view* a, const xmr_sparse_view* b,
                                     int32_t row_start, int32_t row_end,
                                     void* workspace_ptr, const int64_t* c_ptr,
                                     int32_t* c_idx, float* c_val)
{
    int32_t status = check(a, b, row_start, row_end, workspace_ptr, 1);
    if (status != XMR_OK) return status;
    if (row_end > row_start && c_ptr == NULL) return XMR_ERR_ARG;
    if (row_end > row_start && c_ptr[row_end] > c_ptr[row_start] && (c_idx == NULL || c_val == NULL)) return XMR_ERR_ARG;
    spgemm_workspace w = split(workspace_ptr, b->cols);
    for (int32_t i = row_start; i < row_end; i++) {
        int64_t n = accumulate_row(a, b, i, w);
        if (c_ptr[i + 1] - c_ptr[i] != n) {
            clear_touched(w, n);
            return XMR_ERR_ARG;
        }
        drain_sorted(w, n, b->cols, c_idx + c_ptr[i], c_val + c_ptr[i]);
    }
    return XMR_OK;
}
