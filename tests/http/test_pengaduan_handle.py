"""Complaint handling over HTTP (/kantor/pengaduan…, the reporter's /pengaduan/{nomor}/selesai,
/buka-kembali, /lengkapi): the coordinator disposes, the unit answers, the reporter confirms; the
coordinator asks for information and the reporter replies (the clock pauses); out of scope; merge
(supporters carried over); hand-on kept in the timeline; reopen once; officers of another unit and
citizens refused every step; a stale version is 409 and changes nothing; an anonymous reporter's
name, email and account never appear on the staff page nor on the public page after the answer;
a held complaint is published only after the public-copy check."""
import gzip
import html
import re
from urllib.parse import urlparse, parse_qs

from kantor_util import demo_client, demo_creds, multipart

TRACK = r"A-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]"


# --- helpers (also used by test_pengaduan_escalate.py and test_access_matrix.py) ------------------

def file_complaint(s, c, **fields):
    """Files a complaint as client c (signed in or not); returns (id, grouped number, token or
    None)."""
    page = c.get("/pengaduan/baru")
    assert page.status == 200, page
    base = {"kategori": "sampah", "judul": "Sampah menumpuk", "isi": "Sampah di TPS belum diangkut seminggu.",
            "desa": "desa-mekarsari", "alamat": "TPS dekat pasar", "privasi": "publik"}
    base.update(fields)
    items = [("csrf", c.csrf_from(page.text)),
             ("_id", re.search(r'name="_id" value="([^"]+)"', page.text).group(1))]
    items += [(k, v) for k, v in base.items() if v is not None]
    body, ctype = multipart(items, {})
    r = c.request("POST", "/pengaduan/baru", body=body, headers={"Content-Type": ctype})
    assert r.status == 200, (r.status, re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text))
    nomor = re.search(r'id="nomor">(%s)<' % TRACK, r.text).group(1)
    link = re.search(r'id="tautan-pribadi" href="([^"]+)"', r.text)
    token = parse_qs(urlparse(html.unescape(link.group(1))).query)["t"][0] if link else None
    cid = s.sql("SELECT id FROM complaint WHERE tracking = ?", (nomor.replace("-", ""),))[0][0]
    return cid, nomor, token


def kpage(c, cid, status=200):
    r = c.get("/kantor/pengaduan/%s" % cid)
    assert r.status == status, r
    return r.text


def _hidden(page, action, name):
    m = re.search(r'<form method="post" action="[^"]*/%s"[^>]*>(.*?)</form>' % re.escape(action), page, re.S)
    assert m, "no form %s" % action
    v = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), m.group(1))
    assert v, (action, name)
    return html.unescape(v.group(1))


def kstep(c, cid, action, fields=None, version=None, page=None):
    """Posts a staff step with the CSRF token of the actor's own page and the complaint's version
    (from the form, or the one given)."""
    if version is None:
        page = page or kpage(c, cid)
        version = _hidden(page, action, "versi")
    csrf_page = page or c.get("/kantor/pengaduan").text
    f = {"csrf": c.csrf_from(csrf_page), "versi": str(version)}
    f.update(fields or {})
    return c.post_form("/kantor/pengaduan/%s/%s" % (cid, action), f)


def rstep(c, nomor, action, fields=None, token=None):
    """Posts a reporter step (follow-up token as hidden field t when given)."""
    page = c.get("/pengaduan/baru")
    f = {"csrf": c.csrf_from(page.text)}
    if token:
        f["t"] = token
    f.update(fields or {})
    return c.post_form("/pengaduan/%s/%s" % (nomor, action), f)


def row(s, cid, col):
    return s.sql("SELECT %s FROM complaint WHERE id = ?" % col, (cid,))[0][0]


def kinds(page):
    return re.findall(r'<li data-kind="([a-z_]+)">', page)


def events(s, cid):
    return [r[0] for r in s.sql("SELECT kind FROM complaint_event WHERE complaint_id = ? ORDER BY at_ms, id", (cid,))]


def _field_error(page, field_id):
    m = re.search(r'id="%s"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*%s-error' % (field_id, field_id), page, re.S)
    assert m, "field %s is not marked invalid" % field_id
    return re.search(r'<p class="field-error" id="%s-error">([^<]+)</p>' % field_id, page).group(1)


def in_queue(c, url, nomor):
    """Whether nomor is on any page of the queue at url (following the rel=next links)."""
    while url:
        r = c.get(url)
        assert r.status == 200 and r.text.count("<main") == 1, (url, r)
        if nomor in r.text:
            return True
        m = re.search(r'<a href="([^"]+)" rel="next">', r.text)
        url = html.unescape(m.group(1)) if m else None
    return False


def coordinator(s):
    return demo_client(s, "coordinator")


# --- the main path ---------------------------------------------------------------------------------

def test_dispose_answer_confirm_and_refusals(ctx):
    s = ctx.server()
    visitor = s.client()
    cid, nomor, token = file_complaint(s, visitor, privasi="anonim", nama="Sri Pelapor Rahasia",
                                       email="rahasia.pelapor@contoh.id",
                                       isi="Sampah menumpuk di TPS pasar sejak minggu lalu.")
    assert token
    coord = coordinator(s)
    assert in_queue(coord, "/kantor/pengaduan", nomor)
    page = kpage(coord, cid)
    assert "Sampah menumpuk di TPS pasar sejak minggu lalu." in page  # the sealed original, for staff
    for secret in ("Sri Pelapor Rahasia", "rahasia.pelapor@contoh.id"):
        assert secret not in page
    assert 'id="pelapor">Anonim' in page
    assert 'action="/kantor/pengaduan/%s/disposisi"' % cid in page
    assert 'action="/kantor/pengaduan/%s/jawab"' % cid not in page  # not the coordinator's step

    # Another unit's officer sees nothing; a citizen is no staff; the unit's officer may not route.
    other = demo_client(s, "officer", "disdukcapil")
    kpage(other, cid, 404)
    citizen = demo_client(s, "citizen")
    kpage(citizen, cid, 404)
    v = row(s, cid, "version")
    for c in (other, citizen):
        for action, fields in (("disposisi", {"unit": "dlh"}), ("minta-info", {"pertanyaan": "?"}),
                               ("luar-wewenang", {"alasan": "x"}), ("gabung", {"nomor": nomor}),
                               ("alihkan", {"unit": "dlh", "alasan": "x"}), ("jawab", {"jawaban": "x"}),
                               ("periksa-publik", {"judul": "x", "isi": "y"})):
            r = kstep(c, cid, action, fields, version=v)
            assert r.status == 404, (action, r)
    dlh = demo_client(s, "officer", "dlh")
    assert kstep(dlh, cid, "disposisi", {"unit": "dlh"}, version=v).status == 403
    assert row(s, cid, "status") == "new" and row(s, cid, "version") == v

    # The coordinator disposes to the environment agency with an internal note.
    r = kstep(coord, cid, "disposisi", {"unit": "", "catatan": ""})
    assert r.status == 422 and _field_error(r.text, "unit"), r
    r = kstep(coord, cid, "disposisi", {"unit": "dlh", "catatan": "Catatan internal untuk DLH."})
    assert r.status == 303, r
    assert row(s, cid, "status") == "dispositioned"
    page = kpage(coord, cid)
    assert "dispositioned" in kinds(page) and "Catatan internal untuk DLH." in page
    assert re.search(r'id="tenggat"><time datetime="\d{4}-\d{2}-\d{2}"', page)
    assert kstep(coord, cid, "jawab", {"jawaban": "x"}, version=row(s, cid, "version")).status == 403
    kpage(other, cid, 404)

    # The unit answers: an empty answer is refused beside the field, then the answer closes it.
    page = kpage(dlh, cid)
    r = kstep(dlh, cid, "jawab", {"jawaban": ""}, page=page)
    assert r.status == 422 and _field_error(r.text, "jawaban"), r
    r = kstep(dlh, cid, "jawab", {"jawaban": "Sampah sudah diangkut pada hari Senin."}, page=page)
    assert r.status == 303, r
    assert row(s, cid, "status") == "answered" and row(s, cid, "answered_ms")

    # The public page: the answer, no reporter, no internal note.
    pub = s.client().get("/pengaduan/%s" % nomor)
    assert pub.status == 200 and "Sampah sudah diangkut pada hari Senin." in pub.text
    for secret in ("Sri Pelapor Rahasia", "rahasia.pelapor@contoh.id", "Catatan internal untuk DLH.",
                   "Asep Saepudin", "Agus Pratama"):
        assert secret not in pub.text, secret

    # The reporter (follow-up token) confirms it solved, once; a stranger cannot.
    assert rstep(s.client(), nomor, "selesai").status == 404
    assert rstep(s.client(), nomor, "selesai", token="x" * 43).status == 404
    r = rstep(s.client(), nomor, "selesai", token=token)
    assert r.status == 303 and "t=" in r.header("Location"), r
    assert "confirmed" in events(s, cid) and row(s, cid, "confirmed_ms")
    assert rstep(s.client(), nomor, "selesai", token=token).status == 409
    actions = [a[0] for a in s.sql("SELECT action FROM audit_log WHERE object_id = ? ORDER BY seq", (cid,))]
    for a in ("complaint.dispose", "complaint.answer", "complaint.confirm"):
        assert a in actions, actions


def test_stale_version_is_409_and_changes_nothing(ctx):
    s = ctx.server()
    cid, nomor, _ = file_complaint(s, s.client())
    coord = coordinator(s)
    page = kpage(coord, cid)  # seen at version 1
    assert kstep(coord, cid, "minta-info", {"pertanyaan": "Di RT berapa tepatnya?"}).status == 303
    before = s.sql("SELECT status, unit_id, version, due_ms FROM complaint WHERE id = ?", (cid,))[0]
    r = kstep(coord, cid, "disposisi", {"unit": "dinkes"}, page=page)  # the old form
    assert r.status == 409 and "Buka lagi pengaduan ini" in r.text, r
    assert s.sql("SELECT status, unit_id, version, due_ms FROM complaint WHERE id = ?", (cid,))[0] == before
    assert events(s, cid).count("dispositioned") == 0


def test_ask_info_and_reporter_replies(ctx):
    s = ctx.server()
    rep = demo_client(s, "citizen")
    cid, nomor, token = file_complaint(s, rep, judul="Lampu jalan mati", kategori="penerangan-jalan")
    assert token is None  # signed in: no follow-up link
    coord = coordinator(s)
    r = kstep(coord, cid, "minta-info", {"pertanyaan": ""})
    assert r.status == 422 and _field_error(r.text, "pertanyaan")
    r = kstep(coord, cid, "minta-info", {"pertanyaan": "Di tiang nomor berapa lampunya mati?"})
    assert r.status == 303, r
    assert row(s, cid, "status") == "needs_info" and row(s, cid, "paused_since_ms")
    page = kpage(coord, cid)
    assert "jam berhenti" in page and "Di tiang nomor berapa lampunya mati?" in page
    assert len(gzip.compress(page.encode())) < 30 * 1024 and page.count("<main") == 1
    # The staff read of the reporter's complaint is on the reporter's /akun/akses.
    akses = rep.get("/akun/akses")
    assert akses.status == 200 and "pengaduan %s" % nomor in akses.text, akses
    assert 'action="/kantor/pengaduan/%s/minta-info"' % cid not in page  # asked already
    # The reporter has a portal notification; the question is not public.
    rep_id = s.sql("SELECT reporter_account_id FROM complaint WHERE id = ?", (cid,))[0][0]
    assert s.sql("SELECT kind FROM complaint_notification WHERE account_id = ? AND complaint_id = ?",
                 (rep_id, cid)) == [("needs_info",)]
    assert "Di tiang nomor berapa" not in s.client().get("/pengaduan/%s" % nomor).text
    # Only the reporter reads the question and replies.
    stranger = demo_client(s, "citizen", "desa-cibening")
    assert stranger.get("/pengaduan/%s/lengkapi" % nomor).status == 404
    assert rstep(stranger, nomor, "lengkapi", {"keterangan": "Tiang 12."}).status == 404
    form = rep.get("/pengaduan/%s/lengkapi" % nomor)
    assert form.status == 200 and "Di tiang nomor berapa lampunya mati?" in form.text, form
    assert form.text.count("<main") == 1
    r = rstep(rep, nomor, "lengkapi", {"keterangan": ""})
    assert r.status == 422 and _field_error(r.text, "keterangan")
    r = rstep(rep, nomor, "lengkapi", {"keterangan": "Tiang nomor 12 di depan masjid."})
    assert r.status == 303, r
    assert row(s, cid, "status") == "new" and not row(s, cid, "paused_since_ms")
    page = kpage(coord, cid)
    assert "info_given" in kinds(page) and "Tiang nomor 12 di depan masjid." in page
    assert rstep(rep, nomor, "lengkapi", {"keterangan": "Lagi."}).status == 409
    # Then disposed as usual.
    assert kstep(coord, cid, "disposisi", {"unit": "dpupr"}).status == 303


def test_out_of_scope(ctx):
    s = ctx.server()
    cid, nomor, _ = file_complaint(s, s.client(), judul="Tetangga berisik", isi="Tetangga memutar musik keras.")
    coord = coordinator(s)
    r = kstep(coord, cid, "luar-wewenang", {"alasan": ""})
    assert r.status == 422 and _field_error(r.text, "alasan")
    r = kstep(coord, cid, "luar-wewenang", {"alasan": "Perselisihan antarwarga diselesaikan di RT/RW."})
    assert r.status == 303, r
    assert row(s, cid, "status") == "out_of_scope" and row(s, cid, "closed_ms")
    pub = s.client().get("/pengaduan/%s" % nomor)
    assert "Perselisihan antarwarga diselesaikan di RT/RW." in pub.text  # the reason is public
    assert kstep(coord, cid, "disposisi", {"unit": "dlh"}, version=row(s, cid, "version")).status == 409


def test_merge_carries_supporters(ctx):
    s = ctx.server()
    a_id, a_nomor, _ = file_complaint(s, s.client(), judul="Sampah di TPS pasar (1)")
    b_id, b_nomor, _ = file_complaint(s, s.client(), judul="Sampah di TPS pasar (2)")
    c_id, c_nomor, _ = file_complaint(s, s.client(), judul="Sampah di TPS pasar (3)")
    # A supporter of A, and one of both (counted once on B after the merge).
    w1, w2 = demo_client(s, "citizen"), demo_client(s, "citizen", "desa-cibening")
    for c, nomor in ((w1, a_nomor), (w2, a_nomor), (w2, b_nomor)):
        page = c.get("/pengaduan/%s" % nomor)
        assert c.post_form("/pengaduan/%s/dukung" % nomor, {"csrf": c.csrf_from(page.text)}).status == 303
    coord = coordinator(s)
    for bad in ("A-0000-0000-0", a_nomor, "bukan nomor"):
        r = kstep(coord, a_id, "gabung", {"nomor": bad})
        assert r.status == 422 and _field_error(r.text, "nomor"), bad
    r = kstep(coord, a_id, "gabung", {"nomor": b_nomor})
    assert r.status == 303, r
    assert row(s, a_id, "status") == "merged" and row(s, a_id, "merged_into") == b_id
    assert row(s, b_id, "support_count") == 2
    assert b_nomor in kpage(coord, a_id)
    # Nothing merges into a merged (closed) complaint.
    r = kstep(coord, c_id, "gabung", {"nomor": a_nomor})
    assert r.status == 422 and _field_error(r.text, "nomor")
    assert row(s, c_id, "status") == "new"


def test_hand_on_kept_in_timeline(ctx):
    s = ctx.server()
    cid, nomor, _ = file_complaint(s, s.client())
    coord = coordinator(s)
    assert kstep(coord, cid, "disposisi", {"unit": "dlh"}).status == 303
    dlh, dinkes = demo_client(s, "officer", "dlh"), demo_client(s, "officer", "dinkes")
    kpage(dinkes, cid, 404)
    r = kstep(dlh, cid, "alihkan", {"unit": "dinkes", "alasan": ""})
    assert r.status == 422 and _field_error(r.text, "alasan-alih")
    r = kstep(dlh, cid, "alihkan", {"unit": "dinkes", "alasan": "Bukan wewenang: limbah medis puskesmas."})
    assert r.status == 303 and r.header("Location").startswith("/kantor/pengaduan"), r
    assert row(s, cid, "status") == "dispositioned"
    assert s.sql("SELECT u.slug FROM complaint c JOIN unit u ON u.id = c.unit_id WHERE c.id = ?", (cid,))[0][0] == "dinkes"
    kpage(dlh, cid, 404)  # gone from the first unit
    assert kstep(dinkes, cid, "alihkan", {"unit": "dlh", "alasan": "Kembali: sampah rumah tangga."}).status == 303
    page = kpage(coord, cid)
    assert kinds(page).count("handed_on") == 2
    assert "Bukan wewenang: limbah medis puskesmas." in page and "Kembali: sampah rumah tangga." in page
    pub = s.client().get("/pengaduan/%s" % nomor).text
    assert "limbah medis puskesmas" not in pub  # the reasons are internal


def test_reopen_once(ctx):
    s = ctx.server()
    cid, nomor, token = file_complaint(s, s.client())
    coord, dlh = coordinator(s), demo_client(s, "officer", "dlh")
    assert kstep(coord, cid, "disposisi", {"unit": "dlh"}).status == 303
    assert kstep(dlh, cid, "jawab", {"jawaban": "Sudah diangkut."}).status == 303
    own = s.client().get("/pengaduan/%s?t=%s" % (nomor, token))
    assert own.status == 200
    r = rstep(s.client(), nomor, "buka-kembali", {"alasan": ""}, token=token)
    assert r.status == 422 and _field_error(r.text, "alasan-buka")
    r = rstep(s.client(), nomor, "buka-kembali", {"alasan": "Masih menumpuk hari ini."}, token=token)
    assert r.status == 303, r
    assert row(s, cid, "status") == "reopened" and row(s, cid, "reopen_count") == 1
    page = kpage(dlh, cid)  # back at the same unit, with a new due date
    assert "reopened" in kinds(page) and "Masih menumpuk hari ini." in page
    assert re.search(r'id="tenggat"><time datetime=', page)
    assert kstep(dlh, cid, "jawab", {"jawaban": "Diangkut lagi, jadwal ditambah."}, page=page).status == 303
    r = rstep(s.client(), nomor, "buka-kembali", {"alasan": "Masih juga."}, token=token)
    assert r.status == 409, r
    assert row(s, cid, "status") == "answered" and row(s, cid, "reopen_count") == 1


def test_anonymous_account_reporter_hidden_from_staff_and_public(ctx):
    s = ctx.server()
    rep = demo_client(s, "citizen")
    email, _ = demo_creds(s, "citizen")
    name = "Siti Nurhaliza"
    cid, nomor, _ = file_complaint(s, rep, privasi="anonim", judul="Pungutan di kantor desa",
                                   kategori="pungli", isi="Diminta uang untuk surat pengantar.")
    rep_id = row(s, cid, "reporter_account_id")
    coord = coordinator(s)
    page = kpage(coord, cid)
    for secret in (name, email, rep_id):
        assert secret not in page, secret
    assert kstep(coord, cid, "disposisi", {"unit": "inspektorat"}).status == 303
    sup = demo_client(s, "supervisor")  # works every unit of the regency
    page = kpage(sup, cid)
    for secret in (name, email, rep_id):
        assert secret not in page, secret
    assert kstep(sup, cid, "jawab", {"jawaban": "Petugas yang bersangkutan sudah ditegur."}, page=page).status == 303
    pub = s.client().get("/pengaduan/%s" % nomor)
    assert pub.status == 200 and "sudah ditegur" in pub.text
    for secret in (name, email, rep_id):
        assert secret not in pub.text, secret
    # The reporter was told (portal notification), though staff never learnt who they are.
    assert ("answered",) in s.sql("SELECT kind FROM complaint_notification WHERE account_id = ?", (rep_id,))
    # …and reads it on /notifikasi beside the applications, linked to the complaint.
    notes = rep.get("/notifikasi")
    assert notes.status == 200, notes
    m = re.search(r'<a href="/pengaduan/%s">%s</a> — ([^(<]+) \(' % (nomor, nomor), notes.text)
    assert m and m.group(1).strip() == "Dijawab", notes.text


def test_held_complaint_published_after_check(ctx):
    s = ctx.server()
    cid, nomor, token = file_complaint(s, s.client(), judul="Pelayanan lambat",
                                       isi="Petugas dengan NIK 3219015708900001 menolak melayani.")
    assert row(s, cid, "held") in (1, True) and row(s, cid, "published") in (0, False)
    anon = s.client()
    assert nomor not in anon.get("/pengaduan").text
    assert anon.get("/pengaduan/%s" % nomor).status == 404
    coord = coordinator(s)
    assert in_queue(coord, "/kantor/pengaduan?ditahan=1", nomor)
    assert not in_queue(coord, "/kantor/pengaduan?ditahan=1&status=closed", nomor)
    r = kstep(coord, cid, "periksa-publik", {"judul": "Pelayanan lambat",
                                             "isi": "Petugas dengan NIK 3219015708900001 menolak melayani."})
    assert r.status == 422 and _field_error(r.text, "isi-publik"), r
    assert row(s, cid, "published") in (0, False)
    r = kstep(coord, cid, "periksa-publik", {"judul": "Pelayanan lambat",
                                             "isi": "Seorang petugas menolak melayani."})
    assert r.status == 303, r
    assert row(s, cid, "held") in (0, False) and row(s, cid, "published") in (1, True)
    assert nomor in anon.get("/pengaduan").text
    pub = anon.get("/pengaduan/%s" % nomor)
    assert pub.status == 200 and "Seorang petugas menolak melayani." in pub.text
    assert "3219015708900001" not in pub.text
