/* The Indeks Kepuasan Masyarakat (IKM) of PermenPANRB 14/2017: nine survey elements scored
 * 1..4, each element's mean (NRR), the weighted index and its grade, computed exactly. Pure
 * computation: no storage, no I/O. */
#ifndef PD_DOMAIN_IKM_H
#define PD_DOMAIN_IKM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The nine elements (unsur pelayanan), in the regulation's order (PermenPANRB 14/2017,
 * Lampiran, Bab II huruf B). */
enum pd_ikm_element {
	PD_IKM_REQUIREMENTS, /* persyaratan */
	PD_IKM_PROCEDURE,    /* sistem, mekanisme dan prosedur */
	PD_IKM_TIME,         /* waktu penyelesaian */
	PD_IKM_COST,         /* biaya/tarif */
	PD_IKM_PRODUCT,      /* produk spesifikasi jenis pelayanan */
	PD_IKM_COMPETENCE,   /* kompetensi pelaksana */
	PD_IKM_CONDUCT,      /* perilaku pelaksana */
	PD_IKM_COMPLAINTS,   /* penanganan pengaduan, saran dan masukan */
	PD_IKM_FACILITIES,   /* sarana dan prasarana */
	PD_IKM__MAX
};

#define PD_IKM_SCORE_MIN 1
#define PD_IKM_SCORE_MAX 4
/* Below this many responses a figure is withheld ("belum cukup tanggapan"). */
#define PD_IKM_MIN_RESPONSES 10

/* Grade boundaries on the index × 100 (Nilai Interval Konversi): A 88.31–100, B 76.61–88.30,
 * C 65.00–76.60, D below 65.00. */
#define PD_IKM_A_FROM 8831
#define PD_IKM_B_FROM 7661
#define PD_IKM_C_FROM 6500

/* Running totals of a group of responses (a unit, a service, a quarter): how many, and the sum
 * of each element's scores. Zero-initialise, then add responses or other tallies. */
struct pd_ikm_tally {
	int64_t n;
	int64_t sum[PD_IKM__MAX];
};

/* True when every one of the nine scores is 1..4. */
bool pd_ikm_scores_valid(const int scores[PD_IKM__MAX]);

/* Adds one response to t. PD_ERR_INVALID (t unchanged) when a score is outside 1..4. */
int pd_ikm_tally_add(struct pd_ikm_tally *t, const int scores[PD_IKM__MAX]);

/* Adds tally from into t (a unit's total is the sum of its services' tallies). */
void pd_ikm_tally_merge(struct pd_ikm_tally *t, const struct pd_ikm_tally *from);

/* The figures of a tally. Values are fixed-point × 100 (8831 is 88.31), each rounded half up
 * once, from exact integer arithmetic. */
struct pd_ikm_result {
	int64_t n;
	bool withheld;                  /* n < PD_IKM_MIN_RESPONSES: publish none of the figures */
	int64_t nrr_x100[PD_IKM__MAX];  /* NRR_i = sum_i / n */
	int64_t index_x100;             /* (Σ NRR_i × 0.111) × 25 = 2.775 × S / n */
	char grade;                     /* 'A'..'D'; 0 when n is 0 */
};

/* Computes the figures of t into *out (also for fewer than PD_IKM_MIN_RESPONSES responses:
 * out->withheld tells callers not to publish them). PD_ERR_INVALID when t is inconsistent (a
 * sum outside n..4n, or n negative). With n = 0 every figure is 0 and grade 0. */
int pd_ikm_compute(const struct pd_ikm_tally *t, struct pd_ikm_result *out);

/* The index × 100 of total score S over n responses: round_half_up(277.5 × S / n), exactly.
 * n > 0; S ≤ 36 n. */
int64_t pd_ikm_index_x100(int64_t total, int64_t n);

/* Secondary suppression over the parts (services) of a whole (a unit) whose figures are
 * published too. withheld[i] starts as n[i] < PD_IKM_MIN_RESPONSES; while the withheld parts
 * together hold at least one but fewer than PD_IKM_MIN_RESPONSES responses — which the whole
 * minus the published parts would reveal — the smallest published part (the first of equals)
 * is withheld as well. Returns how many parts were withheld beyond the first rule. */
int pd_ikm_suppress(const int64_t *n, bool *withheld, int count);

/* The grade of an index × 100: 'A', 'B', 'C' or 'D'. */
char pd_ikm_grade(int64_t index_x100);

/* The grade's meaning (mutu kinerja unit pelayanan) as a msgid: "Sangat baik", "Baik",
 * "Kurang baik", "Tidak baik"; "" for anything else. Static. */
const char *pd_ikm_grade_label(char grade);

/* The element's short name as a msgid ("Persyaratan", …), and its question and the four
 * answers (1..4, a msgid each) as the survey asks them; NULL for an invalid element. Static. */
const char *pd_ikm_element_name(enum pd_ikm_element e);
const char *pd_ikm_element_question(enum pd_ikm_element e);
const char *pd_ikm_element_answer(enum pd_ikm_element e, int score);

/* The element's stable key ("requirements", "procedure", "time", "cost", "product",
 * "competence", "conduct", "complaints", "facilities"), for form fields and CSV. Static. */
const char *pd_ikm_element_key(enum pd_ikm_element e);

/* "88.31" for 8831 (a dot, always two decimals) into buf (at least 24 bytes). Returns buf. */
char *pd_ikm_format_x100(int64_t v, char *buf, size_t len);

#endif
