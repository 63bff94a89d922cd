/* The benchmark's durable-write references: commit rows of a given size to SQLite with
 * synchronous=FULL, one row per transaction, for a fixed time, and print the rate as JSON.
 *   sqlite_ref DB_PATH [SECONDS] [ROW_BYTES] [delete|wal]
 * "delete" keeps SQLite's default rollback journal: the naive durable limit that group commit
 * is compared with (issue #8). "wal" is the same loop in WAL mode, a stricter second reference
 * (one fsync per commit instead of several). */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "sqlite_ref: %s: %s\n", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sqlite_ref DB_PATH [SECONDS] [ROW_BYTES] [delete|wal]\n");
		return 2;
	}
	double seconds = argc > 2 ? strtod(argv[2], NULL) : 5.0;
	long row_bytes = argc > 3 ? strtol(argv[3], NULL, 10) : 600;
	const char *mode = argc > 4 ? argv[4] : "delete";
	if (seconds <= 0 || seconds > 600 || row_bytes < 16 || row_bytes > 1 << 20 ||
	    (strcmp(mode, "delete") && strcmp(mode, "wal"))) {
		fprintf(stderr, "sqlite_ref: SECONDS in (0, 600], ROW_BYTES in [16, 1 MiB], "
		                "delete or wal\n");
		return 2;
	}
	bool wal = !strcmp(mode, "wal");
	remove(argv[1]);
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	int rc = 1;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
		fprintf(stderr, "sqlite_ref: cannot open %s\n", argv[1]);
		goto out;
	}
	if ((wal && exec(db, "PRAGMA journal_mode=WAL")) || exec(db, "PRAGMA synchronous=FULL") ||
	    exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, created_ms INTEGER NOT NULL, "
	             "body BLOB NOT NULL)"))
		goto out;
	if (sqlite3_prepare_v2(db, "INSERT INTO t (created_ms, body) VALUES (?1, ?2)", -1, &ins,
	                       NULL) != SQLITE_OK)
		goto out;
	unsigned char *body = malloc((size_t)row_bytes);
	if (!body)
		goto out;
	for (long i = 0; i < row_bytes; i++)
		body[i] = (unsigned char)(i * 131 + 7);
	long rows = 0;
	double t0 = now_s(), t = t0;
	while (t - t0 < seconds) {
		if (exec(db, "BEGIN IMMEDIATE"))
			break;
		body[rows % row_bytes] ^= 0x5a;
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)(t * 1000));
		sqlite3_bind_blob(ins, 2, body, (int)row_bytes, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "sqlite_ref: insert: %s\n", sqlite3_errmsg(db));
			break;
		}
		sqlite3_reset(ins);
		if (exec(db, "COMMIT"))
			break;
		rows++;
		t = now_s();
	}
	free(body);
	double elapsed = t - t0;
	printf("{\"rows\": %ld, \"seconds\": %.3f, \"rows_per_s\": %.1f, \"row_bytes\": %ld, "
	       "\"synchronous\": \"FULL\", \"journal_mode\": \"%s\", \"sqlite\": \"%s\"}\n",
	       rows, elapsed, elapsed > 0 ? (double)rows / elapsed : 0.0, row_bytes,
	       wal ? "WAL" : "DELETE", sqlite3_libversion());
	rc = rows > 0 ? 0 : 1;
out:
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return rc;
}
