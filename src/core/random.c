/* A per-thread pool of libsodium random bytes (random.h). */
#include "core/random.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#define POOL 512

static _Thread_local unsigned char pool[POOL];
static _Thread_local size_t left;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* The child of a fork must not hand out what its parent will. */
static void child_forget(void)
{
	sodium_memzero(pool, sizeof pool);
	left = 0;
}

static void atfork_init(void)
{
	pthread_atfork(NULL, NULL, child_forget);
}

void pd_random_buf(void *out, size_t n)
{
	if (n > POOL / 4) {
		randombytes_buf(out, n);
		return;
	}
	pthread_once(&atfork_once, atfork_init);
	if (n > left) {
		randombytes_buf(pool, POOL);
		left = POOL;
	}
	unsigned char *p = pool + (POOL - left);
	memcpy(out, p, n);
	sodium_memzero(p, n);
	left -= n;
}
