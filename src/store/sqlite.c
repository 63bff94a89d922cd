/* SQLite driver: prepares, binds, steps and reports errors; holds no domain SQL. A counting
 * VFS wraps the default one so that syncs can be measured (group commit, /metrics). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"
#include "store/driver.h"
#include "store/store.h"

struct pd_conn {
	sqlite3 *db;
	/* The writer's WAL (s_sync_log): its path, and a descriptor of the sync thread's own. */
	char *wal_path;
	int wal_fd;
};

struct pd_stmt {
	sqlite3_stmt *st;
	sqlite3 *db;
	int n_params;
	int map[100];  /* $k → SQLite parameter index */
};

/* --- counting VFS --------------------------------------------------------------------------- */

static _Atomic uint64_t n_syncs;
static sqlite3_vfs counting_vfs;
static sqlite3_vfs *base_vfs;
static struct sqlite3_io_methods counting_methods[3];  /* by iVersion of the base file */

struct counting_file {
	sqlite3_file base;  /* pMethods */
	sqlite3_file *real; /* follows this struct */
	void volatile *shm0; /* the database's WAL-index, its first region, once mapped */
};

static int cf_close(sqlite3_file *f)
{
	struct counting_file *cf = (struct counting_file *)f;
	int rc = cf->real->pMethods->xClose(cf->real);
	return rc;
}
#define REAL(f) (((struct counting_file *)(f))->real)
static int cf_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}
static int cf_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}
static int cf_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int cf_sync(sqlite3_file *f, int flags)
{
	atomic_fetch_add(&n_syncs, 1);
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int cf_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int cf_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int cf_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int cf_check(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int cf_fcntl(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int cf_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int cf_devchar(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int cf_shmmap(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
	int rc = REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
	if (pg == 0 && rc == SQLITE_OK && *pp)
		((struct counting_file *)f)->shm0 = *pp;
	return rc;
}
static int cf_shmlock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void cf_shmbarrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int cf_shmunmap(sqlite3_file *f, int del)
{
	((struct counting_file *)f)->shm0 = NULL;
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int cf_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int cf_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static int cv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	struct counting_file *cf = (struct counting_file *)f;
	cf->real = (sqlite3_file *)(cf + 1);
	cf->shm0 = NULL;
	int rc = base_vfs->xOpen(base_vfs, name, cf->real, flags, out_flags);
	if (rc != SQLITE_OK || !cf->real->pMethods) {
		f->pMethods = NULL;
		return rc;
	}
	int v = cf->real->pMethods->iVersion;
	if (v < 1)
		v = 1;
	if (v > 3)
		v = 3;
	f->pMethods = &counting_methods[v - 1];
	return rc;
}
static int cv_delete(sqlite3_vfs *v, const char *n, int sync)
{
	return base_vfs->xDelete(base_vfs, n, sync);
}
static int cv_access(sqlite3_vfs *v, const char *n, int flags, int *out)
{
	return base_vfs->xAccess(base_vfs, n, flags, out);
}
static int cv_fullname(sqlite3_vfs *v, const char *n, int len, char *out)
{
	return base_vfs->xFullPathname(base_vfs, n, len, out);
}
static void *cv_dlopen(sqlite3_vfs *v, const char *n)
{
	return base_vfs->xDlOpen(base_vfs, n);
}
static void cv_dlerror(sqlite3_vfs *v, int n, char *out)
{
	base_vfs->xDlError(base_vfs, n, out);
}
static void (*cv_dlsym(sqlite3_vfs *v, void *h, const char *s))(void)
{
	return base_vfs->xDlSym(base_vfs, h, s);
}
static void cv_dlclose(sqlite3_vfs *v, void *h)
{
	base_vfs->xDlClose(base_vfs, h);
}
static int cv_random(sqlite3_vfs *v, int n, char *out)
{
	return base_vfs->xRandomness(base_vfs, n, out);
}
static int cv_sleep(sqlite3_vfs *v, int us)
{
	return base_vfs->xSleep(base_vfs, us);
}
static int cv_time(sqlite3_vfs *v, double *out)
{
	return base_vfs->xCurrentTime(base_vfs, out);
}
static int cv_lasterr(sqlite3_vfs *v, int n, char *out)
{
	return base_vfs->xGetLastError ? base_vfs->xGetLastError(base_vfs, n, out) : 0;
}
static int cv_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	return base_vfs->xCurrentTimeInt64(base_vfs, out);
}

static void do_register(void)
{
	/* No global memory statistics (nothing reads them): with them on, every allocation of
	 * every connection takes one process-wide mutex (issue #8: ~8% of the writer's time under
	 * the filing load). Refused harmlessly when SQLite was already initialised. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
	base_vfs = sqlite3_vfs_find(NULL);
	counting_vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)sizeof(struct counting_file) + base_vfs->szOsFile,
		.mxPathname = base_vfs->mxPathname,
		.zName = "pd_counting",
		.xOpen = cv_open,
		.xDelete = cv_delete,
		.xAccess = cv_access,
		.xFullPathname = cv_fullname,
		.xDlOpen = cv_dlopen,
		.xDlError = cv_dlerror,
		.xDlSym = cv_dlsym,
		.xDlClose = cv_dlclose,
		.xRandomness = cv_random,
		.xSleep = cv_sleep,
		.xCurrentTime = cv_time,
		.xGetLastError = cv_lasterr,
		.xCurrentTimeInt64 = cv_time64,
	};
	for (int v = 1; v <= 3; v++) {
		counting_methods[v - 1] = (struct sqlite3_io_methods){
			.iVersion = v,
			.xClose = cf_close,
			.xRead = cf_read,
			.xWrite = cf_write,
			.xTruncate = cf_truncate,
			.xSync = cf_sync,
			.xFileSize = cf_size,
			.xLock = cf_lock,
			.xUnlock = cf_unlock,
			.xCheckReservedLock = cf_check,
			.xFileControl = cf_fcntl,
			.xSectorSize = cf_sector,
			.xDeviceCharacteristics = cf_devchar,
			.xShmMap = v >= 2 ? cf_shmmap : NULL,
			.xShmLock = v >= 2 ? cf_shmlock : NULL,
			.xShmBarrier = v >= 2 ? cf_shmbarrier : NULL,
			.xShmUnmap = v >= 2 ? cf_shmunmap : NULL,
			.xFetch = v >= 3 ? cf_fetch : NULL,
			.xUnfetch = v >= 3 ? cf_unfetch : NULL,
		};
	}
	sqlite3_vfs_register(&counting_vfs, 0);
}

static void register_vfs(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, do_register);
}

uint64_t pd_sqlite_sync_count(void)
{
	return atomic_load(&n_syncs);
}

/* --- driver ----------------------------------------------------------------------------------- */

static int map_rc(sqlite3 *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return PD_ERR_BUSY;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return PD_ERR_CONFLICT;
		return PD_ERR_INVALID;
	case SQLITE_NOMEM:
		return PD_ERR_NOMEM;
	case SQLITE_FULL:
	case SQLITE_IOERR:
		return PD_ERR_IO;
	default:
		return PD_ERR_DB;
	}
}

static int s_open(const char *url, bool writer, struct pd_conn **out, char *err, size_t errlen)
{
	register_vfs();
	const char *path = url;
	if (pd_str_starts(url, "sqlite:"))
		path = url + 7;
	if (pd_str_starts(path, "//"))
		path += 2;
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                         "pd_counting");
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open SQLite database %s: %s", path,
		         db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return PD_ERR_IO;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 5000);
	char *msg = NULL;
	/* Page caches (issue #8, docs/performance.md): SQLite's default 2 MB made every large
	 * query copy pages from the kernel again. One writer plus one reader per serving thread
	 * and one for the jobs (3 readers on 2 cores): 8 + 3 × 6 = 26 MiB at most (was 8), inside
	 * the 96 MiB target beside two argon2id hashes (19 MiB each) and the Open311 answers. No
	 * mmap_size: mapped pages count in the resident set and would grow it with the database.
	 * The writer's temporary storage is memory: every job of a batch runs in a savepoint, whose
	 * sub-journal (the first image of each page the job changes, dropped at its RELEASE) went
	 * to a file in /var/tmp, about 120 KB of pwrite per filed complaint. The automatic
	 * checkpoint runs inside the commit that crosses it, on the writer's thread: every 32,000
	 * pages (128 MB of WAL) instead of 4,000, so that the pages a burst of writes changes over
	 * and over (the ends of the time-ordered indexes) are copied to the database once rather
	 * than eight times (durable filing 11,000/s → 13,000–14,000/s on 2 cores; a checkpointer
	 * thread of its own was slower: it competed for the same cores and checkpointed more
	 * often). The WAL file is cut back to 64 MB after each restart. */
	const char *setup = writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
	                             "PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=32000;"
	                             "PRAGMA journal_size_limit=67108864;"
	                             "PRAGMA cache_size=-8192; PRAGMA temp_store=MEMORY;"
	                           : "PRAGMA foreign_keys=ON; PRAGMA query_only=1; PRAGMA cache_size=-6144;";
	rc = sqlite3_exec(db, setup, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot set up SQLite database %s: %s", path,
		         msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		sqlite3_close(db);
		return PD_ERR_DB;
	}
	struct pd_conn *c = pd_xcalloc(1, sizeof *c);
	c->db = db;
	c->wal_fd = -1;
	const char *file = writer ? sqlite3_db_filename(db, "main") : NULL;
	if (file && *file) /* none for a temporary database: nothing to make durable */
		c->wal_path = pd_xstrdup(sqlite3_filename_wal(file));
	*out = c;
	return PD_OK;
}

/* The WAL-index header (https://sqlite.org/walformat.html, "The WAL-Index Header"): every commit,
 * by any connection of any process, changes it (the frame count, the last frame's checksum,
 * the salts after a restart); checkpoints do not. SQLite writes it twice, the second copy first,
 * with a barrier between, and readers trust it when the copies agree; so do we. Reading it is a
 * memcpy from the shared mapping, where PRAGMA data_version needs a read transaction and its
 * file locks (issue #8: ~8% of a response-cache hit). false: not in WAL mode or not mapped yet,
 * or a commit was writing it. */
bool pd_sqlite_wal_header(struct pd_conn *c, unsigned char out[PD_SQLITE_WAL_HDR])
{
	sqlite3_file *f = NULL;
	if (sqlite3_file_control(c->db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
	    f->pMethods < &counting_methods[0] || f->pMethods > &counting_methods[2])
		return false;
	const volatile unsigned char *shm = ((struct counting_file *)f)->shm0;
	if (!shm)
		return false;
	unsigned char second[PD_SQLITE_WAL_HDR];
	for (int i = 0; i < PD_SQLITE_WAL_HDR; i++)
		out[i] = shm[i];
	atomic_thread_fence(memory_order_seq_cst);
	for (int i = 0; i < PD_SQLITE_WAL_HDR; i++)
		second[i] = shm[PD_SQLITE_WAL_HDR + i];
	/* isInit (byte 12) is set once the header is valid. */
	return out[12] && memcmp(out, second, PD_SQLITE_WAL_HDR) == 0;
}

/* Group commit with the sync beside the writer (issue #8): the writer's connection commits with
 * synchronous=NORMAL, which in WAL mode appends the batch's frames to the WAL without waiting
 * for the disk, and the store's sync thread calls this before it acknowledges the batch.
 * fdatasync on a descriptor of our own flushes the file's data whichever descriptor wrote it;
 * the WAL is opened once and again only if it was replaced (another inode at the path). A
 * crash loses at most commits that nobody was told of: SQLite's recovery keeps the WAL's
 * frames up to the last whole commit that reached the disk. SQLite itself still syncs the WAL
 * before every checkpoint and the database after it. */
static int s_sync_log(struct pd_conn *c)
{
	if (!c->wal_path)
		return PD_OK;
	struct stat mine, now;
	if (c->wal_fd >= 0 && (fstat(c->wal_fd, &mine) || stat(c->wal_path, &now) ||
	                       mine.st_ino != now.st_ino || mine.st_dev != now.st_dev)) {
		close(c->wal_fd);
		c->wal_fd = -1;
	}
	if (c->wal_fd < 0) {
		c->wal_fd = open(c->wal_path, O_RDWR | O_CLOEXEC);
		if (c->wal_fd < 0 && errno == ENOENT)
			return PD_OK; /* no WAL: not in WAL mode, where NORMAL commits sync themselves */
	}
	if (c->wal_fd < 0 || fdatasync(c->wal_fd)) {
		pd_log(PD_LOG_ERROR, "sqlite_wal_sync_failed", "errno=%d", errno);
		return PD_ERR_IO;
	}
	atomic_fetch_add(&n_syncs, 1);
	return PD_OK;
}

static void s_close(struct pd_conn *c)
{
	if (!c)
		return;
	if (c->wal_fd >= 0)
		close(c->wal_fd);
	free(c->wal_path);
	sqlite3_close_v2(c->db);
	free(c);
}

static int s_exec(struct pd_conn *c, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		pd_log(PD_LOG_WARN, "sqlite_exec_failed", "msg=\"%s\"", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_rc(c->db, rc);
	}
	return PD_OK;
}

static int s_prepare(struct pd_conn *c, const char *name, const char *sql, struct pd_stmt **out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		pd_log(PD_LOG_ERROR, "sqlite_prepare_failed", "stmt=%s msg=\"%s\"", name,
		       sqlite3_errmsg(c->db));
		return map_rc(c->db, rc);
	}
	struct pd_stmt *s = pd_xcalloc(1, sizeof *s);
	s->st = st;
	s->db = c->db;
	/* $k may appear out of order or repeated: map each $k to SQLite's index by name. */
	for (int k = 1; k < 100; k++) {
		char pname[8];
		snprintf(pname, sizeof pname, "$%d", k);
		int idx = sqlite3_bind_parameter_index(st, pname);
		if (!idx)
			break;
		s->map[k] = idx;
		s->n_params = k;
	}
	*out = s;
	return PD_OK;
}

static void s_finalize(struct pd_stmt *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->st);
	free(s);
}

static int idx(struct pd_stmt *s, int i)
{
	return (i >= 1 && i <= s->n_params) ? s->map[i] : 0;
}

static int s_bind_text(struct pd_stmt *s, int i, const char *p, size_t n)
{
	int k = idx(s, i);
	if (!k)
		return PD_ERR_INVALID;
	return sqlite3_bind_text64(s->st, k, p, n, SQLITE_TRANSIENT, SQLITE_UTF8) ? PD_ERR_DB : PD_OK;
}

static int s_bind_int(struct pd_stmt *s, int i, int64_t v)
{
	int k = idx(s, i);
	if (!k)
		return PD_ERR_INVALID;
	return sqlite3_bind_int64(s->st, k, v) ? PD_ERR_DB : PD_OK;
}

static int s_bind_blob(struct pd_stmt *s, int i, const void *p, size_t n)
{
	int k = idx(s, i);
	if (!k)
		return PD_ERR_INVALID;
	return sqlite3_bind_blob64(s->st, k, n ? p : "", n, SQLITE_TRANSIENT) ? PD_ERR_DB : PD_OK;
}

static int s_bind_null(struct pd_stmt *s, int i)
{
	int k = idx(s, i);
	if (!k)
		return PD_ERR_INVALID;
	return sqlite3_bind_null(s->st, k) ? PD_ERR_DB : PD_OK;
}

static int s_step(struct pd_stmt *s)
{
	int rc = sqlite3_step(s->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	int e = map_rc(s->db, rc);
	if (e != PD_ERR_CONFLICT && e != PD_ERR_BUSY)
		pd_log(PD_LOG_ERROR, "sqlite_step_failed", "msg=\"%s\"", sqlite3_errmsg(s->db));
	return -e;
}

static int64_t s_changes(struct pd_stmt *s)
{
	return sqlite3_changes64(s->db);
}

static bool s_col_null(struct pd_stmt *s, int i)
{
	return sqlite3_column_type(s->st, i) == SQLITE_NULL;
}

static int64_t s_col_int(struct pd_stmt *s, int i)
{
	return sqlite3_column_int64(s->st, i);
}

static const char *s_col_text(struct pd_stmt *s, int i, size_t *n)
{
	const char *t = (const char *)sqlite3_column_text(s->st, i);
	if (n)
		*n = t ? (size_t)sqlite3_column_bytes(s->st, i) : 0;
	return t;
}

static const void *s_col_blob(struct pd_stmt *s, int i, size_t *n)
{
	const void *p = sqlite3_column_blob(s->st, i);
	if (n)
		*n = (size_t)sqlite3_column_bytes(s->st, i);
	return p;
}

static void s_reset(struct pd_stmt *s)
{
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
}

static const char *s_errmsg(struct pd_conn *c)
{
	return sqlite3_errmsg(c->db);
}

int pd_sqlite_backup(struct pd_conn *c, const char *path, char *err, size_t errlen)
{
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot create %s: %s", path, sqlite3_errstr(rc));
		sqlite3_close(dst);
		return PD_ERR_IO;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->db, "main");
	if (!b) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return PD_ERR_DB;
	}
	/* Copy in one step so the copy is one consistent snapshot even under write load. */
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
		sqlite3_close(dst);
		return PD_ERR_DB;
	}
	/* The copy is a plain rollback-journal file, fully synced. */
	rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE;", NULL, NULL, NULL);
	sqlite3_close(dst);
	return rc == SQLITE_OK ? PD_OK : PD_ERR_DB;
}

int pd_store_inspect_backup(const char *path, int *version, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s", path);
		sqlite3_close(db);
		return PD_ERR_IO;
	}
	sqlite3_stmt *st = NULL;
	int rc = PD_ERR_INVALID;
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0) {
		sqlite3_finalize(st);
		st = NULL;
		if (sqlite3_prepare_v2(db, "SELECT MAX(version) FROM pd_schema", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW) {
			*version = sqlite3_column_int(st, 0);
			rc = PD_OK;
		} else {
			snprintf(err, errlen, "%s is not a Pendopo backup", path);
		}
	} else {
		snprintf(err, errlen, "%s is damaged or not an SQLite database", path);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

const struct pd_driver pd_driver_sqlite = {
	.name = "sqlite",
	.open = s_open,
	.close = s_close,
	.sync_log = s_sync_log,
	.exec = s_exec,
	.prepare = s_prepare,
	.finalize = s_finalize,
	.bind_text = s_bind_text,
	.bind_int = s_bind_int,
	.bind_blob = s_bind_blob,
	.bind_null = s_bind_null,
	.step = s_step,
	.changes = s_changes,
	.col_null = s_col_null,
	.col_int = s_col_int,
	.col_text = s_col_text,
	.col_blob = s_col_blob,
	.reset = s_reset,
	.errmsg = s_errmsg,
	.begin_write = "BEGIN IMMEDIATE",
	.begin_read = "BEGIN",
};
