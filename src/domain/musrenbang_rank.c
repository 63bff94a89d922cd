/* The pure rules of Musrenbang: phase names, the ranking with its tie-breaks and the greedy
 * funding, the knapsack ballot's budget check, and area codes against a NIK's district. */
#include "domain/musrenbang.h"

#include <stdlib.h>
#include <string.h>

static const char *const phase_names[PD_MUS_PHASE__MAX] = {
	"proposals", "verification", "voting", "ranking", "results",
};

const char *pd_mus_phase_name(enum pd_mus_phase p)
{
	return (unsigned)p < PD_MUS_PHASE__MAX ? phase_names[p] : "";
}

enum pd_mus_phase pd_mus_phase_parse(const char *s)
{
	for (int i = 0; s && i < PD_MUS_PHASE__MAX; i++)
		if (strcmp(s, phase_names[i]) == 0)
			return (enum pd_mus_phase)i;
	return PD_MUS_PHASE__MAX;
}

static int cmp_item(const void *pa, const void *pb)
{
	const struct pd_mus_item *a = pa, *b = pb;
	if (a->votes != b->votes)
		return a->votes > b->votes ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return strcmp(a->id ? a->id : "", b->id ? b->id : "");
}

void pd_mus_rank(struct pd_mus_item *items, int n, int64_t budget)
{
	if (n <= 0)
		return;
	qsort(items, (size_t)n, sizeof *items, cmp_item);
	int64_t left = budget;
	for (int i = 0; i < n; i++) {
		items[i].rank = i + 1;
		items[i].funded = items[i].cost > 0 && items[i].cost <= left;
		if (items[i].funded)
			left -= items[i].cost;
	}
}

bool pd_mus_within_budget(const int64_t *costs, int n, int64_t budget)
{
	int64_t sum = 0;
	for (int i = 0; i < n; i++) {
		if (costs[i] < 0 || costs[i] > budget - sum)
			return false;
		sum += costs[i];
	}
	return sum <= budget;
}

void pd_mus_code_digits(const char *code, char *out, size_t n)
{
	size_t k = 0;
	for (const char *s = code ? code : ""; *s && k + 1 < n; s++)
		if (*s >= '0' && *s <= '9')
			out[k++] = *s;
	if (n)
		out[k] = '\0';
}

bool pd_mus_district_in_area(const char *nik_district, const char *area)
{
	if (!nik_district || strlen(nik_district) != 6 || !area)
		return false;
	size_t n = strlen(area);
	if (n > 6)
		n = 6;  /* a village's code: its first 6 digits name its district */
	if (n < 4)
		return false;  /* a province or an unknown code: no round votes that wide */
	return strncmp(nik_district, area, n) == 0;
}
