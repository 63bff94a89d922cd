/* Statements and row mapping for Musrenbang (see musrenbang_store.h). */
#include "store/musrenbang_store.h"

#include <string.h>

#define RCOLS                                                                                    \
	"r.id, r.unit_id, r.unit_path, u.slug, u.name, u.code, u.parent_id, r.level, r.title, "   \
	"r.phase, r.year, r.budget, r.carry_up, r.proposals_until, r.verification_until, "        \
	"r.voting_until, r.ranking_until, r.snapshot_ms, r.created_ms, r.updated_ms, r.version "
#define RFROM "FROM musrenbang_round r JOIN unit u ON u.id = r.unit_id "
#define PCOLS                                                                                    \
	"p.id, p.round_id, p.proposer_account_id, p.title, p.location, p.beneficiaries, p.status, " \
	"p.verify_reason, p.verified_by, p.origin_proposal_id, p.progress_status, p.est_cost, "   \
	"p.checked_cost, p.verified_ms, p.votes, p.rank, p.progress_pct, p.funded, p.created_ms, " \
	"p.updated_ms, (SELECT COUNT(*) FROM musrenbang_photo f WHERE f.proposal_id = p.id) "

static const struct pd_sql SQL_ERASE_PROPOSER = {
	"mus_erase_proposer",
	"UPDATE musrenbang_proposal SET proposer_account_id = NULL WHERE proposer_account_id = $1",
	NULL};
static const struct pd_sql SQL_ERASE_BALLOTS = {
	"mus_erase_ballots",
	"UPDATE musrenbang_ballot SET account_id = NULL WHERE account_id = $1", NULL};
static const struct pd_sql SQL_ERASE_VOTER = {
	"mus_erase_voter", "DELETE FROM musrenbang_voter WHERE account_id = $1", NULL};
static const struct pd_sql SQL_ROUND_INSERT = {
	"mus_round_insert",
	"INSERT INTO musrenbang_round (id, unit_id, unit_path, level, year, title, budget, carry_up, "
	"phase, proposals_until, verification_until, voting_until, ranking_until, created_ms, "
	"updated_ms, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
	"$14, 1)",
	NULL};
static const struct pd_sql SQL_ROUND_BY_ID = {
	"mus_round_by_id", "SELECT " RCOLS RFROM "WHERE r.id = $1", NULL};
static const struct pd_sql SQL_ROUND_LIST = {
	"mus_round_list",
	"SELECT " RCOLS RFROM "WHERE ($1 = '' OR r.id < $1) ORDER BY r.id DESC LIMIT $2", NULL};
static const struct pd_sql SQL_ROUND_OPEN = {
	"mus_round_open",
	"SELECT " RCOLS RFROM "WHERE r.phase IN ('proposals', 'voting') ORDER BY "
	"(CASE r.phase WHEN 'proposals' THEN r.proposals_until ELSE r.voting_until END), r.id "
	"LIMIT $1",
	NULL};
static const struct pd_sql SQL_ROUND_CHILDREN = {
	"mus_round_children",
	"SELECT " RCOLS RFROM "WHERE u.parent_id = $1 AND r.year = $2 ORDER BY u.name, r.id LIMIT $3",
	NULL};
static const struct pd_sql SQL_ROUND_PHASE = {
	"mus_round_phase",
	"UPDATE musrenbang_round SET phase = $3, snapshot_ms = COALESCE($4, snapshot_ms), "
	"updated_ms = $5, version = version + 1 WHERE id = $1 AND version = $2",
	NULL};

static const struct pd_sql SQL_PROP_INSERT = {
	"mus_prop_insert",
	"INSERT INTO musrenbang_proposal (id, round_id, proposer_account_id, title, location, "
	"est_cost, beneficiaries, status, origin_proposal_id, created_ms, updated_ms) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
	NULL};
static const struct pd_sql SQL_PROP_BY_ID = {
	"mus_prop_by_id", "SELECT " PCOLS "FROM musrenbang_proposal p WHERE p.id = $1", NULL};
static const struct pd_sql SQL_PROP_LIST = {
	"mus_prop_list",
	"SELECT " PCOLS "FROM musrenbang_proposal p WHERE p.round_id = $1 ORDER BY p.id LIMIT $2",
	NULL};
static const struct pd_sql SQL_PROP_COUNT_BY = {
	"mus_prop_count_by",
	"SELECT COUNT(*) FROM musrenbang_proposal WHERE round_id = $1 AND proposer_account_id = $2",
	NULL};
static const struct pd_sql SQL_PROP_VERIFY = {
	"mus_prop_verify",
	"UPDATE musrenbang_proposal SET status = $2, verify_reason = $3, checked_cost = $4, "
	"verified_by = $5, verified_ms = $6, updated_ms = $6 WHERE id = $1",
	NULL};
static const struct pd_sql SQL_PROP_RESULT = {
	"mus_prop_result",
	"UPDATE musrenbang_proposal SET votes = $2, rank = $3, funded = $4, "
	"progress_status = $6, updated_ms = $5 "
	"WHERE id = $1",
	NULL};
static const struct pd_sql SQL_PROP_PROGRESS = {
	"mus_prop_progress",
	"UPDATE musrenbang_proposal SET progress_status = $2, progress_pct = $3, updated_ms = $4 "
	"WHERE id = $1",
	NULL};
static const struct pd_sql SQL_VOTE_COUNTS = {
	"mus_vote_counts",
	"SELECT i.proposal_id, COUNT(*) FROM musrenbang_ballot_item i "
	"JOIN musrenbang_ballot b ON b.id = i.ballot_id WHERE b.round_id = $1 "
	"GROUP BY i.proposal_id",
	NULL};

static const struct pd_sql SQL_PHOTO_INSERT = {
	"mus_photo_insert",
	"INSERT INTO musrenbang_photo (id, proposal_id, progress_id, mime, data, created_ms) "
	"VALUES ($1, $2, $3, $4, $5, $6)",
	NULL};
static const struct pd_sql SQL_PHOTO_GET = {
	"mus_photo_get",
	"SELECT mime, data FROM musrenbang_photo WHERE proposal_id = $1 ORDER BY id "
	"LIMIT 1 OFFSET $2",
	NULL};

static const struct pd_sql SQL_SNAPSHOT = {
	"mus_snapshot",
	"INSERT INTO musrenbang_voter (round_id, account_id, home_village_id) "
	"SELECT $1, a.id, a.home_village_id FROM account a JOIN unit u ON u.id = a.home_village_id "
	"WHERE a.kind = 'citizen' AND a.erased_ms IS NULL AND u.path >= $2 AND u.path < $3",
	NULL};
static const struct pd_sql SQL_VOTER = {
	"mus_voter",
	"SELECT home_village_id FROM musrenbang_voter WHERE round_id = $1 AND account_id = $2", NULL};

static const struct pd_sql SQL_BALLOT_BY_NIK = {
	"mus_ballot_by_nik",
	"SELECT id FROM musrenbang_ballot WHERE round_id = $1 AND nik_bidx = $2", NULL};
static const struct pd_sql SQL_BALLOT_INSERT = {
	"mus_ballot_insert",
	"INSERT INTO musrenbang_ballot (id, round_id, account_id, nik_bidx, cast_ms, updated_ms) "
	"VALUES ($1, $2, $3, $4, $5, $5)",
	NULL};
static const struct pd_sql SQL_BALLOT_TOUCH = {
	"mus_ballot_touch",
	"UPDATE musrenbang_ballot SET account_id = $2, updated_ms = $3 WHERE id = $1", NULL};
static const struct pd_sql SQL_BALLOT_CLEAR = {
	"mus_ballot_clear", "DELETE FROM musrenbang_ballot_item WHERE ballot_id = $1", NULL};
static const struct pd_sql SQL_BALLOT_ITEM = {
	"mus_ballot_item",
	"INSERT INTO musrenbang_ballot_item (ballot_id, proposal_id) VALUES ($1, $2)", NULL};
static const struct pd_sql SQL_BALLOT_ITEMS_OF = {
	"mus_ballot_items_of",
	"SELECT i.proposal_id FROM musrenbang_ballot_item i JOIN musrenbang_ballot b "
	"ON b.id = i.ballot_id WHERE b.round_id = $1 AND b.account_id = $2 ORDER BY i.proposal_id "
	"LIMIT $3",
	NULL};
static const struct pd_sql SQL_BALLOT_COUNT = {
	"mus_ballot_count", "SELECT COUNT(*) FROM musrenbang_ballot WHERE round_id = $1", NULL};

static const struct pd_sql SQL_HANDOVER_INSERT = {
	"mus_handover_insert",
	"INSERT INTO musrenbang_handover (id, from_round_id, from_proposal_id, to_round_id, "
	"to_proposal_id, actor_id, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
	NULL};
static const struct pd_sql SQL_HANDOVER_TO = {
	"mus_handover_to",
	"SELECT to_proposal_id FROM musrenbang_handover WHERE from_proposal_id = $1", NULL};

static const struct pd_sql SQL_PROGRESS_INSERT = {
	"mus_progress_insert",
	"INSERT INTO musrenbang_progress (id, proposal_id, status, percent, note, actor_id, at_ms) "
	"VALUES ($1, $2, $3, $4, $5, $6, $7)",
	NULL};
static const struct pd_sql SQL_PROGRESS_LIST = {
	"mus_progress_list",
	"SELECT id, proposal_id, status, note, actor_id, percent, at_ms FROM musrenbang_progress "
	"WHERE proposal_id = $1 ORDER BY at_ms DESC, id DESC LIMIT $2",
	NULL};

static const char *col_text(struct pd_q *q, int i, struct pd_arena *a)
{
	return pd_q_isnull(q, i) ? NULL : pd_q_col_dup(q, i, a);
}

static int64_t col_int(struct pd_q *q, int i)
{
	return pd_q_isnull(q, i) ? 0 : pd_q_col_int(q, i);
}

static enum pd_qs done(struct pd_tx *tx, int rc, int n)
{
	if (rc < 0 || pd_tx_error(tx))
		return PD_QS_HARD;
	return n == 0 ? PD_QS_NONE : n == 1 ? PD_QS_ONE : PD_QS_MANY;
}

static void read_round(struct pd_q *q, struct pd_arena *a, struct pd_mus_round_row *r)
{
	int i = 0;
	memset(r, 0, sizeof *r);
	r->id = col_text(q, i++, a);
	r->unit_id = col_text(q, i++, a);
	r->unit_path = col_text(q, i++, a);
	r->unit_slug = col_text(q, i++, a);
	r->unit_name = col_text(q, i++, a);
	r->unit_code = col_text(q, i++, a);
	r->unit_parent_id = col_text(q, i++, a);
	r->level = col_text(q, i++, a);
	r->title = col_text(q, i++, a);
	r->phase = col_text(q, i++, a);
	r->year = col_int(q, i++);
	r->budget = col_int(q, i++);
	r->carry_up = col_int(q, i++);
	r->proposals_until = col_int(q, i++);
	r->verification_until = col_int(q, i++);
	r->voting_until = col_int(q, i++);
	r->ranking_until = col_int(q, i++);
	r->snapshot_ms = col_int(q, i++);
	r->created_ms = col_int(q, i++);
	r->updated_ms = col_int(q, i++);
	r->version = col_int(q, i++);
}

static void read_prop(struct pd_q *q, struct pd_arena *a, struct pd_mus_proposal_row *p)
{
	int i = 0;
	memset(p, 0, sizeof *p);
	p->id = col_text(q, i++, a);
	p->round_id = col_text(q, i++, a);
	p->proposer_account_id = col_text(q, i++, a);
	p->title = col_text(q, i++, a);
	p->location = col_text(q, i++, a);
	p->beneficiaries = col_text(q, i++, a);
	p->status = col_text(q, i++, a);
	p->verify_reason = col_text(q, i++, a);
	p->verified_by = col_text(q, i++, a);
	p->origin_proposal_id = col_text(q, i++, a);
	p->progress_status = col_text(q, i++, a);
	p->est_cost = col_int(q, i++);
	p->checked_cost = col_int(q, i++);
	p->verified_ms = col_int(q, i++);
	p->votes = col_int(q, i++);
	p->rank = col_int(q, i++);
	p->progress_pct = col_int(q, i++);
	p->funded = col_int(q, i++) != 0;
	p->created_ms = col_int(q, i++);
	p->updated_ms = col_int(q, i++);
	p->n_photos = col_int(q, i++);
}

#define ARENA(a) ((a) ? (a) : pd_tx_arena(tx))

enum pd_qs pd_store_mus_round_insert(struct pd_tx *tx, const struct pd_mus_round_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ROUND_INSERT);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->unit_id);
	pd_q_text(q, 3, r->unit_path);
	pd_q_text(q, 4, r->level);
	pd_q_int(q, 5, r->year);
	pd_q_text(q, 6, r->title);
	pd_q_int(q, 7, r->budget);
	pd_q_int(q, 8, r->carry_up);
	pd_q_text(q, 9, r->phase);
	pd_q_int(q, 10, r->proposals_until);
	pd_q_int(q, 11, r->verification_until);
	pd_q_int(q, 12, r->voting_until);
	pd_q_int(q, 13, r->ranking_until);
	pd_q_int(q, 14, r->created_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_mus_round_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                    struct pd_mus_round_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ROUND_BY_ID);
	pd_q_text(q, 1, id);
	int rc = pd_q_step(q), n = 0;
	if (rc == 1) {
		read_round(q, ARENA(a), out);
		n = 1;
	}
	pd_q_close(q);
	return done(tx, rc, n);
}

static enum pd_qs round_rows(struct pd_tx *tx, struct pd_q *q, struct pd_arena *a,
                             struct pd_mus_round_row *out, int max, int *n)
{
	int rc;
	*n = 0;
	while (*n < max && (rc = pd_q_step(q)) == 1)
		read_round(q, ARENA(a), &out[(*n)++]);
	pd_q_close(q);
	return pd_tx_error(tx) ? PD_QS_HARD : *n == 0 ? PD_QS_NONE : PD_QS_MANY;
}

enum pd_qs pd_store_mus_round_list(struct pd_tx *tx, const char *before_id, struct pd_arena *a,
                                   struct pd_mus_round_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ROUND_LIST);
	pd_q_text(q, 1, before_id ? before_id : "");
	pd_q_int(q, 2, max);
	return round_rows(tx, q, a, out, max, n);
}

enum pd_qs pd_store_mus_round_open(struct pd_tx *tx, struct pd_arena *a,
                                   struct pd_mus_round_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ROUND_OPEN);
	pd_q_int(q, 1, max);
	return round_rows(tx, q, a, out, max, n);
}

enum pd_qs pd_store_mus_round_children(struct pd_tx *tx, const char *parent_unit_id, int64_t year,
                                       struct pd_arena *a, struct pd_mus_round_row *out, int max,
                                       int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ROUND_CHILDREN);
	pd_q_text(q, 1, parent_unit_id);
	pd_q_int(q, 2, year);
	pd_q_int(q, 3, max);
	return round_rows(tx, q, a, out, max, n);
}

enum pd_qs pd_store_mus_round_set_phase(struct pd_tx *tx, const char *id, int64_t version,
                                        const char *phase, int64_t snapshot_ms, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ROUND_PHASE);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, version);
	pd_q_text(q, 3, phase);
	pd_q_int_or_null(q, 4, snapshot_ms);
	pd_q_int(q, 5, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_mus_proposal_insert(struct pd_tx *tx, const struct pd_mus_proposal_row *p)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PROP_INSERT);
	pd_q_text(q, 1, p->id);
	pd_q_text(q, 2, p->round_id);
	pd_q_text(q, 3, p->proposer_account_id);
	pd_q_text(q, 4, p->title);
	pd_q_text(q, 5, p->location);
	pd_q_int(q, 6, p->est_cost);
	pd_q_text(q, 7, p->beneficiaries);
	pd_q_text(q, 8, p->status);
	pd_q_text(q, 9, p->origin_proposal_id);
	pd_q_int(q, 10, p->created_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_mus_proposal_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                       struct pd_mus_proposal_row *out)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PROP_BY_ID);
	pd_q_text(q, 1, id);
	int rc = pd_q_step(q), n = 0;
	if (rc == 1) {
		read_prop(q, ARENA(a), out);
		n = 1;
	}
	pd_q_close(q);
	return done(tx, rc, n);
}

enum pd_qs pd_store_mus_proposal_list(struct pd_tx *tx, const char *round_id, struct pd_arena *a,
                                      struct pd_mus_proposal_row *out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PROP_LIST);
	pd_q_text(q, 1, round_id);
	pd_q_int(q, 2, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1)
		read_prop(q, ARENA(a), &out[(*n)++]);
	pd_q_close(q);
	return pd_tx_error(tx) ? PD_QS_HARD : *n == 0 ? PD_QS_NONE : PD_QS_MANY;
}

static enum pd_qs count2(struct pd_tx *tx, const struct pd_sql *sql, const char *a1,
                         const char *a2, int64_t *out)
{
	struct pd_q *q = pd_q_open(tx, sql);
	pd_q_text(q, 1, a1);
	if (a2)
		pd_q_text(q, 2, a2);
	int rc = pd_q_step(q);
	*out = rc == 1 ? col_int(q, 0) : 0;
	pd_q_close(q);
	return done(tx, rc, 1);
}

enum pd_qs pd_store_mus_proposal_count_by(struct pd_tx *tx, const char *round_id,
                                          const char *account_id, int64_t *out)
{
	return count2(tx, &SQL_PROP_COUNT_BY, round_id, account_id, out);
}

enum pd_qs pd_store_mus_ballot_count(struct pd_tx *tx, const char *round_id, int64_t *out)
{
	return count2(tx, &SQL_BALLOT_COUNT, round_id, NULL, out);
}

enum pd_qs pd_store_mus_proposal_verify(struct pd_tx *tx, const struct pd_mus_proposal_row *p)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PROP_VERIFY);
	pd_q_text(q, 1, p->id);
	pd_q_text(q, 2, p->status);
	pd_q_text(q, 3, p->verify_reason);
	pd_q_int_or_null(q, 4, p->checked_cost);
	pd_q_text(q, 5, p->verified_by);
	pd_q_int(q, 6, p->verified_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_mus_proposal_result(struct pd_tx *tx, const char *id, int64_t votes,
                                        int64_t rank, bool funded, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PROP_RESULT);
	pd_q_text(q, 1, id);
	pd_q_int(q, 2, votes);
	pd_q_int(q, 3, rank);
	pd_q_int(q, 4, funded ? 1 : 0);
	pd_q_int(q, 5, now_ms);
	pd_q_text(q, 6, funded ? "planned" : NULL);  /* a funded item starts as planned */
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_mus_proposal_progress(struct pd_tx *tx, const char *id, const char *status,
                                          int64_t pct, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PROP_PROGRESS);
	pd_q_text(q, 1, id);
	pd_q_text(q, 2, status);
	pd_q_int(q, 3, pct);
	pd_q_int(q, 4, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_mus_vote_counts(struct pd_tx *tx, const char *round_id,
                                    void (*fn)(const char *proposal_id, int64_t n, void *arg),
                                    void *arg)
{
	struct pd_q *q = pd_q_open(tx, &SQL_VOTE_COUNTS);
	pd_q_text(q, 1, round_id);
	int n = 0;
	while (pd_q_step(q) == 1) {
		fn(pd_q_col_text(q, 0), col_int(q, 1), arg);
		n++;
	}
	pd_q_close(q);
	return pd_tx_error(tx) ? PD_QS_HARD : n == 0 ? PD_QS_NONE : PD_QS_MANY;
}

enum pd_qs pd_store_mus_photo_insert(struct pd_tx *tx, const char *id, const char *proposal_id,
                                     const char *progress_id, const char *mime, const void *data,
                                     size_t n, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PHOTO_INSERT);
	pd_q_text(q, 1, id);
	pd_q_text(q, 2, proposal_id);
	pd_q_text(q, 3, progress_id);
	pd_q_text(q, 4, mime);
	pd_q_blob(q, 5, data, n);
	pd_q_int(q, 6, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_mus_photo_get(struct pd_tx *tx, const char *proposal_id, int64_t n,
                                  struct pd_arena *a, const char **mime, struct pd_blob *data)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PHOTO_GET);
	pd_q_text(q, 1, proposal_id);
	pd_q_int(q, 2, n - 1);
	int rc = pd_q_step(q), got = 0;
	if (rc == 1) {
		*mime = col_text(q, 0, ARENA(a));
		*data = pd_q_col_blob_dup(q, 1, ARENA(a));
		got = 1;
	}
	pd_q_close(q);
	return done(tx, rc, got);
}

enum pd_qs pd_store_mus_snapshot(struct pd_tx *tx, const char *round_id, const char *lo,
                                 const char *hi)
{
	struct pd_q *q = pd_q_open(tx, &SQL_SNAPSHOT);
	pd_q_text(q, 1, round_id);
	pd_q_text(q, 2, lo);
	pd_q_text(q, 3, hi);
	int64_t n = pd_q_exec(q);
	return n < 0 ? PD_QS_HARD : n == 0 ? PD_QS_NONE : PD_QS_MANY;
}

static enum pd_qs one_text(struct pd_tx *tx, const struct pd_sql *sql, const char *a1,
                           const char *a2, struct pd_arena *a, const char **out)
{
	struct pd_q *q = pd_q_open(tx, sql);
	pd_q_text(q, 1, a1);
	if (a2)
		pd_q_text(q, 2, a2);
	int rc = pd_q_step(q), n = 0;
	if (rc == 1) {
		*out = col_text(q, 0, ARENA(a));
		n = 1;
	}
	pd_q_close(q);
	return done(tx, rc, n);
}

enum pd_qs pd_store_mus_voter(struct pd_tx *tx, const char *round_id, const char *account_id,
                              struct pd_arena *a, const char **home_village_id)
{
	return one_text(tx, &SQL_VOTER, round_id, account_id, a, home_village_id);
}

enum pd_qs pd_store_mus_ballot_by_nik(struct pd_tx *tx, const char *round_id, struct pd_blob bidx,
                                      struct pd_arena *a, const char **ballot_id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BALLOT_BY_NIK);
	pd_q_text(q, 1, round_id);
	pd_q_blob(q, 2, bidx.p, bidx.n);
	int rc = pd_q_step(q), n = 0;
	if (rc == 1) {
		*ballot_id = col_text(q, 0, ARENA(a));
		n = 1;
	}
	pd_q_close(q);
	return done(tx, rc, n);
}

enum pd_qs pd_store_mus_ballot_insert(struct pd_tx *tx, const char *id, const char *round_id,
                                      const char *account_id, struct pd_blob bidx, int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BALLOT_INSERT);
	pd_q_text(q, 1, id);
	pd_q_text(q, 2, round_id);
	pd_q_text(q, 3, account_id);
	pd_q_blob(q, 4, bidx.p, bidx.n);
	pd_q_int(q, 5, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_mus_ballot_touch(struct pd_tx *tx, const char *id, const char *account_id,
                                     int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BALLOT_TOUCH);
	pd_q_text(q, 1, id);
	pd_q_text(q, 2, account_id);
	pd_q_int(q, 3, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_mus_ballot_clear(struct pd_tx *tx, const char *ballot_id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BALLOT_CLEAR);
	pd_q_text(q, 1, ballot_id);
	return pd_q_exec(q) < 0 ? PD_QS_HARD : PD_QS_ONE;
}

enum pd_qs pd_store_mus_ballot_item_insert(struct pd_tx *tx, const char *ballot_id,
                                           const char *proposal_id)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BALLOT_ITEM);
	pd_q_text(q, 1, ballot_id);
	pd_q_text(q, 2, proposal_id);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_mus_ballot_items_of(struct pd_tx *tx, const char *round_id,
                                        const char *account_id, struct pd_arena *a,
                                        const char **out, int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_BALLOT_ITEMS_OF);
	pd_q_text(q, 1, round_id);
	pd_q_text(q, 2, account_id);
	pd_q_int(q, 3, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1)
		out[(*n)++] = col_text(q, 0, ARENA(a));
	pd_q_close(q);
	return pd_tx_error(tx) ? PD_QS_HARD : *n == 0 ? PD_QS_NONE : PD_QS_MANY;
}

enum pd_qs pd_store_mus_handover_insert(struct pd_tx *tx, const char *id, const char *from_round,
                                        const char *from_proposal, const char *to_round,
                                        const char *to_proposal, const char *actor_id,
                                        int64_t now_ms)
{
	struct pd_q *q = pd_q_open(tx, &SQL_HANDOVER_INSERT);
	pd_q_text(q, 1, id);
	pd_q_text(q, 2, from_round);
	pd_q_text(q, 3, from_proposal);
	pd_q_text(q, 4, to_round);
	pd_q_text(q, 5, to_proposal);
	pd_q_text(q, 6, actor_id);
	pd_q_int(q, 7, now_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_mus_handover_to(struct pd_tx *tx, const char *from_proposal,
                                    struct pd_arena *a, const char **to_proposal)
{
	return one_text(tx, &SQL_HANDOVER_TO, from_proposal, NULL, a, to_proposal);
}

enum pd_qs pd_store_mus_progress_insert(struct pd_tx *tx, const struct pd_mus_progress_row *p)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PROGRESS_INSERT);
	pd_q_text(q, 1, p->id);
	pd_q_text(q, 2, p->proposal_id);
	pd_q_text(q, 3, p->status);
	pd_q_int(q, 4, p->percent);
	pd_q_text(q, 5, p->note);
	pd_q_text(q, 6, p->actor_id);
	pd_q_int(q, 7, p->at_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_mus_progress_list(struct pd_tx *tx, const char *proposal_id,
                                      struct pd_arena *a, struct pd_mus_progress_row *out,
                                      int max, int *n)
{
	struct pd_q *q = pd_q_open(tx, &SQL_PROGRESS_LIST);
	pd_q_text(q, 1, proposal_id);
	pd_q_int(q, 2, max);
	*n = 0;
	while (*n < max && pd_q_step(q) == 1) {
		struct pd_mus_progress_row *p = &out[(*n)++];
		p->id = col_text(q, 0, ARENA(a));
		p->proposal_id = col_text(q, 1, ARENA(a));
		p->status = col_text(q, 2, ARENA(a));
		p->note = col_text(q, 3, ARENA(a));
		p->actor_id = col_text(q, 4, ARENA(a));
		p->percent = col_int(q, 5);
		p->at_ms = col_int(q, 6);
	}
	pd_q_close(q);
	return pd_tx_error(tx) ? PD_QS_HARD : *n == 0 ? PD_QS_NONE : PD_QS_MANY;
}

int pd_store_mus_erase_account(struct pd_tx *tx, const char *account_id)
{
	const struct pd_sql *sql[] = {&SQL_ERASE_PROPOSER, &SQL_ERASE_BALLOTS, &SQL_ERASE_VOTER};
	for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
		struct pd_q *q = pd_q_open(tx, sql[i]);
		pd_q_text(q, 1, account_id);
		if (pd_q_exec(q) < 0 || pd_tx_error(tx))
			return -1;
	}
	return 0;
}
