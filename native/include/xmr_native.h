/* XmrEngine native kernels: a plain C ABI (fixed-width types, status codes, caller-owned buffers). */
#ifndef XMR_NATIVE_H
#define XMR_NATIVE_H
#include <stdint.h>

#if defined(_WIN32)
#define XMR_API __declspec(dllexport)
#else
#define XMR_API __attribute__((visibility("default")))
#endif

#define XMR_OK 0
#define XMR_ERR_ARG 1
#define XMR_ERR_NOMEM 2

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version; bumped whenever a signature changes. */
XMR_API int32_t xmr_abi_version(void);

#ifdef __cplusplus
}
#endif
#endif
