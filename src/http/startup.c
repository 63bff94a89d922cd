/* What the server settles before it listens: enough descriptors for its connections, and the
 * upload files a crash left behind. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "http/internal.h"

#define FD_RESERVE 256 /* descriptors kept for the database, uploads, mail and MHD itself */

/* Every connection holds a descriptor, and so do the database, the uploads and the mail, but a
 * service gets a soft limit of 1024 by default (systemd): raise it towards the hard limit, and
 * keep the connection limit below what we have, or at the limit accept() fails with EMFILE and so
 * does every database connection and upload. */
unsigned pd_http_connection_limit(unsigned max_connections)
{
	struct rlimit rl;
	const rlim_t want = (rlim_t)max_connections + FD_RESERVE;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return max_connections;
	rlim_t up = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	if (up > rl.rlim_cur) {
		rl.rlim_cur = up;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur >= want)
		return max_connections;
	unsigned n = rl.rlim_cur > 2 * FD_RESERVE ? (unsigned)(rl.rlim_cur - FD_RESERVE)
	                                          : (unsigned)(rl.rlim_cur / 2);
	pd_log(PD_LOG_WARN, "fd_limit", "nofile=%llu connections=%u",
	       (unsigned long long)rl.rlim_cur, n);
	return n;
}

/* Uploads stream to <data>/tmp/upload-* and go when their request ends, but a crash leaves them
 * behind: personal documents in clear, for ever. Those untouched for an hour belong to no live
 * request (an upload writes at least every 30 s or times out), also of another node sharing
 * the directory. */
void pd_http_remove_stale_uploads(const char *data)
{
	char dir[4096];
	if ((size_t)snprintf(dir, sizeof dir, "%s/tmp", data) >= sizeof dir)
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	time_t now = time(NULL);
	int n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		struct stat st;
		if (strncmp(e->d_name, "upload-", 7) == 0 &&
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
		    now - st.st_mtime > 3600 && unlinkat(dirfd(d), e->d_name, 0) == 0)
			n++;
	}
	closedir(d);
	if (n)
		pd_log(PD_LOG_INFO, "stale_uploads_removed", "n=%d", n);
}
