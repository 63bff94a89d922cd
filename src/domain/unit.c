/* Organisation units: which kinds may sit under which, slugs, area codes, and the tree views. */
#include "domain/unit.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/audit.h"

static const char *const kinds[] = {"nation", "province", "regency", "city", "district",
                                    "village", "agency", NULL};

bool pd_unit_path_is_top(const char *path)
{
	if (!path || path[0] != '/')
		return false;
	const char *second = strchr(path + 1, '/');
	return second && second > path + 1 && second[1] == '\0';
}

int pd_unit_kind_valid(const char *kind)
{
	for (int i = 0; kinds[i]; i++)
		if (kind && strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

/* Which parent kinds a region may have (agencies may sit under any unit). */
static int parent_ok(const char *kind, const char *parent_kind)
{
	if (strcmp(kind, "agency") == 0)
		return 1;
	if (!parent_kind)
		return strcmp(kind, "nation") == 0 || strcmp(kind, "province") == 0 ||
		       strcmp(kind, "regency") == 0 || strcmp(kind, "city") == 0;
	if (strcmp(kind, "province") == 0)
		return strcmp(parent_kind, "nation") == 0;
	if (strcmp(kind, "regency") == 0 || strcmp(kind, "city") == 0)
		return strcmp(parent_kind, "province") == 0;
	if (strcmp(kind, "district") == 0)
		return strcmp(parent_kind, "regency") == 0 || strcmp(parent_kind, "city") == 0;
	if (strcmp(kind, "village") == 0)
		return strcmp(parent_kind, "district") == 0;
	return 0;
}

/* Kemendagri area codes: digits in dot-separated groups, e.g. 32.01.05.2003. */
static int code_valid(const char *code)
{
	size_t n = strlen(code);
	if (n == 0 || n > 20 || code[0] == '.' || code[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((code[i] >= '0' && code[i] <= '9') || (code[i] == '.' && code[i + 1] != '.')))
			return 0;
	return 1;
}

struct add_arg {
	struct pd_unit u;
	const char *actor;
	const char *parent_slug;
	int why; /* 1: parent missing, 2: parent kind */
	char parent_kind[16]; /* copied: the transaction's arena is gone when the caller reads it */
};

static int add_tx(struct pd_tx *tx, void *p)
{
	struct add_arg *aa = p;
	struct pd_arena *a = pd_tx_arena(tx);
	aa->why = 0;
	aa->parent_kind[0] = '\0';
	if (aa->parent_slug) {
		struct pd_unit parent;
		enum pd_qs qs = pd_store_unit_by_slug(tx, aa->parent_slug, a, &parent);
		if (qs < 0)
			return pd_tx_error(tx);
		if (qs == PD_QS_NONE) {
			aa->why = 1;
			return PD_ERR_NOT_FOUND;
		}
		if (!parent_ok(aa->u.kind, parent.kind)) {
			aa->why = 2;
			snprintf(aa->parent_kind, sizeof aa->parent_kind, "%s", parent.kind);
			return PD_ERR_INVALID;
		}
		aa->u.parent_id = parent.id;
		aa->u.path = pd_arena_printf(a, "%s%s/", parent.path, aa->u.id);
	} else {
		if (!parent_ok(aa->u.kind, NULL)) {
			aa->why = 2;
			return PD_ERR_INVALID;
		}
		aa->u.parent_id = NULL;
		aa->u.path = pd_arena_printf(a, "/%s/", aa->u.id);
	}
	pd_store_unit_insert(tx, &aa->u);
	if (pd_tx_error(tx))
		return pd_tx_error(tx);
	/* The audit entry, last in the transaction: ids and codes only. */
	json_t *d = json_pack("{s:s,s:s,s:s?}", "slug", aa->u.slug, "kind", aa->u.kind, "parent_id",
	                      aa->u.parent_id);
	char *details = d ? json_dumps(d, JSON_COMPACT) : NULL;
	json_decref(d);
	if (!details)
		return PD_ERR_NOMEM;
	struct pd_audit_event ev = {
		.actor = aa->actor,
		.action = "unit.add",
		.object_type = "unit",
		.object_id = aa->u.id,
		.unit_id = aa->u.id,
		.details = details,
		.ts_ms = aa->u.created_ms,
	};
	int rc = pd_audit_append(tx, &ev);
	free(details);
	return rc;
}

int pd_unit_add(struct pd_store *st, const char *actor, const struct pd_unit_new *in,
                char id_out[37], char *err, size_t errlen)
{
	if (!actor || !*actor) {
		snprintf(err, errlen, "who adds the unit is not known");
		return PD_ERR_INVALID;
	}
	if (!in->slug || !pd_slug_valid(in->slug)) {
		snprintf(err, errlen, "slug must be 1-64 of a-z, 0-9 and '-', not starting or ending with '-'");
		return PD_ERR_INVALID;
	}
	if (!in->name || !*in->name || strlen(in->name) > 200 ||
	    !pd_utf8_valid(in->name, strlen(in->name))) {
		snprintf(err, errlen, "name must be 1-200 bytes of UTF-8");
		return PD_ERR_INVALID;
	}
	if (!pd_unit_kind_valid(in->kind)) {
		snprintf(err, errlen, "kind must be one of nation, province, regency, city, district, village, agency");
		return PD_ERR_INVALID;
	}
	if (in->code && *in->code && !code_valid(in->code)) {
		snprintf(err, errlen, "code must be a Kemendagri area code: digits in dot-separated groups");
		return PD_ERR_INVALID;
	}
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	struct add_arg aa = {
		.u = {.id = id, .slug = in->slug, .kind = in->kind, .name = in->name,
		      .code = (in->code && *in->code) ? in->code : NULL,
		      .created_ms = pd_clock_now_ms()},
		.actor = actor,
		.parent_slug = (in->parent_slug && *in->parent_slug) ? in->parent_slug : NULL,
	};
	int rc = pd_store_write(st, add_tx, &aa);
	if (rc == PD_ERR_CONFLICT)
		snprintf(err, errlen, "a unit with slug %s already exists", in->slug);
	else if (rc == PD_ERR_NOT_FOUND)
		snprintf(err, errlen, "no parent unit with slug %s", aa.parent_slug);
	else if (rc == PD_ERR_INVALID && aa.why == 2)
		snprintf(err, errlen, "a %s cannot be placed %s%s", in->kind,
		         aa.parent_kind[0] ? "under a " : "at the top of the tree",
		         aa.parent_kind);
	else if (rc)
		snprintf(err, errlen, "%s", pd_strerror(rc));
	if (!rc && id_out)
		memcpy(id_out, id, PD_UUID_LEN + 1);
	return rc;
}

struct view_arg {
	const char *slug, *after;
	int limit;
	struct pd_arena *a;
	struct pd_unit_view *out;
};

static int view_tx(struct pd_tx *tx, void *p)
{
	struct view_arg *va = p;
	struct pd_unit_view *v = va->out;
	memset(v, 0, sizeof *v);
	const char *parent_id = NULL;
	if (va->slug) {
		enum pd_qs qs = pd_store_unit_by_slug(tx, va->slug, va->a, &v->unit);
		if (qs < 0)
			return pd_tx_error(tx);
		if (qs == PD_QS_NONE)
			return PD_ERR_NOT_FOUND;
		parent_id = v->unit.id;
		/* Ancestors from the materialised path "/id1/id2/…/self/". */
		int depth = 0;
		for (const char *c = v->unit.path; *c; c++)
			depth += *c == '/';
		v->ancestors = pd_arena_alloc(va->a, (size_t)(depth + 1) * sizeof *v->ancestors);
		const char *s = v->unit.path + 1;
		while (*s) {
			const char *e = strchr(s, '/');
			if (!e)
				break;
			char *id = pd_arena_strndup(va->a, s, (size_t)(e - s));
			if (strcmp(id, v->unit.id) != 0 &&
			    pd_store_unit_by_id(tx, id, va->a, &v->ancestors[v->n_ancestors]) == PD_QS_ONE)
				v->n_ancestors++;
			s = e + 1;
		}
	}
	/* One more than asked tells whether another page follows. */
	v->children = pd_arena_alloc(va->a, (size_t)(va->limit + 1) * sizeof *v->children);
	pd_store_unit_children(tx, parent_id, va->after, va->a, v->children, va->limit + 1,
	                       &v->n_children);
	if (v->n_children > va->limit) {
		v->n_children = va->limit;
		v->next_after = v->children[va->limit - 1].id;
	}
	return pd_tx_error(tx);
}

int pd_unit_view(struct pd_store *st, const char *slug, const char *after, int limit,
                 struct pd_arena *a, struct pd_unit_view *out)
{
	if (limit < 1 || limit > PD_UNIT_PAGE_MAX)
		limit = PD_UNIT_PAGE_MAX;
	struct view_arg va = {slug, after, limit, a, out};
	return pd_store_read(st, view_tx, &va);
}

struct each_arg {
	void (*fn)(const struct pd_unit *u, const char *parent_slug, void *arg);
	void *arg;
};

static int each_tx(struct pd_tx *tx, void *p)
{
	struct each_arg *ea = p;
	struct pd_arena *a = pd_arena_new();
	const char *after = NULL;
	struct pd_unit batch[256];
	const char *parent_slugs[256];
	int n;
	int rc = PD_OK;
	/* Keyset over the materialised path: every unit, parents before children, each with its
	 * parent's slug from the same query. */
	do {
		pd_store_unit_subtree_parents(tx, "/", after, a, batch, parent_slugs, 256, &n);
		if (pd_tx_error(tx)) {
			rc = pd_tx_error(tx);
			break;
		}
		for (int i = 0; i < n; i++)
			ea->fn(&batch[i], parent_slugs[i], ea->arg);
		if (n)
			after = pd_arena_strdup(a, batch[n - 1].path);
	} while (n == 256);
	pd_arena_free(a);
	return rc;
}

int pd_unit_each(struct pd_store *st,
                 void (*fn)(const struct pd_unit *u, const char *parent_slug, void *arg), void *arg)
{
	struct each_arg ea = {fn, arg};
	return pd_store_read(st, each_tx, &ea);
}
