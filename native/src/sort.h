/* Internal: in-place ascending sort of int32 keys (introsort: quicksort, heapsort fallback, insertion tail). */
#ifndef XMR_SORT_H
#define XMR_SORT_H
#include <stdint.h>

void xmr_sort_i32(int32_t* keys, int64_t n);
#endif
