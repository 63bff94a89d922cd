/* The audit log: appending entries to the hash chain, staff reads of personal data, the
 * checkpoint key file, and signed checkpoints (verification is in audit_verify.c). */
#include "domain/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/audit_internal.h"

#define MAX_DETAILS 8192
#define PAGE 512

/* --- the entry hash ------------------------------------------------------------------------- */

static void put_u64(crypto_generichash_state *h, uint64_t v)
{
	unsigned char b[8];
	for (int i = 7; i >= 0; i--) {
		b[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	crypto_generichash_update(h, b, sizeof b);
}

static void put_bytes(crypto_generichash_state *h, const void *p, size_t n)
{
	unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
	                        (unsigned char)(n >> 8), (unsigned char)n};
	crypto_generichash_update(h, len, sizeof len);
	if (n)
		crypto_generichash_update(h, p, n);
}

static void put_text(crypto_generichash_state *h, struct pd_audit_text t)
{
	unsigned char tag = t.p ? 1 : 0;
	crypto_generichash_update(h, &tag, 1);
	if (t.p)
		put_bytes(h, t.p, t.n);
}

void pd_audit_hash(const struct pd_audit_row *r, unsigned char out[PD_AUDIT_HASH_LEN])
{
	static const char domain[] = "pendopo.audit.v1";
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, PD_AUDIT_HASH_LEN);
	crypto_generichash_update(&h, (const unsigned char *)domain, sizeof domain); /* with NUL */
	put_u64(&h, (uint64_t)r->seq);
	put_u64(&h, (uint64_t)r->ts_ms);
	put_text(&h, r->actor);
	put_text(&h, r->action);
	put_text(&h, r->object_type);
	put_text(&h, r->object_id);
	put_text(&h, r->unit_id);
	put_text(&h, r->subject_id);
	put_text(&h, r->purpose);
	put_text(&h, r->details);
	put_bytes(&h, r->prev_hash, r->prev_hash_len);
	crypto_generichash_final(&h, out, PD_AUDIT_HASH_LEN);
}

void pd_audit_cp_message(int64_t seq, const unsigned char hash[PD_AUDIT_HASH_LEN], int64_t ts_ms,
                         unsigned char out[PD_AUDIT_CP_MSG_LEN])
{
	static const char domain[] = "pendopo.audit.checkpoint.v1"; /* 28 bytes with its NUL */
	memcpy(out, domain, sizeof domain);
	unsigned char *p = out + sizeof domain;
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)((uint64_t)seq >> (56 - 8 * i));
	memcpy(p + 8, hash, PD_AUDIT_HASH_LEN);
	for (int i = 0; i < 8; i++)
		p[8 + PD_AUDIT_HASH_LEN + i] = (unsigned char)((uint64_t)ts_ms >> (56 - 8 * i));
}

/* --- appending ------------------------------------------------------------------------------ */

/* UTF-8 of 1..max bytes (0..max when optional) with no control character. */
static bool text_ok(const char *s, size_t max, bool required)
{
	if (!s)
		return !required;
	size_t n = strlen(s);
	if ((required && n == 0) || n > max || !pd_utf8_valid(s, n))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool name_ok(const char *s, bool required)
{
	if (!s)
		return !required;
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		      s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

static bool details_ok(const char *d)
{
	size_t n = strlen(d);
	if (n > MAX_DETAILS || !pd_utf8_valid(d, n))
		return false;
	json_error_t jerr;
	json_t *j = json_loadb(d, n, JSON_REJECT_DUPLICATES, &jerr);
	bool ok = j && json_is_object(j);
	json_decref(j);
	return ok;
}

static struct pd_audit_text txt(const char *s)
{
	return (struct pd_audit_text){s, s ? strlen(s) : 0};
}

int pd_audit_append(struct pd_tx *tx, const struct pd_audit_event *ev)
{
	if (pd_tx_error(tx))
		return pd_tx_error(tx);
	const char *details = ev->details ? ev->details : "{}";
	bool is_read = ev->action && strcmp(ev->action, PD_AUDIT_ACTION_READ) == 0;
	if (!text_ok(ev->actor, 128, true) || !name_ok(ev->action, true) ||
	    !name_ok(ev->object_type, false) || !text_ok(ev->object_id, 128, false) ||
	    !text_ok(ev->unit_id, 128, false) || !text_ok(ev->subject_id, 128, false) ||
	    !text_ok(ev->purpose, 500, false) || !details_ok(details) ||
	    (is_read && (!ev->subject_id || !*ev->subject_id || !ev->purpose || !*ev->purpose))) {
		/* Domain code builds events from its own constants and ids: this is our bug. */
		pd_log(PD_LOG_ERROR, "bug", "what=\"malformed audit event\" action=%s file=%s line=%d",
		       name_ok(ev->action, true) ? ev->action : "?", __FILE__, __LINE__);
		pd_tx_fail(tx, PD_ERR_INVALID);
		return PD_ERR_INVALID;
	}
	if (pd_store_audit_lock(tx) < 0)
		return pd_tx_error(tx);
	int64_t last = 0;
	unsigned char prev[PD_AUDIT_HASH_LEN] = {0};
	enum pd_qs qs = pd_store_audit_last(tx, &last, prev);
	if (qs < 0) {
		if (pd_tx_error(tx) == PD_ERR_INVALID)
			pd_log(PD_LOG_ERROR, "audit_chain_broken", "seq=last what=\"hash is not 32 bytes\"");
		return pd_tx_error(tx);
	}
	unsigned char hash[PD_AUDIT_HASH_LEN];
	struct pd_audit_row r = {
		.seq = last + 1,
		.ts_ms = ev->ts_ms ? ev->ts_ms : pd_clock_now_ms(),
		.actor = txt(ev->actor),
		.action = txt(ev->action),
		.object_type = txt(ev->object_type),
		.object_id = txt(ev->object_id),
		.unit_id = txt(ev->unit_id),
		.subject_id = txt(ev->subject_id),
		.purpose = txt(ev->purpose),
		.details = txt(details),
		.prev_hash = prev,
		.prev_hash_len = sizeof prev,
		.hash = hash,
		.hash_len = sizeof hash,
	};
	pd_audit_hash(&r, hash);
	pd_store_audit_insert(tx, &r);
	return pd_tx_error(tx);
}

int pd_audit_record_read(struct pd_tx *tx, const char *actor, const char *subject_id,
                         const char *purpose, const char *object_type, const char *object_id,
                         const char *unit_id)
{
	struct pd_audit_event ev = {
		.actor = actor,
		.action = PD_AUDIT_ACTION_READ,
		.object_type = object_type,
		.object_id = object_id,
		.unit_id = unit_id,
		.subject_id = subject_id,
		.purpose = purpose,
	};
	return pd_audit_append(tx, &ev);
}

struct subject_arg {
	const char *subject_id, *action;
	int64_t before_seq;
	struct pd_arena *a;
	struct pd_audit_entry *out;
	int max, *n;
};

static int subject_tx(struct pd_tx *tx, void *p)
{
	struct subject_arg *sa = p;
	pd_store_audit_by_subject(tx, sa->subject_id, sa->action, sa->before_seq, sa->a, sa->out,
	                          sa->max, sa->n);
	return pd_tx_error(tx);
}

int pd_audit_subject_list(struct pd_store *st, const char *subject_id, const char *action,
                          int64_t before_seq, struct pd_arena *a, struct pd_audit_entry *out,
                          int max, int *n)
{
	*n = 0;
	if (!subject_id || !*subject_id || max <= 0)
		return PD_ERR_INVALID;
	struct subject_arg sa = {subject_id, action, before_seq, a, out, max, n};
	return pd_store_read(st, subject_tx, &sa);
}

/* --- the key file --------------------------------------------------------------------------- */

void pd_audit_key_id(const unsigned char pk[32], char out[17])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, pk, 32, NULL, 0);
	sodium_bin2hex(out, 17, h, 8);
}

void pd_audit_key_wipe(struct pd_audit_key *k)
{
	sodium_memzero(k->sk, sizeof k->sk);
	k->has_secret = false;
}

int pd_audit_key_path(const struct pd_config *cfg, char *out, size_t n)
{
	int len;
	if (cfg->audit_key && *cfg->audit_key)
		len = snprintf(out, n, "%s", cfg->audit_key);
	else
		len = snprintf(out, n, "%s/keys/audit-signing.key", cfg->data);
	return (len < 0 || (size_t)len >= n) ? PD_ERR_TOO_LARGE : PD_OK;
}

static int key_from_seed(const unsigned char seed[32], struct pd_audit_key *out)
{
	if (crypto_sign_seed_keypair(out->pk, out->sk, seed))
		return PD_ERR_CRYPTO;
	out->has_secret = true;
	pd_audit_key_id(out->pk, out->key_id);
	return PD_OK;
}

static int read_key(const char *path, struct pd_audit_key *out, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return PD_ERR_NOT_FOUND;
		snprintf(err, errlen, "cannot open the audit key %s: %s", path, strerror(errno));
		return PD_ERR_IO;
	}
	struct stat sb;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		snprintf(err, errlen, "the audit key %s is not a regular file", path);
		return PD_ERR_INVALID;
	}
	if (sb.st_mode & 077) {
		close(fd);
		snprintf(err, errlen, "the audit key %s may be read by others: run chmod 600 %s", path,
		         path);
		return PD_ERR_FORBIDDEN;
	}
	char buf[80];
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	int rc = PD_ERR_INVALID;
	size_t len = n > 0 ? (size_t)n : 0;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
		len--;
	unsigned char seed[32];
	size_t bin_len = 0;
	const char *end = NULL;
	if (n > 0 && len == 64 &&
	    sodium_hex2bin(seed, sizeof seed, buf, len, NULL, &bin_len, &end) == 0 &&
	    bin_len == sizeof seed && end == buf + len)
		rc = key_from_seed(seed, out);
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(buf, sizeof buf);
	if (rc)
		snprintf(err, errlen, "the audit key %s is not one line of 64 hex digits", path);
	return rc;
}

/* Creates the key file: a temporary file, fsynced, then linked to path (link fails when
 * another process created it first: then theirs is used). */
static int create_key(const char *path, char *err, size_t errlen)
{
	char tmp[4200];
	unsigned char rnd[8];
	char rnd_hex[17];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(rnd_hex, sizeof rnd_hex, rnd, sizeof rnd);
	int len = snprintf(tmp, sizeof tmp, "%s.%s.tmp", path, rnd_hex);
	if (len < 0 || (size_t)len >= sizeof tmp) {
		snprintf(err, errlen, "the audit key path is too long");
		return PD_ERR_TOO_LARGE;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create the audit key %s: %s", path, strerror(errno));
		return PD_ERR_IO;
	}
	unsigned char seed[32];
	char line[66];
	randombytes_buf(seed, sizeof seed);
	sodium_bin2hex(line, 65, seed, sizeof seed);
	line[64] = '\n';
	int rc = PD_OK;
	if (write(fd, line, 65) != 65 || fsync(fd)) {
		snprintf(err, errlen, "cannot write the audit key %s: %s", tmp, strerror(errno));
		rc = PD_ERR_IO;
	}
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(line, sizeof line);
	close(fd);
	if (!rc && link(tmp, path) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create the audit key %s: %s", path, strerror(errno));
		rc = PD_ERR_IO;
	}
	unlink(tmp);
	if (!rc) {
		/* Make the new name durable. */
		char dir[4200];
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	return rc;
}

int pd_audit_key_load(const char *path, bool create, struct pd_audit_key *out, char *err,
                      size_t errlen)
{
	memset(out, 0, sizeof *out);
	int rc = read_key(path, out, err, errlen);
	if (rc != PD_ERR_NOT_FOUND)
		return rc;
	if (!create) {
		snprintf(err, errlen, "no audit key at %s", path);
		return rc;
	}
	/* The default place is <data>/keys/: make that directory when it is missing. */
	char dir[4200];
	int len = snprintf(dir, sizeof dir, "%s", path);
	char *slash = len > 0 && (size_t)len < sizeof dir ? strrchr(dir, '/') : NULL;
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			snprintf(err, errlen, "cannot create the directory %s: %s", dir, strerror(errno));
			return PD_ERR_IO;
		}
	}
	rc = create_key(path, err, errlen);
	if (rc)
		return rc;
	rc = read_key(path, out, err, errlen);
	if (rc == PD_OK) {
		char safe[256];
		pd_log_sanitize(path, safe, sizeof safe);
		pd_log(PD_LOG_INFO, "audit_key_created", "key_id=%s path=\"%s\"", out->key_id, safe);
	}
	return rc;
}

/* --- checkpoints ---------------------------------------------------------------------------- */

struct segment_arg {
	const struct pd_audit_key *key;
	int64_t cp_seq;                  /* the newest checkpoint's seq (0: none) */
	int64_t last_seq;                /* the newest entry, after the walk */
	unsigned char last_hash[PD_AUDIT_HASH_LEN];
	bool bad;
	int64_t bad_seq;
	char what[256];
	bool cp_ok;                      /* the newest checkpoint holds the chain's hash */
	const unsigned char *chain_hash; /* the chain's hash at the newest checkpoint */
};

static void seg_bad(struct segment_arg *sa, int64_t seq, const char *what)
{
	sa->bad = true;
	sa->bad_seq = seq;
	snprintf(sa->what, sizeof sa->what, "%s", what);
}

/* The newest checkpoint must hold the chain's hash at its seq, signed by our key (a
 * checkpoint by another key is checked by pd_audit_verify only). */
static int newest_cp(const struct pd_audit_cp_row *c, void *p)
{
	struct segment_arg *sa = p;
	sa->cp_ok = false;
	if (c->hash_len != PD_AUDIT_HASH_LEN ||
	    sodium_memcmp(c->hash, sa->chain_hash, PD_AUDIT_HASH_LEN) != 0)
		return 0;
	if (c->key_id.p && c->key_id.n == 16 && memcmp(c->key_id.p, sa->key->key_id, 16) == 0) {
		unsigned char msg[PD_AUDIT_CP_MSG_LEN];
		pd_audit_cp_message(c->seq, c->hash, c->ts_ms, msg);
		if (c->signature_len != PD_AUDIT_SIG_LEN ||
		    crypto_sign_verify_detached(c->signature, msg, sizeof msg, sa->key->pk) != 0)
			return 0;
	}
	sa->cp_ok = true;
	return 0;
}

/* Checks the entries after the newest checkpoint, starting from the chain's hash there once
 * it agrees with that checkpoint. */
static int segment_tx(struct pd_tx *tx, void *p)
{
	struct segment_arg *sa = p;
	sa->cp_seq = 0;
	sa->bad = false;
	sa->what[0] = '\0';
	if (pd_store_audit_cp_last(tx, &sa->cp_seq) < 0)
		return pd_tx_error(tx);
	struct pd_audit_walk w;
	pd_audit_walk_init(&w, sa->cp_seq + 1);
	if (sa->cp_seq > 0) {
		size_t len = 0;
		enum pd_qs qs = pd_store_audit_hash_at(tx, sa->cp_seq, w.prev, &len);
		if (qs < 0)
			return pd_tx_error(tx);
		if (qs == PD_QS_NONE || len != PD_AUDIT_HASH_LEN) {
			seg_bad(sa, sa->cp_seq, qs == PD_QS_NONE ? "the entry of the newest checkpoint is missing"
			                                         : "hash is not 32 bytes");
			return PD_OK;
		}
		sa->chain_hash = w.prev;
		if (pd_store_audit_cp_at(tx, sa->cp_seq, newest_cp, sa) < 0)
			return pd_tx_error(tx);
		if (!sa->cp_ok) {
			seg_bad(sa, sa->cp_seq, "the entry does not match its checkpoint");
			return PD_OK;
		}
	}
	int rc = pd_audit_walk_run(tx, &w, sa->cp_seq > 0 ? &sa->cp_seq : NULL);
	if (rc)
		return rc;
	if (w.bad) {
		seg_bad(sa, w.bad_seq, w.what);
		return PD_OK;
	}
	sa->last_seq = w.expected - 1;
	memcpy(sa->last_hash, w.prev, PD_AUDIT_HASH_LEN);
	return PD_OK;
}

struct cp_write_arg {
	const struct pd_audit_cp_row *cp;
	bool created;
};

static int cp_write_tx(struct pd_tx *tx, void *p)
{
	struct cp_write_arg *ca = p;
	ca->created = false;
	if (pd_store_audit_lock(tx) < 0)
		return pd_tx_error(tx);
	int64_t newest = 0;
	if (pd_store_audit_cp_last(tx, &newest) < 0)
		return pd_tx_error(tx);
	if (newest >= ca->cp->seq)
		return PD_OK; /* another node or process was quicker */
	unsigned char h[PD_AUDIT_HASH_LEN];
	size_t len = 0;
	if (pd_store_audit_hash_at(tx, ca->cp->seq, h, &len) != PD_QS_ONE || len != sizeof h ||
	    sodium_memcmp(h, ca->cp->hash, sizeof h) != 0)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_CRYPTO;
	pd_store_audit_cp_insert(tx, ca->cp);
	ca->created = !pd_tx_error(tx);
	return pd_tx_error(tx);
}

int pd_audit_checkpoint(struct pd_store *st, const struct pd_audit_key *key,
                        struct pd_audit_cp_result *out)
{
	memset(out, 0, sizeof *out);
	if (!key->has_secret)
		return PD_ERR_INVALID;
	struct segment_arg sa = {.key = key};
	int rc = pd_store_read(st, segment_tx, &sa);
	if (rc)
		return rc;
	out->seq = sa.cp_seq;
	if (sa.bad) {
		out->bad_seq = sa.bad_seq;
		snprintf(out->what, sizeof out->what, "%s", sa.what);
		pd_log(PD_LOG_ERROR, "audit_chain_broken", "seq=%lld what=\"%s\"",
		       (long long)sa.bad_seq, sa.what);
		return PD_ERR_CRYPTO;
	}
	if (sa.last_seq <= sa.cp_seq)
		return PD_OK; /* nothing new since the newest checkpoint */
	int64_t ts = pd_clock_now_ms();
	unsigned char msg[PD_AUDIT_CP_MSG_LEN], sig[PD_AUDIT_SIG_LEN];
	pd_audit_cp_message(sa.last_seq, sa.last_hash, ts, msg);
	crypto_sign_detached(sig, NULL, msg, sizeof msg, key->sk);
	struct pd_audit_cp_row cp = {
		.seq = sa.last_seq,
		.ts_ms = ts,
		.hash = sa.last_hash,
		.hash_len = PD_AUDIT_HASH_LEN,
		.signature = sig,
		.signature_len = sizeof sig,
		.key_id = {key->key_id, strlen(key->key_id)},
	};
	struct cp_write_arg ca = {&cp, false};
	rc = pd_store_write(st, cp_write_tx, &ca);
	if (rc == PD_ERR_CONFLICT)
		rc = PD_OK; /* a concurrent checkpoint of the same entry */
	if (rc == PD_ERR_CRYPTO) {
		out->bad_seq = sa.last_seq;
		snprintf(out->what, sizeof out->what, "entry changed while it was being checkpointed");
		pd_log(PD_LOG_ERROR, "audit_chain_broken", "seq=%lld what=\"%s\"",
		       (long long)sa.last_seq, out->what);
		return rc;
	}
	if (rc)
		return rc;
	out->created = ca.created;
	if (ca.created)
		out->seq = sa.last_seq;
	return PD_OK;
}

int pd_audit_checkpoint_config(struct pd_store *st, const struct pd_config *cfg,
                               struct pd_audit_cp_result *out)
{
	memset(out, 0, sizeof *out);
	char path[4096], err[512];
	struct pd_audit_key key;
	int rc = pd_audit_key_path(cfg, path, sizeof path);
	if (!rc)
		rc = pd_audit_key_load(path, true, &key, err, sizeof err);
	if (rc) {
		char safe[512];
		pd_log_sanitize(rc == PD_ERR_TOO_LARGE ? "audit key path too long" : err, safe,
		                sizeof safe);
		pd_log(PD_LOG_ERROR, "audit_checkpoint_failed", "msg=\"%s\"", safe);
		return rc;
	}
	rc = pd_audit_checkpoint(st, &key, out);
	pd_audit_key_wipe(&key);
	if (rc)
		pd_log(PD_LOG_ERROR, "audit_checkpoint_failed", "err=\"%s\"", pd_strerror(rc));
	else if (out->created)
		pd_log(PD_LOG_INFO, "audit_checkpoint", "seq=%lld key_id=%s", (long long)out->seq,
		       key.key_id);
	return rc;
}
