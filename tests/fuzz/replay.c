/* Replays fuzz inputs (files, or every regular file in a directory) through one fuzz target. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REPLAY_MAX_INPUT (16 * 1024 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads the file into a buffer of exactly its size, so AddressSanitizer catches reads past it,
 * and runs the target on it. Returns 0, or -1 when the file cannot be read. */
static int replay_file(const char *path, size_t *n_inputs)
{
	int rc = -1;
	uint8_t *data = NULL;
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		goto out;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || st.st_size < 0 || st.st_size > REPLAY_MAX_INPUT) {
		fprintf(stderr, "replay: %s: unreadable or larger than %d bytes\n", path, REPLAY_MAX_INPUT);
		goto out;
	}
	size_t size = (size_t)st.st_size;
	data = malloc(size ? size : 1);
	if (!data || fread(data, 1, size, f) != size) {
		fprintf(stderr, "replay: %s: read failed\n", path);
		goto out;
	}
	LLVMFuzzerTestOneInput(data, size);
	(*n_inputs)++;
	rc = 0;
out:
	free(data);
	if (f)
		fclose(f);
	return rc;
}

static int replay_dir(const char *dir, size_t *n_inputs)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]->d_name) + 2;
		char *path = malloc(len);
		struct stat st;
		if (!path) {
			rc = -1;
		} else {
			snprintf(path, len, "%s/%s", dir, names[i]->d_name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && replay_file(path, n_inputs))
				rc = -1;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t n_inputs = 0;
	int rc = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE-OR-DIRECTORY...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], &n_inputs))
				rc = 1;
		} else if (replay_file(argv[i], &n_inputs)) {
			rc = 1;
		}
	}
	if (rc)
		return rc;
	printf("replay: %zu inputs OK\n", n_inputs);
	return 0;
}
