/* Indonesian stemming with one libstemmer object per thread (they are not thread-safe). */
#include "core/stem.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static pthread_key_t stem_key;
static pthread_once_t stem_once = PTHREAD_ONCE_INIT;

static void stemmer_free(void *p)
{
	sb_stemmer_delete(p);
}

static void make_key(void)
{
	pthread_key_create(&stem_key, stemmer_free);
}

/* This thread's stemmer, created on first use and freed when the thread ends. */
static struct sb_stemmer *thread_stemmer(void)
{
	pthread_once(&stem_once, make_key);
	struct sb_stemmer *s = pthread_getspecific(stem_key);
	if (!s) {
		s = sb_stemmer_new("indonesian", "UTF_8");
		if (s && pthread_setspecific(stem_key, s) != 0) {
			sb_stemmer_delete(s);
			s = NULL;
		}
	}
	return s;
}

int pd_stem_word(const char *word, size_t n, char *out, size_t outlen)
{
	struct sb_stemmer *s = thread_stemmer();
	if (!s || outlen == 0)
		return -1;
	const sb_symbol *r = sb_stemmer_stem(s, (const sb_symbol *)word, (int)n);
	if (!r)
		return -1;
	size_t len = (size_t)sb_stemmer_length(s);
	if (len >= outlen)
		len = outlen - 1;
	memcpy(out, r, len);
	out[len] = '\0';
	return (int)len;
}

static int is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

char *pd_stem_text(struct pd_arena *a, const char *text, int max_words)
{
	if (!text)
		text = "";
	size_t n = strnlen(text, PD_STEM_TEXT_MAX);
	struct pd_buf out;
	pd_buf_init(&out, 2 * PD_STEM_TEXT_MAX);
	char word[128], stem[128];
	int n_words = 0;
	size_t i = 0;
	while (i < n && (max_words <= 0 || n_words < max_words)) {
		while (i < n && !is_letter((unsigned char)text[i]))
			i++;
		size_t wl = 0;
		while (i < n && is_letter((unsigned char)text[i])) {
			unsigned char c = (unsigned char)text[i++];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if (wl < sizeof word - 1)
				word[wl++] = (char)c;
		}
		if (wl == 0)
			continue;
		int sl = pd_stem_word(word, wl, stem, sizeof stem);
		if (sl < 0) {
			pd_buf_free(&out);
			return NULL;
		}
		if (sl == 0)
			continue;
		if (out.len)
			pd_buf_putc(&out, ' ');
		pd_buf_append(&out, stem, (size_t)sl);
		n_words++;
	}
	char *res = pd_arena_strndup(a, out.data ? out.data : "", out.len);
	pd_buf_free(&out);
	return res;
}
