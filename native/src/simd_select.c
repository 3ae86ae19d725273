/* The process-wide SIMD width of the kernels in simd.h and solver.c (see xmr_set_simd_bits). */
#include "xmr_native.h"
#include "simd.h"

int32_t xmr_simd_bits = 256;

XMR_API int32_t xmr_set_simd_bits(int32_t bits)
{
    int32_t b = bits >= 512 ? 512 : bits >= 256 ? 256 : 0;
#if defined(__AVX512F__) && (defined(__GNUC__) || defined(__clang__))
    if (b == 512 && !__builtin_cpu_supports("avx512f")) b = 256;
#else
    if (b == 512) b = 256;
#endif
#ifndef __AVX2__
    b = 0;
#endif
    xmr_simd_bits = b;
    return b;
}
