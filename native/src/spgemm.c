/* SpGEMM C = A * B for CSR operands, in two row-range phases so the caller can drive parallelism:
 * count the entries of each row, prefix-sum (caller), then fill. Both phases use a per-worker
 * workspace of dense accumulator + occupancy bitmap + touched-word list, cleared in O(touched words). */
#include <stddef.h>
#include <string.h>
#include "xmr_native.h"
#include "sort.h"
#include "views.h"

/* Workspace layout for b_cols = n, words = ceil(n / 64): float acc[n] (padded to 8 bytes) | uint64 bits[words]
 * (one occupancy bit per column) | int32 touched_words[words + 1] (word ids in first-touch order; one spare
 * slot because the branch-free append writes a slot before knowing whether the word is new). Rows come out
 * sorted by column by reading the set bits word by word with count-trailing-zeros: no sort of the row. */
typedef struct spgemm_workspace {
    float* acc;
    uint64_t* bits;
    int32_t* words;
    int32_t word_count;
} spgemm_workspace;

static int64_t acc_bytes(int32_t b_cols)
{
    return ((int64_t)b_cols * (int64_t)sizeof(float) + 7) & ~(int64_t)7;
}

static spgemm_workspace split(void* ws, int32_t b_cols)
{
    spgemm_workspace w;
    w.word_count = (int32_t)(((int64_t)b_cols + 63) / 64);
    w.acc = (float*)ws;
    w.bits = (uint64_t*)((char*)ws + acc_bytes(b_cols));
    w.words = (int32_t*)(w.bits + w.word_count);
    return w;
}

XMR_API int64_t xmr_spgemm_workspace_bytes(int32_t b_cols)
{
    if (b_cols < 0) return 0;
    int64_t words = ((int64_t)b_cols + 63) / 64;
    int64_t bytes = acc_bytes(b_cols) + words * (int64_t)sizeof(uint64_t) + (words + 1) * (int64_t)sizeof(int32_t);
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

/* Sets the occupancy bit of column j, recording its word the first time the word becomes non-zero. */
#define MARK_COLUMN(bits, words, nw, j)                 \
    do {                                                \
        uint64_t* word_ = &(bits)[(j) >> 6];            \
        (words)[nw] = (j) >> 6;                         \
        (nw) += *word_ == 0;                            \
        *word_ |= (uint64_t)1 << ((j) & 63);            \
    } while (0)

/* Marks the structural columns of row i of A*B; returns the number of touched words (left marked). */
static int32_t mark_row(const xmr_sparse_view* a, const xmr_sparse_view* b, int32_t i, spgemm_workspace w)
{
    const int32_t* restrict a_idx = a->idx;
    const int64_t* restrict b_ptr = b->ptr;
    const int32_t* restrict b_idx = b->idx;
    uint64_t* restrict bits = w.bits;
    int32_t* restrict words = w.words;
    int32_t nw = 0;
    for (int64_t p = a->ptr[i], p_end = a->ptr[i + 1]; p < p_end; p++) {
        int32_t k = a_idx[p];
        for (int64_t q = b_ptr[k], q_end = b_ptr[k + 1]; q < q_end; q++) {
            int32_t j = b_idx[q];
            MARK_COLUMN(bits, words, nw, j);
        }
    }
    return nw;
}

/* Entries in the touched words (the row's distinct columns). */
static int64_t count_marked(spgemm_workspace w, int32_t nw)
{
    int64_t n = 0;
    for (int32_t t = 0; t < nw; t++) n += __builtin_popcountll(w.bits[w.words[t]]);
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
        int32_t nw = mark_row(a, b, i, w);
        row_nnz[i - row_start] = count_marked(w, nw);
        for (int32_t t = 0; t < nw; t++) w.bits[w.words[t]] = 0;
    }
    return XMR_OK;
}

/* Accumulates row i of A*B into the workspace; returns the number of touched words. */
static int32_t accumulate_row(const xmr_sparse_view* a, const xmr_sparse_view* b, int32_t i, spgemm_workspace w)
{
    const int32_t* restrict a_idx = a->idx;
    const float* restrict a_val = a->val;
    const int64_t* restrict b_ptr = b->ptr;
    const int32_t* restrict b_idx = b->idx;
    const float* restrict b_val = b->val;
    float* restrict acc = w.acc;
    uint64_t* restrict bits = w.bits;
    int32_t* restrict words = w.words;
    int32_t nw = 0;
    for (int64_t p = a->ptr[i], p_end = a->ptr[i + 1]; p < p_end; p++) {
        int32_t k = a_idx[p];
        float s = a_val[p];
        for (int64_t q = b_ptr[k], q_end = b_ptr[k + 1]; q < q_end; q++) {
            int32_t j = b_idx[q];
            MARK_COLUMN(bits, words, nw, j);
            acc[j] += s * b_val[q];
        }
    }
    return nw;
}

/* Forgets a row that will not be written: zeroes its values and bits in O(touched words + entries). */
static void clear_marked(spgemm_workspace w, int32_t nw)
{
    for (int32_t t = 0; t < nw; t++) {
        int32_t word = w.words[t];
        for (uint64_t set = w.bits[word]; set != 0; set &= set - 1) w.acc[word * 64 + __builtin_ctzll(set)] = 0.0f;
        w.bits[word] = 0;
    }
}

/* Writes the set columns of one word in ascending order with their values and clears both. */
static inline int64_t drain_word(spgemm_workspace w, int32_t word, int32_t* out_idx, float* out_val, int64_t o)
{
    uint64_t set = w.bits[word];
    if (set == 0) return o;
    w.bits[word] = 0;
    int32_t base = word * 64;
    do {
        int32_t j = base + __builtin_ctzll(set);
        out_idx[o] = j;
        out_val[o] = w.acc[j];
        w.acc[j] = 0.0f;
        o++;
        set &= set - 1;
    } while (set != 0);
    return o;
}

/* Writes the accumulated row sorted by column and clears the workspace: a row touching at least an eighth of
 * the words scans the whole bitmap; a narrow one sorts its few word ids and visits only those (same rule as
 * the managed kernels). */
static void drain_sorted(spgemm_workspace w, int32_t nw, int32_t* out_idx, float* out_val)
{
    int64_t o = 0;
    if (8 * (int64_t)nw >= w.word_count) {
        for (int32_t word = 0; word < w.word_count; word++) o = drain_word(w, word, out_idx, out_val, o);
        return;
    }
    xmr_sort_i32(w.words, nw);
    for (int32_t t = 0; t < nw; t++) o = drain_word(w, w.words[t], out_idx, out_val, o);
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
        int32_t nw = accumulate_row(a, b, i, w);
        if (c_ptr[i + 1] - c_ptr[i] != count_marked(w, nw)) {
            clear_marked(w, nw);
            return XMR_ERR_ARG;
        }
        drain_sorted(w, nw, c_idx + c_ptr[i], c_val + c_ptr[i]);
    }
    return XMR_OK;
}
