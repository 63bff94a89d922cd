/* Tracking numbers: kind letter, 8 random Crockford base32 characters and a Damm check character
 * over a totally anti-symmetric quasigroup of order 32 built from GF(32). */
#include "core/tracking.h"

#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/random.h"

#define INPUT_MAX_BYTES 64  /* longer input is not a tracking number, whatever its separators */

static const char alphabet[32] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Value of a canonical (upper-case Crockford) character, or -1. */
static int value_of(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	const char *p = c ? memchr(alphabet + 10, c, 22) : NULL;
	return p ? (int)(p - alphabet) : -1;
}

/* Multiplication by the primitive element x in GF(2^5) = GF(2)[x] / (x^5 + x^2 + 1). */
static unsigned times_alpha(unsigned v)
{
	v <<= 1;
	return (v & 0x20) ? (v ^ 0x25) & 0x1f : v;
}

/* The quasigroup a * b = alpha·a + b over GF(32). Each row and column is a permutation (single
 * substitutions are caught), and (c*x)*y = (c*y)*x gives alpha²c + alpha·x + y = alpha²c +
 * alpha·y + x, i.e. (alpha + 1)(x + y) = 0, so x = y since alpha != 1: it is totally
 * anti-symmetric (adjacent swaps are caught). H. M. Damm, "Totally anti-symmetric quasigroups
 * for all orders n ≠ 2, 6", Discrete Mathematics 307 (2007). */
static unsigned op(unsigned a, unsigned b)
{
	return times_alpha(a) ^ b;
}

/* Interim value after the 9 characters, or -1 when one is not in the alphabet. */
static int interim_of(const char *first9)
{
	unsigned interim = 0;
	for (int i = 0; i < 9; i++) {
		int v = value_of(first9[i]);
		if (v < 0)
			return -1;
		interim = op(interim, (unsigned)v);
	}
	return (int)interim;
}

char pd_tracking_check_char(const char *first9)
{
	if (!first9 || strnlen(first9, 9) < 9)
		return '\0';
	int interim = interim_of(first9);
	if (interim < 0)
		return '\0';
	/* The check character c makes the whole number run to 0: alpha·interim + c = 0. */
	return alphabet[times_alpha((unsigned)interim)];
}

static bool valid_kind(char kind)
{
	return kind == 'P' || kind == 'A' || kind == 'K';
}

#ifdef PD_TEST_HOOKS
/* Test builds: with PENDOPO_TEST_TRACKING_REPEAT holding kind letters (e.g. "AP") in the
 * environment, every second number of those kinds repeats the one before it, so that tests see
 * filing meet a taken number and draw again. Never in a release build. */
#include <pthread.h>
#include <stdlib.h>

static pthread_mutex_t repeat_lock = PTHREAD_MUTEX_INITIALIZER;

static void random_bytes(char kind, unsigned char rnd[8])
{
	static unsigned char last[3][8];
	static bool have[3];
	const char *env = getenv("PENDOPO_TEST_TRACKING_REPEAT");
	if (!env || !strchr(env, kind)) {
		pd_random_buf(rnd, 8);
		return;
	}
	int k = kind == 'P' ? 0 : kind == 'A' ? 1 : 2;
	pthread_mutex_lock(&repeat_lock);
	if (have[k]) {
		memcpy(rnd, last[k], 8);
		have[k] = false;
	} else {
		pd_random_buf(rnd, 8);
		memcpy(last[k], rnd, 8);
		have[k] = true;
	}
	pthread_mutex_unlock(&repeat_lock);
}
#else
static void random_bytes(char kind, unsigned char rnd[8])
{
	(void)kind;
	pd_random_buf(rnd, 8);
}
#endif

int pd_tracking_new(char kind, char out[PD_TRACKING_COMPACT_LEN + 1])
{
	if (!valid_kind(kind))
		return PD_ERR_INVALID;
	unsigned char rnd[8];
	random_bytes(kind, rnd);
	out[0] = kind;
	for (int i = 0; i < 8; i++)
		out[1 + i] = alphabet[rnd[i] & 31];  /* 256 is a multiple of 32: uniform */
	out[9] = pd_tracking_check_char(out);
	out[10] = '\0';
	sodium_memzero(rnd, sizeof rnd);
	return PD_OK;
}

/* Canonical character for one input character: upper case, O → 0, I/L → 1; '\0' when it is not
 * part of the alphabet (U included). */
static char canonical(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'O')
		return '0';
	if (c == 'I' || c == 'L')
		return '1';
	return value_of(c) >= 0 ? c : '\0';
}

int pd_tracking_parse(const char *in, char out[PD_TRACKING_COMPACT_LEN + 1])
{
	if (!in)
		return PD_ERR_INVALID;
	char buf[PD_TRACKING_COMPACT_LEN + 1];
	size_t n = 0;
	for (size_t i = 0; in[i]; i++) {
		if (i >= INPUT_MAX_BYTES)
			return PD_ERR_INVALID;
		if (in[i] == ' ' || in[i] == '-' || in[i] == '.')
			continue;
		char c = canonical(in[i]);
		if (!c || n >= PD_TRACKING_COMPACT_LEN)
			return PD_ERR_INVALID;
		buf[n++] = c;
	}
	if (n != PD_TRACKING_COMPACT_LEN || !valid_kind(buf[0]))
		return PD_ERR_INVALID;
	buf[n] = '\0';
	unsigned interim = (unsigned)interim_of(buf);  /* all 9 are in the alphabet here */
	if (op(interim, (unsigned)value_of(buf[9])) != 0)
		return PD_ERR_INVALID;
	memcpy(out, buf, sizeof buf);
	return PD_OK;
}

void pd_tracking_format(const char *compact, char out[PD_TRACKING_GROUPED_LEN + 1])
{
	if (!compact || strnlen(compact, PD_TRACKING_COMPACT_LEN + 1) != PD_TRACKING_COMPACT_LEN) {
		out[0] = '\0';
		return;
	}
	size_t o = 0;
	for (int i = 0; i < PD_TRACKING_COMPACT_LEN; i++) {
		if (i == 1 || i == 5 || i == 9)
			out[o++] = '-';
		out[o++] = compact[i];
	}
	out[o] = '\0';
}
