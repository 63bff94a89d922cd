/* Statements and row mapping for inbound text messages and the village lookup by area code. */
#include "store/sms_store.h"

static const struct pd_sql SQL_CLAIM = {
	"sms_claim",
	"INSERT INTO sms_inbound (id, gateway_id, sender_bidx, kind, complaint_id, answer, "
	"created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (gateway_id) DO NOTHING",
	NULL};
static const struct pd_sql SQL_FINISH = {
	"sms_finish",
	"UPDATE sms_inbound SET kind = $2, complaint_id = $3, answer = $4 WHERE id = $1", NULL};
static const struct pd_sql SQL_ANSWER = {
	"sms_answer", "SELECT answer FROM sms_inbound WHERE gateway_id = $1", NULL};
static const struct pd_sql SQL_VILLAGE = {
	"sms_village", "SELECT slug FROM unit WHERE code = $1 AND kind = 'village' ORDER BY slug LIMIT 1",
	NULL};
/* Codes stored without dots, or dotted in another grouping: a scan of the villages (a
 * regency has a few hundred), used only when the dotted form found nothing. */
static const struct pd_sql SQL_VILLAGE_DIGITS = {
	"sms_village_digits",
	"SELECT slug FROM unit WHERE kind = 'village' AND replace(code, '.', '') = $1 "
	"ORDER BY slug LIMIT 1",
	NULL};

enum pd_qs pd_store_sms_claim(struct pd_tx *tx, const struct pd_sms_row *r)
{
	struct pd_q *q = pd_q_open(tx, &SQL_CLAIM);
	pd_q_text(q, 1, r->id);
	pd_q_text(q, 2, r->gateway_id);
	pd_q_blob(q, 3, r->sender_bidx.p, r->sender_bidx.n);
	pd_q_text(q, 4, r->kind);
	pd_q_text(q, 5, r->complaint_id);
	pd_q_text(q, 6, r->answer);
	pd_q_int(q, 7, r->created_ms);
	return pd_qs_of_changes(pd_q_exec(q));
}

enum pd_qs pd_store_sms_finish(struct pd_tx *tx, const char *id, const char *kind,
                               const char *complaint_id, const char *answer)
{
	struct pd_q *q = pd_q_open(tx, &SQL_FINISH);
	pd_q_text(q, 1, id);
	pd_q_text(q, 2, kind);
	pd_q_text(q, 3, complaint_id);
	pd_q_text(q, 4, answer);
	return pd_qs_of_changes(pd_q_exec(q));
}

/* The first column of a one-row statement as text, copied. */
static enum pd_qs one_text(struct pd_tx *tx, struct pd_q *q, struct pd_arena *a,
                           const char **out)
{
	*out = NULL;
	int rc = pd_q_step(q);
	if (rc == 1)
		*out = pd_q_col_dup(q, 0, a ? a : pd_tx_arena(tx));
	pd_q_close(q);
	return rc < 0 ? PD_QS_HARD : rc == 1 ? PD_QS_ONE : PD_QS_NONE;
}

enum pd_qs pd_store_sms_answer(struct pd_tx *tx, const char *gateway_id, struct pd_arena *a,
                               const char **answer)
{
	struct pd_q *q = pd_q_open(tx, &SQL_ANSWER);
	pd_q_text(q, 1, gateway_id);
	return one_text(tx, q, a, answer);
}

enum pd_qs pd_store_sms_village(struct pd_tx *tx, const char *code_dotted,
                                const char *code_digits, struct pd_arena *a, const char **slug)
{
	struct pd_q *q = pd_q_open(tx, &SQL_VILLAGE);
	pd_q_text(q, 1, code_dotted);
	enum pd_qs qs = one_text(tx, q, a, slug);
	if (qs != PD_QS_NONE)
		return qs;
	q = pd_q_open(tx, &SQL_VILLAGE_DIGITS);
	pd_q_text(q, 1, code_digits);
	return one_text(tx, q, a, slug);
}
