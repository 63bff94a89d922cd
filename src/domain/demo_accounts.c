/* Demo accounts: one for each role of DESIGN §2 on sensible units of Kabupaten Sukamaju and a
 * few citizens, with generated passwords written to <data>/demo-accounts.txt (mode 0600), and a
 * population of generated citizens who cannot sign in (they file the demo's applications). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "domain/account.h"
#include "domain/demo.h"
#include "domain/keys.h"

struct demo_account {
	const char *role, *unit, *email, *name, *village, *nik;
};

/* Addresses under .example (RFC 2606): no mail to them can reach anyone. */
static const struct demo_account accounts[] = {
	{"officer", "disdukcapil", "petugas.disdukcapil@sukamaju.example", "Budi Santoso", NULL, NULL},
	{"officer", "desa-mekarsari", "petugas.mekarsari@sukamaju.example", "Rina Wulandari", NULL, NULL},
	{"officer", "dpmptsp", "petugas.dpmptsp@sukamaju.example", "Fajar Nugroho", NULL, NULL},
	{"officer", "dinkes", "petugas.dinkes@sukamaju.example", "Ratih Puspitasari", NULL, NULL},
	{"officer", "dlh", "petugas.dlh@sukamaju.example", "Asep Saepudin", NULL, NULL},
	{"coordinator", "sukamaju", "koordinator@sukamaju.example", "Agus Pratama", NULL, NULL},
	{"supervisor", "sukamaju", "supervisor@sukamaju.example", "Dewi Lestari", NULL, NULL},
	{"moderator", "sukamaju", "moderator@sukamaju.example", "Hendra Gunawan", NULL, NULL},
	{"ppid", "diskominfo", "ppid@sukamaju.example", "Sri Rahayu", NULL, NULL},
	{"ppid_superior", "sukamaju", "atasan.ppid@sukamaju.example", "Bambang Sutrisno", NULL, NULL},
	{"administrator", "sukamaju", "admin@sukamaju.example", "Yuni Kartika", NULL, NULL},
	/* The top unit's administrator: national settings such as the holiday calendar. */
	{"administrator", "jawa-barat", "admin.provinsi@sukamaju.example", "Ratna Sari", NULL, NULL},
	{"auditor", "inspektorat", "auditor@sukamaju.example", "Teguh Wibowo", NULL, NULL},
	/* NIKs of region 32.19 with serials from 7001: tests use low serials for their own. */
	{"citizen", NULL, "warga1@sukamaju.example", "Siti Nurhaliza", "desa-mekarsari",
	 "3219015204927001"},
	{"citizen", NULL, "warga2@sukamaju.example", "Andi Saputra", "desa-cibening",
	 "3219021708887002"},
	{"citizen", NULL, "warga3@sukamaju.example", "Lina Marlina", "kel-sukamaju",
	 "3219016911957003"},
};
#define N_ACCOUNTS (sizeof accounts / sizeof accounts[0])

/* Generated citizens: names from these lists, homes in every village, plausible NIKs. */
#define N_GENERATED 60
static const char *const given_m[] = {
	"Asep", "Dedi", "Ujang", "Yusuf", "Rudi", "Iwan", "Dadang", "Eko", "Rizky", "Hendra",
	"Wawan", "Agus", "Cecep", "Firman", "Irfan",
};
static const char *const given_f[] = {
	"Euis", "Neneng", "Siti", "Dewi", "Yanti", "Rina", "Nurul", "Tuti", "Wulan", "Ayu",
	"Lilis", "Fitri", "Imas", "Ratna", "Sri",
};
static const char *const family[] = {
	"Suryana", "Hidayat", "Kurniawan", "Permana", "Sulaeman", "Rahmawati", "Setiawan",
	"Maulana", "Nurjanah", "Kusnadi", "Saputra", "Wijaya", "Gunawan", "Lestari", "Fauzi",
	"Ramdani", "Sopian", "Puspita",
};
/* The villages and their district's code (NIK digits 5-6). */
static const struct {
	const char *slug, *district;
} villages[] = {
	{"kel-sukamaju", "01"}, {"kel-pasarbaru", "01"}, {"desa-mekarsari", "01"},
	{"desa-cibening", "02"}, {"desa-sindangwangi", "02"}, {"desa-cikahuripan", "02"},
	{"desa-pasirlaya", "03"}, {"desa-sukaresmi", "03"}, {"desa-tanjungsari", "04"},
	{"desa-margaluyu", "04"}, {"desa-karangmulya", "04"},
};
#define N_VILLAGES (sizeof villages / sizeof villages[0])

struct demo_state {
	char passwords[N_ACCOUNTS + 1][24]; /* the last: the generated citizens' (discarded) */
	char hashes[N_ACCOUNTS + 1][PD_HASH_MAX];
	int rc[N_ACCOUNTS + 1];
	const struct pd_keyset *ks;
	struct pd_demo_person *people;      /* N_ACCOUNTS + N_GENERATED */
};

/* "abcd-efgh-jkmn-pqrs": 16 characters from 32 unambiguous ones, 80 random bits. */
static void make_password(char out[24])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	int k = 0;
	for (int i = 0; i < 16; i++) {
		if (i && i % 4 == 0)
			out[k++] = '-';
		out[k++] = alphabet[randombytes_uniform(32)];
	}
	out[k] = '\0';
}

struct hash_half {
	struct demo_state *s;
	size_t first;
};

/* Hashes every other password: two threads share the work on a two-core machine. */
static void *hash_half(void *p)
{
	struct hash_half *h = p;
	for (size_t i = h->first; i <= N_ACCOUNTS; i += 2)
		h->s->rc[i] = pd_password_hash(h->s->passwords[i], h->s->hashes[i]);
	return NULL;
}

/* Fills generated citizen i (deterministic: the same demo every time): name, email, village,
 * a NIK of the village's district with a birth date of 1960-2004 (day + 40 for women) and a
 * serial from 7101. */
static void generate(struct pd_demo_person *p, size_t i)
{
	bool woman = i % 2;
	size_t g = (i * 7 + 3) % 15, f = (i * 5 + i / 15) % (sizeof family / sizeof family[0]);
	const char *given = woman ? given_f[g] : given_m[g];
	snprintf(p->name, sizeof p->name, "%s %s", given, family[f]);
	snprintf(p->email, sizeof p->email, "%s.%s.%zu@warga.sukamaju.example", given, family[f],
	         i + 1);
	for (char *c = p->email; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	size_t v = (i * 3) % N_VILLAGES;
	p->role = "citizen";
	p->unit = villages[v].slug;
	unsigned day = 1 + (i * 11) % 28, month = 1 + (i * 5) % 12, year = 60 + (i * 13) % 45;
	snprintf(p->nik, sizeof p->nik, "3219%s%02u%02u%02u%04zu", villages[v].district,
	         day + (woman ? 40 : 0), month, year % 100, 7101 + i);
}

static int register_one(struct pd_tx *tx, const struct demo_state *s,
                        const struct pd_registration *in, struct pd_demo_person *who)
{
	struct pd_register_result res;
	int rc = pd_account_register(tx, s->ks, in, &res);
	if (!rc && res.email_taken)
		rc = PD_ERR_CONFLICT;
	if (!rc && res.errs.n)
		rc = PD_ERR_INVALID;
	if (!rc)
		memcpy(who->id, res.id, sizeof who->id);
	return rc;
}

static int accounts_tx(struct pd_tx *tx, void *p)
{
	struct demo_state *s = p;
	for (size_t i = 0; i < N_ACCOUNTS; i++) {
		const struct demo_account *d = &accounts[i];
		struct pd_demo_person *who = &s->people[i];
		bool staff = strcmp(d->role, "citizen") != 0;
		struct pd_registration in = {
			.name = d->name, .email = d->email, .village_slug = d->village, .nik = d->nik,
			.password_hash = s->hashes[i], .base_url = "", .email_verified = true,
			.kind = staff ? "staff" : "citizen", .actor = "system",
		};
		int rc = register_one(tx, s, &in, who);
		if (!rc && staff)
			rc = pd_account_grant(tx, s->ks, "system", d->email, d->role, d->unit);
		if (rc) {
			pd_log(PD_LOG_ERROR, "demo_account_failed", "role=%s err=\"%s\"", d->role,
			       pd_strerror(rc));
			return rc;
		}
		who->role = d->role;
		who->unit = staff ? d->unit : d->village;
		snprintf(who->name, sizeof who->name, "%s", d->name);
		snprintf(who->email, sizeof who->email, "%s", d->email);
		snprintf(who->nik, sizeof who->nik, "%s", d->nik ? d->nik : "");
	}
	for (size_t i = 0; i < N_GENERATED; i++) {
		struct pd_demo_person *who = &s->people[N_ACCOUNTS + i];
		generate(who, i);
		struct pd_registration in = {
			.name = who->name, .email = who->email, .village_slug = who->unit,
			.nik = who->nik, .password_hash = s->hashes[N_ACCOUNTS], .base_url = "",
			.email_verified = true, .kind = "citizen", .actor = "system",
		};
		int rc = register_one(tx, s, &in, who);
		if (rc) {
			pd_log(PD_LOG_ERROR, "demo_account_failed", "citizen=%zu err=\"%s\"", i,
			       pd_strerror(rc));
			return rc;
		}
	}
	return PD_OK;
}

static int write_file(const struct pd_config *cfg, const struct demo_state *s, char *path,
                      size_t n)
{
	snprintf(path, n, "%s/demo-accounts.txt", cfg->data);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600)) {
		pd_log(PD_LOG_ERROR, "demo_accounts_file", "errno=%d", errno);
		if (fd >= 0)
			close(fd);
		return PD_ERR_IO;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return PD_ERR_IO;
	}
	fprintf(f, "role\tunit\temail\tpassword\n");
	for (size_t i = 0; i < N_ACCOUNTS; i++)
		fprintf(f, "%s\t%s\t%s\t%s\n", accounts[i].role,
		        accounts[i].unit ? accounts[i].unit : accounts[i].village, accounts[i].email,
		        s->passwords[i]);
	return fclose(f) ? PD_ERR_IO : PD_OK;
}

void pd_demo_people_free(struct pd_demo_people *people)
{
	free(people->p);
	people->p = NULL;
	people->n = 0;
}

int pd_demo_accounts(struct pd_store *st, const struct pd_config *cfg,
                     struct pd_demo_people *people)
{
	people->p = NULL;
	people->n = 0;
	struct pd_keyset *ks = NULL;
	char err[1024];
	int rc = pd_keys_startup(cfg, st, &ks, err, sizeof err);
	if (rc) {
		pd_log(PD_LOG_ERROR, "demo_keys_failed", "err=\"%s\"", err);
		return rc;
	}
	struct demo_state *s = sodium_malloc(sizeof *s);
	struct pd_demo_person *list = calloc(N_ACCOUNTS + N_GENERATED, sizeof *list);
	if (!s || !list) {
		rc = PD_ERR_NOMEM;
		goto out;
	}
	memset(s, 0, sizeof *s);
	s->ks = ks;
	s->people = list;
	for (size_t i = 0; i <= N_ACCOUNTS; i++)
		make_password(s->passwords[i]);
	struct hash_half odd = {s, 1}, even = {s, 0};
	pthread_t t;
	bool threaded = pthread_create(&t, NULL, hash_half, &odd) == 0;
	hash_half(&even);
	if (threaded)
		pthread_join(t, NULL);
	else
		hash_half(&odd);
	for (size_t i = 0; i <= N_ACCOUNTS && !rc; i++)
		rc = s->rc[i];
	if (!rc)
		rc = pd_store_write(st, accounts_tx, s);
	char path[4200];
	if (!rc)
		rc = write_file(cfg, s, path, sizeof path);
	if (rc)
		goto out;
	printf("pendopo: %zu demo accounts created; their passwords are in %s\n", N_ACCOUNTS, path);
	people->p = list;
	people->n = N_ACCOUNTS + N_GENERATED;
	list = NULL;
out:
	free(list);
	if (s)
		sodium_free(s);
	pd_keyset_free(ks);
	return rc;
}
