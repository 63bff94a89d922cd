/* Application forms without the database: field types, definitions and their JSON, the check
 * of submitted values into normalised answers, and answers shown as label and value. */
#include "domain/form.h"

#include <jansson.h>
#include <string.h>

#include "core/crypto.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/sniff.h"
#include "core/str.h"
#include "core/uuid.h"
#include "domain/attachment.h"
#include "domain/mail.h"
#include "store/unit_store.h"

#define MULTI_READ_MAX (PD_FORM_OPTIONS_MAX * 2) /* most raw values read for a multi */
#define NUMBER_DIGITS_MAX 18

static const struct {
	const char *name, *label;
} types[PD_FORM__MAX] = {
	[PD_FORM_TEXT] = {"text", N_("Teks singkat")},
	[PD_FORM_LONGTEXT] = {"longtext", N_("Teks panjang")},
	[PD_FORM_NUMBER] = {"number", N_("Angka")},
	[PD_FORM_DATE] = {"date", N_("Tanggal")},
	[PD_FORM_CHOICE] = {"choice", N_("Pilihan tunggal")},
	[PD_FORM_MULTI] = {"multi", N_("Pilihan ganda")},
	[PD_FORM_YESNO] = {"yesno", N_("Ya/tidak")},
	[PD_FORM_NIK] = {"nik", N_("NIK")},
	[PD_FORM_PHONE] = {"phone", N_("Nomor telepon")},
	[PD_FORM_EMAIL] = {"email", N_("Email")},
	[PD_FORM_ADDRESS] = {"address", N_("Alamat (desa dan jalan)")},
	[PD_FORM_FILE] = {"file", N_("Berkas (PDF, JPEG, PNG)")},
};

/* Messages beside a field (msgids). */
#define M_REQUIRED N_("Wajib diisi.")
#define M_TOO_LONG N_("Isian terlalu panjang.")
#define M_TEXT N_("Isian memuat karakter yang tidak diizinkan.")
#define M_NUMBER N_("Tulis angka, contoh: 12 atau 2,5.")
#define M_DATE N_("Tulis tanggal yang benar dengan format TTTT-BB-HH, contoh: 2024-08-17.")
#define M_CHOICE N_("Pilih salah satu dari daftar.")
#define M_YESNO N_("Pilih ya atau tidak.")
#define M_NIK N_("NIK tidak sah: 16 angka dengan kode provinsi dan tanggal lahir yang benar.")
#define M_PHONE N_("Nomor telepon tidak sah, contoh: 0812 3456 7890.")
#define M_EMAIL N_("Alamat email tidak sah, contoh: nama@contoh.id.")
#define M_VILLAGE N_("Pilih desa atau kelurahan dari daftar.")
#define M_ADDRESS N_("Lengkapi alamat: pilih desa dan tulis nama jalan.")
#define M_FILE_REF N_("Berkas tidak ditemukan; unggah lagi.")
#define M_FILE_EMPTY N_("Berkas kosong.")
#define M_FILE_LARGE N_("Berkas terlalu besar untuk isian ini.")
#define M_FILE_TYPE N_("Berkas harus PDF, JPEG atau PNG (diperiksa dari isinya).")

const char *pd_form_type_name(enum pd_form_type t)
{
	return (unsigned)t < PD_FORM__MAX ? types[t].name : NULL;
}

int pd_form_type_parse(const char *name, enum pd_form_type *out)
{
	for (int i = 0; name && i < PD_FORM__MAX; i++)
		if (strcmp(name, types[i].name) == 0) {
			*out = (enum pd_form_type)i;
			return PD_OK;
		}
	return PD_ERR_INVALID;
}

const char *pd_form_type_label(enum pd_form_type t)
{
	return (unsigned)t < PD_FORM__MAX ? types[t].label : "";
}

static bool is_en(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
}

const char *pd_form_field_label(const struct pd_form_field *f, const char *lang)
{
	return is_en(lang) && f->label_en && *f->label_en ? f->label_en : f->label;
}

const char *pd_form_field_help(const struct pd_form_field *f, const char *lang)
{
	if (is_en(lang) && f->help_en && *f->help_en)
		return f->help_en;
	return f->help ? f->help : "";
}

int64_t pd_form_field_limit(const struct pd_form_field *f)
{
	switch (f->type) {
	case PD_FORM_TEXT:
		return f->max_len > 0 ? f->max_len : PD_FORM_TEXT_DEFAULT;
	case PD_FORM_LONGTEXT:
		return f->max_len > 0 ? f->max_len : PD_FORM_LONGTEXT_DEFAULT;
	case PD_FORM_FILE:
		return f->max_bytes > 0 ? f->max_bytes : PD_FORM_FILE_DEFAULT;
	default:
		return 0;
	}
}

/* --- definitions ------------------------------------------------------------------------------ */

static bool key_valid(const char *k)
{
	size_t n = k ? strlen(k) : 0;
	if (n < 1 || n > PD_FORM_KEY_MAX || k[0] < 'a' || k[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
			return false;
	return true;
}

/* UTF-8 of at most max bytes; newlines only when multiline; no other control characters. */
static bool text_valid(const char *s, size_t max, bool multiline)
{
	size_t n = strlen(s);
	if (n > max || !pd_utf8_valid(s, n))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0x7f || (c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))))
			return false;
	}
	return true;
}

static bool is_choice(enum pd_form_type t)
{
	return t == PD_FORM_CHOICE || t == PD_FORM_MULTI;
}

void pd_form_field_validate(const struct pd_form_field *f, struct pd_field_errors *errs)
{
	if (!key_valid(f->key))
		pd_field_error(errs, "key", N_("Kunci: 1–40 huruf kecil a-z, angka atau _, diawali huruf."));
	if ((unsigned)f->type >= PD_FORM__MAX)
		pd_field_error(errs, "type", N_("Pilih jenis isian dari daftar."));
	if (!f->label || !*f->label)
		pd_field_error(errs, "label", N_("Tulis label isian."));
	else if (!text_valid(f->label, PD_FORM_LABEL_MAX, false))
		pd_field_error(errs, "label", N_("Label paling banyak 200 byte, satu baris."));
	if (f->label_en && !text_valid(f->label_en, PD_FORM_LABEL_MAX, false))
		pd_field_error(errs, "label_en", N_("Label paling banyak 200 byte, satu baris."));
	if (f->help && !text_valid(f->help, PD_FORM_HELP_MAX, true))
		pd_field_error(errs, "help", N_("Keterangan paling banyak 1000 byte."));
	if (f->help_en && !text_valid(f->help_en, PD_FORM_HELP_MAX, true))
		pd_field_error(errs, "help_en", N_("Keterangan paling banyak 1000 byte."));
	if (is_choice(f->type)) {
		int min = f->type == PD_FORM_CHOICE ? 2 : 1;
		bool ok = f->n_options >= min && f->n_options <= PD_FORM_OPTIONS_MAX;
		for (int i = 0; ok && i < f->n_options; i++) {
			const char *o = f->options[i];
			ok = o && *o && text_valid(o, PD_FORM_LABEL_MAX, false);
			for (int j = 0; ok && j < i; j++)
				ok = strcmp(f->options[j], o) != 0;
		}
		if (!ok)
			pd_field_error(errs, "options",
			               N_("Tulis pilihan satu per baris: 2–40 pilihan berbeda (pilihan ganda: 1–40), masing-masing paling banyak 200 byte."));
	} else if (f->n_options != 0) {
		pd_field_error(errs, "options", N_("Hanya jenis pilihan yang memiliki daftar pilihan."));
	}
	bool texty = f->type == PD_FORM_TEXT || f->type == PD_FORM_LONGTEXT;
	if (f->max_len < 0 || f->max_len > PD_FORM_LEN_MAX || (!texty && f->max_len != 0))
		pd_field_error(errs, "max_len", N_("Panjang maksimum: 1–10000 karakter, atau kosong untuk bawaan."));
	if (f->max_bytes < 0 || f->max_bytes > PD_FORM_FILE_MAX ||
	    (f->type != PD_FORM_FILE && f->max_bytes != 0))
		pd_field_error(errs, "max_bytes", N_("Ukuran maksimum berkas: 1 KB sampai 10 MB."));
}

int pd_form_validate(const struct pd_form *f, char *err, size_t errlen)
{
	if (f->n_fields < 0 || f->n_fields > PD_FORM_FIELDS_MAX) {
		snprintf(err, errlen, "a form has at most %d fields", PD_FORM_FIELDS_MAX);
		return PD_ERR_INVALID;
	}
	for (int i = 0; i < f->n_fields; i++) {
		struct pd_field_errors errs = {0};
		pd_form_field_validate(&f->fields[i], &errs);
		if (errs.n) {
			snprintf(err, errlen, "field %d (%s): invalid %s", i + 1,
			         f->fields[i].key ? f->fields[i].key : "?", errs.field[0]);
			return PD_ERR_INVALID;
		}
		for (int j = 0; j < i; j++)
			if (strcmp(f->fields[j].key, f->fields[i].key) == 0) {
				snprintf(err, errlen, "field key %s is used twice", f->fields[i].key);
				return PD_ERR_INVALID;
			}
	}
	return PD_OK;
}

static int set_str(json_t *o, const char *k, const char *v)
{
	if (!v || !*v)
		return 0;
	return json_object_set_new(o, k, json_string(v));
}

char *pd_form_fields_json(const struct pd_form_field *fields, int n_fields, struct pd_arena *a)
{
	json_t *arr = json_array();
	char *out = NULL;
	if (!arr)
		return NULL;
	for (int i = 0; i < n_fields; i++) {
		const struct pd_form_field *f = &fields[i];
		json_t *o = json_object();
		if (!o || json_array_append_new(arr, o))
			goto out;
		int rc = json_object_set_new(o, "key", json_string(f->key));
		rc |= json_object_set_new(o, "type", json_string(pd_form_type_name(f->type)));
		rc |= set_str(o, "label", f->label);
		rc |= set_str(o, "help", f->help);
		rc |= set_str(o, "label_en", f->label_en);
		rc |= set_str(o, "help_en", f->help_en);
		rc |= json_object_set_new(o, "required", json_boolean(f->required));
		if (f->n_options > 0) {
			json_t *opts = json_array();
			rc |= json_object_set_new(o, "options", opts);
			for (int j = 0; opts && j < f->n_options; j++)
				rc |= json_array_append_new(opts, json_string(f->options[j]));
		}
		if (f->max_len)
			rc |= json_object_set_new(o, "max_len", json_integer(f->max_len));
		if (f->max_bytes)
			rc |= json_object_set_new(o, "max_bytes", json_integer(f->max_bytes));
		if (rc)
			goto out;
	}
	char *s = json_dumps(arr, JSON_COMPACT);
	if (s) {
		out = pd_arena_strdup(a, s);
		free(s);
	}
out:
	json_decref(arr);
	return out;
}

static const char *get_str(json_t *o, const char *k, struct pd_arena *a)
{
	json_t *v = json_object_get(o, k);
	return pd_arena_strdup(a, json_is_string(v) ? json_string_value(v) : "");
}

int pd_form_fields_parse(const char *json, struct pd_arena *a, struct pd_form_field **fields,
                         int *n_fields)
{
	*fields = NULL;
	*n_fields = 0;
	json_t *arr = json ? json_loads(json, JSON_REJECT_DUPLICATES, NULL) : NULL;
	int rc = PD_ERR_INVALID;
	if (!json_is_array(arr) || json_array_size(arr) > PD_FORM_FIELDS_MAX)
		goto out;
	size_t n = json_array_size(arr);
	struct pd_form_field *fs = pd_arena_alloc(a, sizeof *fs * (n ? n : 1));
	if (!fs) {
		rc = PD_ERR_NOMEM;
		goto out;
	}
	memset(fs, 0, sizeof *fs * (n ? n : 1));
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i);
		struct pd_form_field *f = &fs[i];
		if (!json_is_object(o) ||
		    pd_form_type_parse(json_string_value(json_object_get(o, "type")), &f->type))
			goto out;
		f->key = get_str(o, "key", a);
		f->label = get_str(o, "label", a);
		f->help = get_str(o, "help", a);
		f->label_en = get_str(o, "label_en", a);
		f->help_en = get_str(o, "help_en", a);
		f->required = json_is_true(json_object_get(o, "required"));
		json_t *opts = json_object_get(o, "options");
		if (opts && (!json_is_array(opts) || json_array_size(opts) > PD_FORM_OPTIONS_MAX))
			goto out;
		f->n_options = (int)json_array_size(opts);
		f->options = pd_arena_alloc(a, sizeof *f->options * (size_t)(f->n_options + 1));
		if (!f->options) {
			rc = PD_ERR_NOMEM;
			goto out;
		}
		for (int j = 0; j < f->n_options; j++) {
			json_t *v = json_array_get(opts, (size_t)j);
			if (!json_is_string(v))
				goto out;
			f->options[j] = pd_arena_strdup(a, json_string_value(v));
		}
		json_t *ml = json_object_get(o, "max_len"), *mb = json_object_get(o, "max_bytes");
		if ((ml && !json_is_integer(ml)) || (mb && !json_is_integer(mb)))
			goto out;
		f->max_len = ml ? json_integer_value(ml) : 0;
		f->max_bytes = mb ? json_integer_value(mb) : 0;
	}
	struct pd_form check = {.fields = fs, .n_fields = (int)n};
	char err[160];
	if (pd_form_validate(&check, err, sizeof err))
		goto out;
	*fields = fs;
	*n_fields = (int)n;
	rc = PD_OK;
out:
	json_decref(arr);
	return rc;
}

const struct pd_form_field *pd_form_field_find(const struct pd_form *f, const char *key)
{
	for (int i = 0; key && i < f->n_fields; i++)
		if (strcmp(f->fields[i].key, key) == 0)
			return &f->fields[i];
	return NULL;
}

/* --- checking answers ------------------------------------------------------------------------- */

/* A copy of s without leading and trailing ASCII whitespace. */
static char *trim(struct pd_arena *a, const char *s)
{
	if (!s)
		return pd_arena_strdup(a, "");
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return pd_arena_strndup(a, s, n);
}

/* Line ends made "\n". */
static char *unix_lines(struct pd_arena *a, const char *s)
{
	char *out = pd_arena_strdup(a, s);
	size_t j = 0;
	for (size_t i = 0; out && s[i]; i++) {
		if (s[i] == '\r') {
			out[j++] = '\n';
			if (s[i + 1] == '\n')
				i++;
		} else {
			out[j++] = s[i];
		}
	}
	if (out)
		out[j] = '\0';
	return out;
}

/* A UTF-8 text of at most max characters (msgid or NULL). */
static const char *check_text(const char *s, int64_t max, bool multiline)
{
	size_t n = strlen(s);
	if (!pd_utf8_valid(s, n) || !text_valid(s, (size_t)-1, multiline))
		return M_TEXT;
	if ((int64_t)pd_utf8_len(s, n) > max)
		return M_TOO_LONG;
	return NULL;
}

/* A decimal number: optional '-', digits, optional '.' or ',' and digits; normalised with '.'. */
static const char *check_number(struct pd_arena *a, const char *s, const char **norm)
{
	size_t n = strlen(s), i = 0, digits = 0;
	char *out = pd_arena_strdup(a, s);
	if (!out)
		return M_NUMBER;
	if (s[i] == '-')
		i++;
	size_t int_digits = 0;
	for (; s[i] >= '0' && s[i] <= '9'; i++)
		int_digits++;
	digits = int_digits;
	if (int_digits && (s[i] == '.' || s[i] == ',') && s[i + 1] >= '0' && s[i + 1] <= '9') {
		out[i++] = '.';
		for (; s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	}
	if (!int_digits || i != n || digits > NUMBER_DIGITS_MAX)
		return M_NUMBER;
	*norm = out;
	return NULL;
}

static bool date_valid(const char *s)
{
	int64_t y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || pd_parse_i64n(s, 4, 1800, 2200, &y) ||
	    pd_parse_i64n(s + 5, 2, 1, 12, &m) || pd_parse_i64n(s + 8, 2, 1, 31, &d))
		return false;
	static const int days[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m] && !(m == 2 && d == 29 && !leap);
}

static int option_index(const struct pd_form_field *f, const char *v)
{
	for (int i = 0; i < f->n_options; i++)
		if (strcmp(f->options[i], v) == 0)
			return i;
	return -1;
}

static int yesno_parse(const char *v)
{
	static const char *yes[] = {"ya", "1", "true", "yes", "on"};
	static const char *no[] = {"tidak", "0", "false", "no", "off"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (pd_str_ieq(v, yes[i]))
			return 1;
		if (pd_str_ieq(v, no[i]))
			return 0;
	}
	return -1;
}

struct check_ctx {
	const struct pd_form_values *in;
	struct pd_arena *a;
	bool final;
	json_t *answers;
};

static const char *raw(const struct check_ctx *c, const char *name, int i)
{
	return c->in->get ? c->in->get(c->in->arg, name, i) : NULL;
}

static const char *check_multi(struct check_ctx *c, const struct pd_form_field *f)
{
	bool picked[PD_FORM_OPTIONS_MAX] = {false};
	int n = 0;
	for (int i = 0; i < MULTI_READ_MAX; i++) {
		const char *v0 = raw(c, f->key, i);
		if (!v0)
			break;
		char *v = trim(c->a, v0);
		if (!v || !*v)
			continue;
		int k = option_index(f, v);
		if (k < 0)
			return M_CHOICE;
		if (!picked[k])
			n++;
		picked[k] = true;
	}
	if (n == 0)
		return c->final && f->required ? M_REQUIRED : NULL;
	json_t *arr = json_array();
	for (int k = 0; arr && k < f->n_options; k++)
		if (picked[k])
			json_array_append_new(arr, json_string(f->options[k]));
	json_object_set_new(c->answers, f->key, arr);
	return NULL;
}

static const char *check_address(struct check_ctx *c, const struct pd_form_field *f)
{
	char *vname = pd_arena_printf(c->a, "%s.desa", f->key);
	char *sname = pd_arena_printf(c->a, "%s.jalan", f->key);
	if (!vname || !sname)
		return M_TEXT;
	char *village = trim(c->a, raw(c, vname, 0));
	char *street = trim(c->a, raw(c, sname, 0));
	if (!village || !street)
		return M_TEXT;
	if (!*village && !*street)
		return c->final && f->required ? M_REQUIRED : NULL;
	if (*village && (!pd_slug_valid(village) ||
	                 (c->in->village_ok && !c->in->village_ok(c->in->village_arg, village))))
		return M_VILLAGE;
	const char *why = check_text(street, PD_FORM_STREET_MAX, false);
	if (why)
		return why;
	if (c->final && (!*village || !*street))
		return M_ADDRESS;
	json_t *o = json_object();
	if (*village)
		json_object_set_new(o, "village", json_string(village));
	if (*street)
		json_object_set_new(o, "street", json_string(street));
	json_object_set_new(c->answers, f->key, o);
	return NULL;
}

/* Checks one field; a valid value goes into c->answers. Returns a msgid or NULL. */
static const char *check_field(struct check_ctx *c, const struct pd_form_field *f)
{
	if (f->type == PD_FORM_MULTI)
		return check_multi(c, f);
	if (f->type == PD_FORM_ADDRESS)
		return check_address(c, f);
	char *v = f->type == PD_FORM_LONGTEXT ? unix_lines(c->a, trim(c->a, raw(c, f->key, 0)))
	                                      : trim(c->a, raw(c, f->key, 0));
	if (!v)
		return M_TEXT;
	if (!*v)
		return c->final && f->required ? M_REQUIRED : NULL;
	const char *norm = v, *why = NULL;
	char buf[PD_MAIL_ADDR_MAX > 64 ? PD_MAIL_ADDR_MAX : 64];
	switch (f->type) {
	case PD_FORM_TEXT:
	case PD_FORM_LONGTEXT:
		why = check_text(v, pd_form_field_limit(f), f->type == PD_FORM_LONGTEXT);
		break;
	case PD_FORM_NUMBER:
		why = check_number(c->a, v, &norm);
		break;
	case PD_FORM_DATE:
		why = date_valid(v) ? NULL : M_DATE;
		break;
	case PD_FORM_CHOICE:
		why = option_index(f, v) < 0 ? M_CHOICE : NULL;
		break;
	case PD_FORM_YESNO: {
		int yn = yesno_parse(v);
		if (yn < 0)
			return M_YESNO;
		json_object_set_new(c->answers, f->key, json_boolean(yn));
		return NULL;
	}
	case PD_FORM_NIK: {
		char district[7];
		why = pd_nik_check(v, buf, district) ? M_NIK : NULL;
		norm = buf;
		break;
	}
	case PD_FORM_PHONE:
		/* Indonesian numbers only: a citizen is called back on them. */
		why = pd_crypto_norm_phone(v, buf, sizeof buf) || !pd_str_starts(buf, "+62") ? M_PHONE
		                                                                               : NULL;
		norm = buf;
		break;
	case PD_FORM_EMAIL:
		why = strlen(v) >= sizeof buf || pd_crypto_norm_email(v, buf, sizeof buf) ||
		              !pd_mail_address_valid(buf)
		          ? M_EMAIL
		          : NULL;
		norm = buf;
		break;
	case PD_FORM_FILE:
		why = pd_uuid_valid(v) ? NULL : M_FILE_REF;
		break;
	default:
		why = M_TEXT;
	}
	if (!why)
		json_object_set_new(c->answers, f->key, json_string(norm));
	return why;
}

int pd_form_check(const struct pd_form *form, const struct pd_form_values *in, bool final,
                  struct pd_arena *a, struct pd_form_result *out)
{
	memset(out, 0, sizeof *out);
	out->errors = pd_arena_alloc(a, sizeof *out->errors * (size_t)(form->n_fields + 1));
	struct check_ctx c = {.in = in, .a = a, .final = final, .answers = json_object()};
	int rc = PD_ERR_NOMEM;
	if (!out->errors || !c.answers)
		goto out;
	for (int i = 0; i < form->n_fields; i++) {
		out->errors[i] = check_field(&c, &form->fields[i]);
		if (out->errors[i])
			out->n_errors++;
	}
	char *s = json_dumps(c.answers, JSON_COMPACT);
	if (!s)
		goto out;
	out->answers_json = pd_arena_strdup(a, s);
	free(s);
	if (!out->answers_json)
		goto out;
	rc = out->n_errors ? PD_ERR_INVALID : PD_OK;
out:
	json_decref(c.answers);
	return rc;
}

static bool village_in_tree(void *arg, const char *slug)
{
	struct pd_tx *tx = arg;
	struct pd_unit u;
	enum pd_qs qs = pd_store_unit_by_slug(tx, slug, pd_tx_arena(tx), &u);
	return qs == PD_QS_ONE && strcmp(u.kind, "village") == 0;
}

int pd_form_check_tx(struct pd_tx *tx, const struct pd_form *form,
                     const struct pd_form_values *in, bool final, struct pd_arena *a,
                     struct pd_form_result *out)
{
	struct pd_form_values v = *in;
	v.village_ok = village_in_tree;
	v.village_arg = tx;
	int rc = pd_form_check(form, &v, final, a, out);
	return pd_tx_error(tx) ? pd_tx_error(tx) : rc;
}

const char *pd_form_file_check(const struct pd_form_field *f, const void *head, size_t n,
                               int64_t size)
{
	if (size <= 0 || n == 0)
		return M_FILE_EMPTY;
	if (size > pd_form_field_limit(f) || size > PD_ATTACHMENT_MAX_BYTES)
		return M_FILE_LARGE;
	if (!pd_attachment_type_allowed(head, n))
		return M_FILE_TYPE;
	return NULL;
}

/* --- answers back into values, and for display -------------------------------------------------- */

static const char *answers_get(void *arg, const char *name, int i)
{
	json_t *answers = arg;
	const char *dot = strchr(name, '.');
	char key[PD_FORM_KEY_MAX + 1];
	size_t kn = dot ? (size_t)(dot - name) : strlen(name);
	if (kn > PD_FORM_KEY_MAX)
		return NULL;
	memcpy(key, name, kn);
	key[kn] = '\0';
	json_t *v = json_object_get(answers, key);
	if (dot) {
		const char *part = strcmp(dot + 1, "desa") == 0    ? "village"
		                   : strcmp(dot + 1, "jalan") == 0 ? "street"
		                                                   : NULL;
		v = part && json_is_object(v) ? json_object_get(v, part) : NULL;
	}
	if (json_is_array(v))
		return json_string_value(json_array_get(v, (size_t)i));
	if (i != 0)
		return NULL;
	if (json_is_boolean(v))
		return json_is_true(v) ? "ya" : "tidak";
	return json_string_value(v);
}

static void decref(void *p)
{
	json_decref(p);
}

int pd_form_values_from_answers(const char *answers_json, struct pd_arena *a,
                                struct pd_form_values *out)
{
	memset(out, 0, sizeof *out);
	json_t *o = answers_json ? json_loads(answers_json, 0, NULL) : json_object();
	if (!json_is_object(o)) {
		json_decref(o);
		return PD_ERR_INVALID;
	}
	pd_arena_defer(a, decref, o);
	out->get = answers_get;
	out->arg = o;
	return PD_OK;
}

static const char *village_name(struct pd_tx *tx, const char *slug, struct pd_arena *a)
{
	struct pd_unit u;
	if (tx && pd_store_unit_by_slug(tx, slug, a, &u) == PD_QS_ONE)
		return u.name;
	return slug;
}

int pd_form_display(struct pd_tx *tx, const struct pd_form *form, const char *answers_json,
                    const char *lang, struct pd_arena *a, struct pd_form_display_row **rows,
                    int *n_rows)
{
	*rows = NULL;
	*n_rows = 0;
	json_t *ans = answers_json && *answers_json ? json_loads(answers_json, 0, NULL)
	                                            : json_object();
	if (!json_is_object(ans)) {
		json_decref(ans);
		return PD_ERR_INVALID;
	}
	pd_arena_defer(a, decref, ans);
	struct pd_form_display_row *r = pd_arena_alloc(a, sizeof *r * (size_t)(form->n_fields + 1));
	if (!r)
		return PD_ERR_NOMEM;
	for (int i = 0; i < form->n_fields; i++) {
		const struct pd_form_field *f = &form->fields[i];
		json_t *v = json_object_get(ans, f->key);
		memset(&r[i], 0, sizeof r[i]);
		r[i].key = f->key;
		r[i].type = f->type;
		r[i].label = pd_form_field_label(f, lang);
		r[i].value = "";
		if (json_is_string(v)) {
			r[i].value = json_string_value(v);
		} else if (json_is_boolean(v)) {
			r[i].value = pd_i18n_text(lang, json_is_true(v) ? N_("Ya") : N_("Tidak"));
		} else if (json_is_array(v)) {
			size_t n = json_array_size(v);
			r[i].values = pd_arena_alloc(a, sizeof *r[i].values * (n + 1));
			if (!r[i].values)
				return PD_ERR_NOMEM;
			const char *joined = "";
			for (size_t j = 0; j < n; j++) {
				const char *s = json_string_value(json_array_get(v, j));
				r[i].values[r[i].n_values++] = s ? s : "";
				joined = j ? pd_arena_printf(a, "%s, %s", joined, s ? s : "") : (s ? s : "");
			}
			r[i].value = joined ? joined : "";
		} else if (json_is_object(v)) {
			const char *street = json_string_value(json_object_get(v, "street"));
			const char *slug = json_string_value(json_object_get(v, "village"));
			const char *vn = slug ? village_name(tx, slug, a) : NULL;
			r[i].value = street && vn ? pd_arena_printf(a, "%s, %s", street, vn)
			             : street     ? street
			             : vn         ? vn
			                          : "";
		}
		if (!r[i].value)
			return PD_ERR_NOMEM;
		(*n_rows)++;
	}
	*rows = r;
	return PD_OK;
}
