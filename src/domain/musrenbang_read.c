/* Musrenbang reads: one round with its proposals (and the actor's ballot and rights), pages of
 * rounds, what is open now, one proposal with its trace and progress, photos. */
#include "domain/musrenbang.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/uuid.h"

static int db_error(struct pd_tx *tx)
{
	return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
}

bool pd_mus_staff_may(const struct pd_actor *actor, enum pd_action action, const char *path)
{
	if (!actor || actor->kind != PD_ACCOUNT_STAFF)
		return false;
	struct pd_authz_object o = {NULL, path};
	return pd_authz(actor, action, &o) == PD_OK;
}

struct round_job {
	const struct pd_actor *actor;
	const char *id;
	int64_t now;
	struct pd_arena *a;
	struct pd_mus_round_view *v;
};

static int cmp_rank(const void *pa, const void *pb)
{
	const struct pd_mus_proposal_row *a = pa, *b = pb;
	int64_t ra = a->rank ? a->rank : INT64_MAX, rb = b->rank ? b->rank : INT64_MAX;
	if (ra != rb)
		return ra < rb ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int round_tx(struct pd_tx *tx, void *p)
{
	struct round_job *j = p;
	struct pd_mus_round_view *v = j->v;
	memset(v, 0, sizeof *v);
	if (!j->id || !pd_uuid_valid(j->id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_mus_round_by_id(tx, j->id, j->a, &v->round);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	v->phase = pd_mus_phase_parse(v->round.phase);
	v->proposals = pd_arena_alloc(j->a, PD_MUS_PROPOSALS_MAX * sizeof *v->proposals);
	if (pd_store_mus_proposal_list(tx, v->round.id, j->a, v->proposals, PD_MUS_PROPOSALS_MAX,
	                               &v->n_proposals) < 0)
		return db_error(tx);
	if (v->phase >= PD_MUS_RANKING && v->n_proposals > 1)
		qsort(v->proposals, (size_t)v->n_proposals, sizeof *v->proposals, cmp_rank);
	if (pd_store_mus_ballot_count(tx, v->round.id, &v->n_ballots) < 0)
		return db_error(tx);
	if (j->actor && j->actor->account_id && j->actor->kind == PD_ACCOUNT_CITIZEN) {
		v->chosen = pd_arena_alloc(j->a, PD_MUS_PROPOSALS_MAX * sizeof *v->chosen);
		if (pd_store_mus_ballot_items_of(tx, v->round.id, j->actor->account_id, j->a, v->chosen,
		                                 PD_MUS_PROPOSALS_MAX, &v->n_chosen) < 0)
			return db_error(tx);
	}
	if (strcmp(v->round.level, "village") != 0) {
		v->children = pd_arena_alloc(j->a, PD_MUS_PAGE_MAX * sizeof *v->children);
		if (pd_store_mus_round_children(tx, v->round.unit_id, v->round.year, j->a, v->children,
		                                PD_MUS_PAGE_MAX, &v->n_children) < 0)
			return db_error(tx);
	}
	v->may_configure = pd_mus_staff_may(j->actor, PD_ACT_CONFIGURE, v->round.unit_path);
	v->may_work = pd_mus_staff_may(j->actor, PD_ACT_CASE_WORK, v->round.unit_path);
	v->proposals_open = v->phase == PD_MUS_PROPOSALS && strcmp(v->round.level, "village") == 0 &&
	                    j->now <= v->round.proposals_until;
	v->voting_open = v->phase == PD_MUS_VOTING && j->now <= v->round.voting_until;
	return PD_OK;
}

int pd_mus_round_get(struct pd_store *st, const struct pd_actor *actor, const char *id,
                     int64_t now_ms, struct pd_arena *a, struct pd_mus_round_view *out)
{
	struct round_job j = {actor, id, now_ms ? now_ms : pd_clock_now_ms(), a, out};
	return pd_store_read(st, round_tx, &j);
}

struct list_job {
	const char *before;
	int limit;
	struct pd_arena *a;
	struct pd_mus_round_row *out;
	int *n;
	bool open;
};

static int list_tx(struct pd_tx *tx, void *p)
{
	struct list_job *j = p;
	enum pd_qs qs = j->open ? pd_store_mus_round_open(tx, j->a, j->out, j->limit, j->n)
	                        : pd_store_mus_round_list(tx, j->before, j->a, j->out, j->limit, j->n);
	return qs < 0 ? db_error(tx) : PD_OK;
}

int pd_mus_round_list(struct pd_store *st, const char *before, int limit, struct pd_arena *a,
                      struct pd_mus_round_row *out, int *n, const char **next)
{
	*next = NULL;
	*n = 0;
	if (limit < 1 || limit > PD_MUS_PAGE_MAX || (before && !pd_uuid_valid(before)))
		return PD_ERR_INVALID;
	/* One more row than asked says whether a next page exists. */
	struct pd_mus_round_row *rows = pd_arena_alloc(a, (size_t)(limit + 1) * sizeof *rows);
	int got = 0;
	struct list_job j = {before, limit + 1, a, rows, &got, false};
	int rc = pd_store_read(st, list_tx, &j);
	if (rc)
		return rc;
	if (got > limit) {
		got = limit;
		*next = rows[limit - 1].id;
	}
	memcpy(out, rows, (size_t)got * sizeof *rows);
	*n = got;
	return PD_OK;
}

int pd_mus_open_now(struct pd_store *st, struct pd_arena *a, struct pd_mus_round_row *out,
                    int max, int *n)
{
	struct list_job j = {NULL, max, a, out, n, true};
	*n = 0;
	return pd_store_read(st, list_tx, &j);
}

struct prop_job {
	const struct pd_actor *actor;
	const char *id;
	struct pd_arena *a;
	struct pd_mus_proposal_view *v;
};

static int step_of(struct pd_tx *tx, const char *id, struct pd_arena *a, struct pd_mus_trace_step *s)
{
	enum pd_qs qs = pd_store_mus_proposal_by_id(tx, id, a, &s->p);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	qs = pd_store_mus_round_by_id(tx, s->p.round_id, a, &s->round);
	return qs < 0 ? db_error(tx) : qs == PD_QS_NONE ? PD_ERR_NOT_FOUND : PD_OK;
}

static int prop_tx(struct pd_tx *tx, void *p)
{
	struct prop_job *j = p;
	struct pd_mus_proposal_view *v = j->v;
	memset(v, 0, sizeof *v);
	if (!j->id || !pd_uuid_valid(j->id))
		return PD_ERR_NOT_FOUND;
	int rc = step_of(tx, j->id, j->a, &v->origin[0]);
	if (rc)
		return rc;
	v->n_origin = 1;
	/* Down to the village proposal it came from (a regency item: district, then village). */
	while (v->n_origin < 3 && v->origin[v->n_origin - 1].p.origin_proposal_id) {
		if ((rc = step_of(tx, v->origin[v->n_origin - 1].p.origin_proposal_id, j->a,
		                  &v->origin[v->n_origin])))
			return rc;
		v->n_origin++;
	}
	/* Up to where it was carried. */
	const char *from = j->id;
	while (v->n_up < 2) {
		const char *to = NULL;
		enum pd_qs qs = pd_store_mus_handover_to(tx, from, j->a, &to);
		if (qs < 0)
			return db_error(tx);
		if (qs == PD_QS_NONE)
			break;
		if ((rc = step_of(tx, to, j->a, &v->up[v->n_up])))
			return rc;
		from = v->up[v->n_up++].p.id;
	}
	v->progress = pd_arena_alloc(j->a, PD_MUS_PROGRESS_MAX * sizeof *v->progress);
	if (pd_store_mus_progress_list(tx, j->id, j->a, v->progress, PD_MUS_PROGRESS_MAX,
	                               &v->n_progress) < 0)
		return db_error(tx);
	v->may_work = pd_mus_staff_may(j->actor, PD_ACT_CASE_WORK, v->origin[0].round.unit_path);
	return PD_OK;
}

int pd_mus_proposal_get(struct pd_store *st, const struct pd_actor *actor, const char *id,
                        struct pd_arena *a, struct pd_mus_proposal_view *out)
{
	struct prop_job j = {actor, id, a, out};
	return pd_store_read(st, prop_tx, &j);
}

struct photo_job {
	const char *id;
	int64_t n;
	struct pd_arena *a;
	const char **mime;
	struct pd_blob *data;
};

static int photo_tx(struct pd_tx *tx, void *p)
{
	struct photo_job *j = p;
	enum pd_qs qs = pd_store_mus_photo_get(tx, j->id, j->n, j->a, j->mime, j->data);
	return qs < 0 ? db_error(tx) : qs == PD_QS_NONE ? PD_ERR_NOT_FOUND : PD_OK;
}

int pd_mus_photo(struct pd_store *st, const char *proposal_id, int64_t n, struct pd_arena *a,
                 const char **mime, struct pd_blob *data)
{
	if (!proposal_id || !pd_uuid_valid(proposal_id) || n < 1 || n > 20)
		return PD_ERR_NOT_FOUND;
	struct photo_job j = {proposal_id, n, a, mime, data};
	return pd_store_read(st, photo_tx, &j);
}
