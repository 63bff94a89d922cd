"""`pendopo document verify` (issue #4, Documents): what it prints and how it exits. A valid
signature proves only the signed content, not the paper it came with — an envelope copied into
another PDF still verifies — so the command prints the signed non-personal fields (id, number,
product, service, unit, date, issuer, verification address) for the reader to compare with the
paper. Exit 0 valid; 1 invalid, which includes an envelope that is there but damaged (a Keywords
entry with one corrupted character); 2 only when nothing can be read (no file, no keys, no
envelope at all). The document is obtained as test_layanan_documents.py does: an assisted
application filed at the village desk, attached by the citizen, approved by the agency."""
import json
import os
import re

from kantor_util import citizen_with_nik, demo_client, file_assisted, step

SVC, PRODUCT = "akta-kelahiran", "Kutipan Akta Kelahiran"
HOLDER, NIK = "Siti Aminah Uji", "3219015708900042"
CITIZEN = "pemegang.cli@contoh.id"


def issue(s):
    """(document id, the holder's PDF bytes)."""
    citizen = citizen_with_nik(s, CITIZEN, NIK, HOLDER)  # attaching needs the account's own NIK
    desk, officer = demo_client(s, "officer", "desa-mekarsari"), demo_client(s, "officer", "disdukcapil")
    app_id, tracking = file_assisted(s, desk, SVC, nik=NIK, name=HOLDER)
    r = citizen.post_form("/permohonan/tautkan", {"csrf": citizen.csrf_from(citizen.get("/permohonan").text),
                                                  "nomor": tracking, "nik": NIK})
    assert r.status == 303, r
    assert step(officer, app_id, "ambil").status == 303
    assert step(officer, app_id, "setujui").status == 303
    doc_id = s.sql("SELECT document_id FROM application WHERE id = ?", (app_id,))[0][0]
    r = citizen.get("/permohonan/%s/dokumen.pdf" % app_id)
    assert r.status == 200 and r.body.startswith(b"%PDF-"), r
    return doc_id, r.body


def write(s, name, data):
    path = os.path.join(s.data, name)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return path


def verify(s, *args):
    return s.cli("document", "verify", *args, check=False)


def keywords(pdf):
    m = re.search(rb"/Keywords \(([A-Za-z0-9_-]+)\)", pdf)
    assert m, "no Keywords entry"
    return m.group(1)


def other_pdf(kw):
    """A PDF of someone else's making whose Keywords carry kw (and whose page says anything)."""
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
            b"3 0 obj << /Title (Akta Kelahiran Palsu) /Keywords (" + kw + b") >> endobj\n"
            b"trailer << /Root 1 0 R /Info 3 0 R >>\n%%EOF\n")


def test_verify_prints_the_signed_fields(ctx):
    s = ctx.server()
    doc_id, pdf = issue(s)
    served = s.client().get("/verifikasi/%s.json" % doc_id).json()
    doc = served["doc"]
    jwks = write(s, "kunci.json", s.client().get("/verifikasi/kunci.json").text)
    for path in (write(s, "asli.pdf", pdf), write(s, "asli.json", json.dumps(served))):
        p = verify(s, path, "--jwks", jwks)
        assert p.returncode == 0, (p.stdout, p.stderr)
        out = p.stdout
        assert out.startswith("VALID:") and served["kid"] in out.splitlines()[0], out
        for label, value in (("Document ID:", doc_id), ("Number:", doc["number"]),
                             ("Product:", PRODUCT), ("Service:", doc["service"]["name"]),
                             ("Issued by:", doc["unit"]["name"]), ("Issued:", doc["issued"]),
                             ("Verify online:", doc["verify"])):
            assert re.search(r"^  %s +%s$" % (re.escape(label), re.escape(value)), out, re.M), (label, out)
        assert "Compare every line with the printed document" in out
        assert "Revocation can only be checked online: " in out and "/verifikasi/" + doc_id in out
        # nothing personal: the holder is a digest in the signed content
        assert HOLDER not in out and NIK not in out and doc["holder"] not in out


def test_forged_pdf_with_a_real_envelope_shows_what_was_signed(ctx):
    """Someone copies a real document's Keywords into a PDF of their own: the signature verifies
    (it is the real one), and the output shows the real document's number, product and unit, so
    that a reader holding a paper that says otherwise sees the forgery."""
    s = ctx.server()
    doc_id, pdf = issue(s)
    doc = s.client().get("/verifikasi/%s.json" % doc_id).json()["doc"]
    p = verify(s, write(s, "palsu.pdf", other_pdf(keywords(pdf))))
    assert p.returncode == 0, (p.stdout, p.stderr)
    assert doc["number"] in p.stdout and PRODUCT in p.stdout and doc["unit"]["name"] in p.stdout, p.stdout
    assert "Palsu" not in p.stdout


def test_damaged_envelope_is_invalid_not_unreadable(ctx):
    s = ctx.server()
    doc_id, pdf = issue(s)
    served = s.client().get("/verifikasi/%s.json" % doc_id).json()
    jwks = write(s, "kunci.json", s.client().get("/verifikasi/kunci.json").text)
    kw = keywords(pdf)
    # One corrupted character of the base64url, anywhere, in the alphabet or not: invalid (1).
    for i in (0, 3, len(kw) // 3, len(kw) // 2, len(kw) - 5):
        for c in (b"A" if kw[i:i + 1] != b"A" else b"B", b"!"):
            bad = kw[:i] + c + kw[i + 1:]
            p = verify(s, write(s, "rusak.pdf", pdf.replace(kw, bad)), "--jwks", jwks)
            assert p.returncode == 1, (i, c, p.stdout, p.stderr)
            assert p.stdout.startswith("INVALID:") and "online" in p.stdout, p.stdout
            assert "Number:" not in p.stdout  # nothing of an invalid file is shown as signed
    # A cut-off Keywords entry: invalid too.
    p = verify(s, write(s, "potong.pdf", other_pdf(kw[: len(kw) // 2])), "--jwks", jwks)
    assert p.returncode == 1, (p.stdout, p.stderr)
    # JSON: an envelope with a member missing or of the wrong kind is damaged: invalid.
    for broken in (dict(served, doc="teks"), {k: served[k] for k in ("doc", "kid")},
                   dict(served, sig=7), {"sig": served["sig"]}):
        p = verify(s, write(s, "rusak.json", json.dumps(broken)), "--jwks", jwks)
        assert p.returncode == 1 and p.stdout.startswith("INVALID: the signed envelope is damaged"), \
            (broken.keys(), p.stdout, p.stderr)
    # Unreadable (2): no file, not JSON, JSON without any envelope member, a PDF without
    # Keywords, keys that cannot be read.
    assert verify(s, os.path.join(s.data, "tidak-ada.pdf"), "--jwks", jwks).returncode == 2
    assert verify(s, write(s, "sampah.json", "bukan json"), "--jwks", jwks).returncode == 2
    assert verify(s, write(s, "lain.json", '{"a": 1}'), "--jwks", jwks).returncode == 2
    assert verify(s, write(s, "kosong.pdf", b"%PDF-1.5\n%%EOF\n"), "--jwks", jwks).returncode == 2
    good = write(s, "asli.json", json.dumps(served))
    assert verify(s, good, "--jwks", write(s, "bukan-jwks.json", "[]")).returncode == 2
    assert verify(s, good, "--jwks", jwks).returncode == 0


def test_help_explains_the_exit_codes(ctx):
    s = ctx.server()
    p = s.cli("document", "--help", check=False)
    text = re.sub(r"\s+", " ", p.stdout + p.stderr)
    assert "1 invalid" in text and "damaged" in text and "2 unreadable" in text, text
    assert "compare with the paper" in text and "online" in text, text
