/* Unit tests for the public response cache (issue #8): hits only under the generation an entry
 * was rendered from, a render that began before a write never leaves a stale entry, LRU
 * eviction within the byte budget, refcounts, large answers, concurrent use; which write
 * statements bump the generation; the store's generation on SQLite (also after a commit by
 * another connection, as the CLI makes); If-None-Match matching. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/err.h"
#include "http/internal.h"
#include "http/respcache.h"
#include "store/privacy_store.h"
#include "store/store.h"

static struct pd_rc_entry *mk(const char *key, uint64_t gen, int64_t expires, size_t body_len)
{
	char *body = malloc(body_len + 1);
	memset(body, 'x', body_len);
	body[body_len] = '\0';
	struct pd_rc_header h = {"Link", "</x>; rel=next"};
	struct pd_rc_entry *e = pd_rc_entry_new(key, strlen(key), gen, expires, 200,
	                                        "text/html; charset=utf-8", body, body_len, "gz", 2,
	                                        &h, 1);
	free(body);
	return e;
}

static struct pd_rc_entry *get(struct pd_respcache *c, const char *key, uint64_t gen, int64_t now)
{
	return pd_respcache_get(c, key, strlen(key), gen, now);
}

static void test_hit_only_under_its_generation(void **state)
{
	(void)state;
	assert_null(pd_respcache_new(0)); /* 0 is off */
	struct pd_respcache *c = pd_respcache_new(1 << 20);
	assert_null(get(c, "h|id|/layanan", 1, 0));
	struct pd_rc_entry *e = mk("h|id|/layanan", 1, 1000, 100);
	assert_true(pd_respcache_put(c, e));
	pd_rc_entry_unref(e);

	struct pd_rc_entry *hit = get(c, "h|id|/layanan", 1, 10);
	assert_non_null(hit);
	assert_int_equal(hit->body_len, 100);
	assert_string_equal(hit->headers[0].name, "Link");
	assert_memory_equal(hit->etag, "W/\"", 3);
	pd_rc_entry_unref(hit);
	/* another language, another key */
	assert_null(get(c, "h|en|/layanan", 1, 10));
	/* after a write (generation 2) the old entry is gone for good */
	assert_null(get(c, "h|id|/layanan", 2, 10));
	assert_null(get(c, "h|id|/layanan", 1, 10));
	/* expired */
	e = mk("h|id|/", 2, 1000, 10);
	pd_respcache_put(c, e);
	pd_rc_entry_unref(e);
	hit = get(c, "h|id|/", 2, 999);
	assert_non_null(hit);
	pd_rc_entry_unref(hit);
	assert_null(get(c, "h|id|/", 2, 1000));

	struct pd_respcache_stats s;
	pd_respcache_stats(c, &s);
	assert_int_equal(s.hits, 2);
	assert_int_equal(s.misses, 5);
	assert_int_equal(s.entries, 0);
	assert_int_equal(s.bytes, 0);
	pd_respcache_free(c);
}

/* A fake data source with its generation, as the store keeps them: a write changes the data,
 * then the generation (in the same transaction, so readers see both or neither). */
struct fake_db {
	uint64_t gen;
	const char *data;
};

static void test_write_during_render_leaves_no_stale_entry(void **state)
{
	(void)state;
	struct pd_respcache *c = pd_respcache_new(1 << 20);
	struct fake_db db = {1, "old"};
	const char *key = "h|id|/pengaduan";

	/* Reader A: reads the generation first, misses, then reads the data ... */
	uint64_t gen_a = db.gen;
	assert_null(get(c, key, gen_a, 0));
	const char *seen_a = db.data;
	/* ... a write commits while A renders ... */
	db.data = "new";
	db.gen++;
	/* ... and A stores what it rendered under the generation it read. */
	struct pd_rc_entry *ea = pd_rc_entry_new(key, strlen(key), gen_a, 10000, 200, "text/html",
	                                         seen_a, strlen(seen_a), NULL, 0, NULL, 0);
	pd_respcache_put(c, ea);

	/* Reader B after the write: never the old page. */
	uint64_t gen_b = db.gen;
	assert_null(get(c, key, gen_b, 1));
	struct pd_rc_entry *eb = pd_rc_entry_new(key, strlen(key), gen_b, 10000, 200, "text/html",
	                                         db.data, strlen(db.data), NULL, 0, NULL, 0);
	assert_true(pd_respcache_put(c, eb));
	/* A slow reader that began before the write stores late: B's newer entry stays. */
	assert_false(pd_respcache_put(c, ea));
	struct pd_rc_entry *hit = get(c, key, db.gen, 2);
	assert_non_null(hit);
	assert_memory_equal(hit->body, "new", 3);
	pd_rc_entry_unref(hit);
	/* A reader still holding the old generation misses, and B's entry survives it. */
	assert_null(get(c, key, gen_a, 3));
	hit = get(c, key, db.gen, 4);
	assert_non_null(hit);
	pd_rc_entry_unref(hit);
	pd_rc_entry_unref(ea);
	pd_rc_entry_unref(eb);
	pd_respcache_free(c);
}

static void test_lru_eviction_within_budget(void **state)
{
	(void)state;
	/* 8 shards of 64 KiB: ~10 KiB entries, many keys, so each shard must evict */
	struct pd_respcache *c = pd_respcache_new(8 * 64 * 1024);
	char key[32];
	for (int i = 0; i < 400; i++) {
		snprintf(key, sizeof key, "h|id|/p/%d", i);
		struct pd_rc_entry *e = mk(key, 1, 1 << 30, 10 * 1024);
		assert_non_null(e);
		pd_respcache_put(c, e);
		pd_rc_entry_unref(e);
		/* keep /p/0 recently used */
		struct pd_rc_entry *h = get(c, "h|id|/p/0", 1, 0);
		assert_non_null(h);
		pd_rc_entry_unref(h);
	}
	struct pd_respcache_stats s;
	pd_respcache_stats(c, &s);
	assert_true(s.bytes <= s.budget);
	assert_true(s.evictions > 300);
	assert_true(s.entries < 60);
	/* the newest entry is there, the oldest (except the one kept in use) are gone */
	struct pd_rc_entry *h = get(c, "h|id|/p/399", 1, 0);
	assert_non_null(h);
	pd_rc_entry_unref(h);
	assert_null(get(c, "h|id|/p/1", 1, 0));

	/* An entry held by a request outlives its eviction. */
	h = get(c, "h|id|/p/0", 1, 0);
	assert_non_null(h);
	for (int i = 400; i < 800; i++) {
		snprintf(key, sizeof key, "h|id|/p/%d", i);
		struct pd_rc_entry *e = mk(key, 1, 1 << 30, 10 * 1024);
		pd_respcache_put(c, e);
		pd_rc_entry_unref(e);
	}
	assert_int_equal(h->body_len, 10 * 1024);
	assert_int_equal(h->body[10 * 1024 - 1], 'x');
	pd_rc_entry_unref(h);
	pd_respcache_free(c);
}

static void test_large_answers_not_cached(void **state)
{
	(void)state;
	/* more than 1 MiB: not even built */
	assert_null(mk("h|id|/big", 1, 1000, PD_RESPCACHE_MAX_ENTRY + 1));
	/* larger than a shard's share of a small budget: not stored, nothing evicted for it */
	struct pd_respcache *c = pd_respcache_new(8 * 4096);
	struct pd_rc_entry *small = mk("h|id|/small", 1, 1000, 100);
	assert_true(pd_respcache_put(c, small));
	struct pd_rc_entry *e = mk("h|id|/mid", 1, 1000, 8192);
	assert_non_null(e);
	assert_false(pd_respcache_put(c, e));
	pd_rc_entry_unref(e);
	struct pd_respcache_stats s;
	pd_respcache_stats(c, &s);
	assert_int_equal(s.entries, 1);
	assert_int_equal(s.bytes, small->cost);
	pd_rc_entry_unref(small);
	pd_respcache_free(c);
}

struct worker {
	struct pd_respcache *c;
	unsigned seed;
	int hits;
};

static void *hammer(void *p)
{
	struct worker *w = p;
	char key[32];
	for (int i = 0; i < 20000; i++) {
		unsigned r = (unsigned)rand_r(&w->seed);
		snprintf(key, sizeof key, "h|id|/k/%u", r % 300);
		uint64_t gen = 1 + (r >> 20) % 2;
		struct pd_rc_entry *e = get(w->c, key, gen, 0);
		if (e) {
			w->hits++;
			assert_int_equal(e->gen, gen);
			pd_rc_entry_unref(e);
		} else {
			e = mk(key, gen, 1 << 30, 500 + r % 3000);
			pd_respcache_put(w->c, e);
			pd_rc_entry_unref(e);
		}
	}
	return NULL;
}

static void test_concurrent_use(void **state)
{
	(void)state;
	struct pd_respcache *c = pd_respcache_new(256 * 1024);
	pthread_t t[4];
	struct worker w[4];
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){c, (unsigned)i + 1, 0};
		pthread_create(&t[i], NULL, hammer, &w[i]);
	}
	int hits = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		hits += w[i].hits;
	}
	struct pd_respcache_stats s;
	pd_respcache_stats(c, &s);
	assert_int_equal(s.hits, (uint64_t)hits);
	assert_int_equal(s.hits + s.misses, 80000);
	assert_true(s.bytes <= s.budget);
	pd_respcache_free(c);
}

static void test_which_writes_bump(void **state)
{
	(void)state;
	assert_false(pd_store_sql_public_write("SELECT * FROM complaint"));
	assert_false(pd_store_sql_public_write("  select 1"));
	assert_true(pd_store_sql_public_write("INSERT INTO complaint (id) VALUES ($1)"));
	assert_true(pd_store_sql_public_write("UPDATE service SET name = $1"));
	assert_true(pd_store_sql_public_write("DELETE FROM complaint_support WHERE x = $1"));
	assert_true(pd_store_sql_public_write("INSERT OR IGNORE INTO complaint_event VALUES (1)"));
	assert_true(pd_store_sql_public_write("WITH x AS (SELECT 1) INSERT INTO unit SELECT * FROM x"));
	assert_true(pd_store_sql_public_write("CREATE TABLE t (x)"));
	assert_true(pd_store_sql_public_write("UPDATE public.account_session SET x = 1"));
	assert_true(pd_store_sql_public_write(""));
	assert_true(pd_store_sql_public_write(NULL));
	/* only-private tables */
	assert_false(pd_store_sql_public_write("UPDATE account_session SET last_seen_ms = $1"));
	assert_false(pd_store_sql_public_write("-- touch\nUPDATE OR IGNORE account_session SET x = 1"));
	assert_false(pd_store_sql_public_write("INSERT INTO audit_log (a) VALUES ($1)"));
	assert_false(pd_store_sql_public_write("insert into \"outbox\" (a) values ($1)"));
	assert_false(pd_store_sql_public_write("DELETE FROM signin_throttle WHERE k = $1"));
	/* a table whose name only starts like a private one */
	assert_true(pd_store_sql_public_write("INSERT INTO outbox_public (a) VALUES (1)"));
}

static const struct pd_sql SQL_PUBLIC = {"t_pub", "UPDATE unit SET name = name WHERE slug = 'x'", NULL};
static const struct pd_sql SQL_PRIVATE = {
	"t_priv", "UPDATE account_session SET last_seen_ms = 0 WHERE id = 'x'", NULL};

static int run_sql(struct pd_tx *tx, void *arg)
{
	pd_q_exec(pd_q_open(tx, arg));
	return pd_tx_error(tx);
}

static uint64_t gen_of(struct pd_store *st)
{
	uint64_t g = 0;
	assert_int_equal(pd_store_generation(st, &g), PD_OK);
	return g;
}

static void test_store_generation_sqlite(void **state)
{
	(void)state;
	char dir[] = "/tmp/pd-respcache-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char url[128], err[256];
	snprintf(url, sizeof url, "sqlite:%s/g.db", dir);
	struct pd_store_opts opts = {.url = url};
	struct pd_store *st = NULL, *other = NULL;
	assert_int_equal(pd_store_open(&opts, &st, err, sizeof err), PD_OK);
	uint64_t g = 0;
	assert_int_not_equal(pd_store_generation(st, &g), PD_OK); /* no schema yet: no cache */
	assert_int_equal(pd_store_migrate(st, err, sizeof err), PD_OK);

	uint64_t g0 = gen_of(st);
	assert_int_equal(gen_of(st), g0);
	assert_int_equal(pd_store_write(st, run_sql, (void *)&SQL_PRIVATE), PD_OK);
	assert_int_equal(gen_of(st), g0); /* a session touch leaves cached pages valid */
	assert_int_equal(pd_store_write(st, run_sql, (void *)&SQL_PUBLIC), PD_OK);
	uint64_t g1 = gen_of(st);
	assert_true(g1 > g0);

	/* Another connection (another process, as the CLI) commits: seen at once. */
	assert_int_equal(pd_store_open(&opts, &other, err, sizeof err), PD_OK);
	assert_int_equal(pd_store_write(other, run_sql, (void *)&SQL_PUBLIC), PD_OK);
	uint64_t g2 = gen_of(st);
	assert_true(g2 > g1);
	/* Unchanged WAL-index header: the memo answers (same value); every commit elsewhere, also
	 * after the WAL was checkpointed and restarted from its start, changes it. */
	for (int i = 0; i < 20; i++) {
		assert_int_equal(gen_of(st), g2);
		if (i % 5 == 4)
			assert_int_equal(pd_store_checkpoint(other), PD_OK);
		assert_int_equal(pd_store_write(other, run_sql, (void *)&SQL_PUBLIC), PD_OK);
		uint64_t g3 = gen_of(st);
		assert_true(g3 > g2);
		g2 = g3;
	}
	pd_store_close(other);
	pd_store_close(st);
	const char *files[] = {"g.db", "g.db-wal", "g.db-shm"};
	char path[160];
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void test_etag_match(void **state)
{
	(void)state;
	const char *e = "W/\"0123abcd\"";
	assert_true(pd_http_etag_match("W/\"0123abcd\"", e));
	assert_true(pd_http_etag_match("\"0123abcd\"", e)); /* weak comparison */
	assert_true(pd_http_etag_match("\"zz\", W/\"0123abcd\"", e));
	assert_true(pd_http_etag_match("*", e));
	assert_false(pd_http_etag_match("\"0123abce\"", e));
	assert_false(pd_http_etag_match("", e));
	assert_false(pd_http_etag_match(NULL, e));
	assert_false(pd_http_etag_match("W/\"0123abcd", e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_only_under_its_generation),
		cmocka_unit_test(test_write_during_render_leaves_no_stale_entry),
		cmocka_unit_test(test_lru_eviction_within_budget),
		cmocka_unit_test(test_large_answers_not_cached),
		cmocka_unit_test(test_concurrent_use),
		cmocka_unit_test(test_which_writes_bump),
		cmocka_unit_test(test_store_generation_sqlite),
		cmocka_unit_test(test_etag_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
