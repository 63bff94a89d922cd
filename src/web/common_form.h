/* A service's application form as the pages render it, shared by the citizen's form
 * (web/ajukan.c) and the assisted desk's (web/kantor_ajukan.c); the fields themselves are
 * templates/partials/form_fields.html. The village choices also serve registration
 * (web/auth.c). */
#ifndef PD_WEB_COMMON_FORM_H
#define PD_WEB_COMMON_FORM_H

#include <jansson.h>

#include "domain/application.h"
#include "domain/form.h"
#include "http/http.h"

/* A getter over the raw values posted in r's form (the i-th value sent under a name), for
 * pd_web_form_fields after a refusal; borrowed for the request. */
struct pd_form_values pd_web_form_typed(struct pd_req *r);

/* The "fields" of templates/partials/form_fields.html for form: per field key, id ("f-<key>"),
 * label and help in r's language, required, one flag is_<type>, max (text), max_kb (file), the
 * value shown (from vals; vals->get NULL: none), options {value, id, checked}, is_ya/is_tidak,
 * villages {slug, name, selected} and jalan (address), error (translated message of errs, which
 * may be NULL), and kept {href, name, size_kb} for a file app (may be NULL) already holds under
 * the field. New reference. */
json_t *pd_web_form_fields(struct pd_req *r, const struct pd_form *form,
                           const struct pd_form_values *vals, const struct pd_app_errors *errs,
                           const struct pd_application *app);

/* The villages of the unit tree (the first 2000) as {slug, name, selected}, the one whose slug
 * is chosen (may be NULL) selected: the choices of an address. New reference. */
json_t *pd_web_villages(struct pd_req *r, const char *chosen);

/* The values posted in r's form as answers for the domain, leaving out the page's own fields
 * (own(key) true); *n set to their number. Arena-owned array, values borrowed from r. */
struct pd_app_value *pd_web_form_answers(struct pd_req *r, bool (*own)(const char *key), int *n);

#endif
