/* Indonesian word normalisation and stemming (Snowball, libstemmer) for full-text search. */
#ifndef PD_CORE_STEM_H
#define PD_CORE_STEM_H

#include <stddef.h>

#include "core/arena.h"

/* Longest input text pd_stem_text accepts (longer text is cut at this many bytes). */
#define PD_STEM_TEXT_MAX (64 * 1024)

/* Splits text on every character that is not a letter (ASCII letters are lower-cased; bytes of
 * multi-byte UTF-8 characters count as letters), stems each word with Snowball's Indonesian
 * stemmer and returns the stems joined by single spaces, arena-owned ("" when there is no
 * word; NULL text is treated as ""). At most max_words words are kept (0: no limit).
 * Thread-safe: each thread uses a stemmer of its own. Returns NULL only when out of memory. */
char *pd_stem_text(struct pd_arena *a, const char *text, int max_words);

/* Stems one lower-case word into out (at most outlen - 1 bytes, NUL-terminated). Returns the
 * stem's length, or -1 when out of memory. Thread-safe. */
int pd_stem_word(const char *word, size_t n, char *out, size_t outlen);

#endif
