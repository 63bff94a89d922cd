"""Every route of the platform core: success paths with their content types, the not-found and
wrong-method answers, /healthz, /metrics (labels, loopback and token) and parallel requests."""
import re
import threading
import time

from run import serial, slow
from test_core_helpers import (assert_charset, assert_security_headers, main_of, raw,
                               request_bytes, with_csrf)

ROUTES_OK = [
    ("/", "text/html; charset=utf-8"),
    ("/unit", "text/html; charset=utf-8"),
    ("/unit/sukamaju", "text/html; charset=utf-8"),
    ("/unit/kec-cibening", "text/html; charset=utf-8"),
    ("/unit/desa-cibening", "text/html; charset=utf-8"),
    ("/unit/sukamaju/anak.csv", "text/csv; charset=utf-8"),
    ("/static/pendopo.css", "text/css; charset=utf-8"),
    ("/healthz", "application/json; charset=utf-8"),
    ("/api/v1/units", "application/json; charset=utf-8"),
    ("/api/v1/units/sukamaju", "application/json; charset=utf-8"),
]


def test_every_route_success_and_content_type(ctx):
    s = ctx.server()
    c = s.client()
    for path, ctype in ROUTES_OK:
        r = c.get(path)
        assert r.status == 200, (path, r)
        assert r.header("Content-Type") == ctype, (path, r.header("Content-Type"))
        assert_security_headers(r, path)
        if ctype.startswith("text/html"):
            main_of(r.text)
            assert r.text.lstrip().lower().startswith("<!doctype html>"), path
    r = c.get("/metrics")
    assert r.status == 200, r
    ct = r.header("Content-Type")
    assert ct.startswith("text/plain") and "charset=utf-8" in ct, ct


def test_unit_pages_show_the_tree(ctx):
    s = ctx.server()
    c = s.client()
    root = c.get("/unit").text
    assert 'href="/unit/jawa-barat"' in root, root
    page = main_of(c.get("/unit/sukamaju").text)
    assert "Kabupaten Sukamaju" in page
    assert 'href="/unit/kec-cibening"' in page and 'href="/unit/disdukcapil"' in page, page
    village = main_of(c.get("/unit/desa-cibening").text)
    # the crumbs name the ancestors from the top down
    assert village.index("/unit/jawa-barat") < village.index("/unit/sukamaju") < village.index(
        "/unit/kec-cibening"), village
    csv = c.get("/unit/sukamaju/anak.csv").text
    lines = csv.split("\r\n")
    assert lines[0] == "slug,kind,code,name", lines[:2]
    slugs = {ln.split(",")[0] for ln in lines[1:] if ln}
    assert {"kec-cibening", "disdukcapil"} <= slugs, slugs
    assert "desa-cibening" not in slugs  # children only, never the whole subtree


def test_api_units(ctx):
    s = ctx.server()
    c = s.client()
    top = c.get("/api/v1/units").json()
    assert set(top) == {"items", "next_cursor"} and top["next_cursor"] is None, top
    assert [u["slug"] for u in top["items"]] == ["jawa-barat"], top
    u = c.get("/api/v1/units/sukamaju").json()
    assert u["slug"] == "sukamaju" and u["kind"] == "regency" and u["ancestors"] == ["jawa-barat"], u
    kids = {k["slug"]: k for k in u["children"]}
    assert "kec-cibening" in kids and kids["kec-cibening"]["kind"] == "district", kids
    assert "desa-cibening" not in kids


def test_head_has_headers_and_no_body(ctx):
    s = ctx.server()
    for path in ("/", "/unit/sukamaju", "/api/v1/units", "/static/pendopo.css"):
        r = raw(s, request_bytes("HEAD", path))
        assert r is not None and r.status == 200, (path, r)
        assert r.body == b"", (path, r.body[:100])
        get = s.client().get(path)
        cl = r.header("Content-Length")
        assert cl is None or int(cl) in (0, len(get.raw)), (path, cl, len(get.raw))
        assert r.header("Content-Type") == get.header("Content-Type"), path
        assert_security_headers(r, "HEAD " + path)
        assert_charset(r, path)


def test_unknown_unit_is_a_404_page(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/unit/tidak-ada-unit-ini")
    assert r.status == 404, r
    assert r.header("Content-Type") == "text/html; charset=utf-8", r.header("Content-Type")
    m = main_of(r.text)
    assert "Unit organisasi ini tidak ada." in m, m  # says what happened
    assert "404" in m
    assert_security_headers(r, "unknown unit")
    r = c.get("/unit/tidak-ada-unit-ini/anak.csv")
    assert r.status == 404, r


def test_unknown_api_unit_is_a_json_404(ctx):
    s = ctx.server()
    r = s.client().get("/api/v1/units/nope")
    assert r.status == 404, r
    assert r.header("Content-Type") == "application/json; charset=utf-8", r.header("Content-Type")
    body = r.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == "not_found", body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"], body
    assert_security_headers(r, "api 404")


def test_unknown_paths_are_404(ctx):
    s = ctx.server()
    c = s.client()
    for path in ("/nope", "/unit/sukamaju/nope", "/static/nope.css", "/static/..%2f..%2fmeson.build",
                 "/unitx", "/api/v1/nope"):
        r = c.get(path)
        assert r.status == 404, (path, r)
        assert_security_headers(r, path)
    r = c.get("/nope")
    assert "Halaman atau data yang dicari tidak ada." in main_of(r.text)
    r = c.get("/api/v1/nope")
    assert r.json()["error"]["code"] == "not_found", r


def allow_set(r):
    return {m.strip() for m in (r.header("Allow") or "").split(",") if m.strip()}


def test_wrong_method_is_405_with_allow(ctx):
    s = ctx.server()
    c = s.client()
    tok = with_csrf(c)
    # HTML routes: with a valid CSRF token the CSRF check passes and routing answers 405.
    for method, path in (("DELETE", "/"), ("PUT", "/unit/sukamaju"), ("POST", "/unit"),
                         ("PATCH", "/unit/sukamaju/anak.csv")):
        r = c.request(method, path, body=b"", headers={"X-CSRF-Token": tok})
        assert r.status == 405, (method, path, r)
        assert allow_set(r) == {"GET", "HEAD"}, (method, path, r.header("Allow"))
        assert r.header("Content-Type") == "text/html; charset=utf-8"
        assert "405" in main_of(r.text)
        assert_security_headers(r, "405 " + path)
    # API routes: no CSRF, JSON error.
    for method, path in (("POST", "/api/v1/units"), ("DELETE", "/api/v1/units/sukamaju")):
        r = s.client().request(method, path, body=b"{}", headers={"Content-Type": "application/json"})
        assert r.status == 405, (method, path, r)
        assert allow_set(r) == {"GET", "HEAD"}, r.header("Allow")
        assert r.json()["error"]["code"] == "method_not_allowed", r


def test_wrong_method_on_operator_routes(ctx):
    """/healthz and /metrics are operators' JSON/text endpoints, not HTML forms: a POST is a
    405 with Allow, never a CSRF 403 page."""
    s = ctx.server()
    for path in ("/healthz", "/metrics"):
        r = s.client().request("POST", path, body=b"")
        assert r.status == 405, (path, r.status, r.body[:300])
        assert allow_set(r) == {"GET", "HEAD"}, (path, r.header("Allow"))
        assert r.header("Content-Type") == "application/json; charset=utf-8", r.header("Content-Type")
        assert r.json()["error"]["code"] == "method_not_allowed", r
        assert_security_headers(r, "POST " + path)


def test_healthz_exact(ctx):
    s = ctx.server()
    r = s.client().get("/healthz")
    assert r.status == 200
    h = r.json()
    assert set(h) == {"status", "backend", "schema_version"}, h
    assert h["status"] == "ok" and h["backend"] == s.backend, h
    assert isinstance(h["schema_version"], int) and h["schema_version"] >= 1, h
    # the version the server reports is the one `pendopo migrate` considers current
    out = s.cli("migrate").stdout
    m = re.search(r"version (\d+)", out)
    assert m and int(m.group(1)) == h["schema_version"], (out, h)


def metric_value(text, route, status, method="GET"):
    pat = r'^pendopo_http_requests_total\{route="%s",method="%s",status="%s"\} (\d+)$' % (
        re.escape(route), method, status)
    m = re.search(pat, text, re.M)
    return int(m.group(1)) if m else 0


def poll_metrics(c, cond, timeout=3.0):
    deadline = time.time() + timeout
    while True:
        r = c.get("/metrics")
        assert r.status == 200, r
        if cond(r.text) or time.time() > deadline:
            return r.text
        time.sleep(0.05)


def test_metrics_labelled_by_route_template(ctx):
    s = ctx.server()
    c = s.client()
    for slug in ("sukamaju", "kec-cibening", "desa-cibening"):
        assert c.get("/unit/" + slug).status == 200
    assert c.get("/unit/no-such-unit-xyz").status == 404
    assert c.get("/api/v1/units/sukamaju").status == 200
    assert c.get("/no-such-page-qwerty").status == 404
    text = poll_metrics(c, lambda t: metric_value(t, "/unit/{slug}", 200) >= 3 and
                        metric_value(t, "/unit/{slug}", 404) >= 1)
    assert metric_value(text, "/unit/{slug}", 200) == 3, text
    assert metric_value(text, "/unit/{slug}", 404) == 1, text
    assert metric_value(text, "/api/v1/units/{slug}", 200) == 1, text
    # never a concrete path as a label
    for concrete in ("sukamaju", "cibening", "no-such-unit-xyz", "no-such-page-qwerty"):
        assert concrete not in text, concrete
    # Prometheus text exposition: comments or `name{labels} value`
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        assert re.match(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"\n]*"'
                        r'(,[a-zA-Z_][a-zA-Z0-9_]*="[^"\n]*")*\})? -?[0-9.e+Inf]+$', line), line
    assert "# TYPE pendopo_http_requests_total counter" in text


def test_metrics_token_behind_trusted_proxy(ctx):
    s = ctx.server(env={"PENDOPO_METRICS_TOKEN": "m-3tr1cs-t0ken",
                        "PENDOPO_TRUSTED_PROXY": "127.0.0.1/32"})
    c = s.client()
    r = c.get("/metrics")  # loopback, no proxy header: open
    assert r.status == 200, r
    fwd = {"X-Forwarded-For": "203.0.113.9"}
    for auth in (None, "Bearer wrong", "Bearer m-3tr1cs-t0ken-x", "Bearer m-3tr1cs-t0ke",
                 "Basic m-3tr1cs-t0ken", "m-3tr1cs-t0ken"):
        h = dict(fwd)
        if auth:
            h["Authorization"] = auth
        r = c.get("/metrics", headers=h)
        assert r.status in (401, 403, 404), (auth, r)
        assert "pendopo_http_requests_total" not in r.body.decode("utf-8", "replace"), auth
        assert_security_headers(r, "metrics refused")
    h = dict(fwd, Authorization="Bearer m-3tr1cs-t0ken")
    r = c.get("/metrics", headers=h)
    assert r.status == 200, r
    assert "pendopo_http_requests_total" in r.text


def test_metrics_without_token_refuses_forwarded_clients(ctx):
    s = ctx.server(env={"PENDOPO_TRUSTED_PROXY": "127.0.0.1/32"})
    c = s.client()
    r = c.get("/metrics", headers={"X-Forwarded-For": "198.51.100.7"})
    assert r.status in (401, 403, 404), r
    assert b"pendopo_http_requests_total" not in r.body
    r = c.get("/metrics", headers={"X-Forwarded-For": "198.51.100.7", "Authorization": "Bearer "})
    assert r.status in (401, 403, 404), r


@serial
def test_fifty_parallel_gets(ctx):
    s = ctx.server()
    paths = ["/", "/unit", "/unit/sukamaju", "/unit/kec-cibening", "/api/v1/units",
             "/api/v1/units/sukamaju", "/static/pendopo.css", "/unit/sukamaju/anak.csv",
             "/healthz", "/unit/desa-cibening"]
    results = [None] * 50
    barrier = threading.Barrier(50)

    def work(i):
        c = s.client()
        try:
            barrier.wait(timeout=10)
            r = c.get(paths[i % len(paths)])
            results[i] = (r.status, len(r.body))
        except Exception as e:  # noqa: BLE001
            results[i] = ("error", repr(e))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    bad = [(paths[i % len(paths)], r) for i, r in enumerate(results) if not r or r[0] != 200]
    assert not bad, bad
    # the same path answers the same bytes every time
    by_path = {}
    for i, r in enumerate(results):
        by_path.setdefault(paths[i % len(paths)], set()).add(r[1])
    assert all(len(v) == 1 for p, v in by_path.items() if p != "/healthz"), by_path
    assert s.proc.poll() is None


@serial
def test_sigterm_stops_cleanly(ctx):
    s = ctx.server()
    assert s.client().get("/").status == 200
    t0 = time.time()
    rc = s.stop()
    assert rc == 0, (rc, s.read_log()[-1500:])
    assert time.time() - t0 < 10


@slow
def test_children_csv_comes_whole(ctx):
    """DESIGN §5: long tables come whole as CSV. A district with 520 units under it lists all
    520 in anak.csv, none silently dropped."""
    s = ctx.server()
    s.cli("unit", "add", "--slug", "kec-padat", "--name", "Kecamatan Padat", "--kind", "district",
          "--parent", "sukamaju", "--code", "32.19.98")
    n = 520
    for i in range(n):
        s.cli("unit", "add", "--slug", "upt-%03d" % i, "--name", "UPT %03d" % i, "--kind", "agency",
              "--parent", "kec-padat")
    c = s.client()
    csv = c.get("/unit/kec-padat/anak.csv")
    assert csv.status == 200
    rows = [ln for ln in csv.text.split("\r\n")[1:] if ln]
    assert len(rows) == n, len(rows)
    assert {r.split(",")[0] for r in rows} == {"upt-%03d" % i for i in range(n)}
    # the page shows them all or links onwards to the rest
    page = main_of(c.get("/unit/kec-padat").text)
    shown = len(re.findall(r'href="/unit/upt-\d+"', page))
    assert shown == n or re.search(r'href="[^"]*(cursor|after|halaman|setelah)=', page), shown
