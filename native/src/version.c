#include "xmr_native.h"

XMR_API int32_t xmr_abi_version(void) { return 1; }
