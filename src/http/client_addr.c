/* The client's address and scheme, from the connection or, behind a trusted proxy, from its
 * X-Forwarded-For and X-Forwarded-Proto headers. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/str.h"
#include "http/internal.h"

/* Parses one address ("192.0.2.1", "2001:db8::1") into raw bytes; an IPv4-mapped IPv6 address
 * counts as IPv4, so a trusted IPv4 range also matches it on an IPv6 listener. */
static bool parse_addr(const char *s, size_t n, unsigned char raw[16], bool *v4)
{
	char text[INET6_ADDRSTRLEN];
	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof text)
		return false;
	memcpy(text, s, n);
	text[n] = '\0';
	if (inet_pton(AF_INET, text, raw) == 1) {
		*v4 = true;
		return true;
	}
	struct in6_addr a6;
	if (inet_pton(AF_INET6, text, &a6) != 1)
		return false;
	*v4 = IN6_IS_ADDR_V4MAPPED(&a6);
	memcpy(raw, *v4 ? (const unsigned char *)&a6 + 12 : (const unsigned char *)&a6, *v4 ? 4 : 16);
	return true;
}

static const char *addr_text(struct pd_arena *a, const unsigned char *raw, bool v4)
{
	char text[INET6_ADDRSTRLEN];
	if (!inet_ntop(v4 ? AF_INET : AF_INET6, raw, text, sizeof text))
		return "unknown";
	return pd_arena_strdup(a, text);
}

#define HDR_KEEP 16

struct hdr_values {
	const char *name;
	const char *v[HDR_KEEP]; /* the last HDR_KEEP values of the header, oldest overwritten */
	size_t n;                /* how many values there were */
};

static enum MHD_Result values_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
	(void)kind;
	struct hdr_values *h = cls;
	if (value && pd_str_ieq(key, h->name))
		h->v[h->n++ % HDR_KEEP] = value;
	return MHD_YES;
}

/* The client's address. Behind a trusted proxy, X-Forwarded-For is read from the right, over all
 * of its header lines as one list: each hop is appended by the proxy in front of it, so the
 * right-most hop that is not itself a trusted proxy is the client; what lies left of it was
 * written by the client and is never believed. */
const char *pd_http_client_ip(struct pd_app *app, struct MHD_Connection *conn, struct pd_arena *a,
                              bool *https)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	unsigned char raw[16];
	bool v4 = false, have = false;
	if (ci && ci->client_addr) {
		char text[INET6_ADDRSTRLEN] = "";
		if (ci->client_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, text,
			          sizeof text);
		else if (ci->client_addr->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, text,
			          sizeof text);
		have = parse_addr(text, strlen(text), raw, &v4);
	}
	*https = false;
	if (!have)
		return "unknown";
	const char *client = addr_text(a, raw, v4);
	if (!pd_http_trusted(app, raw, v4))
		return client;

	/* The proxy nearest to us sets the scheme: the right-most value counts. */
	struct hdr_values proto = {.name = "X-Forwarded-Proto"};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, values_iter, &proto);
	if (proto.n) {
		const char *last = proto.v[(proto.n - 1) % HDR_KEEP];
		const char *p = strrchr(last, ',');
		p = p ? p + 1 : last;
		p += strspn(p, " \t");
		*https = strncasecmp(p, "https", 5) == 0 && p[5 + strspn(p + 5, " \t")] == '\0';
	}

	struct hdr_values fwd = {.name = "X-Forwarded-For"};
	MHD_get_connection_values(conn, MHD_HEADER_KIND, values_iter, &fwd);
	size_t kept = fwd.n < HDR_KEEP ? fwd.n : HDR_KEEP;
	for (size_t k = 0; k < kept; k++) {
		const char *list = fwd.v[(fwd.n - 1 - k) % HDR_KEEP];
		for (size_t end = strlen(list); end > 0;) {
			size_t begin = end;
			while (begin > 0 && list[begin - 1] != ',')
				begin--;
			size_t next = begin ? begin - 1 : 0;
			if (strspn(list + begin, " \t") >= end - begin) {
				end = next; /* an empty list element */
				continue;
			}
			unsigned char hop[16];
			bool hop_v4;
			if (!parse_addr(list + begin, end - begin, hop, &hop_v4))
				return client; /* garbage: the last hop we could vouch for is the client */
			client = addr_text(a, hop, hop_v4);
			if (!pd_http_trusted(app, hop, hop_v4))
				return client;
			end = next;
		}
	}
	return client;
}
