#include "xmr_native.h"

/* 2: row-range SpGEMM, masked product, CSR x dense and dot kernels over xmr_sparse_view.
 * 3: + dual coordinate-descent solver (xmr_dcd_hinge_solve, xmr_random_shuffle), centroid accumulation. */
XMR_API int32_t xmr_abi_version(void) { return 5; }
