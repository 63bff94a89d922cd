/* Unit tests for file type recognition by content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/sniff.h"

#define SNIFF(lit) pd_sniff((lit), sizeof(lit) - 1)
#define MIME(lit) pd_sniff_mime((lit), sizeof(lit) - 1)

static void test_magic(void **state)
{
	assert_int_equal(SNIFF("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"), PD_SNIFF_PDF);
	assert_string_equal(MIME("%PDF-"), "application/pdf");
	assert_string_equal(MIME("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), "image/jpeg");
	assert_string_equal(MIME("\xFF\xD8\xFF"), "image/jpeg");
	assert_string_equal(MIME("\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR"), "image/png");
	assert_string_equal(MIME("GIF89a\x01\x00\x01\x00"), "image/gif");
	assert_string_equal(MIME("GIF87a"), "image/gif");
	assert_string_equal(MIME("RIFF\x24\x00\x00\x00WEBPVP8 "), "image/webp");
	assert_string_equal(MIME("PK\x03\x04\x14\x00\x06\x00"), "application/zip");
	assert_string_equal(MIME("PK\x05\x06\x00\x00"), "application/zip");
	assert_string_equal(MIME("PK\x07\x08"), "application/zip");
}

static void test_near_misses(void **state)
{
	/* One byte short or one byte wrong is not the type; printable ones read as text. */
	assert_int_equal(SNIFF("%PDF"), PD_SNIFF_TEXT);
	assert_int_equal(SNIFF("%pdf-1.4"), PD_SNIFF_TEXT);
	assert_int_equal(SNIFF(" %PDF-1.4"), PD_SNIFF_TEXT);
	assert_int_equal(SNIFF("\xFF\xD8"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("\xFF\xD8\xFE"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("\x89PNG\r\n\x1A"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("\x89PNG\r\n\x1B\n"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("GIF88a"), PD_SNIFF_TEXT);
	assert_int_equal(SNIFF("RIFF\x24\x00\x00\x00WAVEfmt "), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("RIFF\x24\x00\x00\x00WEB"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("PK\x01\x02"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("MZ\x90\x00"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("\x7F" "ELF\x02\x01"), PD_SNIFF_OCTET_STREAM);
}

static void test_text(void **state)
{
	assert_string_equal(MIME("Laporan warga\r\nJalan rusak\tRT 03\n\f"), "text/plain; charset=utf-8");
	assert_int_equal(SNIFF("\xEF\xBB\xBF" "dengan BOM"), PD_SNIFF_TEXT);
	assert_int_equal(SNIFF("Caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80"), PD_SNIFF_TEXT);
	/* <html> is still only text: it is served as an attachment with nosniff. */
	assert_int_equal(SNIFF("<html><script>alert(1)</script>"), PD_SNIFF_TEXT);
	/* A character cut off by the end of the prefix is fine ... */
	assert_int_equal(SNIFF("abc\xC3"), PD_SNIFF_TEXT);
	assert_int_equal(SNIFF("abc\xE2\x80"), PD_SNIFF_TEXT);
	assert_int_equal(SNIFF("abc\xF0\x9F\x98"), PD_SNIFF_TEXT);
	assert_int_equal(SNIFF("abc\xE0"), PD_SNIFF_TEXT);
	assert_int_equal(SNIFF("abc\xF4\x8F"), PD_SNIFF_TEXT);
	/* ... unless no completion could be valid. */
	assert_int_equal(SNIFF("abc\xE0\x80"), PD_SNIFF_OCTET_STREAM);  /* overlong */
	assert_int_equal(SNIFF("abc\xED\xA0"), PD_SNIFF_OCTET_STREAM);  /* surrogate */
	assert_int_equal(SNIFF("abc\xF4\x90"), PD_SNIFF_OCTET_STREAM);  /* above U+10FFFF */
	assert_int_equal(SNIFF("abc\xC0"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("abc\xF5"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("\xC3"), PD_SNIFF_OCTET_STREAM);
	/* Not text: NUL, controls, invalid UTF-8 in the middle, Latin-1. */
	assert_int_equal(SNIFF("abc\x00" "def"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("abc\x1B[31m"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("abc\x7F"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("abc\x08"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("caf\xE9 au lait"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("abc\xC3\xA9\xA9"), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(SNIFF("\xFE\xFF\x00t\x00" "e"), PD_SNIFF_OCTET_STREAM); /* UTF-16 */
}

static void test_empty_and_names(void **state)
{
	assert_int_equal(pd_sniff(NULL, 0), PD_SNIFF_OCTET_STREAM);
	assert_int_equal(pd_sniff("", 0), PD_SNIFF_OCTET_STREAM);
	assert_string_equal(pd_sniff_mime("x", 0), "application/octet-stream");
	/* Only the given length is looked at. */
	assert_int_equal(pd_sniff("%PDF-1.4", 4), PD_SNIFF_TEXT);
	assert_int_equal(pd_sniff("ab\x00", 2), PD_SNIFF_TEXT);

	static const char *const mimes[PD_SNIFF__MAX] = {
		"application/octet-stream", "application/pdf", "image/jpeg", "image/png",
		"image/gif", "image/webp", "application/zip", "text/plain; charset=utf-8",
	};
	static const char *const exts[PD_SNIFF__MAX] = {
		".bin", ".pdf", ".jpg", ".png", ".gif", ".webp", ".zip", ".txt",
	};
	for (int t = 0; t < PD_SNIFF__MAX; t++) {
		assert_string_equal(pd_sniff_type_mime((enum pd_sniff_type)t), mimes[t]);
		assert_string_equal(pd_sniff_type_ext((enum pd_sniff_type)t), exts[t]);
	}
	assert_string_equal(pd_sniff_type_mime(PD_SNIFF__MAX), "application/octet-stream");
	assert_string_equal(pd_sniff_type_ext((enum pd_sniff_type)99), ".bin");
}

static void test_long_text_prefix(void **state)
{
	char buf[PD_SNIFF_PREFIX];
	/* 3-byte characters across the whole prefix, the last one cut at every point. */
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = "\xE2\x80\x94"[i % 3];
	for (size_t len = sizeof(buf) - 3; len <= sizeof(buf); len++)
		assert_int_equal(pd_sniff(buf, len), PD_SNIFF_TEXT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_magic),
		cmocka_unit_test(test_near_misses),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_empty_and_names),
		cmocka_unit_test(test_long_text_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
