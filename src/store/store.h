/* The storage interface that domain/ calls: transactions, typed queries per area, and the
 * portable statement machinery the area files use. Drivers (SQLite, PostgreSQL) sit behind it. */
#ifndef PD_STORE_STORE_H
#define PD_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

struct pd_store;  /* an open database: driver, connections, the writer thread */
struct pd_tx;     /* a transaction in progress on one connection */
struct pd_q;      /* a prepared statement in use inside a transaction */

/* Results of typed queries (Taler style): callers branch on <= 0. */
enum pd_qs {
	PD_QS_HARD = -2,  /* hard error: logged, transaction failed */
	PD_QS_SOFT = -1,  /* transient error: the transaction is retried */
	PD_QS_NONE = 0,
	PD_QS_ONE = 1,
	PD_QS_MANY = 2,
};

/* A named statement written once in the portable dialect with $1..$n parameters. Where a
 * dialect truly differs, `pg` holds PostgreSQL's variant (NULL: same text). Define them
 * `static const` in the area file: the address is the cache key of the prepared statement. */
struct pd_sql {
	const char *name;
	const char *sql;
	const char *pg;
};

struct pd_store_opts {
	const char *url;        /* "sqlite:PATH" or "postgres://…" (also "postgresql://") */
	int max_batch;          /* writer: most jobs in one commit (default 256) */
	int queue_max;          /* writer: most queued jobs before PD_ERR_UNAVAILABLE (default 4096) */
};

/* Opens the database named by opts->url and starts its writer thread. Does not migrate.
 * On failure writes a reason into err. Caller closes with pd_store_close. */
int pd_store_open(const struct pd_store_opts *opts, struct pd_store **out, char *err,
                  size_t errlen);

/* Drains the writer queue, stops the writer and closes every connection. NULL is a no-op. */
void pd_store_close(struct pd_store *st);

/* "sqlite" or "postgres". */
const char *pd_store_backend(const struct pd_store *st);

/* A number no other store opened by this process has (an address may be reused): what
 * in-memory caches of a store's data are keyed on, with pd_store_generation. */
uint64_t pd_store_serial(const struct pd_store *st);

/* Schema: the version the database has (0 when empty) and the one this program wants. */
int pd_store_schema_version(struct pd_store *st, int *out);
int pd_store_schema_target(const struct pd_store *st);

/* True when the database holds no table of ours. */
int pd_store_is_empty(struct pd_store *st, bool *out);

/* Applies every pending migration, each in its own transaction; on PostgreSQL under an
 * advisory lock. Reports progress through the log. Refuses a database that is ahead
 * (PD_ERR_SCHEMA). */
int pd_store_migrate(struct pd_store *st, char *err, size_t errlen);

/* Checks that the schema is exactly the program's: PD_OK, or PD_ERR_SCHEMA with a message
 * naming `pendopo migrate`. An empty database is initialised (under the advisory lock). */
int pd_store_check_schema(struct pd_store *st, char *err, size_t errlen);

/* A transaction body. Returns PD_OK to commit or a pd_err to roll back. It may run more than
 * once (retries of transient failures), so it must have no effect outside the transaction. */
typedef int (*pd_tx_fn)(struct pd_tx *tx, void *arg);

/* Runs fn in a read-only transaction on this thread's reader connection. Returns fn's result,
 * or the latched database error. Retries transient failures a bounded number of times. */
int pd_store_read(struct pd_store *st, pd_tx_fn fn, void *arg);

/* Runs fn in a durable write transaction on the writer and waits until it is committed and
 * synced. Jobs queued together commit together (group commit), each in its own savepoint, so
 * one job's failure does not fail the others. */
int pd_store_write(struct pd_store *st, pd_tx_fn fn, void *arg);

/* Queues fn like pd_store_write and returns at once; done(arg, rc) is called on the writer
 * thread after the batch's commit has been synced (rc PD_OK) or failed. Returns PD_OK when
 * queued, PD_ERR_UNAVAILABLE when the queue is full or the store is stopping (done is then
 * not called). */
int pd_store_write_async(struct pd_store *st, pd_tx_fn fn, void *arg,
                         void (*done)(void *arg, int rc));

/* Statistics for /metrics and tests. */
struct pd_store_stats {
	uint64_t commits;       /* write batches committed */
	uint64_t jobs;          /* write jobs committed */
	uint64_t syncs;         /* fsyncs the SQLite VFS issued (0 on PostgreSQL) */
	uint64_t queue_depth;
};
void pd_store_stats(struct pd_store *st, struct pd_store_stats *out);

/* --- the data generation of response caches (issue #8, store/generation.c) ----------------- */

/* Every write batch that ran a statement which may change what a public page shows bumps the
 * one row of cache_generation (migration 0020) in its own transaction, so the new generation
 * becomes visible exactly with the data, to every process and node. pd_store_generation reads
 * it: on PostgreSQL one indexed row per call; on SQLite from this thread's memo while the
 * reader connection's PRAGMA data_version says nobody has committed since, else the row. Read
 * it BEFORE reading the data a response is rendered from. Returns PD_OK, or an error (the
 * schema has no row yet, a database error: then bypass the cache). */
int pd_store_generation(struct pd_store *st, uint64_t *out);

/* True when the statement text may change data a public page shows: anything but a SELECT,
 * except writes to tables only signed-in or back-office pages read (sessions, throttles,
 * outbox, audit, notifications …). Unknown forms count as public (safe). */
bool pd_store_sql_public_write(const char *sql);

/* Writes a consistent copy of an SQLite database to path (online backup API). */
int pd_store_backup(struct pd_store *st, const char *path, char *err, size_t errlen);

/* Checks an SQLite backup file (integrity, a Pendopo schema) and reads its schema version. */
int pd_store_inspect_backup(const char *path, int *version, char *err, size_t errlen);

/* --- inside a transaction ------------------------------------------------------------------- */

/* The store a transaction belongs to, and a per-transaction arena freed when it ends. */
struct pd_store *pd_tx_store(struct pd_tx *tx);
struct pd_arena *pd_tx_arena(struct pd_tx *tx);
bool pd_tx_is_pg(const struct pd_tx *tx);

/* The first error of the transaction (PD_OK while none): once a statement fails, every later
 * statement in the transaction is skipped and the transaction ends with this error. */
int pd_tx_error(const struct pd_tx *tx);

/* Marks the transaction failed with err (e.g. a domain rule refused). */
void pd_tx_fail(struct pd_tx *tx, int err);

/* Runs fn(tx, arg) inside a savepoint of a write transaction. When it ends in a unique
 * violation (PD_ERR_CONFLICT, returned or latched), everything fn did is undone, the latch
 * is cleared and PD_ERR_CONFLICT returned, so the caller can try again (e.g. with another
 * random tracking number). Any other error stays latched. Every statement open in the
 * transaction is closed when it returns. */
int pd_tx_try(struct pd_tx *tx, pd_tx_fn fn, void *arg);

/* Gets the statement ready: prepared once per connection, bindings cleared. Never NULL. */
struct pd_q *pd_q_open(struct pd_tx *tx, const struct pd_sql *sql);

/* Bind parameter $i (1-based). text NULL binds NULL. */
void pd_q_text(struct pd_q *q, int i, const char *s);
void pd_q_textn(struct pd_q *q, int i, const char *s, size_t n);
void pd_q_int(struct pd_q *q, int i, int64_t v);
void pd_q_blob(struct pd_q *q, int i, const void *p, size_t n);
void pd_q_null(struct pd_q *q, int i);

/* Steps: 1 when a row is ready, 0 when done, -1 on error (latched in the transaction;
 * a unique violation latches PD_ERR_CONFLICT, busy/serialisation PD_ERR_BUSY). */
int pd_q_step(struct pd_q *q);

/* Runs a statement that returns no rows; returns the number of rows changed or -1. */
int64_t pd_q_exec(struct pd_q *q);

/* Column i (0-based) of the current row. Text and blobs are borrowed until the next step;
 * the _dup forms copy into the transaction's arena or a given one. */
bool pd_q_isnull(struct pd_q *q, int i);
int64_t pd_q_col_int(struct pd_q *q, int i);
const char *pd_q_col_text(struct pd_q *q, int i);
char *pd_q_col_dup(struct pd_q *q, int i, struct pd_arena *a);
const void *pd_q_col_blob(struct pd_q *q, int i, size_t *n);

/* Bytes of a blob column; p NULL (n 0) stands for SQL NULL. */
struct pd_blob {
	const void *p;
	size_t n;
};

/* Binds b, or NULL when b.p is NULL. */
void pd_q_blob_or_null(struct pd_q *q, int i, struct pd_blob b);

/* Binds v, or NULL when v is 0 (an optional timestamp). */
void pd_q_int_or_null(struct pd_q *q, int i, int64_t v);

/* Column i as a blob copied into a (the transaction's arena when NULL); {NULL, 0} for NULL. */
struct pd_blob pd_q_col_blob_dup(struct pd_q *q, int i, struct pd_arena *a);

/* The result of a statement that changed n rows (pd_q_exec): HARD, NONE or ONE. */
enum pd_qs pd_qs_of_changes(int64_t n);

/* Ends use of the statement (resets it). Safe to call twice. */
void pd_q_close(struct pd_q *q);

/* Runs raw SQL with no parameters (migrations, test set-up). Do not pass input here. */
int pd_tx_exec_raw(struct pd_tx *tx, const char *sql);

#endif
