/* Unit tests of i18n: Accept-Language parsing, the order of the language choice, .mo parsing
 * in both byte orders (built here and by msgfmt), and corrupt catalogues refused safely. */
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/embed.h"
#include "core/err.h"
#include "core/i18n.h"

extern char **environ;

static void put32(unsigned char *p, uint32_t v, bool big_endian)
{
	for (int i = 0; i < 4; i++)
		p[big_endian ? i : 3 - i] = (unsigned char)(v >> (8 * (3 - i)));
}

/* Writes a .mo with the given (msgid, msgstr) pairs, in the order given, into buf. */
static size_t build_mo(unsigned char *buf, size_t cap, const char *const pairs[][2], uint32_t n,
                       bool big_endian)
{
	size_t pos = 28 + (size_t)n * 16;
	assert_true(pos <= cap);
	memset(buf, 0, cap);
	uint32_t head[7] = {0x950412de, 0, n, 28, 28 + n * 8, 0, 0};
	for (int i = 0; i < 7; i++)
		put32(buf + 4 * i, head[i], big_endian);
	for (uint32_t side = 0; side < 2; side++)
		for (uint32_t i = 0; i < n; i++) {
			size_t len = strlen(pairs[i][side]);
			assert_true(pos + len + 1 <= cap);
			unsigned char *ent = buf + 28 + side * n * 8 + i * 8;
			put32(ent, (uint32_t)len, big_endian);
			put32(ent + 4, (uint32_t)pos, big_endian);
			memcpy(buf + pos, pairs[i][side], len + 1);
			pos += len + 1;
		}
	return pos;
}

static const char *const sample[][2] = {
	{"", "Project-Id-Version: t\nContent-Type: text/plain; charset=UTF-8\n"},
	{"Daftar", "Register"},
	{"Keluar", "Sign out"},
	{"Kosong", ""},
	{"Masuk", "Sign in"},
	{"Rp 5.000 · é", "IDR 5,000 · é"},
};
enum { N_SAMPLE = sizeof sample / sizeof sample[0] };

static void test_accept_language(void **state)
{
	struct { const char *header, *want; } cases[] = {
		{"en-US;q=0.8", "en"},
		{"en-US,en;q=0.9,id;q=0.8", "en"},
		{"id, en;q=0.9", "id"},
		{"id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7", "id"},
		{"fr-FR, fr;q=0.9, en;q=0.5", "en"},
		{"de;q=1, en;q=0.5, id;q=0.5", "en"},  /* tie: the earlier range wins */
		{"de;q=1, id;q=0.5, en;q=0.5", "id"},
		{"EN-gb", "en"},
		{"in-ID", "id"},                  /* the withdrawn code of Indonesian */
		{"  en  ;  q=0.3 ,id;q=0.2", "en"},
		{"en;level=1;q=0.3,id;q=0.2", "en"},
		{"en;Q=0.5, id;q=0.4", "en"},
		{"en;q=1.000", "en"},
		{"en;q=0.001", "en"},
		{"*", "id"},
		{"*;q=0.5, en", "en"},
		{"en;q=0, *", "id"},
		{"id;q=0, *;q=0.5", "en"},
		{"id;q=0, en;q=0", NULL},
		{"fr", NULL},
		{"", NULL},
		{",,, ;;", NULL},
		{"en;q=1.5", NULL},               /* malformed q drops the range */
		{"en;q=abc", NULL},
		{"en;q=0.0001", NULL},
		{"en;q=", NULL},
		{"english", NULL},
		{"-en", NULL},
		{"en-", "en"},
		{"x-klingon, en", "en"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = pd_i18n_accept(cases[i].header);
		if ((got == NULL) != (cases[i].want == NULL) ||
		    (got && strcmp(got, cases[i].want) != 0))
			fail_msg("Accept-Language \"%s\": want %s, got %s", cases[i].header,
			         cases[i].want ? cases[i].want : "NULL", got ? got : "NULL");
	}
	assert_null(pd_i18n_accept(NULL));

	/* Only the first 64 ranges count. */
	char big[1024];
	size_t used = 0;
	for (int i = 0; i < 64; i++)
		used += (size_t)snprintf(big + used, sizeof big - used, "fr,");
	snprintf(big + used, sizeof big - used, "en");
	assert_null(pd_i18n_accept(big));              /* en is the 65th range */
	snprintf(big + used - 3, sizeof big - used + 3, "en");
	assert_string_equal(pd_i18n_accept(big), "en"); /* en is the 64th range */
}

static void test_pick_order(void **state)
{
	assert_string_equal(pd_i18n_pick("en", "id", "id"), "en");
	assert_string_equal(pd_i18n_pick("id", "en", "en"), "id");
	assert_string_equal(pd_i18n_pick(NULL, "en", "id"), "en");
	assert_string_equal(pd_i18n_pick("", "en", "id"), "en");
	assert_string_equal(pd_i18n_pick("xx", "yy", "en-US;q=0.8"), "en");
	assert_string_equal(pd_i18n_pick(NULL, NULL, "fr"), "id");
	assert_string_equal(pd_i18n_pick(NULL, NULL, NULL), "id");
	assert_string_equal(pd_i18n_pick("", "", ""), "id");
	/* Canonical, static results. */
	assert_ptr_equal(pd_i18n_pick("EN", NULL, NULL), pd_i18n_canonical("en"));
	assert_true(pd_i18n_supported("id"));
	assert_true(pd_i18n_supported("En"));
	assert_false(pd_i18n_supported("en-US"));
	assert_false(pd_i18n_supported(""));
	assert_false(pd_i18n_supported(NULL));
	assert_null(pd_i18n_canonical("jv"));
}

static void check_sample_lookups(void)
{
	assert_string_equal(pd_i18n_text("en", "Keluar"), "Sign out");
	assert_string_equal(pd_i18n_text("en", "Daftar"), "Register");
	assert_string_equal(pd_i18n_text("en", "Masuk"), "Sign in");
	assert_string_equal(pd_i18n_text("en", "Rp 5.000 · é"), "IDR 5,000 · é");
	assert_string_equal(pd_i18n_text("EN", "Masuk"), "Sign in");
	/* Empty translation, unknown msgid, the header, and other languages give the msgid. */
	assert_string_equal(pd_i18n_text("en", "Kosong"), "Kosong");
	assert_string_equal(pd_i18n_text("en", "Tidak ada"), "Tidak ada");
	assert_string_equal(pd_i18n_text("en", "A"), "A");
	assert_string_equal(pd_i18n_text("en", "zzz"), "zzz");
	assert_string_equal(pd_i18n_text("en", ""), "");
	assert_string_equal(pd_i18n_text("id", "Keluar"), "Keluar");
	assert_string_equal(pd_i18n_text(NULL, "Keluar"), "Keluar");
	assert_string_equal(pd_i18n_text("fr", "Keluar"), "Keluar");
	assert_null(pd_i18n_text("en", NULL));
}

static void test_mo_both_byte_orders(void **state)
{
	static unsigned char le[2048], be[2048];
	size_t le_len = build_mo(le, sizeof le, sample, N_SAMPLE, false);
	size_t be_len = build_mo(be, sizeof be, sample, N_SAMPLE, true);
	assert_string_equal(pd_i18n_text("en", "Keluar"), "Keluar");
	assert_int_equal(pd_i18n_load_mo("en", le, le_len), PD_OK);
	check_sample_lookups();
	pd_i18n_free();
	assert_string_equal(pd_i18n_text("en", "Keluar"), "Keluar");
	assert_int_equal(pd_i18n_load_mo("en", be, be_len), PD_OK);
	check_sample_lookups();
	/* Indonesian has no catalogue; unknown languages have none either. */
	assert_int_equal(pd_i18n_load_mo("id", le, le_len), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_i18n_load_mo("fr", le, le_len), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_i18n_load_mo(NULL, le, le_len), PD_ERR_NOT_FOUND);
	/* An empty catalogue is valid and translates nothing. */
	static unsigned char empty[64];
	size_t empty_len = build_mo(empty, sizeof empty, sample, 0, false);
	assert_int_equal(pd_i18n_load_mo("en", empty, empty_len), PD_OK);
	assert_string_equal(pd_i18n_text("en", "Keluar"), "Keluar");
	pd_i18n_free();
}

/* Runs argv (a program on PATH); returns its exit status, or -1 when it cannot be started. */
static int run(char *const argv[])
{
	pid_t pid;
	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		return -1;
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	unsigned char *data = malloc(256 * 1024);
	*len = fread(data, 1, 256 * 1024, f);
	fclose(f);
	return data;
}

/* Compiles po_path with msgfmt (in the given byte order) and installs it for "en".
 * Returns the bytes (caller frees after pd_i18n_free), or NULL when msgfmt is missing. */
static unsigned char *compile_and_load(const char *dir, const char *po_path, const char *endian)
{
	char mo_path[256], opt[32];
	snprintf(mo_path, sizeof mo_path, "%s/out.mo", dir);
	snprintf(opt, sizeof opt, "--endianness=%s", endian);
	char *argv[] = {"msgfmt", "--check", opt, "-o", mo_path, (char *)po_path, NULL};
	int rc = run(argv);
	if (rc != 0) {
		if (rc == -1)
			return NULL;
		fail_msg("msgfmt failed on %s", po_path);
	}
	size_t len = 0;
	unsigned char *mo = read_file(mo_path, &len);
	assert_non_null(mo);
	unlink(mo_path);
	assert_int_equal(pd_i18n_load_mo("en", mo, len), PD_OK);
	return mo;
}

static void test_mo_from_msgfmt(void **state)
{
	char dir[] = "/tmp/pd_i18n_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char po_path[256];
	snprintf(po_path, sizeof po_path, "%s/t.po", dir);
	FILE *f = fopen(po_path, "w");
	assert_non_null(f);
	fputs("msgid \"\"\nmsgstr \"\"\n\"Project-Id-Version: t\\n\"\n"
	      "\"PO-Revision-Date: 2026-01-01 00:00+0700\\n\"\n\"Last-Translator: t\\n\"\n"
	      "\"Language-Team: t\\n\"\n\"Language: en\\n\"\n\"MIME-Version: 1.0\\n\"\n"
	      "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	      "\"Content-Transfer-Encoding: 8bit\\n\"\n"
	      "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n\n", f);
	for (size_t i = 1; i < N_SAMPLE; i++)
		fprintf(f, "msgid \"%s\"\nmsgstr \"%s\"\n\n", sample[i][0], sample[i][1]);
	fputs("msgctxt \"menu\"\nmsgid \"Masuk\"\nmsgstr \"Enter\"\n\n"
	      "msgid \"%d berkas\"\nmsgid_plural \"%d berkas\"\nmsgstr[0] \"%d file\"\n"
	      "msgstr[1] \"%d files\"\n\n"
	      "#, fuzzy\nmsgid \"Kabur\"\nmsgstr \"Fuzzy\"\n", f);
	fclose(f);
	const char *endians[] = {"little", "big"};
	for (int e = 0; e < 2; e++) {
		unsigned char *mo = compile_and_load(dir, po_path, endians[e]);
		if (!mo) {
			unlink(po_path);
			rmdir(dir);
			skip();
		}
		check_sample_lookups();
		/* Context entries do not answer plain lookups; plurals give the singular; fuzzy
		 * entries are not compiled. */
		assert_string_equal(pd_i18n_text("en", "Masuk"), "Sign in");
		assert_string_equal(pd_i18n_text("en", "%d berkas"), "%d file");
		assert_string_equal(pd_i18n_text("en", "Kabur"), "Kabur");
		pd_i18n_free();
		free(mo);
	}
	unlink(po_path);

	/* The project's own catalogue compiles, and the templates' words are translated. */
	const char *root = getenv("PD_SRCDIR") ? getenv("PD_SRCDIR") : ".";
	snprintf(po_path, sizeof po_path, "%s/po/en.po", root);
	unsigned char *mo = compile_and_load(dir, po_path, "little");
	assert_non_null(mo);
	assert_string_equal(pd_i18n_text("en", "Keluar"), "Sign out");
	assert_string_equal(pd_i18n_text("en", "Lewati ke isi utama"), "Skip to main content");
	assert_string_equal(pd_i18n_text("en", "Layanan"), "Services");
	pd_i18n_free();
	free(mo);
	rmdir(dir);
}

/* Checks a copy of exactly len bytes, so AddressSanitizer sees any read past the end. */
static int check_copy(const unsigned char *data, size_t len)
{
	unsigned char *copy = malloc(len ? len : 1);
	memcpy(copy, data, len);
	int rc = pd_i18n_check_mo(copy, len);
	free(copy);
	return rc;
}

static void test_corrupt_mo(void **state)
{
	static unsigned char good[2048], bad[2048];
	size_t len = build_mo(good, sizeof good, sample, N_SAMPLE, false);
	assert_int_equal(check_copy(good, len), PD_OK);

	/* Every truncation is refused (the last string loses its NUL). */
	for (size_t n = 0; n < len; n++)
		assert_int_equal(check_copy(good, n), PD_ERR_INVALID);
	assert_int_equal(pd_i18n_check_mo(NULL, 100), PD_ERR_INVALID);

	/* Every byte changed to a few values: no crash, no read out of bounds. */
	static const unsigned char vals[] = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff};
	for (size_t i = 0; i < len; i++)
		for (size_t v = 0; v < sizeof vals; v++) {
			memcpy(bad, good, len);
			bad[i] = vals[v];
			(void)check_copy(bad, len);
		}

	struct { size_t at; uint32_t value; const char *what; } edits[] = {
		{0, 0x12345678, "bad magic"},
		{4, 2u << 16, "unknown major revision"},
		{8, 0xffffffff, "string count past the end"},
		{8, N_SAMPLE + 1, "one string too many"},
		{12, (uint32_t)len, "original table past the end"},
		{16, 0xfffffff0, "translation table offset overflows"},
		{28 + 8, 0xffffffff, "string length overflows"},
		{28 + 12, (uint32_t)len, "string offset past the end"},
		{28 + 8, 1, "string not NUL-terminated at its length"},
	};
	for (size_t k = 0; k < sizeof edits / sizeof edits[0]; k++) {
		memcpy(bad, good, len);
		put32(bad + edits[k].at, edits[k].value, false);
		if (check_copy(bad, len) != PD_ERR_INVALID)
			fail_msg("accepted a catalogue with %s", edits[k].what);
	}

	/* Unsorted originals, a non-UTF-8 charset, invalid UTF-8 in a translation. */
	const char *const unsorted[][2] = {{"b", "B"}, {"a", "A"}};
	const char *const dup[][2] = {{"a", "A"}, {"a", "B"}};
	const char *const latin1[][2] = {{"", "Content-Type: text/plain; charset=ISO-8859-1\n"}};
	const char *const not_utf8[][2] = {{"a", "\xe9t\xe9"}};
	const char *const not_utf8_id[][2] = {{"\xff", "x"}};
	size_t n;
	n = build_mo(bad, sizeof bad, unsorted, 2, false);
	assert_int_equal(check_copy(bad, n), PD_ERR_INVALID);
	n = build_mo(bad, sizeof bad, dup, 2, false);
	assert_int_equal(check_copy(bad, n), PD_ERR_INVALID);
	n = build_mo(bad, sizeof bad, latin1, 1, false);
	assert_int_equal(check_copy(bad, n), PD_ERR_INVALID);
	n = build_mo(bad, sizeof bad, not_utf8, 1, false);
	assert_int_equal(check_copy(bad, n), PD_ERR_INVALID);
	n = build_mo(bad, sizeof bad, not_utf8_id, 1, true);
	assert_int_equal(check_copy(bad, n), PD_ERR_INVALID);

	/* A refused load keeps the catalogue installed before it. */
	assert_int_equal(pd_i18n_load_mo("en", good, len), PD_OK);
	assert_int_equal(pd_i18n_load_mo("en", bad, n), PD_ERR_INVALID);
	assert_string_equal(pd_i18n_text("en", "Keluar"), "Sign out");
	pd_i18n_free();
}

static void test_init_from_embedded(void **state)
{
	int rc = pd_i18n_init();
	if (pd_embed_find("po/en.mo") || pd_embed_find("en.mo")) {
		/* The meson build embeds the compiled catalogue. */
		assert_int_equal(rc, PD_OK);
		assert_string_equal(pd_i18n_text("en", "Keluar"), "Sign out");
	} else {
		assert_int_equal(rc, PD_ERR_NOT_FOUND);
		assert_string_equal(pd_i18n_text("en", "Keluar"), "Keluar");
	}
	pd_i18n_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accept_language),
		cmocka_unit_test(test_pick_order),
		cmocka_unit_test(test_mo_both_byte_orders),
		cmocka_unit_test(test_mo_from_msgfmt),
		cmocka_unit_test(test_corrupt_mo),
		cmocka_unit_test(test_init_from_embedded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
