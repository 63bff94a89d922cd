/* UUIDv7 identifiers (RFC 9562), strictly increasing within the process by a dedicated counter. */
#include "core/uuid.h"

#include <pthread.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/random.h"

#define TS_MAX ((INT64_C(1) << 48) - 1)
#define COUNTER_BITS 42
#define COUNTER_MAX ((UINT64_C(1) << COUNTER_BITS) - 1)
/* RFC 9562 §6.2 method 1: seed with the counter's top bit clear, leaving room to count on. */
#define SEED_MASK ((UINT64_C(1) << (COUNTER_BITS - 1)) - 1)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct pd_uuid7_state state = PD_UUID7_STATE_INIT;

static uint64_t seed_of(const unsigned char rnd[10])
{
	uint64_t v = 0;
	for (int i = 0; i < 6; i++)
		v = v << 8 | rnd[i];
	return v & SEED_MASK;
}

void pd_uuid7_next(struct pd_uuid7_state *st, int64_t now_ms, const unsigned char rnd[10],
                   char out[PD_UUID_LEN + 1])
{
	int64_t ms = now_ms < 0 ? 0 : now_ms > TS_MAX ? TS_MAX : now_ms;
	if (ms > st->last_ms) {
		st->last_ms = ms;
		st->counter = seed_of(rnd);
	} else if (st->counter < COUNTER_MAX) {
		/* Same millisecond, or the clock went back: keep the last timestamp and count on
		 * (RFC 9562 §6.2). */
		st->counter++;
	} else {
		/* Counter rollover: run the timestamp ahead by one millisecond (RFC 9562 §6.2). At
		 * the very end of the 48-bit range there is nothing left to order by. */
		if (st->last_ms < TS_MAX)
			st->last_ms++;
		st->counter = seed_of(rnd);
	}

	uint64_t ts = (uint64_t)st->last_ms, c = st->counter;
	unsigned char b[16];
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ts >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | ((c >> 38) & 0x0f));  /* version 7, counter bits 41..38 */
	b[7] = (unsigned char)(c >> 30);
	b[8] = (unsigned char)(0x80 | ((c >> 24) & 0x3f));  /* variant 10, counter bits 29..24 */
	b[9] = (unsigned char)(c >> 16);
	b[10] = (unsigned char)(c >> 8);
	b[11] = (unsigned char)c;
	for (int i = 0; i < 4; i++)
		b[12 + i] = rnd[6 + i];

	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

void pd_uuid7(char out[PD_UUID_LEN + 1])
{
	unsigned char rnd[10];
	pd_random_buf(rnd, sizeof rnd);
	pthread_mutex_lock(&lock);
	/* The clock is read under the lock so that ids leave in the order of their timestamps. */
	pd_uuid7_next(&state, pd_clock_now_ms(), rnd, out);
	pthread_mutex_unlock(&lock);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool pd_uuid_valid(const char *s)
{
	if (!s)
		return false;
	for (int i = 0; i < PD_UUID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !is_hex(s[i]))
			return false;  /* also stops at a NUL before the end */
	}
	return s[PD_UUID_LEN] == '\0';
}
