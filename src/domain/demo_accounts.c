/* Demo accounts: one for each role of DESIGN §2 on sensible units of Kabupaten Sukamaju and a
 * few citizens, with generated passwords written to <data>/demo-accounts.txt (mode 0600). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/log.h"
#include "domain/account.h"
#include "domain/demo.h"
#include "domain/keys.h"

struct demo_account {
	const char *role, *unit, *email, *name, *village;
};

/* Addresses under .example (RFC 2606): no mail to them can reach anyone. */
static const struct demo_account accounts[] = {
	{"officer", "disdukcapil", "petugas.disdukcapil@sukamaju.example", "Budi Santoso", NULL},
	{"officer", "desa-mekarsari", "petugas.mekarsari@sukamaju.example", "Rina Wulandari", NULL},
	{"coordinator", "sukamaju", "koordinator@sukamaju.example", "Agus Pratama", NULL},
	{"supervisor", "sukamaju", "supervisor@sukamaju.example", "Dewi Lestari", NULL},
	{"moderator", "sukamaju", "moderator@sukamaju.example", "Hendra Gunawan", NULL},
	{"ppid", "diskominfo", "ppid@sukamaju.example", "Sri Rahayu", NULL},
	{"ppid_superior", "sukamaju", "atasan.ppid@sukamaju.example", "Bambang Sutrisno", NULL},
	{"administrator", "sukamaju", "admin@sukamaju.example", "Yuni Kartika", NULL},
	/* The top unit's administrator: national settings such as the holiday calendar. */
	{"administrator", "jawa-barat", "admin.provinsi@sukamaju.example", "Ratna Sari", NULL},
	{"auditor", "inspektorat", "auditor@sukamaju.example", "Teguh Wibowo", NULL},
	{"citizen", NULL, "warga1@sukamaju.example", "Siti Nurhaliza", "desa-mekarsari"},
	{"citizen", NULL, "warga2@sukamaju.example", "Andi Saputra", "desa-cibening"},
	{"citizen", NULL, "warga3@sukamaju.example", "Lina Marlina", "kel-sukamaju"},
};
#define N_ACCOUNTS (sizeof accounts / sizeof accounts[0])

struct demo_state {
	char passwords[N_ACCOUNTS][24];
	char hashes[N_ACCOUNTS][PD_HASH_MAX];
	int rc[N_ACCOUNTS];
	const struct pd_keyset *ks;
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
	for (size_t i = h->first; i < N_ACCOUNTS; i += 2)
		h->s->rc[i] = pd_password_hash(h->s->passwords[i], h->s->hashes[i]);
	return NULL;
}

static int accounts_tx(struct pd_tx *tx, void *p)
{
	struct demo_state *s = p;
	for (size_t i = 0; i < N_ACCOUNTS; i++) {
		const struct demo_account *d = &accounts[i];
		bool staff = strcmp(d->role, "citizen") != 0;
		struct pd_registration in = {
			.name = d->name, .email = d->email, .village_slug = d->village,
			.password_hash = s->hashes[i], .base_url = "", .email_verified = true,
			.kind = staff ? "staff" : "citizen", .actor = "system",
		};
		struct pd_register_result res;
		int rc = pd_account_register(tx, s->ks, &in, &res);
		if (!rc && res.email_taken)
			rc = PD_ERR_CONFLICT;
		if (!rc && staff)
			rc = pd_account_grant(tx, s->ks, "system", d->email, d->role, d->unit);
		if (rc) {
			pd_log(PD_LOG_ERROR, "demo_account_failed", "role=%s err=\"%s\"", d->role,
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

int pd_demo_accounts(struct pd_store *st, const struct pd_config *cfg)
{
	struct pd_keyset *ks = NULL;
	char err[1024];
	int rc = pd_keys_startup(cfg, st, &ks, err, sizeof err);
	if (rc) {
		pd_log(PD_LOG_ERROR, "demo_keys_failed", "err=\"%s\"", err);
		return rc;
	}
	struct demo_state *s = sodium_malloc(sizeof *s);
	if (!s) {
		pd_keyset_free(ks);
		return PD_ERR_NOMEM;
	}
	memset(s, 0, sizeof *s);
	s->ks = ks;
	for (size_t i = 0; i < N_ACCOUNTS; i++)
		make_password(s->passwords[i]);
	struct hash_half odd = {s, 1}, even = {s, 0};
	pthread_t t;
	bool threaded = pthread_create(&t, NULL, hash_half, &odd) == 0;
	hash_half(&even);
	if (threaded)
		pthread_join(t, NULL);
	else
		hash_half(&odd);
	for (size_t i = 0; i < N_ACCOUNTS && !rc; i++)
		rc = s->rc[i];
	if (!rc)
		rc = pd_store_write(st, accounts_tx, s);
	char path[4200];
	if (!rc)
		rc = write_file(cfg, s, path, sizeof path);
	if (!rc)
		printf("pendopo: %zu demo accounts created; their passwords are in %s\n", N_ACCOUNTS, path);
	sodium_free(s);
	pd_keyset_free(ks);
	return rc;
}
