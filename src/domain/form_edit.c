/* Application forms in the database: loading any version, saving the next one with its audit
 * entry, and the administrators' builder edits (add, change, remove, move a field). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/str.h"
#include "domain/audit.h"
#include "domain/form.h"
#include "store/form_store.h"
#include "store/service_store.h"

static int fill(const struct pd_form_row *r, struct pd_arena *a, struct pd_form *out)
{
	out->service_id = pd_arena_strdup(a, r->service_id);
	out->version = (int)r->version;
	out->created_ms = r->created_ms;
	return pd_form_fields_parse(r->fields_json, a, &out->fields, &out->n_fields);
}

static void empty(const char *service_id, struct pd_arena *a, struct pd_form *out)
{
	memset(out, 0, sizeof *out);
	out->service_id = pd_arena_strdup(a, service_id);
}

int pd_form_current_tx(struct pd_tx *tx, const char *service_id, struct pd_arena *a,
                       struct pd_form *out)
{
	empty(service_id, a, out);
	struct pd_form_row r;
	enum pd_qs qs = pd_store_form_latest(tx, service_id, a, &r);
	if (qs < 0)
		return pd_tx_error(tx);
	return qs == PD_QS_NONE ? PD_OK : fill(&r, a, out);
}

int pd_form_version_tx(struct pd_tx *tx, const char *service_id, int version,
                       struct pd_arena *a, struct pd_form *out)
{
	empty(service_id, a, out);
	if (version == 0)
		return PD_OK;
	if (version < 0)
		return PD_ERR_NOT_FOUND;
	struct pd_form_row r;
	enum pd_qs qs = pd_store_form_get(tx, service_id, version, a, &r);
	if (qs < 0)
		return pd_tx_error(tx);
	return qs == PD_QS_NONE ? PD_ERR_NOT_FOUND : fill(&r, a, out);
}

struct load_arg {
	const char *service_id;
	int version; /* -1: current */
	struct pd_arena *a;
	struct pd_form *out;
};

static int load_tx(struct pd_tx *tx, void *p)
{
	struct load_arg *la = p;
	if (la->version < 0)
		return pd_form_current_tx(tx, la->service_id, la->a, la->out);
	return pd_form_version_tx(tx, la->service_id, la->version, la->a, la->out);
}

int pd_form_current(struct pd_store *st, const char *service_id, struct pd_arena *a,
                    struct pd_form *out)
{
	struct load_arg la = {service_id, -1, a, out};
	return pd_store_read(st, load_tx, &la);
}

int pd_form_version(struct pd_store *st, const char *service_id, int version,
                    struct pd_arena *a, struct pd_form *out)
{
	if (version < 0)
		return PD_ERR_NOT_FOUND;
	struct load_arg la = {service_id, version, a, out};
	return pd_store_read(st, load_tx, &la);
}

/* --- saving ----------------------------------------------------------------------------------- */

/* Writes fields as version (current + 1) of service s, audited with what was done. */
static int save(struct pd_tx *tx, const struct pd_service *s, int current,
                const struct pd_form_field *fields, int n_fields, const char *actor_ref,
                const char *op, const char *key, int *version_out)
{
	struct pd_arena *a = pd_tx_arena(tx);
	int64_t now = pd_clock_now_ms();
	struct pd_form_row r = {.service_id = s->id, .version = current + 1,
	                        .fields_json = pd_form_fields_json(fields, n_fields, a),
	                        .created_ms = now, .created_by = actor_ref};
	if (!r.fields_json)
		return PD_ERR_NOMEM;
	/* Two saves from the same base collide on the primary key: PD_ERR_CONFLICT. */
	if (pd_store_form_insert(tx, &r) < 0)
		return pd_tx_error(tx);
	json_t *d = json_pack("{s:s,s:i,s:i}", "slug", s->slug, "version", current + 1, "fields",
	                      n_fields);
	if (d && op)
		json_object_set_new(d, "op", json_string(op));
	if (d && key)
		json_object_set_new(d, "key", json_string(key));
	char *details = d ? json_dumps(d, JSON_COMPACT) : NULL;
	json_decref(d);
	if (!details)
		return PD_ERR_NOMEM;
	struct pd_audit_event ev = {.actor = actor_ref, .action = "service.form.update",
	                            .object_type = "service", .object_id = s->id,
	                            .unit_id = s->unit_id, .details = details, .ts_ms = now};
	int rc = pd_audit_append(tx, &ev);
	free(details);
	if (rc == PD_OK && version_out)
		*version_out = current + 1;
	return rc;
}

int pd_form_save_new_version(struct pd_tx *tx, const char *service_id, const struct pd_form *f,
                             const char *actor_ref, int *version_out)
{
	char err[160];
	if (pd_form_validate(f, err, sizeof err))
		return PD_ERR_INVALID;
	struct pd_service s;
	enum pd_qs qs = pd_store_service_by_id(tx, service_id, pd_tx_arena(tx), &s);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_form_row r;
	qs = pd_store_form_latest(tx, service_id, pd_tx_arena(tx), &r);
	if (qs < 0)
		return pd_tx_error(tx);
	int current = qs == PD_QS_NONE ? 0 : (int)r.version;
	return save(tx, &s, current, f->fields, f->n_fields, actor_ref ? actor_ref : "system",
	            "replace", NULL, version_out);
}

/* --- the builder --------------------------------------------------------------------------------- */

struct edit_arg {
	const struct pd_actor *actor;
	const char *slug;
	const struct pd_form_edit *edit;
	struct pd_form_field field;   /* ADD, UPDATE: normalised */
	struct pd_field_errors *errs;
	int *version_out;
};

static const char *op_name(enum pd_form_op op)
{
	static const char *names[] = {"add", "update", "remove", "up", "down"};
	return (unsigned)op < sizeof names / sizeof names[0] ? names[op] : "?";
}

static int edit_tx(struct pd_tx *tx, void *p)
{
	struct edit_arg *ea = p;
	const struct pd_form_edit *e = ea->edit;
	struct pd_arena *a = pd_tx_arena(tx);
	struct pd_service s;
	enum pd_qs qs = pd_store_service_by_slug(tx, ea->slug, a, &s);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_authz_object obj = {NULL, s.unit_path};
	int rc = pd_authz(ea->actor, PD_ACT_CONFIGURE, &obj);
	if (rc)
		return rc;
	struct pd_form cur;
	rc = pd_form_current_tx(tx, s.id, a, &cur);
	if (rc)
		return rc == PD_ERR_INVALID ? PD_ERR_DB : rc;
	if (cur.version != e->base_version)
		return PD_ERR_CONFLICT;
	/* The new field list: at most one more than now. */
	int n = cur.n_fields;
	struct pd_form_field *fs = pd_arena_alloc(a, sizeof *fs * (size_t)(n + 1));
	if (!fs)
		return PD_ERR_NOMEM;
	if (n)
		memcpy(fs, cur.fields, sizeof *fs * (size_t)n);
	int at = -1;
	for (int i = 0; e->op != PD_FORM_OP_ADD && i < n; i++)
		if (strcmp(fs[i].key, e->key ? e->key : "") == 0)
			at = i;
	if (e->op != PD_FORM_OP_ADD && at < 0)
		return PD_ERR_NOT_FOUND;
	switch (e->op) {
	case PD_FORM_OP_ADD:
		if (n >= PD_FORM_FIELDS_MAX) {
			pd_field_error(ea->errs, "key", N_("Formulir sudah memiliki 60 isian, jumlah terbanyak."));
			return PD_ERR_INVALID;
		}
		if (pd_form_field_find(&cur, ea->field.key)) {
			pd_field_error(ea->errs, "key", N_("Kunci ini sudah dipakai isian lain."));
			return PD_ERR_INVALID;
		}
		fs[n++] = ea->field;
		break;
	case PD_FORM_OP_UPDATE:
		ea->field.key = fs[at].key; /* stable: answers of earlier versions keep their key */
		fs[at] = ea->field;
		break;
	case PD_FORM_OP_REMOVE:
		memmove(&fs[at], &fs[at + 1], sizeof *fs * (size_t)(n - at - 1));
		n--;
		break;
	case PD_FORM_OP_UP:
	case PD_FORM_OP_DOWN: {
		int to = e->op == PD_FORM_OP_UP ? at - 1 : at + 1;
		if (to < 0 || to >= n) {
			*ea->version_out = cur.version; /* already at the edge: nothing to save */
			return PD_OK;
		}
		struct pd_form_field t = fs[at];
		fs[at] = fs[to];
		fs[to] = t;
		break;
	}
	default:
		return PD_ERR_INVALID;
	}
	const char *actor_ref = ea->actor->system || !ea->actor->account_id
	                            ? "system"
	                            : pd_arena_printf(a, "account:%s", ea->actor->account_id);
	return save(tx, &s, cur.version, fs, n, actor_ref, op_name(e->op), e->key ? e->key
	                                                                          : ea->field.key,
	            ea->version_out);
}

/* The field an ADD or UPDATE writes: what does not belong to its type is dropped, not refused
 * (the builder's one page sends every attribute). */
static struct pd_form_field normalised(const struct pd_form_edit *edit)
{
	struct pd_form_field f = edit->field;
	if (edit->op == PD_FORM_OP_UPDATE)
		f.key = edit->key;
	if (f.type != PD_FORM_CHOICE && f.type != PD_FORM_MULTI)
		f.n_options = 0;
	if (f.type != PD_FORM_TEXT && f.type != PD_FORM_LONGTEXT)
		f.max_len = 0;
	if (f.type != PD_FORM_FILE)
		f.max_bytes = 0;
	return f;
}

int pd_form_edit_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *service_slug,
                    const struct pd_form_edit *edit, struct pd_field_errors *errs,
                    int *version_out)
{
	struct pd_field_errors local;
	int version = 0;
	struct edit_arg ea = {.actor = actor, .slug = service_slug, .edit = edit,
	                      .errs = errs ? errs : &local, .version_out = &version};
	memset(ea.errs, 0, sizeof *ea.errs);
	if (!service_slug || !pd_slug_valid(service_slug))
		return PD_ERR_NOT_FOUND;
	if (edit->op == PD_FORM_OP_ADD || edit->op == PD_FORM_OP_UPDATE) {
		ea.field = normalised(edit);
		pd_form_field_validate(&ea.field, ea.errs);
		if (ea.errs->n)
			return PD_ERR_INVALID;
	}
	int rc = edit_tx(tx, &ea);
	if (rc == PD_OK && version_out)
		*version_out = version;
	return rc;
}

struct write_arg {
	const struct pd_actor *actor;
	const char *slug;
	const struct pd_form_edit *edit;
	struct pd_field_errors *errs;
	int version;
};

static int write_tx(struct pd_tx *tx, void *p)
{
	struct write_arg *wa = p;
	return pd_form_edit_tx(tx, wa->actor, wa->slug, wa->edit, wa->errs, &wa->version);
}

int pd_form_edit(struct pd_store *st, const struct pd_actor *actor, const char *service_slug,
                 const struct pd_form_edit *edit, struct pd_field_errors *errs,
                 int *version_out)
{
	struct pd_field_errors local;
	struct write_arg wa = {actor, service_slug, edit, errs ? errs : &local, 0};
	int rc = pd_store_write(st, write_tx, &wa);
	if (rc == PD_OK && version_out)
		*version_out = wa.version;
	return rc;
}
