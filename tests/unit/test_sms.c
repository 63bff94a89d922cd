/* Unit tests of the text-message channel: parsing LAPOR/CEK (keywords in any case, village codes
 * with and without dots, tracking numbers in any spelling), the GSM-7 alphabet and its cutting,
 * and every answer the module can produce, in both languages and for every status, being GSM-7
 * within 160 characters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/embed.h"
#include "core/err.h"
#include "core/i18n.h"
#include "core/tracking.h"
#include "domain/complaint.h"
#include "domain/sms.h"

static int setup(void **state)
{
	if (sodium_init() < 0)
		return -1;
	pd_i18n_init(); /* English from the embedded catalogue when the build has it */
	return 0;
}

static int teardown(void **state)
{
	pd_i18n_free();
	return 0;
}

static void test_parse_report(void **state)
{
	struct pd_sms_msg m;
	const char *dotted[] = {"LAPOR 32.19.01.2003 Jalan rusak", "lapor 3219012003 Jalan rusak",
	                        "LaPoR#32.19.01.2003#Jalan rusak", "  lapor\t3219012003 \n Jalan rusak \r\n",
	                        "Lapor 32.1901.2003 Jalan rusak"};
	for (size_t i = 0; i < sizeof dotted / sizeof dotted[0]; i++) {
		pd_sms_parse(dotted[i], &m);
		assert_int_equal(m.kind, PD_SMS_REPORT);
		assert_true(m.has_code);
		assert_string_equal(m.code_digits, "3219012003");
		assert_string_equal(m.code_dotted, "32.19.01.2003");
		assert_int_equal(m.text_len, strlen("Jalan rusak"));
		assert_memory_equal(m.text, "Jalan rusak", m.text_len);
	}
	/* No code, a short code, a long code, letters in it: no code; the text is kept. */
	const char *nocode[] = {"LAPOR Jalan rusak", "LAPOR 321901200 Jalan rusak",
	                        "LAPOR 32190120031 Jalan rusak", "LAPOR 32.19.01.20O3 Jalan rusak"};
	for (size_t i = 0; i < sizeof nocode / sizeof nocode[0]; i++) {
		pd_sms_parse(nocode[i], &m);
		assert_int_equal(m.kind, PD_SMS_REPORT);
		assert_false(m.has_code);
		assert_true(m.text_len > 0);
	}
	pd_sms_parse("LAPOR 3219012003", &m);
	assert_true(m.has_code);
	assert_int_equal(m.text_len, 0);
	pd_sms_parse("lapor", &m);
	assert_int_equal(m.kind, PD_SMS_REPORT);
	assert_false(m.has_code);
	assert_int_equal(m.text_len, 0);
}

static void test_parse_check_and_help(void **state)
{
	char t[PD_TRACKING_COMPACT_LEN + 1], g[PD_TRACKING_GROUPED_LEN + 1], s[64];
	assert_int_equal(pd_tracking_new('A', t), PD_OK);
	pd_tracking_format(t, g);
	struct pd_sms_msg m;
	/* Compact, grouped, lower case, spaces: all the same number. */
	const char *forms[] = {"CEK %s", "cek %s", "Cek   %s  ", "CEK#%s"};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		for (int grouped = 0; grouped < 2; grouped++) {
			snprintf(s, sizeof s, forms[i], grouped ? g : t);
			if (i == 1)
				for (char *p = s; *p; p++)
					*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
			pd_sms_parse(s, &m);
			assert_int_equal(m.kind, PD_SMS_CHECK);
			assert_true(m.has_tracking);
			assert_string_equal(m.tracking, t);
		}
	}
	/* A damaged number, an application's number, nothing: a check without a number. */
	snprintf(s, sizeof s, "CEK %s", t);
	s[6] = s[6] == 'Z' ? 'Y' : 'Z';
	pd_sms_parse(s, &m);
	assert_int_equal(m.kind, PD_SMS_CHECK);
	assert_false(m.has_tracking);
	char p[PD_TRACKING_COMPACT_LEN + 1];
	assert_int_equal(pd_tracking_new('P', p), PD_OK);
	snprintf(s, sizeof s, "CEK %s", p);
	pd_sms_parse(s, &m);
	assert_false(m.has_tracking);
	pd_sms_parse("CEK", &m);
	assert_int_equal(m.kind, PD_SMS_CHECK);
	assert_false(m.has_tracking);
	/* Anything else is help: other words, a keyword inside a longer word, nothing. */
	const char *help[] = {"halo", "LAPORAN 3219012003 x", "CEKSTATUS", "", "   ", "INFO"};
	for (size_t i = 0; i < sizeof help / sizeof help[0]; i++) {
		pd_sms_parse(help[i], &m);
		assert_int_equal(m.kind, PD_SMS_HELP);
	}
	pd_sms_parse(NULL, &m);
	assert_int_equal(m.kind, PD_SMS_HELP);
}

static void test_gsm7(void **state)
{
	assert_int_equal(pd_sms_septets("abc"), 3);
	assert_int_equal(pd_sms_septets("[x]"), 5);          /* extension table: two each */
	assert_int_equal(pd_sms_septets("\xe2\x82\xac"), 2); /* € */
	assert_int_equal(pd_sms_septets("\xc3\xa9\xc3\xbc"), 2); /* é ü are in the alphabet */
	assert_int_equal(pd_sms_septets("a\nb"), 3);
	assert_int_equal(pd_sms_septets("\xc3\xa1"), -1);     /* á is not */
	assert_int_equal(pd_sms_septets("`"), -1);
	assert_int_equal(pd_sms_septets("a\tb"), -1);
	assert_int_equal(pd_sms_septets("\xf0\x9f\x98\x80"), -1); /* an emoji */
	assert_int_equal(pd_sms_septets("\xff"), -1);          /* invalid UTF-8 */

	char out[PD_SMS_ANSWER_MAX];
	int n = pd_sms_gsm7("Dinas \xe2\x80\x9c" "Bina Marga\xe2\x80\x9d \xe2\x80\x93 Pak \xc3\x81" "di\t\xf0\x9f\x98\x80", 160, out, sizeof out);
	assert_string_equal(out, "Dinas \"Bina Marga\" - Pak Adi ?");
	assert_int_equal(n, pd_sms_septets(out));

	/* Cut at 160 septets with "...", also when the boundary falls on a two-septet character. */
	char long_in[1024];
	memset(long_in, 'a', 400);
	long_in[400] = '\0';
	n = pd_sms_gsm7(long_in, 160, out, sizeof out);
	assert_int_equal(n, 160);
	assert_int_equal(pd_sms_septets(out), 160);
	assert_string_equal(out + strlen(out) - 3, "...");
	for (int shift = 0; shift < 3; shift++) {
		memset(long_in, 'b', (size_t)shift);
		for (int i = shift; i < 400; i++)
			long_in[i] = '{';
		long_in[400] = '\0';
		n = pd_sms_gsm7(long_in, 160, out, sizeof out);
		assert_true(n <= 160 && n >= 157);
		assert_int_equal(pd_sms_septets(out), n);
	}
	/* Multi-byte letters of the alphabet cost one septet, however many bytes. */
	char eacute[1024] = "";
	for (int i = 0; i < 200; i++)
		memcpy(eacute + 2 * i, "\xc3\xa9", 3);
	n = pd_sms_gsm7(eacute, 160, out, sizeof out);
	assert_int_equal(n, 160);
	assert_int_equal(pd_sms_septets(out), 160);
	/* A short text is left as it is. */
	n = pd_sms_gsm7("Terima kasih.", 160, out, sizeof out);
	assert_string_equal(out, "Terima kasih.");
	assert_int_equal(n, 13);
}

static bool ends_cut(const char *s)
{
	size_t n = strlen(s);
	return n >= 3 && strcmp(s + n - 3, "...") == 0;
}

/* Every answer × every status × both languages, with ordinary and with hostile data. */
static void test_every_answer_fits(void **state)
{
	const char *langs[] = {"id", "en"};
	char t[PD_TRACKING_COMPACT_LEN + 1];
	assert_int_equal(pd_tracking_new('A', t), PD_OK);
	const char *units[] = {
		"Dinas Kependudukan dan Pencatatan Sipil",
		"Dinas Pekerjaan Umum dan Penataan Ruang",
		/* Long, with letters and signs outside GSM-7: transliterated and cut, never over. */
		"Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah \xe2\x80\x94 "
		"Bidang \xe2\x80\x9cInfrastruktur & Kewilayahan\xe2\x80\x9d {Sukamaju} [\xe6\xbc\xa2\xe5\xad\x97] "
		"\xc3\xa1\xc3\xad\xc3\xb3\xc3\xba \xf0\x9f\x98\x80 ~ | ^ \xe2\x82\xac \xe2\x82\xac \xe2\x82\xac \xe2\x82\xac "
		"Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah Kabupaten"};
	bool translated = pd_embed_find("po/en.mo") || pd_embed_find("en.mo");
	for (size_t l = 0; l < 2; l++) {
		for (int k = 0; k < PD_SMS_A__MAX; k++) {
			for (int s = 0; s < PD_CMP__MAX; s++) {
				for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
					struct pd_sms_vars v = {
						.tracking = t,
						.status = pd_complaint_status_label((enum pd_complaint_status)s),
						.unit = units[u],
						.due_ms = INT64_C(1804000000000),
						.tz_offset_min = 420};
					char out[PD_SMS_ANSWER_MAX];
					pd_sms_compose((enum pd_sms_answer)k, langs[l], &v, out);
					int n = pd_sms_septets(out);
					if (n < 1 || n > PD_SMS_SEPTETS_MAX)
						fail_msg("answer %d (%s, status %d, unit %zu) is not GSM-7 within 160: "
						         "%d septets: %s", k, langs[l], s, u, n, out);
					/* every placeholder filled */
					assert_null(strstr(out, "{nomor}"));
					assert_null(strstr(out, "{status}"));
					assert_null(strstr(out, "{unit}"));
					assert_null(strstr(out, "{tanggal}"));
					/* The ordinary names fit whole: only hostile data is ever cut. */
					if (u < 2 && ends_cut(out))
						fail_msg("answer %d (%s, status %d) was cut: %s", k, langs[l], s, out);
				}
			}
		}
	}
	/* The English catalogue translates every answer. */
	if (translated) {
		struct pd_sms_vars v = {.tracking = t, .status = pd_complaint_status_label(PD_CMP_NEW),
		                        .unit = "Dinas", .due_ms = INT64_C(1804000000000), .tz_offset_min = 420};
		for (int k = 0; k < PD_SMS_A__MAX; k++) {
			char id[PD_SMS_ANSWER_MAX], en[PD_SMS_ANSWER_MAX];
			pd_sms_compose((enum pd_sms_answer)k, "id", &v, id);
			pd_sms_compose((enum pd_sms_answer)k, "en", &v, en);
			if (strcmp(id, en) == 0)
				fail_msg("answer %d has no English translation: %s", k, id);
		}
	}
	/* The filed answer names the number grouped, as /lacak and the pages show it. */
	char g[PD_TRACKING_GROUPED_LEN + 1], out[PD_SMS_ANSWER_MAX];
	pd_tracking_format(t, g);
	struct pd_sms_vars v = {.tracking = t};
	pd_sms_compose(PD_SMS_A_FILED, "id", &v, out);
	assert_non_null(strstr(out, g));
	pd_sms_compose(PD_SMS_A_HELP, NULL, NULL, out);
	assert_non_null(strstr(out, "LAPOR"));
	assert_non_null(strstr(out, "CEK"));
	/* The due date in the installation's time zone: 2027-03-01T17:30Z is 2 March in WIB. */
	struct pd_sms_vars d = {.tracking = t, .status = pd_complaint_status_label(PD_CMP_NEW),
	                        .unit = "Dinas", .due_ms = INT64_C(1803922200000), .tz_offset_min = 420};
	pd_sms_compose(PD_SMS_A_STATUS_DUE, "id", &d, out);
	assert_non_null(strstr(out, "02-03-2027"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_report),
		cmocka_unit_test(test_parse_check_and_help),
		cmocka_unit_test(test_gsm7),
		cmocka_unit_test(test_every_answer_fits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
