/* The public service catalogue: search with stemmed words, keyset pages, and the checked,
 * audited create and update of services by administrators of the owner unit's subtree. */
#include "domain/catalogue.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/stem.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/audit.h"
#include "store/unit_store.h"

#define FILTER_MAX 200     /* most categories or units offered as filters */
#define TEXT_MAX 8000      /* longest Standar Pelayanan text field (bytes) */

struct list_arg {
	const struct pd_catalogue_query *query;
	struct pd_service_filter f;
	struct pd_arena *a;
	struct pd_catalogue_page *out;
	bool unit_missing;
	bool filters_known; /* categories and units copied from the cache: not read again */
};

/* The filter lists (categories, units offering services) are the same for every catalogue
 * page until a service or unit changes: kept per store (serial) and data generation
 * (pd_store_generation, read before the data, so a list read during a write is filed under
 * the older generation and never served after it). */
static struct {
	pthread_mutex_t lock;
	uint64_t serial, gen;
	bool valid;
	struct pd_arena *a;
	const char **categories, **unit_slugs, **unit_names;
	int n_categories, n_units;
} filters = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void copy_list(struct pd_arena *a, const char **from, const char **to, int n)
{
	for (int i = 0; i < n; i++)
		to[i] = pd_arena_strdup(a, from[i] ? from[i] : "");
}

static bool filters_cached(uint64_t serial, uint64_t gen, struct pd_arena *a,
                           struct pd_catalogue_page *out)
{
	bool hit = false;
	pthread_mutex_lock(&filters.lock);
	if (filters.valid && filters.serial == serial && filters.gen == gen) {
		copy_list(a, filters.categories, out->categories, filters.n_categories);
		copy_list(a, filters.unit_slugs, out->unit_slugs, filters.n_units);
		copy_list(a, filters.unit_names, out->unit_names, filters.n_units);
		out->n_categories = filters.n_categories;
		out->n_units = filters.n_units;
		hit = true;
	}
	pthread_mutex_unlock(&filters.lock);
	return hit;
}

static void filters_keep(uint64_t serial, uint64_t gen, const struct pd_catalogue_page *page)
{
	struct pd_arena *fresh = pd_arena_new();
	if (!fresh)
		return;
	const char **cats = pd_arena_alloc(fresh, sizeof *cats * FILTER_MAX);
	const char **slugs = pd_arena_alloc(fresh, sizeof *slugs * FILTER_MAX);
	const char **names = pd_arena_alloc(fresh, sizeof *names * FILTER_MAX);
	if (!cats || !slugs || !names) {
		pd_arena_free(fresh);
		return;
	}
	copy_list(fresh, page->categories, cats, page->n_categories);
	copy_list(fresh, page->unit_slugs, slugs, page->n_units);
	copy_list(fresh, page->unit_names, names, page->n_units);
	pthread_mutex_lock(&filters.lock);
	struct pd_arena *old = filters.a;
	filters.a = fresh;
	filters.categories = cats;
	filters.unit_slugs = slugs;
	filters.unit_names = names;
	filters.n_categories = page->n_categories;
	filters.n_units = page->n_units;
	filters.serial = serial;
	filters.gen = gen;
	filters.valid = true;
	pthread_mutex_unlock(&filters.lock);
	if (old)
		pd_arena_free(old);
}

static int list_tx(struct pd_tx *tx, void *p)
{
	struct list_arg *la = p;
	struct pd_catalogue_page *out = la->out;
	la->unit_missing = false;
	la->f.unit_path = NULL;
	if (la->query->unit && *la->query->unit) {
		struct pd_unit u;
		enum pd_qs qs = pd_store_unit_by_slug(tx, la->query->unit, pd_tx_arena(tx), &u);
		if (qs < 0)
			return pd_tx_error(tx);
		if (qs == PD_QS_NONE) {
			la->unit_missing = true;
			return PD_ERR_NOT_FOUND;
		}
		la->f.unit_path = pd_arena_strdup(la->a, u.path);
	}
	/* One more than asked for tells whether a next page exists. */
	int limit = la->query->limit;
	if (pd_store_service_list(tx, &la->f, la->a, out->items, limit + 1, &out->n_items) < 0)
		return pd_tx_error(tx);
	out->next_after = NULL;
	if (out->n_items > limit) {
		out->n_items = limit;
		out->next_after = out->items[limit - 1].id;
	}
	if (la->filters_known)
		return PD_OK;
	if (pd_store_service_categories(tx, la->a, out->categories, FILTER_MAX,
	                                &out->n_categories) < 0)
		return pd_tx_error(tx);
	if (pd_store_service_units(tx, la->a, out->unit_slugs, out->unit_names, FILTER_MAX,
	                           &out->n_units) < 0)
		return pd_tx_error(tx);
	return PD_OK;
}

int pd_catalogue_list(struct pd_store *st, const struct pd_catalogue_query *query,
                      struct pd_arena *a, struct pd_catalogue_page *out)
{
	memset(out, 0, sizeof *out);
	if (query->limit < 1 || query->limit > PD_CATALOGUE_PAGE_MAX)
		return PD_ERR_INVALID;
	if (query->after && *query->after && !pd_uuid_valid(query->after))
		return PD_ERR_INVALID;
	if (query->q && (strlen(query->q) > PD_CATALOGUE_Q_MAX ||
	                 !pd_utf8_valid(query->q, strlen(query->q))))
		return PD_ERR_INVALID;
	if (query->category && strlen(query->category) > 100)
		return PD_ERR_INVALID;
	struct list_arg la = {.query = query, .a = a, .out = out};
	la.f.category = query->category && *query->category ? query->category : NULL;
	la.f.after_id = query->after && *query->after ? query->after : NULL;
	/* The query's words stemmed exactly like the indexed text (DESIGN §3). */
	if (query->q && *query->q) {
		la.f.stems = pd_stem_text(a, query->q, PD_CATALOGUE_Q_WORDS);
		if (!la.f.stems)
			return PD_ERR_NOMEM;
	}
	out->items = pd_arena_alloc(a, sizeof *out->items * (size_t)(query->limit + 1));
	out->categories = pd_arena_alloc(a, sizeof *out->categories * FILTER_MAX);
	out->unit_slugs = pd_arena_alloc(a, sizeof *out->unit_slugs * FILTER_MAX);
	out->unit_names = pd_arena_alloc(a, sizeof *out->unit_names * FILTER_MAX);
	if (!out->items || !out->categories || !out->unit_slugs || !out->unit_names)
		return PD_ERR_NOMEM;
	uint64_t serial = pd_store_serial(st), gen = 0;
	bool have_gen = pd_store_generation(st, &gen) == PD_OK;
	la.filters_known = have_gen && filters_cached(serial, gen, a, out);
	int rc = pd_store_read(st, list_tx, &la);
	if (!rc && have_gen && !la.filters_known)
		filters_keep(serial, gen, out);
	return rc;
}

struct get_arg {
	const char *slug, *id; /* one of them */
	struct pd_arena *a;
	struct pd_service *out;
};

static int get_tx(struct pd_tx *tx, void *p)
{
	struct get_arg *ga = p;
	enum pd_qs qs = ga->id ? pd_store_service_by_id(tx, ga->id, ga->a, ga->out)
	                       : pd_store_service_by_slug(tx, ga->slug, ga->a, ga->out);
	if (qs < 0)
		return pd_tx_error(tx);
	/* A disabled service is not published. */
	if (qs == PD_QS_NONE || !ga->out->enabled)
		return PD_ERR_NOT_FOUND;
	return PD_OK;
}

int pd_catalogue_get(struct pd_store *st, const char *slug, struct pd_arena *a,
                     struct pd_service *out)
{
	if (!slug || !pd_slug_valid(slug))
		return PD_ERR_NOT_FOUND;
	struct get_arg ga = {slug, NULL, a, out};
	return pd_store_read(st, get_tx, &ga);
}

int pd_catalogue_get_by_id(struct pd_store *st, const char *id, struct pd_arena *a,
                           struct pd_service *out)
{
	if (!id || !pd_uuid_valid(id))
		return PD_ERR_NOT_FOUND;
	struct get_arg ga = {NULL, id, a, out};
	return pd_store_read(st, get_tx, &ga);
}

/* --- create and update --------------------------------------------------------------------- */

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	return n <= max && pd_utf8_valid(s, n);
}

int pd_catalogue_standard(const struct pd_service *s,
                          struct pd_catalogue_part out[PD_CATALOGUE_STANDARD_N])
{
	const struct pd_catalogue_part parts[PD_CATALOGUE_STANDARD_N] = {
		{"legal_basis", s->legal_basis},
		{"requirements", s->requirements},
		{"procedure", s->procedure},
		{"product", s->product},
		{"complaint_channel", s->complaint_channel},
		{"facilities", s->facilities},
		{"staff_competence", s->staff_competence},
		{"internal_oversight", s->internal_oversight},
		{"staff_count", s->staff_count},
		{"service_guarantee", s->service_guarantee},
		{"security_guarantee", s->security_guarantee},
		{"performance_evaluation", s->performance_evaluation},
	};
	memcpy(out, parts, sizeof parts);
	return PD_CATALOGUE_STANDARD_N;
}

/* Copies in->s with NULL text made "", checks it and computes its search stems into *s. */
static int prepare(const struct pd_catalogue_input *in, struct pd_arena *a, struct pd_service *s,
                   char *err, size_t errlen)
{
	*s = in->s;
	const char **fields[] = {&s->slug, &s->name, &s->category, &s->summary, &s->legal_basis,
	                         &s->requirements, &s->procedure, &s->product,
	                         &s->complaint_channel, &s->facilities, &s->staff_competence,
	                         &s->internal_oversight, &s->staff_count, &s->service_guarantee,
	                         &s->security_guarantee, &s->performance_evaluation};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		*fields[i] = nz(*fields[i]);
		if (!text_ok(*fields[i], TEXT_MAX)) {
			snprintf(err, errlen, "every text must be at most %d bytes of UTF-8", TEXT_MAX);
			return PD_ERR_INVALID;
		}
	}
	if (!pd_slug_valid(s->slug)) {
		snprintf(err, errlen, "slug must be 1-64 of a-z, 0-9 and '-'");
		return PD_ERR_INVALID;
	}
	if (!*s->name || strlen(s->name) > 200 || !*s->category || strlen(s->category) > 100) {
		snprintf(err, errlen, "name (1-200 bytes) and category (1-100 bytes) are required");
		return PD_ERR_INVALID;
	}
	/* UU 25/2009 Pasal 21 huruf e: the time is stated, in working days. */
	if (s->processing_days < 0 || s->processing_days > 3650) {
		snprintf(err, errlen, "processing time must be 0-3650 working days");
		return PD_ERR_INVALID;
	}
	if (s->fee < 0 || s->fee > 1000000000000LL) {
		snprintf(err, errlen, "fee must be 0 (free) or a positive number of rupiah");
		return PD_ERR_INVALID;
	}
	char *text = pd_arena_printf(a, "%s %s %s %s", s->name, s->summary, s->requirements,
	                             s->product);
	s->search_stems = text ? pd_stem_text(a, text, 0) : NULL;
	if (!s->search_stems)
		return PD_ERR_NOMEM;
	return PD_OK;
}

struct write_arg {
	const struct pd_actor *actor;
	const char *unit_slug;    /* create: the owner unit */
	const char *old_slug;     /* update: the service changed */
	struct pd_service s;
};

static const char *actor_ref(struct pd_tx *tx, const struct pd_actor *actor)
{
	if (actor->system || !actor->account_id)
		return "system";
	return pd_arena_printf(pd_tx_arena(tx), "account:%s", actor->account_id);
}

static int audit(struct pd_tx *tx, const struct write_arg *wa, const char *action)
{
	json_t *d = json_pack("{s:s,s:b}", "slug", wa->s.slug, "enabled", wa->s.enabled);
	char *details = d ? json_dumps(d, JSON_COMPACT) : NULL;
	json_decref(d);
	if (!details)
		return PD_ERR_NOMEM;
	struct pd_audit_event ev = {
		.actor = actor_ref(tx, wa->actor),
		.action = action,
		.object_type = "service",
		.object_id = wa->s.id,
		.unit_id = wa->s.unit_id,
		.details = details,
		.ts_ms = wa->s.updated_ms,
	};
	int rc = pd_audit_append(tx, &ev);
	free(details);
	return rc;
}

static int create_tx(struct pd_tx *tx, void *p)
{
	struct write_arg *wa = p;
	struct pd_unit u;
	enum pd_qs qs = pd_store_unit_by_slug(tx, wa->unit_slug, pd_tx_arena(tx), &u);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_authz_object obj = {NULL, u.path};
	int rc = pd_authz(wa->actor, PD_ACT_CONFIGURE, &obj);
	if (rc)
		return rc;
	wa->s.unit_id = u.id;
	if (pd_store_service_insert(tx, &wa->s) < 0)
		return pd_tx_error(tx);
	return audit(tx, wa, "service.create");
}

int pd_catalogue_create(struct pd_store *st, const struct pd_actor *actor,
                        const struct pd_catalogue_input *in, char id_out[37], char *err,
                        size_t errlen)
{
	struct pd_arena *a = pd_arena_new();
	if (!a)
		return PD_ERR_NOMEM;
	struct write_arg wa = {.actor = actor, .unit_slug = nz(in->unit_slug)};
	int rc = prepare(in, a, &wa.s, err, errlen);
	if (rc)
		goto out;
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	wa.s.id = id;
	wa.s.created_ms = wa.s.updated_ms = pd_clock_now_ms();
	rc = pd_store_write(st, create_tx, &wa);
	if (rc == PD_OK && id_out)
		memcpy(id_out, id, sizeof id);
	if (rc == PD_ERR_CONFLICT)
		snprintf(err, errlen, "a service with slug %s already exists", wa.s.slug);
	else if (rc == PD_ERR_NOT_FOUND)
		snprintf(err, errlen, "no unit with slug %s", wa.unit_slug);
	else if (rc == PD_ERR_FORBIDDEN)
		snprintf(err, errlen, "only administrators of the unit may add its services");
out:
	pd_arena_free(a);
	return rc;
}

static int update_tx(struct pd_tx *tx, void *p)
{
	struct write_arg *wa = p;
	struct pd_service old;
	enum pd_qs qs = pd_store_service_by_slug(tx, wa->old_slug, pd_tx_arena(tx), &old);
	if (qs < 0)
		return pd_tx_error(tx);
	if (qs == PD_QS_NONE)
		return PD_ERR_NOT_FOUND;
	struct pd_authz_object obj = {NULL, old.unit_path};
	int rc = pd_authz(wa->actor, PD_ACT_CONFIGURE, &obj);
	if (rc)
		return rc;
	wa->s.id = old.id;
	wa->s.unit_id = old.unit_id;
	wa->s.created_ms = old.created_ms;
	if (pd_store_service_update(tx, &wa->s) < 0)
		return pd_tx_error(tx);
	return audit(tx, wa, "service.update");
}

int pd_catalogue_update(struct pd_store *st, const struct pd_actor *actor, const char *slug,
                        const struct pd_catalogue_input *in, char *err, size_t errlen)
{
	if (!slug || !pd_slug_valid(slug)) {
		snprintf(err, errlen, "no service with this slug");
		return PD_ERR_NOT_FOUND;
	}
	struct pd_arena *a = pd_arena_new();
	if (!a)
		return PD_ERR_NOMEM;
	struct write_arg wa = {.actor = actor, .old_slug = slug};
	int rc = prepare(in, a, &wa.s, err, errlen);
	if (rc)
		goto out;
	wa.s.updated_ms = pd_clock_now_ms();
	rc = pd_store_write(st, update_tx, &wa);
	if (rc == PD_ERR_CONFLICT)
		snprintf(err, errlen, "a service with slug %s already exists", wa.s.slug);
	else if (rc == PD_ERR_NOT_FOUND)
		snprintf(err, errlen, "no service with slug %s", slug);
	else if (rc == PD_ERR_FORBIDDEN)
		snprintf(err, errlen, "only administrators of the unit may change its services");
out:
	pd_arena_free(a);
	return rc;
}

int pd_catalogue_create_tx(struct pd_tx *tx, const struct pd_actor *actor,
                           const struct pd_catalogue_input *in, char id_out[37], char *err,
                           size_t errlen)
{
	struct write_arg wa = {.actor = actor, .unit_slug = nz(in->unit_slug)};
	int rc = prepare(in, pd_tx_arena(tx), &wa.s, err, errlen);
	if (rc)
		return rc;
	char id[PD_UUID_LEN + 1];
	pd_uuid7(id);
	wa.s.id = id;
	wa.s.created_ms = wa.s.updated_ms = pd_clock_now_ms();
	rc = create_tx(tx, &wa);
	if (rc == PD_OK && id_out)
		memcpy(id_out, id, sizeof id);
	return rc;
}

int pd_catalogue_update_tx(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                           const struct pd_catalogue_input *in, char *err, size_t errlen)
{
	if (!slug || !pd_slug_valid(slug))
		return PD_ERR_NOT_FOUND;
	struct write_arg wa = {.actor = actor, .old_slug = slug};
	int rc = prepare(in, pd_tx_arena(tx), &wa.s, err, errlen);
	if (rc)
		return rc;
	wa.s.updated_ms = pd_clock_now_ms();
	return update_tx(tx, &wa);
}
