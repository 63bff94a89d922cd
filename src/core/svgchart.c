/* Bar and line charts as inline SVG text: integer coordinates in a fixed viewBox that scales
 * to the page's width, labelled for assistive technology, every text escaped. */
#include "core/svgchart.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

#define W 600            /* viewBox width */
#define BAR_ROW 40       /* height of one bar's row (label above, bar below) */
#define BAR_H 14
#define VALUE_COL 96     /* width kept on the right for the value labels */
#define LINE_H 260
#define PLOT_L 56
#define PLOT_R (W - 12)
#define PLOT_T 16
#define PLOT_B (LINE_H - 64)
#define X_LABELS_MAX 8

static const char *const colour[PD_SVG_MAX_SERIES] = {"#1f5fa8", "#b3261e", "#2e7d32", "#6a1b9a"};
static const char *const dash[PD_SVG_MAX_SERIES] = {"", " stroke-dasharray=\"7 4\"",
                                                    " stroke-dasharray=\"2 4\"",
                                                    " stroke-dasharray=\"9 3 2 3\""};

int pd_svg_escape(struct pd_buf *out, const char *s)
{
	if (!s)
		return PD_OK;
	const char *run = s;
	for (const char *p = s;; p++) {
		const char *rep = NULL;
		switch (*p) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: break;
		}
		if (!rep && *p)
			continue;
		if (p > run && pd_buf_append(out, run, (size_t)(p - run)))
			return PD_ERR_TOO_LARGE;
		if (!*p)
			return PD_OK;
		if (pd_buf_puts(out, rep))
			return PD_ERR_TOO_LARGE;
		run = p + 1;
	}
}

char *pd_svg_format(int64_t v, int decimals, char *buf, int len)
{
	static const int64_t pow10[] = {1, 10, 100, 1000};
	if (decimals < 0 || decimals > 3)
		decimals = 0;
	bool neg = v < 0;
	uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t p = (uint64_t)pow10[decimals];
	if (decimals == 0)
		snprintf(buf, (size_t)len, "%s%" PRIu64, neg ? "-" : "", u);
	else
		snprintf(buf, (size_t)len, "%s%" PRIu64 ".%0*" PRIu64, neg ? "-" : "", u / p, decimals,
		         u % p);
	return buf;
}

static bool id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > 40)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
			return false;
	return true;
}

static int check(const struct pd_svgchart *c, int max_series)
{
	if (!c || !id_valid(c->id) || !c->title || !c->desc || c->decimals < 0 ||
	    c->decimals > 3 || c->n < 0 || c->n > PD_SVG_MAX_POINTS || c->n_series < 0 ||
	    c->n_series > max_series || (c->n > 0 && c->n_series > 0 && !c->labels))
		return PD_ERR_INVALID;
	for (int s = 0; s < c->n_series; s++)
		if (!c->series[s].values && c->n > 0)
			return PD_ERR_INVALID;
	return PD_OK;
}

/* <svg …><title>…</title><desc>…</desc> */
static int open_svg(struct pd_buf *b, const struct pd_svgchart *c, int height)
{
	int rc = pd_buf_printf(b,
	                       "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
	                       "viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" "
	                       "aria-labelledby=\"%s-t %s-d\" font-size=\"14\" "
	                       "font-family=\"sans-serif\"><title id=\"%s-t\">",
	                       W, height, c->id, c->id, c->id);
	rc = rc ? rc : pd_svg_escape(b, c->title);
	rc = rc ? rc : pd_buf_printf(b, "</title><desc id=\"%s-d\">", c->id);
	rc = rc ? rc : pd_svg_escape(b, c->desc);
	return rc ? rc : pd_buf_puts(b, "</desc>");
}

static int empty_chart(struct pd_buf *b, const struct pd_svgchart *c)
{
	int rc = open_svg(b, c, 48);
	rc = rc ? rc : pd_buf_puts(b, "<text x=\"8\" y=\"28\" fill=\"#333\">");
	rc = rc ? rc : pd_svg_escape(b, c->empty ? c->empty : "");
	return rc ? rc : pd_buf_puts(b, "</text></svg>");
}

static int value_text(struct pd_buf *b, const struct pd_svgchart *c, int64_t v)
{
	char num[32];
	int rc = pd_svg_escape(b, pd_svg_format(v, c->decimals, num, sizeof num));
	return rc ? rc : pd_svg_escape(b, c->suffix);
}

/* Scales v in [lo, hi] onto [a, b] (integer pixels); the middle when lo == hi. */
static int scale(int64_t v, int64_t lo, int64_t hi, int a, int b)
{
	if (hi <= lo)
		return (a + b) / 2;
	double t = (double)(v - lo) / (double)(hi - lo);
	return a + (int)(t * (double)(b - a) + (b >= a ? 0.5 : -0.5));
}

int pd_svgchart_bar(struct pd_buf *out, const struct pd_svgchart *c)
{
	int rc = check(c, PD_SVG_MAX_SERIES);
	if (rc)
		return rc;
	if (c->n == 0 || c->n_series == 0)
		return empty_chart(out, c);
	const int64_t *v = c->series[0].values;
	int64_t lo = 0, hi = 0;
	for (int i = 0; i < c->n; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	int area = W - VALUE_COL;
	int x0 = scale(0, lo, hi, 0, area);
	if (lo == 0 && hi == 0)
		x0 = 0;
	rc = open_svg(out, c, c->n * BAR_ROW + 4);
	for (int i = 0; !rc && i < c->n; i++) {
		int y = i * BAR_ROW;
		int x = lo == 0 && hi == 0 ? 0 : scale(v[i], lo, hi, 0, area);
		int left = x < x0 ? x : x0, width = x < x0 ? x0 - x : x - x0;
		rc = pd_buf_printf(out, "<text x=\"0\" y=\"%d\" fill=\"#222\">", y + 15);
		rc = rc ? rc : pd_svg_escape(out, c->labels[i]);
		rc = rc ? rc : pd_buf_printf(out,
		                             "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		                             "fill=\"%s\"/><text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
		                             "fill=\"#222\">",
		                             left, y + 20, width, BAR_H, v[i] < 0 ? "#b3261e" : colour[0],
		                             W - 2, y + 32);
		rc = rc ? rc : value_text(out, c, v[i]);
		rc = rc ? rc : pd_buf_puts(out, "</text>");
	}
	if (!rc && lo < 0)
		rc = pd_buf_printf(out, "<line x1=\"%d\" y1=\"16\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>",
		                   x0, x0, c->n * BAR_ROW);
	return rc ? rc : pd_buf_puts(out, "</svg>");
}

int pd_svgchart_line(struct pd_buf *out, const struct pd_svgchart *c)
{
	int rc = check(c, PD_SVG_MAX_SERIES);
	if (rc)
		return rc;
	if (c->n == 0 || c->n_series == 0)
		return empty_chart(out, c);
	int64_t lo = 0, hi = 0;
	for (int s = 0; s < c->n_series; s++)
		for (int i = 0; i < c->n; i++) {
			int64_t v = c->series[s].values[i];
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
	if (hi == lo)
		hi = lo + 1;  /* all zero: a flat line at the bottom */
	int legend_rows = c->n_series;
	rc = open_svg(out, c, LINE_H + 22 * (legend_rows - 1));
	/* the axes: zero line, the bottom and top values */
	int yz = scale(0, lo, hi, PLOT_B, PLOT_T);
	rc = rc ? rc : pd_buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>"
	                             "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>",
	                             PLOT_L, yz, PLOT_R, yz, PLOT_L, PLOT_T, PLOT_L, PLOT_B);
	const int64_t ends[2] = {lo, hi};
	for (int k = 0; !rc && k < 2; k++) {
		int y = scale(ends[k], lo, hi, PLOT_B, PLOT_T);
		rc = pd_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#222\">",
		                   PLOT_L - 6, y + 5);
		rc = rc ? rc : value_text(out, c, ends[k]);
		rc = rc ? rc : pd_buf_puts(out, "</text>");
	}
	if (!rc && lo < 0) {
		rc = pd_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#222\">0</text>",
		                   PLOT_L - 6, yz + 5);
	}
	/* x labels: at most X_LABELS_MAX, evenly picked, the last one always */
	int step = (c->n + X_LABELS_MAX - 1) / X_LABELS_MAX;
	for (int i = 0; !rc && i < c->n; i++) {
		bool show = i == c->n - 1 || (i % step == 0 && c->n - 1 - i >= step);
		if (!show)
			continue;  /* not picked, or too close to the last label */
		int x = c->n == 1 ? (PLOT_L + PLOT_R) / 2 : scale(i, 0, c->n - 1, PLOT_L, PLOT_R);
		rc = pd_buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#222\">",
		                   x, PLOT_B + 22);
		rc = rc ? rc : pd_svg_escape(out, c->labels[i]);
		rc = rc ? rc : pd_buf_puts(out, "</text>");
	}
	for (int s = 0; !rc && s < c->n_series; s++) {
		const int64_t *v = c->series[s].values;
		rc = pd_buf_printf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"3\"%s points=\"",
		                   colour[s], dash[s]);
		for (int i = 0; !rc && i < c->n; i++) {
			int x = c->n == 1 ? (PLOT_L + PLOT_R) / 2 : scale(i, 0, c->n - 1, PLOT_L, PLOT_R);
			rc = pd_buf_printf(out, "%s%d,%d", i ? " " : "", x, scale(v[i], lo, hi, PLOT_B, PLOT_T));
		}
		rc = rc ? rc : pd_buf_puts(out, "\"/>");
		for (int i = 0; !rc && i < c->n; i++) {
			int x = c->n == 1 ? (PLOT_L + PLOT_R) / 2 : scale(i, 0, c->n - 1, PLOT_L, PLOT_R);
			rc = pd_buf_printf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>", x,
			                   scale(v[i], lo, hi, PLOT_B, PLOT_T), colour[s]);
		}
		/* legend */
		int ly = PLOT_B + 46 + 22 * s;
		rc = rc ? rc : pd_buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
		                             "stroke-width=\"3\"%s/><text x=\"%d\" y=\"%d\" fill=\"#222\">",
		                             PLOT_L, ly - 5, PLOT_L + 36, ly - 5, colour[s], dash[s],
		                             PLOT_L + 44, ly);
		rc = rc ? rc : pd_svg_escape(out, c->series[s].name);
		rc = rc ? rc : pd_buf_puts(out, "</text>");
	}
	return rc ? rc : pd_buf_puts(out, "</svg>");
}
