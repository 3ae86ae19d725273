/* The chunked serving path's inner kernel: add one scaled chunk row into a parent's child scores.
 * Mirrors ChunkRow.Add in the managed code (same SIMD axpy for dense rows, same scatter order for
 * sparse ones), so both backends give the same scores. */
#include <string.h>
#include "xmr_native.h"
#include "simd.h"

XMR_API int32_t xmr_chunk_row_add(float scale, const int32_t* slots, int64_t slot_count, int32_t dense,
                                  float* scores, int64_t score_count)
{
    if (slot_count < 0 || score_count < 0) return XMR_ERR_ARG;
    if (slot_count == 0) return XMR_OK;
    if (slots == NULL || scores == NULL) return XMR_ERR_ARG;
    if (dense) {
        if (slot_count != score_count) return XMR_ERR_ARG;
        /* A dense row's slots are float bits in int32 storage; CMakeLists compiles this file with
         * -fno-strict-aliasing, so reading them through a float pointer is well defined here. */
        xmr_axpy(scale, (const float*)(const void*)slots, scores, slot_count);
        return XMR_OK;
    }
    if (slot_count % 2 != 0) return XMR_ERR_ARG;
    for (int64_t e = 0; e < slot_count; e += 2)
        if (slots[e] < 0 || slots[e] >= score_count) return XMR_ERR_ARG;
    for (int64_t e = 0; e < slot_count; e += 2) {
        float v;
        memcpy(&v, &slots[e + 1], sizeof v);
        scores[slots[e]] += scale * v;
    }
    return XMR_OK;
}
