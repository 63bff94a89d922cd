/* CSV fields that survive a spreadsheet: quoted per RFC 4180, formulas defused. */
#include "core/csv.h"

#include <string.h>

#include "core/err.h"

int pd_csv_field(struct pd_buf *b, const char *s)
{
	if (!s)
		s = "";
	bool formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	int rc = quote ? pd_buf_putc(b, '"') : PD_OK;
	if (!rc && formula)
		rc = pd_buf_putc(b, '\'');
	for (; !rc && *s; s++)
		rc = *s == '"' ? pd_buf_puts(b, "\"\"") : pd_buf_putc(b, *s);
	if (!rc && quote)
		rc = pd_buf_putc(b, '"');
	return rc;
}

int pd_csv_cell(struct pd_buf *b, const char *s, bool last)
{
	int rc = pd_csv_field(b, s);
	return rc ? rc : pd_buf_puts(b, last ? "\r\n" : ",");
}
