/* Staff administration: an administrator's reach, the directory of its staff, invitations,
 * grants, revocations and disabling, each checked here and audited with ids only. */
#include "domain/staff_admin.h"

#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/uuid.h"
#include "domain/account_internal.h"
#include "domain/audit.h"
#include "domain/mail.h"
#include "store/account_store.h"
#include "store/session_store.h"
#include "store/staff_store.h"
#include "store/totp_store.h"

#define MAX_GRANTS 64
#define UNIT_BATCH 500

static int db_error(struct pd_tx *tx)
{
	return pd_tx_error(tx) ? pd_tx_error(tx) : PD_ERR_DB;
}

/* --- the reach -------------------------------------------------------------------------------- */

/* True when the unit at path lies in the subtree of the unit at root (root itself included). */
static bool within(const char *path, const char *root)
{
	size_t n = root ? strlen(root) : 0;
	return n && root[n - 1] == '/' && path && strncmp(path, root, n) == 0;
}

/* PD_OK when the unit at unit_path is in the actor's reach, else PD_ERR_NOT_FOUND: pd_authz
 * decides, and its see-only answer (auditors) is a 404 here (see the header). */
static int reach(const struct pd_actor *actor, const char *unit_path)
{
	struct pd_authz_object o = {NULL, unit_path};
	int rc = pd_authz(actor, PD_ACT_USERS_MANAGE, &o);
	return rc == PD_ERR_FORBIDDEN ? PD_ERR_NOT_FOUND : rc;
}

/* True when the actor administers a unit strictly above the one at unit_path. */
static bool above(const struct pd_actor *actor, const char *unit_path)
{
	for (size_t i = 0; i < actor->n_grants; i++) {
		const struct pd_grant *g = &actor->grants[i];
		if (g->role == PD_ROLE_ADMINISTRATOR && within(unit_path, g->unit_path) &&
		    strcmp(unit_path, g->unit_path) != 0)
			return true;
	}
	return false;
}

/* PD_OK when the actor may grant or revoke role on the unit at unit_path; PD_ERR_NOT_FOUND
 * outside the reach; PD_ERR_FORBIDDEN for `administrator` not strictly below the actor's unit. */
static int may_manage(const struct pd_actor *actor, enum pd_role role, const char *unit_path)
{
	int rc = reach(actor, unit_path);
	if (rc)
		return rc;
	if (role == PD_ROLE_ADMINISTRATOR && !actor->system && !above(actor, unit_path))
		return PD_ERR_FORBIDDEN;
	return PD_OK;
}

static bool is_self(const struct pd_actor *actor, const char *id)
{
	return actor->account_id && id && strcmp(actor->account_id, id) == 0;
}

int pd_staff_open(const struct pd_actor *actor)
{
	if (!actor || !actor->account_id || !*actor->account_id)
		return PD_ERR_NOT_FOUND;
	for (size_t i = 0; i < actor->n_grants; i++)
		if (actor->grants[i].role == PD_ROLE_ADMINISTRATOR &&
		    reach(actor, actor->grants[i].unit_path) == PD_OK)
			return PD_OK;
	return PD_ERR_NOT_FOUND;
}

/* A staff account in the reach: its row and every grant it holds. */
struct target {
	struct pd_account_row row;
	struct pd_grant_row *grants;
	int n_grants;
};

/* Loads account id when it is a staff account (not erased) with a grant in the actor's reach;
 * PD_ERR_NOT_FOUND otherwise. */
static int load_target(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                       struct pd_arena *a, struct target *t)
{
	int rc = pd_staff_open(actor);
	if (rc)
		return rc;
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_account_by_id(tx, id, a, &t->row);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE || strcmp(t->row.kind, "staff") != 0 || t->row.erased_ms)
		return PD_ERR_NOT_FOUND;
	t->grants = pd_arena_alloc(a, MAX_GRANTS * sizeof *t->grants);
	t->n_grants = 0;
	if (pd_store_grant_list(tx, id, a, t->grants, MAX_GRANTS, &t->n_grants) < 0)
		return db_error(tx);
	for (int i = 0; i < t->n_grants; i++)
		if (reach(actor, t->grants[i].unit_path) == PD_OK)
			return PD_OK;
	return PD_ERR_NOT_FOUND;
}

/* --- reading ---------------------------------------------------------------------------------- */

/* Opens one sealed account field (AD account/column/id) into the arena; NULL when absent or
 * when it does not open. */
static const char *open_field(struct pd_arena *a, const unsigned char key[PD_CRYPTO_KEY_BYTES],
                              const char *id, const char *column, struct pd_blob ct)
{
	if (!ct.p)
		return NULL;
	struct pd_buf out;
	pd_buf_init(&out, 1 << 16);
	const char *s = NULL;
	if (pd_crypto_open_with(key, ct.p, ct.n, "account", column, id, &out) == PD_OK)
		s = pd_arena_strndup(a, pd_buf_cstr(&out), out.len);
	if (out.data)
		sodium_memzero(out.data, out.cap);
	pd_buf_free(&out);
	return s;
}

/* Describes target t for the actor: name and email opened (nothing else), the grants inside the
 * reach with their units' names, and what the actor may change. */
static int describe(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                    const struct target *t, struct pd_arena *a, struct pd_staff_member *m)
{
	memset(m, 0, sizeof *m);
	const char *id = t->row.id;
	m->id = pd_arena_strdup(a, id);
	m->disabled = t->row.disabled;
	m->created_ms = t->row.created_ms;
	m->self = is_self(actor, id);
	if (ks && t->row.subject_key.p) {
		unsigned char key[PD_CRYPTO_KEY_BYTES];
		if (pd_crypto_subject_key_unwrap(ks, id, t->row.subject_key.p, t->row.subject_key.n,
		                                 key) == PD_OK) {
			m->name = open_field(a, key, id, "name", t->row.name_ct);
			m->email = open_field(a, key, id, "email", t->row.email_ct);
		}
		sodium_memzero(key, sizeof key);
	}
	m->may_grant = !m->self && !m->disabled;
	m->may_disable = !m->self && !m->disabled;
	m->grants = pd_arena_alloc(a, (size_t)(t->n_grants ? t->n_grants : 1) * sizeof *m->grants);
	for (int i = 0; i < t->n_grants; i++) {
		const struct pd_grant_row *g = &t->grants[i];
		enum pd_role role;
		bool known = pd_role_parse(g->role, &role) == PD_OK;
		bool manageable = known && may_manage(actor, role, g->unit_path) == PD_OK;
		if (!manageable)
			m->may_disable = false; /* it also works where the actor does not decide */
		if (reach(actor, g->unit_path) != PD_OK)
			continue;
		struct pd_unit u;
		enum pd_qs qs = pd_store_unit_by_id(tx, g->unit_id, a, &u);
		if (qs < 0)
			return db_error(tx);
		struct pd_staff_grant *sg = &m->grants[m->n_grants++];
		sg->role = pd_arena_strdup(a, g->role);
		sg->unit_slug = pd_arena_strdup(a, g->unit_slug);
		sg->unit_name = qs == PD_QS_ONE ? u.name : sg->unit_slug;
		sg->may_revoke = !m->self && manageable;
	}
	return PD_OK;
}

struct list_arg {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const char *scope_slug, *after;
	struct pd_arena *a;
	struct pd_staff_page *out;
};

/* The subtree to list: the unit named, or the actor's first administered unit by path. */
static int pick_scope(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                      struct pd_arena *a, struct pd_unit *u)
{
	if (slug && *slug) {
		enum pd_qs qs = pd_store_unit_by_slug(tx, slug, a, u);
		if (qs < 0)
			return db_error(tx);
		if (qs == PD_QS_NONE)
			return PD_ERR_NOT_FOUND;
		return reach(actor, u->path);
	}
	const struct pd_grant *first = NULL;
	for (size_t i = 0; i < actor->n_grants; i++) {
		const struct pd_grant *g = &actor->grants[i];
		if (g->role == PD_ROLE_ADMINISTRATOR && reach(actor, g->unit_path) == PD_OK &&
		    (!first || strcmp(g->unit_path, first->unit_path) < 0))
			first = g;
	}
	if (!first)
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_unit_by_id(tx, first->unit_id, a, u);
	if (qs < 0)
		return db_error(tx);
	return qs == PD_QS_ONE ? PD_OK : PD_ERR_NOT_FOUND;
}

static int list_tx(struct pd_tx *tx, void *p)
{
	struct list_arg *la = p;
	struct pd_staff_page *o = la->out;
	o->n = 0;
	o->next_after = NULL;
	int rc = pick_scope(tx, la->actor, la->scope_slug, la->a, &o->scope);
	if (rc)
		return rc;
	struct pd_arena *ta = pd_tx_arena(tx);
	struct pd_staff_row *rows = pd_arena_alloc(ta, (PD_STAFF_PAGE_MAX + 1) * sizeof *rows);
	int n = 0;
	if (pd_store_staff_list(tx, o->scope.path, la->after, ta, rows, PD_STAFF_PAGE_MAX + 1, &n) < 0)
		return db_error(tx);
	bool more = n > PD_STAFF_PAGE_MAX;
	if (more)
		n = PD_STAFF_PAGE_MAX;
	o->items = pd_arena_alloc(la->a, (size_t)(n ? n : 1) * sizeof *o->items);
	for (int i = 0; i < n; i++) {
		struct target t;
		rc = load_target(tx, la->actor, rows[i].id, ta, &t);
		if (rc == PD_ERR_NOT_FOUND)
			continue; /* changed since the list was read: leave it out */
		if (rc)
			return rc;
		rc = describe(tx, la->ks, la->actor, &t, la->a, &o->items[o->n]);
		if (rc)
			return rc;
		o->n++;
	}
	if (more)
		o->next_after = pd_arena_strdup(la->a, rows[n - 1].id);
	return PD_OK;
}

int pd_staff_list(struct pd_store *st, const struct pd_keyset *ks, const struct pd_actor *actor,
                  const char *scope_slug, const char *after_id, struct pd_arena *a,
                  struct pd_staff_page *out)
{
	memset(out, 0, sizeof *out);
	int rc = pd_staff_open(actor);
	if (rc)
		return rc;
	if (after_id && *after_id && !pd_uuid_valid(after_id))
		return PD_ERR_INVALID;
	struct list_arg la = {ks, actor, scope_slug, after_id && *after_id ? after_id : NULL, a, out};
	return pd_store_read(st, list_tx, &la);
}

struct units_arg {
	const struct pd_actor *actor;
	struct pd_arena *a;
	struct pd_unit *out;
	int n;
};

static int units_tx(struct pd_tx *tx, void *p)
{
	struct units_arg *ua = p;
	const struct pd_actor *actor = ua->actor;
	ua->n = 0;
	/* The administered units that are not inside another one, in path order: their subtrees
	 * are disjoint ranges of paths, so listing them one after another keeps path order. */
	const char **roots = pd_arena_alloc(pd_tx_arena(tx), (actor->n_grants + 1) * sizeof *roots);
	size_t n_roots = 0;
	for (size_t i = 0; i < actor->n_grants; i++) {
		const struct pd_grant *g = &actor->grants[i];
		if (g->role != PD_ROLE_ADMINISTRATOR || reach(actor, g->unit_path) != PD_OK)
			continue;
		bool nested = false;
		for (size_t k = 0; k < actor->n_grants && !nested; k++) {
			const struct pd_grant *h = &actor->grants[k];
			nested = k != i && h->role == PD_ROLE_ADMINISTRATOR &&
			         within(g->unit_path, h->unit_path) &&
			         (strcmp(g->unit_path, h->unit_path) != 0 || k < i);
		}
		if (nested)
			continue;
		size_t at = n_roots++;
		while (at > 0 && strcmp(roots[at - 1], g->unit_path) > 0) {
			roots[at] = roots[at - 1];
			at--;
		}
		roots[at] = g->unit_path;
	}
	for (size_t r = 0; r < n_roots && ua->n < PD_STAFF_UNITS_MAX; r++) {
		const char *after = NULL;
		for (;;) {
			int want = PD_STAFF_UNITS_MAX - ua->n, got = 0;
			if (want > UNIT_BATCH)
				want = UNIT_BATCH;
			if (want <= 0)
				break;
			if (pd_store_unit_subtree(tx, roots[r], after, ua->a, ua->out + ua->n, want, &got) < 0)
				return db_error(tx);
			ua->n += got;
			if (got < want)
				break;
			after = ua->out[ua->n - 1].path;
		}
	}
	return PD_OK;
}

int pd_staff_units(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                   struct pd_unit **out, int *n)
{
	*out = NULL;
	*n = 0;
	int rc = pd_staff_open(actor);
	if (rc)
		return rc;
	struct units_arg ua = {actor, a, pd_arena_alloc(a, PD_STAFF_UNITS_MAX * sizeof *ua.out), 0};
	rc = pd_store_read(st, units_tx, &ua);
	if (!rc) {
		*out = ua.out;
		*n = ua.n;
	}
	return rc;
}

struct view_arg {
	const struct pd_keyset *ks;
	const struct pd_actor *actor;
	const char *id;
	struct pd_arena *a;
	struct pd_staff_member *out;
};

static int view_tx(struct pd_tx *tx, void *p)
{
	struct view_arg *va = p;
	struct target t;
	int rc = load_target(tx, va->actor, va->id, pd_tx_arena(tx), &t);
	if (rc)
		return rc;
	return describe(tx, va->ks, va->actor, &t, va->a, va->out);
}

int pd_staff_view(struct pd_store *st, const struct pd_keyset *ks, const struct pd_actor *actor,
                  const char *id, struct pd_arena *a, struct pd_staff_member *out)
{
	memset(out, 0, sizeof *out);
	struct view_arg va = {ks, actor, id, a, out};
	return pd_store_read(st, view_tx, &va);
}

/* --- changes ---------------------------------------------------------------------------------- */

/* Appends an entry about staff account id by the actor, with the unit and role when given. */
static int audit(struct pd_tx *tx, const struct pd_actor *actor, const char *action,
                 const char *id, const char *unit_id, const char *role)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_audit_event ev = {
		.actor = actor->system ? "system" : pd_acct_audit_actor(a, actor->account_id),
		.action = action,
		.object_type = "account",
		.object_id = id,
		.unit_id = unit_id,
		.subject_id = id,
		.details = role ? pd_arena_printf(a, "{\"role\":\"%s\"}", role) : NULL,
	};
	return pd_audit_append(tx, &ev);
}

/* The unit a form names: PD_OK with *found false for "" or an unknown slug (a field error for
 * the caller), PD_ERR_NOT_FOUND for one outside the reach. */
static int form_unit(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                     struct pd_unit *u, bool *found)
{
	*found = false;
	if (!slug || !*slug)
		return PD_OK;
	enum pd_qs qs = pd_store_unit_by_slug(tx, slug, NULL, u);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_OK;
	*found = true;
	return reach(actor, u->path);
}

/* A staff role a form names: true and *out for any role but citizen. */
static bool form_role(const char *name, enum pd_role *out)
{
	return name && pd_role_parse(name, out) == PD_OK && *out != PD_ROLE_CITIZEN;
}

#define UNIT_MSG N_("Pilih unit dari daftar.")
#define ROLE_MSG N_("Pilih peran dari daftar.")

int pd_staff_create(struct pd_tx *tx, const struct pd_keyset *ks, const struct pd_actor *actor,
                    const struct pd_staff_new *in, struct pd_field_errors *errs, char id_out[37])
{
	id_out[0] = '\0';
	int rc = pd_staff_open(actor);
	if (rc)
		return rc;
	struct pd_unit u;
	bool have_unit;
	rc = form_unit(tx, actor, in->unit_slug, &u, &have_unit);
	if (rc)
		return rc;
	enum pd_role role;
	bool have_role = form_role(in->role, &role);
	if (have_role && have_unit && (rc = may_manage(actor, role, u.path)))
		return rc;
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_registration reg = {
		.name = in->name, .email = in->email, .password_hash = "", .base_url = in->base_url,
		.email_verified = true, .kind = "staff",
		.actor = actor->system ? "system" : pd_acct_audit_actor(a, actor->account_id),
	};
	pd_account_check_registration(&reg, NULL, errs);
	if (!have_role)
		pd_field_error(errs, "role", ROLE_MSG);
	if (!have_unit)
		pd_field_error(errs, "unit", UNIT_MSG);
	if (errs->n)
		return PD_ERR_INVALID;
	struct pd_register_result res;
	rc = pd_account_register(tx, ks, &reg, &res);
	for (int i = 0; i < res.errs.n; i++)
		pd_field_error(errs, res.errs.field[i], res.errs.msg[i]);
	if (rc)
		return rc;
	if (res.email_taken) {
		/* Refused, so the notice pd_account_register queued rolls back with the rest. */
		pd_field_error(errs, "email", N_("Alamat email ini sudah dipakai akun lain."));
		return PD_ERR_INVALID;
	}
	if (pd_store_grant_insert(tx, res.id, pd_role_name(role), u.id, pd_clock_now_ms()) < 0)
		return db_error(tx);
	rc = audit(tx, actor, "account.grant", res.id, u.id, pd_role_name(role));
	if (rc)
		return rc;
	char token[PD_SESSION_TOKEN_LEN + 1], to[PD_MAIL_ADDR_MAX];
	if (pd_crypto_norm_email(in->email, to, sizeof to))
		return PD_ERR_INVALID; /* checked above: cannot happen */
	rc = pd_acct_token_issue(tx, "reset_password", res.id, PD_STAFF_INVITE_TTL_MS, token);
	if (!rc)
		rc = pd_acct_mail(tx, to, in->lang ? in->lang : PD_I18N_DEFAULT,
		                  N_("Akun petugas Anda telah dibuat"),
		                  N_("Administrator unit Anda membuatkan akun petugas Pendopo untuk alamat email ini. Buka tautan berikut untuk membuat kata sandi Anda:"),
		                  pd_arena_printf(a, "%s/atur-ulang-sandi?token=%s", in->base_url, token),
		                  N_("Tautan ini berlaku 72 jam dan hanya dapat dipakai sekali. Jika sudah tidak berlaku, minta tautan baru di halaman Lupa kata sandi. Jika Anda tidak mengenal akun ini, abaikan email ini."));
	sodium_memzero(token, sizeof token);
	if (!rc)
		rc = audit(tx, actor, "account.invite", res.id, u.id, NULL);
	if (!rc)
		memcpy(id_out, res.id, sizeof res.id);
	return rc;
}

int pd_staff_grant(struct pd_tx *tx, const struct pd_actor *actor, const char *account_id,
                   const char *role_name, const char *unit_slug, struct pd_field_errors *errs)
{
	struct target t;
	int rc = load_target(tx, actor, account_id, pd_tx_arena(tx), &t);
	if (rc)
		return rc;
	struct pd_unit u;
	bool have_unit;
	rc = form_unit(tx, actor, unit_slug, &u, &have_unit);
	if (rc)
		return rc;
	if (is_self(actor, t.row.id) || t.row.disabled)
		return PD_ERR_FORBIDDEN;
	enum pd_role role;
	bool have_role = form_role(role_name, &role);
	if (have_role && have_unit && (rc = may_manage(actor, role, u.path)))
		return rc;
	if (!have_role)
		pd_field_error(errs, "role", ROLE_MSG);
	if (!have_unit)
		pd_field_error(errs, "unit", UNIT_MSG);
	if (errs->n)
		return PD_ERR_INVALID;
	enum pd_qs qs =
		pd_store_grant_insert(tx, t.row.id, pd_role_name(role), u.id, pd_clock_now_ms());
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_OK; /* held already */
	return audit(tx, actor, "account.grant", t.row.id, u.id, pd_role_name(role));
}

int pd_staff_revoke(struct pd_tx *tx, const struct pd_actor *actor, const char *account_id,
                    const char *role_name, const char *unit_slug)
{
	struct target t;
	int rc = load_target(tx, actor, account_id, pd_tx_arena(tx), &t);
	if (rc)
		return rc;
	const struct pd_grant_row *g = NULL;
	for (int i = 0; i < t.n_grants && !g; i++)
		if (role_name && unit_slug && strcmp(t.grants[i].role, role_name) == 0 &&
		    strcmp(t.grants[i].unit_slug, unit_slug) == 0)
			g = &t.grants[i];
	enum pd_role role;
	if (!g || pd_role_parse(g->role, &role) || reach(actor, g->unit_path) != PD_OK)
		return PD_ERR_NOT_FOUND;
	if (is_self(actor, t.row.id))
		return PD_ERR_FORBIDDEN;
	rc = may_manage(actor, role, g->unit_path);
	if (rc)
		return rc;
	enum pd_qs qs = pd_store_grant_delete(tx, t.row.id, g->role, g->unit_id);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	return audit(tx, actor, "account.revoke", t.row.id, g->unit_id, g->role);
}

int pd_staff_disable(struct pd_tx *tx, const struct pd_actor *actor, const char *account_id)
{
	struct target t;
	int rc = load_target(tx, actor, account_id, pd_tx_arena(tx), &t);
	if (rc)
		return rc;
	if (is_self(actor, t.row.id))
		return PD_ERR_FORBIDDEN;
	for (int i = 0; i < t.n_grants; i++) {
		enum pd_role role;
		if (pd_role_parse(t.grants[i].role, &role) ||
		    may_manage(actor, role, t.grants[i].unit_path) != PD_OK)
			return PD_ERR_FORBIDDEN;
	}
	if (t.row.disabled)
		return PD_OK;
	int64_t now = pd_clock_now_ms();
	if (pd_store_account_set_disabled(tx, t.row.id, true) < 0 ||
	    pd_store_session_delete_others(tx, t.row.id, (struct pd_blob){NULL, 0}, NULL) < 0 ||
	    pd_store_pending_delete_account(tx, t.row.id) < 0 ||
	    pd_store_token_use_all(tx, t.row.id, "reset_password", now) < 0 ||
	    pd_store_token_use_all(tx, t.row.id, "verify_email", now) < 0)
		return db_error(tx);
	return audit(tx, actor, "account.disable", t.row.id, NULL, NULL);
}
