"""Error answers and the order of checks of DESIGN §5: size 413 → malformed 400 → CSRF 403 →
rate limit 429 → … → 404 → 405; size limits with and without Content-Length; the limiter."""
import time

from run import serial, slow
from test_core_helpers import (alive, assert_security_headers, chunked, main_of, raw,
                               request_bytes, with_csrf)

FORM = "application/x-www-form-urlencoded"


def test_order_size_before_malformed_and_csrf(ctx):
    s = ctx.server(env={"PENDOPO_MAX_REQUEST": "4096"})
    c = s.client()
    bad = "a=%zz&b=%ff&" * 1000  # malformed and far beyond the limit, no CSRF cookie or token
    for path in ("/", "/nope", "/unit/sukamaju"):
        r = c.request("POST", path, body=bad, headers={"Content-Type": FORM, "Cookie": ""})
        assert r.status == 413, (path, r)
        assert r.header("Content-Type") == "text/html; charset=utf-8"
        assert "413" in main_of(r.text)
    # the same body sent chunked, without a Content-Length
    r = raw(s, request_bytes("POST", "/", [("Content-Type", FORM), ("Transfer-Encoding", "chunked")]),
            chunks=[chunked(bad.encode())])
    assert r is not None and r.status == 413, r
    # on the API the same answer is JSON
    r = c.request("POST", "/api/v1/units", body="{" * 8000, headers={"Content-Type": "application/json"})
    assert r.status == 413, r
    assert r.json()["error"]["code"] == "too_large", r
    alive(s, "413s")


def test_order_malformed_before_csrf(ctx):
    s = ctx.server()
    c = s.client()
    for body in ("a=%zz", "a=%f", "a=%", "a=%ff", "a=%C0%AF", "a=%ED%A0%80", "%ff=1",
                 "a=b&c=%e2%82"):
        for path in ("/", "/nope"):
            r = c.request("POST", path, body=body, headers={"Content-Type": FORM, "Cookie": ""})
            assert r.status == 400, (path, body, r)
            assert r.header("Content-Type") == "text/html; charset=utf-8"
            main_of(r.text)
            assert_security_headers(r, "400 " + body)
    alive(s, "malformed forms")


def test_order_csrf_before_not_found_and_method(ctx):
    s = ctx.server()
    c = s.client()
    c.get("/")  # holds a pd_csrf cookie, but sends no token
    for method, path in (("POST", "/"), ("POST", "/nope"), ("PUT", "/unit/sukamaju"),
                         ("DELETE", "/"), ("POST", "/unit/nope")):
        r = c.request(method, path, body="a=b", headers={"Content-Type": FORM})
        assert r.status == 403, (method, path, r)
        assert r.header("Content-Type") == "text/html; charset=utf-8"
        m = main_of(r.text)
        assert "403" in m
        assert "Formulir kedaluwarsa" in m, m  # says what happened and what to do
    # no cookie at all, token present: still refused
    tok = with_csrf(s.client())
    r = s.client().request("POST", "/", body="csrf=" + tok, headers={"Content-Type": FORM})
    assert r.status == 403, r
    # a token masking another secret is refused
    other = s.client()
    other_tok = with_csrf(other)
    r = c.request("POST", "/", body="csrf=" + other_tok, headers={"Content-Type": FORM})
    assert r.status == 403, r
    # the right token: CSRF passes and routing decides (no POST route: 405 / 404)
    tok = with_csrf(c)
    r = c.request("POST", "/", body="csrf=" + tok, headers={"Content-Type": FORM})
    assert r.status == 405, r
    r = c.request("POST", "/nope", body="csrf=" + tok, headers={"Content-Type": FORM})
    assert r.status == 404, r
    r = c.request("POST", "/", body="a=b", headers={"Content-Type": FORM, "X-CSRF-Token": tok})
    assert r.status == 405, r


def test_api_is_never_csrf_checked(ctx):
    s = ctx.server()
    c = s.client()  # no cookies at all
    r = c.request("POST", "/api/v1/units", body="{}", headers={"Content-Type": "application/json"})
    assert r.status == 405, r
    assert r.json()["error"]["code"] == "method_not_allowed"
    r = c.request("POST", "/api/v1/units/sukamaju", body="a=b", headers={"Content-Type": FORM})
    assert r.status == 405, r
    r = c.request("POST", "/api/v1/nope", body="{}", headers={"Content-Type": "application/json"})
    assert r.status == 404, r
    assert r.json()["error"]["code"] == "not_found"
    r = c.request("POST", "/api/v1/units", body='{"a": [1,', headers={"Content-Type": "application/json"})
    assert r.status == 400, r
    err = r.json()["error"]
    assert err["code"] == "bad_request" and err["message"], err


@serial
def test_order_csrf_before_rate_limit(ctx):
    s = ctx.server(env={"PENDOPO_RATE_LIMIT": "2"})
    c = s.client()
    tok = with_csrf(c)
    got = [c.request("DELETE", "/", headers={"X-CSRF-Token": tok}).status for _ in range(3)]
    assert got == [405, 405, 429], got
    # the limiter for this address and route is exhausted, yet a forged form is a 403
    r = c.request("DELETE", "/", body="a=b", headers={"Content-Type": FORM})
    assert r.status == 403, r


@serial
def test_order_rate_limit_before_not_found(ctx):
    s = ctx.server(env={"PENDOPO_RATE_LIMIT": "2"})
    c = s.client()
    got = [c.get("/nope-%d" % i).status for i in range(3)]
    assert got == [404, 404, 429], got


def test_413_with_content_length_then_keeps_serving(ctx):
    s = ctx.server(env={"PENDOPO_MAX_REQUEST": "8192", "PENDOPO_MAX_BODY": "4096"})
    c = s.client()
    tok = with_csrf(c)
    # beyond the form limit, within the request limit
    r = c.request("POST", "/", body="csrf=%s&a=%s" % (tok, "x" * 5000), headers={"Content-Type": FORM})
    assert r.status == 413, r
    # beyond the request limit
    r = c.request("POST", "/", body="csrf=%s&a=%s" % (tok, "x" * 20000), headers={"Content-Type": FORM})
    assert r.status == 413, r
    assert_security_headers(r, "413")
    for _ in range(3):
        assert c.get("/unit/sukamaju").status == 200
    # within both limits the same request is fine (405: no POST route)
    r = c.request("POST", "/", body="csrf=%s&a=%s" % (tok, "x" * 1000), headers={"Content-Type": FORM})
    assert r.status == 405, r
    alive(s, "413 with Content-Length")


def test_413_chunked_then_keeps_serving(ctx):
    s = ctx.server(env={"PENDOPO_MAX_REQUEST": "8192", "PENDOPO_MAX_BODY": "4096"})
    for path, ctype in (("/", FORM), ("/api/v1/units", "application/json")):
        body = (b"a=" + b"y" * 100000) if ctype == FORM else (b'{"a":"' + b"y" * 100000 + b'"}')
        r = raw(s, request_bytes("POST", path, [("Content-Type", ctype),
                                                ("Transfer-Encoding", "chunked")]),
                chunks=[chunked(body, 4096)])
        assert r is not None and r.status == 413, (path, r)
        if ctype != FORM:
            assert b'"too_large"' in r.body, r.body
    alive(s, "413 chunked")
    assert s.client().get("/").status == 200


def test_declared_oversize_refused_before_body(ctx):
    """A Content-Length beyond the limit is refused at once: the server answers 413 without
    waiting for (or asking for, with 100 Continue) a body it will never accept."""
    s = ctx.server(env={"PENDOPO_MAX_REQUEST": "4096"})
    head = [("Content-Type", FORM), ("Content-Length", "50000000")]
    r = raw(s, request_bytes("POST", "/", head), timeout=3)
    assert r is not None and r.status == 413, ("no Expect", r)
    r = raw(s, request_bytes("POST", "/", head + [("Expect", "100-continue")]), timeout=3)
    assert r is not None, "no answer within 3 s"
    assert 100 not in r.interim and r.status == 413, ("Expect: 100-continue", r.interim, r)
    alive(s, "declared oversize")


@serial
def test_rate_limit_429(ctx):
    s = ctx.server(env={"PENDOPO_RATE_LIMIT": "5"})
    c = s.client()
    got = [c.get("/api/v1/units").status for _ in range(5)]
    assert got == [200] * 5, got
    r = c.get("/api/v1/units")
    assert r.status == 429, r
    ra = r.header("Retry-After")
    assert ra is not None and ra.isdigit() and int(ra) >= 1, ra
    assert int(ra) <= 60, ra
    assert r.header("Content-Type") == "application/json; charset=utf-8"
    assert r.json()["error"]["code"] == "rate_limited", r
    assert_security_headers(r, "429 json")
    # an HTML route has its own budget and, once spent, answers with a page
    got = [c.get("/unit").status for _ in range(5)]
    assert got == [200] * 5, got
    r = c.get("/unit")
    assert r.status == 429, r
    assert r.header("Retry-After", ) and int(r.header("Retry-After")) >= 1
    assert r.header("Content-Type") == "text/html; charset=utf-8"
    m = main_of(r.text)
    assert "429" in m and "Terlalu banyak permintaan" in m, m
    # other routes still work
    assert c.get("/healthz").status == 200
    assert c.get("/unit/sukamaju/anak.csv").status == 200
    assert c.get("/api/v1/units/sukamaju").status == 200


@serial
def test_rate_limit_per_forwarded_client_only_from_trusted_proxy(ctx):
    s = ctx.server(env={"PENDOPO_RATE_LIMIT": "2", "PENDOPO_TRUSTED_PROXY": "127.0.0.1/32"})
    c = s.client()
    a = {"X-Forwarded-For": "198.51.100.1"}
    b = {"X-Forwarded-For": "198.51.100.2"}
    assert [c.get("/unit", headers=a).status for _ in range(3)] == [200, 200, 429]
    assert [c.get("/unit", headers=b).status for _ in range(2)] == [200, 200]
    # the proxy appends the real client: only the last entry counts, the first is forgeable
    forged = {"X-Forwarded-For": "203.0.113.50, 198.51.100.1"}
    assert c.get("/unit", headers=forged).status == 429

    # without a trusted proxy the header is ignored: no fresh budget by inventing addresses
    t = ctx.server(env={"PENDOPO_RATE_LIMIT": "2"})
    c = t.client()
    got = [c.get("/unit", headers={"X-Forwarded-For": "192.0.2.%d" % i}).status for i in range(3)]
    assert got == [200, 200, 429], got


@serial
@slow
def test_retry_after_is_honest(ctx):
    """After waiting Retry-After seconds a request goes through again (rate 60/min: 1 s)."""
    s = ctx.server(env={"PENDOPO_RATE_LIMIT": "60"})
    c = s.client()
    statuses = [c.get("/api/v1/units").status for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429, statuses[55:]
    r = c.get("/api/v1/units")
    assert r.status == 429
    wait = int(r.header("Retry-After"))
    assert 1 <= wait <= 2, wait
    time.sleep(wait + 0.1)
    assert c.get("/api/v1/units").status == 200
