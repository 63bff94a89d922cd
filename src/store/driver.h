/* The small table of functions a storage driver provides; only store/ sees it. */
#ifndef PD_STORE_DRIVER_H
#define PD_STORE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pd_conn;  /* driver-specific connection */
struct pd_stmt;  /* driver-specific prepared statement */

struct pd_driver {
	const char *name;  /* "sqlite" | "postgres" */
	/* Opens a connection; `writer` selects durable settings (SQLite synchronous=FULL). */
	int (*open)(const char *url, bool writer, struct pd_conn **out, char *err, size_t errlen);
	void (*close)(struct pd_conn *c);
	/* Runs SQL text with no parameters, possibly several statements. */
	int (*exec)(struct pd_conn *c, const char *sql);
	/* Prepares one statement; name is unique per connection. */
	int (*prepare)(struct pd_conn *c, const char *name, const char *sql, struct pd_stmt **out);
	void (*finalize)(struct pd_stmt *s);
	/* Bindings (1-based); the driver copies what it needs. */
	int (*bind_text)(struct pd_stmt *s, int i, const char *p, size_t n);
	int (*bind_int)(struct pd_stmt *s, int i, int64_t v);
	int (*bind_blob)(struct pd_stmt *s, int i, const void *p, size_t n);
	int (*bind_null)(struct pd_stmt *s, int i);
	/* 1 row, 0 done, or -pd_err (PD_ERR_BUSY transient, PD_ERR_CONFLICT unique, PD_ERR_DB). */
	int (*step)(struct pd_stmt *s);
	int64_t (*changes)(struct pd_stmt *s);
	bool (*col_null)(struct pd_stmt *s, int i);
	int64_t (*col_int)(struct pd_stmt *s, int i);
	const char *(*col_text)(struct pd_stmt *s, int i, size_t *n);
	const void *(*col_blob)(struct pd_stmt *s, int i, size_t *n);
	void (*reset)(struct pd_stmt *s);
	const char *(*errmsg)(struct pd_conn *c);
	/* When set, the writer's COMMIT does not wait for the disk (SQLite: synchronous=NORMAL in
	 * WAL mode) and this makes every commit so far durable (fdatasync of the WAL). The store
	 * calls it from a thread of its own while the writer runs the next batch, and acknowledges
	 * a batch only after it returned PD_OK. NULL: COMMIT itself is durable (PostgreSQL). */
	int (*sync_log)(struct pd_conn *c);
	/* BEGIN for the writer (SQLite: BEGIN IMMEDIATE) or a reader. */
	const char *begin_write, *begin_read;
};

extern const struct pd_driver pd_driver_sqlite;
extern const struct pd_driver pd_driver_pg;

/* SQLite: number of xSync calls so far (counting VFS). */
uint64_t pd_sqlite_sync_count(void);

/* SQLite: a copy of the WAL-index header of the connection's database, which every commit by
 * any process changes; false when there is none to read at this moment (sqlite.c). */
#define PD_SQLITE_WAL_HDR 48
bool pd_sqlite_wal_header(struct pd_conn *c, unsigned char out[PD_SQLITE_WAL_HDR]);

/* SQLite online backup of the connection's main database to path. */
int pd_sqlite_backup(struct pd_conn *c, const char *path, char *err, size_t errlen);

#endif
