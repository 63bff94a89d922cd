/* Random bytes for the request path: identifiers, CSRF secrets and masks, tracking numbers. */
#ifndef PD_CORE_RANDOM_H
#define PD_CORE_RANDOM_H

#include <stddef.h>

/* Fills out with n bytes from libsodium's generator, drawn a few hundred bytes at a time per
 * thread: one getrandom(2) per request was ~5% of a cached answer (issue #8). Bytes handed out
 * are wiped from the pool; a forked child starts a pool of its own. Keys and nonces keep
 * calling randombytes_buf. */
void pd_random_buf(void *out, size_t n);

#endif
