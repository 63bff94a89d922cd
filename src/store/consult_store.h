/* Storage of public consultations on drafts (migration 0022): consultations, their versions
 * and rendered sections, comments with replies, reports once per account, moderation and the
 * follow-up report's responses per section. */
#ifndef PD_STORE_CONSULT_STORE_H
#define PD_STORE_CONSULT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "store/store.h"

/* One consultation. Strings in the arena given (reads). report_ms 0: no report yet. */
struct pd_cs_row {
	const char *id, *slug, *unit_id, *unit_path, *title, *summary;
	const char *unit_slug, *unit_name;  /* read only (joined) */
	int64_t opens_ms, closes_ms, n_versions;
	const char *report_changes;
	int64_t report_ms;
	const char *created_by;
	int64_t created_ms;
};

/* Inserts r (n_versions as given). A taken slug latches PD_ERR_CONFLICT. */
enum pd_qs pd_store_cs_insert(struct pd_tx *tx, const struct pd_cs_row *r);
/* Loads by slug or by id. */
enum pd_qs pd_store_cs_by_slug(struct pd_tx *tx, const char *slug, struct pd_arena *a,
                               struct pd_cs_row *r);
enum pd_qs pd_store_cs_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                             struct pd_cs_row *r);
/* Sets n_versions to n when it is n - 1 (PD_QS_ONE), else PD_QS_NONE (a race lost). */
enum pd_qs pd_store_cs_bump_version(struct pd_tx *tx, const char *id, int64_t n);
/* Publishes the follow-up report once: PD_QS_NONE when one is there already. */
enum pd_qs pd_store_cs_report(struct pd_tx *tx, const char *id, const char *changes,
                              int64_t at_ms);

/* Published consultations (opens_ms <= now_ms), open ones first (soonest closing first), then
 * the closed ones (latest closing first): the sort key is closes_ms while open and
 * PD_STORE_CS_CLOSED_BASE - closes_ms once closed; keyset after (after_key, after_id; after_id
 * NULL: the top). unit_path "" any, else the subtree. open_only: only those open at now_ms. */
#define PD_STORE_CS_CLOSED_BASE 100000000000000LL
struct pd_cs_list_filter {
	int64_t now_ms;
	const char *unit_path;
	bool open_only;
	int64_t after_key;
	const char *after_id;
};
enum pd_qs pd_store_cs_list(struct pd_tx *tx, const struct pd_cs_list_filter *f,
                            struct pd_arena *a, struct pd_cs_row *out, int max, int *n);
/* Every consultation (also not yet open) in the subtree of path, newest first, at most max. */
enum pd_qs pd_store_cs_of_subtree(struct pd_tx *tx, const char *path, struct pd_arena *a,
                                  struct pd_cs_row *out, int max, int *n);

/* --- versions and sections ---------------------------------------------------------------- */

struct pd_cs_version_row {
	int64_t n;
	const char *body_md, *note;
	int64_t published_ms;
};
enum pd_qs pd_store_cs_version_insert(struct pd_tx *tx, const char *cs_id,
                                      const struct pd_cs_version_row *v);
/* Versions oldest first (body_md NULL: not read), at most max. */
enum pd_qs pd_store_cs_versions(struct pd_tx *tx, const char *cs_id, struct pd_arena *a,
                                struct pd_cs_version_row *out, int max, int *n);
/* The Markdown of version n. */
enum pd_qs pd_store_cs_version_body(struct pd_tx *tx, const char *cs_id, int64_t n,
                                    struct pd_arena *a, const char **body_md);

struct pd_cs_section_row {
	int64_t position;
	const char *anchor, *title, *html;
};
enum pd_qs pd_store_cs_section_insert(struct pd_tx *tx, const char *cs_id, int64_t version,
                                      const struct pd_cs_section_row *s);
/* Sections of a version in order, at most max. */
enum pd_qs pd_store_cs_sections(struct pd_tx *tx, const char *cs_id, int64_t version,
                                struct pd_arena *a, struct pd_cs_section_row *out, int max,
                                int *n);

/* --- comments ------------------------------------------------------------------------------ */

struct pd_cs_comment_row {
	const char *id, *consultation_id, *parent_id, *section;
	int64_t version;
	const char *account_id, *author_name, *stance, *body;
	int64_t created_ms, reports;
	const char *state;  /* "visible", "held" (reported, awaiting a moderator), "hidden" */
	bool decided;       /* a moderator decided: reports no longer hold it */
	const char *mod_reason;
	int64_t mod_ms;
	const char *mod_by;
};
enum pd_qs pd_store_cs_comment_insert(struct pd_tx *tx, const struct pd_cs_comment_row *c);
enum pd_qs pd_store_cs_comment_by_id(struct pd_tx *tx, const char *id, struct pd_arena *a,
                                     struct pd_cs_comment_row *c);
/* Comments of a consultation oldest first, keyset after (after_ms, after_id; NULL: from the
 * first), at most max. */
enum pd_qs pd_store_cs_comments(struct pd_tx *tx, const char *cs_id, int64_t after_ms,
                                const char *after_id, struct pd_arena *a,
                                struct pd_cs_comment_row *out, int max, int *n);
/* Figures of the visible comments of a consultation per section (all of them, not one page):
 * comments with replies, and the stances of top-level comments. At most max sections. */
struct pd_cs_figure_row {
	const char *section;
	int64_t comments, support, oppose, neutral;
};
enum pd_qs pd_store_cs_figures(struct pd_tx *tx, const char *cs_id, struct pd_arena *a,
                               struct pd_cs_figure_row *out, int max, int *n);
/* Comments the account wrote since since_ms (any consultation). */
enum pd_qs pd_store_cs_comments_since(struct pd_tx *tx, const char *account_id,
                                      int64_t since_ms, int64_t *out);
/* Records a report of comment_id by account_id: PD_QS_ONE when new, PD_QS_NONE when that
 * account had reported it already. When new, counts it and holds the comment once reports
 * reach threshold, unless a moderator decided on it. */
enum pd_qs pd_store_cs_report_add(struct pd_tx *tx, const char *comment_id,
                                  const char *account_id, int64_t at_ms, int64_t threshold);
/* A moderator's decision: state ("visible" or "hidden"), reason, time, moderator. */
enum pd_qs pd_store_cs_moderate(struct pd_tx *tx, const char *comment_id, const char *state,
                                const char *reason, int64_t at_ms, const char *by);
/* Held comments under the subtree of path, oldest first, at most max. */
enum pd_qs pd_store_cs_held(struct pd_tx *tx, const char *path, struct pd_arena *a,
                            struct pd_cs_comment_row *out, int max, int *n);

/* Account erasure: blanks the shown name of every comment of account_id (the comments stay,
 * signed "Warga"). 0, or -1 on a database error. */
int pd_store_cs_erase_names(struct pd_tx *tx, const char *account_id);

/* --- the follow-up report ------------------------------------------------------------------ */

enum pd_qs pd_store_cs_response_insert(struct pd_tx *tx, const char *cs_id, const char *section,
                                       const char *response);
/* Responses of a consultation (section, response pairs), at most max. */
enum pd_qs pd_store_cs_responses(struct pd_tx *tx, const char *cs_id, struct pd_arena *a,
                                 const char **sections, const char **responses, int max,
                                 int *n);

#endif
