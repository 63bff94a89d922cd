/* Reading petitions: one with counts, signers and the actor's options; the public list, what
 * is open now, the back-office queue, the author's own and the per-unit figures. */
#include "domain/petition_internal.h"

#include <sodium.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/uuid.h"
#include "domain/application_internal.h"
#include "domain/audit.h"
#include "store/unit_store.h"

#define QUEUE_GRANTS_MAX 16

static void from_row(const struct pd_pet_row *r, const struct pd_actor *actor, int64_t now,
                     struct pd_petition *out)
{
	memset(out, 0, sizeof *out);
	out->id = r->id;
	out->unit_id = r->unit_id;
	out->unit_slug = r->unit_slug;
	out->unit_name = r->unit_name;
	out->unit_path = r->unit_path;
	if (pd_petition_status_parse(r->status, &out->status))
		out->status = PD_PETITION_PENDING;
	out->title = r->title;
	out->body = r->body;
	out->ask = r->ask;
	out->refusal_reason = r->refusal_reason;
	out->answer = r->answer;
	out->period_days = r->period_days;
	out->created_ms = r->created_ms;
	out->decided_ms = r->decided_ms;
	out->opens_ms = r->opens_ms;
	out->closes_ms = r->closes_ms;
	out->threshold = r->threshold;
	out->answer_days = r->answer_days;
	out->reached_ms = r->reached_ms;
	out->answer_due_ms = r->answer_due_ms;
	out->answered_ms = r->answered_ms;
	out->overdue = r->overdue;
	out->version = r->version;
	out->collecting = out->status == PD_PETITION_OPEN && now < r->closes_ms;
	out->mine = actor && actor->account_id && r->author_account_id &&
	            strcmp(actor->account_id, r->author_account_id) == 0;
	out->may_moderate = out->status == PD_PETITION_PENDING && pd_pet_may(actor, PD_ACT_MODERATE, r);
	out->may_answer = out->status == PD_PETITION_OPEN && !r->answered_ms &&
	                  pd_pet_may_answer(actor, r);
}

static bool is_public(const struct pd_pet_row *r)
{
	return strcmp(r->status, "open") == 0 || strcmp(r->status, "answered") == 0;
}

static int counts(struct pd_tx *tx, struct pd_petition *p)
{
	if (pd_store_pet_counts(tx, p->id, &p->n_verified, &p->n_self_declared) < 0)
		return pd_app_db_error(tx);
	return PD_OK;
}

int pd_petition_get_tx(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                       const char *id, bool record_reads, struct pd_arena *a,
                       struct pd_petition *out)
{
	struct pd_pet_row r;
	int rc = pd_pet_load(tx, id, &r);
	if (rc)
		return rc;
	bool mine = actor && actor->account_id && strcmp(actor->account_id, r.author_account_id) == 0;
	bool staff = pd_pet_may(actor, PD_ACT_MODERATE, &r) || pd_pet_may_answer(actor, &r);
	if (!is_public(&r) && !mine && !staff)
		return PD_ERR_NOT_FOUND;
	int64_t now = pd_clock_now_ms();
	from_row(&r, actor, now, out);
	/* Strings of r live in the transaction's arena: copy what the caller keeps. */
	struct pd_petition *p = out;
	const char **s[] = {&p->id, &p->unit_id, &p->unit_slug, &p->unit_name, &p->unit_path,
	                    &p->title, &p->body, &p->ask, &p->refusal_reason, &p->answer};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		if (*s[i])
			*s[i] = pd_arena_strdup(a, *s[i]);
	if (!is_public(&r) && r.title_ct.p && (mine || (staff && record_reads))) {
		unsigned char key[PD_CRYPTO_KEY_BYTES];
		rc = pd_pet_key(tx, ks, &r, key);
		if (rc == PD_ERR_NOT_FOUND)
			rc = PD_OK; /* the author was erased: the draft is gone with the key */
		else if (!rc) {
			if (!mine)
				rc = pd_audit_record_read(tx, pd_app_audit_actor(pd_tx_arena(tx), actor),
				                          r.author_account_id, "moderasi petisi", "petition",
				                          r.id, r.unit_id);
			if (!rc)
				p->title = pd_app_open(a, key, r.title_ct, "petition", "title_ct", r.id, &rc);
			if (!rc)
				p->body = pd_app_open(a, key, r.body_ct, "petition", "body_ct", r.id, &rc);
			if (!rc)
				p->ask = pd_app_open(a, key, r.ask_ct, "petition", "ask_ct", r.id, &rc);
			sodium_memzero(key, sizeof key);
		}
		if (rc)
			return rc;
	}
	rc = counts(tx, p);
	if (rc)
		return rc;
	if (actor && actor->account_id && !actor->system &&
	    pd_store_pet_signed(tx, p->id, actor->account_id, &p->signed_by_me) < 0)
		return pd_app_db_error(tx);
	if (is_public(&r)) {
		p->signers = pd_arena_alloc(a, PD_PETITION_SIGNERS_MAX * sizeof *p->signers);
		int64_t *times = pd_arena_alloc(a, PD_PETITION_SIGNERS_MAX * sizeof *times);
		if (pd_store_pet_signers(tx, p->id, a, p->signers, times, PD_PETITION_SIGNERS_MAX,
		                         &p->n_signers) < 0)
			return pd_app_db_error(tx);
	}
	return PD_OK;
}

struct get_job {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const char *id;
	struct pd_arena *a;
	struct pd_petition *out;
};

static int get_tx(struct pd_tx *tx, void *p)
{
	struct get_job *j = p;
	return pd_petition_get_tx(tx, j->ks, j->actor, j->id, false, j->a, j->out);
}

int pd_petition_get(struct pd_store *st, const struct pd_keyset *ks, const struct pd_actor *actor,
                    const char *id, struct pd_arena *a, struct pd_petition *out)
{
	struct get_job j = {ks, actor, id, a, out};
	return pd_store_read(st, get_tx, &j);
}

/* --- lists ----------------------------------------------------------------------------- */

struct list_job {
	const struct pd_actor *actor;
	const char *unit_slug, *after, *account_id;
	int limit, max;
	struct pd_arena *a;
	struct pd_petition *out;
	int *n;
	const char **next;
	bool open_now;
};

static int fill(struct pd_tx *tx, struct list_job *j, struct pd_pet_row *rows, int k)
{
	int64_t now = pd_clock_now_ms();
	for (int i = 0; i < k; i++) {
		from_row(&rows[i], j->actor, now, &j->out[*j->n]);
		int rc = counts(tx, &j->out[*j->n]);
		if (rc)
			return rc;
		(*j->n)++;
	}
	return PD_OK;
}

static int list_tx(struct pd_tx *tx, void *p)
{
	struct list_job *j = p;
	*j->n = 0;
	const char *path = NULL;
	if (j->unit_slug) {
		struct pd_unit u;
		enum pd_qs qs = pd_store_unit_by_slug(tx, j->unit_slug, j->a, &u);
		if (qs < 0)
			return pd_app_db_error(tx);
		if (qs == PD_QS_NONE)
			return PD_ERR_NOT_FOUND;
		path = u.path;
	}
	struct pd_pet_row *rows = pd_arena_alloc(j->a, (size_t)(j->limit + 1) * sizeof *rows);
	int k = 0;
	if (pd_store_pet_public(tx, path, j->after, j->a, rows, j->limit + 1, &k) < 0)
		return pd_app_db_error(tx);
	if (k > j->limit) {
		k = j->limit;
		*j->next = rows[k - 1].id;
	}
	return fill(tx, j, rows, k);
}

int pd_petition_list(struct pd_store *st, const char *unit_slug, const char *after, int limit,
                     struct pd_arena *a, struct pd_petition *out, int *n, const char **next)
{
	*n = 0;
	*next = NULL;
	if (limit < 1 || limit > PD_PETITION_PAGE_MAX || (after && !pd_uuid_valid(after)))
		return PD_ERR_INVALID;
	struct list_job j = {NULL, unit_slug && *unit_slug ? unit_slug : NULL, after, NULL, limit,
	                     limit, a, out, n, next, false};
	return pd_store_read(st, list_tx, &j);
}

static int open_tx(struct pd_tx *tx, void *p)
{
	struct list_job *j = p;
	*j->n = 0;
	/* Few petitions collect at once; the newest PD_PETITION_PAGE_MAX public ones are scanned. */
	struct pd_pet_row *rows = pd_arena_alloc(j->a, PD_PETITION_PAGE_MAX * sizeof *rows);
	int k = 0;
	if (pd_store_pet_public(tx, NULL, NULL, j->a, rows, PD_PETITION_PAGE_MAX, &k) < 0)
		return pd_app_db_error(tx);
	int64_t now = pd_clock_now_ms();
	int m = 0;
	for (int i = 0; i < k; i++)
		if (strcmp(rows[i].status, "open") == 0 && now < rows[i].closes_ms)
			rows[m++] = rows[i];
	/* nearest closing first */
	for (int i = 1; i < m; i++)
		for (int x = i; x > 0 && rows[x].closes_ms < rows[x - 1].closes_ms; x--) {
			struct pd_pet_row t = rows[x];
			rows[x] = rows[x - 1];
			rows[x - 1] = t;
		}
	return fill(tx, j, rows, m < j->max ? m : j->max);
}

int pd_petition_open_now(struct pd_store *st, struct pd_arena *a, struct pd_petition *out,
                         int max, int *n)
{
	const char *next = NULL;
	struct list_job j = {NULL, NULL, NULL, NULL, max, max, a, out, n, &next, true};
	return pd_store_read(st, open_tx, &j);
}

static int queue_tx(struct pd_tx *tx, void *p)
{
	struct list_job *j = p;
	*j->n = 0;
	const struct pd_actor *actor = j->actor;
	struct pd_pet_row *rows = pd_arena_alloc(j->a, (size_t)j->max * sizeof *rows);
	for (size_t g = 0; g < actor->n_grants && g < QUEUE_GRANTS_MAX && *j->n < j->max; g++) {
		/* A grant inside an earlier one's subtree adds nothing. */
		bool inner = false;
		for (size_t h = 0; h < g; h++) {
			size_t len = strlen(actor->grants[h].unit_path);
			if (strncmp(actor->grants[g].unit_path, actor->grants[h].unit_path, len) == 0 &&
			    (strlen(actor->grants[g].unit_path) > len || h < g))
				inner = true;
		}
		if (inner)
			continue;
		int k = 0;
		if (pd_store_pet_queue(tx, actor->grants[g].unit_path, j->a, rows, j->max, &k) < 0)
			return pd_app_db_error(tx);
		int64_t now = pd_clock_now_ms();
		for (int i = 0; i < k && *j->n < j->max; i++) {
			bool dup = false;
			for (int x = 0; x < *j->n; x++)
				dup = dup || strcmp(j->out[x].id, rows[i].id) == 0;
			if (dup)
				continue;
			struct pd_petition *q = &j->out[*j->n];
			from_row(&rows[i], actor, now, q);
			if (!q->may_moderate && !q->may_answer)
				continue;
			int rc = counts(tx, q);
			if (rc)
				return rc;
			(*j->n)++;
		}
	}
	return PD_OK;
}

int pd_petition_queue(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                      struct pd_petition *out, int max, int *n)
{
	*n = 0;
	if (!actor || actor->kind != PD_ACCOUNT_STAFF)
		return PD_ERR_NOT_FOUND;
	const char *next = NULL;
	struct list_job j = {actor, NULL, NULL, NULL, max, max, a, out, n, &next, false};
	return pd_store_read(st, queue_tx, &j);
}

static int mine_tx(struct pd_tx *tx, void *p)
{
	struct list_job *j = p;
	*j->n = 0;
	struct pd_pet_row *rows = pd_arena_alloc(j->a, (size_t)j->max * sizeof *rows);
	int k = 0;
	if (pd_store_pet_mine(tx, j->account_id, j->a, rows, j->max, &k) < 0)
		return pd_app_db_error(tx);
	return fill(tx, j, rows, k);
}

int pd_petition_mine(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                     struct pd_petition *out, int max, int *n)
{
	*n = 0;
	if (!actor || !actor->account_id || actor->system)
		return PD_ERR_NOT_FOUND;
	const char *next = NULL;
	struct list_job j = {actor, NULL, NULL, actor->account_id, max, max, a, out, n, &next, false};
	return pd_store_read(st, mine_tx, &j);
}

struct fig_job {
	struct pd_arena *a;
	struct pd_pet_fig_row *out;
	int max, *n;
};

static int fig_tx(struct pd_tx *tx, void *p)
{
	struct fig_job *j = p;
	if (pd_store_pet_figures(tx, j->a, j->out, j->max, j->n) < 0)
		return pd_app_db_error(tx);
	return PD_OK;
}

int pd_petition_figures(struct pd_store *st, struct pd_arena *a, struct pd_pet_fig_row *out,
                        int max, int *n)
{
	*n = 0;
	struct fig_job j = {a, out, max, n};
	return pd_store_read(st, fig_tx, &j);
}
