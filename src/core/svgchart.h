/* Charts written as inline SVG text on the server (DESIGN §5: no JavaScript, no cairo): a
 * horizontal bar chart and a line chart, each with a <title> and a <desc> that label it
 * (role="img" aria-labelledby) and every text escaped for HTML. */
#ifndef PD_CORE_SVGCHART_H
#define PD_CORE_SVGCHART_H

#include <stdint.h>

#include "core/buf.h"

#define PD_SVG_MAX_POINTS 200  /* most categories (bars, points along x) */
#define PD_SVG_MAX_SERIES 4    /* most lines of a line chart (bars use the first series) */

/* One series: a name for the legend and n values (the chart's n), fixed-point with the
 * chart's decimals (125 with decimals 1 is 12.5). Borrowed. */
struct pd_svg_series {
	const char *name;
	const int64_t *values;
};

/* What to draw. Every string is borrowed, UTF-8, and escaped when written. */
struct pd_svgchart {
	const char *id;           /* prefix of the element ids: [a-z0-9-], 1..40 characters */
	const char *title;        /* the chart's title (<title>) */
	const char *desc;         /* its text alternative (<desc>): what the chart shows */
	const char *empty;        /* the text drawn when there is nothing to show */
	const char *const *labels; /* n category labels (bars: one per bar; lines: along x) */
	int n;
	const struct pd_svg_series *series;
	int n_series;
	int decimals;             /* 0..3: digits after the dot of the values */
	const char *suffix;       /* after each value label ("%", " hari"), or NULL */
};

/* Appends a horizontal bar chart of c->series[0] to out: a bar per label, the label above it
 * and its value beside it; negative values extend left of a zero line. With n == 0 (or no
 * series) the chart shows c->empty. PD_OK; PD_ERR_INVALID for a bad id, decimals, n beyond
 * PD_SVG_MAX_POINTS or a NULL title/desc; PD_ERR_TOO_LARGE when out would pass its maximum
 * (out may then hold part of the chart: discard it). */
int pd_svgchart_bar(struct pd_buf *out, const struct pd_svgchart *c);

/* Appends a line chart of up to PD_SVG_MAX_SERIES series over the n labels (x axis), with a
 * zero line, the top and bottom values on the y axis, a marker per point and a legend. Errors
 * as pd_svgchart_bar (also PD_ERR_INVALID beyond PD_SVG_MAX_SERIES series). */
int pd_svgchart_line(struct pd_buf *out, const struct pd_svgchart *c);

/* Appends s escaped for HTML/SVG text and double-quoted attributes (& < > " '). */
int pd_svg_escape(struct pd_buf *out, const char *s);

/* Formats v with decimals digits after a dot ("-12.5") into buf (at least 32 bytes). */
char *pd_svg_format(int64_t v, int decimals, char *buf, int len);

#endif
