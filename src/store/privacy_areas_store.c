/* Statements and row mapping for the data export's participation reads (see
 * privacy_areas_store.h). */
#include "store/privacy_areas_store.h"

#include <string.h>

static const struct pd_sql SQL_SIGNATURES = {
	"prv_signatures",
	"SELECT s.petition_id, p.title, p.status, s.signed_ms, "
	"CASE WHEN s.public_name IS NULL THEN 0 ELSE 1 END, s.nik_verified "
	"FROM petition_signature s JOIN petition p ON p.id = s.petition_id "
	"WHERE s.account_id = $1 ORDER BY s.signed_ms DESC, s.petition_id LIMIT $2",
	NULL};
static const struct pd_sql SQL_COMMENTS = {
	"prv_comments",
	"SELECT c.id, k.slug, k.title, c.section, s.title, c.parent_id, c.stance, c.body, c.state, "
	"c.mod_reason, c.author_name, c.version, c.created_ms "
	"FROM consult_comment c JOIN consultation k ON k.id = c.consultation_id "
	"LEFT JOIN consult_section s ON s.consultation_id = c.consultation_id "
	"AND s.version = c.version AND s.anchor = c.section "
	"WHERE c.account_id = $1 ORDER BY c.created_ms DESC, c.id DESC LIMIT $2",
	NULL};
static const struct pd_sql SQL_PROPOSALS = {
	"prv_proposals",
	"SELECT p.id, p.round_id, r.title, u.name, p.title, p.location, p.beneficiaries, p.status, "
	"p.verify_reason, p.progress_status, r.year, p.est_cost, p.votes, p.rank, p.progress_pct, "
	"p.created_ms, p.funded "
	"FROM musrenbang_proposal p JOIN musrenbang_round r ON r.id = p.round_id "
	"JOIN unit u ON u.id = r.unit_id "
	"WHERE p.proposer_account_id = $1 ORDER BY p.created_ms DESC, p.id DESC LIMIT $2",
	NULL};
static const struct pd_sql SQL_BALLOTS = {
	"prv_ballots",
	"SELECT b.id, b.round_id, r.title, u.name, r.year, b.cast_ms, b.updated_ms "
	"FROM musrenbang_ballot b JOIN musrenbang_round r ON r.id = b.round_id "
	"JOIN unit u ON u.id = r.unit_id "
	"WHERE b.account_id = $1 ORDER BY b.cast_ms DESC, b.id DESC LIMIT $2",
	NULL};
static const struct pd_sql SQL_BALLOT_ITEMS = {
	"prv_ballot_items",
	"SELECT p.id, p.title FROM musrenbang_ballot_item i "
	"JOIN musrenbang_proposal p ON p.id = i.proposal_id "
	"WHERE i.ballot_id = $1 ORDER BY p.id LIMIT $2",
	NULL};

#define ARENA(a) ((a) ? (a) : pd_tx_arena(tx))

static const char *col_text(struct pd_q *q, int i, struct pd_arena *a)
{
	return pd_q_isnull(q, i) ? NULL : pd_q_col_dup(q, i, a);
}

static int64_t col_int(struct pd_q *q, int i)
{
	return pd_q_isnull(q, i) ? 0 : pd_q_col_int(q, i);
}

static enum pd_qs rows_qs(struct pd_tx *tx, int n)
{
	if (pd_tx_error(tx))
		return PD_QS_HARD;
	return n == 0 ? PD_QS_NONE : n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

enum pd_qs pd_store_prv_signatures(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                                   struct pd_prv_signature_row *out, int max, int *n)
{
	a = ARENA(a);
	struct pd_q *q = pd_q_open(tx, &SQL_SIGNATURES);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_prv_signature_row *s = &out[(*n)++];
		memset(s, 0, sizeof *s);
		s->petition_id = col_text(q, 0, a);
		s->petition_title = col_text(q, 1, a);
		s->petition_status = col_text(q, 2, a);
		s->signed_ms = col_int(q, 3);
		s->name_shown = col_int(q, 4) != 0;
		s->nik_verified = col_int(q, 5) != 0;
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_prv_comments(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                                 struct pd_prv_comment_row *out, int max, int *n)
{
	a = ARENA(a);
	struct pd_q *q = pd_q_open(tx, &SQL_COMMENTS);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_prv_comment_row *c = &out[(*n)++];
		c->id = col_text(q, 0, a);
		c->consultation_slug = col_text(q, 1, a);
		c->consultation_title = col_text(q, 2, a);
		c->section = col_text(q, 3, a);
		c->section_title = col_text(q, 4, a);
		c->parent_id = col_text(q, 5, a);
		c->stance = col_text(q, 6, a);
		c->body = col_text(q, 7, a);
		c->state = col_text(q, 8, a);
		c->mod_reason = col_text(q, 9, a);
		c->author_name = col_text(q, 10, a);
		c->version = col_int(q, 11);
		c->created_ms = col_int(q, 12);
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_prv_proposals(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                                  struct pd_prv_proposal_row *out, int max, int *n)
{
	a = ARENA(a);
	struct pd_q *q = pd_q_open(tx, &SQL_PROPOSALS);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_prv_proposal_row *p = &out[(*n)++];
		p->id = col_text(q, 0, a);
		p->round_id = col_text(q, 1, a);
		p->round_title = col_text(q, 2, a);
		p->round_unit = col_text(q, 3, a);
		p->title = col_text(q, 4, a);
		p->location = col_text(q, 5, a);
		p->beneficiaries = col_text(q, 6, a);
		p->status = col_text(q, 7, a);
		p->verify_reason = col_text(q, 8, a);
		p->progress_status = col_text(q, 9, a);
		p->round_year = col_int(q, 10);
		p->est_cost = col_int(q, 11);
		p->votes = col_int(q, 12);
		p->rank = col_int(q, 13);
		p->progress_pct = col_int(q, 14);
		p->created_ms = col_int(q, 15);
		p->funded = col_int(q, 16) != 0;
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_prv_ballots(struct pd_tx *tx, const char *account_id, struct pd_arena *a,
                                struct pd_prv_ballot_row *out, int max, int *n)
{
	a = ARENA(a);
	struct pd_q *q = pd_q_open(tx, &SQL_BALLOTS);
	pd_q_text(q, 1, account_id);
	pd_q_int(q, 2, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_prv_ballot_row *b = &out[(*n)++];
		memset(b, 0, sizeof *b);
		b->id = col_text(q, 0, a);
		b->round_id = col_text(q, 1, a);
		b->round_title = col_text(q, 2, a);
		b->round_unit = col_text(q, 3, a);
		b->round_year = col_int(q, 4);
		b->cast_ms = col_int(q, 5);
		b->updated_ms = col_int(q, 6);
	}
	pd_q_close(q);
	return rows_qs(tx, *n);
}

enum pd_qs pd_store_prv_ballot_items(struct pd_tx *tx, struct pd_arena *a,
                                     struct pd_prv_ballot_row *b, int max)
{
	a = ARENA(a);
	b->item_ids = pd_arena_alloc(a, (size_t)(max > 0 ? max : 1) * sizeof *b->item_ids);
	b->item_titles = pd_arena_alloc(a, (size_t)(max > 0 ? max : 1) * sizeof *b->item_titles);
	b->n_items = 0;
	struct pd_q *q = pd_q_open(tx, &SQL_BALLOT_ITEMS);
	pd_q_text(q, 1, b->id);
	pd_q_int(q, 2, max);
	while (b->n_items < max && pd_q_step(q) == 1) {
		b->item_ids[b->n_items] = col_text(q, 0, a);
		b->item_titles[b->n_items] = col_text(q, 1, a);
		b->n_items++;
	}
	pd_q_close(q);
	return rows_qs(tx, b->n_items);
}
