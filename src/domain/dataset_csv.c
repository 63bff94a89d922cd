/* An RFC 4180 CSV reader for the preview of a dataset's first rows. */
#include <string.h>

#include "core/err.h"
#include "core/str.h"
#include "domain/dataset.h"

struct rec {
	const char **cells;
	int n, cap;
};

static void add_cell(struct pd_arena *a, struct rec *r, const char *s, size_t n, int max_cols,
                     bool *cut)
{
	if (r->n >= max_cols) {
		*cut = true;
		return;
	}
	if (r->n == r->cap) {
		int nc = r->cap ? r->cap * 2 : 8;
		if (nc > max_cols)
			nc = max_cols;
		const char **c = pd_arena_alloc(a, sizeof *c * (size_t)nc);
		if (r->n)
			memcpy(c, r->cells, sizeof *c * (size_t)r->n);
		r->cells = c;
		r->cap = nc;
	}
	r->cells[r->n++] = pd_arena_strndup(a, s, n);
}

/* Reads one record from *pos; returns 1 when one was read, 0 at the end, -1 for bad CSV. */
static int read_record(const char *p, size_t n, size_t *pos, struct pd_arena *a, int max_cols,
                       struct rec *r, bool *cut)
{
	size_t i = *pos;
	memset(r, 0, sizeof *r);
	if (i >= n)
		return 0;
	char *field = pd_arena_alloc(a, n - i + 1);
	for (;;) {
		size_t len = 0;
		if (i < n && p[i] == '"') {
			i++;
			for (;;) {
				if (i >= n)
					return -1;
				if (p[i] == '"') {
					if (i + 1 < n && p[i + 1] == '"') {
						field[len++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				field[len++] = p[i++];
			}
			if (i < n && p[i] != ',' && p[i] != '\r' && p[i] != '\n')
				return -1;
		} else {
			while (i < n && p[i] != ',' && p[i] != '\r' && p[i] != '\n') {
				if (p[i] == '"')
					return -1;
				field[len++] = p[i++];
			}
		}
		add_cell(a, r, field, len, max_cols, cut);
		if (i < n && p[i] == ',') {
			i++;
			continue;
		}
		if (i < n && p[i] == '\r')
			i++;
		if (i < n && p[i] == '\n')
			i++;
		break;
	}
	*pos = i;
	return 1;
}

int pd_csv_preview(const char *p, size_t n, int max_rows, int max_cols, struct pd_arena *a,
                   struct pd_csv_preview *out)
{
	memset(out, 0, sizeof *out);
	if (!pd_utf8_valid(p, n))
		return PD_ERR_INVALID;
	size_t pos = 0;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	struct rec r;
	int rc = read_record(p, n, &pos, a, max_cols, &r, &out->cut_cols);
	if (rc < 0)
		return PD_ERR_INVALID;
	if (rc == 0)
		return PD_OK;
	out->header = r.cells;
	out->n_header = r.n;
	out->rows = pd_arena_alloc(a, sizeof *out->rows * (size_t)(max_rows + 1));
	out->n_cols = pd_arena_alloc(a, sizeof *out->n_cols * (size_t)(max_rows + 1));
	for (;;) {
		rc = read_record(p, n, &pos, a, max_cols, &r, &out->cut_cols);
		if (rc == 0)
			break;
		if (rc < 0)
			return PD_ERR_INVALID;
		if (out->n_rows == max_rows) {
			out->more_rows = true;
			break;
		}
		out->rows[out->n_rows] = r.cells;
		out->n_cols[out->n_rows++] = r.n;
	}
	return PD_OK;
}
