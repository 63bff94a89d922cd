/* Collects the citizen's own complaints, information requests, petitions, signatures,
 * consultation comments and Musrenbang proposals and ballots for the data export. */
#include "domain/privacy_areas.h"

#include <string.h>

#include "core/err.h"

#define PAGE 50

static int own_view(const struct pd_actor *actor)
{
	struct pd_authz_object own = {actor ? actor->account_id : NULL, NULL};
	return pd_authz(actor, PD_ACT_OWN_VIEW, &own);
}

/* Complaints: the own list gives the tracking numbers, the own view the full record (the sealed
 * title, text and contact opened; the timeline names units, never staff). */
static int export_complaints(struct pd_store *st, const struct pd_keyset *ks,
                             const struct pd_actor *actor, struct pd_arena *a,
                             struct pd_privacy_areas *out)
{
	struct pd_complaint *page = pd_arena_alloc(a, PAGE * sizeof *page);
	out->complaints = pd_arena_alloc(a, PD_PRIVACY_AREA_MAX * sizeof *out->complaints);
	int64_t after_ms = 0;
	const char *after_id = NULL;
	for (;;) {
		int n = 0;
		int rc = pd_complaint_list_mine(st, ks, actor, after_ms, after_id, a, page, PAGE, &n);
		if (rc)
			return rc;
		for (int i = 0; i < n; i++) {
			if (out->n_complaints == PD_PRIVACY_AREA_MAX) {
				out->truncated = true;
				return PD_OK;
			}
			rc = pd_complaint_get_own(st, ks, actor, page[i].tracking, NULL, a,
			                          &out->complaints[out->n_complaints]);
			if (rc == PD_ERR_NOT_FOUND)
				continue;
			if (rc)
				return rc;
			out->n_complaints++;
		}
		if (n < PAGE)
			return PD_OK;
		after_ms = page[n - 1].created_ms;
		after_id = page[n - 1].id;
	}
}

/* Information requests: the own list, then each as its requester sees it (details, purpose,
 * the objection opened, the timeline's public notes, the files' names). */
static int export_inforeqs(struct pd_store *st, const struct pd_keyset *ks,
                           const struct pd_calendar *cal, const struct pd_actor *actor,
                           struct pd_arena *a, struct pd_privacy_areas *out)
{
	struct pd_inforeq *page = pd_arena_alloc(a, PAGE * sizeof *page);
	out->inforeqs = pd_arena_alloc(a, PD_PRIVACY_AREA_MAX * sizeof *out->inforeqs);
	const char *after = NULL;
	do {
		int n = 0;
		const char *next = NULL;
		int rc = pd_inforeq_list_own(st, ks, actor, after, PAGE, a, page, &n, &next);
		if (rc)
			return rc;
		for (int i = 0; i < n; i++) {
			if (out->n_inforeqs == PD_PRIVACY_AREA_MAX) {
				out->truncated = true;
				return PD_OK;
			}
			rc = pd_inforeq_get_own(st, ks, actor, cal, page[i].tracking, a,
			                        &out->inforeqs[out->n_inforeqs]);
			if (rc == PD_ERR_NOT_FOUND)
				continue;
			if (rc)
				return rc;
			out->n_inforeqs++;
		}
		after = next;
	} while (after);
	return PD_OK;
}

/* Petitions the account started, each opened as its author sees it (the draft while
 * pending or refused). */
static int export_petitions(struct pd_store *st, const struct pd_keyset *ks,
                            const struct pd_actor *actor, struct pd_arena *a,
                            struct pd_privacy_areas *out)
{
	struct pd_petition *mine = pd_arena_alloc(a, PD_PETITION_PAGE_MAX * sizeof *mine);
	int n = 0;
	int rc = pd_petition_mine(st, actor, a, mine, PD_PETITION_PAGE_MAX, &n);
	if (rc)
		return rc;
	if (n == PD_PETITION_PAGE_MAX)
		out->truncated = true;
	out->petitions = pd_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *out->petitions);
	for (int i = 0; i < n; i++) {
		rc = pd_petition_get(st, ks, actor, mine[i].id, a, &out->petitions[out->n_petitions]);
		if (rc == PD_ERR_NOT_FOUND)
			continue;
		if (rc)
			return rc;
		struct pd_petition *p = &out->petitions[out->n_petitions++];
		p->signers = NULL; /* other people's names: not the account's data */
		p->n_signers = 0;
	}
	return PD_OK;
}

struct rows_arg {
	const char *id;
	struct pd_arena *a;
	struct pd_privacy_areas *out;
};

static int rows_tx(struct pd_tx *tx, void *p)
{
	struct rows_arg *ra = p;
	struct pd_privacy_areas *o = ra->out;
	struct pd_arena *a = ra->a;
	const int max = PD_PRIVACY_AREA_MAX;
	o->signatures = pd_arena_alloc(a, (size_t)max * sizeof *o->signatures);
	o->comments = pd_arena_alloc(a, (size_t)max * sizeof *o->comments);
	o->proposals = pd_arena_alloc(a, (size_t)max * sizeof *o->proposals);
	o->ballots = pd_arena_alloc(a, (size_t)max * sizeof *o->ballots);
	if (pd_store_prv_signatures(tx, ra->id, a, o->signatures, max, &o->n_signatures) < 0 ||
	    pd_store_prv_comments(tx, ra->id, a, o->comments, max, &o->n_comments) < 0 ||
	    pd_store_prv_proposals(tx, ra->id, a, o->proposals, max, &o->n_proposals) < 0 ||
	    pd_store_prv_ballots(tx, ra->id, a, o->ballots, max, &o->n_ballots) < 0)
		return pd_tx_error(tx);
	for (int i = 0; i < o->n_ballots; i++)
		if (pd_store_prv_ballot_items(tx, a, &o->ballots[i], PD_PRIVACY_BALLOT_ITEMS_MAX) < 0)
			return pd_tx_error(tx);
	if (o->n_signatures == max || o->n_comments == max || o->n_proposals == max ||
	    o->n_ballots == max)
		o->truncated = true;
	return PD_OK;
}

int pd_privacy_export_areas(struct pd_store *st, const struct pd_keyset *ks,
                            const struct pd_calendar *cal, const struct pd_actor *actor,
                            struct pd_arena *a, struct pd_privacy_areas *out)
{
	memset(out, 0, sizeof *out);
	int rc = own_view(actor);
	if (rc)
		return rc;
	rc = export_complaints(st, ks, actor, a, out);
	if (!rc)
		rc = export_inforeqs(st, ks, cal, actor, a, out);
	if (!rc)
		rc = export_petitions(st, ks, actor, a, out);
	if (rc)
		return rc;
	struct rows_arg ra = {actor->account_id, a, out};
	return pd_store_read(st, rows_tx, &ra);
}
