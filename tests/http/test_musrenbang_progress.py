"""Musrenbang progress with photos over HTTP: the village's officer records the implementation of
a funded proposal through the round's form (multipart, its CSRF token) with a PNG and then a
JPEG that carry metadata (a PNG tEXt chunk, a JPEG EXIF APP1 and a comment); the proposal's
public page shows the stage and percentage and links the photos, which are served as images
without any of that metadata. A citizen, an officer of another unit and a coordinator who may
see but not act are refused, so is a file that is not an image (a PDF or a text named .jpg or
.png), and nothing is recorded for any of them."""
import re
import struct

from kantor_util import demo_client
from test_musrenbang import (advance, create_round, csrf_of, multipart, png, propose, verify,
                             vote)

MARK = b"RAHASIA"  # in every piece of metadata of the uploads; never in what is served


def jpeg():
    """An 8x8 grey baseline JPEG with an EXIF APP1 (ImageDescription, Orientation) and a COM."""
    def seg(marker, data):
        return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data

    desc = b"GPS -6.91,107.61 KAMERA-RAHASIA\x00"
    # TIFF big-endian; IFD0 at 8 with two entries, then the description after the IFD.
    off = 8 + 2 + 2 * 12 + 4
    tiff = (b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 2)
            + struct.pack(">HHII", 0x010E, 2, len(desc), off)          # ImageDescription
            + struct.pack(">HHIHH", 0x0112, 3, 1, 1, 0)                # Orientation 1
            + struct.pack(">I", 0) + desc)
    huff_one = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1 for symbol 0
    return (b"\xff\xd8"
            + seg(0xE1, b"Exif\x00\x00" + tiff)
            + seg(0xFE, b"Komentar KOMENTAR-RAHASIA")
            + seg(0xDB, b"\x00" + bytes([1] * 64))
            + seg(0xC0, struct.pack(">BHHB", 8, 8, 8, 1) + b"\x01\x11\x00")
            + seg(0xC4, b"\x00" + huff_one)   # DC table 0: category 0 only
            + seg(0xC4, b"\x10" + huff_one)   # AC table 0: end of block only
            + seg(0xDA, b"\x01\x01\x00\x00\x3f\x00")
            + b"\x3f"                          # DC diff 0 ("0"), EOB ("0"), padded with ones
            + b"\xff\xd9")


def png_chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    kinds, i = [], 8
    while i < len(data):
        n = struct.unpack(">I", data[i:i + 4])[0]
        kinds.append(data[i + 4:i + 8].decode("latin-1"))
        i += 12 + n
    return kinds


def jpeg_markers(data):
    """The markers of a JPEG up to its first scan."""
    assert data[:2] == b"\xff\xd8", data[:16]
    out, i = [], 2
    while i < len(data):
        assert data[i] == 0xFF, (i, data[i:i + 4])
        m = data[i + 1]
        out.append(m)
        if m == 0xDA:
            break
        i += 2 + struct.unpack(">H", data[i + 2:i + 4])[0]
    return out


def funded_proposal(s):
    """A village round of Desa Mekarsari in its results phase with one funded proposal:
    (round id, proposal id, the village's officer)."""
    admin = demo_client(s, "administrator", "sukamaju")
    officer = demo_client(s, "officer", "desa-mekarsari")
    w1 = demo_client(s, "citizen")  # home Desa Mekarsari
    rid = create_round(admin, "desa-mekarsari", 2035, 100000000, title="Musrenbang Kemajuan Uji")
    pid = propose(w1, rid, "Saluran air Dusun Kaler", "45000000")
    verify(officer, rid, pid, True, "45000000")
    for phase in ("verification", "voting"):
        advance(s, admin, rid, phase)
    vote(w1, rid, [pid])
    for phase in ("ranking", "results"):
        advance(s, admin, rid, phase)
    assert s.sql("SELECT funded FROM musrenbang_proposal WHERE id = ?", (pid,))[0][0] == 1
    return rid, pid, officer, w1


def progress_form(c, rid, pid):
    """The progress form of proposal pid on the round's back-office page: (its fields, html)."""
    page = c.get("/kantor/musrenbang/%s" % rid)
    assert page.status == 200, page.status
    m = re.search(r'<form method="post" action="/kantor/musrenbang/usulan/%s/kemajuan"([^>]*)>(.*?)</form>'
                  % pid, page.text, re.S)
    assert m, "no progress form for %s" % pid
    attrs, form = m.groups()
    assert 'enctype="multipart/form-data"' in attrs
    assert re.search(r'<input id="foto-%s" name="foto" type="file"' % pid, form)
    assert 'name="tahap"' in form and 'name="persen"' in form and 'name="catatan"' in form
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    assert hidden.get("musrenbang") == rid and hidden.get("csrf"), hidden
    return hidden, form


def post_progress(c, pid, hidden, stage, pct, note, photo=None):
    fields = dict(hidden, tahap=stage, persen=pct, catatan=note)
    body, ctype = multipart(fields, {"foto": photo} if photo else None)
    return c.request("POST", "/kantor/musrenbang/usulan/%s/kemajuan" % pid, body=body,
                     headers={"Content-Type": ctype})


def recorded(s, pid):
    """What the database holds of the proposal's progress: (updates, photos, stage, percent,
    audit entries)."""
    return (s.sql("SELECT COUNT(*) FROM musrenbang_progress WHERE proposal_id = ?", (pid,))[0][0],
            s.sql("SELECT COUNT(*) FROM musrenbang_photo WHERE proposal_id = ?", (pid,))[0][0],
            *s.sql("SELECT progress_status, progress_pct FROM musrenbang_proposal WHERE id = ?", (pid,))[0],
            s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'musrenbang.progress' AND object_id = ?",
                  (pid,))[0][0])


def test_progress_with_photos_public_and_cleaned(ctx):
    s = ctx.server()
    rid, pid, officer, _ = funded_proposal(s)
    # Funded at the results: planned, 0%, no update and no photo yet.
    assert recorded(s, pid) == (0, 0, "planned", 0, 0), recorded(s, pid)
    page = s.client().get("/partisipasi/musrenbang/usulan/%s" % pid)
    assert page.status == 200 and "Belum ada laporan kemajuan." in page.text
    assert "<dd>Direncanakan 0%</dd>" in page.text
    assert "/foto/" not in page.text

    # A PNG with a tEXt chunk through the real form.
    upload = png(16, 12)
    assert b"tEXt" in upload and MARK in upload
    hidden, _ = progress_form(officer, rid, pid)
    r = post_progress(officer, pid, hidden, "in_progress", "60", "Galian saluran 60 meter selesai.",
                      ("kemajuan.png", "image/png", upload))
    assert r.status == 303 and r.header("Location") == "/kantor/musrenbang/%s?ok=1" % rid, \
        (r.status, r.text[:1500])
    assert recorded(s, pid) == (1, 1, "in_progress", 60, 1)
    gid = s.sql("SELECT id FROM musrenbang_progress WHERE proposal_id = ?", (pid,))[0][0]
    assert s.sql("SELECT progress_id, mime FROM musrenbang_photo WHERE proposal_id = ?", (pid,)) == \
        [(gid, "image/png")]

    anon = s.client()
    page = anon.get("/partisipasi/musrenbang/usulan/%s" % pid)
    assert page.status == 200
    assert re.search(r"<dt>Pelaksanaan</dt><dd>Sedang dikerjakan 60%</dd>", page.text), page.text
    assert re.search(r"<li>[^<]*: Sedang dikerjakan, 60%\. Galian saluran 60 meter selesai\.</li>", page.text)
    photo1 = "/partisipasi/musrenbang/usulan/%s/foto/1" % pid
    assert re.search(r'<img src="%s" alt="[^"]+"' % re.escape(photo1), page.text), page.text
    assert "/foto/2" not in page.text
    ph = anon.get(photo1)
    assert ph.status == 200 and ph.header("Content-Type").startswith("image/png"), ph
    assert "sandbox" in ph.header_all("Content-Security-Policy")
    assert MARK not in ph.body and b"Comment" not in ph.body
    kinds = png_chunks(ph.body)
    assert kinds[0] == "IHDR" and kinds[-1] == "IEND" and "IDAT" in kinds
    assert all(k[0].isupper() for k in kinds), kinds  # no ancillary chunk (tEXt, eXIf, …)
    assert struct.unpack(">II", ph.body[16:24]) == (16, 12)

    # Then a JPEG with EXIF and a comment: the work is done.
    upload = jpeg()
    assert b"Exif\x00\x00" in upload and MARK in upload
    hidden, _ = progress_form(officer, rid, pid)
    r = post_progress(officer, pid, hidden, "done", "100", "Saluran sudah dipakai warga.",
                      ("selesai.jpg", "image/jpeg", upload))
    assert r.status == 303, (r.status, re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text))
    assert recorded(s, pid) == (2, 2, "done", 100, 2)
    page = anon.get("/partisipasi/musrenbang/usulan/%s" % pid).text
    assert "<dd>Selesai 100%</dd>" in page
    assert "Sedang dikerjakan, 60%." in page and "Selesai, 100%. Saluran sudah dipakai warga." in page
    photo2 = "/partisipasi/musrenbang/usulan/%s/foto/2" % pid
    assert '<img src="%s"' % photo1 in page and '<img src="%s"' % photo2 in page
    ph = anon.get(photo2)
    assert ph.status == 200 and ph.header("Content-Type").startswith("image/jpeg"), ph
    assert MARK not in ph.body and b"Exif" not in ph.body and b"Komentar" not in ph.body
    markers = jpeg_markers(ph.body)
    assert 0xE0 in markers and 0xC0 in markers, [hex(m) for m in markers]
    assert not [m for m in markers if 0xE1 <= m <= 0xEF or m == 0xFE], [hex(m) for m in markers]
    assert anon.get("/partisipasi/musrenbang/usulan/%s/foto/3" % pid).status == 404
    # The round's public list shows the item's latest stage and percentage.
    rpage = anon.get("/partisipasi/musrenbang/%s" % rid)
    assert rpage.status == 200
    assert re.search(r'<a href="/partisipasi/musrenbang/usulan/%s">Saluran air Dusun Kaler</a>[^\n]*'
                     r'<strong>Didanai</strong>\. Selesai 100%%\.</li>' % pid, rpage.text), rpage.text


def test_progress_refused_and_nothing_recorded(ctx):
    s = ctx.server()
    rid, pid, officer, citizen = funded_proposal(s)
    hidden, _ = progress_form(officer, rid, pid)
    photo = ("kemajuan.png", "image/png", png())
    nothing = (0, 0, "planned", 0, 0)  # funded at the results, no update yet
    assert recorded(s, pid) == nothing, recorded(s, pid)

    # A citizen (even the proposer) posting the form: not staff, the back office is not found.
    token = csrf_of(citizen, "/partisipasi/musrenbang/%s" % rid)
    r = post_progress(citizen, pid, dict(hidden, csrf=token), "in_progress", "50", "Dari warga.", photo)
    assert r.status == 404, r.status
    # An officer of another unit: the round is not in their subtree.
    other = demo_client(s, "officer", "dinkes")
    r = post_progress(other, pid, dict(hidden, csrf=csrf_of(other, "/kantor/musrenbang")),
                      "in_progress", "50", "Dari dinas lain.", photo)
    assert r.status == 404, r.status
    # The regency's coordinator may see the round's items but not record progress: 403.
    coord = demo_client(s, "coordinator", "sukamaju")
    r = post_progress(coord, pid, dict(hidden, csrf=csrf_of(coord, "/kantor/musrenbang")),
                      "in_progress", "50", "Dari koordinator.", photo)
    assert r.status == 403, r.status
    assert recorded(s, pid) == nothing, recorded(s, pid)

    # Files that are not images, under an image's name and type: 422 with the field's error.
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    for name, ctype, data in (("foto.jpg", "image/jpeg", pdf),
                              ("foto.png", "image/png", b"Bukan gambar, hanya teks.\n" * 8)):
        hidden, _ = progress_form(officer, rid, pid)
        r = post_progress(officer, pid, hidden, "in_progress", "50", "Foto salah.", (name, ctype, data))
        assert r.status == 422, (name, r.status)
        err = re.search(r'<p class="field-error" id="foto-error-%s">([^<]*)</p>' % pid, r.text)
        assert err and err.group(1) == "Foto harus berkas JPEG atau PNG yang utuh.", (name, err)
        assert re.search(r'id="foto-%s" name="foto" type="file"[^>]* aria-invalid="true" '
                         r'aria-describedby="foto-error-%s"' % (pid, pid), r.text)
        assert recorded(s, pid) == nothing, (name, recorded(s, pid))
    page = s.client().get("/partisipasi/musrenbang/usulan/%s" % pid).text
    assert "Belum ada laporan kemajuan." in page and "/foto/" not in page
    assert "<dd>Direncanakan 0%</dd>" in page and "Foto salah." not in page

    # The same form from the village's officer with an image is recorded: the refusals above
    # were for who sent them and what was sent, not for the form.
    hidden, _ = progress_form(officer, rid, pid)
    r = post_progress(officer, pid, hidden, "in_progress", "50", "Separuh saluran terpasang.", photo)
    assert r.status == 303, (r.status, r.text[:1500])
    assert recorded(s, pid) == (1, 1, "in_progress", 50, 1)
    page = s.client().get("/partisipasi/musrenbang/usulan/%s" % pid).text
    assert "<dd>Sedang dikerjakan 50%</dd>" in page and "Separuh saluran terpasang." in page
    assert "/partisipasi/musrenbang/usulan/%s/foto/1" % pid in page
