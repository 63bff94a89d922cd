/* CSV fields of RFC 4180 that a spreadsheet will not run, shared by the CSV exports (web/) and
 * the generated open datasets (domain/opendata_gen.c). */
#ifndef PD_CORE_CSV_H
#define PD_CORE_CSV_H

#include <stdbool.h>

#include "core/buf.h"

/* Appends s (NULL: empty) to b as one field: quoted when it holds a comma, quote, CR or LF; a
 * text a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading
 * apostrophe. PD_OK or the buffer's error. */
int pd_csv_field(struct pd_buf *b, const char *s);

/* pd_csv_field followed by "," or, for the last cell of a row, CRLF. */
int pd_csv_cell(struct pd_buf *b, const char *s, bool last);

#endif
