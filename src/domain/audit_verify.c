/* Verification of the audit log (the chain, the signed checkpoints, an exported copy of them)
 * and the export of checkpoints as JSON lines for safekeeping elsewhere. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "domain/audit.h"
#include "domain/audit_internal.h"

#define PAGE 512
#define MAX_LINE 2048
#define MAX_FILE_KEYS 16

/* --- the chain walk ----------------------------------------------------------------------- */

void pd_audit_walk_init(struct pd_audit_walk *w, int64_t first)
{
	memset(w, 0, sizeof *w);
	w->expected = first;
}

static void walk_bad(struct pd_audit_walk *w, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void walk_bad(struct pd_audit_walk *w, int64_t seq, const char *fmt, ...)
{
	w->bad = true;
	w->bad_seq = seq;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->what, sizeof w->what, fmt, ap);
	va_end(ap);
}

static int walk_row(const struct pd_audit_row *r, void *p)
{
	struct pd_audit_walk *w = p;
	if (r->seq != w->expected) {
		if (r->seq < w->expected)
			walk_bad(w, r->seq, "entry has seq %lld, before the start of the chain at %lld",
			         (long long)r->seq, (long long)w->expected);
		else
			walk_bad(w, w->expected, "entry %lld is missing (the next entry is %lld)",
			         (long long)w->expected, (long long)r->seq);
		return 1;
	}
	if (r->prev_hash_len != PD_AUDIT_HASH_LEN ||
	    memcmp(r->prev_hash, w->prev, PD_AUDIT_HASH_LEN) != 0) {
		if (r->seq == 1)
			walk_bad(w, r->seq, "prev_hash of the first entry is not 32 zero bytes");
		else
			walk_bad(w, r->seq, "prev_hash does not match the hash of entry %lld",
			         (long long)(r->seq - 1));
		return 1;
	}
	unsigned char h[PD_AUDIT_HASH_LEN];
	pd_audit_hash(r, h);
	if (r->hash_len != PD_AUDIT_HASH_LEN || memcmp(r->hash, h, PD_AUDIT_HASH_LEN) != 0) {
		walk_bad(w, r->seq, "hash does not match the entry's contents");
		return 1;
	}
	memcpy(w->prev, h, PD_AUDIT_HASH_LEN);
	w->expected++;
	w->n++;
	return 0;
}

int pd_audit_walk_run(struct pd_tx *tx, struct pd_audit_walk *w, const int64_t *after_seq)
{
	int64_t cursor = after_seq ? *after_seq : 0;
	bool from_start = after_seq == NULL;
	for (;;) {
		int n = 0;
		if (pd_store_audit_page(tx, from_start ? NULL : &cursor, PAGE, walk_row, w, &n) < 0)
			return pd_tx_error(tx);
		if (w->bad || n < PAGE)
			return PD_OK;
		cursor = w->expected - 1;
		from_start = false;
	}
}

/* --- exported checkpoints ----------------------------------------------------------------- */

struct file_cp {
	int64_t seq, ts_ms;
	unsigned char hash[PD_AUDIT_HASH_LEN], sig[PD_AUDIT_SIG_LEN], pk[32];
	bool has_pk;
	char key_id[17];
};

static bool hex_field(json_t *o, const char *name, unsigned char *out, size_t n)
{
	json_t *v = json_object_get(o, name);
	const char *s = json_string_value(v);
	size_t bin_len = 0;
	const char *end = NULL;
	return s && strlen(s) == 2 * n &&
	       sodium_hex2bin(out, n, s, 2 * n, NULL, &bin_len, &end) == 0 && bin_len == n &&
	       end == s + 2 * n;
}

static bool key_id_ok(const char *s, size_t n)
{
	if (n != 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Parses one line; NULL on success, else what is wrong with it. */
static const char *parse_line(const char *line, size_t len, struct file_cp *cp)
{
	json_error_t jerr;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	const char *why = NULL;
	if (!o || !json_is_object(o)) {
		why = "not a JSON object";
		goto out;
	}
	json_t *seq = json_object_get(o, "seq"), *ts = json_object_get(o, "ts_ms");
	json_t *kid = json_object_get(o, "key_id"), *pk = json_object_get(o, "public_key");
	if (!json_is_integer(seq) || json_integer_value(seq) < 1) {
		why = "seq is not a positive integer";
		goto out;
	}
	if (!json_is_integer(ts)) {
		why = "ts_ms is not an integer";
		goto out;
	}
	cp->seq = json_integer_value(seq);
	cp->ts_ms = json_integer_value(ts);
	if (!hex_field(o, "hash", cp->hash, sizeof cp->hash)) {
		why = "hash is not 64 hex digits";
		goto out;
	}
	if (!hex_field(o, "signature", cp->sig, sizeof cp->sig)) {
		why = "signature is not 128 hex digits";
		goto out;
	}
	const char *k = json_string_value(kid);
	if (!k || !key_id_ok(k, strlen(k))) {
		why = "key_id is not 16 lower-case hex digits";
		goto out;
	}
	memcpy(cp->key_id, k, 17);
	cp->has_pk = pk && !json_is_null(pk);
	if (cp->has_pk && !hex_field(o, "public_key", cp->pk, sizeof cp->pk)) {
		why = "public_key is not 64 hex digits";
		goto out;
	}
	if (cp->has_pk) {
		char id[17];
		pd_audit_key_id(cp->pk, id);
		if (strcmp(id, cp->key_id) != 0)
			why = "key_id is not the id of public_key";
	}
out:
	json_decref(o);
	return why;
}

static bool cp_signature_ok(int64_t seq, const unsigned char *hash, int64_t ts_ms,
                            const unsigned char *sig, const unsigned char pk[32])
{
	unsigned char msg[PD_AUDIT_CP_MSG_LEN];
	pd_audit_cp_message(seq, hash, ts_ms, msg);
	return crypto_sign_verify_detached(sig, msg, sizeof msg, pk) == 0;
}

struct verify_ctx {
	const struct pd_audit_key *keys;
	size_t n_keys;
	struct pd_audit_key file_keys[MAX_FILE_KEYS]; /* public parts only */
	size_t n_file_keys;
	const char *file;
	struct pd_audit_report *rep;
	int64_t chain_len;  /* entries verified in order */
	struct pd_tx *tx;
	const struct file_cp *fcp;  /* the exported checkpoint being compared */
	bool same;
	bool stop;                  /* db_cp found something or failed */
};

static const struct pd_audit_key *find_key(const struct verify_ctx *vc, const char *id, size_t n)
{
	if (!key_id_ok(id, n))
		return NULL;
	for (size_t i = 0; i < vc->n_keys; i++)
		if (memcmp(vc->keys[i].key_id, id, 16) == 0)
			return &vc->keys[i];
	for (size_t i = 0; i < vc->n_file_keys; i++)
		if (memcmp(vc->file_keys[i].key_id, id, 16) == 0)
			return &vc->file_keys[i];
	return NULL;
}

static void report_bad(struct pd_audit_report *rep, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Keeps the lowest bad seq; at equal seq the first finding stays. */
static void report_bad(struct pd_audit_report *rep, int64_t seq, const char *fmt, ...)
{
	if (!rep->sound && seq >= rep->bad_seq)
		return;
	rep->sound = false;
	rep->bad_seq = seq;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rep->what, sizeof rep->what, fmt, ap);
	va_end(ap);
}

/* Reads the checkpoints file line by line, calling fn for each parsed line; a malformed line
 * stops with PD_ERR_INVALID and the reason in rep->what. */
static int each_line(struct verify_ctx *vc, int (*fn)(struct verify_ctx *vc, const struct file_cp *cp,
                                                      long lineno))
{
	FILE *f = fopen(vc->file, "re");
	if (!f) {
		snprintf(vc->rep->what, sizeof vc->rep->what, "cannot read %s: %s", vc->file,
		         strerror(errno));
		return PD_ERR_IO;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int rc = PD_OK;
	while (!rc && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
			len--;
		if (len == 0)
			continue;
		struct file_cp cp;
		const char *why = len > MAX_LINE ? "line too long" : parse_line(line, (size_t)len, &cp);
		if (why) {
			snprintf(vc->rep->what, sizeof vc->rep->what, "%s line %ld: %s", vc->file, lineno,
			         why);
			rc = PD_ERR_INVALID;
			break;
		}
		rc = fn(vc, &cp, lineno);
	}
	if (!rc && ferror(f)) {
		snprintf(vc->rep->what, sizeof vc->rep->what, "cannot read %s", vc->file);
		rc = PD_ERR_IO;
	}
	free(line);
	fclose(f);
	return rc;
}

/* First pass, before the database: each line is self-consistent and signed; its public key
 * becomes known (the exported file is the copy held elsewhere, so its keys are trusted). */
static int file_key(struct verify_ctx *vc, const struct file_cp *cp, long lineno)
{
	const struct pd_audit_key *k = find_key(vc, cp->key_id, 16);
	if (!k && cp->has_pk) {
		if (vc->n_file_keys == MAX_FILE_KEYS) {
			snprintf(vc->rep->what, sizeof vc->rep->what, "%s: more than %d keys", vc->file,
			         MAX_FILE_KEYS);
			return PD_ERR_INVALID;
		}
		struct pd_audit_key *nk = &vc->file_keys[vc->n_file_keys++];
		memset(nk, 0, sizeof *nk);
		memcpy(nk->pk, cp->pk, sizeof nk->pk);
		memcpy(nk->key_id, cp->key_id, sizeof nk->key_id);
		k = nk;
	}
	if (cp->has_pk && memcmp(k->pk, cp->pk, sizeof cp->pk) != 0) {
		snprintf(vc->rep->what, sizeof vc->rep->what,
		         "%s line %ld: public_key differs from the known key %s", vc->file, lineno,
		         cp->key_id);
		return PD_ERR_INVALID;
	}
	if (k && !cp_signature_ok(cp->seq, cp->hash, cp->ts_ms, cp->sig, k->pk)) {
		snprintf(vc->rep->what, sizeof vc->rep->what,
		         "%s line %ld: the signature does not verify (the file is damaged)", vc->file,
		         lineno);
		return PD_ERR_INVALID;
	}
	return PD_OK;
}

static int same_cp(const struct pd_audit_cp_row *c, void *p)
{
	struct verify_ctx *vc = p;
	const struct file_cp *f = vc->fcp;
	vc->same = c->ts_ms == f->ts_ms && c->hash_len == sizeof f->hash &&
	           memcmp(c->hash, f->hash, sizeof f->hash) == 0 &&
	           c->signature_len == sizeof f->sig && memcmp(c->signature, f->sig, sizeof f->sig) == 0 &&
	           c->key_id.p && c->key_id.n == 16 && memcmp(c->key_id.p, f->key_id, 16) == 0;
	return 0;
}

/* Second pass, inside the read transaction: each exported checkpoint against the chain and
 * the database's checkpoints. */
static int file_check(struct verify_ctx *vc, const struct file_cp *cp, long lineno)
{
	struct pd_audit_report *rep = vc->rep;
	rep->n_exported++;
	if (!rep->sound && cp->seq >= rep->bad_seq)
		return PD_OK;
	if (cp->seq > vc->chain_len) {
		report_bad(rep, cp->seq,
		           "exported checkpoint at seq %lld lies beyond the end of the chain (%lld "
		           "entries): the log was truncated",
		           (long long)cp->seq, (long long)vc->chain_len);
		return PD_OK;
	}
	unsigned char h[PD_AUDIT_HASH_LEN];
	size_t len = 0;
	if (pd_store_audit_hash_at(vc->tx, cp->seq, h, &len) < 0)
		return pd_tx_error(vc->tx);
	if (len != PD_AUDIT_HASH_LEN || memcmp(h, cp->hash, sizeof h) != 0) {
		report_bad(rep, cp->seq,
		           "entry %lld does not match the exported checkpoint: the chain was rewritten",
		           (long long)cp->seq);
		return PD_OK;
	}
	vc->fcp = cp;
	vc->same = false;
	enum pd_qs qs = pd_store_audit_cp_at(vc->tx, cp->seq, same_cp, vc);
	if (qs < 0)
		return pd_tx_error(vc->tx);
	if (qs == PD_QS_NONE)
		report_bad(rep, cp->seq, "exported checkpoint at seq %lld is missing from the database",
		           (long long)cp->seq);
	else if (!vc->same)
		report_bad(rep, cp->seq, "checkpoint at seq %lld differs from the exported copy",
		           (long long)cp->seq);
	return PD_OK;
}

/* --- verification ----------------------------------------------------------------------------- */

static int db_cp(const struct pd_audit_cp_row *c, void *p)
{
	struct verify_ctx *vc = p;
	struct pd_audit_report *rep = vc->rep;
	rep->n_checkpoints++;
	rep->last_checkpoint = c->seq;
	vc->stop = true;
	if (!rep->sound && c->seq >= rep->bad_seq)
		return 1; /* ascending: nothing lower is left to find */
	long long seq = (long long)c->seq;
	if (c->seq < 1) {
		report_bad(rep, c->seq, "checkpoint at seq %lld lies before the start of the chain", seq);
		return 1;
	}
	const struct pd_audit_key *k = find_key(vc, c->key_id.p ? c->key_id.p : "", c->key_id.n);
	if (!k) {
		char id[17] = "(malformed)";
		if (c->key_id.p && key_id_ok(c->key_id.p, c->key_id.n)) {
			memcpy(id, c->key_id.p, 16);
			id[16] = '\0';
		}
		report_bad(rep, c->seq,
		           "checkpoint at seq %lld is signed by unknown key %s (give the audit key or "
		           "--checkpoints FILE)",
		           seq, id);
		return 1;
	}
	if (c->hash_len != PD_AUDIT_HASH_LEN || c->signature_len != PD_AUDIT_SIG_LEN ||
	    !cp_signature_ok(c->seq, c->hash, c->ts_ms, c->signature, k->pk)) {
		report_bad(rep, c->seq, "the signature of the checkpoint at seq %lld does not verify", seq);
		return 1;
	}
	if (c->seq > vc->chain_len) {
		report_bad(rep, c->seq,
		           "checkpoint at seq %lld lies beyond the end of the chain (%lld entries): "
		           "entries were removed",
		           seq, (long long)vc->chain_len);
		return 1;
	}
	unsigned char h[PD_AUDIT_HASH_LEN];
	size_t len = 0;
	if (pd_store_audit_hash_at(vc->tx, c->seq, h, &len) < 0)
		return 1;
	if (len != PD_AUDIT_HASH_LEN || memcmp(h, c->hash, sizeof h) != 0) {
		report_bad(rep, c->seq, "entry %lld does not match its signed checkpoint", seq);
		return 1;
	}
	vc->stop = false;
	return 0;
}

static int verify_tx(struct pd_tx *tx, void *p)
{
	struct verify_ctx *vc = p;
	struct pd_audit_report *rep = vc->rep;
	rep->n_entries = rep->n_checkpoints = rep->n_exported = rep->last_checkpoint = 0;
	rep->sound = true;
	rep->bad_seq = 0;
	rep->what[0] = '\0';
	vc->tx = tx;

	struct pd_audit_walk w;
	pd_audit_walk_init(&w, 1);
	int rc = pd_audit_walk_run(tx, &w, NULL);
	if (rc)
		return rc;
	rep->n_entries = w.n;
	vc->chain_len = w.n;
	if (w.bad)
		report_bad(rep, w.bad_seq, "%s", w.what);

	int64_t cursor = 0;
	bool first = true;
	for (;;) {
		int n = 0;
		vc->stop = false;
		enum pd_qs qs = pd_store_audit_cp_page(tx, first ? NULL : &cursor, PAGE, db_cp, vc, &n);
		if (qs < 0 || pd_tx_error(tx))
			return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
		if (n < PAGE || vc->stop)
			break;
		cursor = rep->last_checkpoint;
		first = false;
	}
	if (vc->file) {
		rc = each_line(vc, file_check);
		if (rc)
			return rc;
	}
	return PD_OK;
}

int pd_audit_verify(struct pd_store *st, const char *checkpoints_file,
                    const struct pd_audit_key *keys, size_t n_keys, struct pd_audit_report *report)
{
	memset(report, 0, sizeof *report);
	struct verify_ctx *vc = calloc(1, sizeof *vc);
	if (!vc)
		return PD_ERR_NOMEM;
	vc->keys = keys;
	vc->n_keys = n_keys;
	vc->file = checkpoints_file;
	vc->rep = report;
	int rc = PD_OK;
	if (checkpoints_file)
		rc = each_line(vc, file_key);
	if (!rc) {
		rc = pd_store_read(st, verify_tx, vc);
		if (rc && !report->what[0])
			snprintf(report->what, sizeof report->what, "cannot read the audit log: %s",
			         pd_strerror(rc));
	}
	if (rc)
		report->sound = false;
	else if (!report->sound)
		rc = PD_ERR_CRYPTO;
	free(vc);
	return rc;
}

/* --- export ------------------------------------------------------------------------------------ */

struct export_ctx {
	const struct pd_audit_key *keys;
	size_t n_keys;
	FILE *f;
	int64_t n, last;
	char *err;
	size_t errlen;
	int rc;
};

static int export_cp(const struct pd_audit_cp_row *c, void *p)
{
	struct export_ctx *ec = p;
	ec->last = c->seq;
	if (c->hash_len != PD_AUDIT_HASH_LEN || c->signature_len != PD_AUDIT_SIG_LEN || !c->key_id.p ||
	    !key_id_ok(c->key_id.p, c->key_id.n)) {
		snprintf(ec->err, ec->errlen,
		         "the checkpoint at seq %lld is malformed: run `pendopo audit verify`",
		         (long long)c->seq);
		ec->rc = PD_ERR_CRYPTO;
		return 1;
	}
	const struct pd_audit_key *k = NULL;
	for (size_t i = 0; i < ec->n_keys && !k; i++)
		if (memcmp(ec->keys[i].key_id, c->key_id.p, 16) == 0)
			k = &ec->keys[i];
	if (k && !cp_signature_ok(c->seq, c->hash, c->ts_ms, c->signature, k->pk)) {
		snprintf(ec->err, ec->errlen,
		         "the signature of the checkpoint at seq %lld does not verify: run `pendopo audit "
		         "verify`",
		         (long long)c->seq);
		ec->rc = PD_ERR_CRYPTO;
		return 1;
	}
	char hash[2 * PD_AUDIT_HASH_LEN + 1], sig[2 * PD_AUDIT_SIG_LEN + 1], pk[65], id[17];
	sodium_bin2hex(hash, sizeof hash, c->hash, PD_AUDIT_HASH_LEN);
	sodium_bin2hex(sig, sizeof sig, c->signature, PD_AUDIT_SIG_LEN);
	memcpy(id, c->key_id.p, 16);
	id[16] = '\0';
	if (k)
		sodium_bin2hex(pk, sizeof pk, k->pk, sizeof k->pk);
	json_t *o = json_pack("{s:I,s:s,s:I,s:s,s:o,s:s}", "seq", (json_int_t)c->seq, "hash", hash,
	                      "ts_ms", (json_int_t)c->ts_ms, "key_id", id, "public_key",
	                      k ? json_string(pk) : json_null(), "signature", sig);
	char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!line || fprintf(ec->f, "%s\n", line) < 0) {
		snprintf(ec->err, ec->errlen, "cannot write the checkpoints: %s", strerror(errno));
		ec->rc = PD_ERR_IO;
		free(line);
		return 1;
	}
	free(line);
	ec->n++;
	return 0;
}

static int export_tx(struct pd_tx *tx, void *p)
{
	struct export_ctx *ec = p;
	/* The body may run again after a transient failure: start the file afresh. */
	ec->n = 0;
	ec->rc = PD_OK;
	if (fflush(ec->f) || ftruncate(fileno(ec->f), 0) || fseek(ec->f, 0, SEEK_SET)) {
		snprintf(ec->err, ec->errlen, "cannot write the checkpoints: %s", strerror(errno));
		return PD_ERR_IO;
	}
	bool first = true;
	for (;;) {
		int n = 0;
		int64_t cursor = ec->last;
		if (pd_store_audit_cp_page(tx, first ? NULL : &cursor, PAGE, export_cp, ec, &n) < 0)
			return pd_tx_error(tx);
		if (ec->rc)
			return ec->rc;
		if (n < PAGE)
			return PD_OK;
		first = false;
	}
}

int pd_audit_export(struct pd_store *st, const char *path, const struct pd_audit_key *keys,
                    size_t n_keys, int64_t *n_written, char *err, size_t errlen)
{
	*n_written = 0;
	char tmp[4200];
	int len = snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (len < 0 || (size_t)len >= sizeof tmp) {
		snprintf(err, errlen, "the file name is too long");
		return PD_ERR_TOO_LARGE;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return PD_ERR_IO;
	}
	struct export_ctx ec = {.keys = keys, .n_keys = n_keys, .f = f, .err = err, .errlen = errlen};
	int rc = pd_store_read(st, export_tx, &ec);
	if (rc && rc != ec.rc && rc != PD_ERR_IO) /* otherwise err already says why */
		snprintf(err, errlen, "cannot read the checkpoints: %s", pd_strerror(rc));
	if (fflush(f) || fsync(fileno(f))) {
		if (!rc)
			snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
		rc = rc ? rc : PD_ERR_IO;
	}
	fclose(f);
	if (!rc && rename(tmp, path)) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
		rc = PD_ERR_IO;
	}
	if (rc)
		unlink(tmp);
	else
		*n_written = ec.n;
	return rc;
}
