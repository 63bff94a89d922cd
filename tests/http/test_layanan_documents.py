"""Signed documents (issue #4, Documents), obtained through the real flow: an officer of the
village office files an assisted application for a citizen, the citizen attaches it, the agency's
officer claims and approves it, and the citizen downloads the PDF from
/permohonan/{id}/dokumen.pdf. Then: the JWKS, the public verification page and its JSON,
`pendopo document verify` on the PDF and on the JSON (valid 0, one changed byte 1, unreadable 2),
a supervisor's revocation (page, JSON and command line: the signature stays valid, revocation is
only known online), numbers that stay distinct when four approvals land at once, and the holder's
data sealed under the application's key, following it when an assisted application is attached
after its approval, and through a rotation of the master key."""
import base64
import json
import os
import re
import threading
import uuid

from kantor_util import citizen_with_nik, demo_client, detail, file_assisted, hidden, step
from run import serial

SVC, PRODUCT = "akta-kelahiran", "Kutipan Akta Kelahiran"   # a Disdukcapil service
HOLDER, NIK = "Siti Aminah Uji", "3219015708900042"
DESK, AGENCY = "desa-mekarsari", "disdukcapil"
CITIZEN = "pemegang.dokumen@contoh.id"


def _clients(s):
    """The desk officer, the agency's officer and the citizen (created once per server)."""
    if not hasattr(s, "_doc_clients"):
        c = citizen_with_nik(s, CITIZEN, NIK, HOLDER)  # attaching needs the account's own NIK
        s._doc_clients = (demo_client(s, "officer", DESK), demo_client(s, "officer", AGENCY), c)
    return s._doc_clients


def _attach(c, tracking):
    r = c.post_form("/permohonan/tautkan", {"csrf": c.csrf_from(c.get("/permohonan").text),
                                            "nomor": tracking, "nik": NIK})
    assert r.status == 303, r


def _filed(s):
    """An assisted application filed at the desk for HOLDER/NIK: (application id, tracking)."""
    desk, _, _ = _clients(s)
    return file_assisted(s, desk, SVC, nik=NIK, name=HOLDER)


def _issue(s, attach_after=False):
    """A document issued by approving an application; returns (document id, application id)."""
    _, officer, citizen = _clients(s)
    app_id, tracking = _filed(s)
    if not attach_after:
        _attach(citizen, tracking)
    assert step(officer, app_id, "ambil").status == 303
    assert step(officer, app_id, "setujui").status == 303
    if attach_after:
        _attach(citizen, tracking)
    doc_id = s.sql("SELECT document_id FROM application WHERE id = ?", (app_id,))[0][0]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", doc_id), doc_id
    return doc_id, app_id


def _pdf(s, app_id):
    """The holder's PDF, downloaded by the citizen."""
    r = _clients(s)[2].get("/permohonan/%s/dokumen.pdf" % app_id)
    assert r.status == 200 and r.header("Content-Type") == "application/pdf", r
    return r.body


def _blob(v):
    """A blob column's bytes (PostgreSQL rows give bytea as a '\\x…' string)."""
    return bytes.fromhex(v[2:]) if isinstance(v, str) else bytes(v)


def _demo(s, role, unit):
    return demo_client(s, role, unit)


def _write(s, name, data):
    path = os.path.join(s.data, name)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return path


def _verify(s, *args):
    return s.cli("document", "verify", *args, check=False)


def test_jwks_shape(ctx):
    s = ctx.server()
    c = s.client()
    _issue(s)
    r = c.get("/verifikasi/kunci.json")
    assert r.status == 200, r
    assert r.header("Content-Type").startswith("application/jwk-set+json")
    keys = r.json()["keys"]
    assert len(keys) == 1, keys
    k = keys[0]
    assert set(k) == {"kty", "crv", "x", "kid", "use", "alg"}, k  # never "d"
    assert (k["kty"], k["crv"], k["use"], k["alg"]) == ("OKP", "Ed25519", "sig", "EdDSA")
    assert len(base64.urlsafe_b64decode(k["x"] + "=")) == 32
    # A rotated key signs new documents; the earlier one stays listed, newest first.
    s.cli("document", "rotate-key")
    doc2, _ = _issue(s)
    keys2 = c.get("/verifikasi/kunci.json").json()["keys"]
    assert len(keys2) == 2 and keys2[1]["kid"] == k["kid"] and keys2[0]["kid"] != k["kid"], keys2
    assert c.get("/verifikasi/%s.json" % doc2).json()["kid"] == keys2[0]["kid"]


def test_unknown_document(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/verifikasi")
    assert r.status == 200 and r.text.count("<main") == 1 and 'for="id"' in r.text, r
    unknown = str(uuid.uuid4())
    r = c.get("/verifikasi/" + unknown)
    assert r.status == 404, r
    assert r.text.count("<main") == 1 and "Dokumen tidak dikenal" in r.text
    assert 'name="id"' in r.text  # the form again, to retype the id
    assert c.get("/verifikasi/bukan-id").status == 404
    r = c.get("/verifikasi/%s.json" % unknown)
    assert r.status == 404 and r.json() == {"status": {"state": "unknown"}}, r
    # the form: a bad id is shown again with a message tied to the field; a good one redirects
    r = c.get("/verifikasi?id=%3Cscript%3E")
    assert r.status == 422 and 'aria-describedby="id-error"' in r.text and "<script>" not in r.text, r
    r = c.get("/verifikasi?id=+" + unknown.upper() + "+")
    assert r.status == 303 and r.header("Location").endswith("/verifikasi/" + unknown), r


def test_valid_page_and_json(ctx):
    s = ctx.server()
    c = s.client()
    doc_id, app_id = _issue(s)
    # the citizen's application page links to the document
    page = _clients(s)[2].get("/permohonan/%s" % app_id).text
    assert "/permohonan/%s/dokumen.pdf" % app_id in page
    r = c.get("/verifikasi/" + doc_id)
    assert r.status == 200, r
    assert r.text.count("<main") == 1 and "Dokumen sah." in r.text
    assert PRODUCT in r.text and "/DISDUKCAPIL/" in r.text
    assert HOLDER not in r.text and NIK not in r.text  # no personal data on the public page
    assert "Cabut dokumen ini" not in r.text  # only for a supervisor
    assert len(c.get("/verifikasi/" + doc_id, headers={"Accept-Encoding": "gzip"}).raw) < 30 * 1024
    r = c.get("/verifikasi/%s.json" % doc_id)
    assert r.status == 200, r
    env = r.json()
    assert set(env) == {"doc", "kid", "sig", "status"}, env
    assert env["status"]["state"] == "valid"
    doc = env["doc"]
    assert doc["id"] == doc_id and doc["product"] == PRODUCT and doc["application"] == app_id
    assert re.fullmatch(r"\d{4}/DISDUKCAPIL/\d{4}", doc["number"]), doc
    assert HOLDER not in r.text and NIK not in r.text
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", doc["holder"]), doc  # the binding digest only
    assert re.fullmatch(r"[A-Za-z0-9_-]{86}", env["sig"]), env
    # two documents of one unit and year get consecutive numbers
    d2 = c.get("/verifikasi/%s.json" % _issue(s)[0]).json()["doc"]
    assert int(d2["number"][:4]) == int(doc["number"][:4]) + 1, (doc["number"], d2["number"])
    jwks = c.get("/verifikasi/kunci.json").json()
    assert env["kid"] in [k["kid"] for k in jwks["keys"]]
    # the holder (name, NIK, holder code) is sealed under a subject key (format 0x02), not the
    # master key, and appears in clear nowhere in the row
    row = s.sql("SELECT holder_ct, content FROM document WHERE id = ?", (doc_id,))[0]
    holder = _blob(row[0])
    assert holder[:1] == b"\x02", holder[:1]
    assert HOLDER.encode() not in holder and HOLDER not in row[1] and NIK not in row[1]


def test_cli_verify(ctx):
    s = ctx.server()
    c = s.client()
    doc_id, app_id = _issue(s)
    data = _pdf(s, app_id)
    pdf = _write(s, "dokumen.pdf", data)
    assert data.startswith(b"%PDF-") and b"/Keywords" in data
    jwks = _write(s, "kunci.json", c.get("/verifikasi/kunci.json").text)
    served = c.get("/verifikasi/%s.json" % doc_id).json()
    env_json = _write(s, "dokumen.json", json.dumps(served))

    # The PDF's Keywords carry base64url of the same {"doc","kid","sig"} object.
    m = re.search(rb"/Keywords \(([A-Za-z0-9_-]+)\)", data)
    assert m, "no Keywords entry"
    kw = json.loads(base64.urlsafe_b64decode(m.group(1) + b"=" * (-len(m.group(1)) % 4)))
    assert kw == {k: served[k] for k in ("doc", "kid", "sig")}, kw

    for args in ((pdf, "--jwks", jwks), (env_json, "--jwks", jwks), (pdf,), (env_json,)):
        p = _verify(s, *args)  # without --jwks: the keys of the database
        assert p.returncode == 0, (args, p.stdout, p.stderr)
        assert "VALID" in p.stdout and doc_id in p.stdout
        assert "/verifikasi/" + doc_id in p.stdout and "online" in p.stdout

    # One changed byte of the signed content: invalid (exit 1).
    number = served["doc"]["number"]
    bad = json.dumps(served).replace(number, "9" + number[1:], 1)
    assert bad != json.dumps(served)
    p = _verify(s, _write(s, "ubah.json", bad), "--jwks", jwks)
    assert p.returncode == 1 and "INVALID" in p.stdout, (p.stdout, p.stderr)
    assert "online" in p.stdout
    # ... and one changed byte inside the PDF's Keywords, re-encoded
    kw_bad = dict(kw, doc=dict(kw["doc"], product=PRODUCT + "!"))
    b64 = base64.urlsafe_b64encode(json.dumps(kw_bad).encode()).rstrip(b"=")
    p = _verify(s, _write(s, "ubah.pdf", data.replace(m.group(1), b64)), "--jwks", jwks)
    assert p.returncode == 1 and "INVALID" in p.stdout, (p.stdout, p.stderr)
    # A key the verifier does not know: invalid.
    other = json.dumps(dict(served, kid="doc-0000000000000000"))
    assert _verify(s, _write(s, "lain.json", other), "--jwks", jwks).returncode == 1

    # Unreadable: exit 2.
    assert _verify(s, os.path.join(s.data, "tidak-ada.pdf"), "--jwks", jwks).returncode == 2
    assert _verify(s, _write(s, "sampah.json", "bukan json"), "--jwks", jwks).returncode == 2
    assert _verify(s, _write(s, "kosong.pdf", b"%PDF-1.5\n%%EOF\n"), "--jwks", jwks).returncode == 2
    assert _verify(s, env_json, "--jwks", _write(s, "bukan-jwks.json", "[]")).returncode == 2

    # Only the holder downloads the PDF: another citizen, an officer and nobody get 404 / sign-in.
    assert demo_client(s, "citizen").get("/permohonan/%s/dokumen.pdf" % app_id).status == 404
    assert _clients(s)[1].get("/permohonan/%s/dokumen.pdf" % app_id).status == 404
    assert s.client().get("/permohonan/%s/dokumen.pdf" % app_id).status in (302, 303)


def test_revoke(ctx):
    s = ctx.server()
    doc_id, app_id = _issue(s)
    anon = s.client()
    officer = _demo(s, "officer", "disdukcapil")
    other = _demo(s, "officer", "dinkes")
    sup = _demo(s, "supervisor", "sukamaju")
    # Only a supervisor of the document's unit sees the revocation page and the link to it.
    assert anon.get("/kantor/dokumen/" + doc_id).status == 303
    assert officer.get("/kantor/dokumen/" + doc_id).status == 404
    assert other.get("/kantor/dokumen/" + doc_id).status == 404
    assert "Cabut dokumen ini" not in officer.get("/verifikasi/" + doc_id).text
    assert "Cabut dokumen ini" in sup.get("/verifikasi/" + doc_id).text
    page = sup.get("/kantor/dokumen/" + doc_id)
    assert page.status == 200 and page.text.count("<main") == 1 and 'name="alasan"' in page.text, page
    # an officer posting with a valid token of their own is refused
    tok = officer.csrf_from(officer.get("/akun").text)
    r = officer.post_form("/kantor/dokumen/%s/cabut" % doc_id, {"csrf": tok, "alasan": "x"})
    assert r.status == 404, r
    csrf = sup.csrf_from(page.text)
    # no reason: the form again with the message beside the field
    r = sup.post_form("/kantor/dokumen/%s/cabut" % doc_id, {"csrf": csrf, "alasan": "   "})
    assert r.status == 422 and 'aria-describedby="alasan-error"' in r.text, r
    r = sup.post_form("/kantor/dokumen/%s/cabut" % doc_id,
                      {"csrf": csrf, "alasan": "kesalahan-data"})  # a fixed reason (test_document_revoke.py)
    assert r.status == 303 and r.header("Location").endswith("/verifikasi/" + doc_id), r
    # the page and the JSON read revoked, with the date and the reason
    r = anon.get("/verifikasi/" + doc_id)
    assert r.status == 200 and "Dokumen ini telah dicabut" in r.text and "Dokumen sah." not in r.text
    assert "Diterbitkan karena kesalahan data" in r.text
    st = anon.get("/verifikasi/%s.json" % doc_id).json()["status"]
    assert st["state"] == "revoked" and st["reason"] == "kesalahan-data", st
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", st["revoked"]), st
    # revoking again: 409
    r = sup.post_form("/kantor/dokumen/%s/cabut" % doc_id, {"csrf": csrf, "alasan": "lagi"})
    assert r.status == 409, r
    # audited in the same transaction
    rows = s.sql("SELECT actor FROM audit_log WHERE action = 'document.revoke' AND object_id = ?", (doc_id,))
    assert len(rows) == 1 and rows[0][0].startswith("account:"), rows
    # offline, the signature still verifies (the JSON and the holder's PDF downloaded now);
    # the command says that revocation is only checked online
    jwks = _write(s, "kunci.json", anon.get("/verifikasi/kunci.json").text)
    env = _write(s, "dicabut.json", anon.get("/verifikasi/%s.json" % doc_id).text)
    pdf = _write(s, "dicabut.pdf", _pdf(s, app_id))
    for path in (env, pdf):
        p = _verify(s, path, "--jwks", jwks)
        assert p.returncode == 0 and "VALID" in p.stdout, (path, p.stdout)
        assert "Revocation can only be checked online" in p.stdout, p.stdout
        assert "/verifikasi/" + doc_id in p.stdout


@serial
def test_numbers_race_free(ctx):
    """Four approvals of one unit landing at the same moment (four officers' sessions) issue four
    documents with distinct, consecutive numbers (one counter row updated inside each approving
    transaction)."""
    s = ctx.server()
    c = s.client()
    _, officer, citizen = _clients(s)
    apps = []
    for _ in range(4):
        app_id, tracking = _filed(s)
        _attach(citizen, tracking)
        assert step(officer, app_id, "ambil").status == 303
        apps.append(app_id)
    sessions = [demo_client(s, "officer", AGENCY) for _ in range(4)]
    forms = []
    for sess, app_id in zip(sessions, apps):
        page = detail(sess, app_id)
        forms.append({"csrf": sess.csrf_from(page), "versi": hidden(page, "setujui", "versi")})
    results = [None] * 4
    barrier = threading.Barrier(4)

    def go(i):
        barrier.wait()
        results[i] = sessions[i].post_form("/kantor/permohonan/%s/setujui" % apps[i], forms[i])

    threads = [threading.Thread(target=go, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert [r.status for r in results] == [303] * 4, results
    ids = [s.sql("SELECT document_id FROM application WHERE id = ?", (a,))[0][0] for a in apps]
    numbers = sorted(int(c.get("/verifikasi/%s.json" % i).json()["doc"]["number"][:4]) for i in ids)
    assert numbers == list(range(numbers[0], numbers[0] + 4)), numbers


def test_holder_follows_attachment(ctx):
    """Approved while nobody's account held it, the document's holder is sealed under the
    assisted application's own key; attaching re-seals it under the citizen's, so the citizen
    downloads the PDF and it still verifies."""
    s = ctx.server()
    doc_id, app_id = _issue(s, attach_after=True)
    assert s.sql("SELECT subject_key FROM application WHERE id = ?", (app_id,))[0][0] is None
    pdf = _write(s, "ditautkan.pdf", _pdf(s, app_id))
    p = _verify(s, pdf)
    assert p.returncode == 0 and doc_id in p.stdout, (p.stdout, p.stderr)


def test_holder_survives_master_key_rotation(ctx):
    """An assisted application's own key (which seals its answers and its document's holder until
    it is attached) is re-wrapped by `keys rotate` like an account's: after the old master key
    is retired the citizen still attaches it and downloads the PDF."""
    s = ctx.server()
    doc_id, app_id = _issue(s, attach_after=True)  # attached: the first one moves along
    _, officer, citizen = _clients(s)
    app2, tracking2 = _filed(s)
    assert step(officer, app2, "ambil").status == 303
    assert step(officer, app2, "setujui").status == 303
    wrapped = s.sql("SELECT subject_key FROM application WHERE id = ?", (app2,))[0][0]
    assert _blob(wrapped)[:5] == b"\x03\x00\x00\x00\x01", _blob(wrapped)[:5]  # under key 1
    p = s.cli("keys", "rotate")
    assert "keys retire 1" in p.stdout, p.stdout
    wrapped = s.sql("SELECT subject_key FROM application WHERE id = ?", (app2,))[0][0]
    assert _blob(wrapped)[:5] == b"\x03\x00\x00\x00\x02", _blob(wrapped)[:5]  # re-wrapped
    assert "key 1 retired" in s.cli("keys", "retire", "1").stdout
    _attach(citizen, tracking2)
    p = _verify(s, _write(s, "setelah-rotasi.pdf", _pdf(s, app2)))
    doc2 = s.sql("SELECT document_id FROM application WHERE id = ?", (app2,))[0][0]
    assert p.returncode == 0 and doc2 in p.stdout and doc_id != doc2, (p.stdout, p.stderr)
    assert _pdf(s, app_id).startswith(b"%PDF-")
