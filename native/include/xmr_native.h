/*
 * XmrEngine native kernels: a plain C ABI.
 *
 * Conventions
 *  - Fixed-width types only; row/column pointers are int64_t, indices int32_t, values float.
 *  - Every kernel returns an int32_t status (XMR_OK or an XMR_ERR_* code) and writes results into
 *    buffers owned by the caller; the library never allocates memory that outlives a call.
 *  - Kernels that work on a row range [row_start, row_end) are re-entrant: the caller may run
 *    disjoint ranges on different threads at once, each with its own workspace. Results depend only
 *    on the inputs, never on how the caller splits the rows.
 *  - Shapes, pointers and ranges are checked (XMR_ERR_ARG / XMR_ERR_SHAPE). The contents of the
 *    compressed structures are trusted: pointers monotone, indices sorted, distinct and in range,
 *    exactly as the managed CsrMatrix/CscMatrix constructors guarantee.
 */
#ifndef XMR_NATIVE_H
#define XMR_NATIVE_H
#include <stdint.h>

#if defined(_WIN32)
#define XMR_API __declspec(dllexport)
#else
#define XMR_API __attribute__((visibility("default")))
#endif

/* Status codes. */
#define XMR_OK 0
#define XMR_ERR_ARG 1   /* a required pointer is null, a length is negative or a row range is invalid */
#define XMR_ERR_NOMEM 2 /* reserved: the current kernels never allocate */
#define XMR_ERR_SHAPE 3 /* operand dimensions do not agree */

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A compressed sparse matrix view. For CSR, ptr has rows + 1 entries and idx holds column indices;
 * for CSC, ptr has cols + 1 entries and idx holds row indices. val may be null where a kernel ignores
 * values (the mask of xmr_masked_rows). Layout: two int32 then three pointers (no hidden padding
 * before the first pointer on 32- or 64-bit targets).
 */
typedef struct xmr_sparse_view {
    int32_t rows;
    int32_t cols;
    const int64_t* ptr;
    const int32_t* idx;
    const float* val;
} xmr_sparse_view;

/* ABI version; bumped whenever a signature or a struct layout changes. */
XMR_API int32_t xmr_abi_version(void);

/* Widest vectors the SIMD kernels (gather dot, the solver's row dot, axpy) use from now on, for the whole
 * process, in bits: 0 (scalar loops), 256 (the default) or 512. Returns the width in effect: the request
 * capped at what this build and CPU support (512 needs a build with AVX-512F and a CPU that has it; 256 a
 * build with AVX2). The managed engine sets it from XMR_SIMD, so that both backends sum in the same order. */
XMR_API int32_t xmr_set_simd_bits(int32_t bits);

/* Bytes of workspace one worker needs for xmr_spgemm_count_rows / xmr_spgemm_fill_rows when B has
 * b_cols columns. The workspace must be zero-filled before its first use and at least 4-byte aligned;
 * every successful or failed kernel call leaves the parts it relies on zero again, so one workspace can
 * be reused for any number of calls whose B has exactly b_cols columns. Returns 0 for negative b_cols. */
XMR_API int64_t xmr_spgemm_workspace_bytes(int32_t b_cols);

/*
 * SpGEMM phase 1 (symbolic): for each row i in [row_start, row_end) of C = A * B (both CSR), writes
 * the number of stored entries of row i of C into row_nnz[i - row_start]. Cancelling products are
 * kept (structural product), so the counts do not depend on values.
 * workspace: xmr_spgemm_workspace_bytes(b->cols) bytes (see above).
 */
XMR_API int32_t xmr_spgemm_count_rows(const xmr_sparse_view* a, const xmr_sparse_view* b,
                                      int32_t row_start, int32_t row_end,
                                      void* workspace, int64_t* row_nnz);

/*
 * SpGEMM phase 2 (numeric): after the caller has prefix-summed the counts into c_ptr (rows + 1
 * entries, c_ptr[0] = 0), writes row i of C, columns sorted ascending, into
 * c_idx[c_ptr[i] .. c_ptr[i+1]) and c_val[...] for i in [row_start, row_end). Each entry is the sum
 * over the entries of row i of A, in order, of a_ik * b_kj (float arithmetic).
 * Returns XMR_ERR_ARG if a row's entry count disagrees with c_ptr.
 */
XMR_API int32_t xmr_spgemm_fill_rows(const xmr_sparse_view* a, const xmr_sparse_view* b,
                                     int32_t row_start, int32_t row_end,
                                     void* workspace, const int64_t* c_ptr,
                                     int32_t* c_idx, float* c_val);

/*
 * Masked product: for rows i in [row_start, row_end), writes (X W)[i, j] for every stored column j
 * of mask row i into out[mask->ptr[i] + k] (k-th entry of the row). X is CSR (n x d), W is CSC
 * (d x m), mask is CSR (n x m; values ignored). dense: x->cols floats, zero-filled on entry and left
 * zero-filled on return. Long W columns are gather-dotted against x_i scattered into dense; when x_i
 * is much shorter than the column (column length > 32 * nnz(x_i)) x_i's indices are galloped into it.
 */
XMR_API int32_t xmr_masked_rows(const xmr_sparse_view* x, const xmr_sparse_view* w, const xmr_sparse_view* mask,
                                int32_t row_start, int32_t row_end, float* dense, float* out);

/*
 * Sparse x dense: for rows i in [row_start, row_end) of A (CSR, m x k), writes
 * out[i * b_cols .. (i+1) * b_cols) = A[i, :] * B where B is k x b_cols dense row-major. out must
 * hold a->rows * b_cols floats; rows outside the range are not touched.
 */
XMR_API int32_t xmr_csr_dense_rows(const xmr_sparse_view* a, const float* b, int32_t b_cols,
                                   int32_t row_start, int32_t row_end, float* out);

/* sum_k values[k] * dense[indices[k]] into *result; every index must be in [0, dense_len). */
XMR_API int32_t xmr_sparse_dense_dot(const int32_t* indices, const float* values, int64_t nnz,
                                     const float* dense, int64_t dense_len, float* result);

/* One chunk row of the serving path into a parent's child scores (score_count children). dense != 0:
 * the slot_count == score_count slots are float bits and scores[c] += scale * value[c]; otherwise the
 * slots are (child offset, float bits) pairs and scores[offset] += scale * value, in order. */
XMR_API int32_t xmr_chunk_row_add(float scale, const int32_t* slots, int64_t slot_count, int32_t dense,
                                  float* scores, int64_t score_count);

/*
 * Centroid accumulation (k-means indexer): for r = 0 .. row_count-1 in order and every stored entry
 * (j, v) of row rows[r] of z (CSR), dense[j] += alpha * v (float arithmetic, entries in row order).
 * marked (z->cols bytes) flags the coordinates already recorded in touched; a coordinate written while
 * unflagged is flagged and appended at touched[*touched_count], which is advanced. touched has room
 * for touched_capacity entries; when it would overflow the kernel stops before that entry and returns
 * XMR_ERR_ARG with dense, marked, touched and *touched_count describing the rows added so far (a
 * capacity of min(z->cols, *touched_count + stored entries of the rows) never overflows). Row ids
 * must lie in [0, z->rows) (checked before anything is written); column indices are trusted.
 */
XMR_API int32_t xmr_centroid_add_rows(const xmr_sparse_view* z, const int32_t* rows, int32_t row_count,
                                      float alpha, float* dense, uint8_t* marked,
                                      int32_t* touched, int32_t touched_capacity, int32_t* touched_count);

/* Losses of xmr_dcd_hinge_solve. */
#define XMR_LOSS_HINGE 0         /* max(0, 1 - y w.x): dual box [0, C] */
#define XMR_LOSS_SQUARED_HINGE 1 /* max(0, 1 - y w.x)^2: dual diagonal 1/(2C), no upper bound */

/*
 * One binary problem of the dual coordinate-descent solver. Instance k (0 <= k < count) has label
 * labels[k] (+1 or -1), the input row indices[row_start[k] .. row_start[k] + row_length[k]) with the
 * aligned values, and squared norm sq_norm[k] (the bias feature's square included). Rows may overlap
 * or share storage (an unpacked CSR's own arrays). Column indices must be distinct within a row and
 * in [0, features) (trusted, like the compressed structures above). Layout: int32, int32, int64, then
 * six pointers (no hidden padding).
 */
typedef struct xmr_dcd_problem {
    int32_t count;
    int32_t features;
    int64_t entries;
    const int8_t* labels;
    const int32_t* row_start;
    const int32_t* row_length;
    const int32_t* indices;
    const float* values;
    const double* sq_norm;
} xmr_dcd_problem;

/* Solver settings: loss (XMR_LOSS_*), pass cap, costs of positives and negatives (> 0), stopping
 * tolerance on the projected-gradient spread, value of the constant bias feature (0 = no bias). */
typedef struct xmr_dcd_params {
    int32_t loss;
    int32_t max_iterations;
    double cp;
    double cn;
    double eps;
    double bias;
} xmr_dcd_params;

/*
 * Dual coordinate descent for min 0.5 |[w; b]|^2 + sum_k C_k loss(y_k ([w; b] . [x_k; bias])) with
 * liblinear's shrinking (Hsieh et al. 2008, Algorithm 3), step for step as the managed
 * HingeDualSolver: each pass shuffles the active part of order with the SplitMix64 stream in
 * *rng_state (the managed SeededRandom), so a given state visits the instances in the same sequence.
 * w (features floats) must be all zero on entry and receives the primal weights; alpha (count
 * doubles) receives the dual solution; order (count int32) is scratch; *b_out receives the bias
 * weight, *rng_state the advanced generator state, *iterations_out the passes made. With AVX2+FMA the
 * floating-point operations are those of the managed solver on AVX2+FMA hardware.
 */
XMR_API int32_t xmr_dcd_hinge_solve(const xmr_dcd_problem* problem, const xmr_dcd_params* params,
                                    float* w, double* alpha, int32_t* order,
                                    double* b_out, uint64_t* rng_state, int32_t* iterations_out);

/* Fisher-Yates shuffle of items[0 .. n) with the SplitMix64 stream in *rng_state (advanced): the
 * generator xmr_dcd_hinge_solve uses, exported so tests can compare it with SeededRandom.Shuffle. */
XMR_API int32_t xmr_random_shuffle(uint64_t* rng_state, int32_t* items, int32_t n);

#ifdef __cplusplus
}
#endif
#endif
