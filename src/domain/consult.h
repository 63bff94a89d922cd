/* Public consultations on drafts (issue #7): a unit publishes a draft in Markdown, split into
 * sections with stable ids, open between two dates; signed-in citizens comment on the whole or
 * a section with a stance and reply one level; reports hold a comment until a moderator
 * decides; after closing the unit publishes a follow-up report per section. */
#ifndef PD_DOMAIN_CONSULT_H
#define PD_DOMAIN_CONSULT_H

/* Rules (tested in tests/unit/test_consult*.c and tests/http/test_konsultasi*.py).
 * - A consultation belongs to a unit. Who publishes, corrects, moderates and answers: staff
 *   who may act under PD_ACT_MODERATE (moderators) on the unit's subtree; administrators of
 *   the subtree may see the back office's pages (PD_ERR_FORBIDDEN when they act); anyone else
 *   gets PD_ERR_NOT_FOUND (another unit's moderator included), citizens too.
 * - The draft is Markdown rendered once with cmark at publication with raw HTML disabled
 *   (cmark 0.30's default: raw HTML is replaced by a comment, javascript: links dropped).
 *   Headings of level 1 and 2 start a section; a section's id is its heading folded to
 *   [a-z0-9-] ("Pasal 3 Ayat (1)" -> "pasal-3-ayat-1"; duplicates get "-2", "-3"), so the same
 *   heading keeps its id in every version; text before the first heading is the section
 *   "pembuka". A published version is never changed: a correction is a new version (n + 1)
 *   with a note, allowed until the consultation closes; every version stays readable.
 * - Comments: signed-in citizens only (staff get PD_ERR_FORBIDDEN), only while open
 *   (opens_ms <= now < closes_ms; otherwise PD_ERR_FORBIDDEN with closed set), on the whole
 *   draft (section "") or a section id of the newest version, with a stance (support, oppose,
 *   neutral) and 1..PD_CONSULT_BODY_MAX code points of text. A reply names a top-level comment
 *   of the same consultation (a reply to a reply is refused: PD_ERR_INVALID, field "parent");
 *   replies carry no stance and take their parent's section. At most PD_CONSULT_RATE_N
 *   comments per account in PD_CONSULT_RATE_WINDOW_MS (PD_ERR_FORBIDDEN with rate_limited).
 * - What is public (our decision for UU 27/2022): a comment is a public statement and is
 *   published as written, in clear, under "Warga" unless the citizen ticks "show my name" (then
 *   the account's display name at that moment is stored with the comment). The account id is
 *   stored to enforce the rules and is never shown or returned by the API.
 * - Reports: any signed-in account, counted once per account (a second report by the same
 *   account changes nothing). PD_CONSULT_REPORT_THRESHOLD reports by different accounts hold
 *   the comment ("held": hidden from the public, its text withheld also from the API) until a
 *   moderator decides. Moderators hide or restore any comment with a reason (required); the
 *   reason and the time are shown publicly in place of a hidden comment; after a decision
 *   reports no longer hold the comment.
 * - Figures per section (the whole draft included): comments (visible ones, replies included),
 *   for (support) and against (oppose) among visible top-level comments.
 * - Follow-up report: once, only after closing, a response per section (at least one) and what
 *   changed in the final text.
 * - Every write appends an audit entry ("consult.create", "consult.version", "consult.comment",
 *   "consult.report", "consult.moderate", "consult.followup"; ids only). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "domain/account.h"
#include "domain/authz.h"
#include "store/consult_store.h"
#include "store/store.h"

#define PD_CONSULT_REPORT_THRESHOLD 3       /* reports by different accounts that hold a comment */
#define PD_CONSULT_RATE_N 5                 /* comments per account ... */
#define PD_CONSULT_RATE_WINDOW_MS 600000LL  /* ... per 10 minutes */
#define PD_CONSULT_BODY_MAX 2000            /* code points of a comment */
#define PD_CONSULT_TITLE_MAX 200            /* code points of a title */
#define PD_CONSULT_SUMMARY_MAX 1000         /* code points of a summary, a note, a reason */
#define PD_CONSULT_MD_MAX 200000            /* bytes of a draft */
#define PD_CONSULT_SECTIONS_MAX 100
#define PD_CONSULT_VERSIONS_MAX 50
#define PD_CONSULT_COMMENTS_MAX 500         /* comments one page shows */
#define PD_CONSULT_PAGE_MAX 200             /* consultations in one list page */
#define PD_CONSULT_ANCHOR_MAX 64

/* One section of a draft. Strings arena-owned. html is cmark's safe output. */
struct pd_consult_section {
	const char *anchor, *title, *html;
	int comments, support, oppose, neutral;  /* figures (filled by pd_consult_get) */
	const char *response;                    /* the follow-up report's answer, or NULL */
};

/* Splits Markdown md (len bytes, UTF-8) into sections as described above, at most max, into
 * out (arena-owned). PD_ERR_INVALID for invalid UTF-8, an empty draft or more than max
 * sections; PD_ERR_TOO_LARGE above PD_CONSULT_MD_MAX. */
int pd_consult_split(const char *md, size_t len, struct pd_arena *a,
                     struct pd_consult_section *out, int max, int *n);

/* Folds a heading into a section id: ASCII letters and digits lower-cased, runs of anything
 * else one '-', no leading or trailing '-', at most PD_CONSULT_ANCHOR_MAX - 4 bytes; "bagian"
 * when nothing is left. Writes into out (PD_CONSULT_ANCHOR_MAX bytes). */
void pd_consult_anchor(const char *heading, char out[PD_CONSULT_ANCHOR_MAX]);

enum pd_consult_stance { PD_STANCE_SUPPORT, PD_STANCE_OPPOSE, PD_STANCE_NEUTRAL, PD_STANCE__MAX };
/* "support", "oppose", "neutral"; parse returns PD_ERR_INVALID for anything else. */
const char *pd_consult_stance_name(enum pd_consult_stance s);
int pd_consult_stance_parse(const char *s, enum pd_consult_stance *out);

/* --- writes (inside pd_store_write) ------------------------------------------------------ */

/* What staff publish. Strings borrowed. opens_ms < closes_ms. errs keys: "unit", "slug",
 * "title", "summary", "opens", "closes", "body", "note". */
struct pd_consult_input {
	const char *unit_slug, *slug, *title, *summary, *body_md, *note;
	int64_t opens_ms, closes_ms;
};

/* Publishes a new consultation with version 1. PD_ERR_INVALID with errs (a taken slug too);
 * PD_ERR_NOT_FOUND when the actor may not moderate the unit. id_out receives the id. */
int pd_consult_create(struct pd_tx *tx, const struct pd_actor *actor,
                      const struct pd_consult_input *in, int64_t now_ms,
                      struct pd_field_errors *errs, char id_out[37]);

/* Publishes version n_versions + 1 of consultation id with body_md and note (required).
 * seen is the newest version the actor saw (PD_ERR_CONFLICT when another came meanwhile).
 * PD_ERR_FORBIDDEN once closed. */
int pd_consult_new_version(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                           int64_t seen, const char *body_md, const char *note, int64_t now_ms,
                           struct pd_field_errors *errs);

/* A citizen's comment. errs keys: "section", "stance", "body", "parent". */
struct pd_consult_comment_input {
	const char *slug, *parent_id, *section, *stance, *body;
	bool show_name;
};
struct pd_consult_comment_result {
	char id[37];
	bool closed, rate_limited, staff;
};
int pd_consult_comment(struct pd_tx *tx, const struct pd_actor *actor,
                       const struct pd_consult_comment_input *in, int64_t now_ms,
                       struct pd_field_errors *errs, struct pd_consult_comment_result *res);

/* A report of comment comment_id of consultation slug by the actor; *counted says whether it
 * was new. PD_ERR_NOT_FOUND for no such comment (or one of another consultation). */
int pd_consult_report(struct pd_tx *tx, const struct pd_actor *actor, const char *slug,
                      const char *comment_id, int64_t now_ms, bool *counted);

/* Hides (hide true) or restores comment comment_id of consultation id with reason (required,
 * errs key "reason"). PD_ERR_NOT_FOUND for another unit's moderator. */
int pd_consult_moderate(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                        const char *comment_id, bool hide, const char *reason, int64_t now_ms,
                        struct pd_field_errors *errs);

/* Publishes the follow-up report of consultation id: responses[i] to section sections[i]
 * ("" the whole draft; empty responses are skipped, at least one needed: errs "responses"),
 * and changes (required: errs "changes"). PD_ERR_FORBIDDEN before closing; PD_ERR_CONFLICT
 * when published already. */
int pd_consult_followup(struct pd_tx *tx, const struct pd_actor *actor, const char *id,
                        const char *const *sections, const char *const *responses, int n,
                        const char *changes, int64_t now_ms, struct pd_field_errors *errs);

/* --- reads ------------------------------------------------------------------------------- */

/* A comment as shown. For a comment that is held or hidden, body and author are NULL unless
 * the reader moderates (staff view). */
struct pd_consult_comment {
	const char *id, *parent_id, *section, *author, *stance, *body, *state, *mod_reason;
	int64_t version, created_ms, mod_ms, reports;
};

struct pd_consult_version {
	int64_t n, published_ms;
	const char *note;
};

/* One consultation as a page shows it. Arena-owned. */
struct pd_consult_view {
	struct pd_cs_row c;
	bool open, closed;        /* open now; closed (past closes_ms) */
	bool may_act;             /* staff view: the reader may moderate (not only see) */
	int64_t version;          /* the version shown */
	struct pd_consult_version versions[PD_CONSULT_VERSIONS_MAX];
	int n_versions;
	struct pd_consult_section whole;  /* anchor "", the figures of the whole draft */
	struct pd_consult_section sections[PD_CONSULT_SECTIONS_MAX];
	int n_sections;
	struct pd_consult_comment *comments;  /* oldest first */
	int n_comments;
	bool more_comments;       /* more than PD_CONSULT_COMMENTS_MAX exist */
	const char *body_md;      /* staff view: the Markdown of the version shown; else NULL */
	int total_comments, total_support, total_oppose;
};

/* Loads consultation key (a slug, or an id when staff is true) at version (0: the newest).
 * Public view (staff false): only once opened, else PD_ERR_NOT_FOUND; held and hidden comments
 * without text. Staff view: needs PD_ACT_MODERATE on the unit (PD_ERR_NOT_FOUND otherwise),
 * shows every text. PD_ERR_NOT_FOUND for a version that does not exist. */
int pd_consult_get(struct pd_store *st, const struct pd_actor *actor, const char *key,
                   bool staff, int64_t version, int64_t now_ms, struct pd_arena *a,
                   struct pd_consult_view *out);

/* A page of published consultations (open first, soonest closing first; then closed, latest
 * first). open_only; after: an opaque cursor (NULL: the top); limit 1..PD_CONSULT_PAGE_MAX.
 * *next the next page's cursor or NULL. PD_ERR_INVALID for a bad cursor. Figures are not
 * filled. */
int pd_consult_list(struct pd_store *st, bool open_only, const char *after, int limit,
                    int64_t now_ms, struct pd_arena *a, struct pd_cs_row *out, int *n,
                    const char **next);

/* The back office: consultations of every unit the actor moderates (newest first, at most max
 * each) and the comments held by reports there. PD_ERR_NOT_FOUND for an actor who moderates
 * nothing. held_cs[i] is the slug of held[i]'s consultation. */
int pd_consult_office(struct pd_store *st, const struct pd_actor *actor, struct pd_arena *a,
                      struct pd_cs_row *out, int max, int *n, struct pd_cs_comment_row *held,
                      int max_held, int *n_held);

/* True when the actor holds moderator or administrator somewhere: may open the back office. */
bool pd_consult_may_manage(const struct pd_actor *actor);

/* Account erasure (called by pd_privacy_erase inside its transaction): the account's comments
 * lose their shown name and read "Warga"; their text, stance and figures stay (public
 * statements on a public draft). PD_OK or a database error. */
int pd_consult_erase_account(struct pd_tx *tx, const char *account_id);

#endif
