/* Administration of services and of units' Maklumat Pelayanan: the administrators' lists, the
 * access checks (PD_ACT_CONFIGURE on the owner unit's subtree), field-by-field checks and
 * audited writes inside the caller's transaction. */
#include "domain/service_admin.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/audit.h"
#include "store/form_store.h"
#include "store/service_store.h"

#define TEXT_MAX 8000 /* as the catalogue: the longest Standar Pelayanan text */

bool pd_service_admin_any(const struct pd_actor *actor)
{
	for (size_t i = 0; actor && i < actor->n_grants; i++)
		if (actor->grants[i].role == PD_ROLE_ADMINISTRATOR)
			return true;
	return actor && actor->system;
}

struct list_arg {
	const struct pd_actor *actor;
	const char *unit_slug, *after;
	struct pd_arena *a;
	struct pd_service_admin_page *out;
};

static int list_tx(struct pd_tx *tx, void *p)
{
	struct list_arg *la = p;
	struct pd_service_admin_page *out = la->out;
	struct pd_unit u;
	enum pd_qs qs = pd_store_unit_by_slug(tx, la->unit_slug, la->a, &u);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_authz_object obj = {NULL, u.path};
	int rc = pd_authz(la->actor, PD_ACT_CONFIGURE, &obj);
	if (rc)
		return rc;
	out->unit_slug = u.slug;
	out->unit_name = u.name;
	for (int i = 0; i < out->n_scopes; i++) {
		struct pd_unit su;
		qs = pd_store_unit_by_slug(tx, out->scope_slugs[i], la->a, &su);
		if (qs < 0)
			return pd_tx_error(tx);
		if (qs == PD_QS_ONE)
			out->scope_names[i] = su.name;
	}
	int limit = PD_SERVICE_ADMIN_PAGE;
	if (pd_store_service_admin_list(tx, u.path, la->after, la->a, out->items, limit + 1,
	                                &out->n_items) < 0)
		return pd_tx_error(tx);
	out->next_after = NULL;
	if (out->n_items > limit) {
		out->n_items = limit;
		out->next_after = out->items[limit - 1].id;
	}
	return PD_OK;
}

int pd_service_admin_list(struct pd_store *st, const struct pd_actor *actor,
                          const char *unit_slug, const char *after, struct pd_arena *a,
                          struct pd_service_admin_page *out)
{
	memset(out, 0, sizeof *out);
	if (!actor || !actor->account_id)
		return PD_ERR_NOT_FOUND;
	if (after && *after && !pd_uuid_valid(after))
		return PD_ERR_INVALID;
	out->scope_slugs = pd_arena_alloc(a, sizeof *out->scope_slugs * PD_SERVICE_ADMIN_SCOPES);
	out->scope_names = pd_arena_alloc(a, sizeof *out->scope_names * PD_SERVICE_ADMIN_SCOPES);
	out->items = pd_arena_alloc(a, sizeof *out->items * (PD_SERVICE_ADMIN_PAGE + 1));
	if (!out->scope_slugs || !out->scope_names || !out->items)
		return PD_ERR_NOMEM;
	for (size_t i = 0; i < actor->n_grants && out->n_scopes < PD_SERVICE_ADMIN_SCOPES; i++) {
		const struct pd_grant *g = &actor->grants[i];
		if (g->role != PD_ROLE_ADMINISTRATOR || !g->unit_slug)
			continue;
		out->scope_slugs[out->n_scopes] = g->unit_slug;
		out->scope_names[out->n_scopes] = g->unit_slug; /* named in list_tx */
		out->n_scopes++;
	}
	if (!unit_slug || !*unit_slug) {
		if (out->n_scopes == 0)
			return PD_ERR_NOT_FOUND;
		unit_slug = out->scope_slugs[0];
	}
	if (!pd_slug_valid(unit_slug))
		return PD_ERR_NOT_FOUND;
	struct list_arg la = {actor, unit_slug, after && *after ? after : NULL, a, out};
	return pd_store_read(st, list_tx, &la);
}

struct units_arg {
	const struct pd_actor *actor;
	struct pd_arena *a;
	const char **slugs, **names;
	int n;
};

static int units_tx(struct pd_tx *tx, void *p)
{
	struct units_arg *ua = p;
	ua->n = 0;
	struct pd_unit *buf = pd_arena_alloc(ua->a, sizeof *buf * PD_SERVICE_ADMIN_UNITS);
	if (!buf)
		return PD_ERR_NOMEM;
	for (size_t i = 0; i < ua->actor->n_grants; i++) {
		const struct pd_grant *g = &ua->actor->grants[i];
		int room = PD_SERVICE_ADMIN_UNITS - ua->n, got = 0;
		if (g->role != PD_ROLE_ADMINISTRATOR || !g->unit_path || room <= 0)
			continue;
		if (pd_store_unit_subtree(tx, g->unit_path, NULL, ua->a, buf, room, &got) < 0)
			return pd_tx_error(tx);
		for (int k = 0; k < got; k++) {
			bool seen = false;
			for (int j = 0; j < ua->n && !seen; j++)
				seen = strcmp(ua->slugs[j], buf[k].slug) == 0;
			if (!seen) {
				ua->slugs[ua->n] = buf[k].slug;
				ua->names[ua->n++] = buf[k].name;
			}
		}
	}
	return PD_OK;
}

int pd_service_admin_units(struct pd_store *st, const struct pd_actor *actor,
                           struct pd_arena *a, const char ***slugs, const char ***names, int *n)
{
	struct units_arg ua = {actor, a, pd_arena_alloc(a, sizeof(char *) * PD_SERVICE_ADMIN_UNITS),
	                       pd_arena_alloc(a, sizeof(char *) * PD_SERVICE_ADMIN_UNITS), 0};
	*n = 0;
	if (!ua.slugs || !ua.names)
		return PD_ERR_NOMEM;
	int rc = actor ? pd_store_read(st, units_tx, &ua) : PD_OK;
	*slugs = ua.slugs;
	*names = ua.names;
	*n = ua.n;
	return rc;
}

struct get_arg {
	const struct pd_actor *actor;
	const char *slug;
	struct pd_arena *a;
	struct pd_service *out;
	struct pd_form *form;
};

static int get_tx(struct pd_tx *tx, void *p)
{
	struct get_arg *ga = p;
	enum pd_qs qs = pd_store_service_by_slug(tx, ga->slug, ga->a, ga->out);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_authz_object obj = {NULL, ga->out->unit_path};
	int rc = pd_authz(ga->actor, PD_ACT_CONFIGURE, &obj);
	if (rc)
		return rc;
	return ga->form ? pd_form_current_tx(tx, ga->out->id, ga->a, ga->form) : PD_OK;
}

int pd_service_admin_get(struct pd_store *st, const struct pd_actor *actor, const char *slug,
                         struct pd_arena *a, struct pd_service *out, struct pd_form *form)
{
	if (!slug || !pd_slug_valid(slug))
		return PD_ERR_NOT_FOUND;
	struct get_arg ga = {actor, slug, a, out, form};
	return pd_store_read(st, get_tx, &ga);
}

/* --- checks and writes -------------------------------------------------------------------------- */

static bool text_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	return n <= max && pd_utf8_valid(s ? s : "", n);
}

void pd_service_admin_check(const struct pd_catalogue_input *in, bool create,
                            struct pd_field_errors *errs)
{
	const struct pd_service *s = &in->s;
	if (create && (!in->unit_slug || !pd_slug_valid(in->unit_slug)))
		pd_field_error(errs, "unit", N_("Pilih unit pemilik layanan."));
	/* "baru" is the path of the page that creates a service. */
	if (!s->slug || !pd_slug_valid(s->slug) || strcmp(s->slug, "baru") == 0)
		pd_field_error(errs, "slug", N_("Alamat singkat: 1–64 huruf kecil a-z, angka atau tanda hubung."));
	if (!s->name || !*s->name || strlen(s->name) > 200 || !text_ok(s->name, 200))
		pd_field_error(errs, "name", N_("Tulis nama layanan (paling banyak 200 byte)."));
	if (!s->category || !*s->category || !text_ok(s->category, 100))
		pd_field_error(errs, "category", N_("Tulis kategori (paling banyak 100 byte)."));
	/* UU 25/2009 Pasal 21 huruf e: the time is stated, in working days. */
	if (s->processing_days < 0 || s->processing_days > 3650)
		pd_field_error(errs, "processing_days", N_("Jangka waktu: 0 sampai 3650 hari kerja."));
	if (s->fee < 0 || s->fee > 1000000000000LL)
		pd_field_error(errs, "fee", N_("Biaya: 0 (gratis) atau jumlah rupiah tanpa titik."));
	struct pd_catalogue_part texts[1 + PD_CATALOGUE_STANDARD_N] = {{"summary", s->summary}};
	int n_texts = 1 + pd_catalogue_standard(s, texts + 1);
	for (int i = 0; i < n_texts; i++)
		if (!text_ok(texts[i].value, TEXT_MAX))
			pd_field_error(errs, texts[i].key, N_("Teks terlalu panjang (paling banyak 8000 byte)."));
}

int pd_service_admin_save_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                             const struct pd_catalogue_input *in, struct pd_field_errors *errs)
{
	memset(errs, 0, sizeof *errs);
	pd_service_admin_check(in, slug == NULL, errs);
	if (errs->n)
		return PD_ERR_INVALID;
	char err[200];
	int rc = slug ? pd_catalogue_update_tx(tx, actor, slug, in, err, sizeof err)
	              : pd_catalogue_create_tx(tx, actor, in, NULL, err, sizeof err);
	if (rc == PD_ERR_CONFLICT)
		pd_field_error(errs, "slug", N_("Alamat singkat ini sudah dipakai layanan lain."));
	else if (rc == PD_ERR_NOT_FOUND && !slug)
		pd_field_error(errs, "unit", N_("Pilih unit pemilik layanan."));
	else if (rc == PD_ERR_INVALID)
		pd_field_error(errs, "name", N_("Isian belum benar."));
	return rc;
}

/* --- Maklumat Pelayanan ---------------------------------------------------------------------- */

int pd_maklumat_of_unit_tx(struct pd_tx *tx, const char *unit_id, struct pd_arena *a,
                           const char **text)
{
	int64_t ms;
	*text = "";
	enum pd_qs qs = pd_store_maklumat_get(tx, unit_id, a, text, &ms);
	if (qs < 0)
		return pd_tx_error(tx);
	return PD_OK;
}

struct of_unit_arg {
	const char *unit_id;
	struct pd_arena *a;
	const char **text;
};

static int of_unit_tx(struct pd_tx *tx, void *p)
{
	struct of_unit_arg *oa = p;
	return pd_maklumat_of_unit_tx(tx, oa->unit_id, oa->a, oa->text);
}

int pd_maklumat_of_unit(struct pd_store *st, const char *unit_id, struct pd_arena *a,
                        const char **text)
{
	*text = "";
	struct of_unit_arg oa = {unit_id, a, text};
	return unit_id ? pd_store_read(st, of_unit_tx, &oa) : PD_OK;
}

/* The unit at slug into *u, checked for actor. */
static int unit_for(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                    struct pd_arena *a, struct pd_unit *u)
{
	if (!slug || !pd_slug_valid(slug))
		return PD_ERR_NOT_FOUND;
	enum pd_qs qs = pd_store_unit_by_slug(tx, slug, a, u);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_authz_object obj = {NULL, u->path};
	return pd_authz(actor, PD_ACT_CONFIGURE, &obj);
}

struct mk_get_arg {
	const struct pd_actor *actor;
	const char *slug;
	struct pd_arena *a;
	struct pd_maklumat *out;
};

static int mk_get_tx(struct pd_tx *tx, void *p)
{
	struct mk_get_arg *ga = p;
	int rc = unit_for(tx, ga->actor, ga->slug, ga->a, &ga->out->unit);
	if (rc)
		return rc;
	ga->out->text = "";
	ga->out->updated_ms = 0;
	if (pd_store_maklumat_get(tx, ga->out->unit.id, ga->a, &ga->out->text,
	                          &ga->out->updated_ms) < 0)
		return pd_tx_error(tx);
	return PD_OK;
}

int pd_maklumat_admin_get(struct pd_store *st, const struct pd_actor *actor, const char *slug,
                          struct pd_arena *a, struct pd_maklumat *out)
{
	memset(out, 0, sizeof *out);
	struct mk_get_arg ga = {actor, slug, a, out};
	return pd_store_read(st, mk_get_tx, &ga);
}

int pd_maklumat_set_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                       const char *text, struct pd_field_errors *errs)
{
	memset(errs, 0, sizeof *errs);
	struct pd_unit u;
	int rc = unit_for(tx, actor, slug, pd_tx_arena(tx), &u);
	if (rc)
		return rc;
	text = text ? text : "";
	size_t n = strlen(text);
	bool ok = n <= PD_MAKLUMAT_MAX && pd_utf8_valid(text, n);
	for (size_t i = 0; ok && i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		ok = !(c < 0x20 && c != '\n' && c != '\r' && c != '\t') && c != 0x7f;
	}
	if (!ok) {
		pd_field_error(errs, "text", N_("Maklumat paling banyak 4000 byte teks."));
		return PD_ERR_INVALID;
	}
	int64_t now = pd_clock_now_ms();
	const char *actor_ref = actor->system || !actor->account_id
	                            ? "system"
	                            : pd_arena_printf(pd_tx_arena(tx), "account:%s", actor->account_id);
	if (pd_store_maklumat_put(tx, u.id, text, now, actor_ref) < 0)
		return pd_tx_error(tx);
	json_t *d = json_pack("{s:s,s:i}", "slug", u.slug, "bytes", (int)n);
	char *details = d ? json_dumps(d, JSON_COMPACT) : NULL;
	json_decref(d);
	if (!details)
		return PD_ERR_NOMEM;
	struct pd_audit_event ev = {.actor = actor_ref, .action = "unit.maklumat.update",
	                            .object_type = "unit", .object_id = u.id, .unit_id = u.id,
	                            .details = details, .ts_ms = now};
	rc = pd_audit_append(tx, &ev);
	free(details);
	return rc;
}
