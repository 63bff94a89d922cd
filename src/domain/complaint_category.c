/* Complaint categories administered: listing an administrator's categories, adding, editing,
 * enabling and disabling them, with access checks on the unit subtree, optimistic versions and
 * audit entries in the same transaction. */
#include "domain/complaint_category.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/application_internal.h"
#include "domain/audit.h"
#include "store/complaint_public_store.h"
#include "store/complaint_store.h"
#include "store/unit_store.h"

#define GRANT_PATHS 8

static int db_error(struct pd_tx *tx)
{
	int rc = pd_tx_error(tx);
	return rc ? rc : PD_ERR_DB;
}

bool pd_category_admin_any(const struct pd_actor *actor)
{
	for (size_t i = 0; actor && i < actor->n_grants; i++)
		if (actor->grants[i].role == PD_ROLE_ADMINISTRATOR)
			return true;
	return actor && actor->system;
}

static void to_admin(const struct pd_cmp_category_row *r, struct pd_category_admin *out)
{
	memset(out, 0, sizeof *out);
	out->k = (struct pd_complaint_category){r->id, r->code, r->name, r->description,
	                                        r->keywords, r->unit_id, r->unit_slug,
	                                        r->unit_name, r->deadline_days, r->enabled};
	out->unit_path = r->unit_path;
	out->version = r->version;
	out->updated_ms = r->updated_ms;
}

static int configure(const struct pd_actor *actor, const char *unit_path)
{
	struct pd_authz_object o = {NULL, unit_path};
	return pd_authz(actor, PD_ACT_CONFIGURE, &o);
}

/* --- reading --------------------------------------------------------------------------------- */

struct list_arg {
	const char *paths[GRANT_PATHS];
	int n_paths;
	const char *after;
	struct pd_arena *a;
	struct pd_category_admin *out;
	int *n;
	const char **next;
};

static int list_tx(struct pd_tx *tx, void *p)
{
	struct list_arg *l = p;
	struct pd_cmp_category_row rows[PD_CATEGORY_ADMIN_PAGE + 1];
	int n = 0;
	if (pd_store_cmpp_categories_admin(tx, l->paths, l->n_paths, l->after, l->a, rows,
	                                   PD_CATEGORY_ADMIN_PAGE + 1, &n) < 0)
		return db_error(tx);
	*l->next = NULL;
	if (n > PD_CATEGORY_ADMIN_PAGE) {
		n = PD_CATEGORY_ADMIN_PAGE;
		*l->next = rows[n - 1].code;
	}
	for (int i = 0; i < n; i++)
		to_admin(&rows[i], &l->out[i]);
	*l->n = n;
	return PD_OK;
}

int pd_category_admin_list(struct pd_store *st, const struct pd_actor *actor,
                           const char *after_code, struct pd_arena *a,
                           struct pd_category_admin *out, int *n, const char **next)
{
	*n = 0;
	*next = NULL;
	if (!pd_category_admin_any(actor))
		return PD_ERR_NOT_FOUND;
	if (after_code && strlen(after_code) > 64)
		return PD_ERR_INVALID;
	struct list_arg l = {{NULL}, 0, after_code ? after_code : "", a, out, n, next};
	if (actor->system)
		l.paths[l.n_paths++] = "/";
	for (size_t i = 0; i < actor->n_grants && l.n_paths < GRANT_PATHS; i++)
		if (actor->grants[i].role == PD_ROLE_ADMINISTRATOR && actor->grants[i].unit_path)
			l.paths[l.n_paths++] = actor->grants[i].unit_path;
	return pd_store_read(st, list_tx, &l);
}

/* The category at code with the actor's access to it: PD_OK, NOT_FOUND or FORBIDDEN. */
static int load(struct pd_tx *tx, const struct pd_actor *actor, const char *code,
                struct pd_arena *a, struct pd_cmp_category_row *row)
{
	if (!code || !*code || strlen(code) > 64)
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_cmp_category_by_code(tx, code, a, row);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	return configure(actor, row->unit_path);
}

struct get_arg {
	const struct pd_actor *actor;
	const char *code;
	struct pd_arena *a;
	struct pd_category_admin *out;
};

static int get_tx(struct pd_tx *tx, void *p)
{
	struct get_arg *g = p;
	struct pd_cmp_category_row row;
	int rc = load(tx, g->actor, g->code, g->a, &row);
	if (!rc)
		to_admin(&row, g->out);
	return rc;
}

int pd_category_admin_get(struct pd_store *st, const struct pd_actor *actor, const char *code,
                          struct pd_arena *a, struct pd_category_admin *out)
{
	struct get_arg g = {actor, code, a, out};
	return pd_store_read(st, get_tx, &g);
}

/* --- checks ---------------------------------------------------------------------------------- */

static bool code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

void pd_category_check(const struct pd_category_input *in, bool create,
                       struct pd_app_errors *errs)
{
	/* "baru" is the path of the add page (/admin/pengaduan/kategori/baru). */
	if (create && (!code_ok(in->code) || strcmp(in->code, "baru") == 0))
		pd_app_error(errs, "code", N_("Kode: 1 sampai 64 huruf kecil, angka atau tanda hubung."));
	if (!pd_app_text_ok(in->name, PD_CATEGORY_NAME_MAX, true))
		pd_app_error(errs, "name", N_("Isi nama kategori, paling banyak 120 karakter."));
	if (!pd_app_text_ok(in->description, PD_CATEGORY_DESCRIPTION_MAX, false))
		pd_app_error(errs, "description", N_("Uraian paling banyak 1.000 karakter."));
	if (!pd_app_text_ok(in->keywords, PD_CATEGORY_KEYWORDS_MAX, false))
		pd_app_error(errs, "keywords", N_("Kata kunci paling banyak 500 karakter."));
	if (in->deadline_days < 1 || in->deadline_days > 90)
		pd_app_error(errs, "deadline_days", N_("Batas waktu: 1 sampai 90 hari kerja."));
	if (!in->unit_slug || !pd_slug_valid(in->unit_slug))
		pd_app_error(errs, "unit", N_("Pilih unit penanggung jawab."));
}

/* The unit of in->unit_slug that the actor may configure, or an error (errs "unit"). */
static int target_unit(struct pd_tx *tx, const struct pd_app_ctx *c, const char *slug,
                       struct pd_unit *u, struct pd_app_errors *errs)
{
	enum pd_qs qs = pd_store_unit_by_slug(tx, slug, NULL, u);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE || configure(c->actor, u->path) != PD_OK) {
		pd_app_error(errs, "unit", N_("Pilih unit yang Anda kelola."));
		return PD_ERR_INVALID;
	}
	return PD_OK;
}

static int audit(struct pd_tx *tx, const struct pd_app_ctx *c, const char *action,
                 const char *id, const char *unit_id, const char *code)
{
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_audit_event ev = {
		.actor = pd_app_audit_actor(a, c->actor), .action = action,
		.object_type = "complaint_category", .object_id = id, .unit_id = unit_id,
		.details = pd_arena_printf(a, "{\"code\":\"%s\"}", code), .ts_ms = pd_app_now(c)};
	return pd_audit_append(tx, &ev);
}

/* --- writes ---------------------------------------------------------------------------------- */

int pd_category_create(struct pd_tx *tx, const struct pd_app_ctx *c,
                       const struct pd_category_input *in, struct pd_app_errors *errs)
{
	if (!pd_category_admin_any(c->actor))
		return PD_ERR_NOT_FOUND;
	pd_category_check(in, true, errs);
	if (errs->n)
		return PD_ERR_INVALID;
	struct pd_unit u;
	int rc = target_unit(tx, c, in->unit_slug, &u, errs);
	if (rc)
		return rc;
	struct pd_cmp_category_row old;
	enum pd_qs qs = pd_store_cmp_category_by_code(tx, in->code, NULL, &old);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_ONE) {
		pd_app_error(errs, "code", N_("Kode ini sudah dipakai kategori lain."));
		return PD_ERR_INVALID;
	}
	char id[37];
	rc = pd_complaint_category_add(tx, c, in->code, in->name, in->description, in->unit_slug,
	                               in->deadline_days, in->keywords, id);
	if (rc == PD_ERR_CONFLICT) {
		pd_app_error(errs, "code", N_("Kode ini sudah dipakai kategori lain."));
		return rc;
	}
	if (rc || in->enabled)
		return rc;
	return pd_category_set_enabled(tx, c, in->code, 0, false);
}

/* Writes row at version (0: its current one) and audits action. */
static int write_row(struct pd_tx *tx, const struct pd_app_ctx *c, struct pd_cmp_category_row *row,
                     int64_t version, const char *action)
{
	if (version && version != row->version)
		return PD_ERR_CONFLICT;
	row->updated_ms = pd_app_now(c);
	enum pd_qs qs = pd_store_cmpp_category_update(tx, row, row->version);
	if (qs < 0)
		return db_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_CONFLICT;
	return audit(tx, c, action, row->id, row->unit_id, row->code);
}

int pd_category_update(struct pd_tx *tx, const struct pd_app_ctx *c, const char *code,
                       int64_t version, const struct pd_category_input *in,
                       struct pd_app_errors *errs)
{
	struct pd_cmp_category_row row;
	int rc = load(tx, c->actor, code, NULL, &row);
	if (rc)
		return rc;
	pd_category_check(in, false, errs);
	if (errs->n)
		return PD_ERR_INVALID;
	struct pd_unit u;
	rc = target_unit(tx, c, in->unit_slug, &u, errs);
	if (rc)
		return rc;
	row.name = in->name;
	row.description = in->description ? in->description : "";
	row.keywords = in->keywords ? in->keywords : "";
	row.deadline_days = in->deadline_days;
	row.unit_id = u.id;
	bool was = row.enabled;
	row.enabled = in->enabled;
	rc = write_row(tx, c, &row, version, "complaint.category.update");
	if (!rc && was != in->enabled)
		rc = audit(tx, c, in->enabled ? "complaint.category.enable" : "complaint.category.disable",
		           row.id, row.unit_id, row.code);
	return rc;
}

int pd_category_set_enabled(struct pd_tx *tx, const struct pd_app_ctx *c, const char *code,
                            int64_t version, bool enabled)
{
	struct pd_cmp_category_row row;
	int rc = load(tx, c->actor, code, NULL, &row);
	if (rc)
		return rc;
	row.enabled = enabled;
	return write_row(tx, c, &row, version,
	                 enabled ? "complaint.category.enable" : "complaint.category.disable");
}
