/* Languages of the interface: Indonesian (the msgids) and English from a compiled GNU .mo
 * catalogue read straight from the embedded bytes, without touching process-wide locale state. */
#ifndef PD_CORE_I18N_H
#define PD_CORE_I18N_H

#include <stdbool.h>
#include <stddef.h>

/* Marks a string for extraction by scripts/update-po; it is looked up later with
 * pd_i18n_text(lang, s). The msgid is the Indonesian text. */
#define N_(s) (s)

/* The default language: Indonesian, whose text is the msgids themselves. */
#define PD_I18N_DEFAULT "id"

/* Loads the catalogue of every supported language except Indonesian from the embedded file
 * "po/<lang>.mo" (also accepted: "<lang>.mo" at the top of the build tree). Call once at
 * start-up, before any thread calls pd_i18n_text; the catalogues are read-only afterwards, so
 * lookups need no lock. Returns PD_OK, PD_ERR_NOT_FOUND when a catalogue is not embedded (its
 * language then falls back to the msgids), or PD_ERR_INVALID when one is corrupt (the language
 * keeps no catalogue). */
int pd_i18n_init(void);

/* Installs the .mo catalogue in data (len bytes) for lang, replacing any earlier one; the
 * header, tables and every string are validated first (either byte order). The bytes are
 * borrowed: they must stay unchanged until pd_i18n_free or the next load for lang (embedded
 * data is static). Start-up only, like pd_i18n_init. Returns PD_OK; PD_ERR_NOT_FOUND for an
 * unsupported language or "id" (which has no catalogue); PD_ERR_INVALID for a corrupt or
 * non-UTF-8 catalogue (the earlier catalogue is kept). */
int pd_i18n_load_mo(const char *lang, const void *data, size_t len);

/* Validates a .mo catalogue without installing it. PD_OK or PD_ERR_INVALID. */
int pd_i18n_check_mo(const void *data, size_t len);

/* Forgets every installed catalogue (tests, shutdown). Not while lookups may run. */
void pd_i18n_free(void);

/* Returns the translation of msgid into lang, or msgid itself when lang is NULL, "id",
 * unsupported, or has no (non-empty) translation. The result is borrowed: msgid's own storage,
 * or the catalogue's bytes (static when embedded). Thread-safe after start-up. */
const char *pd_i18n_text(const char *lang, const char *msgid);

/* True when lang is a supported language code ("id", "en"; ASCII case-insensitive). */
bool pd_i18n_supported(const char *lang);

/* Returns the static canonical code ("id", "en") for a supported lang, or NULL. */
const char *pd_i18n_canonical(const char *lang);

/* Chooses the language of a response (DESIGN §5): the account's choice, else the lang
 * cookie, else the best supported language of an Accept-Language header (q-values honoured;
 * "en-US;q=0.8" counts as en; q=0 refuses; "*" stands for every language not named; ties go
 * to the earlier range), else "id". Any argument may be NULL or empty; unsupported values are
 * skipped. Returns a static canonical code. */
const char *pd_i18n_pick(const char *account_lang, const char *cookie_lang,
                         const char *accept_language);

/* Parses an Accept-Language header alone: the best supported language, or NULL when none is
 * acceptable. Reads at most the first 64 ranges. Returns a static canonical code or NULL. */
const char *pd_i18n_accept(const char *accept_language);

#endif
