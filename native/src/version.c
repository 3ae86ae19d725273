#include "xmr_native.h"

/* 2: row-range SpGEMM, masked product, CSR x dense and dot kernels over xmr_sparse_view. */
XMR_API int32_t xmr_abi_version(void) { return 2; }
