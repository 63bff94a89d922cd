"""Personal data at rest (issue 3, "Personal data"; DESIGN §4): a citizen's NIK, phone number,
address, name and email, a free-text note and an uploaded document with its file name, all
stored through the product, are found in no encoding — UTF-8 text, lower- and upper-case hex,
base64 at each of the three alignments, UTF-16LE/BE — in the database file, its WAL (while the
server runs and after it stopped), a backup taken while it runs, or the server's log; while
the product still shows every value back to its owner."""
import base64
import os
import sqlite3
import uuid

from identity_util import STRONG, register, signin

# Distinctive values: none of them occurs in the program or its demo data.
NIK = "3273014509870123"           # Jawa Barat, Kota Bandung (32.73.01), a woman born 05-09-1987
PHONE = "0813 9724 6158"           # stored as +6281397246158
PHONE_DIGITS = "81397246158"
NAME = "Kusumawardhani Pramestiningrum"
EMAIL = "pramestiningrum.kusuma@contoh.id"
ADDRESS = "Jl. Kenanga Wangi No. 17B, RT 004/RW 009, Cibening"
NOTE = "Pindaian KTP untuk verifikasi NIK; kucing oranye bernama Mbok Jamu ikut terfoto"
DOC_MARKER = "PENDOPO-DOC-MARKER-f4e1c7a9b2"
FILENAME = "ktp-pramestiningrum-kusuma.pdf"

MARKERS = {
    "nik": NIK,
    "phone": PHONE_DIGITS,
    "name": NAME,
    "email": EMAIL,
    "address": ADDRESS,
    "note": NOTE,
    "document": DOC_MARKER,
    "filename": FILENAME[:-4],
}


def b64_inner(data, shift, alphabet=None):
    """The base64 characters that depend only on data when it starts `shift` bytes into a
    3-byte group: what any base64 text containing data at that alignment must contain."""
    enc = base64.b64encode(b"\0" * shift + data)
    if alphabet == "url":
        enc = enc.replace(b"+", b"-").replace(b"/", b"_")
    start = {0: 0, 1: 2, 2: 3}[shift]
    end = ((shift + len(data)) * 8) // 6
    return enc[start:end]


def encodings(text):
    """Every form of text the scan looks for, by name."""
    raw = text.encode("utf-8")
    forms = {
        "utf-8": raw,
        "utf-8 lower": raw.lower(),
        "utf-8 upper": raw.upper(),
        "hex": raw.hex().encode(),
        "HEX": raw.hex().upper().encode(),
        "utf-16le": text.encode("utf-16-le"),
        "utf-16be": text.encode("utf-16-be"),
    }
    for shift in range(3):
        forms["base64@%d" % shift] = b64_inner(raw, shift)
        forms["base64url@%d" % shift] = b64_inner(raw, shift, "url")
    return forms


def scan(data, where):
    """Every (marker, encoding, where) found in data."""
    found = []
    for name, text in MARKERS.items():
        for enc, needle in encodings(text).items():
            if needle in data:
                found.append((name, enc, where))
    return found


def scan_file(path, where):
    with open(path, "rb") as f:
        return scan(f.read(), where)


def test_identity_at_rest_scanner_finds_every_encoding(ctx):
    """The scanner itself: each encoding of each marker, wrapped in noise at every alignment,
    is found (so a clean scan below means absent, not missed)."""
    for name, text in MARKERS.items():
        raw = text.encode()
        for shift in range(3):
            pad = os.urandom(7) + b"x" * shift
            blobs = {
                "utf-8": raw,
                "hex": raw.hex().encode(),
                "HEX": raw.hex().upper().encode(),
                "utf-16le": text.encode("utf-16-le"),
                "utf-16be": text.encode("utf-16-be"),
                "base64@%d" % shift: base64.b64encode(b"ab"[:shift] + raw + b"tail"),
                "base64url@%d" % shift: base64.urlsafe_b64encode(b"ab"[:shift] + raw + b"zz"),
            }
            for enc, blob in blobs.items():
                hits = scan(pad + blob + os.urandom(5), "synthetic")
                assert (name, enc, "synthetic") in hits, (name, enc, shift, hits)


def pdf_with(marker, padding=150_000):
    """A small valid PDF showing marker as text, with a binary stream that makes it span
    several encryption chunks."""
    content = b"BT /F1 18 Tf 72 720 Td (" + marker.encode() + b") Tj ET"
    filler = os.urandom(padding)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def multipart(fields, files):
    """A multipart/form-data body: fields {name: text}, files {name: (filename, type, bytes)}."""
    boundary = "----pendopo" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields.items():
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n" % (boundary, name)).encode()
        out += value.encode() + b"\r\n"
    for name, (filename, ctype, data) in files.items():
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                "Content-Type: %s\r\n\r\n" % (boundary, name, filename, ctype)).encode()
        out += data + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return bytes(out), "multipart/form-data; boundary=" + boundary


def post_multipart(c, path, fields, files):
    body, ctype = multipart(fields, files)
    return c.request("POST", path, body=body, headers={"Content-Type": ctype})


def db_rows(path, sql):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=30)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_identity_at_rest_nothing_personal_in_files(ctx):
    s = ctx.server()
    c = s.client()
    db = os.path.join(s.data, "pendopo.db")
    wal = db + "-wal"

    # A citizen registers with a NIK, a phone number and a name, and signs in.
    r = register(c, EMAIL, name=NAME, phone=PHONE, nik=NIK)
    assert r.status == 303 and r.header("Location") == "/masuk?terdaftar=1", r
    assert signin(c, EMAIL, STRONG).status == 303

    # The address, on /akun/alamat.
    page = c.get("/akun/alamat")
    assert page.status == 200, page
    r = c.post_form("/akun/alamat", {"csrf": c.csrf_from(page.text), "address": ADDRESS})
    assert r.status == 303 and r.header("Location") == "/akun/alamat?tersimpan=1", r

    # A supporting document with a free-text note, uploaded on /akun/dokumen (multipart, CSRF).
    pdf = pdf_with(DOC_MARKER)
    page = c.get("/akun/dokumen")
    assert page.status == 200 and 'enctype="multipart/form-data"' in page.text, page
    token = c.csrf_from(page.text)
    r = post_multipart(c, "/akun/dokumen", {"note": NOTE},
                       {"document": (FILENAME, "application/pdf", pdf)})
    assert r.status == 403, r  # without the CSRF token
    r = post_multipart(c, "/akun/dokumen", {"csrf": token, "note": NOTE},
                       {"document": (FILENAME, "application/pdf", pdf)})
    assert r.status == 303 and r.header("Location") == "/akun/dokumen?tersimpan=1", r
    # A text file posing as a PDF is refused by its content.
    page = c.get("/akun/dokumen")
    r = post_multipart(c, "/akun/dokumen", {"csrf": c.csrf_from(page.text), "note": ""},
                       {"document": ("surat.pdf", "application/pdf", b"bukan PDF sama sekali\n" * 50)})
    assert r.status == 422 and "PDF, JPEG, atau PNG" in r.text, r

    # The owner sees every value back: the product stored them, it did not drop them.
    akun = c.get("/akun").text
    assert NAME in akun and PHONE_DIGITS in akun and "327301" in akun, akun[:3000]
    alamat = c.get("/akun/alamat").text
    assert ADDRESS in alamat, alamat
    docs = c.get("/akun/dokumen").text
    assert NOTE in docs and FILENAME in docs, docs
    ids = [line.split('href="/akun/dokumen/')[1].split('"')[0]
           for line in docs.splitlines() if 'href="/akun/dokumen/' in line]
    assert len(ids) == 1, ids
    doc_url = "/akun/dokumen/" + ids[0]
    r = c.get(doc_url)
    assert r.status == 200 and r.body == pdf, (r.status, len(r.body), len(pdf))
    assert r.header("Content-Type") == "application/pdf", r.header("Content-Type")
    assert "sandbox" in [v.strip() for v in r.header_all("Content-Security-Policy")], r.headers
    disp = r.header("Content-Disposition") or ""
    assert disp.startswith("attachment;") and FILENAME[:-4] not in disp, disp
    assert r.header("Cache-Control") == "no-store" and r.header("X-Content-Type-Options") == "nosniff"
    # Nobody else gets it: another citizen and an anonymous visitor.
    other = s.client()
    assert register(other, "orang.lain@contoh.id", name="Orang Lain").status == 303
    assert signin(other, "orang.lain@contoh.id", STRONG).status == 303
    assert other.get(doc_url).status == 404
    assert ADDRESS not in other.get("/akun/alamat").text
    assert s.client().get(doc_url).status == 303

    # What is stored is ciphertext of the right size, not nothing.
    rows = db_rows(db, "SELECT a.size, a.content_type, b.size, a.filename_ct IS NOT NULL, "
                       "a.subject_id IS NOT NULL FROM attachment a JOIN blob b ON b.id = a.blob_id "
                       "JOIN account_document d ON d.attachment_id = a.id")  # not the demo's
    assert len(rows) == 1 and rows[0][0] == len(pdf) and rows[0][1] == "application/pdf", rows
    assert rows[0][2] > len(pdf) and rows[0][3] == 1 and rows[0][4] == 1, rows
    assert db_rows(db, "SELECT COUNT(*) FROM account_profile WHERE address_ct IS NOT NULL") == [(1,)]
    assert db_rows(db, "SELECT COUNT(*) FROM account_document WHERE note_ct IS NOT NULL") == [(1,)]
    assert db_rows(db, "SELECT COUNT(*) FROM outbox")[0][0] >= 2  # the verification mails

    # A backup while the server runs, then the scan of everything on disk, running and stopped.
    backup = os.path.join(s.data, "backup.db")
    s.cli("backup", backup)
    assert os.path.getsize(backup) > len(pdf)
    assert os.path.exists(wal) and os.path.getsize(wal) > 0, "no WAL while running"
    found = []
    for path, where in ((db, "database"), (wal, "WAL (running)"), (backup, "backup"),
                        (s.log_path, "log (running)")):
        found += scan_file(path, where)
    assert s.stop() == 0
    found += scan_file(db, "database (stopped)") + scan_file(s.log_path, "log")
    if os.path.exists(wal):
        found += scan_file(wal, "WAL (stopped)")
    if os.path.exists(db + "-shm"):
        found += scan_file(db + "-shm", "shm")
    assert not found, "personal data in clear: %s" % found
    # The upload's temporary file went with its request.
    tmp = os.path.join(s.data, "tmp")
    left = [n for n in os.listdir(tmp)] if os.path.isdir(tmp) else []
    assert not left, left
