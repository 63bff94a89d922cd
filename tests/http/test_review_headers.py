"""Response headers the review found wrong: gzip sent to a client that refused it, and an HTML
error page under a non-HTML route that could be cached with its cookie and language."""
from test_core_helpers import assert_security_headers, main_of, vary_tokens


def test_gzip_refusal_in_any_spelling(ctx):
    """RFC 9110 §12.5.3: parameter names are case-insensitive and "0." is a qvalue of zero;
    a coding listed with q=0 is refused even when "*" allows the rest."""
    s = ctx.server()
    c = s.client()
    for ae in ("GZIP;Q=0", "gzip;q=0.", "gzip; Q=0.00", "gzip;q=0, *", "*;q=0", "gzip;q=x",
               "gzipper", "identity"):
        r = c.get("/unit/sukamaju", headers={"Accept-Encoding": ae})
        assert r.status == 200, (ae, r)
        assert r.header("Content-Encoding") is None, ae
        assert b"<main" in r.raw, ae
    for ae in ("gzip", "GZip;Q=0.001", "x-gzip", "br;q=0, *", "identity, *;q=0.5",
               "deflate,gzip ; q=1"):
        r = c.get("/unit/sukamaju", headers={"Accept-Encoding": ae})
        assert r.header("Content-Encoding") == "gzip", (ae, r.headers)
        assert r.raw[:2] == b"\x1f\x8b", ae


def test_html_error_page_of_a_static_route_is_a_private_page(ctx):
    s = ctx.server()
    r = s.client().get("/static/nope.css", headers={"Accept-Language": "en"})
    assert r.status == 404, r
    assert r.header("Content-Type") == "text/html; charset=utf-8"
    main_of(r.text)
    assert_security_headers(r, "static 404")
    assert {"cookie", "accept-language"} <= vary_tokens(r), r.header_all("Vary")
    assert r.header("Set-Cookie"), r.headers  # a fresh pre-session CSRF cookie
    assert "no-store" in (r.header("Cache-Control") or ""), r.header("Cache-Control")
    # the asset itself stays public and cacheable
    r = s.client().get("/static/pendopo.css")
    assert r.status == 200 and "public" in r.header("Cache-Control"), r.headers
    assert r.header("Set-Cookie") is None
