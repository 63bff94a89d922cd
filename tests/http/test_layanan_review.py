"""Regressions found in review of the applications code: an assisted application attaches only to the
account that holds its NIK (knowing the number and the NIK is not enough), and its files then move
under that account's key and go with it on erasure; a file field is answered only by a file really
stored for the application (never by an id typed under its name) when applying, correcting and
filing at the desk; a form sent twice files one application; an officer never works their own
application; reading /notifikasi changes nothing ("Tandai semua dibaca" is a POST that marks what
was shown); and "Permohonan saya" pages by keyset without losing or repeating a row."""
import html
import re
import uuid

from identity_util import STRONG, post_with_csrf, signin
from kantor_util import (PDF, UUID_RE, answers, citizen_apply, demo_client, detail, file_assisted,
                         form_fields, hidden, post_multipart, status_of, step)

SVC = "ktp-el"   # a Disdukcapil service with a required file field (berkas_kk)
DESK = "desa-mekarsari"
# The demo citizens' NIKs (src/domain/demo_accounts.c).
DEMO_NIK = {"warga1@sukamaju.example": "3219015204927001",
            "warga2@sukamaju.example": "3219021708887002"}


def _demo_citizen(s, email):
    rows = [l.split("\t") for l in open(s.data + "/demo-accounts.txt").read().splitlines()[1:]]
    pw = next(r[3] for r in rows if r[0] == "citizen" and r[2] == email)
    c = s.client()
    assert signin(c, email, pw).status == 303
    return c, pw


def _new_citizen(s, email):
    """A citizen with a verified email and nothing filed yet (no NIK on the account)."""
    s.cli("user", "add", "--email", email, "--name", "Warga Baru", stdin=STRONG + "\n")
    c = s.client()
    assert signin(c, email, STRONG).status == 303
    return c


def _attach(c, tracking, nik):
    page = c.get("/permohonan")
    return c.post_form("/permohonan/tautkan", {"csrf": c.csrf_from(page.text), "nomor": tracking,
                                               "nik": nik})


def _field_error(page, field_id):
    m = re.search(r'<p class="field-error" id="%s-error">([^<]+)</p>' % field_id, page)
    assert m, "no message beside %s" % field_id
    assert re.search(r'id="%s"[^>]*aria-describedby="[^"]*%s-error' % (field_id, field_id), page), field_id
    return html.unescape(m.group(1))


def _errors(r):
    return re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text)


def test_attach_only_by_the_nik_holder_and_files_follow_the_account(ctx):
    s = ctx.server()
    desk = demo_client(s, "officer", DESK)
    email = "warga1@sukamaju.example"
    nik = DEMO_NIK[email]
    app_id, tracking = file_assisted(s, desk, SVC, nik=nik, name="Siti Nurhaliza")
    atts = [a for (a,) in s.sql("SELECT attachment_id FROM application_file WHERE application_id = ?",
                                (app_id,))]
    assert atts
    for a in atts:  # while nobody holds it, each file is under a key of its own
        subject, own_key = s.sql("SELECT subject_id, file_key FROM attachment WHERE id = ?", (a,))[0]
        assert subject is None and own_key is not None

    # Another verified citizen who knows the number and the NIK (both on the receipt and the
    # card): the same 404 as a wrong pair, nothing attached.
    other, _ = _demo_citizen(s, "warga2@sukamaju.example")
    r = _attach(other, tracking, nik)
    assert r.status == 404, r
    assert s.sql("SELECT citizen_account_id FROM application WHERE id = ?", (app_id,))[0][0] is None
    # An account that holds no NIK is told so, beside the form; nothing attached.
    nonik = _new_citizen(s, "tanpa.nik@contoh.id")
    r = _attach(nonik, tracking, nik)
    assert r.status == 403, r
    assert 'id="tautkan-error"' in r.text and "belum mencantumkan NIK" in r.text, r.text[-3000:]
    assert s.sql("SELECT citizen_account_id FROM application WHERE id = ?", (app_id,))[0][0] is None

    # The holder: attached, and the files are now under the account's own key, bytes unchanged.
    holder, pw = _demo_citizen(s, email)
    r = _attach(holder, tracking, nik)
    assert r.status == 303 and r.header("Location") == "/permohonan/%s?ditautkan=1" % app_id, r
    account = s.sql("SELECT citizen_account_id FROM application WHERE id = ?", (app_id,))[0][0]
    assert account
    for a in atts:
        subject, own_key = s.sql("SELECT subject_id, file_key FROM attachment WHERE id = ?", (a,))[0]
        assert subject == account and own_key is None, (subject, own_key)
    page = holder.get("/permohonan/%s" % app_id).text
    fids = re.findall(r"/permohonan/%s/berkas/(%s)" % (app_id, UUID_RE), page)
    assert fids
    for fid in set(fids):
        f = holder.get("/permohonan/%s/berkas/%s" % (app_id, fid))
        assert f.status == 200 and f.body == PDF[2], f

    # Erasing the account destroys them with its other data.
    blobs = [b for a in atts for (b,) in s.sql("SELECT blob_id FROM attachment WHERE id = ?", (a,))]
    r = post_with_csrf(holder, "/akun/hapus", "/akun/hapus", {"current": pw, "konfirmasi": "ya"})
    assert r.status == 303 and r.header("Location") == "/akun/dihapus", r
    for a in atts:
        assert s.sql("SELECT COUNT(*) FROM attachment WHERE id = ?", (a,))[0][0] == 0
    for b in blobs:
        assert s.sql("SELECT COUNT(*) FROM blob WHERE id = ?", (b,))[0][0] == 0


def test_file_field_needs_a_stored_file(ctx):
    s = ctx.server()
    c = _new_citizen(s, "berkas.palsu@contoh.id")
    fields = form_fields(s, SVC)
    values, _ = answers(fields, skip_files=True)
    path = "/layanan/%s/ajukan" % SVC

    def apply(extra, files=None):
        page = c.get(path)
        assert page.status == 200, page
        return post_multipart(c, path, [("csrf", c.csrf_from(page.text)), ("aksi", "kirim")] + values
                              + extra, files or {})

    # A typed id under the file field's name answers nothing: refused beside the field.
    sent = s.sql("SELECT COUNT(*) FROM application WHERE status <> 'draft'")[0][0]
    r = apply([("berkas_kk", str(uuid.uuid4()))])
    assert r.status == 422, (r.status, _errors(r))
    assert _field_error(r.text, "f-berkas_kk")
    assert s.sql("SELECT COUNT(*) FROM application WHERE status <> 'draft'")[0][0] == sent
    # A real upload: filed. Its file's attachment id, typed into a second application, is no answer
    # there either.
    first = citizen_apply(s, c, SVC)
    att = s.sql("SELECT attachment_id FROM application_file WHERE application_id = ? AND "
                "field_key = 'berkas_kk'", (first,))[0][0]
    r = apply([("berkas_kk", att)])
    assert r.status == 422 and _field_error(r.text, "f-berkas_kk"), (r.status, _errors(r))

    # The correction: removing the kept file and typing its id instead is refused, nothing kept.
    off = demo_client(s, "officer", "disdukcapil")
    assert step(off, first, "ambil").status == 303
    assert step(off, first, "kembalikan", {"catatan": "Periksa lagi."}).status == 303
    form = c.get("/permohonan/%s/perbaiki" % first)
    v = re.search(r'name="versi" value="(\d+)"', form.text).group(1)
    r = post_multipart(c, "/permohonan/%s/perbaiki" % first,
                       [("csrf", c.csrf_from(form.text)), ("versi", v), ("hapus", "berkas_kk"),
                        ("berkas_kk", att)] + values, {})
    assert r.status == 422 and _field_error(r.text, "f-berkas_kk"), (r.status, _errors(r))
    assert status_of(s, first) == "returned"
    assert s.sql("SELECT COUNT(*) FROM application_file WHERE application_id = ?", (first,))[0][0] >= 1

    # The desk: the same rule for an officer filing for a citizen.
    desk = demo_client(s, "officer", DESK)
    page = desk.get("/kantor/layanan/%s/ajukan" % SVC)
    assert page.status == 200, page
    dv, _ = answers(fields, skip_files=True)
    r = post_multipart(desk, "/kantor/layanan/%s/ajukan" % SVC,
                       [("csrf", desk.csrf_from(page.text)), ("_nik", "3219015708900011"),
                        ("_nama", "Warga Meja"), ("_persetujuan", "ya"), ("berkas_kk", att)] + dv, {})
    assert r.status == 422, (r.status, _errors(r))
    assert "f-berkas_kk-error" in r.text


def test_form_sent_twice_files_once(ctx):
    s = ctx.server()
    c = _new_citizen(s, "dua.kali@contoh.id")
    path = "/layanan/%s/ajukan" % SVC
    values, files = answers(form_fields(s, SVC))

    def page_ids():
        page = c.get(path)
        assert page.status == 200, page
        d = re.search(r'name="_draf" value="(%s)"' % UUID_RE, page.text)
        v = re.search(r'name="_draf"[^>]*>\s*<input type="hidden" name="versi" value="(\d+)"', page.text)
        assert d and v, "the form does not carry its application and version"
        return page, d.group(1), v.group(1)

    def send(page, draft, version, action="kirim", with_files=True):
        return post_multipart(c, path, [("csrf", c.csrf_from(page.text)), ("aksi", action),
                                        ("_draf", draft), ("versi", version)] + values,
                              files if with_files else {})

    def mine():
        return s.sql("SELECT id, status FROM application WHERE citizen_account_id = ? ORDER BY id",
                     (account,))

    # No draft: the page carries a fresh id and version 0; sent twice, one application.
    page, draft, version = page_ids()
    assert version == "0"
    r1, r2 = send(page, draft, version), send(page, draft, version)
    assert r1.status == 303 and r1.header("Location") == "/permohonan/%s?baru=1" % draft, (r1.status, _errors(r1))
    assert r2.status == 303 and r2.header("Location").startswith("/permohonan/%s" % draft), r2
    account = s.sql("SELECT citizen_account_id FROM application WHERE id = ?", (draft,))[0][0]
    assert mine() == [(draft, "submitted")]

    # A saved draft: the page carries its id and version; sent twice, still one more.
    page, fresh, _ = page_ids()
    assert fresh != draft
    r = send(page, fresh, "0", "draf")
    assert r.status == 303 and "tersimpan=1" in r.header("Location"), r
    page, d2, v2 = page_ids()
    assert d2 == fresh and int(v2) >= 1
    r1, r2 = send(page, d2, v2, with_files=False), send(page, d2, v2, with_files=False)
    assert r1.status == 303 and r1.header("Location") == "/permohonan/%s?baru=1" % d2, (r1.status, _errors(r1))
    assert r2.status == 303 and r2.header("Location").startswith("/permohonan/%s" % d2), r2
    assert sorted(mine()) == sorted([(draft, "submitted"), (d2, "submitted")])

    # A draft changed in another window since the page was shown: the form comes back (409), the
    # draft is not sent; sent from the page as it is now, it is.
    page, fresh, _ = page_ids()
    assert send(page, fresh, "0", "draf").status == 303
    stale, d3, v3 = page_ids()
    assert send(stale, d3, v3, "draf", with_files=False).status == 303  # the other window
    r = send(stale, d3, v3, with_files=False)
    assert r.status == 409, (r.status, _errors(r))
    assert "diubah di jendela atau perangkat lain" in r.text
    assert dict(mine())[d3] == "draft"
    page, d4, v4 = page_ids()
    assert d4 == d3 and int(v4) > int(v3)
    r = send(page, d4, v4, with_files=False)
    assert r.status == 303 and r.header("Location") == "/permohonan/%s?baru=1" % d3, (r.status, _errors(r))

    # Someone else's application id in the form: 404, nothing filed or changed.
    other = _new_citizen(s, "lain@contoh.id")
    page = other.get(path)
    r = post_multipart(other, path, [("csrf", other.csrf_from(page.text)), ("aksi", "kirim"),
                                     ("_draf", draft), ("versi", "0")] + values, files)
    assert r.status == 404, r
    # A form without the page's id (another client, no JavaScript needed either way) still files.
    before = len(mine())
    citizen_apply(s, c, SVC)
    assert len(mine()) == before + 1


def test_officer_cannot_work_own_application(ctx):
    s = ctx.server()
    off = demo_client(s, "officer", "disdukcapil")
    app_id = citizen_apply(s, off, SVC)  # the officer applied as a citizen
    assert "ambil" in detail(off, app_id)
    r = step(off, app_id, "ambil")
    assert r.status == 403, r
    assert status_of(s, app_id) == "submitted"
    # A supervisor may take it, but may not hand it to its own applicant.
    sup = demo_client(s, "supervisor")
    page = detail(sup, app_id)
    officer_id = s.sql("SELECT citizen_account_id FROM application WHERE id = ?", (app_id,))[0][0]
    r = sup.post_form("/kantor/permohonan/%s/tugaskan" % app_id,
                      {"csrf": sup.csrf_from(page), "versi": hidden(page, "tugaskan", "versi"),
                       "petugas": officer_id})
    assert r.status in (400, 422), r
    assert status_of(s, app_id) == "submitted"
    assert step(sup, app_id, "ambil").status == 303
    assert status_of(s, app_id) == "processing"


def test_notifications_read_by_post_only(ctx):
    s = ctx.server()
    c = _new_citizen(s, "kabar@contoh.id")
    app_id = citizen_apply(s, c, SVC)
    page = c.get("/notifikasi")
    assert page.text.count('class="unread"') == 1
    assert c.get("/notifikasi").text.count('class="unread"') == 1  # a GET changes nothing
    upto = re.search(r'<form method="post" action="/notifikasi/dibaca"[^>]*>.*?name="sampai" value="(\d+)"',
                     page.text, re.S).group(1)
    # A newer notification arrives after the page was read: marking leaves it unread.
    off = demo_client(s, "officer", "disdukcapil")
    assert step(off, app_id, "ambil").status == 303
    r = c.post_form("/notifikasi/dibaca", {"csrf": c.csrf_from(page.text), "sampai": upto})
    assert r.status == 303 and r.header("Location") == "/notifikasi", r
    page = c.get("/notifikasi")
    assert page.text.count('class="unread"') == 1 and "Mulai diproses" in page.text.split('class="unread"')[1][:600]
    # Without a CSRF token: refused.
    r = c.post_form("/notifikasi/dibaca", {"sampai": upto})
    assert r.status == 403, r
    assert c.post_form("/notifikasi/dibaca", {"csrf": c.csrf_from(page.text), "sampai": "x"}).status == 400


def test_my_applications_page_by_keyset(ctx):
    s = ctx.server()
    c = _new_citizen(s, "banyak@contoh.id")
    made = [citizen_apply(s, c, SVC) for _ in range(23)]
    # and one draft of another service
    page = c.get("/layanan/akta-kelahiran/ajukan")
    r = post_multipart(c, "/layanan/akta-kelahiran/ajukan",
                       [("csrf", c.csrf_from(page.text)), ("aksi", "draf")], {})
    assert r.status == 303, r
    account = s.sql("SELECT citizen_account_id FROM application WHERE id = ?", (made[0],))[0][0]
    expected = [i for (i,) in s.sql("SELECT id FROM application WHERE citizen_account_id = ? "
                                    "ORDER BY id DESC", (account,))]
    assert len(expected) == 24 and set(made) <= set(expected)

    seen, sizes, path = [], [], "/permohonan"
    while path:
        r = c.get(path)
        assert r.status == 200, (path, r)
        rows = re.findall(r'<td><a href="/permohonan/(%s)">' % UUID_RE, r.text)
        sizes.append(len(rows))
        seen += rows
        m = re.search(r'href="(/permohonan\?setelah=[^"]+)" rel="next"', r.text)
        path = html.unescape(m.group(1)) if m else None
        assert len(sizes) < 10
    assert sizes == [20, 4], sizes
    assert len(seen) == len(set(seen)), "a row repeated"
    assert seen == expected, "rows lost or out of order"
    assert c.get("/permohonan?setelah=bukan-kursor").status == 400
