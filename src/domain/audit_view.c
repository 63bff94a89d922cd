/* The auditors' view of the audit log: the scope of an auditor's grants, filtered keyset pages
 * newest first, the quick status of the chain and the recorded full check. */
#include "domain/audit_view.h"
#include "domain/unit.h"

#include <jansson.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/str.h"
#include "domain/audit_internal.h"
#include "store/audit_store.h"
#include "store/unit_store.h"

#define MAX_SCOPE 32         /* auditor grants of one account that we look at */
#define WINDOW 10000         /* seqs one statement scans */
#define SCAN_BUDGET 100000   /* seqs one page scans before it stops with `partial` */
#define EACH_PAGE 500        /* rows per read transaction of the export */

/* --- who sees what ------------------------------------------------------------------------- */

/* The unit paths of the actor's auditor grants that pd_authz allows for action, none of them
 * inside another, and whether one of them is a top unit. */
struct scope {
	bool top;
	const char *paths[MAX_SCOPE];
	int n;
};

static int scope_of(const struct pd_actor *actor, enum pd_action action, struct scope *s)
{
	memset(s, 0, sizeof *s);
	if (!actor || !actor->account_id)
		return PD_ERR_NOT_FOUND;
	for (size_t i = 0; i < actor->n_grants; i++) {
		const struct pd_grant *g = &actor->grants[i];
		if (g->role != PD_ROLE_AUDITOR || !g->unit_path || !*g->unit_path)
			continue;
		struct pd_authz_object o = {NULL, g->unit_path};
		if (pd_authz(actor, action, &o) != PD_OK)
			continue;
		s->top |= pd_unit_path_is_top(g->unit_path);
		bool covered = false;
		for (int k = 0; k < s->n && !covered; k++)
			covered = pd_str_starts(g->unit_path, s->paths[k]);
		if (covered)
			continue;
		int kept = 0; /* drop the paths the new one covers */
		for (int k = 0; k < s->n; k++)
			if (!pd_str_starts(s->paths[k], g->unit_path))
				s->paths[kept++] = s->paths[k];
		s->n = kept;
		if (s->n < MAX_SCOPE)
			s->paths[s->n++] = g->unit_path;
	}
	return s->n > 0 ? PD_OK : PD_ERR_NOT_FOUND;
}

bool pd_audit_filter_name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		      s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

static const struct {
	const char *kind, *prefix;
} actor_kinds[] = {
	{"account", "account:"}, {"apikey", "apikey:"}, {"cli", "cli:"}, {"system", "system"},
};

static const char *actor_prefix(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof actor_kinds / sizeof actor_kinds[0]; i++)
		if (strcmp(kind, actor_kinds[i].kind) == 0)
			return actor_kinds[i].prefix;
	return NULL;
}

bool pd_audit_filter_actor_kind_ok(const char *s)
{
	return actor_prefix(s) != NULL;
}

/* A query and the rules its rows must pass once read (the query's unit condition is only a
 * pre-filter: every row is checked with pd_authz again). */
struct plan {
	const struct pd_actor *actor;
	struct pd_audit_view_query q;
	const char *filter_path;  /* the filter unit's path, or NULL */
	bool no_unit;             /* rows without a unit are visible */
};

static int plan_make(struct pd_tx *tx, const struct pd_actor *actor,
                     const struct pd_audit_filter *f, struct plan *p)
{
	memset(p, 0, sizeof *p);
	p->actor = actor;
	struct scope s;
	int rc = scope_of(actor, PD_ACT_AUDIT_READ, &s);
	if (rc)
		return rc;
	if ((f->action && !pd_audit_filter_name_ok(f->action)) ||
	    (f->object_type && !pd_audit_filter_name_ok(f->object_type)) ||
	    (f->actor_kind && !actor_prefix(f->actor_kind)) ||
	    (f->subject_id && (!*f->subject_id || strlen(f->subject_id) > 128)))
		return PD_ERR_INVALID;
	p->q.action = f->action;
	p->q.actor_prefix = actor_prefix(f->actor_kind);
	p->q.object_type = f->object_type;
	p->q.subject_id = f->subject_id;
	p->q.from_ms = f->from_ms;
	p->q.until_ms = f->until_ms;

	const char *prefixes[MAX_SCOPE];
	int n = 0;
	if (f->unit_slug) {
		struct pd_unit u;
		enum pd_qs qs = pd_store_unit_by_slug(tx, f->unit_slug, NULL, &u);
		if (qs < 0)
			return pd_tx_error(tx);
		if (qs == PD_QS_NONE)
			return PD_ERR_NOT_FOUND;
		p->filter_path = u.path;
		struct pd_authz_object o = {NULL, u.path};
		if (pd_authz(actor, PD_ACT_AUDIT_READ, &o) == PD_OK) {
			prefixes[n++] = u.path;
		} else {
			/* A unit above the actor's grants: the parts of it the actor covers. */
			for (int i = 0; i < s.n; i++)
				if (pd_str_starts(s.paths[i], u.path))
					prefixes[n++] = s.paths[i];
			if (n == 0)
				return PD_ERR_NOT_FOUND;
		}
	} else {
		p->no_unit = s.top;
		for (int i = 0; i < s.n; i++)
			prefixes[n++] = s.paths[i];
	}
	p->q.no_unit = p->no_unit;
	if (n > PD_AUDIT_VIEW_PREFIXES) {
		p->q.any_unit = true; /* too many for one statement: rows are filtered below */
	} else {
		for (int i = 0; i < n; i++)
			p->q.unit_prefixes[i] = prefixes[i];
	}
	return PD_OK;
}

static bool visible(const struct plan *p, const struct pd_audit_view_row *r)
{
	if (!r->unit_path)
		return p->no_unit;
	struct pd_authz_object o = {NULL, r->unit_path};
	if (pd_authz(p->actor, PD_ACT_AUDIT_READ, &o) != PD_OK)
		return false;
	return !p->filter_path || pd_str_starts(r->unit_path, p->filter_path);
}

/* --- pages --------------------------------------------------------------------------------- */

static char *dup(struct pd_arena *a, const char *s)
{
	return s ? pd_arena_strdup(a, s) : NULL;
}

static void copy_row(struct pd_arena *a, struct pd_audit_view_row *to,
                     const struct pd_audit_view_row *from)
{
	to->seq = from->seq;
	to->ts_ms = from->ts_ms;
	to->actor = dup(a, from->actor);
	to->action = dup(a, from->action);
	to->object_type = dup(a, from->object_type);
	to->object_id = dup(a, from->object_id);
	to->unit_id = dup(a, from->unit_id);
	to->subject_id = dup(a, from->subject_id);
	to->purpose = dup(a, from->purpose);
	to->details = dup(a, from->details);
	to->unit_slug = dup(a, from->unit_slug);
	to->unit_path = dup(a, from->unit_path);
}

struct list_arg {
	const struct pd_actor *actor;
	const struct pd_audit_filter *f;
	int64_t before_seq;
	int limit;
	struct pd_arena *a;
	struct pd_audit_view_page *out;
};

/* Scans down from hi in windows, keeping visible rows until the page is full and one more
 * visible row shows that older ones follow, the first entry is reached, or the budget is
 * spent. Rows are read into a scratch arena per statement; kept ones are copied to la->a. */
static int list_tx(struct pd_tx *tx, void *arg)
{
	struct list_arg *la = arg;
	struct pd_audit_view_page *out = la->out;
	out->n = 0;
	out->next_before = 0;
	out->partial = false;
	out->newest_seq = 0;
	struct plan p;
	int rc = plan_make(tx, la->actor, la->f, &p);
	if (rc)
		return rc;
	if (pd_store_audit_view_newest(tx, &out->newest_seq) < 0)
		return pd_tx_error(tx);
	int64_t hi = out->newest_seq + 1;
	if (la->before_seq > 0 && la->before_seq < hi)
		hi = la->before_seq;
	int fetch = la->limit + 1;
	bool more = false;
	int64_t scanned = 0;
	while (hi > 1 && !more && scanned < SCAN_BUDGET) {
		struct pd_arena *scratch = pd_arena_new();
		struct pd_audit_view_row *rows = pd_arena_alloc(scratch, (size_t)fetch * sizeof *rows);
		p.q.before_seq = hi;
		p.q.from_seq = p.q.subject_id || hi <= WINDOW ? 1 : hi - WINDOW;
		p.q.max = fetch;
		int got = 0;
		if (pd_store_audit_view(tx, &p.q, scratch, rows, &got) < 0) {
			pd_arena_free(scratch);
			return pd_tx_error(tx);
		}
		for (int i = 0; i < got && !more; i++) {
			if (!visible(&p, &rows[i]))
				continue;
			if (out->n == la->limit)
				more = true;
			else
				copy_row(la->a, &out->rows[out->n++], &rows[i]);
		}
		int64_t next = got < fetch ? p.q.from_seq : rows[got - 1].seq;
		scanned += hi - next;
		hi = next;
		pd_arena_free(scratch);
	}
	if (more)
		out->next_before = out->rows[out->n - 1].seq;
	else if (hi > 1) {
		out->next_before = hi;
		out->partial = true;
	}
	return PD_OK;
}

static int list(struct pd_store *st, const struct pd_actor *actor, const struct pd_audit_filter *f,
                int64_t before_seq, int limit, struct pd_arena *a, struct pd_audit_view_page *out)
{
	memset(out, 0, sizeof *out);
	out->rows = pd_arena_alloc(a, (size_t)limit * sizeof *out->rows);
	struct list_arg la = {actor, f, before_seq, limit, a, out};
	return pd_store_read(st, list_tx, &la);
}

int pd_audit_view_list(struct pd_store *st, const struct pd_actor *actor,
                       const struct pd_audit_filter *f, int64_t before_seq, int limit,
                       struct pd_arena *a, struct pd_audit_view_page *out)
{
	if (limit < 1 || limit > PD_AUDIT_VIEW_PAGE_MAX) {
		memset(out, 0, sizeof *out);
		return PD_ERR_INVALID;
	}
	return list(st, actor, f, before_seq, limit, a, out);
}

int pd_audit_view_each(struct pd_store *st, const struct pd_actor *actor,
                       const struct pd_audit_filter *f,
                       int (*fn)(const struct pd_audit_view_row *row, void *arg), void *arg)
{
	int64_t before = 0;
	int64_t newest = -1;
	for (;;) {
		/* One read transaction per page; rows reach fn only after it ended, so a retried
		 * transaction never hands a row over twice. */
		struct pd_arena *a = pd_arena_new();
		struct pd_audit_view_page page;
		int rc = list(st, actor, f, before, EACH_PAGE, a, &page);
		if (!rc && newest < 0)
			newest = page.newest_seq;
		for (int i = 0; !rc && i < page.n; i++)
			if (page.rows[i].seq <= newest)
				rc = fn(&page.rows[i], arg);
		int64_t next = page.next_before;
		pd_arena_free(a);
		if (rc)
			return rc;
		if (next <= 1)
			return PD_OK;
		before = next;
	}
}

/* --- the chain ------------------------------------------------------------------------------ */

/* This installation's audit key (read, never created); false when there is none. */
static bool load_key(const struct pd_config *cfg, struct pd_audit_key *key)
{
	char path[4096], err[512];
	if (!cfg || pd_audit_key_path(cfg, path, sizeof path))
		return false;
	int rc = pd_audit_key_load(path, false, key, err, sizeof err);
	if (rc && rc != PD_ERR_NOT_FOUND) {
		char safe[512];
		pd_log_sanitize(err, safe, sizeof safe);
		pd_log(PD_LOG_ERROR, "audit_key_unreadable", "msg=\"%s\"", safe);
	}
	return rc == PD_OK;
}

struct cp_copy {
	int64_t ts_ms;
	unsigned char hash[PD_AUDIT_HASH_LEN], sig[PD_AUDIT_SIG_LEN];
	bool hash_ok, sig_ok;
	char key_id[17];
};

static int copy_cp(const struct pd_audit_cp_row *c, void *p)
{
	struct cp_copy *cc = p;
	cc->ts_ms = c->ts_ms;
	cc->hash_ok = c->hash_len == PD_AUDIT_HASH_LEN;
	if (cc->hash_ok)
		memcpy(cc->hash, c->hash, PD_AUDIT_HASH_LEN);
	cc->sig_ok = c->signature_len == PD_AUDIT_SIG_LEN;
	if (cc->sig_ok)
		memcpy(cc->sig, c->signature, PD_AUDIT_SIG_LEN);
	size_t n = c->key_id.p && c->key_id.n < sizeof cc->key_id ? c->key_id.n : 0;
	memcpy(cc->key_id, n ? c->key_id.p : "", n);
	cc->key_id[n] = '\0';
	return 0;
}

struct status_arg {
	struct pd_audit_status *out;
	const struct pd_audit_key *key;  /* NULL: signatures not checked */
};

static void status_bad(struct pd_audit_status *out, int64_t seq, const char *what)
{
	out->sound = false;
	out->bad_seq = seq;
	snprintf(out->what, sizeof out->what, "%s", what);
}

/* The newest checkpoint against the chain, then the entries after it (DESIGN §4: a checkpoint
 * held elsewhere vouches for everything up to it; the tail is what remains to check). */
static int status_tx(struct pd_tx *tx, void *p)
{
	struct status_arg *sa = p;
	struct pd_audit_status *out = sa->out;
	memset(out, 0, sizeof *out);
	out->sound = true;
	if (pd_store_audit_view_newest(tx, &out->last_seq) < 0 ||
	    pd_store_audit_cp_last(tx, &out->cp_seq) < 0)
		return pd_tx_error(tx);
	struct pd_audit_walk w;
	pd_audit_walk_init(&w, out->cp_seq + 1);
	if (out->cp_seq > 0) {
		struct cp_copy cc;
		memset(&cc, 0, sizeof cc);
		size_t len = 0;
		if (pd_store_audit_cp_at(tx, out->cp_seq, copy_cp, &cc) < 0)
			return pd_tx_error(tx);
		enum pd_qs qs = pd_store_audit_hash_at(tx, out->cp_seq, w.prev, &len);
		if (qs < 0)
			return pd_tx_error(tx);
		out->cp_ts_ms = cc.ts_ms;
		memcpy(out->cp_key_id, cc.key_id, sizeof out->cp_key_id);
		out->cp_matches = qs == PD_QS_ONE && len == PD_AUDIT_HASH_LEN && cc.hash_ok &&
		                  sodium_memcmp(cc.hash, w.prev, PD_AUDIT_HASH_LEN) == 0;
		if (sa->key && strcmp(cc.key_id, sa->key->key_id) == 0) {
			unsigned char msg[PD_AUDIT_CP_MSG_LEN];
			pd_audit_cp_message(out->cp_seq, cc.hash, cc.ts_ms, msg);
			bool ok = cc.hash_ok && cc.sig_ok &&
			          crypto_sign_verify_detached(cc.sig, msg, sizeof msg, sa->key->pk) == 0;
			out->cp_signature = ok ? 1 : -1;
		}
		if (!out->cp_matches) {
			status_bad(out, out->cp_seq, qs == PD_QS_NONE
			                                 ? "the entry of the newest checkpoint is missing"
			                                 : "the entry does not match its checkpoint");
			return PD_OK;
		}
		if (out->cp_signature < 0) {
			status_bad(out, out->cp_seq, "the newest checkpoint's signature is not valid");
			return PD_OK;
		}
	}
	if (out->last_seq - out->cp_seq > PD_AUDIT_VIEW_TAIL_MAX)
		return PD_OK; /* too long to walk on a page view: the full check does it */
	int rc = pd_audit_walk_run(tx, &w, out->cp_seq > 0 ? &out->cp_seq : NULL);
	if (rc)
		return rc;
	out->tail_checked = true;
	out->n_tail = w.n;
	if (w.bad)
		status_bad(out, w.bad_seq, w.what);
	return PD_OK;
}

int pd_audit_view_status(struct pd_store *st, const struct pd_config *cfg,
                         const struct pd_actor *actor, struct pd_audit_status *out)
{
	memset(out, 0, sizeof *out);
	struct scope s;
	int rc = scope_of(actor, PD_ACT_AUDIT_READ, &s);
	if (rc)
		return rc;
	struct pd_audit_key key;
	bool have = load_key(cfg, &key);
	struct status_arg sa = {out, have ? &key : NULL};
	rc = pd_store_read(st, status_tx, &sa);
	if (have)
		pd_audit_key_wipe(&key);
	return rc;
}

int pd_audit_view_check(struct pd_store *st, const struct pd_config *cfg,
                        const struct pd_actor *actor, struct pd_audit_report *report)
{
	memset(report, 0, sizeof *report);
	struct scope s;
	int rc = scope_of(actor, PD_ACT_AUDIT_EXPORT, &s);
	if (rc)
		return rc;
	/* One full walk of the log at a time in this process: each may take a worker for long. */
	static atomic_flag running = ATOMIC_FLAG_INIT;
	if (atomic_flag_test_and_set(&running))
		return PD_ERR_BUSY;
	struct pd_audit_key key;
	bool have = load_key(cfg, &key);
	rc = pd_audit_verify(st, NULL, have ? &key : NULL, have ? 1 : 0, report);
	if (have)
		pd_audit_key_wipe(&key);
	atomic_flag_clear(&running);
	return rc == PD_ERR_CRYPTO ? PD_OK : rc; /* a broken chain is a verdict, not a failure */
}

int pd_audit_view_check_record(struct pd_tx *tx, const struct pd_actor *actor,
                               const struct pd_audit_report *report, int64_t *seq)
{
	*seq = 0;
	struct scope s;
	int rc = scope_of(actor, PD_ACT_AUDIT_EXPORT, &s);
	if (rc)
		return rc;
	json_t *d = json_pack("{s:b,s:I,s:I,s:I}", "sound", report->sound, "entries",
	                      (json_int_t)report->n_entries, "checkpoints",
	                      (json_int_t)report->n_checkpoints, "last_checkpoint",
	                      (json_int_t)report->last_checkpoint);
	if (d && !report->sound) {
		json_object_set_new(d, "bad_seq", json_integer(report->bad_seq));
		json_object_set_new(d, "reason", json_string(report->what));
	}
	char *details = d ? json_dumps(d, JSON_COMPACT) : NULL;
	json_decref(d);
	if (!details)
		return PD_ERR_NOMEM;
	struct pd_audit_event ev = {
		.actor = pd_arena_printf(pd_tx_arena(tx), "account:%s", actor->account_id),
		.action = PD_AUDIT_ACTION_VERIFY,
		.object_type = "audit_log",
		.details = details,
	};
	rc = pd_audit_append(tx, &ev);
	free(details);
	if (rc)
		return rc;
	unsigned char h[PD_AUDIT_HASH_LEN];
	if (pd_store_audit_last(tx, seq, h) != PD_QS_ONE)
		return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
	return PD_OK;
}

struct load_arg {
	int64_t seq;
	struct pd_arena *a;
	struct pd_audit_view_row row;
};

static int load_tx(struct pd_tx *tx, void *p)
{
	struct load_arg *la = p;
	struct pd_audit_view_query q = {
		.before_seq = la->seq + 1,
		.from_seq = la->seq,
		.action = PD_AUDIT_ACTION_VERIFY,
		.no_unit = true,
		.any_unit = true,
		.max = 1,
	};
	int n = 0;
	enum pd_qs qs = pd_store_audit_view(tx, &q, la->a, &la->row, &n);
	if (qs < 0)
		return pd_tx_error(tx);
	return n == 1 ? PD_OK : PD_ERR_NOT_FOUND;
}

static int64_t int_field(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

int pd_audit_view_check_load(struct pd_store *st, const struct pd_actor *actor, int64_t seq,
                             struct pd_arena *a, struct pd_audit_check_result *out)
{
	memset(out, 0, sizeof *out);
	struct scope s;
	int rc = scope_of(actor, PD_ACT_AUDIT_READ, &s);
	if (rc)
		return rc;
	if (seq < 1 || seq == INT64_MAX)
		return PD_ERR_NOT_FOUND;
	struct load_arg la = {.seq = seq, .a = a};
	rc = pd_store_read(st, load_tx, &la);
	if (rc)
		return rc;
	json_error_t jerr;
	json_t *d = json_loads(la.row.details ? la.row.details : "", 0, &jerr);
	if (!json_is_object(d)) {
		json_decref(d);
		return PD_ERR_NOT_FOUND;
	}
	out->seq = la.row.seq;
	out->ts_ms = la.row.ts_ms;
	out->actor = la.row.actor;
	out->sound = json_is_true(json_object_get(d, "sound"));
	out->n_entries = int_field(d, "entries");
	out->n_checkpoints = int_field(d, "checkpoints");
	out->last_checkpoint = int_field(d, "last_checkpoint");
	out->bad_seq = int_field(d, "bad_seq");
	const char *reason = json_string_value(json_object_get(d, "reason"));
	out->reason = pd_arena_strdup(a, reason ? reason : "");
	json_decref(d);
	return PD_OK;
}
