/* The IKM of PermenPANRB 14/2017 computed exactly in integers: element means, the weighted
 * index rounded half up once at the end, its grade, and the survey's wording. */
#include "domain/ikm.h"

#include <inttypes.h>
#include <stdio.h>

#include "core/err.h"
#include "core/i18n.h"

bool pd_ikm_scores_valid(const int scores[PD_IKM__MAX])
{
	for (int i = 0; i < PD_IKM__MAX; i++)
		if (scores[i] < PD_IKM_SCORE_MIN || scores[i] > PD_IKM_SCORE_MAX)
			return false;
	return true;
}

int pd_ikm_tally_add(struct pd_ikm_tally *t, const int scores[PD_IKM__MAX])
{
	if (!pd_ikm_scores_valid(scores))
		return PD_ERR_INVALID;
	t->n++;
	for (int i = 0; i < PD_IKM__MAX; i++)
		t->sum[i] += scores[i];
	return PD_OK;
}

void pd_ikm_tally_merge(struct pd_ikm_tally *t, const struct pd_ikm_tally *from)
{
	t->n += from->n;
	for (int i = 0; i < PD_IKM__MAX; i++)
		t->sum[i] += from->sum[i];
}

/* round_half_up(num / den) for num >= 0, den > 0: floor((2 num + den) / (2 den)). */
static int64_t div_round_half_up(int64_t num, int64_t den)
{
	return (2 * num + den) / (2 * den);
}

int64_t pd_ikm_index_x100(int64_t total, int64_t n)
{
	/* Lampiran Bab IV: IKM = Σ (NRR_i × 0.111), converted × 25. With NRR_i = sum_i / n and
	 * S = Σ sum_i: IKM = 25 × 0.111 × S / n = 2.775 S / n, so IKM × 100 = 277.5 S / n
	 * = 555 S / (2 n) — one exact fraction, rounded half up once. */
	return div_round_half_up(555 * total, 2 * n);
}

char pd_ikm_grade(int64_t index_x100)
{
	if (index_x100 >= PD_IKM_A_FROM)
		return 'A';
	if (index_x100 >= PD_IKM_B_FROM)
		return 'B';
	if (index_x100 >= PD_IKM_C_FROM)
		return 'C';
	return 'D';
}

int pd_ikm_compute(const struct pd_ikm_tally *t, struct pd_ikm_result *out)
{
	*out = (struct pd_ikm_result){0};
	/* Bounds keep 555 × S far from overflow: at most 10^12 responses. */
	if (t->n < 0 || t->n > INT64_C(1000000000000))
		return PD_ERR_INVALID;
	int64_t total = 0;
	for (int i = 0; i < PD_IKM__MAX; i++) {
		if (t->sum[i] < PD_IKM_SCORE_MIN * t->n || t->sum[i] > PD_IKM_SCORE_MAX * t->n)
			return PD_ERR_INVALID;
		total += t->sum[i];
	}
	out->n = t->n;
	out->withheld = t->n < PD_IKM_MIN_RESPONSES;
	if (t->n == 0)
		return PD_OK;
	for (int i = 0; i < PD_IKM__MAX; i++)
		out->nrr_x100[i] = div_round_half_up(100 * t->sum[i], t->n);
	out->index_x100 = pd_ikm_index_x100(total, t->n);
	out->grade = pd_ikm_grade(out->index_x100);
	return PD_OK;
}

int pd_ikm_suppress(const int64_t *n, bool *withheld, int count)
{
	int64_t hidden = 0;
	for (int i = 0; i < count; i++) {
		withheld[i] = n[i] < PD_IKM_MIN_RESPONSES;
		if (withheld[i])
			hidden += n[i];
	}
	int extra = 0;
	while (hidden > 0 && hidden < PD_IKM_MIN_RESPONSES) {
		int pick = -1;
		for (int i = 0; i < count; i++)
			if (!withheld[i] && (pick < 0 || n[i] < n[pick]))
				pick = i;
		if (pick < 0)
			break;
		withheld[pick] = true;
		hidden += n[pick];
		extra++;
	}
	return extra;
}

const char *pd_ikm_grade_label(char grade)
{
	/* Lampiran Bab IV: mutu pelayanan (kinerja unit pelayanan). */
	switch (grade) {
	case 'A':
		return N_("Sangat baik");
	case 'B':
		return N_("Baik");
	case 'C':
		return N_("Kurang baik");
	case 'D':
		return N_("Tidak baik");
	default:
		return "";
	}
}

char *pd_ikm_format_x100(int64_t v, char *buf, size_t len)
{
	int64_t a = v < 0 ? -v : v;
	snprintf(buf, len, "%s%" PRId64 ".%02d", v < 0 ? "-" : "", a / 100, (int)(a % 100));
	return buf;
}

/* The questionnaire (Lampiran, contoh kuesioner), each element with its own scale. */
static const struct {
	const char *key, *name, *question, *answers[4];
} elements[PD_IKM__MAX] = {
	[PD_IKM_REQUIREMENTS] = {"requirements", N_("Persyaratan"),
	                         N_("Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
	                         {N_("Tidak sesuai"), N_("Kurang sesuai"), N_("Sesuai"), N_("Sangat sesuai")}},
	[PD_IKM_PROCEDURE] = {"procedure", N_("Sistem, mekanisme, dan prosedur"),
	                      N_("Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?"),
	                      {N_("Tidak mudah"), N_("Kurang mudah"), N_("Mudah"), N_("Sangat mudah")}},
	[PD_IKM_TIME] = {"time", N_("Waktu penyelesaian"),
	                 N_("Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?"),
	                 {N_("Tidak cepat"), N_("Kurang cepat"), N_("Cepat"), N_("Sangat cepat")}},
	[PD_IKM_COST] = {"cost", N_("Biaya/tarif"),
	                 N_("Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?"),
	                 {N_("Sangat mahal"), N_("Cukup mahal"), N_("Murah"), N_("Gratis")}},
	[PD_IKM_PRODUCT] = {"product", N_("Produk spesifikasi jenis pelayanan"),
	                    N_("Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?"),
	                    {N_("Tidak sesuai"), N_("Kurang sesuai"), N_("Sesuai"), N_("Sangat sesuai")}},
	[PD_IKM_COMPETENCE] = {"competence", N_("Kompetensi pelaksana"),
	                       N_("Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?"),
	                       {N_("Tidak kompeten"), N_("Kurang kompeten"), N_("Kompeten"), N_("Sangat kompeten")}},
	[PD_IKM_CONDUCT] = {"conduct", N_("Perilaku pelaksana"),
	                    N_("Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"),
	                    {N_("Tidak sopan dan ramah"), N_("Kurang sopan dan ramah"), N_("Sopan dan ramah"),
	                     N_("Sangat sopan dan ramah")}},
	[PD_IKM_COMPLAINTS] = {"complaints", N_("Penanganan pengaduan, saran, dan masukan"),
	                       N_("Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?"),
	                       {N_("Tidak ada"), N_("Ada tetapi tidak berfungsi"), N_("Berfungsi kurang maksimal"),
	                        N_("Dikelola dengan baik")}},
	[PD_IKM_FACILITIES] = {"facilities", N_("Sarana dan prasarana"),
	                       N_("Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?"),
	                       {N_("Buruk"), N_("Cukup"), N_("Baik"), N_("Sangat baik")}},
};

const char *pd_ikm_element_key(enum pd_ikm_element e)
{
	return (int)e >= 0 && e < PD_IKM__MAX ? elements[e].key : NULL;
}

const char *pd_ikm_element_name(enum pd_ikm_element e)
{
	return (int)e >= 0 && e < PD_IKM__MAX ? elements[e].name : NULL;
}

const char *pd_ikm_element_question(enum pd_ikm_element e)
{
	return (int)e >= 0 && e < PD_IKM__MAX ? elements[e].question : NULL;
}

const char *pd_ikm_element_answer(enum pd_ikm_element e, int score)
{
	if ((int)e < 0 || e >= PD_IKM__MAX || score < PD_IKM_SCORE_MIN || score > PD_IKM_SCORE_MAX)
		return NULL;
	return elements[e].answers[score - 1];
}
