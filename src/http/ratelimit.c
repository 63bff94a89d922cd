/* Token-bucket rate limiter in a fixed-size, sharded table: memory is bounded whatever the
 * number of clients; an idle bucket is full again, so reusing its slot loses nothing. */
#include "http/ratelimit.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/mem.h"

#define SHARDS 16
#define SLOTS_PER_SHARD 4096
#define PROBE 8

struct bucket {
	uint64_t key;        /* hash of who and class; 0 = empty */
	double tokens;
	int64_t last_ms;
};

struct shard {
	pthread_mutex_t lock;
	struct bucket slots[SLOTS_PER_SHARD];
};

struct pd_ratelimit {
	struct shard shards[SHARDS];
};

struct pd_ratelimit *pd_ratelimit_new(void)
{
	struct pd_ratelimit *rl = pd_xcalloc(1, sizeof *rl);
	for (int i = 0; i < SHARDS; i++)
		pthread_mutex_init(&rl->shards[i].lock, NULL);
	return rl;
}

void pd_ratelimit_free(struct pd_ratelimit *rl)
{
	if (!rl)
		return;
	for (int i = 0; i < SHARDS; i++)
		pthread_mutex_destroy(&rl->shards[i].lock);
	free(rl);
}

static uint64_t hash(const char *s, size_t klass)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)klass * 0x9E3779B97F4A7C15ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h ? h : 1;
}

bool pd_ratelimit_take(struct pd_ratelimit *rl, const char *who, size_t klass, int per_min,
                       int *retry_after)
{
	if (per_min <= 0)
		return true;
	/* An IPv6 subscriber holds a whole /64 (RFC 6177), so one address each would hand a client
	 * a fresh budget with every request: IPv6 clients are counted by their /64. */
	char prefix[INET6_ADDRSTRLEN];
	struct in6_addr a6;
	if (who && strchr(who, ':') && inet_pton(AF_INET6, who, &a6) == 1 &&
	    !IN6_IS_ADDR_V4MAPPED(&a6)) {
		memset(&a6.s6_addr[8], 0, 8);
		if (inet_ntop(AF_INET6, &a6, prefix, sizeof prefix))
			who = prefix;
	}
	uint64_t key = hash(who ? who : "", klass);
	struct shard *sh = &rl->shards[key % SHARDS];
	size_t base = (size_t)(key / SHARDS) % SLOTS_PER_SHARD;
	int64_t now = pd_clock_mono_ms();
	double rate = per_min / 60000.0; /* tokens per millisecond */
	bool ok;
	pthread_mutex_lock(&sh->lock);
	struct bucket *b = NULL, *victim = NULL;
	for (size_t i = 0; i < PROBE; i++) {
		struct bucket *c = &sh->slots[(base + i) % SLOTS_PER_SHARD];
		if (c->key == key) {
			b = c;
			break;
		}
		/* Replace an empty slot first, else the one idle longest. */
		if (!victim || (victim->key != 0 && (c->key == 0 || c->last_ms < victim->last_ms)))
			victim = c;
	}
	if (!b) {
		b = victim;
		b->key = key;
		b->tokens = per_min;
		b->last_ms = now;
	}
	b->tokens += (double)(now - b->last_ms) * rate;
	if (b->tokens > per_min)
		b->tokens = per_min;
	b->last_ms = now;
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
		ok = true;
	} else {
		ok = false;
		if (retry_after)
			*retry_after = (int)((1.0 - b->tokens) / rate / 1000.0) + 1;
	}
	pthread_mutex_unlock(&sh->lock);
	return ok;
}

bool pd_ratelimit_exempt(const char *exempt, const char *client_ip)
{
	if (!exempt || strcmp(exempt, "loopback") != 0 || !client_ip)
		return false;
	if (strncmp(client_ip, "::ffff:", 7) == 0)
		client_ip += 7;
	return strncmp(client_ip, "127.", 4) == 0 || strcmp(client_ip, "::1") == 0;
}
