"""The server starts on the demo data and serves the home page and its health."""


def test_home_and_health(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/")
    assert r.status == 200, r
    assert r.header("Content-Type") == "text/html; charset=utf-8"
    assert r.text.count("<main") == 1
    h = c.get("/healthz").json()
    assert h["status"] == "ok" and h["backend"] == s.backend and h["schema_version"] >= 1, h
