/* The SplitMix64 stream of managed/XmrEngine/Indexing/SeededRandom.cs, bit for bit: the native solver
 * must visit a node's instances in exactly the order the managed solver does for the same
 * (seed, level, node). Internal; exported for tests only through xmr_random_shuffle. */
#ifndef XMR_SPLITMIX_H
#define XMR_SPLITMIX_H
#include <stdint.h>

#define XMR_SPLITMIX_GOLDEN 0x9E3779B97F4A7C15ULL

/* The next 64 random bits (SeededRandom.NextUInt64). */
static inline uint64_t xmr_splitmix_next(uint64_t* state)
{
    *state += XMR_SPLITMIX_GOLDEN;
    uint64_t z = *state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* A uniform integer in [0, max_exclusive), max_exclusive > 0 (SeededRandom.NextInt: multiply-shift). */
static inline int32_t xmr_splitmix_int(uint64_t* state, int32_t max_exclusive)
{
    return (int32_t)(((xmr_splitmix_next(state) >> 32) * (uint64_t)(uint32_t)max_exclusive) >> 32);
}

/* Fisher-Yates from the back (SeededRandom.Shuffle). */
static inline void xmr_splitmix_shuffle(uint64_t* state, int32_t* items, int32_t n)
{
    for (int32_t i = n - 1; i > 0; i--) {
        int32_t j = xmr_splitmix_int(state, i + 1);
        int32_t t = items[i];
        items[i] = items[j];
        items[j] = t;
    }
}
#endif
