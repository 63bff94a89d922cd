/* Musrenbang writes: rounds and their phases, proposals, verification, ballots, the hand-over
 * up a level and progress updates (rules in musrenbang.h). */
#include "domain/musrenbang.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/image.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/application_internal.h"
#include "domain/audit.h"
#include "store/account_store.h"
#include "store/unit_store.h"

#define PHOTO_IN_MAX (10 * 1024 * 1024)
#define PHOTO_OUT_MAX (4 * 1024 * 1024)

static int db_error(struct pd_tx *tx)
{
	return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
}

static int load_round(struct pd_tx *tx, const char *id, struct pd_mus_round_row *r)
{
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_mus_round_by_id(tx, id, NULL, r);
	return qs < 0 ? db_error(tx) : qs == PD_QS_NONE ? PD_ERR_NOT_FOUND : PD_OK;
}

static int load_proposal(struct pd_tx *tx, const char *id, struct pd_mus_proposal_row *p,
                         struct pd_mus_round_row *r)
{
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_mus_proposal_by_id(tx, id, NULL, p);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	return load_round(tx, p->round_id, r);
}

/* Staff rights on a round: its unit's subtree. */
static int staff_access(const struct pd_actor *actor, enum pd_action action, const char *path)
{
	struct pd_authz_object o = {NULL, path};
	return pd_authz(actor, action, &o);
}

static int audit(struct pd_tx *tx, const struct pd_app_ctx *c, const char *action,
                 const char *type, const char *id, const char *unit_id, const char *details)
{
	struct pd_audit_event ev = {
		.actor = pd_app_audit_actor(pd_tx_arena(tx), c->actor),
		.action = action, .object_type = type, .object_id = id, .unit_id = unit_id,
		.details = details, .ts_ms = pd_app_now(c)};
	return pd_audit_append(tx, &ev);
}

/* Rupiah as typed: digits with '.', ',' or spaces between groups, an optional "Rp" first. */
static int parse_rupiah(const char *s, int64_t *out)
{
	char digits[32];
	size_t k = 0;
	if (!s)
		return PD_ERR_INVALID;
	if ((s[0] == 'R' || s[0] == 'r') && (s[1] == 'p' || s[1] == 'P'))
		s += 2;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (k + 1 >= sizeof digits)
				return PD_ERR_INVALID;
			digits[k++] = *s;
		} else if (*s != '.' && *s != ',' && *s != ' ') {
			return PD_ERR_INVALID;
		}
	}
	digits[k] = '\0';
	if (k == 0)
		return PD_ERR_INVALID;
	return pd_parse_i64(digits, 1, PD_MUS_COST_MAX, out);
}

/* 1..max code points of valid UTF-8 without control characters (newlines allowed). */
static bool text_ok(const char *s, size_t max)
{
	if (!s || !*s)
		return false;
	size_t n = strlen(s);
	if (!pd_utf8_valid(s, n) || pd_utf8_len(s, n) > max)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t')
			return false;
	return true;
}

/* The end of the subtree range that starts at path: the path with its last byte raised. */
static const char *path_hi(struct pd_arena *a, const char *path)
{
	size_t n = strlen(path);
	char *s = pd_arena_alloc(a, n + 1);
	memcpy(s, path, n + 1);
	if (n)
		s[n - 1] = (char)(s[n - 1] + 1);
	return s;
}

/* Reads and cleans the photo at path into out (caller frees). */
static int clean_photo(const char *path, struct pd_buf *out, const char **mime)
{
	int rc = PD_ERR_INVALID;
	struct pd_buf in;
	pd_buf_init(&in, PHOTO_IN_MAX);
	pd_buf_init(out, PHOTO_OUT_MAX);
	FILE *f = fopen(path, "rb");
	if (!f)
		goto out;
	char chunk[16384];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (pd_buf_append(&in, chunk, got)) {
			fclose(f);
			rc = PD_ERR_TOO_LARGE;
			goto out;
		}
	fclose(f);
	if (in.len == 0)
		goto out;
	rc = pd_image_clean(in.data, in.len, PD_MUS_PHOTO_PX, out, mime, NULL, NULL);
out:
	pd_buf_free(&in);
	return rc;
}

static int store_photo(struct pd_tx *tx, const struct pd_app_ctx *c, const char *proposal_id,
                       const char *progress_id, const char *path, struct pd_app_errors *errs)
{
	struct pd_buf b;
	const char *mime = NULL;
	int rc = clean_photo(path, &b, &mime);
	if (rc) {
		pd_buf_free(&b);
		pd_app_error(errs, "photo", rc == PD_ERR_TOO_LARGE
		                                    ? N_("Foto terlalu besar.")
		                                    : N_("Foto harus berkas JPEG atau PNG yang utuh."));
		return PD_ERR_INVALID;
	}
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	enum pd_qs qs = pd_store_mus_photo_insert(tx, id, proposal_id, progress_id, mime, b.data,
	                                          b.len, pd_app_now(c));
	pd_buf_free(&b);
	return qs <= 0 ? db_error(tx) : PD_OK;
}

/* --- rounds ---------------------------------------------------------------------------------- */

static const char *level_of(const char *kind)
{
	if (!kind)
		return NULL;
	if (strcmp(kind, "village") == 0)
		return "village";
	if (strcmp(kind, "district") == 0)
		return "district";
	if (strcmp(kind, "regency") == 0 || strcmp(kind, "city") == 0)
		return "regency";
	return NULL;
}

int pd_mus_round_create(struct pd_tx *tx, const struct pd_app_ctx *c,
                        const struct pd_mus_round_new *in, struct pd_app_errors *errs,
                        char id_out[37])
{
	struct pd_unit u;
	const char *level = NULL;
	if (!in->unit_slug || !*in->unit_slug) {
		pd_app_error(errs, "unit", N_("Pilih desa, kecamatan atau kabupaten."));
	} else {
		enum pd_qs qs = pd_store_unit_by_slug(tx, in->unit_slug, NULL, &u);
		if (qs < 0)
			return db_error(tx);
		if (qs == PD_QS_NONE || !(level = level_of(u.kind))) {
			pd_app_error(errs, "unit", N_("Musrenbang diadakan di desa, kecamatan atau kabupaten."));
		} else {
			int rc = staff_access(c->actor, PD_ACT_CONFIGURE, u.path);
			if (rc == PD_ERR_NOT_FOUND || rc == PD_ERR_FORBIDDEN)
				pd_app_error(errs, "unit", N_("Anda tidak berwenang atas unit ini."));
			else if (rc)
				return rc;
		}
	}
	if (!text_ok(in->title, 200))
		pd_app_error(errs, "title", N_("Tulis judul, paling banyak 200 karakter."));
	if (in->year < 2000 || in->year > 2100)
		pd_app_error(errs, "year", N_("Tahun antara 2000 dan 2100."));
	if (in->budget < 1 || in->budget > PD_MUS_COST_MAX)
		pd_app_error(errs, "budget", N_("Pagu anggaran harus berupa jumlah rupiah."));
	if (in->carry_up < 0 || in->carry_up > 50)
		pd_app_error(errs, "carry_up", N_("Jumlah usulan yang dibawa naik antara 0 dan 50."));
	if (in->proposals_until <= 0 || in->verification_until < in->proposals_until ||
	    in->voting_until < in->verification_until || in->ranking_until < in->voting_until)
		pd_app_error(errs, "dates", N_("Isi semua tanggal tahapan, berurutan."));
	if (errs->n)
		return PD_ERR_INVALID;
	struct pd_mus_round_row r = {
		.unit_id = u.id, .unit_path = u.path, .level = level, .title = in->title,
		.phase = "proposals", .year = in->year, .budget = in->budget, .carry_up = in->carry_up,
		.proposals_until = in->proposals_until, .verification_until = in->verification_until,
		.voting_until = in->voting_until, .ranking_until = in->ranking_until,
		.created_ms = pd_app_now(c)};
	pd_uuid7(id_out);
	r.id = id_out;
	if (pd_store_mus_round_insert(tx, &r) <= 0)
		return db_error(tx);
	return audit(tx, c, "musrenbang.round_create", "musrenbang_round", r.id, u.id,
	             pd_arena_printf(pd_tx_arena(tx), "{\"year\":%lld,\"level\":\"%s\"}",
	                             (long long)in->year, level));
}

struct counts {
	struct pd_mus_item *items;
	int n;
};

static void on_count(const char *proposal_id, int64_t n, void *arg)
{
	struct counts *k = arg;
	for (int i = 0; i < k->n; i++)
		if (strcmp(k->items[i].id, proposal_id) == 0)
			k->items[i].votes = n;
}

/* Freezes the results of round r: ranks its feasible proposals and records them. */
static int freeze_results(struct pd_tx *tx, const struct pd_app_ctx *c,
                          const struct pd_mus_round_row *r)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_mus_proposal_row *ps = pd_arena_alloc(a, PD_MUS_PROPOSALS_MAX * sizeof *ps);
	struct pd_mus_item *items = pd_arena_alloc(a, PD_MUS_PROPOSALS_MAX * sizeof *items);
	int n = 0, m = 0;
	if (pd_store_mus_proposal_list(tx, r->id, NULL, ps, PD_MUS_PROPOSALS_MAX, &n) < 0)
		return db_error(tx);
	for (int i = 0; i < n; i++)
		if (strcmp(ps[i].status, "feasible") == 0)
			items[m++] = (struct pd_mus_item){.id = ps[i].id, .cost = ps[i].checked_cost,
			                                  .order = ps[i].created_ms};
	struct counts k = {items, m};
	if (pd_store_mus_vote_counts(tx, r->id, on_count, &k) < 0)
		return db_error(tx);
	pd_mus_rank(items, m, r->budget);
	for (int i = 0; i < m; i++)
		if (pd_store_mus_proposal_result(tx, items[i].id, items[i].votes, items[i].rank,
		                                 items[i].funded, pd_app_now(c)) <= 0)
			return db_error(tx);
	return PD_OK;
}

int pd_mus_round_advance(struct pd_tx *tx, const struct pd_app_ctx *c, const char *id,
                         int64_t version)
{
	struct pd_mus_round_row r;
	int rc = load_round(tx, id, &r);
	if (rc)
		return rc;
	if ((rc = staff_access(c->actor, PD_ACT_CONFIGURE, r.unit_path)))
		return rc;
	enum pd_mus_phase ph = pd_mus_phase_parse(r.phase);
	if (ph >= PD_MUS_RESULTS || (version && version != r.version))
		return PD_ERR_CONFLICT;
	enum pd_mus_phase next = (enum pd_mus_phase)(ph + 1);
	int64_t snap = 0;
	if (next == PD_MUS_VOTING) {
		/* The voter snapshot: home villages are frozen as voting opens. */
		if (pd_store_mus_snapshot(tx, r.id, r.unit_path, path_hi(pd_tx_arena(tx), r.unit_path)) < 0)
			return db_error(tx);
		snap = pd_app_now(c);
	}
	if (next == PD_MUS_RANKING && (rc = freeze_results(tx, c, &r)))
		return rc;
	enum pd_qs qs = pd_store_mus_round_set_phase(tx, r.id, r.version, pd_mus_phase_name(next),
	                                             snap, pd_app_now(c));
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_CONFLICT;
	return audit(tx, c, "musrenbang.round_advance", "musrenbang_round", r.id, r.unit_id,
	             pd_arena_printf(pd_tx_arena(tx), "{\"phase\":\"%s\"}", pd_mus_phase_name(next)));
}

/* --- proposals ------------------------------------------------------------------------------- */

static int own_account(struct pd_tx *tx, const struct pd_app_ctx *c, struct pd_account_row *acc)
{
	if (!c->actor || !c->actor->account_id || c->actor->kind != PD_ACCOUNT_CITIZEN)
		return PD_ERR_FORBIDDEN;
	enum pd_qs qs = pd_store_account_by_id(tx, c->actor->account_id, NULL, acc);
	if (qs < 0)
		return db_error(tx);
	return qs == PD_QS_NONE ? PD_ERR_FORBIDDEN : PD_OK;
}

int pd_mus_propose(struct pd_tx *tx, const struct pd_app_ctx *c, const char *round_id,
                   const struct pd_mus_proposal_new *in, struct pd_app_errors *errs,
                   char id_out[37])
{
	struct pd_mus_round_row r;
	int rc = load_round(tx, round_id, &r);
	if (rc)
		return rc;
	if (strcmp(r.level, "village") != 0 || strcmp(r.phase, "proposals") != 0 ||
	    pd_app_now(c) > r.proposals_until)
		return PD_ERR_CONFLICT;
	struct pd_account_row acc;
	if ((rc = own_account(tx, c, &acc)) == PD_ERR_FORBIDDEN) {
		pd_app_error(errs, "_form", N_("Usulan hanya dari warga yang terdaftar tinggal di desa ini."));
		return rc;
	}
	if (rc)
		return rc;
	if (!acc.home_village_id || strcmp(acc.home_village_id, r.unit_id) != 0) {
		pd_app_error(errs, "_form", N_("Usulan hanya dari warga yang terdaftar tinggal di desa ini."));
		return PD_ERR_FORBIDDEN;
	}
	int64_t mine = 0;
	if (pd_store_mus_proposal_count_by(tx, r.id, acc.id, &mine) < 0)
		return db_error(tx);
	if (mine >= PD_MUS_PROPOSALS_PER_ACCOUNT) {
		pd_app_error(errs, "_form", N_("Anda sudah mengirim 5 usulan di musrenbang ini."));
		return PD_ERR_INVALID;
	}
	int64_t cost = 0;
	if (!text_ok(in->title, 200))
		pd_app_error(errs, "title", N_("Tulis usulan kegiatan, paling banyak 200 karakter."));
	if (!text_ok(in->location, PD_MUS_TEXT_MAX))
		pd_app_error(errs, "location", N_("Tulis lokasinya."));
	if (parse_rupiah(in->est_cost, &cost))
		pd_app_error(errs, "est_cost", N_("Perkiraan biaya harus berupa jumlah rupiah."));
	if (!text_ok(in->beneficiaries, PD_MUS_TEXT_MAX))
		pd_app_error(errs, "beneficiaries", N_("Tulis siapa yang mendapat manfaat."));
	if (errs->n)
		return PD_ERR_INVALID;
	pd_uuid7(id_out);
	struct pd_mus_proposal_row p = {
		.id = id_out, .round_id = r.id, .proposer_account_id = acc.id, .title = in->title,
		.location = in->location, .beneficiaries = in->beneficiaries, .est_cost = cost,
		.status = "submitted", .created_ms = pd_app_now(c)};
	if (pd_store_mus_proposal_insert(tx, &p) <= 0)
		return db_error(tx);
	if (in->photo_path && (rc = store_photo(tx, c, p.id, NULL, in->photo_path, errs)))
		return rc;
	return audit(tx, c, "musrenbang.propose", "musrenbang_proposal", p.id, r.unit_id, NULL);
}

int pd_mus_verify(struct pd_tx *tx, const struct pd_app_ctx *c, const char *proposal_id,
                  const char *feasible, const char *checked_cost, const char *reason,
                  struct pd_app_errors *errs)
{
	struct pd_mus_proposal_row p;
	struct pd_mus_round_row r;
	int rc = load_proposal(tx, proposal_id, &p, &r);
	if (rc)
		return rc;
	if ((rc = staff_access(c->actor, PD_ACT_CASE_WORK, r.unit_path)))
		return rc;
	enum pd_mus_phase ph = pd_mus_phase_parse(r.phase);
	if (ph != PD_MUS_PROPOSALS && ph != PD_MUS_VERIFICATION)
		return PD_ERR_CONFLICT;
	bool yes = feasible && strcmp(feasible, "ya") == 0;
	bool no = feasible && strcmp(feasible, "tidak") == 0;
	int64_t cost = 0;
	if (!yes && !no)
		pd_app_error(errs, "feasible", N_("Pilih layak atau tidak layak."));
	if (yes && parse_rupiah(checked_cost, &cost))
		pd_app_error(errs, "checked_cost", N_("Biaya hasil pemeriksaan harus berupa jumlah rupiah."));
	if (!text_ok(reason, PD_MUS_TEXT_MAX))
		pd_app_error(errs, "reason", N_("Tulis alasannya."));
	if (errs->n)
		return PD_ERR_INVALID;
	p.status = yes ? "feasible" : "infeasible";
	p.verify_reason = reason;
	p.checked_cost = yes ? cost : 0;
	p.verified_by = c->actor ? c->actor->account_id : NULL;
	p.verified_ms = pd_app_now(c);
	if (pd_store_mus_proposal_verify(tx, &p) <= 0)
		return db_error(tx);
	return audit(tx, c, "musrenbang.verify", "musrenbang_proposal", p.id, r.unit_id,
	             yes ? "{\"feasible\":true}" : "{\"feasible\":false}");
}

/* --- ballots --------------------------------------------------------------------------------- */

int pd_mus_cast(struct pd_tx *tx, const struct pd_app_ctx *c, const char *round_id,
                const char *const *ids, int n, struct pd_app_errors *errs, bool *replaced)
{
	struct pd_mus_round_row r;
	*replaced = false;
	int rc = load_round(tx, round_id, &r);
	if (rc)
		return rc;
	if (strcmp(r.phase, "voting") != 0 || pd_app_now(c) > r.voting_until)
		return PD_ERR_CONFLICT;
	struct pd_account_row acc;
	if ((rc = own_account(tx, c, &acc)) == PD_ERR_FORBIDDEN) {
		pd_app_error(errs, "_form", N_("Hanya warga yang boleh memilih."));
		return rc;
	}
	if (rc)
		return rc;
	if (!acc.nik_bidx.p || !acc.nik_district) {
		pd_app_error(errs, "_form", N_("Tambahkan NIK Anda di halaman akun sebelum memilih."));
		return PD_ERR_FORBIDDEN;
	}
	char area[16];
	pd_mus_code_digits(r.unit_code, area, sizeof area);
	if (!pd_mus_district_in_area(acc.nik_district, area)) {
		pd_app_error(errs, "_form", N_("NIK Anda tidak terdaftar di kecamatan wilayah musrenbang ini."));
		return PD_ERR_FORBIDDEN;
	}
	const char *home = NULL;
	enum pd_qs qs = pd_store_mus_voter(tx, r.id, acc.id, NULL, &home);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE) {
		pd_app_error(errs, "_form", N_("Saat pemungutan suara dibuka, alamat akun Anda bukan di wilayah musrenbang ini."));
		return PD_ERR_FORBIDDEN;
	}
	if (n <= 0 || n > PD_MUS_PROPOSALS_MAX) {
		pd_app_error(errs, "items", N_("Pilih paling sedikit satu usulan."));
		return PD_ERR_INVALID;
	}
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_mus_proposal_row *ps = pd_arena_alloc(a, PD_MUS_PROPOSALS_MAX * sizeof *ps);
	int np = 0;
	if (pd_store_mus_proposal_list(tx, r.id, NULL, ps, PD_MUS_PROPOSALS_MAX, &np) < 0)
		return db_error(tx);
	int64_t *costs = pd_arena_alloc(a, (size_t)n * sizeof *costs);
	for (int i = 0; i < n; i++) {
		int k = -1;
		for (int j = 0; j < np && k < 0; j++)
			if (ids[i] && strcmp(ids[i], ps[j].id) == 0 && strcmp(ps[j].status, "feasible") == 0)
				k = j;
		for (int j = 0; j < i && k >= 0; j++)
			if (strcmp(ids[i], ids[j]) == 0)
				k = -1;
		if (k < 0) {
			pd_app_error(errs, "items", N_("Pilihan memuat usulan yang tidak ada di daftar."));
			return PD_ERR_INVALID;
		}
		costs[i] = ps[k].checked_cost;
	}
	if (!pd_mus_within_budget(costs, n, r.budget)) {
		pd_app_error(errs, "items", N_("Jumlah biaya usulan yang Anda pilih melebihi pagu anggaran."));
		return PD_ERR_INVALID;
	}
	const char *ballot = NULL;
	qs = pd_store_mus_ballot_by_nik(tx, r.id, acc.nik_bidx, NULL, &ballot);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_ONE) {
		/* Casting again replaces the choice: the NIK keeps its one ballot. */
		*replaced = true;
		if (pd_store_mus_ballot_touch(tx, ballot, acc.id, pd_app_now(c)) <= 0 ||
		    pd_store_mus_ballot_clear(tx, ballot) < 0)
			return db_error(tx);
	} else {
		char *id = pd_arena_alloc(a, PD_UUID_LEN + 1);
		pd_uuid7(id);
		ballot = id;
		if (pd_store_mus_ballot_insert(tx, ballot, r.id, acc.id, acc.nik_bidx, pd_app_now(c)) <= 0)
			return db_error(tx);
	}
	for (int i = 0; i < n; i++)
		if (pd_store_mus_ballot_item_insert(tx, ballot, ids[i]) <= 0)
			return db_error(tx);
	return audit(tx, c, *replaced ? "musrenbang.vote_change" : "musrenbang.vote",
	             "musrenbang_ballot", ballot, r.unit_id,
	             pd_arena_printf(a, "{\"round\":\"%s\",\"items\":%d}", r.id, n));
}

/* --- hand-over ------------------------------------------------------------------------------- */

static int carry_from(struct pd_tx *tx, const struct pd_app_ctx *c,
                      const struct pd_mus_round_row *up, const struct pd_mus_round_row *low,
                      int *carried)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_mus_proposal_row *ps = pd_arena_alloc(a, PD_MUS_PROPOSALS_MAX * sizeof *ps);
	int n = 0, taken = 0;
	if (pd_store_mus_proposal_list(tx, low->id, NULL, ps, PD_MUS_PROPOSALS_MAX, &n) < 0)
		return db_error(tx);
	for (int rank = 1; rank <= n && taken < low->carry_up; rank++) {
		const struct pd_mus_proposal_row *p = NULL;
		for (int i = 0; i < n && !p; i++)
			if (ps[i].rank == rank && ps[i].funded)
				p = &ps[i];
		if (!p)
			continue;
		taken++;
		const char *to = NULL;
		enum pd_qs qs = pd_store_mus_handover_to(tx, p->id, NULL, &to);
		if (qs < 0)
			return db_error(tx);
		if (qs == PD_QS_ONE)
			continue;  /* carried up before */
		char *pid = pd_arena_alloc(a, PD_UUID_LEN + 1), hid[PD_UUID_LEN + 1];
		pd_uuid7(pid);
		pd_uuid7(hid);
		struct pd_mus_proposal_row np = {
			.id = pid, .round_id = up->id, .title = p->title, .location = p->location,
			.beneficiaries = p->beneficiaries, .est_cost = p->checked_cost,
			.status = "submitted", .origin_proposal_id = p->id, .created_ms = pd_app_now(c)};
		if (pd_store_mus_proposal_insert(tx, &np) <= 0 ||
		    pd_store_mus_handover_insert(tx, hid, low->id, p->id, up->id, pid,
		                                 c->actor ? c->actor->account_id : NULL,
		                                 pd_app_now(c)) <= 0)
			return db_error(tx);
		int rc = audit(tx, c, "musrenbang.handover", "musrenbang_proposal", pid, up->unit_id,
		               pd_arena_printf(a, "{\"from\":\"%s\"}", p->id));
		if (rc)
			return rc;
		(*carried)++;
	}
	return PD_OK;
}

int pd_mus_carry_up(struct pd_tx *tx, const struct pd_app_ctx *c, const char *round_id,
                    int *n_out)
{
	struct pd_mus_round_row up;
	*n_out = 0;
	int rc = load_round(tx, round_id, &up);
	if (rc)
		return rc;
	if ((rc = staff_access(c->actor, PD_ACT_CONFIGURE, up.unit_path)))
		return rc;
	enum pd_mus_phase ph = pd_mus_phase_parse(up.phase);
	if (strcmp(up.level, "village") == 0 || (ph != PD_MUS_PROPOSALS && ph != PD_MUS_VERIFICATION))
		return PD_ERR_CONFLICT;
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_mus_round_row *lows = pd_arena_alloc(a, PD_MUS_PAGE_MAX * sizeof *lows);
	int n = 0;
	if (pd_store_mus_round_children(tx, up.unit_id, up.year, NULL, lows, PD_MUS_PAGE_MAX, &n) < 0)
		return db_error(tx);
	for (int i = 0; i < n; i++) {
		enum pd_mus_phase lp = pd_mus_phase_parse(lows[i].phase);
		if (lp != PD_MUS_RANKING && lp != PD_MUS_RESULTS)
			continue;
		if ((rc = carry_from(tx, c, &up, &lows[i], n_out)))
			return rc;
	}
	return PD_OK;
}

/* --- progress -------------------------------------------------------------------------------- */

int pd_mus_progress(struct pd_tx *tx, const struct pd_app_ctx *c, const char *proposal_id,
                    const char *status, const char *percent, const char *note,
                    const char *photo_path, struct pd_app_errors *errs)
{
	struct pd_mus_proposal_row p;
	struct pd_mus_round_row r;
	int rc = load_proposal(tx, proposal_id, &p, &r);
	if (rc)
		return rc;
	if ((rc = staff_access(c->actor, PD_ACT_CASE_WORK, r.unit_path)))
		return rc;
	if (strcmp(r.phase, "results") != 0 || !p.funded)
		return PD_ERR_CONFLICT;
	int64_t pct = -1;
	bool known = status && (strcmp(status, "planned") == 0 || strcmp(status, "in_progress") == 0 ||
	                        strcmp(status, "done") == 0);
	if (!known)
		pd_app_error(errs, "status", N_("Pilih tahap pelaksanaan."));
	if (pd_parse_i64(percent, 0, 100, &pct))
		pd_app_error(errs, "percent", N_("Persentase antara 0 dan 100."));
	else if (known && strcmp(status, "done") == 0 && pct != 100)
		pd_app_error(errs, "percent", N_("Kegiatan yang selesai berarti 100 persen."));
	if (!text_ok(note, PD_MUS_TEXT_MAX))
		pd_app_error(errs, "note", N_("Tulis catatan kemajuan."));
	if (errs->n)
		return PD_ERR_INVALID;
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	struct pd_mus_progress_row g = {.id = id, .proposal_id = p.id, .status = status,
	                                .percent = pct, .note = note,
	                                .actor_id = c->actor ? c->actor->account_id : NULL,
	                                .at_ms = pd_app_now(c)};
	if (pd_store_mus_progress_insert(tx, &g) <= 0 ||
	    pd_store_mus_proposal_progress(tx, p.id, status, pct, pd_app_now(c)) <= 0)
		return db_error(tx);
	if (photo_path && (rc = store_photo(tx, c, p.id, id, photo_path, errs)))
		return rc;
	return audit(tx, c, "musrenbang.progress", "musrenbang_proposal", p.id, r.unit_id,
	             pd_arena_printf(pd_tx_arena(tx), "{\"status\":\"%s\",\"percent\":%lld}", status,
	                             (long long)pct));
}

/* --- erasure ------------------------------------------------------------------------------- */

int pd_mus_erase_account(struct pd_tx *tx, const char *account_id)
{
	return pd_store_mus_erase_account(tx, account_id) < 0 ? db_error(tx) : PD_OK;
}
