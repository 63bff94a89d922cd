/* Unit tests for the SQLite writer's group commit: every job's answer agrees with what is on
 * disk, also when one job of a batch ends the batch's transaction. */
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
#include "store/store.h"

static const struct pd_sql SQL_INS = {"w_ins", "INSERT INTO w (x) VALUES ($1)", NULL};
static const struct pd_sql SQL_HAS = {"w_has", "SELECT COUNT(*) FROM w WHERE x = $1", NULL};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int n_done;
static int rcs[8];

struct ask {
	int slot;
	int64_t x;
};

static int ddl(struct pd_tx *tx, void *p)
{
	(void)p;
	return pd_tx_exec_raw(tx, "CREATE TABLE w (x INTEGER NOT NULL)");
}

static int insert(struct pd_tx *tx, void *p)
{
	struct ask *a = p;
	struct pd_q *q = pd_q_open(tx, &SQL_INS);
	pd_q_int(q, 1, a->x);
	pd_q_exec(q);
	return pd_tx_error(tx);
}

static int slow_insert(struct pd_tx *tx, void *p)
{
	usleep(300 * 1000); /* the next jobs queue up meanwhile and form one batch */
	return insert(tx, p);
}

/* A job after which the transaction is gone, as SQLite does by itself on some I/O errors. */
static int insert_then_lose_tx(struct pd_tx *tx, void *p)
{
	insert(tx, p);
	pd_tx_exec_raw(tx, "ROLLBACK");
	return PD_ERR_IO;
}

static void done(void *p, int rc)
{
	struct ask *a = p;
	pthread_mutex_lock(&lock);
	rcs[a->slot] = rc;
	n_done++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&lock);
}

struct has {
	int64_t x;
	int64_t n;
};

static int has_row(struct pd_tx *tx, void *p)
{
	struct has *h = p;
	struct pd_q *q = pd_q_open(tx, &SQL_HAS);
	pd_q_int(q, 1, h->x);
	if (pd_q_step(q) == 1)
		h->n = pd_q_col_int(q, 0);
	pd_q_close(q);
	return pd_tx_error(tx);
}

static void test_lost_transaction_answers_match_the_disk(void **state)
{
	(void)state;
	char dir[] = "/tmp/pd-writer-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char url[128], err[256];
	snprintf(url, sizeof url, "sqlite:%s/w.db", dir);
	struct pd_store_opts opts = {.url = url};
	struct pd_store *st = NULL;
	assert_int_equal(pd_store_open(&opts, &st, err, sizeof err), PD_OK);
	assert_int_equal(pd_store_write(st, ddl, NULL), PD_OK);

	struct ask asks[4] = {{0, 100}, {1, 1}, {2, 2}, {3, 3}};
	assert_int_equal(pd_store_write_async(st, slow_insert, &asks[0], done), PD_OK);
	usleep(50 * 1000);
	assert_int_equal(pd_store_write_async(st, insert, &asks[1], done), PD_OK);
	assert_int_equal(pd_store_write_async(st, insert_then_lose_tx, &asks[2], done), PD_OK);
	assert_int_equal(pd_store_write_async(st, insert, &asks[3], done), PD_OK);
	pthread_mutex_lock(&lock);
	while (n_done < 4)
		pthread_cond_wait(&cv, &lock);
	pthread_mutex_unlock(&lock);

	for (int i = 0; i < 4; i++) {
		struct has h = {asks[i].x, -1};
		assert_int_equal(pd_store_read(st, has_row, &h), PD_OK);
		/* An acknowledged job is on disk, and a refused one is not. Before, the job after the
		 * one that lost the transaction committed on its own but was answered "failed". */
		if (rcs[i] == PD_OK)
			assert_int_equal(h.n, 1);
		else
			assert_int_equal(h.n, 0);
	}
	assert_int_equal(rcs[0], PD_OK);
	assert_int_equal(rcs[2], PD_ERR_IO);
	/* the jobs that did nothing wrong are run again, and succeed */
	assert_int_equal(rcs[1], PD_OK);
	assert_int_equal(rcs[3], PD_OK);

	pd_store_close(st);
	char path[160];
	const char *suffixes[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/w.db%s", dir, suffixes[i]);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lost_transaction_answers_match_the_disk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
