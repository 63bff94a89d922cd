/* Unit tests of the Indonesian stemmer wrapper: derived forms reduce to their root, text is
 * normalised into space-separated stems, and threads each get a working stemmer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "core/arena.h"
#include "core/stem.h"

static void check_word(const char *word, const char *want)
{
	char out[64];
	int n = pd_stem_word(word, strlen(word), out, sizeof out);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(out, want);
}

static void test_words(void **state)
{
	(void)state;
	check_word("perizinan", "izin");
	check_word("pelayanan", "layan");
	check_word("pengaduan", "adu");
	check_word("kelahiran", "lahir");
}

static void test_text(void **state)
{
	(void)state;
	struct pd_arena *a = pd_arena_new();
	assert_string_equal(pd_stem_text(a, "Akta KELAHIRAN, perizinan!", 0), "akta lahir izin");
	assert_string_equal(pd_stem_text(a, "  ,;123 ", 0), "");
	assert_string_equal(pd_stem_text(a, NULL, 0), "");
	assert_string_equal(pd_stem_text(a, "pelayanan pengaduan kelahiran", 2), "layan adu");
	assert_string_equal(pd_stem_text(a, "KTP-el", 0), "ktp el");
	pd_arena_free(a);
}

static void *stem_many(void *arg)
{
	int *bad = arg;
	struct pd_arena *a = pd_arena_new();
	for (int i = 0; i < 2000; i++) {
		const char *s = pd_stem_text(a, "pelayanan perizinan kelahiran pengaduan", 0);
		if (!s || strcmp(s, "layan izin lahir adu") != 0)
			(*bad)++;
	}
	pd_arena_free(a);
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	pthread_t th[4];
	int bad[4] = {0};
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, stem_many, &bad[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(bad[i], 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
