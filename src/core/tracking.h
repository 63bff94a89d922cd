/* Tracking numbers: a kind letter, 8 random Crockford base32 characters and a check character
 * that catches every single-character error and every adjacent swap (DESIGN §5). */
#ifndef PD_CORE_TRACKING_H
#define PD_CORE_TRACKING_H

#include <stdbool.h>

/* Check character: Damm's algorithm over the totally anti-symmetric quasigroup
 * a * b = x·a + b in GF(32) = GF(2)[x] / (x^5 + x^2 + 1), characters taken by their Crockford
 * value (the kind letter too: P = 22, A = 10, K = 19). Start at 0, fold in the 9 characters; the
 * check character is x·interim, so that folding all 10 gives 0. */

/* Kinds: 'P' application (permohonan), 'A' complaint (aduan), 'K' information request. */
#define PD_TRACKING_COMPACT_LEN 10  /* "P7K3M9QXDE" */
#define PD_TRACKING_GROUPED_LEN 13  /* "P-7K3M-9QXD-E" */

/* Writes a new random tracking number of the kind in compact form (NUL-terminated).
 * Returns PD_OK or PD_ERR_INVALID for an unknown kind. */
int pd_tracking_new(char kind, char out[PD_TRACKING_COMPACT_LEN + 1]);

/* Normalises user input: case-insensitive, separators (' ', '-', '.') ignored, O read as 0,
 * I and L as 1 (U is invalid); checks the length, the kind (upper-case P, A or K after
 * normalising) and the check character. Input longer than 64 bytes is refused. On success writes
 * the compact form. Returns PD_OK or PD_ERR_INVALID. */
int pd_tracking_parse(const char *in, char out[PD_TRACKING_COMPACT_LEN + 1]);

/* Grouped display form of a valid compact number: "P-7K3M-9QXD-E" (an empty string when
 * compact is not 10 characters long). */
void pd_tracking_format(const char *compact, char out[PD_TRACKING_GROUPED_LEN + 1]);

/* The check character for the first 9 characters of a compact number (for tests); '\0' when
 * one of them is not an upper-case Crockford base32 character. */
char pd_tracking_check_char(const char *first9);

#endif
