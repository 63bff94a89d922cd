"""Identity: registration with email verification and password reset through a real SMTP
server, password rules, NIK checks and one account per NIK."""
import re
import time

from identity_util import (NIK, STRONG, link_in, local, mail_parts, post_with_csrf, register,
                           signin, smtp_server, wait_mail_to)


def test_identity_register_verify_through_smtp(ctx):
    s, smtp = smtp_server(ctx)
    c = s.client()
    r = register(c, "siti@contoh.id", phone="0812 3456 7890", village="desa-mekarsari", nik=NIK)
    assert r.status == 303 and r.header("Location") == "/masuk?terdaftar=1", r
    assert "pd_session" not in c.cookies
    msg = wait_mail_to(smtp, "siti@contoh.id")[0]
    to, subject, _ = mail_parts(msg)
    assert to == "siti@contoh.id" and "Verifikasi" in subject, (to, subject)
    link = link_in(msg, "/verifikasi-email")
    assert link.startswith("http://127.0.0.1:%d/" % s.port), link
    # Signed in but not verified yet.
    r = signin(c, "siti@contoh.id", STRONG)
    assert r.status == 303 and r.header("Location") == "/akun", r
    page = c.get("/akun")
    assert page.status == 200 and "belum diverifikasi" in page.text and "Siti Aminah" in page.text, page
    assert page.header("Cache-Control") == "no-store"
    assert "3219" in page.text and NIK not in page.text  # the NIK is shown masked
    # Following the link verifies; the link works once.
    r = c.get(local(link))
    assert r.status == 200 and "Email terverifikasi" in r.text, r
    page = c.get("/akun")
    assert "belum diverifikasi" not in page.text.split("Nomor telepon")[0], page.text[:3000]
    assert c.get(local(link)).status == 404
    # Registering again with the same address answers the same and makes no second account.
    other = s.client()
    r = register(other, "Siti@Contoh.id", name="Penyusup")
    assert r.status == 303 and r.header("Location") == "/masuk?terdaftar=1", r
    notice = wait_mail_to(smtp, "siti@contoh.id", 2)
    assert any("sudah memiliki akun" in mail_parts(m)[2] for m in notice)
    assert signin(other, "siti@contoh.id", STRONG).status == 303


def test_identity_password_reset_through_smtp(ctx):
    s, smtp = smtp_server(ctx, clock=True)
    now = time.time() * 1000
    c = s.client()
    assert register(c, "budi@contoh.id", name="Budi").status == 303
    wait_mail_to(smtp, "budi@contoh.id", 1)
    # Known and unknown addresses get the same answer.
    answers = []
    for addr in ("budi@contoh.id", "tidak.ada@contoh.id"):
        r = post_with_csrf(c, "/lupa-sandi", "/lupa-sandi", {"email": addr})
        answers.append((r.status, r.header("Location"), r.body))
    assert answers[0] == answers[1] and answers[0][0] == 303, answers
    msgs = wait_mail_to(smtp, "budi@contoh.id", 2)
    link = local(link_in(msgs[-1], "/atur-ulang-sandi"))
    time.sleep(0.5)
    assert not [m for m in smtp.messages() if mail_parts(m)[0] == "tidak.ada@contoh.id"]
    form = c.get(link)
    assert form.status == 200 and 'name="token"' in form.text, form
    new = "sepeda biru di tepi danau"
    r = c.post_form("/atur-ulang-sandi", {"csrf": c.csrf_from(form.text),
                                          "token": re.search(r'name="token" value="([^"]+)"', form.text).group(1),
                                          "password": new})
    assert r.status == 303 and r.header("Location") == "/masuk?sandi=1", r
    assert signin(s.client(), "budi@contoh.id", STRONG).status == 422
    assert signin(s.client(), "budi@contoh.id", new).status == 303
    # Single use: the link is refused the second time, both the page and the form.
    assert c.get(link).status == 404
    page = c.get("/lupa-sandi")
    token = link.split("token=")[1]
    r = c.post_form("/atur-ulang-sandi", {"csrf": c.csrf_from(page.text), "token": token,
                                          "password": "kata sandi lain yang panjang"})
    assert r.status == 404, r
    assert signin(s.client(), "budi@contoh.id", "kata sandi lain yang panjang").status == 422
    # Expired: a fresh link an hour and a minute later is refused.
    assert post_with_csrf(c, "/lupa-sandi", "/lupa-sandi", {"email": "budi@contoh.id"}).status == 303
    msgs = wait_mail_to(smtp, "budi@contoh.id", 3)
    late = local(link_in(msgs[-1], "/atur-ulang-sandi"))
    assert late != link
    s.set_clock(now + 61 * 60 * 1000)
    r = c.get(late)
    assert r.status == 404 and "kedaluwarsa" in r.text, r


def test_identity_weak_and_common_passwords_refused(ctx):
    s = ctx.server()
    c = s.client()
    for pw, words in (("xyzzy1", "12 karakter"), ("123qweasdzxc", "paling sering"),
                      ("QwErTy123456", "paling sering")):
        r = register(c, "lemah@contoh.id", password=pw)
        assert r.status == 422, (pw, r)
        m = re.search(r'<p class="field-error" id="password-error">([^<]+)</p>', r.text)
        assert m and words in m.group(1), (pw, r.text[:4000])
        assert 'aria-invalid="true"' in r.text and 'value="lemah@contoh.id"' in r.text
        assert pw not in r.text.split("</header>")[1]  # the password is never echoed
    assert signin(c, "lemah@contoh.id", "123qweasdzxc").status == 422
    # Twelve characters without composition rules are enough.
    assert register(c, "cukup@contoh.id", password="aaaa bbbb cc").status == 303


def test_identity_nik_rules(ctx):
    s = ctx.server()
    c = s.client()
    for bad in ("1234", "9919015708900001", "3219013213900001", "3219010000900001",
                "32190157089000012", "3200015708900001"):
        r = register(c, "nik@contoh.id", nik=bad)
        assert r.status == 422 and 'id="nik-error"' in r.text, (bad, r)
    assert register(c, "pertama@contoh.id", nik=NIK).status == 303
    # The same NIK written differently binds to the same account: a second one is refused.
    r = register(s.client(), "kedua@contoh.id", nik="3219.0157.0890.0001")
    assert r.status == 422 and "sudah terdaftar" in r.text, r
    assert signin(s.client(), "kedua@contoh.id", STRONG).status == 422
    # A man's date (day without +40) from another province is accepted too.
    assert register(s.client(), "ketiga@contoh.id", nik="7371011708900002").status == 303
    # An unknown village is refused beside the field.
    r = register(s.client(), "desa@contoh.id", village="sukamaju")
    assert r.status == 422 and 'id="village-error"' in r.text, r


def test_identity_email_change_reverifies(ctx):
    s, smtp = smtp_server(ctx)
    c = s.client()
    assert register(c, "lama@contoh.id", name="Ganti Email").status == 303
    first = wait_mail_to(smtp, "lama@contoh.id")[0]
    assert c.get(local(link_in(first, "/verifikasi-email"))).status == 200
    assert signin(c, "lama@contoh.id", STRONG).status == 303
    # Wrong password, a malformed address, its own address, another account's: refused.
    assert register(s.client(), "dipakai@contoh.id").status == 303
    for fields, field_id in (({"email": "baru@contoh.id", "current": "salah sekali ya"}, "email-current-error"),
                             ({"email": "bukan-email", "current": STRONG}, "email-new-error"),
                             ({"email": "LAMA@contoh.id", "current": STRONG}, "email-new-error"),
                             ({"email": "dipakai@contoh.id", "current": STRONG}, "email-new-error")):
        r = post_with_csrf(c, "/akun", "/akun/email", fields)
        assert r.status == 422 and 'id="%s"' % field_id in r.text, (fields, r)
    r = post_with_csrf(c, "/akun", "/akun/email", {"email": "Baru@Contoh.id", "current": STRONG})
    assert r.status == 303 and r.header("Location") == "/akun?email=1", r
    notice = wait_mail_to(smtp, "lama@contoh.id", 2)[-1]
    assert "diubah" in mail_parts(notice)[1]
    link = local(link_in(wait_mail_to(smtp, "baru@contoh.id")[0], "/verifikasi-email"))
    page = c.get("/akun")
    assert "baru@contoh.id" in page.text and "belum diverifikasi" in page.text
    # A new link can be asked for; either link verifies the new address.
    assert post_with_csrf(c, "/akun", "/akun/verifikasi", {}).status == 303
    wait_mail_to(smtp, "baru@contoh.id", 2)
    assert c.get(link).status == 200
    assert "belum diverifikasi" not in c.get("/akun").text.split("<h2")[0]
    assert signin(s.client(), "lama@contoh.id", STRONG).status == 422
    assert signin(s.client(), "baru@contoh.id", STRONG).status == 303
