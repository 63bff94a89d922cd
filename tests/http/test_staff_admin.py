"""Staff administration on the web (/admin/pengguna): the demo administrator of Kabupaten
Sukamaju invites an officer of Disdukcapil, who sets a password through the link in the mail
and signs in; the grant's revocation closes the staff pages at the officer's next request; an
administrator of a sibling subtree sees nothing of that officer; the rules on administrator
grants and on one's own account; disabling; and the "identity-purge" job removing expired
sessions, spent links and stale throttle rows once the clock has moved past them."""
import os
import re
import time

from identity_util import (STRONG, link_in, local, mail_parts, signin, smtp_server,
                           wait_mail_to)

ADMIN_UNIT = "sukamaju"
OFFICER = ("rahmat.hidayat@sukamaju.example", "Rahmat Hidayat")
NEW_PASSWORD = "teh manis di beranda pagi"


def demo(s, role, unit):
    """(email, password) of the demo account with this role on this unit."""
    with open(os.path.join(s.data, "demo-accounts.txt")) as f:
        for line in f.read().splitlines()[1:]:
            r = line.split("\t")
            if r[0] == role and r[1] == unit:
                return r[2], r[3]
    raise AssertionError("no demo %s on %s" % (role, unit))


def signed_in(s, email, password):
    c = s.client()
    r = signin(c, email, password)
    assert r.status == 303, (email, r)
    return c


def csrf(c):
    page = c.get("/akun")
    assert page.status == 200, page
    return c.csrf_from(page.text)


def post(c, path, fields):
    f = {"csrf": csrf(c)}
    f.update(fields)
    return c.post_form(path, f)


def create(c, name, email, role, unit):
    return post(c, "/admin/pengguna", {"name": name, "email": email, "role": role, "unit": unit})


def created_id(r):
    assert r.status == 303, r
    m = re.match(r"/admin/pengguna/([0-9a-f-]{36})\?dibuat=1$", r.header("Location"))
    assert m, r.header("Location")
    return m.group(1)


def field_error(r, field_id):
    m = re.search(r'<p class="field-error" id="%s-error">([^<]+)</p>' % re.escape(field_id), r.text)
    return m.group(1) if m else None


def test_staff_admin_invite_signin_revoke_and_subtrees(ctx):
    s, smtp = smtp_server(ctx)
    admin = signed_in(s, *demo(s, "administrator", ADMIN_UNIT))

    # The directory: the regency's staff with their roles, as name and work email.
    page = admin.get("/admin/pengguna")
    assert page.status == 200 and page.header("Cache-Control") == "no-store", page
    assert "petugas.disdukcapil@sukamaju.example" in page.text and "Budi Santoso" in page.text
    assert "warga1@sukamaju.example" not in page.text  # citizens are not staff
    narrow = admin.get("/admin/pengguna?unit=disdukcapil")
    assert narrow.status == 200 and "Budi Santoso" in narrow.text
    assert "Rina Wulandari" not in narrow.text  # the officer of Desa Mekarsari is elsewhere
    assert admin.get("/admin/pengguna?unit=jawa-barat").status == 404  # above the reach
    assert admin.get("/admin/pengguna?setelah=bukan-id").status == 400

    # Refused forms: 422 with the message beside each field, nothing made, nothing sent.
    r = create(admin, "", "bukan-email", "citizen", "")
    assert r.status == 422, r
    for field in ("staff-name", "staff-email", "staff-role", "staff-unit"):
        assert field_error(r, field), (field, r.text[-3000:])
    assert 'value="bukan-email"' in r.text
    # The administrator role on the administrator's own unit: a peer, refused (403); a unit
    # above or outside its subtree does not exist for it (404).
    assert create(admin, "Calon Admin", "calon@sukamaju.example", "administrator", ADMIN_UNIT).status == 403
    assert create(admin, "Orang Provinsi", "prov@sukamaju.example", "officer", "jawa-barat").status == 404

    # The invitation: an officer of Disdukcapil, with no password chosen by the administrator.
    r = create(admin, OFFICER[1], OFFICER[0], "officer", "disdukcapil")
    officer_id = created_id(r)
    page = admin.get(r.header("Location"))
    assert page.status == 200 and OFFICER[1] in page.text and OFFICER[0] in page.text, page
    assert "Dinas Kependudukan dan Pencatatan Sipil" in page.text
    r = create(admin, "Orang Lain", OFFICER[0].upper(), "officer", "disdukcapil")
    assert r.status == 422 and field_error(r, "staff-email"), r  # the address has an account
    assert signin(s.client(), OFFICER[0], STRONG).status == 422  # no password yet

    mail = wait_mail_to(smtp, OFFICER[0])[0]
    to, subject, body = mail_parts(mail)
    assert subject == "Akun petugas Anda telah dibuat" and "72 jam" in body, (subject, body)
    link = local(link_in(mail, "/atur-ulang-sandi"))
    c = s.client()
    form = c.get(link)
    assert form.status == 200, form
    token = link.split("token=", 1)[1]
    r = c.post_form("/atur-ulang-sandi", {"csrf": c.csrf_from(form.text), "token": token,
                                          "password": NEW_PASSWORD})
    assert r.status == 303 and r.header("Location") == "/masuk?sandi=1", r
    assert c.get(link).status == 404  # single use
    officer = signed_in(s, OFFICER[0], NEW_PASSWORD)
    assert officer.get("/kantor/warga/nik").status == 200  # a staff page of officers
    assert officer.get("/admin/pengguna").status == 404  # not an administrator
    assert officer.get("/admin/pengguna/%s" % officer_id).status == 404

    # Every change in the audit log by the administrator, with ids only.
    rows = s.sql("SELECT action, actor, unit_id, details FROM audit_log WHERE object_id = ? "
                 "ORDER BY seq", (officer_id,))
    actions = [row[0] for row in rows]
    for want in ("account.register", "account.grant", "account.invite"):
        assert want in actions, (want, actions)
    admin_actor = rows[0][1]
    assert admin_actor.startswith("account:") and admin_actor != "account:" + officer_id
    assert all(row[1] == admin_actor for row in rows
               if row[0] in ("account.register", "account.grant", "account.invite")), rows
    text = repr(s.sql("SELECT * FROM audit_log"))
    for secret in (OFFICER[0], OFFICER[1], NEW_PASSWORD):
        assert secret not in text, secret

    # An administrator of a sibling subtree (Kecamatan Cibening) sees nothing of that officer.
    s.cli("user", "add", "--email", "admin.cibening@sukamaju.example", "--name", "Admin Cibening",
          "--role", "administrator", "--unit", "kec-cibening", stdin=STRONG + "\n")
    sibling = signed_in(s, "admin.cibening@sukamaju.example", STRONG)
    own = sibling.get("/admin/pengguna")
    assert own.status == 200 and "Admin Cibening" in own.text and OFFICER[0] not in own.text, own
    assert sibling.get("/admin/pengguna?unit=disdukcapil").status == 404
    assert sibling.get("/admin/pengguna/%s" % officer_id).status == 404
    for path, fields in (("/peran", {"role": "officer", "unit": "desa-cibening"}),
                         ("/peran/cabut", {"role": "officer", "unit": "disdukcapil"}),
                         ("/nonaktif", {})):
        r = post(sibling, "/admin/pengguna/%s%s" % (officer_id, path), fields)
        assert r.status == 404, (path, r)
    # … nor may it reach above itself: its own unit's administrator role is the regency's to give.
    sib_id = re.search(r'href="/admin/pengguna/([0-9a-f-]{36})"', own.text).group(1)
    assert post(sibling, "/admin/pengguna/%s/peran" % sib_id,
                {"role": "officer", "unit": "desa-cibening"}).status == 403  # itself
    assert create(sibling, "Camat", "camat@sukamaju.example", "administrator", "kec-cibening").status == 403
    r = create(sibling, "Admin Desa", "admin.desa@sukamaju.example", "administrator", "desa-cibening")
    assert r.status == 303, r  # below its unit: allowed

    # The regency's administrator grants and revokes within its subtree; its own account it
    # only sees.
    r = post(admin, "/admin/pengguna/%s/peran" % officer_id, {"role": "moderator", "unit": "dinsos"})
    assert r.status == 303 and r.header("Location").endswith("?disimpan=1"), r
    page = admin.get("/admin/pengguna/%s" % officer_id)
    assert "Moderator" in page.text and "Dinas Sosial" in page.text
    assert post(admin, "/admin/pengguna/%s/peran" % officer_id,
                {"role": "administrator", "unit": ADMIN_UNIT}).status == 403
    r = post(admin, "/admin/pengguna/%s/peran" % officer_id, {"role": "pemimpin", "unit": "dinsos"})
    assert r.status == 422 and field_error(r, "grant-role"), r
    assert post(admin, "/admin/pengguna/%s/peran/cabut" % officer_id,
                {"role": "moderator", "unit": "dinsos"}).status == 303
    admin_id = re.search(r'href="/admin/pengguna/([0-9a-f-]{36})">[^<]*</a> \(', admin.get(
        "/admin/pengguna").text).group(1)
    mine = admin.get("/admin/pengguna/%s" % admin_id)
    assert mine.status == 200 and "/nonaktif" not in mine.text and "/peran/cabut" not in mine.text
    assert post(admin, "/admin/pengguna/%s/nonaktif" % admin_id, {}).status == 403
    assert post(admin, "/admin/pengguna/%s/peran/cabut" % admin_id,
                {"role": "administrator", "unit": ADMIN_UNIT}).status == 403

    # Revoking the officer's grant: the next request to a staff page is 404.
    assert officer.get("/kantor/warga/nik").status == 200
    r = post(admin, "/admin/pengguna/%s/peran/cabut" % officer_id,
             {"role": "officer", "unit": "disdukcapil"})
    assert r.status == 303 and r.header("Location").endswith("?dicabut=1"), r
    assert officer.get("/kantor/warga/nik").status == 404
    assert "account.revoke" in [row[0] for row in s.sql(
        "SELECT action FROM audit_log WHERE object_id = ?", (officer_id,))]


def test_staff_admin_disable(ctx):
    s, smtp = smtp_server(ctx)
    admin = signed_in(s, *demo(s, "administrator", ADMIN_UNIT))
    staff_id = created_id(create(admin, "Sri Mulyani", "sri@sukamaju.example", "supervisor",
                                 "kec-pasirlaya"))
    link = local(link_in(wait_mail_to(smtp, "sri@sukamaju.example")[0], "/atur-ulang-sandi"))
    r = post(admin, "/admin/pengguna/%s/nonaktif" % staff_id, {})
    assert r.status == 303 and r.header("Location").endswith("?dinonaktifkan=1"), r
    page = admin.get("/admin/pengguna/%s" % staff_id)
    assert page.status == 200 and "nonaktif" in page.text and "/nonaktif\"" not in page.text
    assert s.client().get(link).status == 404  # the unused link ended with the account
    assert post(admin, "/admin/pengguna/%s/peran" % staff_id,
                {"role": "officer", "unit": "kec-pasirlaya"}).status == 403
    # A staff member who also works outside the administrator's subtree is not its to disable.
    s.cli("user", "grant", "--email", "petugas.disdukcapil@sukamaju.example", "--role", "officer",
          "--unit", "jawa-barat")
    page = admin.get("/admin/pengguna?unit=disdukcapil")
    other = re.search(r'href="/admin/pengguna/([0-9a-f-]{36})">Budi Santoso</a>', page.text).group(1)
    assert post(admin, "/admin/pengguna/%s/nonaktif" % other, {}).status == 403
    detail = admin.get("/admin/pengguna/%s" % other).text
    assert "Provinsi Jawa Barat" not in detail  # grants outside the subtree are not shown
    acts = s.sql("SELECT COUNT(*) FROM audit_log WHERE object_id = ? AND action = 'account.disable'",
                 (staff_id,))
    assert acts[0][0] == 1, acts


def count(s, table):
    return s.sql("SELECT COUNT(*) FROM %s" % table)[0][0]


def test_staff_admin_purge_job(ctx):
    s = ctx.unstarted_server()
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    now = time.time() * 1000
    s.set_clock(now)
    s.start()
    email, password = demo(s, "officer", "disdukcapil")
    signed_in(s, email, password)
    signed_in(s, *demo(s, "citizen", "desa-mekarsari"))
    c = s.client()
    assert signin(c, email, "bukan kata sandi yang benar").status == 422  # throttle rows
    page = c.get("/lupa-sandi")
    assert c.post_form("/lupa-sandi", {"csrf": c.csrf_from(page.text), "email": email}).status == 303
    before = {t: count(s, t) for t in ("account_session", "account_token", "signin_throttle")}
    assert all(before.values()), before

    # Past the 12-hour life of every session and past the job's interval: the job runs and the
    # rows go, in batches (the result names counts only).
    s.set_clock(now + 13 * 3600 * 1000)
    deadline = time.time() + 30
    result = ""
    while time.time() < deadline:
        after = {t: count(s, t) for t in before}
        result = s.sql("SELECT last_result FROM job_schedule WHERE name = 'identity-purge'")[0][0]
        m = re.match(r"sessions:(\d+),tokens:(\d+),pending:(\d+),throttle:(\d+)$", result)
        if not any(after.values()) and m and int(m.group(1)) >= before["account_session"]:
            break
        time.sleep(0.2)
    assert not any(after.values()), (before, after)
    assert m and int(m.group(1)) >= before["account_session"], result
    assert int(m.group(2)) >= before["account_token"] and int(m.group(4)) >= before["signin_throttle"]
    assert "job_run" in s.read_log() and email not in s.read_log()
