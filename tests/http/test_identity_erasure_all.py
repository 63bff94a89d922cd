"""Identity: erasure (/akun/hapus) reaches every table that refers to the account — sessions, links,
grants, TOTP secret and recovery codes, pending sign-ins, the profile's address, supporting
documents with their attachments, blobs and chunks — on SQLite and PostgreSQL alike; the
applications' answers, notes, files and their documents' holder become unreadable while the
documents still verify; and the download (/akun/unduh) carries the address and the documents'
descriptions, never their bytes."""
import json
import os
import re
import uuid

from identity_util import NIK, STRONG, post_with_csrf, register, signin

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
ADDRESS = "Jl. Kenanga No. 7, RT 02/RW 05, Desa Mekarsari"

# (table, column naming the account) of every table that refers to an account.
REFERRING = (
    ("account_session", "account_id"),
    ("account_token", "account_id"),
    ("account_grant", "account_id"),
    ("account_totp", "account_id"),
    ("account_recovery_code", "account_id"),
    ("signin_pending", "account_id"),
    ("account_profile", "account_id"),
    ("account_document", "account_id"),
    ("attachment", "subject_id"),
)


def multipart(fields, files):
    boundary = "pd" + uuid.uuid4().hex
    body = b""
    for k, v in fields.items():
        body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                 % (boundary, k, v)).encode()
    for name, (filename, ctype, data) in files.items():
        body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                 "Content-Type: %s\r\n\r\n" % (boundary, name, filename, ctype)).encode()
        body += data + b"\r\n"
    body += ("--%s--\r\n" % boundary).encode()
    return body, "multipart/form-data; boundary=" + boundary


def citizen(s, addr):
    assert register(s.client(), addr, name="Ayu Lestari", village="desa-mekarsari", nik=NIK,
                    phone="0812 3456 7890").status == 303
    c = s.client()
    assert signin(c, addr, STRONG).status == 303
    return c


def add_document(c, filename, ctype, data, note):
    page = c.get("/akun/dokumen")
    body, content_type = multipart({"csrf": c.csrf_from(page.text), "note": note},
                                   {"document": (filename, ctype, data)})
    r = c.request("POST", "/akun/dokumen", body=body, headers={"Content-Type": content_type})
    assert r.status == 303, r


def with_profile(s, addr):
    """A citizen with an address and two documents; returns (client, account id)."""
    c = citizen(s, addr)
    assert post_with_csrf(c, "/akun/alamat", "/akun/alamat", {"address": ADDRESS}).status == 303
    add_document(c, "kk-keluarga.pdf", "application/pdf", PDF, "Kartu keluarga")
    add_document(c, "pas-foto.png", "image/png", PNG, "")
    doc = c.get("/akun/unduh").json()
    return c, doc["account"]["id"]


def test_identity_privacy_export_profile_and_documents(ctx):
    s = ctx.server()
    c, account_id = with_profile(s, "ayu@contoh.id")
    r = c.get("/akun/unduh")
    assert r.status == 200, r
    doc = r.json()
    assert doc["profile"] == {"address": ADDRESS}, doc["profile"]
    docs = doc["documents"]
    assert [d["filename"] for d in docs] == ["pas-foto.png", "kk-keluarga.pdf"], docs  # newest first
    by_name = {d["filename"]: d for d in docs}
    assert by_name["kk-keluarga.pdf"]["content_type"] == "application/pdf"
    assert by_name["kk-keluarga.pdf"]["size"] == len(PDF)
    assert by_name["kk-keluarga.pdf"]["note"] == "Kartu keluarga"
    assert by_name["pas-foto.png"] == {"id": by_name["pas-foto.png"]["id"], "filename": "pas-foto.png",
                                       "content_type": "image/png", "size": len(PNG), "note": None,
                                       "created_at": by_name["pas-foto.png"]["created_at"]}
    assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", d["created_at"]) for d in docs)
    # Descriptions only: the bytes stay behind /akun/dokumen/{id}.
    assert b"%PDF-1.4" not in r.body and b"IHDR" not in r.body
    for d in docs:
        assert c.get("/akun/dokumen/%s" % d["id"]).status == 200
    # Someone else's download has none of it.
    fresh = s.client()
    assert register(fresh, "lain@contoh.id", name="Orang Lain").status == 303
    assert signin(fresh, "lain@contoh.id", STRONG).status == 303
    theirs = fresh.get("/akun/unduh").json()
    assert theirs["profile"] == {"address": None} and theirs["documents"] == [], theirs


def test_identity_privacy_erasure_reaches_every_table(ctx):
    s = ctx.server()
    c, account_id = with_profile(s, "hapus.semua@contoh.id")
    # A second-factor secret, recovery codes and a pending sign-in belong to staff, who cannot
    # erase themselves here; an account holder may have kept them from a staff past (the CLI
    # makes staff of an existing account). Put rows in place so the erasure has to find them.
    s.sql("INSERT INTO account_totp (account_id, secret_ct, state, last_step, created_ms) "
          "VALUES (?, ?, 'active', 0, 1)", (account_id, b"\x01" * 60))
    s.sql("INSERT INTO account_recovery_code (account_id, code_hash, created_ms) VALUES (?, ?, 1)",
          (account_id, b"\x02" * 32))
    s.sql("INSERT INTO signin_pending (token_hash, account_id, step, binding, next, attempts, "
          "created_ms, expires_ms) VALUES (?, ?, 'code', ?, '/akun', 0, 1, 9999999999999)",
          (b"\x03" * 32, account_id, b"\x04" * 32))
    # A reset link too, so account_token has a row.
    assert post_with_csrf(s.client(), "/lupa-sandi", "/lupa-sandi",
                          {"email": "hapus.semua@contoh.id"}).status == 303
    blob_ids = [row[0] for row in s.sql("SELECT blob_id FROM attachment WHERE subject_id = ?",
                                        (account_id,))]
    assert len(blob_ids) == 2, blob_ids
    before = {t: s.sql("SELECT COUNT(*) FROM %s WHERE %s = ?" % (t, col), (account_id,))[0][0]
              for t, col in REFERRING}
    for table, n in before.items():
        if table != "account_grant":  # a citizen holds no grant
            assert n > 0, (table, before)
    chunks = sum(s.sql("SELECT COUNT(*) FROM blob_chunk WHERE blob_id = ?", (b,))[0][0]
                 for b in blob_ids)
    assert chunks >= 2, chunks

    r = post_with_csrf(c, "/akun/hapus", "/akun/hapus", {"current": STRONG, "konfirmasi": "ya"})
    assert r.status == 303 and r.header("Location") == "/akun/dihapus", r

    # No row of any of those tables refers to the account; the blobs and their chunks are gone.
    after = {t: s.sql("SELECT COUNT(*) FROM %s WHERE %s = ?" % (t, col), (account_id,))[0][0]
             for t, col in REFERRING}
    assert not any(after.values()), after
    for b in blob_ids:
        assert s.sql("SELECT COUNT(*) FROM blob WHERE id = ?", (b,))[0][0] == 0, b
        assert s.sql("SELECT COUNT(*) FROM blob_chunk WHERE blob_id = ?", (b,))[0][0] == 0, b
    # The tombstone stays, and the audit log, by id only, still verifies.
    assert s.sql("SELECT COUNT(*) FROM account WHERE id = ? AND erased_ms IS NOT NULL",
                 (account_id,))[0][0] == 1
    assert s.cli("audit", "verify").returncode == 0
    assert ADDRESS not in s.read_log() and "kk-keluarga.pdf" not in s.read_log()


def test_identity_erasure_reaches_applications_and_documents(ctx):
    """Erasing a citizen makes their applications' answers, notes, files and the holder of their
    documents unreadable (all under the destroyed subject key, the files of an assisted
    application re-keyed when it was attached, and deleted), while the documents keep
    verifying: their signed content holds no personal data."""
    from kantor_util import (citizen_apply, citizen_correct, citizen_with_nik, demo_client,
                             detail, file_assisted, file_ids, step)
    s = ctx.server()
    email, name, nik = "hapus.permohonan@contoh.id", "Dewi Hapusan", "3219015708900077"
    note = "Mohon unggah ulang surat pengantar RT yang sudah ditandatangani."
    c = citizen_with_nik(s, email, nik, name)  # attaching needs the account's own NIK
    off = demo_client(s, "officer", "desa-mekarsari")
    # A: applied online, returned with a note, corrected, approved.
    a = citizen_apply(s, c, "sktm")
    assert step(off, a, "ambil").status == 303
    assert step(off, a, "kembalikan", {"catatan": note}).status == 303
    assert citizen_correct(s, c, a, "sktm").status == 303
    assert step(off, a, "ambil").status == 303
    assert step(off, a, "setujui").status == 303
    # B: filed at the village desk for the citizen (name and NIK from the card), attached to the
    # account (its files re-keyed under the account's key), then approved.
    b, tracking = file_assisted(s, off, "sktm", nik=nik, name=name)
    r = c.post_form("/permohonan/tautkan", {"csrf": c.csrf_from(c.get("/permohonan").text),
                                            "nomor": tracking, "nik": nik})
    assert r.status == 303, r
    assert step(off, b, "ambil").status == 303
    assert step(off, b, "setujui").status == 303
    account_id = s.sql("SELECT citizen_account_id FROM application WHERE id = ?", (a,))[0][0]
    docs = [s.sql("SELECT document_id FROM application WHERE id = ?", (x,))[0][0] for x in (a, b)]
    pdfs = []
    for x in (a, b):
        r = c.get("/permohonan/%s/dokumen.pdf" % x)
        assert r.status == 200 and r.body.startswith(b"%PDF-"), r
        path = os.path.join(s.data, "dokumen-%s.pdf" % x)
        with open(path, "wb") as f:
            f.write(r.body)
        pdfs.append(path)
    # Before: the officer reads the answers, the note, the holder's name and the files.
    page_a, page_b = detail(off, a), detail(off, b)
    assert "Uji lembaga_tujuan" in page_a and note in page_a
    assert name in page_b
    files = {x: sorted(set(file_ids(p, x))) for x, p in ((a, page_a), (b, page_b))}
    assert files[a] and files[b], files
    assert off.get("/kantor/permohonan/%s/berkas/%s" % (a, files[a][0])).status == 200
    under_account = s.sql("SELECT COUNT(*) FROM application_file f JOIN attachment t "
                          "ON t.id = f.attachment_id WHERE f.application_id = ? "
                          "AND t.subject_id = ?", (b, account_id))[0][0]
    assert under_account == len(files[b]), under_account
    # Every piece is under a subject key: the holder of both documents too (format 0x02).
    for d in docs:
        holder = s.sql("SELECT holder_ct FROM document WHERE id = ?", (d,))[0][0]
        # PostgreSQL rows give bytea as text
        holder = bytes.fromhex(holder[2:]) if isinstance(holder, str) else bytes(holder)
        assert holder[:1] == b"\x02", holder[:1]
    assert s.sql("SELECT subject_key FROM application WHERE id = ?", (b,))[0][0] is None

    r = post_with_csrf(c, "/akun/hapus", "/akun/hapus", {"current": STRONG, "konfirmasi": "ya"})
    assert r.status == 303 and r.header("Location") == "/akun/dihapus", r

    # The subject key is gone: answers, notes and the holder's name no longer open.
    assert s.sql("SELECT subject_key FROM account WHERE id = ?", (account_id,))[0][0] is None
    page_a, page_b = detail(off, a), detail(off, b)
    assert "Uji lembaga_tujuan" not in page_a and note not in page_a
    assert "Uji lembaga_tujuan" not in page_b and name not in page_b
    # Every file of both applications is deleted, the assisted one's too.
    assert file_ids(page_a, a) == [] and file_ids(page_b, b) == []
    for x in (a, b):
        assert s.sql("SELECT COUNT(*) FROM application_file WHERE application_id = ?", (x,))[0][0] == 0
        for f in files[x]:
            assert off.get("/kantor/permohonan/%s/berkas/%s" % (x, f)).status == 404
    # The documents still verify, online and offline; they never named anyone in clear.
    for d, path in zip(docs, pdfs):
        env = s.client().get("/verifikasi/%s.json" % d).json()
        assert env["status"]["state"] == "valid", env
        assert name not in json.dumps(env) and nik not in json.dumps(env)
        p = s.cli("document", "verify", path, check=False)
        assert p.returncode == 0 and "VALID" in p.stdout, (p.stdout, p.stderr)
    assert s.cli("audit", "verify").returncode == 0
