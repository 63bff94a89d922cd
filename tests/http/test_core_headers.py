"""Response headers of DESIGN §5: security headers on every status, caching, Vary, HSTS, the
static assets' ETag, and gzip."""
import gzip
import re

from test_core_helpers import (CSP, assert_charset, assert_security_headers, chunked, raw,
                               request_bytes, vary_tokens, with_csrf)


def test_security_headers_on_every_status(ctx):
    s = ctx.server(env={"PENDOPO_RATE_LIMIT": "3", "PENDOPO_MAX_REQUEST": "4096"})
    c = s.client()
    seen = {}

    def check(r, what, status):
        assert r.status == status, (what, r)
        assert_security_headers(r, what)
        assert_charset(r, what)
        seen[status] = True

    check(c.get("/"), "home", 200)
    check(c.get("/api/v1/units/sukamaju"), "api", 200)
    check(c.get("/unit/sukamaju/anak.csv"), "csv", 200)
    check(c.get("/static/pendopo.css"), "static", 200)
    etag = c.get("/static/pendopo.css").header("ETag")
    check(c.get("/static/pendopo.css", headers={"If-None-Match": etag}), "static 304", 304)
    check(c.get("/?lang=en"), "lang redirect", 303)
    check(c.get("/unit/nope"), "404 page", 404)
    check(c.get("/api/v1/units/nope"), "404 json", 404)
    tok = with_csrf(c)
    check(c.request("DELETE", "/", headers={"X-CSRF-Token": tok}), "405", 405)
    check(c.post_form("/", {"a": "b"}, headers={"Cookie": ""}), "403 csrf", 403)
    check(c.request("POST", "/", body="a=%zz", headers={
        "Content-Type": "application/x-www-form-urlencoded"}), "400", 400)
    check(c.request("POST", "/", body="a=" + "x" * 10000, headers={
        "Content-Type": "application/x-www-form-urlencoded"}), "413", 413)
    check(c.request("POST", "/api/v1/units", body="[" * 10000, headers={
        "Content-Type": "application/json"}), "413 json", 413)
    statuses = [c.get("/unit").status for _ in range(4)]
    assert statuses[:3] == [200, 200, 200], statuses
    r = c.get("/unit")
    check(r, "429", 429)
    assert sorted(seen) == [200, 303, 304, 400, 403, 404, 405, 413, 429]


def test_html_pages_are_no_store_and_vary(ctx):
    s = ctx.server()
    c = s.client()
    for path, status in (("/", 200), ("/unit", 200), ("/unit/sukamaju", 200), ("/unit/nope", 404),
                         ("/nope", 404)):
        r = c.get(path)
        assert r.status == status, (path, r)
        cc = [t.strip().lower() for t in (r.header("Cache-Control") or "").split(",")]
        assert "no-store" in cc, (path, r.header("Cache-Control"))
        v = vary_tokens(r)
        assert {"accept-language", "cookie"} <= v, (path, r.header_all("Vary"))
    # a language redirect also depends on the cookie and must not be cached as shared
    r = c.get("/unit?lang=en")
    assert r.status == 303
    assert "no-store" in (r.header("Cache-Control") or ""), r.header("Cache-Control")


def test_static_caching(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/static/pendopo.css")
    assert r.status == 200
    assert r.header("Content-Type") == "text/css; charset=utf-8", r.header("Content-Type")
    etag = r.header("ETag")
    assert etag and re.fullmatch(r'(W/)?"[^"]+"', etag), etag
    cc = r.header("Cache-Control") or ""
    assert cc.startswith("public"), cc
    assert "max-age=" in cc and int(re.search(r"max-age=(\d+)", cc).group(1)) > 0, cc
    assert "cookie" not in vary_tokens(r), r.header_all("Vary")
    r2 = c.get("/static/pendopo.css", headers={"If-None-Match": etag})
    assert r2.status == 304, r2
    assert r2.raw == b""
    assert r2.header("ETag") == etag
    r3 = c.get("/static/pendopo.css", headers={"If-None-Match": '"something-else"'})
    assert r3.status == 200 and r3.body == r.body
    r4 = c.get("/static/pendopo.css", headers={"If-None-Match": '"x", ' + etag})
    assert r4.status == 304, r4


def test_public_static_sets_no_cookie(ctx):
    """A response marked `Cache-Control: public` may be stored by a shared cache and replayed to
    every visitor; it must not carry a Set-Cookie (least of all the pre-session CSRF secret,
    which would then be the same for everyone)."""
    s = ctx.server()
    r = s.client().get("/static/pendopo.css")  # a first visit: no cookie yet
    assert r.status == 200
    assert (r.header("Cache-Control") or "").startswith("public")
    assert r.header_all("Set-Cookie") == [], r.header_all("Set-Cookie")


def test_static_if_none_match_star(ctx):
    """RFC 9110 §13.1.2: `If-None-Match: *` is false when the resource exists → 304 on GET."""
    s = ctx.server()
    r = s.client().get("/static/pendopo.css", headers={"If-None-Match": "*"})
    assert r.status == 304, r


def test_hsts_only_over_https(ctx):
    plain = ctx.server()
    c = plain.client()
    for path in ("/", "/api/v1/units", "/static/pendopo.css", "/nope"):
        assert c.get(path).header("Strict-Transport-Security") is None, path
    # X-Forwarded-Proto from an untrusted client changes nothing
    r = c.get("/", headers={"X-Forwarded-Proto": "https"})
    assert r.header("Strict-Transport-Security") is None

    https = ctx.server(env={"PENDOPO_PUBLIC_URL": "https://portal.sukamaju.go.id"})
    c = https.client()
    for path in ("/", "/api/v1/units", "/static/pendopo.css", "/nope"):
        r = c.get(path)
        hsts = r.header("Strict-Transport-Security")
        assert hsts and re.search(r"max-age=(\d+)", hsts) and \
            int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 86400, (path, hsts)

    httpurl = ctx.server(env={"PENDOPO_PUBLIC_URL": "http://portal.sukamaju.go.id"})
    assert httpurl.client().get("/").header("Strict-Transport-Security") is None


def test_hsts_behind_trusted_proxy(ctx):
    """A TLS-terminating proxy in the trusted range sends X-Forwarded-Proto: https together with
    X-Forwarded-For: the answer is then an HTTPS one (HSTS, Secure __Host- cookie)."""
    proxied = ctx.server(env={"PENDOPO_TRUSTED_PROXY": "127.0.0.1/32"})
    r = proxied.client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert r.header("Strict-Transport-Security"), ("proto alone", r.headers)
    r = proxied.client().get("/", headers={"X-Forwarded-Proto": "https",
                                          "X-Forwarded-For": "198.51.100.4"})
    assert r.header("Strict-Transport-Security"), ("proto with for", r.headers)
    names = [sc.split("=", 1)[0] for sc in r.header_all("Set-Cookie")]
    assert "__Host-pd_csrf" in names, r.header_all("Set-Cookie")
    r = proxied.client().get("/", headers={"X-Forwarded-Proto": "http",
                                          "X-Forwarded-For": "198.51.100.4"})
    assert r.header("Strict-Transport-Security") is None


def strip_tokens(body):
    return re.sub(rb'name="csrf" value="[^"]*"', b'name="csrf" value=""', body)


def test_gzip_same_bytes(ctx):
    s = ctx.server()
    c = s.client()
    c.get("/")  # take the CSRF cookie first so both answers are for the same client state
    for path in ("/", "/unit", "/unit/sukamaju", "/api/v1/units/sukamaju",
                 "/unit/sukamaju/anak.csv", "/static/pendopo.css", "/unit/nope"):
        plain = c.get(path)
        gz = c.get(path, headers={"Accept-Encoding": "gzip"})
        assert plain.status == gz.status, path
        assert plain.header("Content-Encoding") is None, path
        assert gz.header("Content-Encoding") == "gzip", (path, gz.headers)
        assert gz.raw[:2] == b"\x1f\x8b", path
        assert strip_tokens(gzip.decompress(gz.raw)) == strip_tokens(plain.raw), path
        assert len(gz.raw) < len(plain.raw), path
        assert "accept-encoding" in vary_tokens(gz), (path, gz.header_all("Vary"))
        assert gz.header("Content-Type") == plain.header("Content-Type")


def test_gzip_refused_with_q0(ctx):
    s = ctx.server()
    c = s.client()
    for ae in ("gzip;q=0", "gzip; q=0", "gzip;q=0.0", "gzip;q=0.000", "br, gzip;q=0, deflate",
               "identity", "br"):
        r = c.get("/unit/sukamaju", headers={"Accept-Encoding": ae})
        assert r.status == 200
        assert r.header("Content-Encoding") is None, ae
        assert b"<main" in r.raw, ae
    for ae in ("gzip;q=0.5", "deflate, gzip", "gzip;q=1", "*"):
        r = c.get("/unit/sukamaju", headers={"Accept-Encoding": ae})
        if ae == "*":
            # `*` may or may not pick gzip; either way the body must be readable
            assert r.header("Content-Encoding") in (None, "gzip"), ae
            continue
        assert r.header("Content-Encoding") == "gzip", ae


def test_gzip_coding_name_is_case_insensitive(ctx):
    """RFC 9110 §8.4.1: content codings are case-insensitive."""
    s = ctx.server()
    r = s.client().get("/unit/sukamaju", headers={"Accept-Encoding": "GZIP"})
    assert r.header("Content-Encoding") == "gzip", r.headers


def test_home_page_with_css_under_30kb_compressed(ctx):
    s = ctx.server()
    c = s.client()
    total = 0
    for path in ("/", "/static/pendopo.css"):
        r = c.get(path, headers={"Accept-Encoding": "gzip"})
        assert r.status == 200
        total += len(r.raw)
    assert total < 30 * 1024, total
    # the same for the largest page of the demo tree
    total = len(c.get("/unit/sukamaju", headers={"Accept-Encoding": "gzip"}).raw) + len(
        c.get("/static/pendopo.css", headers={"Accept-Encoding": "gzip"}).raw)
    assert total < 30 * 1024, total


def test_error_responses_over_raw_socket_have_headers(ctx):
    """413 for a chunked body (no Content-Length) keeps the security headers and charset."""
    s = ctx.server(env={"PENDOPO_MAX_REQUEST": "2048"})
    r = raw(s, request_bytes("POST", "/", [("Content-Type", "application/x-www-form-urlencoded"),
                                           ("Transfer-Encoding", "chunked")]),
            chunks=[chunked(b"a=" + b"b" * 8000)])
    assert r is not None and r.status == 413, r
    assert r.header("Content-Security-Policy") == CSP
    assert r.header("X-Frame-Options") == "DENY"
    assert r.header("Content-Type") == "text/html; charset=utf-8"
