/* The text-message channel of complaints (issue #5): parsing what a citizen sent through an SMS
 * gateway (LAPOR <village code> <text>, CEK <tracking number>, anything else), the answers in
 * the GSM-7 alphabet within one 160-character message, and the handling of one inbound message
 * (de-duplicated on the gateway's id; a report filed with pd_complaint_file, channel "sms"). */
#ifndef PD_DOMAIN_SMS_H
#define PD_DOMAIN_SMS_H

/* Conventions.
 * - The sender's number is personal data: it is never stored in clear. sms_inbound keeps its
 *   keyed blind index (domain "sms_sender", the number normalised to E.164 when it is one);
 *   a report keeps the number sealed as the complaint's contact (contact_phone).
 * - Every answer is composed here from a translated template (msgids in Indonesian, the
 *   request's language) and forced into GSM-7 and at most PD_SMS_SEPTETS_MAX septets
 *   (pd_sms_gsm7): data such as a unit's name is transliterated and cut, never the rule.
 * - A gateway message id is answered once: the first answer is stored with the claim of the
 *   id (UNIQUE), and every later delivery of that id, also one racing the first, gets it back
 *   byte for byte and changes nothing. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "core/crypto.h"
#include "core/tracking.h"
#include "store/store.h"

#define PD_SMS_SEPTETS_MAX 160     /* one message of the GSM 03.38 default alphabet */
#define PD_SMS_ANSWER_MAX 512      /* bytes of an answer buffer (160 septets fit in 480) */
#define PD_SMS_ID_MAX 128          /* bytes of a gateway message id */
#define PD_SMS_FROM_MAX 32         /* bytes of a sender (a number or an alphanumeric id) */
#define PD_SMS_TEXT_MAX 16384      /* bytes of a message text accepted at all */
#define PD_SMS_PER_MIN 5           /* messages per sender and minute (burst as large) */
#define PD_SMS_SENDER_KEY_LEN 68   /* "sms:" and 64 hex digits: the rate-limit key */

/* --- GSM-7 -------------------------------------------------------------------------------- */

/* Septets s takes in the GSM 03.38 default alphabet (a character of the extension table such
 * as '[', '{', '€' counts two), or -1 when s holds a character outside the alphabet or
 * invalid UTF-8. NULL is 0. */
int pd_sms_septets(const char *s);

/* Copies in (UTF-8; NULL as "") into out as GSM-7 text: letters outside the alphabet become
 * their plain Latin letter (á → a), typographic quotes and dashes their ASCII forms, control
 * characters a space, anything else '?'; then, when longer than max_septets, cut at a
 * character boundary and ended with "..." so that the result takes at most max_septets.
 * out is always NUL-terminated; outlen ≥ 3 × max_septets + 1 holds any result. Returns the
 * septets of out. */
int pd_sms_gsm7(const char *in, int max_septets, char *out, size_t outlen);

/* --- parsing ------------------------------------------------------------------------------ */

enum pd_sms_kind {
	PD_SMS_HELP,    /* anything else: answered with the short help */
	PD_SMS_REPORT,  /* LAPOR <village code> <text> */
	PD_SMS_CHECK,   /* CEK <tracking number> */
};

/* What a message says. Pointers point into the parsed text. */
struct pd_sms_msg {
	enum pd_sms_kind kind;
	bool has_code;               /* REPORT: a 10-digit village code (dots allowed) was given */
	char code_digits[11];        /* "3219012003" */
	char code_dotted[14];        /* "32.19.01.2003" (Kemendagri: 2.2.2.4 digits) */
	const char *text;            /* REPORT: the report after the code, trimmed (may be "") */
	size_t text_len;
	bool has_tracking;           /* CHECK: a valid tracking number of a complaint ('A') */
	char tracking[PD_TRACKING_COMPACT_LEN + 1];  /* compact */
};

/* Parses a message: the keyword (LAPOR, CEK; any case) is the first word, words are separated
 * by white space or '#'. A village code is 10 digits, with or without dots between them
 * ("3219012003", "32.19.01.2003"). A message without a keyword (or NULL) is PD_SMS_HELP. */
void pd_sms_parse(const char *text, struct pd_sms_msg *out);

/* --- answers ------------------------------------------------------------------------------ */

enum pd_sms_answer {
	PD_SMS_A_HELP,        /* the short help */
	PD_SMS_A_FILED,       /* filed: {nomor} */
	PD_SMS_A_FILED_HELD,  /* filed, held back for an officer's check: {nomor} */
	PD_SMS_A_NO_VILLAGE,  /* no or an unknown village code */
	PD_SMS_A_NO_TEXT,     /* LAPOR with a code but nothing to report */
	PD_SMS_A_TOO_LONG,    /* more than PD_COMPLAINT_TEXT_MAX characters */
	PD_SMS_A_CLOSED,      /* no category accepts complaints */
	PD_SMS_A_STATUS,      /* CEK: {nomor}, {status}, {unit} */
	PD_SMS_A_STATUS_DUE,  /* CEK of an open complaint with a due date: also {tanggal} */
	PD_SMS_A_BAD_NUMBER,  /* CEK without a valid complaint tracking number */
	PD_SMS_A_NOT_FOUND,   /* CEK of an unknown number: {nomor} */
	PD_SMS_A_BUSY,        /* the sender is over the rate limit */
	PD_SMS_A__MAX
};

/* The data an answer may name. Borrowed. */
struct pd_sms_vars {
	const char *tracking;     /* compact tracking number, shown grouped */
	const char *status;       /* a status msgid (pd_complaint_status_label), translated here */
	const char *unit;         /* the owner unit's name (data) */
	int64_t due_ms;           /* the due date (0: none) */
	int tz_offset_min;        /* of the installation, for the date */
};

/* Writes answer k in lang ("id", "en"; NULL: Indonesian) into out: GSM-7, at most
 * PD_SMS_SEPTETS_MAX septets, NUL-terminated. v may be NULL for answers that name nothing. */
void pd_sms_compose(enum pd_sms_answer k, const char *lang, const struct pd_sms_vars *v,
                    char out[PD_SMS_ANSWER_MAX]);

/* --- one inbound message ------------------------------------------------------------------ */

/* One message on its way: the caller fills the first block, pd_sms_prepare the second,
 * pd_sms_commit the third. Lives in the request's memory; the strings are borrowed. */
struct pd_sms_job {
	const struct pd_keyset *ks;
	const struct pd_calendar *cal;  /* for the verification deadline (may be NULL) */
	const char *lang;
	int tz_offset_min;
	const char *gateway_id, *from, *text;
	int64_t now_ms;                 /* 0: pd_clock_now_ms() */
	/* The rate limit: called by pd_sms_commit (on the writer) once the id is claimed, so that
	 * only a new message counts, never a repeated delivery; false refuses it (NULL: none). */
	bool (*admit)(void *admit_ctx, const char *sender_key);
	void *admit_ctx;
	/* pd_sms_prepare */
	unsigned char sender[PD_CRYPTO_BLIND_BYTES];
	char sender_key[PD_SMS_SENDER_KEY_LEN + 1];  /* the rate-limit key of the sender */
	char phone[PD_SMS_FROM_MAX + 8];             /* the sender normalised (E.164) or trimmed */
	struct pd_sms_msg msg;
	bool repeated;                  /* the id was answered before: answer holds that answer */
	char answer[PD_SMS_ANSWER_MAX]; /* the answer (final after pd_sms_commit) */
	/* pd_sms_commit */
	bool filed;                     /* a complaint was filed by this delivery */
	bool busy;                      /* admit refused: answer holds the "try again later" */
	char complaint_id[37];
	char tracking[PD_TRACKING_COMPACT_LEN + 1];
};

/* Checks the gateway's fields (id 1..PD_SMS_ID_MAX printable ASCII; from 1..PD_SMS_FROM_MAX
 * of digits, letters, spaces and "+-.()"; text at most PD_SMS_TEXT_MAX bytes, NULL as "")
 * and reads what needs no write: the sender's blind index and rate-limit key, the parsed
 * message, an earlier answer to the same id (repeated), and, for CEK, the status answer
 * (pd_complaint_track). Strings it keeps are copied into j or a. PD_OK; PD_ERR_INVALID
 * (*field gets "id", "from" or "text"); store or crypto errors. */
int pd_sms_prepare(struct pd_store *st, struct pd_sms_job *j, struct pd_arena *a,
                   const char **field);

/* The write (a pd_tx_fn; arg is the struct pd_sms_job): claims the gateway id, and for LAPOR
 * files the complaint (visitor, channel "sms", visibility public, the sender's number sealed
 * as its contact, the village by its area code, the category whose keywords the text names
 * best, else "lainnya" or "umum" when such a category exists, else the first one by name; the
 * title is the text's first words) and stores the answer. When the id was claimed already,
 * j->answer gets the stored answer, j->repeated is set and nothing is written. A refused
 * report (unknown village, empty text) is answered and recorded, not an error. When j->admit
 * refuses a new message, j->busy is set, j->answer gets PD_SMS_A_BUSY and PD_ERR_FORBIDDEN
 * is returned so that nothing is kept (a later delivery of that id is handled afresh). Audit
 * "complaint.file" comes from pd_complaint_file. Returns PD_OK or a store error. */
int pd_sms_commit(struct pd_tx *tx, void *job);

#endif
