"""The citizen's side of applications (/layanan/{slug}/ajukan, /permohonan…, /notifikasi, /lacak):
applying with a file, a draft saved and resumed with its file kept, validation with a message
beside each field, a file whose content is not PDF/JPEG/PNG refused, the receipt page and PDF,
/lacak without personal data, another citizen's 404 on the application and its files, the
correction of a returned application (the clock pauses), attaching an assisted application with
the right and a wrong NIK, notifications in the portal and by mail, and a changed form leaving an
earlier application readable."""
import html
import re

from identity_util import mail_parts, signin, smtp_server, wait_mail_to
from kantor_util import (PDF, answers, citizen_with_nik, demo_client, demo_creds, file_assisted,
                         form_fields, post_multipart, status_of, step)

SVC = "ktp-el"          # a Disdukcapil service with a required file (berkas_kk) and an optional one
SVC_X = "sktm"          # a village letter of Desa Mekarsari, filed at its office
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
GIF = ("foto.pdf", "application/pdf", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00" + b"\x00" * 40)


def _unit_of(s, slug):
    return s.sql("SELECT u.slug FROM service sv JOIN unit u ON u.id = sv.unit_id WHERE sv.slug = ?",
                 (slug,))[0][0]


def _field_error(page, field_id):
    """The message beside a field, tied to it by aria-describedby."""
    m = re.search(r'id="%s"[^>]*aria-describedby="[^"]*%s-error"' % (field_id, field_id), page)
    if not m:
        m = re.search(r'id="%s"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*%s-error' % (field_id, field_id), page)
    assert m, "field %s is not tied to its message" % field_id
    e = re.search(r'<p class="field-error" id="%s-error">([^<]+)</p>' % field_id, page)
    assert e, "no message beside %s" % field_id
    return html.unescape(e.group(1))


def _form(c, slug):
    page = c.get("/layanan/%s/ajukan" % slug)
    assert page.status == 200, page
    return page


def _apply(s, c, slug, action="kirim", values=None, files=None):
    page = _form(c, slug)
    if values is None:
        values, files = answers(form_fields(s, slug))
    fields = [("csrf", c.csrf_from(page.text)), ("aksi", action)] + list(values)
    return post_multipart(c, "/layanan/%s/ajukan" % slug, fields, files or {})


def _submitted(s, c, slug=SVC):
    r = _apply(s, c, slug)
    assert r.status == 303, (r.status, re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text))
    m = re.match(r"/permohonan/(%s)\?baru=1$" % UUID, r.header("Location"))
    assert m, r.header("Location")
    return m.group(1)


def _small(c, path):
    """The page and the stylesheet together stay under 30 KB compressed; one <main>."""
    gz = {"Accept-Encoding": "gzip"}
    css = len(c.get("/static/pendopo.css", headers=gz).raw)
    r = c.get(path, headers=gz)
    assert r.status == 200, (path, r)
    assert len(r.raw) + css < 30 * 1024, (path, len(r.raw), css)
    assert r.text.count("<main") == 1, path


def _tracking(s, app_id):
    t = s.sql("SELECT tracking FROM application WHERE id = ?", (app_id,))[0][0]
    return "%s-%s-%s-%s" % (t[0], t[1:5], t[5:9], t[9])


def test_apply_draft_file_validation_receipt_and_lacak(ctx):
    s, smtp = smtp_server(ctx)
    c = demo_client(s, "citizen")
    email = demo_creds(s, "citizen")[0]
    fields = form_fields(s, SVC)
    assert any(f["type"] == "file" and f.get("required") for f in fields)

    # The form: multipart, both buttons, one <main>, a label for every input.
    page = _form(c, SVC)
    assert page.text.count("<main") == 1
    assert 'enctype="multipart/form-data"' in page.text
    assert 'value="kirim"' in page.text and 'value="draf"' in page.text
    for f in fields:
        if f["type"] not in ("choice", "multi", "yesno", "address"):
            assert 'for="f-%s"' % f["key"] in page.text, f["key"]

    # A draft with one answer and the required file: saved, no tracking number, resumable.
    r = _apply(s, c, SVC, "draf", [("nama", "Siti Draf")], {"berkas_kk": ("kk-saya.pdf",) + PDF[1:]})
    assert r.status == 303 and "tersimpan=1" in r.header("Location"), r
    page = _form(c, SVC)
    draft_id = re.search(r"/permohonan/(%s)/berkas/" % UUID, page.text).group(1)
    assert s.sql("SELECT status, tracking FROM application WHERE id = ?", (draft_id,)) == [("draft", None)]
    assert 'value="Siti Draf"' in page.text
    assert "kk-saya.pdf" in page.text  # the kept file, by name, with a way to replace it
    assert 'id="f-berkas_kk-kept"' in page.text

    # Sending it incomplete: 422, a message beside each missing field, the kept file still there.
    r = _apply(s, c, SVC, "kirim", [("nama", "Siti Draf")], {})
    assert r.status == 422, r
    assert _field_error(r.text, "f-jenis_permohonan")
    assert _field_error(r.text, "f-nik")
    assert 'value="Siti Draf"' in r.text
    assert "kk-saya.pdf" in r.text
    assert s.sql("SELECT status FROM application WHERE id = ?", (draft_id,))[0][0] == "draft"

    # A file whose bytes are not PDF, JPEG or PNG is refused whatever its name says.
    values, _ = answers(fields, skip_files=True)
    r = _apply(s, c, SVC, "kirim", values, {"berkas_kk": GIF})
    assert r.status == 422, r
    assert _field_error(r.text, "f-berkas_kk")
    assert "kk-saya.pdf" in r.text  # the earlier file was not replaced by the refused one

    # Sent complete (the kept file counts): the receipt page with the tracking number.
    r = _apply(s, c, SVC, "kirim", values, {})
    assert r.status == 303, (r.status, re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text))
    assert r.header("Location") == "/permohonan/%s?baru=1" % draft_id
    tracking = _tracking(s, draft_id)
    receipt = c.get(r.header("Location"))
    assert receipt.status == 200 and tracking in receipt.text and 'id="tanda-terima"' in receipt.text
    assert 'id="batas-waktu"' in receipt.text
    assert status_of(s, draft_id) == "submitted"
    pdf = c.get("/permohonan/%s/tanda-terima.pdf" % draft_id)
    assert pdf.status == 200 and pdf.header("Content-Type") == "application/pdf"
    assert pdf.body.startswith(b"%PDF")
    # The file, for its owner: an attachment, sandboxed.
    fid = re.search(r"/permohonan/%s/berkas/(%s)" % (draft_id, UUID), receipt.text).group(1)
    f = c.get("/permohonan/%s/berkas/%s" % (draft_id, fid))
    assert f.status == 200 and f.body.startswith(b"%PDF")
    assert f.header("Content-Disposition").startswith("attachment")
    assert "sandbox" in f.header_all("Content-Security-Policy")
    # The list shows it with its due date.
    lst = c.get("/permohonan")
    assert lst.status == 200 and tracking in lst.text

    # /lacak: status and dates, no personal data; any spelling of the number; unknown is 404.
    anon = s.client()
    t = anon.get("/lacak/%s" % tracking)
    assert t.status == 200, t
    assert "Diajukan" in t.text
    for personal in ("Siti", "Uji nama", email, "kk-saya"):
        assert personal not in t.text, personal
    low = tracking.replace("-", "").lower().replace("0", "o")
    r = anon.get("/lacak?nomor=%s" % low)
    assert r.status == 303 and r.header("Location") == "/lacak/%s" % tracking, r
    assert anon.get("/lacak/P-0000-0000-0").status == 404
    assert anon.get("/lacak/bukan-nomor").status == 404

    for path in ("/lacak", "/lacak/%s" % tracking):
        _small(anon, path)
    for path in ("/layanan/%s/ajukan" % SVC, "/permohonan", "/permohonan/%s" % draft_id):
        _small(c, path)

    # Another citizen: 404 on the application, its file, its receipt, its correction page.
    rows = [l.split("\t") for l in open(s.data + "/demo-accounts.txt").read().splitlines()[1:]]
    b_email, b_pw = next((r[2], r[3]) for r in rows if r[0] == "citizen" and r[2] != email)
    other = s.client()
    assert signin(other, b_email, b_pw).status == 303
    for path in ("/permohonan/%s" % draft_id, "/permohonan/%s/berkas/%s" % (draft_id, fid),
                 "/permohonan/%s/tanda-terima.pdf" % draft_id, "/permohonan/%s/perbaiki" % draft_id,
                 "/permohonan/%s/dokumen.pdf" % draft_id):
        assert other.get(path).status == 404, path
    assert tracking not in other.get("/permohonan").text

    # Notifications: in the portal (new, then read) and by mail, in the citizen's language.
    n = c.get("/notifikasi")
    assert n.status == 200 and tracking in n.text and 'class="unread"' in n.text
    assert 'class="unread"' in c.get("/notifikasi").text  # reading changes nothing
    upto = re.search(r'name="sampai" value="(\d+)"', n.text).group(1)
    r = c.post_form("/notifikasi/dibaca", {"csrf": c.csrf_from(n.text), "sampai": upto})
    assert r.status == 303 and r.header("Location") == "/notifikasi", r
    assert 'class="unread"' not in c.get("/notifikasi").text
    _small(c, "/notifikasi")
    msgs = wait_mail_to(smtp, email)
    to, subject, body = mail_parts(msgs[-1])
    assert tracking in subject
    assert "/permohonan/%s" % draft_id in body
    assert "Siti Draf" not in body and "Uji " not in body  # no answers in the mail


def test_return_correct_and_resume(ctx):
    s, smtp = smtp_server(ctx)
    c = demo_client(s, "citizen")
    email = demo_creds(s, "citizen")[0]
    app_id = _submitted(s, c)
    off = demo_client(s, "officer", _unit_of(s, SVC))
    assert step(off, app_id, "ambil").status == 303
    r = step(off, app_id, "kembalikan", {"catatan": "Unggah KK yang terbaru."})
    assert r.status == 303, r
    assert status_of(s, app_id) == "returned"
    page = c.get("/permohonan/%s" % app_id)
    assert "Unggah KK yang terbaru." in page.text
    assert 'href="/permohonan/%s/perbaiki"' % app_id in page.text
    wait_mail_to(smtp, email, 3)  # submitted, claimed, returned

    # The correction page shows the earlier answers; an empty required answer is refused.
    form = c.get("/permohonan/%s/perbaiki" % app_id)
    assert form.status == 200 and "Unggah KK yang terbaru." in form.text
    assert re.search(r'name="nama" type="text"[^>]*value="Uji nama"', form.text)
    version = re.search(r'name="versi" value="(\d+)"', form.text).group(1)
    values, _ = answers(form_fields(s, SVC), skip_files=True)
    bad = [(k, "" if k == "nama" else v) for k, v in values]
    r = post_multipart(c, "/permohonan/%s/perbaiki" % app_id,
                       [("csrf", c.csrf_from(form.text)), ("versi", version)] + bad, {})
    assert r.status == 422 and _field_error(r.text, "f-nama")
    # Corrected with a new file: submitted again, the old version number no longer works.
    r = post_multipart(c, "/permohonan/%s/perbaiki" % app_id,
                       [("csrf", c.csrf_from(form.text)), ("versi", version)] + values,
                       {"berkas_kk": ("kk-baru.pdf",) + PDF[1:]})
    assert r.status == 303 and "diperbaiki=1" in r.header("Location"), r
    assert status_of(s, app_id) == "submitted"
    page = c.get("/permohonan/%s" % app_id).text
    assert "kk-baru.pdf" in page and "Perbaikan dikirim" in page
    r = post_multipart(c, "/permohonan/%s/perbaiki" % app_id,
                       [("csrf", c.csrf_from(form.text)), ("versi", version)] + values, {})
    assert r.status in (303, 409), r  # no longer returned: refused or sent back to its page
    assert status_of(s, app_id) == "submitted"


def test_attach_assisted_application(ctx):
    s = ctx.server()
    offx = demo_client(s, "officer", "desa-mekarsari")
    nik = "3219016508950002"
    app_id, tracking = file_assisted(s, offx, SVC_X, nik=nik, name="Warga Dibantu")
    c = citizen_with_nik(s, "warga.dibantu@contoh.id", nik, "Warga Dibantu")

    def attach(nomor, nik_typed):
        page = c.get("/permohonan")
        return c.post_form("/permohonan/tautkan", {"csrf": c.csrf_from(page.text), "nomor": nomor,
                                                   "nik": nik_typed})

    # Wrong NIK, unknown number: the same 404, never saying which part was wrong.
    wrong = attach(tracking, "3219016508950003")
    unknown = attach("P-0000-0000-0", nik)
    assert wrong.status == 404 and unknown.status in (404, 422)
    assert s.sql("SELECT citizen_account_id FROM application WHERE id = ?", (app_id,))[0][0] is None
    assert attach("bukan nomor", nik).status == 422
    # The right pair, any spelling: attached; its answers open under the citizen's key now.
    r = attach(tracking.lower().replace("-", " "), nik[:4] + "." + nik[4:])
    assert r.status == 303 and r.header("Location") == "/permohonan/%s?ditautkan=1" % app_id, r
    row = s.sql("SELECT citizen_account_id, subject_key FROM application WHERE id = ?", (app_id,))[0]
    assert row[0] and row[1] is None
    page = c.get("/permohonan/%s" % app_id)
    assert page.status == 200 and "bantuan petugas" in page.text
    assert "Uji " in page.text  # an answer, opened
    assert tracking in c.get("/permohonan").text
    # Attaching again (by anyone) finds nothing.
    assert attach(tracking, nik).status == 404


def test_changed_form_keeps_earlier_application_readable(ctx):
    s = ctx.server()
    c = demo_client(s, "citizen")
    app_id = _submitted(s, c)
    before = s.sql("SELECT form_version FROM application WHERE id = ?", (app_id,))[0][0]
    admin = demo_client(s, "administrator")
    page = admin.get("/admin/layanan/%s/formulir" % SVC)
    assert page.status == 200, page
    v = re.search(r'id="versi">[^<]*<strong>(\d+)</strong>', page.text).group(1)
    r = admin.post_form("/admin/layanan/%s/formulir/isian" % SVC,
                        {"csrf": admin.csrf_from(page.text), "versi": v, "key": "kolom_baru",
                         "type": "text", "label": "Kolom baru", "required": "1"})
    assert r.status == 303, r
    assert form_fields(s, SVC)[-1]["key"] == "kolom_baru"
    # The earlier application reads as it was filed, with its own version's fields.
    page = c.get("/permohonan/%s" % app_id)
    assert page.status == 200 and "Uji nama" in page.text
    assert "Kolom baru" not in page.text
    assert s.sql("SELECT form_version FROM application WHERE id = ?", (app_id,))[0][0] == before
    # A new application must answer the new field.
    r = _apply(s, c, SVC, "kirim", answers(form_fields(s, SVC)[:-1])[0], answers(form_fields(s, SVC))[1])
    assert r.status == 422 and _field_error(r.text, "f-kolom_baru")


def test_notifications_speak_the_citizens_language(ctx):
    """A citizen who chose English gets the mail of each step in English; one who did not, in
    Indonesian."""
    s, smtp = smtp_server(ctx)
    c = demo_client(s, "citizen")
    email = demo_creds(s, "citizen")[0]
    page = c.get("/akun")
    assert c.post_form("/akun/bahasa", {"lang": "en", "csrf": c.csrf_from(page.text)}).status == 303
    app_id = _submitted(s, c)
    to, subject, body = mail_parts(wait_mail_to(smtp, email)[-1])
    assert subject.startswith("Application P-") and "Permohonan" not in subject, subject
    assert "/permohonan/%s" % app_id in body

    page = c.get("/akun")
    assert c.post_form("/akun/bahasa", {"lang": "id", "csrf": c.csrf_from(page.text)}).status == 303
    off = demo_client(s, "officer", _unit_of(s, SVC))
    assert step(off, app_id, "ambil").status == 303
    to, subject, body = mail_parts(wait_mail_to(smtp, email, 2)[-1])
    assert subject.startswith("Permohonan P-"), subject
