/* Unit tests of domain/form: each field type's check and normalisation, drafts and required
 * fields, definitions and their JSON round trip, file checks by content, display, and versions
 * on a temporary SQLite store (every edit a new version, old versions loadable for ever). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/log.h"
#include "domain/catalogue.h"
#include "domain/form.h"
#include "domain/unit.h"
#include "store/store.h"

/* --- raw values from a NULL-terminated name/value list ---------------------------------------- */

static const char *kv_get(void *arg, const char *name, int i)
{
	const char **kv = arg;
	for (int j = 0; kv[j]; j += 2)
		if (strcmp(kv[j], name) == 0 && i-- == 0)
			return kv[j + 1];
	return NULL;
}

static bool village_ok(void *arg, const char *slug)
{
	(void)arg;
	return strcmp(slug, "desa-mekar") == 0;
}

static const char *opts3[] = {"Merah", "Hijau", "Biru"};

static struct pd_form_field all_fields[] = {
	{.key = "nama", .type = PD_FORM_TEXT, .label = "Nama", .required = true, .max_len = 10},
	{.key = "cerita", .type = PD_FORM_LONGTEXT, .label = "Cerita"},
	{.key = "jumlah", .type = PD_FORM_NUMBER, .label = "Jumlah"},
	{.key = "tgl", .type = PD_FORM_DATE, .label = "Tanggal"},
	{.key = "warna", .type = PD_FORM_CHOICE, .label = "Warna", .options = opts3, .n_options = 3},
	{.key = "warna2", .type = PD_FORM_MULTI, .label = "Warna lain", .options = opts3,
	 .n_options = 3},
	{.key = "setuju", .type = PD_FORM_YESNO, .label = "Setuju", .label_en = "Agree"},
	{.key = "nik", .type = PD_FORM_NIK, .label = "NIK"},
	{.key = "hp", .type = PD_FORM_PHONE, .label = "Telepon"},
	{.key = "surel", .type = PD_FORM_EMAIL, .label = "Email"},
	{.key = "alamat", .type = PD_FORM_ADDRESS, .label = "Alamat"},
	{.key = "ktp", .type = PD_FORM_FILE, .label = "KTP", .max_bytes = 1000},
};
#define N_ALL (int)(sizeof all_fields / sizeof all_fields[0])

static struct pd_form all_form = {.service_id = "s", .version = 1, .fields = all_fields,
                                  .n_fields = N_ALL};

static int check(const char **kv, bool final, struct pd_arena *a, struct pd_form_result *r)
{
	struct pd_form_values v = {.get = kv_get, .arg = kv, .village_ok = village_ok};
	return pd_form_check(&all_form, &v, final, a, r);
}

static const char *err_of(const struct pd_form_result *r, const char *key)
{
	for (int i = 0; i < N_ALL; i++)
		if (strcmp(all_fields[i].key, key) == 0)
			return r->errors[i];
	return "no such key";
}

static void test_valid_all_types(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	const char *kv[] = {"nama", "  Siti  ", "cerita", "baris satu\r\nbaris dua",
	                    "jumlah", "2,5", "tgl", "2024-02-29", "warna", "Hijau",
	                    "warna2", "Biru", "warna2", "Merah", "warna2", "Biru",
	                    "setuju", "ya", "nik", "3201 0141 0890 0001", "hp", "0812-3456-7890",
	                    "surel", "Siti@Contoh.ID", "alamat.desa", "desa-mekar",
	                    "alamat.jalan", "Jl. Melati 3 RT 01/RW 02",
	                    "ktp", "0190a8c4-7b1e-7c3d-9e2f-1a2b3c4d5e6f", NULL};
	struct pd_form_result r;
	assert_int_equal(check(kv, true, a, &r), PD_OK);
	assert_int_equal(r.n_errors, 0);
	json_t *o = json_loads(r.answers_json, 0, NULL);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "nama")), "Siti");
	assert_string_equal(json_string_value(json_object_get(o, "cerita")), "baris satu\nbaris dua");
	assert_string_equal(json_string_value(json_object_get(o, "jumlah")), "2.5");
	assert_string_equal(json_string_value(json_object_get(o, "tgl")), "2024-02-29");
	assert_string_equal(json_string_value(json_object_get(o, "warna")), "Hijau");
	json_t *multi = json_object_get(o, "warna2");
	assert_int_equal(json_array_size(multi), 2); /* duplicates dropped, option order kept */
	assert_string_equal(json_string_value(json_array_get(multi, 0)), "Merah");
	assert_string_equal(json_string_value(json_array_get(multi, 1)), "Biru");
	assert_true(json_is_true(json_object_get(o, "setuju")));
	assert_string_equal(json_string_value(json_object_get(o, "nik")), "3201014108900001");
	assert_string_equal(json_string_value(json_object_get(o, "hp")), "+6281234567890");
	assert_string_equal(json_string_value(json_object_get(o, "surel")), "siti@contoh.id");
	json_t *addr = json_object_get(o, "alamat");
	assert_string_equal(json_string_value(json_object_get(addr, "village")), "desa-mekar");
	assert_string_equal(json_string_value(json_object_get(addr, "street")),
	                    "Jl. Melati 3 RT 01/RW 02");
	json_decref(o);

	/* The answers read back as raw values give the same answers again. */
	struct pd_form_values back;
	assert_int_equal(pd_form_values_from_answers(r.answers_json, a, &back), PD_OK);
	back.village_ok = village_ok;
	struct pd_form_result r2;
	assert_int_equal(pd_form_check(&all_form, &back, true, a, &r2), PD_OK);
	assert_string_equal(r2.answers_json, r.answers_json);

	/* Display: labels in the language asked for, yes/no and multi as text. */
	struct pd_form_display_row *rows;
	int n;
	assert_int_equal(pd_form_display(NULL, &all_form, r.answers_json, "en", a, &rows, &n), PD_OK);
	assert_int_equal(n, N_ALL);
	assert_string_equal(rows[6].label, "Agree");
	assert_string_equal(rows[0].label, "Nama");
	assert_string_equal(rows[6].value, "Ya"); /* no catalogue loaded in this test */
	assert_string_equal(rows[5].value, "Merah, Biru");
	assert_int_equal(rows[5].n_values, 2);
	assert_string_equal(rows[10].value, "Jl. Melati 3 RT 01/RW 02, desa-mekar");
	pd_arena_free(a);
}

static void test_invalid_values(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	const char *kv[] = {"nama", "Nama yang terlalu panjang", "cerita", "ok\x01",
	                    "jumlah", "12a", "tgl", "2023-02-29", "warna", "Ungu",
	                    "warna2", "Merah", "warna2", "Kuning", "setuju", "mungkin",
	                    "nik", "9901014108900001", "hp", "+4930123456", "surel", "bukan-email",
	                    "alamat.desa", "desa-lain", "alamat.jalan", "Jl. A",
	                    "ktp", "../../etc/passwd", NULL};
	struct pd_form_result r;
	assert_int_equal(check(kv, false, a, &r), PD_ERR_INVALID);
	assert_int_equal(r.n_errors, N_ALL);
	assert_non_null(strstr(err_of(&r, "nama"), "terlalu panjang"));
	assert_non_null(strstr(err_of(&r, "tgl"), "TTTT-BB-HH"));
	assert_non_null(strstr(err_of(&r, "nik"), "NIK"));
	assert_non_null(strstr(err_of(&r, "alamat"), "desa"));
	assert_string_equal(r.answers_json, "{}"); /* nothing malformed is kept */

	/* More wrong spellings, one type at a time. */
	const char *bad[][2] = {{"jumlah", "1.2.3"}, {"jumlah", "-"}, {"jumlah", ",5"},
	                        {"tgl", "2024-13-01"}, {"tgl", "24-01-01"}, {"tgl", "2024-04-31"},
	                        {"nik", "3201014108900000"}, {"nik", "32010141089000"},
	                        {"nik", "3201013213900001"}, {"hp", "123"},
	                        {"surel", "a@"}, {"nama", "dua\nbaris"}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *one[] = {bad[i][0], bad[i][1], NULL};
		assert_int_equal(check(one, false, a, &r), PD_ERR_INVALID);
		assert_int_equal(r.n_errors, 1);
		assert_non_null(err_of(&r, bad[i][0]));
	}
	/* A NIK of a woman (day + 40) and a leap day are fine. */
	const char *good[] = {"nik", "3201015202000001", "tgl", "2000-02-29", "jumlah", "-0012", NULL};
	assert_int_equal(check(good, false, a, &r), PD_OK);
	pd_arena_free(a);
}

static void test_required_and_drafts(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	struct pd_form_field req[] = {
		{.key = "nama", .type = PD_FORM_TEXT, .label = "Nama", .required = true},
		{.key = "pilih", .type = PD_FORM_MULTI, .label = "Pilih", .required = true,
		 .options = opts3, .n_options = 3},
		{.key = "alamat", .type = PD_FORM_ADDRESS, .label = "Alamat", .required = true},
		{.key = "ktp", .type = PD_FORM_FILE, .label = "KTP", .required = true},
		{.key = "opsional", .type = PD_FORM_TEXT, .label = "Opsional"},
	};
	struct pd_form f = {.fields = req, .n_fields = 5};
	const char *none[] = {"nama", "   ", "alamat.desa", "desa-mekar", NULL};
	struct pd_form_values v = {.get = kv_get, .arg = none, .village_ok = village_ok};
	struct pd_form_result r;
	/* A draft: nothing required, a half address kept. */
	assert_int_equal(pd_form_check(&f, &v, false, a, &r), PD_OK);
	assert_string_equal(r.answers_json, "{\"alamat\":{\"village\":\"desa-mekar\"}}");
	/* Sending: each required field is missing, the optional one is not. */
	assert_int_equal(pd_form_check(&f, &v, true, a, &r), PD_ERR_INVALID);
	assert_int_equal(r.n_errors, 4);
	assert_string_equal(r.errors[0], "Wajib diisi.");
	assert_non_null(strstr(r.errors[2], "Lengkapi alamat"));
	assert_null(r.errors[4]);
	/* A form with no fields is valid and gives no answers. */
	struct pd_form empty = {0};
	assert_int_equal(pd_form_check(&empty, &v, true, a, &r), PD_OK);
	assert_string_equal(r.answers_json, "{}");
	pd_arena_free(a);
}

static void test_file_check(void **state)
{
	(void)state;
	struct pd_form_field f = {.key = "ktp", .type = PD_FORM_FILE, .label = "KTP",
	                          .max_bytes = 1000};
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0};
	static const char pdf[] = "%PDF-1.7\n";
	static const char gif[] = "GIF89a....";
	static const char exe[] = "MZ\x90\x00";
	assert_null(pd_form_file_check(&f, png, sizeof png, 500));
	assert_null(pd_form_file_check(&f, pdf, strlen(pdf), 1000));
	assert_non_null(pd_form_file_check(&f, pdf, strlen(pdf), 1001));      /* too large */
	assert_non_null(pd_form_file_check(&f, gif, strlen(gif), 10));        /* GIF: refused */
	assert_non_null(pd_form_file_check(&f, exe, 4, 4));                   /* by content */
	assert_non_null(pd_form_file_check(&f, "", 0, 0));                    /* empty */
	f.max_bytes = 0; /* the default */
	assert_null(pd_form_file_check(&f, pdf, strlen(pdf), PD_FORM_FILE_DEFAULT));
	assert_non_null(pd_form_file_check(&f, pdf, strlen(pdf), PD_FORM_FILE_DEFAULT + 1));
}

static void test_definitions_and_json(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	char err[160];
	assert_int_equal(pd_form_validate(&all_form, err, sizeof err), PD_OK);
	char *json = pd_form_fields_json(all_fields, N_ALL, a);
	assert_non_null(json);
	struct pd_form_field *back;
	int n;
	assert_int_equal(pd_form_fields_parse(json, a, &back, &n), PD_OK);
	assert_int_equal(n, N_ALL);
	assert_string_equal(pd_form_fields_json(back, n, a), json);
	assert_int_equal(back[4].n_options, 3);
	assert_string_equal(back[4].options[2], "Biru");
	assert_int_equal(back[11].max_bytes, 1000);
	assert_int_equal(back[0].max_len, 10);
	assert_true(back[0].required);
	assert_string_equal(back[6].label_en, "Agree");
	assert_string_equal(pd_form_field_label(&back[6], "id"), "Setuju");

	/* Bad definitions. */
	struct pd_field_errors e = {0};
	struct pd_form_field f = {.key = "Nama", .type = PD_FORM_TEXT, .label = ""};
	pd_form_field_validate(&f, &e);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.field[0], "key");
	assert_string_equal(e.field[1], "label");
	const char *one[] = {"Satu"};
	struct pd_form_field c = {.key = "c", .type = PD_FORM_CHOICE, .label = "C", .options = one,
	                          .n_options = 1};
	memset(&e, 0, sizeof e);
	pd_form_field_validate(&c, &e);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.field[0], "options");
	const char *dup[] = {"A", "A"};
	c.options = dup;
	c.n_options = 2;
	memset(&e, 0, sizeof e);
	pd_form_field_validate(&c, &e);
	assert_int_equal(e.n, 1);
	struct pd_form_field big = {.key = "b", .type = PD_FORM_FILE, .label = "B",
	                            .max_bytes = PD_FORM_FILE_MAX + 1};
	memset(&e, 0, sizeof e);
	pd_form_field_validate(&big, &e);
	assert_string_equal(e.field[0], "max_bytes");
	/* Duplicate keys and malformed JSON. */
	struct pd_form_field two[] = {all_fields[0], all_fields[0]};
	struct pd_form twice = {.fields = two, .n_fields = 2};
	assert_int_equal(pd_form_validate(&twice, err, sizeof err), PD_ERR_INVALID);
	assert_int_equal(pd_form_fields_parse("{}", a, &back, &n), PD_ERR_INVALID);
	assert_int_equal(pd_form_fields_parse("[{\"key\":\"a\",\"type\":\"blob\",\"label\":\"A\"}]",
	                                      a, &back, &n),
	                 PD_ERR_INVALID);
	assert_int_equal(pd_form_fields_parse("[]", a, &back, &n), PD_OK);
	assert_int_equal(n, 0);
	enum pd_form_type t;
	for (int i = 0; i < PD_FORM__MAX; i++) {
		assert_int_equal(pd_form_type_parse(pd_form_type_name((enum pd_form_type)i), &t), PD_OK);
		assert_int_equal(t, i);
	}
	pd_arena_free(a);
}

/* --- versions on a store --------------------------------------------------------------------- */

static char dir[64];
static struct pd_store *st;

static int store_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	pd_log_set_level(PD_LOG_WARN);
	snprintf(dir, sizeof dir, "/tmp/pd-form-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char url[128], err[256];
	snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	if (pd_store_open(&(struct pd_store_opts){.url = url}, &st, err, sizeof err) ||
	    pd_store_migrate(st, err, sizeof err)) {
		fprintf(stderr, "store: %s\n", err);
		return -1;
	}
	return 0;
}

static int store_teardown(void **state)
{
	(void)state;
	pd_store_close(st);
	char path[128];
	snprintf(path, sizeof path, "%s/t.db", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/t.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/t.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

struct save_arg {
	const char *service_id;
	struct pd_form *f;
	int version;
};

static int save_tx(struct pd_tx *tx, void *p)
{
	struct save_arg *sa = p;
	return pd_form_save_new_version(tx, sa->service_id, sa->f, "system", &sa->version);
}

static void test_versions(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	char err[256], id[37];
	struct pd_unit_new u = {.slug = "kab-uji", .name = "Kabupaten Uji", .kind = "regency"};
	assert_int_equal(pd_unit_add(st, "system", &u, NULL, err, sizeof err), PD_OK);
	struct pd_actor sys = {.account_id = "system", .system = true};
	struct pd_catalogue_input in = {.unit_slug = "kab-uji",
	                                .s = {.slug = "surat-uji", .name = "Surat Uji",
	                                      .category = "Umum", .processing_days = 3,
	                                      .enabled = true}};
	int rc = pd_catalogue_create(st, &sys, &in, id, err, sizeof err);
	if (rc)
		print_message("create: %s\n", err);
	assert_int_equal(rc, PD_OK);

	struct pd_form f;
	assert_int_equal(pd_form_current(st, id, a, &f), PD_OK);
	assert_int_equal(f.version, 0);
	assert_int_equal(f.n_fields, 0);
	assert_int_equal(pd_form_version(st, id, 1, a, &f), PD_ERR_NOT_FOUND);

	/* The demo's way: a whole form as the next version. */
	struct pd_form two = {.fields = all_fields, .n_fields = 2};
	struct save_arg sa = {id, &two, 0};
	assert_int_equal(pd_store_write(st, save_tx, &sa), PD_OK);
	assert_int_equal(sa.version, 1);
	struct pd_form_field bad = {.key = "X", .type = PD_FORM_TEXT, .label = "x"};
	struct pd_form badf = {.fields = &bad, .n_fields = 1};
	sa.f = &badf;
	assert_int_equal(pd_store_write(st, save_tx, &sa), PD_ERR_INVALID);

	/* The builder: each edit is the next version; a stale base is a conflict. */
	struct pd_form_edit e = {.op = PD_FORM_OP_ADD, .base_version = 1,
	                         .field = {.key = "ktp", .type = PD_FORM_FILE, .label = "KTP",
	                                   .required = true, .max_bytes = 5000,
	                                   .max_len = 99 /* dropped: not a text */}};
	struct pd_field_errors errs;
	int v = 0;
	assert_int_equal(pd_form_edit(st, &sys, "surat-uji", &e, &errs, &v), PD_OK);
	assert_int_equal(v, 2);
	assert_int_equal(pd_form_edit(st, &sys, "surat-uji", &e, &errs, &v), PD_ERR_CONFLICT);
	e.base_version = 2;
	assert_int_equal(pd_form_edit(st, &sys, "surat-uji", &e, &errs, &v), PD_ERR_INVALID);
	assert_string_equal(errs.field[0], "key"); /* the key is taken */
	struct pd_form_edit up = {.op = PD_FORM_OP_UP, .key = "ktp", .base_version = 2};
	assert_int_equal(pd_form_edit(st, &sys, "surat-uji", &up, &errs, &v), PD_OK);
	assert_int_equal(v, 3);
	struct pd_form_edit rm = {.op = PD_FORM_OP_REMOVE, .key = "nama", .base_version = 3};
	assert_int_equal(pd_form_edit(st, &sys, "surat-uji", &rm, &errs, &v), PD_OK);
	assert_int_equal(v, 4);
	struct pd_form_edit upd = {.op = PD_FORM_OP_UPDATE, .key = "cerita", .base_version = 4,
	                           .field = {.key = "ignored", .type = PD_FORM_TEXT,
	                                     .label = "Cerita singkat"}};
	assert_int_equal(pd_form_edit(st, &sys, "surat-uji", &upd, &errs, &v), PD_OK);
	assert_int_equal(v, 5);
	struct pd_form_edit gone = {.op = PD_FORM_OP_REMOVE, .key = "nope", .base_version = 5};
	assert_int_equal(pd_form_edit(st, &sys, "surat-uji", &gone, &errs, &v), PD_ERR_NOT_FOUND);
	/* Someone without a grant does not see the service. */
	struct pd_actor nobody = {.account_id = "0190a8c4-7b1e-7c3d-9e2f-1a2b3c4d5e6f"};
	assert_int_equal(pd_form_edit(st, &nobody, "surat-uji", &gone, &errs, &v),
	                 PD_ERR_NOT_FOUND);

	/* Now: ktp, cerita (renamed, a text). Every earlier version is as it was. */
	assert_int_equal(pd_form_current(st, id, a, &f), PD_OK);
	assert_int_equal(f.version, 5);
	assert_int_equal(f.n_fields, 2);
	assert_string_equal(f.fields[0].key, "ktp");
	assert_int_equal(f.fields[0].max_bytes, 5000);
	assert_int_equal(f.fields[0].max_len, 0);
	assert_string_equal(f.fields[1].key, "cerita");
	assert_string_equal(f.fields[1].label, "Cerita singkat");
	assert_int_equal(f.fields[1].type, PD_FORM_TEXT);
	assert_int_equal(pd_form_version(st, id, 1, a, &f), PD_OK);
	assert_int_equal(f.n_fields, 2);
	assert_string_equal(f.fields[0].key, "nama");
	assert_int_equal(f.fields[1].type, PD_FORM_LONGTEXT);
	assert_int_equal(pd_form_version(st, id, 2, a, &f), PD_OK);
	assert_int_equal(f.n_fields, 3);
	assert_string_equal(f.fields[2].key, "ktp");
	assert_int_equal(pd_form_version(st, id, 6, a, &f), PD_ERR_NOT_FOUND);
	assert_int_equal(pd_form_version(st, id, 0, a, &f), PD_OK);
	assert_int_equal(f.n_fields, 0);
	pd_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_all_types),
		cmocka_unit_test(test_invalid_values),
		cmocka_unit_test(test_required_and_drafts),
		cmocka_unit_test(test_file_check),
		cmocka_unit_test(test_definitions_and_json),
		cmocka_unit_test_setup_teardown(test_versions, store_setup, store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
