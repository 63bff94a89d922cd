/* Statements for chunked blobs; a file is read and inserted chunk by chunk, never whole. */
#include "store/blob_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/err.h"
#include "core/mem.h"

static const struct pd_sql SQL_BLOB_INSERT = {
	"blob_insert",
	"INSERT INTO blob (id, content_type, size, n_chunks, created_ms) VALUES ($1, $2, 0, 0, $3)",
	NULL};
static const struct pd_sql SQL_BLOB_FINISH = {
	"blob_finish", "UPDATE blob SET size = $2, n_chunks = $3 WHERE id = $1", NULL};
static const struct pd_sql SQL_CHUNK_INSERT = {
	"blob_chunk_insert", "INSERT INTO blob_chunk (blob_id, seq, data) VALUES ($1, $2, $3)", NULL};
static const struct pd_sql SQL_BLOB_INFO = {
	"blob_info", "SELECT content_type, size, n_chunks FROM blob WHERE id = $1", NULL};
static const struct pd_sql SQL_CHUNKS = {
	"blob_chunks", "SELECT data FROM blob_chunk WHERE blob_id = $1 ORDER BY seq", NULL};
static const struct pd_sql SQL_CHUNKS_DELETE = {
	"blob_chunks_delete", "DELETE FROM blob_chunk WHERE blob_id = $1", NULL};
static const struct pd_sql SQL_BLOB_DELETE = {"blob_delete", "DELETE FROM blob WHERE id = $1", NULL};

static int begin(struct pd_tx *tx, const char *id, const char *content_type, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BLOB_INSERT);
	pd_q_text(q, 1, id);
	pd_q_text(q, 2, content_type);
	pd_q_int(q, 3, now_ms);
	pd_q_exec(q);
	return pd_tx_error(tx);
}

static int chunk(struct pd_tx *tx, const char *id, int seq, const void *p, size_t n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CHUNK_INSERT);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, seq);
	pd_q_blob(q, 3, p, n);
	pd_q_exec(q);
	return pd_tx_error(tx);
}

static int finish(struct pd_tx *tx, const char *id, int64_t size, int n_chunks)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BLOB_FINISH);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, size);
	pd_q_int(q, 3, n_chunks);
	pd_q_exec(q);
	return pd_tx_error(tx);
}

int pd_store_blob_put_file(struct pd_tx *tx, const char *id, const char *content_type,
                           const char *path, int64_t now_ms)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return PD_ERR_IO;
	char *buf = pd_xmalloc(PD_BLOB_CHUNK);
	int rc = begin(tx, id, content_type, now_ms);
	int64_t size = 0;
	int seq = 0;
	while (!rc) {
		size_t got = 0;
		while (got < PD_BLOB_CHUNK) {
			ssize_t n = read(fd, buf + got, PD_BLOB_CHUNK - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				rc = PD_ERR_IO;
				break;
			}
			if (n == 0)
				break;
			got += (size_t)n;
		}
		if (rc || got == 0)
			break;
		rc = chunk(tx, id, seq++, buf, got);
		size += (int64_t)got;
		if (got < PD_BLOB_CHUNK)
			break;
	}
	if (!rc)
		rc = finish(tx, id, size, seq);
	free(buf);
	close(fd);
	if (rc)
		pd_tx_fail(tx, rc);
	return rc;
}

int pd_store_blob_put(struct pd_tx *tx, const char *id, const char *content_type, const void *p,
                      size_t n, int64_t now_ms)
{
	int rc = begin(tx, id, content_type, now_ms);
	int seq = 0;
	for (size_t off = 0; !rc && off < n; off += PD_BLOB_CHUNK) {
		size_t k = n - off < PD_BLOB_CHUNK ? n - off : PD_BLOB_CHUNK;
		rc = chunk(tx, id, seq++, (const char *)p + off, k);
	}
	if (!rc)
		rc = finish(tx, id, (int64_t)n, seq);
	return rc;
}

enum pd_qs pd_store_blob_info(struct pd_tx *tx, const char *id, struct pd_blob_info *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BLOB_INFO);
	pd_q_text(q, 1, id);
	int rc = pd_q_step(q);
	if (rc < 0)
		return PD_QS_HARD;
	if (rc == 0)
		return PD_QS_NONE;
	out->content_type = pd_q_col_dup(q, 0, NULL);
	out->size = pd_q_col_int(q, 1);
	out->n_chunks = (int)pd_q_col_int(q, 2);
	pd_q_close(q);
	return PD_QS_ONE;
}

int pd_store_blob_read(struct pd_tx *tx, const char *id,
                       int (*fn)(const void *p, size_t n, void *arg), void *arg)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CHUNKS);
	pd_q_text(q, 1, id);
	int rc, frc = 0;
	while (!frc && (rc = pd_q_step(q)) == 1) {
		size_t n;
		const void *p = pd_q_col_blob(q, 0, &n);
		frc = fn(p, n, arg);
	}
	pd_q_close(q);
	return frc ? frc : pd_tx_error(tx);
}

enum pd_qs pd_store_blob_delete(struct pd_tx *tx, const char *id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CHUNKS_DELETE);
	pd_q_text(q, 1, id);
	pd_q_exec(q);
	q = pd_q_open(tx, &SQL_BLOB_DELETE);
	pd_q_text(q, 1, id);
	int64_t n = pd_q_exec(q);
	return n < 0 ? PD_QS_HARD : n ? PD_QS_ONE : PD_QS_NONE;
}
