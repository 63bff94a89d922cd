/* The storage core's own types, shared by store.c (connections, statements, transactions) and
 * writer.c (the writer and sync threads); nothing outside src/store/ includes this. */
#ifndef PD_STORE_CORE_H
#define PD_STORE_CORE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/driver.h"
#include "store/internal.h"
#include "store/store.h"

#define MAX_RETRIES 8

struct cache_entry {
	const struct pd_sql *key;
	struct pd_stmt *stmt;
};

struct connstate {
	struct pd_conn *conn;
	struct cache_entry *tab;
	size_t cap, n;
	struct pd_gen_memo gen_memo; /* SQLite readers: the generation at a data_version */
	struct connstate *next_all; /* the store's list, for closing */
};

struct job {
	pd_tx_fn fn;
	void *arg;
	void (*done)(void *arg, int rc);
	int rc;
	bool finished;
	bool dropped; /* failed in a way that ended the batch's transaction: not run again */
	struct job *next;
};

struct pd_store {
	const struct pd_driver *drv;
	char *url;
	uint64_t serial;
	int max_batch, queue_max;
	pthread_mutex_t lock;       /* guards everything below */
	pthread_cond_t work_cv;     /* writer waits for jobs */
	pthread_cond_t done_cv;     /* synchronous callers wait for their job */
	struct job *head, *tail;
	int queued;
	bool stopping;
	pthread_t writer;
	struct connstate *writer_cs;
	/* Committed batches waiting for the sync thread (drv->sync_log), oldest first. */
	pthread_t syncer;
	bool has_syncer, syncer_stop;
	pthread_cond_t sync_cv;
	struct job *sync_head, *sync_tail;
	struct connstate *all;      /* every reader connection */
	_Atomic uint64_t commits, jobs;
	/* Response caches (issue #8, store/generation.c): the shared generation row of migration
	 * 0020 exists, and each batch that wrote a table public pages may show bumps it. */
	atomic_bool gen_table;
};

struct pd_q {
	struct pd_tx *tx;
	struct pd_stmt *stmt;
	const struct pd_sql *sql;
	bool open;
	struct pd_q *next;
};

struct pd_tx {
	struct pd_store *st;
	struct connstate *cs;
	struct pd_arena *arena;
	int err;
	struct pd_q *qs;
	bool public_write; /* on the writer: a statement may change what public pages show */
};

/* store.c: a connection with its statement cache; the cached statement for sql; the end of a
 * transaction's statements; a short sleep between retries. */
struct connstate *pd_store_cs_open(struct pd_store *st, bool writer, char *err, size_t errlen);
void pd_store_cs_close(const struct pd_driver *drv, struct connstate *cs);
struct pd_stmt *pd_store_cs_stmt(const struct pd_driver *drv, struct connstate *cs,
                                 const struct pd_sql *sql, int *err);
void pd_store_tx_end_statements(struct pd_tx *tx);
void pd_store_sleep_ms(int ms);

/* writer.c: starts the writer (and, for a driver with sync_log, the sync thread) of a store
 * whose writer connection is open; stops them once every queued job is answered. */
int pd_writer_start(struct pd_store *st, char *err, size_t errlen);
void pd_writer_stop(struct pd_store *st);

#endif
