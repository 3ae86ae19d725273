/* Internal SIMD building blocks shared by the kernels: dense dot, gather dot, axpy, sorted dot.
 * AVX2 (+FMA) paths under #ifdef with scalar fallbacks; not part of the exported ABI. */
#ifndef XMR_SIMD_H
#define XMR_SIMD_H
#include <stdint.h>
#ifdef __AVX2__
#include <immintrin.h>
#endif

/* Widest vectors in use, in bits (0, 256 or 512); set by xmr_set_simd_bits. */
extern int32_t xmr_simd_bits;

#ifdef __AVX2__
static inline __m256 xmr_fma256(__m256 a, __m256 b, __m256 c)
{
#ifdef __FMA__
    return _mm256_fmadd_ps(a, b, c);
#else
    return _mm256_add_ps(_mm256_mul_ps(a, b), c);
#endif
}

static inline float xmr_hsum256(__m256 v)
{
    __m128 lo = _mm256_castps256_ps128(v);
    __m128 hi = _mm256_extractf128_ps(v, 1);
    __m128 s = _mm_add_ps(lo, hi);
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 0x55));
    return _mm_cvtss_f32(s);
}
#endif

/* sum x[i] * y[i]; two accumulators hide the FMA latency. */
static inline float xmr_dense_dot(const float* x, const float* y, int64_t n)
{
    int64_t i = 0;
    float s = 0.0f;
#ifdef __AVX2__
    if (n >= 8) {
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        for (; i + 16 <= n; i += 16) {
            a0 = xmr_fma256(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), a0);
            a1 = xmr_fma256(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8), a1);
        }
        if (i + 8 <= n) {
            a0 = xmr_fma256(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), a0);
            i += 8;
        }
        s = xmr_hsum256(_mm256_add_ps(a0, a1));
    }
#endif
    for (; i < n; i++) s += x[i] * y[i];
    return s;
}

/* sum val[k] * dense[idx[k]]; indices must be in range (gathers do not bounds-check). At 512 bits: two 16-lane
 * accumulators over blocks of 32, one more block of 16, then the lanes summed as two 8-lane halves. */
static inline float xmr_gather_dot(const int32_t* idx, const float* val, int64_t n, const float* dense)
{
    int64_t i = 0;
    float s = 0.0f;
#ifdef __AVX512F__
    if (xmr_simd_bits >= 512 && n >= 16) {
        __m512 a0 = _mm512_setzero_ps(), a1 = _mm512_setzero_ps();
        for (; i + 32 <= n; i += 32) {
            __m512 g0 = _mm512_i32gather_ps(_mm512_loadu_si512((const void*)(idx + i)), dense, 4);
            __m512 g1 = _mm512_i32gather_ps(_mm512_loadu_si512((const void*)(idx + i + 16)), dense, 4);
            a0 = _mm512_fmadd_ps(g0, _mm512_loadu_ps(val + i), a0);
            a1 = _mm512_fmadd_ps(g1, _mm512_loadu_ps(val + i + 16), a1);
        }
        if (i + 16 <= n) {
            __m512 g0 = _mm512_i32gather_ps(_mm512_loadu_si512((const void*)(idx + i)), dense, 4);
            a0 = _mm512_fmadd_ps(g0, _mm512_loadu_ps(val + i), a0);
            i += 16;
        }
        __m512 v = _mm512_add_ps(a0, a1);
        s = xmr_hsum256(_mm512_castps512_ps256(v)) + xmr_hsum256(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    }
    else
#endif
#ifdef __AVX2__
    if (xmr_simd_bits >= 256 && n >= 8) {
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        for (; i + 16 <= n; i += 16) {
            __m256 g0 = _mm256_i32gather_ps(dense, _mm256_loadu_si256((const __m256i*)(idx + i)), 4);
            __m256 g1 = _mm256_i32gather_ps(dense, _mm256_loadu_si256((const __m256i*)(idx + i + 8)), 4);
            a0 = xmr_fma256(g0, _mm256_loadu_ps(val + i), a0);
            a1 = xmr_fma256(g1, _mm256_loadu_ps(val + i + 8), a1);
        }
        if (i + 8 <= n) {
            __m256 g0 = _mm256_i32gather_ps(dense, _mm256_loadu_si256((const __m256i*)(idx + i)), 4);
            a0 = xmr_fma256(g0, _mm256_loadu_ps(val + i), a0);
            i += 8;
        }
        s = xmr_hsum256(_mm256_add_ps(a0, a1));
    }
#endif
    for (; i < n; i++) s += val[i] * dense[idx[i]];
    return s;
}

/* y[i] += alpha * x[i]: 16 lanes at a time at 512 bits, 8 at 256 (the managed ScaledAdd's blocks), then scalar. */
static inline void xmr_axpy(float alpha, const float* x, float* y, int64_t n)
{
    int64_t i = 0;
#ifdef __AVX512F__
    if (xmr_simd_bits >= 512) {
        __m512 va = _mm512_set1_ps(alpha);
        for (; i + 16 <= n; i += 16)
            _mm512_storeu_ps(y + i, _mm512_fmadd_ps(va, _mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
    }
    else
#endif
#ifdef __AVX2__
    if (xmr_simd_bits >= 256) {
        __m256 va = _mm256_set1_ps(alpha);
        for (; i + 8 <= n; i += 8)
            _mm256_storeu_ps(y + i, xmr_fma256(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    }
#endif
    for (; i < n; i++) y[i] += alpha * x[i];
}

/* First position p in [lo, n) with idx[p] >= key: exponential probe from lo, then binary search. */
static inline int64_t xmr_gallop(const int32_t* idx, int64_t lo, int64_t n, int32_t key)
{
    int64_t step = 1, hi = lo;
    while (hi < n && idx[hi] < key) {
        lo = hi + 1;
        hi += step;
        step <<= 1;
    }
    if (hi > n) hi = n;
    while (lo < hi) {
        int64_t mid = lo + ((hi - lo) >> 1);
        if (idx[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Dot of a short sorted vector with a much longer one: gallop each short index into the long one. */
static inline float xmr_gallop_dot(const int32_t* si, const float* sv, int64_t sn,
                                   const int32_t* li, const float* lv, int64_t ln)
{
    float s = 0.0f;
    int64_t lo = 0;
    for (int64_t p = 0; p < sn && lo < ln; p++) {
        lo = xmr_gallop(li, lo, ln, si[p]);
        if (lo < ln && li[lo] == si[p]) {
            s += sv[p] * lv[lo];
            lo++;
        }
    }
    return s;
}

/* Dot of two sorted sparse vectors: gallop when one side is 8x shorter, else a branch-light merge. */
static inline float xmr_sorted_dot(const int32_t* ai, const float* av, int64_t an,
                                   const int32_t* bi, const float* bv, int64_t bn)
{
    if (an > bn) {
        const int32_t* ti = ai; ai = bi; bi = ti;
        const float* tv = av; av = bv; bv = tv;
        int64_t tn = an; an = bn; bn = tn;
    }
    if (an == 0) return 0.0f;
    if (an * 8 < bn) return xmr_gallop_dot(ai, av, an, bi, bv, bn);
    float s = 0.0f;
    int64_t p = 0, q = 0;
    while (p < an && q < bn) {
        int32_t x = ai[p], y = bi[q];
        if (x == y) s += av[p] * bv[q];
        p += x <= y;
        q += y <= x;
    }
    return s;
}
#endif
