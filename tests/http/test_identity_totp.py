"""Identity: TOTP for staff (RFC 6238) — enrolment in /akun with the secret and an inline SVG
QR code, sign-in with a second step that is not a session, a code reused within its window
refused with the wrong code's answer (and logged and audited as totp_replay), single-use
recovery codes, wrong codes throttled like passwords, an administrator requiring TOTP for a
subtree (enrolment forced at sign-in) and 404 for an administrator of another subtree. Codes
are computed here from the secret shown on the page, with the server on a test clock."""
import base64
import hashlib
import hmac
import os
import re
import struct
import time

from identity_util import STRONG, post_with_csrf, signin, without_csrf
from run import serial

SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')
RECOVERY_RE = re.compile(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>")
WRONG = "Kode salah atau sudah dipakai"


def totp(secret, ms, digits=6):
    """RFC 6238 with HMAC-SHA1 and 30-second steps, from the base32 secret as shown."""
    s = secret.replace(" ", "")
    key = base64.b32decode(s + "=" * (-len(s) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(ms) // 1000 // 30), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


def not_a_code(secret, ms):
    """Six digits that are no valid code one step either side of ms."""
    valid = {totp(secret, ms + d * 30000) for d in (-1, 0, 1)}
    return next(c for c in ("123456", "654321", "111111") if c not in valid)


def clocked_server(ctx):
    s = ctx.unstarted_server()
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    now = (int(time.time()) // 30 * 30 + 5) * 1000  # 5 s into a step
    s.set_clock(now)
    s.start()
    return s, now


def add_staff(s, addr, role="officer", unit="disdukcapil"):
    s.cli("user", "add", "--email", addr, "--name", "Petugas Uji", "--role", role, "--unit", unit,
          stdin=STRONG + "\n")


def signed_in(s, addr):
    c = s.client()
    r = signin(c, addr, STRONG)
    assert r.status == 303 and r.header("Location") == "/akun", r
    return c


def to_second_step(s, addr, where="/masuk/kode"):
    """Password right: half signed in, no session yet."""
    c = s.client()
    r = signin(c, addr, STRONG)
    assert r.status == 303 and r.header("Location") == where, (r, r.header("Location"))
    assert "pd_session" not in c.cookies and "pd_signin" in c.cookies, c.cookies
    assert c.get("/akun").status == 303  # not signed in
    return c


def send_code(c, code, path="/masuk/kode"):
    page = c.get(path)
    assert page.status == 200, page
    return c.post_form(path, {"csrf": c.csrf_from(page.text), "code": code})


def enrol_in_account(c, now):
    """Enrols through /akun/totp; returns the secret and the recovery codes."""
    r = post_with_csrf(c, "/akun/totp", "/akun/totp/mulai", {})
    assert r.status == 303 and r.header("Location") == "/akun/totp", r
    page = c.get("/akun/totp")
    assert page.status == 200 and "<svg" in page.text and 'role="img"' in page.text, page
    assert "<script" not in page.text
    secret = SECRET_RE.search(page.text).group(1)
    assert len(secret.replace(" ", "")) == 32
    r = post_with_csrf(c, "/akun/totp", "/akun/totp", {"code": not_a_code(secret, now)})
    assert r.status == 422 and 'id="totp-code-error"' in r.text and WRONG in r.text, r
    r = post_with_csrf(c, "/akun/totp", "/akun/totp", {"code": totp(secret, now)})
    assert r.status == 200, r
    codes = RECOVERY_RE.findall(r.text)
    assert len(codes) == 10 and len(set(codes)) == 10, codes
    assert "Aktif sejak" in c.get("/akun/totp").text
    return secret, codes


@serial
def test_identity_totp_enrol_signin_replay_and_recovery(ctx):
    s, now = clocked_server(ctx)
    addr = "totp.petugas@contoh.id"
    add_staff(s, addr)
    c = signed_in(s, addr)  # no TOTP yet: the password alone
    assert "/akun/totp" in c.get("/akun").text
    secret, recovery = enrol_in_account(c, now)
    # Neither the secret nor a recovery code is stored in clear.
    raw = base64.b32decode(secret.replace(" ", ""))
    db = os.path.join(s.data, "pendopo.db")
    if os.path.exists(db):
        data = open(db, "rb").read() + (open(db + "-wal", "rb").read() if os.path.exists(db + "-wal") else b"")
        assert raw not in data and secret.replace(" ", "").encode() not in data
        assert all(code.encode() not in data for code in recovery)

    # The code that confirmed enrolment cannot sign in; the next step's code can.
    s.set_clock(now + 30000)
    c2 = to_second_step(s, addr)
    assert send_code(c2, totp(secret, now)).status == 422
    code = totp(secret, now + 30000)
    r = send_code(c2, code)
    assert r.status == 303 and r.header("Location") == "/akun", r
    assert "pd_session" in c2.cookies and "pd_signin" not in c2.cookies
    assert c2.get("/akun").status == 200

    # The same code again within its window: refused with the wrong code's answer, logged and
    # audited.
    s.set_clock(now + 40000)
    c3 = to_second_step(s, addr)
    replayed = send_code(c3, code)
    wrong = send_code(c3, not_a_code(secret, now + 40000))
    assert replayed.status == 422 and wrong.status == 422
    assert WRONG in replayed.text and without_csrf(replayed.text) == without_csrf(wrong.text)
    assert "pd_session" not in c3.cookies
    deadline = time.time() + 5
    while "event=totp_replay" not in s.read_log() and time.time() < deadline:
        time.sleep(0.05)
    assert "event=totp_replay" in s.read_log()
    assert secret.replace(" ", "") not in s.read_log() and code not in s.read_log()
    rows = s.sql("SELECT COUNT(*) FROM audit_log WHERE action = ?", ("account.totp_replay",))
    assert rows[0][0] >= 1, rows
    assert s.cli("audit", "verify").returncode == 0
    # The pending sign-in lives on for a fresh code.
    s.set_clock(now + 60000)
    r = send_code(c3, totp(secret, now + 60000))
    assert r.status == 303 and c3.get("/akun").status == 200, r
    # A used pending token is gone: its cookie no longer leads anywhere.
    stale = s.client()
    stale.get("/masuk")
    stale.cookies["pd_signin"] = "A" * 43
    r = stale.get("/masuk/kode")
    assert r.status == 303 and r.header("Location") == "/masuk?kedaluwarsa=1", r

    # A recovery code works once, and not twice.
    c4 = to_second_step(s, addr)
    r = send_code(c4, recovery[0].upper())
    assert r.status == 303 and c4.get("/akun").status == 200, r
    assert "<dd>9</dd>" in c4.get("/akun/totp").text  # nine left
    c5 = to_second_step(s, addr)
    r = send_code(c5, recovery[0])
    assert r.status == 422 and WRONG in r.text, r
    r = send_code(c5, recovery[1])
    assert r.status == 303, r

    # Disabling takes a current code; afterwards the password alone signs in.
    s.set_clock(now + 120000)
    r = post_with_csrf(c5, "/akun/totp", "/akun/totp/nonaktif", {"code": not_a_code(secret, now + 120000)})
    assert r.status == 422 and 'id="totp-off-code-error"' in r.text, r
    r = post_with_csrf(c5, "/akun/totp", "/akun/totp/nonaktif", {"code": totp(secret, now + 120000)})
    assert r.status == 303 and r.header("Location") == "/akun/totp?nonaktif=1", r
    signed_in(s, addr)


@serial
def test_identity_totp_wrong_codes_throttled(ctx):
    s, now = clocked_server(ctx)
    addr = "totp.kunci@contoh.id"
    add_staff(s, addr)
    secret, _ = enrol_in_account(signed_in(s, addr), now)
    s.set_clock(now + 30000)
    c = to_second_step(s, addr)
    bad = not_a_code(secret, now + 30000)
    for _ in range(5):
        assert send_code(c, bad).status == 422
    # Five failures lock the account as five wrong passwords do; the pending sign-in is over.
    r = c.post_form("/masuk/kode", {"csrf": c.csrf_from(c.get("/masuk").text),
                                    "code": totp(secret, now + 30000)})
    assert r.status == 303 and r.header("Location") == "/masuk?kedaluwarsa=1", r
    r = signin(s.client(), addr, STRONG)
    assert r.status == 429 and int(r.header("Retry-After")) > 0, r
    s.set_clock(now + 16 * 60 * 1000)
    c = to_second_step(s, addr)
    r = send_code(c, totp(secret, now + 16 * 60 * 1000))
    assert r.status == 303 and c.get("/akun").status == 200, r


def demo_admin(s):
    rows = [l.split("\t") for l in open(s.data + "/demo-accounts.txt").read().splitlines()[1:]]
    admin = next(r for r in rows if r[0] == "administrator" and r[1] == "sukamaju")
    c = s.client()
    assert signin(c, admin[2], admin[3]).status == 303
    return c


def test_identity_totp_required_for_subtree(ctx):
    s, now = clocked_server(ctx)
    officer = "totp.wajib@contoh.id"
    add_staff(s, officer)
    add_staff(s, "admin.cibening@contoh.id", role="administrator", unit="kec-cibening")
    other = signed_in(s, "admin.cibening@contoh.id")  # signed in before the rule exists
    admin = demo_admin(s)
    path = "/admin/unit/sukamaju/keamanan"

    # An administrator of another subtree cannot see or set it.
    assert other.get(path).status == 404
    page = other.get("/admin/unit/kec-cibening/keamanan")
    assert page.status == 200, page
    r = other.post_form(path, {"csrf": other.csrf_from(page.text), "totp_required": "1"})
    assert r.status == 404, r
    assert s.client().get(path).status == 303  # anonymous: sign in first
    officer_client = signed_in(s, officer)
    assert officer_client.get(path).status == 404
    assert officer_client.get("/admin/unit/tidak-ada/keamanan").status == 404

    page = admin.get(path)
    assert page.status == 200 and 'name="totp_required"' in page.text and "checked" not in page.text
    r = post_with_csrf(admin, path, path, {"totp_required": "ya"})
    assert r.status == 422 and 'id="totp-required-error"' in r.text, r
    assert admin.post_form(path, {"totp_required": "1"}).status == 403  # no CSRF token
    r = post_with_csrf(admin, path, path, {"totp_required": "1"})
    assert r.status == 303 and r.header("Location") == path + "?disimpan=1", r
    assert "checked" in admin.get(path).text
    assert "Kabupaten Sukamaju" in other.get("/admin/unit/kec-cibening/keamanan").text  # inherited
    rows = s.sql("SELECT COUNT(*) FROM audit_log WHERE action = ?", ("unit.totp_policy",))
    assert rows[0][0] == 1, rows

    # The officer of disdukcapil (under sukamaju) without TOTP goes to enrolment first.
    c = to_second_step(s, officer, where="/masuk/totp")
    page = c.get("/masuk/totp")
    assert page.status == 200 and "<svg" in page.text and "mewajibkan" in page.text, page
    secret = SECRET_RE.search(page.text).group(1)
    r = c.post_form("/masuk/totp", {"csrf": c.csrf_from(page.text), "code": not_a_code(secret, now)})
    assert r.status == 422 and 'id="totp-code-error"' in r.text and "pd_session" not in c.cookies, r
    r = send_code(c, totp(secret, now), path="/masuk/totp")
    assert r.status == 200 and len(RECOVERY_RE.findall(r.text)) == 10, r
    assert "pd_session" in c.cookies and c.get("/akun").status == 200
    # Required: no way to turn it off, and the next sign-in asks for a code.
    page = c.get("/akun/totp")
    assert "/akun/totp/nonaktif" not in page.text and "tidak dapat dinonaktifkan" in page.text
    s.set_clock(now + 30000)
    c2 = to_second_step(s, officer)
    assert send_code(c2, totp(secret, now + 30000)).status == 303
    # A citizen has no TOTP page.
    citizen = s.client()
    rows = [l.split("\t") for l in open(s.data + "/demo-accounts.txt").read().splitlines()[1:]]
    warga = next(r for r in rows if r[0] == "citizen")
    assert signin(citizen, warga[2], warga[3]).status == 303
    assert citizen.get("/akun/totp").status == 404
    assert citizen.get(path).status == 404
