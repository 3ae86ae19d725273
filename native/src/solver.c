/* Dual coordinate descent for L2-regularised linear SVMs (hinge and squared hinge) with liblinear's
 * shrinking: the same algorithm, visiting order and floating-point operations as
 * managed/XmrEngine/Kernels/HingeDualSolver.cs. Compiled with -ffp-contract=off (CMakeLists.txt)
 * so that no multiply-add is fused behind the managed code's back. */
#include <math.h>
#include <stddef.h>
#include "xmr_native.h"
#include "simd.h"
#include "splitmix.h"
#ifdef __AVX2__
#include <immintrin.h>
#endif

#if defined(__AVX2__) && defined(__FMA__)
/* Eight scattered loads into one vector: on Zen-class cores (the dev machine) plain loads plus inserts
 * beat vpgatherdps for these short rows; the lanes are the same, so the sum is too. */
static inline __m256 solver_load8(const float* w, const int32_t* idx)
{
    return _mm256_setr_ps(w[idx[0]], w[idx[1]], w[idx[2]], w[idx[3]], w[idx[4]], w[idx[5]], w[idx[6]], w[idx[7]]);
}
#endif

#if defined(__AVX2__) && defined(__FMA__)
/* The lanes of v summed as .NET's Vector256.Sum does: (((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))). */
static inline float solver_hsum256(__m256 v)
{
    v = _mm256_hadd_ps(v, v);
    v = _mm256_hadd_ps(v, v);
    return _mm_cvtss_f32(_mm256_castps256_ps128(v)) + _mm_cvtss_f32(_mm256_extractf128_ps(v, 1));
}
#endif

#if defined(__AVX512F__)
/* Sixteen scattered loads into one vector, as two halves of eight (the managed ScalarLoad.Load512). */
static inline __m512 solver_load16(const float* w, const int32_t* idx)
{
    return _mm512_insertf32x8(_mm512_castps256_ps512(solver_load8(w, idx)), solver_load8(w, idx + 8), 1);
}
#endif

/* sum val[k] * w[idx[k]] in exactly the managed SparseRowDot (SimdDriver.IndexedDot) order at the process's
 * width: at 512 bits two 16-lane FMA accumulators over blocks of 32, one more block of 16, acc0 + acc1 reduced
 * as .NET's Vector512.Sum does (Vector256.Sum of the lower half plus that of the upper half); at 256 bits two
 * 8-lane accumulators over blocks of 16, one more block of 8, reduced as Vector256.Sum; then a scalar tail. */
static inline float solver_gather_dot(const int32_t* idx, const float* val, int32_t n, const float* w)
{
    int32_t i = 0;
    float s = 0.0f;
#if defined(__AVX512F__) && defined(__AVX512DQ__) && defined(__FMA__)
    if (xmr_simd_bits >= 512 && n >= 16) {
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        for (; i <= n - 32; i += 32) {
            a0 = _mm512_fmadd_ps(solver_load16(w, idx + i), _mm512_loadu_ps(val + i), a0);
            a1 = _mm512_fmadd_ps(solver_load16(w, idx + i + 16), _mm512_loadu_ps(val + i + 16), a1);
        }
        if (i <= n - 16) {
            a0 = _mm512_fmadd_ps(solver_load16(w, idx + i), _mm512_loadu_ps(val + i), a0);
            i += 16;
        }
        __m512 v = _mm512_add_ps(a0, a1);
        s = solver_hsum256(_mm512_castps512_ps256(v)) + solver_hsum256(_mm512_extractf32x8_ps(v, 1));
    }
    else
#endif
#if defined(__AVX2__) && defined(__FMA__)
    if (xmr_simd_bits >= 256 && n >= 8) {
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        for (; i <= n - 16; i += 16) {
            __m256 g0 = solver_load8(w, idx + i);
            __m256 g1 = solver_load8(w, idx + i + 8);
            a0 = _mm256_fmadd_ps(g0, _mm256_loadu_ps(val + i), a0);
            a1 = _mm256_fmadd_ps(g1, _mm256_loadu_ps(val + i + 8), a1);
        }
        if (i <= n - 8) {
            __m256 g0 = solver_load8(w, idx + i);
            a0 = _mm256_fmadd_ps(g0, _mm256_loadu_ps(val + i), a0);
            i += 8;
        }
        s = solver_hsum256(_mm256_add_ps(a0, a1));
    }
#endif
    for (; i < n; i++) s += val[i] * w[idx[i]];
    return s;
}

#if defined(__GNUC__) || defined(__clang__)
#define SOLVER_PREFETCH(p) __builtin_prefetch(p)
#elif defined(__AVX2__)
#define SOLVER_PREFETCH(p) _mm_prefetch((const char*)(p), _MM_HINT_T0)
#else
#define SOLVER_PREFETCH(p) ((void)(p))
#endif

/* How many visits ahead a row is prefetched, and at most how many cache lines of it: the hardware
 * prefetcher follows a long row once it has started, but cannot guess which row the shuffled order
 * visits next. Measured on the dev machine (Zen3, Bibtex-shaped rows of ~70 entries): a third less
 * time per solve. Prefetches are hints, so shrinking reordering the slots ahead is harmless. */
#define SOLVER_PREFETCH_DISTANCE 2
#define SOLVER_PREFETCH_MAX_BYTES 1024

static inline void solver_prefetch_row(const int32_t* idx, const float* val, int32_t len)
{
    int32_t bytes = len * (int32_t)sizeof(float);
    if (bytes > SOLVER_PREFETCH_MAX_BYTES) bytes = SOLVER_PREFETCH_MAX_BYTES;
    for (int32_t o = 0; o < bytes; o += 64) {
        SOLVER_PREFETCH((const char*)idx + o);
        SOLVER_PREFETCH((const char*)val + o);
    }
}

/* w[idx[k]] += alpha * val[k]; the indices of one row are distinct, so the order does not matter. */
static inline void solver_scatter_add(float alpha, const int32_t* idx, const float* val, int32_t n, float* w)
{
    for (int32_t k = 0; k < n; k++) w[idx[k]] += alpha * val[k];
}

static int problem_ok(const xmr_dcd_problem* p)
{
    if (p->count < 0 || p->features < 0 || p->entries < 0) return 0;
    if (p->count == 0) return 1;
    if (p->labels == NULL || p->row_start == NULL || p->row_length == NULL || p->sq_norm == NULL) return 0;
    if (p->entries > 0 && (p->indices == NULL || p->values == NULL)) return 0;
    for (int32_t k = 0; k < p->count; k++) {
        if (p->labels[k] != 1 && p->labels[k] != -1) return 0;
        if (p->row_start[k] < 0 || p->row_length[k] < 0) return 0;
        if ((int64_t)p->row_start[k] + p->row_length[k] > p->entries) return 0;
    }
    return 1;
}

static int params_ok(const xmr_dcd_params* q)
{
    return (q->loss == XMR_LOSS_HINGE || q->loss == XMR_LOSS_SQUARED_HINGE)
        && q->max_iterations >= 0 && q->cp > 0 && q->cn > 0 && q->eps >= 0 && q->bias >= 0;
}

XMR_API int32_t xmr_dcd_hinge_solve(const xmr_dcd_problem* problem, const xmr_dcd_params* params,
                                    float* w, double* alpha, int32_t* order,
                                    double* b_out, uint64_t* rng_state, int32_t* iterations_out)
{
    if (problem == NULL || params == NULL || b_out == NULL || rng_state == NULL || iterations_out == NULL)
        return XMR_ERR_ARG;
    if (!problem_ok(problem) || !params_ok(params)) return XMR_ERR_ARG;
    const int32_t m = problem->count;
    *b_out = 0.0;
    *iterations_out = 0;
    if (m == 0) return XMR_OK;
    if (alpha == NULL || order == NULL || (w == NULL && problem->features > 0)) return XMR_ERR_ARG;

    const int squared = params->loss == XMR_LOSS_SQUARED_HINGE;
    /* Squared hinge: the dual gains a diagonal 1/(2C) and loses the upper bound; hinge: box [0, C]. */
    const double diag_pos = squared ? 0.5 / params->cp : 0.0, diag_neg = squared ? 0.5 / params->cn : 0.0;
    const double up_pos = squared ? INFINITY : params->cp, up_neg = squared ? INFINITY : params->cn;
    const double bias = params->bias;
    const int8_t* label = problem->labels;
    const int32_t* row_start = problem->row_start;
    const int32_t* row_length = problem->row_length;
    const int32_t* col_idx = problem->indices;
    const float* values = problem->values;
    const double* sq_norm = problem->sq_norm;
    uint64_t rng = *rng_state;
    double b = 0.0;
    for (int32_t k = 0; k < m; k++) {
        alpha[k] = 0.0;
        order[k] = k;
    }

    double pg_max_old = INFINITY, pg_min_old = -INFINITY;
    int32_t active = m;
    int32_t iter = 0;
    while (iter < params->max_iterations) {
        double pg_max_new = -INFINITY, pg_min_new = INFINITY;
        xmr_splitmix_shuffle(&rng, order, active);
        for (int32_t s = 0; s < active; s++) {
            const int32_t pos = order[s];
            if (s + SOLVER_PREFETCH_DISTANCE < active) {
                const int32_t ahead = order[s + SOLVER_PREFETCH_DISTANCE];
                solver_prefetch_row(col_idx + row_start[ahead], values + row_start[ahead], row_length[ahead]);
            }
            const int yi = label[pos];
            const int32_t* idx = col_idx + row_start[pos];
            const float* val = values + row_start[pos];
            const int32_t len = row_length[pos];
            const double diag = yi > 0 ? diag_pos : diag_neg;
            const double upper = yi > 0 ? up_pos : up_neg;
            const double a = alpha[pos];
            const double g = yi * ((double)solver_gather_dot(idx, val, len, w) + b * bias) - 1 + a * diag;

            double pg = 0.0;
            if (a == 0) {
                if (g > pg_max_old) {
                    /* Shrink: move order[s] behind the active part and revisit slot s. */
                    active--;
                    order[s] = order[active];
                    order[active] = pos;
                    s--;
                    continue;
                }
                if (g < 0) pg = g;
            } else if (a == upper) {
                if (g < pg_min_old) {
                    active--;
                    order[s] = order[active];
                    order[active] = pos;
                    s--;
                    continue;
                }
                if (g > 0) pg = g;
            } else {
                pg = g;
            }
            if (pg > pg_max_new) pg_max_new = pg;
            if (pg < pg_min_new) pg_min_new = pg;

            if (fabs(pg) > 1e-12) {
                double a_new = a - g / (sq_norm[pos] + diag);
                if (a_new < 0.0) a_new = 0.0;
                if (a_new > upper) a_new = upper;
                alpha[pos] = a_new;
                const double d = (a_new - a) * yi;
                solver_scatter_add((float)d, idx, val, len, w);
                b += d * bias;
            }
        }

        iter++;
        if (pg_max_new - pg_min_new <= params->eps) {
            if (active == m) break;
            /* Converged on the shrunk set: re-check every variable once without shrinking. */
            active = m;
            pg_max_old = INFINITY;
            pg_min_old = -INFINITY;
            continue;
        }
        pg_max_old = pg_max_new > 0 ? pg_max_new : INFINITY;
        pg_min_old = pg_min_new < 0 ? pg_min_new : -INFINITY;
    }
    *b_out = b;
    *rng_state = rng;
    *iterations_out = iter;
    return XMR_OK;
}

XMR_API int32_t xmr_random_shuffle(uint64_t* rng_state, int32_t* items, int32_t n)
{
    if (rng_state == NULL || n < 0 || (n > 0 && items == NULL)) return XMR_ERR_ARG;
    xmr_splitmix_shuffle(rng_state, items, n);
    return XMR_OK;
}
