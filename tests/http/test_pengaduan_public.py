"""Filing complaints and their public side (/pengaduan/baru, /pengaduan, /pengaduan/{nomor},
/pengaduan/saya, support, photos, /lacak for 'A' numbers): a visitor files public, anonymous,
confidential and held-back complaints and follows them with the private link (a wrong token is
404); a signed-in citizen files anonymously; the anonymous reporter's name and email never appear
on the public pages; confidential and held complaints are never listed and 404 publicly; a photo
comes back re-encoded without its text and EXIF chunks; support from one account counts once under
50 simultaneous requests; the public list pages by keyset without gaps or repeats."""
import html
import re
import struct
import threading
import zlib

from identity_util import STRONG, register, signin
from kantor_util import demo_client, multipart

TRACK = r"A-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]"


def _png_with_metadata():
    """A 4x4 RGB PNG carrying a tEXt chunk and an eXIf chunk (GPS-like secret in both)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"Comment\x00GPS-RAHASIA -6.914744 107.609810")
            + chunk(b"eXIf", b"MM\x00*\x00\x00\x00\x08\x00\x00GPS-RAHASIA")
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _file(c, fields, photos=()):
    page = c.get("/pengaduan/baru")
    assert page.status == 200, page
    base = {"kategori": "jalan-rusak", "judul": "Jalan berlubang", "isi": "Lubang besar di jalan.",
            "desa": "desa-mekarsari", "alamat": "Jl. Mawar", "privasi": "publik"}
    base.update(fields)
    items = [("csrf", c.csrf_from(page.text)), ("_id", re.search(r'name="_id" value="([^"]+)"', page.text).group(1))]
    items += [(k, v) for k, v in base.items() if v is not None]
    body, ctype = multipart(items, {})
    if photos:  # several parts under one name
        boundary = ctype.split("boundary=")[1]
        extra = b""
        for name, data in photos:
            extra += ("--%s\r\nContent-Disposition: form-data; name=\"foto\"; filename=\"%s\"\r\n"
                      "Content-Type: image/png\r\n\r\n" % (boundary, name)).encode() + data + b"\r\n"
        body = body.replace(("--%s--\r\n" % boundary).encode(), extra + ("--%s--\r\n" % boundary).encode())
    return c.request("POST", "/pengaduan/baru", body=body, headers={"Content-Type": ctype})


def _filed(c, fields, photos=()):
    r = _file(c, fields, photos)
    assert r.status == 200, (r.status, re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text))
    nomor = re.search(r'id="nomor">(%s)<' % TRACK, r.text).group(1)
    link = re.search(r'id="tautan-pribadi" href="([^"]+)"', r.text)
    return nomor, html.unescape(link.group(1)) if link else None, r


def _blob(v):
    """A blob column as bytes (PostgreSQL answers bytea as "\\x…" text)."""
    if isinstance(v, str):
        return bytes.fromhex(v[2:] if v.startswith("\\x") else v)
    return bytes(v)


def _listed(c, query=""):
    page = c.get("/pengaduan" + query)
    assert page.status == 200, page
    return page, re.findall(r'<span class="tracking">(%s)</span>' % TRACK, page.text)


def test_file_privacy_hold_followup_and_photo(ctx):
    s = ctx.server()
    anon = s.client()
    page = anon.get("/pengaduan/baru")
    assert page.status == 200 and page.text.count("<main") == 1
    assert 'value="jalan-rusak"' in page.text and 'value="desa-mekarsari"' in page.text
    assert 'enctype="multipart/form-data"' in page.text and 'name="email"' in page.text

    # Refused: a message beside each field, tied to it.
    r = _file(anon, {"kategori": "", "judul": "", "desa": "tidak-ada", "privasi": "x"})
    assert r.status == 422
    for f in ("kategori", "judul", "desa"):
        assert re.search(r'id="%s"[^>]*aria-describedby="%s-error"' % (f, f), r.text), f
    assert 'id="privasi-error"' in r.text

    # A visitor, public: published, with a private link.
    pub, pub_link, r = _filed(anon, {"judul": "Lampu mati di Jl. Mawar", "privasi": "publik"})
    assert pub_link and re.fullmatch(r"/pengaduan/%s\?t=[A-Za-z0-9_-]{43}" % pub, pub_link)
    assert "Lampu mati di Jl. Mawar" in anon.get("/pengaduan/%s" % pub).text

    # A visitor, anonymous, with a name and email: nothing of them on any public page.
    name, mail = "Bambang Sulistyo", "bambang.sulistyo@example.org"
    an, an_link, _ = _filed(anon, {"judul": "Sampah menumpuk", "kategori": "sampah", "privasi": "anonim",
                                   "nama": name, "email": mail})
    stranger = s.client()
    for path in ("/pengaduan", "/pengaduan/%s" % an, "/lacak/%s" % an, "/pengaduan?kategori=sampah"):
        p = stranger.get(path)
        assert p.status == 200, (path, p)
        assert name not in p.text and mail not in p.text and "Bambang" not in p.text, path
    assert "Sampah menumpuk" in stranger.get("/pengaduan/%s" % an).text
    own = anon.get(an_link)
    assert own.status == 200 and name in own.text and mail in own.text and 'id="isi-asli"' in own.text
    assert own.header("Cache-Control") == "no-store"
    # The sealed original is not stored in clear (only the public copy is).
    row = s.sql("SELECT contact_ct, public_title, followup_hash FROM complaint WHERE tracking = ?",
                (an.replace("-", ""),))[0]
    assert mail.encode() not in _blob(row[0]) and row[1] == "Sampah menumpuk" and len(_blob(row[2])) == 32

    # A signed-in citizen files anonymously: their name never shows publicly; they see it as theirs.
    cit_name = "Rahmawati Kusumadewi"
    assert register(s.client(), "rahmawati@example.org", name=cit_name).status == 303
    cit = s.client()
    assert signin(cit, "rahmawati@example.org", STRONG).status == 303
    mine, mine_link, r = _filed(cit, {"judul": "Air tidak mengalir", "kategori": "air-bersih",
                                      "privasi": "anonim"})
    assert mine_link is None and "/pengaduan/saya" in r.text
    for path in ("/pengaduan", "/pengaduan/%s" % mine, "/lacak/%s" % mine):
        p = stranger.get(path)
        assert p.status == 200 and "Rahmawati" not in p.text and "rahmawati@" not in p.text, path
    assert 'id="isi-asli"' in cit.get("/pengaduan/%s" % mine).text
    assert 'id="isi-asli"' not in stranger.get("/pengaduan/%s" % mine).text
    saya = cit.get("/pengaduan/saya")
    assert saya.status == 200 and mine in saya.text and pub not in saya.text
    assert anon.get("/pengaduan/saya").status == 303

    # Confidential: never listed, 404 publicly, /lacak shows its status only; the link works.
    conf, conf_link, _ = _filed(anon, {"judul": "Rahasia sekali", "privasi": "rahasia"})
    assert stranger.get("/pengaduan/%s" % conf).status == 404
    lac = stranger.get("/lacak/%s" % conf)
    assert lac.status == 200 and "Rahasia sekali" not in lac.text and 'href="/pengaduan/%s"' % conf not in lac.text
    assert anon.get(conf_link).status == 200 and "Rahasia sekali" in anon.get(conf_link).text
    assert stranger.get(conf_link[:-3] + "xyz").status == 404
    assert stranger.get("/pengaduan/%s?t=" % conf).status == 404

    # Held back: a NIK in the text, a phone number in the title, the "about a person" box.
    held = [_filed(anon, {"judul": "Data saya", "isi": "NIK saya 3219015708900001 salah ketik."})[:2],
            _filed(anon, {"judul": "Hubungi 0812-3456-7890"})[:2],
            _filed(anon, {"judul": "Petugas kasar", "tentang_orang": "1"})[:2]]
    _, listed = _listed(stranger)
    for nomor, link in held:
        assert stranger.get("/pengaduan/%s" % nomor).status == 404, nomor
        assert nomor not in listed
        p = anon.get(link)
        assert p.status == 200 and "ditahan" in p.text
    assert "3219015708900001" not in stranger.get("/pengaduan").text
    assert conf not in listed and pub in listed and an in listed and mine in listed
    assert s.sql("SELECT COUNT(*) FROM complaint WHERE tracking = ? AND public_text IS NULL AND held = 1",
                 (held[0][0].replace("-", ""),))[0][0] == 1

    # A photo: re-encoded, without its text and EXIF chunks; only for published complaints.
    png = _png_with_metadata()
    ph, _, _ = _filed(anon, {"judul": "Foto jalan"}, photos=[("jalan.png", png)])
    got = stranger.get("/pengaduan/%s/foto/1" % ph)
    assert got.status == 200 and got.header("Content-Type") == "image/png"
    assert "sandbox" in got.header_all("Content-Security-Policy")
    body = got.body
    assert body.startswith(b"\x89PNG") and b"tEXt" not in body and b"eXIf" not in body
    assert b"GPS-RAHASIA" not in body and b"Exif" not in body
    assert stranger.get("/pengaduan/%s/foto/2" % ph).status == 404
    phc, phc_link, _ = _filed(anon, {"judul": "Foto rahasia", "privasi": "rahasia"}, photos=[("a.png", png)])
    assert stranger.get("/pengaduan/%s/foto/1" % phc).status == 404
    r = _file(anon, {"judul": "Bukan foto"}, photos=[("x.png", b"GIF89a" + b"\x00" * 64)])
    assert r.status == 422 and 'id="foto-error"' in r.text

    # Sending the same form twice files once.
    page = anon.get("/pengaduan/baru")
    fid = re.search(r'name="_id" value="([^"]+)"', page.text).group(1)
    fields = [("csrf", anon.csrf_from(page.text)), ("_id", fid), ("kategori", "sampah"), ("judul", "Dua kali"),
              ("isi", "Sekali saja."), ("desa", "desa-cibening"), ("privasi", "publik")]
    for _ in range(2):
        body, ctype = multipart(fields, {})
        assert anon.request("POST", "/pengaduan/baru", body=body, headers={"Content-Type": ctype}).status == 200
    assert s.sql("SELECT COUNT(*) FROM complaint WHERE id = ?", (fid,))[0][0] == 1


def test_support_once_and_keyset_paging(ctx):
    s = ctx.server()
    # Keyset paging of the public list (the demo's published complaints: more than one page).
    stranger = s.client()
    published = s.sql("SELECT COUNT(*) FROM complaint WHERE published = 1")[0][0]
    assert published > 20
    seen, path = [], "/pengaduan"
    for _ in range(10):
        page = stranger.get(path)
        assert page.status == 200
        seen += re.findall(r'<span class="tracking">(%s)</span>' % TRACK, page.text)
        nxt = re.search(r'href="(/pengaduan\?[^"]+)" rel="next"', page.text)
        if not nxt:
            break
        path = html.unescape(nxt.group(1))
    assert len(seen) == published and len(set(seen)) == published
    assert stranger.get("/pengaduan?setelah=rusak").status == 400
    # Filters.
    _, cats = _listed(stranger, "?kategori=sampah")
    want = s.sql("SELECT COUNT(*) FROM complaint c JOIN complaint_category k ON k.id = c.category_id "
                 "WHERE c.published = 1 AND k.code = 'sampah'")[0][0]
    assert len(cats) == want > 0
    _, vil = _listed(stranger, "?desa=desa-mekarsari&status=open")
    assert all(s.sql("SELECT p.slug FROM complaint c JOIN unit p ON p.id = c.place_unit_id WHERE c.tracking = ?",
                     (t.replace("-", ""),))[0][0] == "desa-mekarsari" for t in vil)
    assert stranger.get("/pengaduan?status=bukan").status == 400

    # Support: 50 simultaneous requests from one account count once.
    target = seen[0]
    c = demo_client(s, "citizen")
    page = c.get("/pengaduan/%s" % target)
    assert page.status == 200 and 'action="/pengaduan/%s/dukung"' % target in page.text
    token = c.csrf_from(page.text)
    statuses = []

    def hit():
        r = c.post_form("/pengaduan/%s/dukung" % target, {"csrf": token})
        statuses.append(r.status)
    threads = [threading.Thread(target=hit) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses.count(303) == 50, statuses
    assert s.sql("SELECT support_count FROM complaint WHERE tracking = ?", (target.replace("-", ""),))[0][0] == 1
    assert s.sql("SELECT COUNT(*) FROM complaint_support cs JOIN complaint c ON c.id = cs.complaint_id "
                 "WHERE c.tracking = ?", (target.replace("-", ""),))[0][0] == 1
    page = c.get("/pengaduan/%s" % target)
    assert re.search(r'id="dukungan">1<', page.text) and "Anda sudah mendukung" in page.text
    # Nobody signed in: to the sign-in page; an unpublished complaint: 404.
    anon = s.client()
    p = anon.get("/pengaduan/%s" % target)
    assert anon.post_form("/pengaduan/%s/dukung" % target, {"csrf": anon.csrf_from(p.text)}).status == 303
    conf = s.sql("SELECT tracking FROM complaint WHERE visibility = 'confidential' LIMIT 1")[0][0]
    assert c.post_form("/pengaduan/%s/dukung" % conf, {"csrf": token}).status == 404
    # /lacak for a complaint links to its page.
    lac = stranger.get("/lacak/%s" % target)
    assert lac.status == 200 and 'href="/pengaduan/%s"' % target in lac.text
