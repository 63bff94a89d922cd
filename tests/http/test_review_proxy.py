"""The client's address and scheme behind trusted proxies (DESIGN §6 --trusted-proxy): the
right-most X-Forwarded-For hop that is not itself a trusted proxy is the client, over every
header line; the right-most X-Forwarded-Proto value is the scheme."""
from test_core_helpers import cookie_attrs, set_cookies


def _get(c, *headers):
    return c.request("GET", "/unit", raw_headers=list(headers)).status


def test_forwarded_for_split_over_header_lines_uses_the_proxys_line(ctx):
    """A client sends its own X-Forwarded-For line and the proxy adds another: only the
    proxy's (last) line may decide. Reading the first line let a client pick any address, so
    it could dodge the rate limit or spend someone else's budget."""
    s = ctx.server(env={"PENDOPO_RATE_LIMIT": "2", "PENDOPO_TRUSTED_PROXY": "127.0.0.1/32"})
    c = s.client()
    got = [_get(c, ("X-Forwarded-For", "192.0.2.%d" % i), ("X-Forwarded-For", "198.51.100.7"))
           for i in range(1, 4)]
    assert got == [200, 200, 429], got
    # the victim whose address the client wrote keeps its own budget
    assert _get(c, ("X-Forwarded-For", "192.0.2.1")) == 200


def test_forwarded_for_through_a_chain_of_trusted_proxies(ctx):
    """Two proxies inside the trusted range (a load balancer, then nginx): the hop the inner
    proxy appended is a trusted address, so the client is the hop left of it. Taking the
    last hop put every client behind the chain into one rate-limit bucket."""
    s = ctx.server(env={"PENDOPO_RATE_LIMIT": "2", "PENDOPO_TRUSTED_PROXY": "127.0.0.0/8"})
    c = s.client()
    a = ("X-Forwarded-For", "198.51.100.1, 127.0.0.2")
    b = ("X-Forwarded-For", "198.51.100.2,127.0.0.2")
    assert [_get(c, a) for _ in range(3)] == [200, 200, 429]
    assert [_get(c, b) for _ in range(2)] == [200, 200]
    # what the client wrote further left changes nothing
    forged = ("X-Forwarded-For", "203.0.113.9, 198.51.100.1, 127.0.0.2")
    assert _get(c, forged) == 429
    # an untrusted peer's header is never read
    t = ctx.server(env={"PENDOPO_RATE_LIMIT": "2"})
    ct = t.client()
    got = [_get(ct, ("X-Forwarded-For", "192.0.2.%d, 127.0.0.2" % i)) for i in range(1, 4)]
    assert got == [200, 200, 429], got


def test_forwarded_proto_right_most_value(ctx):
    s = ctx.server(env={"PENDOPO_TRUSTED_PROXY": "127.0.0.1/32"})

    def csrf_cookie(*headers):
        r = s.client().request("GET", "/", raw_headers=list(headers))
        assert r.status == 200, r
        https = set_cookies(r, "__Host-pd_csrf")
        plain = set_cookies(r, "pd_csrf")
        assert len(https) + len(plain) == 1, r.headers
        return ("https", cookie_attrs(https[0])[2]) if https else ("http", cookie_attrs(plain[0])[2]), r

    (scheme, attrs), r = csrf_cookie(("X-Forwarded-Proto", "http, https"))
    assert scheme == "https" and attrs.get("secure") is True, (scheme, attrs)
    assert r.header("Strict-Transport-Security")
    # the client's own line comes first, the proxy's last
    (scheme, attrs), r = csrf_cookie(("X-Forwarded-Proto", "https"), ("X-Forwarded-Proto", "http"))
    assert scheme == "http" and "secure" not in attrs, (scheme, attrs)
    assert r.header("Strict-Transport-Security") is None
    (scheme, _), _ = csrf_cookie(("X-Forwarded-Proto", "HTTPS"))
    assert scheme == "https"
    (scheme, _), _ = csrf_cookie(("X-Forwarded-Proto", "httpsx"))
    assert scheme == "http"
