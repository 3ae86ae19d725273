#include "sort.h"

/* Ranges this short are finished by insertion sort, which beats partitioning on few elements. */
#define XMR_INSERTION_LIMIT 24

static void insertion_sort(int32_t* a, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        int32_t k = a[i];
        int64_t j = i - 1;
        while (j >= 0 && a[j] > k) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = k;
    }
}

static void sift_down(int32_t* a, int64_t root, int64_t n)
{
    int32_t v = a[root];
    for (;;) {
        int64_t child = 2 * root + 1;
        if (child >= n) break;
        if (child + 1 < n && a[child + 1] > a[child]) child++;
        if (a[child] <= v) break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heap_sort(int32_t* a, int64_t n)
{
    for (int64_t i = n / 2 - 1; i >= 0; i--) sift_down(a, i, n);
    for (int64_t end = n - 1; end > 0; end--) {
        int32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

static inline int32_t median3(int32_t x, int32_t y, int32_t z)
{
    if (x > y) { int32_t t = x; x = y; y = t; }
    if (y > z) y = z;
    return x > y ? x : y;
}

/* Quicksort with a depth budget; recursion only on the smaller side keeps the stack O(log n). */
static void intro_sort(int32_t* a, int64_t n, int depth)
{
    while (n > XMR_INSERTION_LIMIT) {
        if (depth-- == 0) {
            heap_sort(a, n);
            return;
        }
        int32_t pivot = median3(a[0], a[n / 2], a[n - 1]);
        int64_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            int32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        /* Hoare partition: [0, j] <= pivot <= [j+1, n). */
        int64_t left = j + 1, right = n - left;
        if (left < right) {
            intro_sort(a, left, depth);
            a += left;
            n = right;
        } else {
            intro_sort(a + left, right, depth);
            n = left;
        }
    }
    insertion_sort(a, n);
}

void xmr_sort_i32(int32_t* keys, int64_t n)
{
    int depth = 0;
    for (int64_t m = n; m > 1; m >>= 1) depth += 2;
    intro_sort(keys, n, depth);
}
