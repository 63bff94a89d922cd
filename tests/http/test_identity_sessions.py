"""Identity: sessions and sign-in — CSRF with and without a session, a new token at sign-in,
server-side sign-out, password change ending other sessions, throttling, identical answers for
unknown email and wrong password with exactly one argon2id hash each, and 404 for another
account's session."""
import re
import time

from identity_util import (STRONG, metric, post_with_csrf, register, signin, without_csrf)
from run import serial


def new_account(s, addr, password=STRONG):
    c = s.client()
    r = register(c, addr, password=password)
    assert r.status == 303, r
    return c


def signed_in(s, addr, password=STRONG):
    c = s.client()
    r = signin(c, addr, password)
    assert r.status == 303, r
    return c


def test_identity_csrf_refused_with_and_without_session(ctx):
    s = ctx.server()
    new_account(s, "csrf@contoh.id")
    # Without a session: no token, a forged token, no cookie at all.
    c = s.client()
    c.get("/masuk")
    assert c.post_form("/masuk", {"email": "csrf@contoh.id", "password": STRONG}).status == 403
    assert c.post_form("/masuk", {"csrf": "A" * 86, "email": "csrf@contoh.id",
                                  "password": STRONG}).status == 403
    bare = s.client()
    token = c.csrf_from(c.get("/masuk").text)
    assert bare.post_form("/masuk", {"csrf": token, "email": "csrf@contoh.id",
                                     "password": STRONG}).status == 403
    # With a session: forms are bound to it, so a token from before sign-in no longer works.
    pre = c.csrf_from(c.get("/masuk").text)
    assert c.post_form("/masuk", {"csrf": pre, "email": "csrf@contoh.id", "password": STRONG}).status == 303
    assert c.post_form("/akun/bahasa", {"lang": "en"}).status == 403
    assert c.post_form("/akun/bahasa", {"csrf": pre, "lang": "en"}).status == 403
    other = signed_in(s, "csrf@contoh.id")
    foreign = other.csrf_from(other.get("/akun").text)
    assert c.post_form("/akun/bahasa", {"csrf": foreign, "lang": "en"}).status == 403
    r = post_with_csrf(c, "/akun", "/akun/bahasa", {"lang": "en"})
    assert r.status == 303 and r.header("Location") == "/akun?bahasa=1", r
    # Sign-out is a form too.
    assert c.post_form("/keluar", {}).status == 403
    assert c.get("/akun").status == 200


def test_identity_session_token_changes_at_signin(ctx):
    s = ctx.server()
    new_account(s, "token@contoh.id")
    c = s.client()
    c.cookies["pd_session"] = "fixated-by-an-attacker"
    r = signin(c, "token@contoh.id", STRONG)
    assert r.status == 303
    first = c.cookies["pd_session"]
    assert first != "fixated-by-an-attacker" and len(first) == 43
    cookie = [v for v in r.header_all("Set-Cookie") if v.startswith("pd_session=")][0]
    for attr in ("HttpOnly", "SameSite=Lax", "Path=/"):
        assert attr in cookie, cookie
    assert "Secure" not in cookie  # plain HTTP on loopback
    r = post_with_csrf(c, "/akun", "/masuk", {"email": "token@contoh.id", "password": STRONG})
    assert r.status == 303 and c.cookies["pd_session"] != first


def test_identity_signout_ends_session_server_side(ctx):
    s = ctx.server()
    new_account(s, "keluar@contoh.id")
    c = signed_in(s, "keluar@contoh.id")
    old = c.cookies["pd_session"]
    assert c.get("/akun").status == 200
    r = post_with_csrf(c, "/akun", "/keluar", {})
    assert r.status == 303 and r.header("Location") == "/masuk?keluar=1", r
    assert "pd_session" not in c.cookies
    replay = s.client()
    replay.cookies["pd_session"] = old
    r = replay.get("/akun")
    assert r.status == 303 and r.header("Location") == "/masuk?next=%2Fakun", r
    assert "pd_session" not in replay.cookies  # the dead cookie is cleared


def test_identity_signin_needed_and_next(ctx):
    s = ctx.server()
    new_account(s, "next@contoh.id")
    c = s.client()
    r = c.get("/akun?x=1")
    assert r.status == 303 and r.header("Location") == "/masuk?next=%2Fakun%3Fx%3D1", r
    r = signin(c, "next@contoh.id", STRONG, next_path="/akun?x=1")
    assert r.status == 303 and r.header("Location") == "/akun?x=1", r
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example", "akun"):
        r = signin(s.client(), "next@contoh.id", STRONG, next_path=evil)
        assert r.status == 303 and r.header("Location") == "/akun", (evil, r.header("Location"))
    # A POST needing a session without one is refused by CSRF first (no session secret).
    assert s.client().post_form("/akun/sesi", {}).status == 403


def test_identity_password_change_ends_other_sessions(ctx):
    s = ctx.server()
    new_account(s, "ganti@contoh.id")
    a, b = signed_in(s, "ganti@contoh.id"), signed_in(s, "ganti@contoh.id")
    page = a.get("/akun")
    assert page.text.count("/keluar\"><input") >= 1 or "Keluarkan" in page.text
    r = post_with_csrf(a, "/akun", "/akun/sandi", {"current": "salah sekali ini", "password": "baru dan panjang sekali"})
    assert r.status == 422 and 'id="pw-current-error"' in r.text, r
    r = post_with_csrf(a, "/akun", "/akun/sandi", {"current": STRONG, "password": "123qweasdzxc"})
    assert r.status == 422 and 'id="pw-new-error"' in r.text, r
    r = post_with_csrf(a, "/akun", "/akun/sandi", {"current": STRONG, "password": "baru dan panjang sekali"})
    assert r.status == 303 and r.header("Location") == "/akun?sandi=1", r
    assert a.get("/akun").status == 200
    assert b.get("/akun").status == 303
    assert signin(s.client(), "ganti@contoh.id", STRONG).status == 422
    assert signin(s.client(), "ganti@contoh.id", "baru dan panjang sekali").status == 303


def test_identity_sign_out_other_sessions_and_404_for_another_account(ctx):
    s = ctx.server()
    new_account(s, "a@contoh.id")
    new_account(s, "b@contoh.id")
    a = signed_in(s, "a@contoh.id")
    b1, b2 = signed_in(s, "b@contoh.id"), signed_in(s, "b@contoh.id")
    ids = re.findall(r'action="/akun/sesi/([0-9a-f-]{36})/keluar"', b1.get("/akun").text)
    assert len(ids) == 1, ids  # b2's session: the current one has no button
    # A citizen cannot end (or even find) another citizen's session: 404, and it lives on.
    r = post_with_csrf(a, "/akun", "/akun/sesi/%s/keluar" % ids[0], {})
    assert r.status == 404, r
    r = post_with_csrf(a, "/akun", "/akun/sesi/bukan-id/keluar", {})
    assert r.status == 404, r
    assert b2.get("/akun").status == 200
    r = post_with_csrf(b1, "/akun", "/akun/sesi/%s/keluar" % ids[0], {})
    assert r.status == 303, r
    assert b2.get("/akun").status == 303
    b3 = signed_in(s, "b@contoh.id")
    r = post_with_csrf(b1, "/akun", "/akun/sesi", {})
    assert r.status == 303 and b3.get("/akun").status == 303 and b1.get("/akun").status == 200


@serial
def test_identity_unknown_email_and_wrong_password_answer_alike(ctx):
    s = ctx.server()
    new_account(s, "sama@contoh.id")
    m = s.client()
    answers = []
    for addr in ("sama@contoh.id", "tidak.terdaftar@contoh.id"):
        c = s.client()
        page = c.get("/masuk")
        before = metric(m, "pendopo_password_hashes_total")
        r = c.post_form("/masuk", {"csrf": c.csrf_from(page.text), "email": addr,
                                   "password": "bukan kata sandinya"})
        after = metric(m, "pendopo_password_hashes_total")
        assert after - before == 1, (addr, before, after)
        answers.append((r.status, without_csrf(r.text), sorted(r.header_all("Set-Cookie"))))
    assert answers[0] == answers[1], "answers differ"
    assert answers[0][0] == 422 and "Email atau kata sandi salah" in answers[0][1]
    assert "sama@contoh.id" not in answers[0][1]


@serial
def test_identity_throttle(ctx):
    s = ctx.unstarted_server()
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    now = time.time() * 1000
    s.set_clock(now)
    s.start()
    new_account(s, "kunci@contoh.id")
    m = s.client()
    bodies = []
    for addr in ("kunci@contoh.id", "hantu@contoh.id"):
        c = s.client()
        for _ in range(5):
            assert signin(c, addr, "tebakan yang salah").status == 422
        before = metric(m, "pendopo_password_hashes_total")
        r = signin(c, addr, STRONG)  # the right password for the real account, still refused
        assert r.status == 429 and int(r.header("Retry-After")) > 0, r
        assert metric(m, "pendopo_password_hashes_total") == before  # no hash while locked
        assert "pd_session" not in c.cookies
        bodies.append(without_csrf(r.text))
    assert bodies[0] == bodies[1]  # a locked unknown address looks the same
    s.set_clock(now + 16 * 60 * 1000)
    assert signin(s.client(), "kunci@contoh.id", STRONG).status == 303


@serial
def test_identity_session_expiry(ctx):
    s = ctx.unstarted_server()
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    now = time.time() * 1000
    s.set_clock(now)
    s.start()
    rows = [l.split("\t") for l in open(s.data + "/demo-accounts.txt").read().splitlines()[1:]]
    officer = next(r for r in rows if r[0] == "officer")
    citizen = next(r for r in rows if r[0] == "citizen")
    staff, warga = s.client(), s.client()
    assert signin(staff, officer[2], officer[3]).status == 303
    assert signin(warga, citizen[2], citizen[3]).status == 303
    # Staff: 30 minutes idle end the session; activity keeps it (last_seen once a minute).
    s.set_clock(now + 20 * 60 * 1000)
    assert staff.get("/akun").status == 200
    time.sleep(0.5)  # last_seen is written after the answer, without making the client wait
    s.set_clock(now + 45 * 60 * 1000)
    assert staff.get("/akun").status == 200
    s.set_clock(now + 76 * 60 * 1000)
    r = staff.get("/akun")
    assert r.status == 303 and r.header("Location").startswith("/masuk"), r
    # Citizens have no idle limit, but 12 hours after sign-in every session ends.
    assert warga.get("/akun").status == 200
    s.set_clock(now + 11.9 * 3600 * 1000)
    assert warga.get("/akun").status == 200
    s.set_clock(now + 12 * 3600 * 1000 + 1000)
    assert warga.get("/akun").status == 303


def test_identity_host_prefixed_cookie_behind_https(ctx):
    s = ctx.server(env={"PENDOPO_PUBLIC_URL": "https://portal.example"})
    new_account(s, "https@contoh.id")
    c = s.client()
    r = signin(c, "https@contoh.id", STRONG)
    assert r.status == 303, r
    cookie = [v for v in r.header_all("Set-Cookie") if v.startswith("__Host-pd_session=")]
    assert cookie and "Secure" in cookie[0] and "Path=/" in cookie[0] and "HttpOnly" in cookie[0], r.headers
    assert "pd_session" not in c.cookies and c.get("/akun").status == 200
