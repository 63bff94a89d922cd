"""The citizen's right of access (UU 27/2022) covers their applications: /akun/unduh lists each
one with its tracking number, service, status, dates, the answers as /permohonan/{id} shows them,
the files' names (never their bytes), the return note and the whole timeline; drafts too; nobody
else's."""
import re

from identity_util import STRONG, signin
from kantor_util import (PDF, citizen_apply, citizen_correct, demo_client, form_fields,
                         post_multipart, step)

SVC = "sktm"                  # a village letter of Desa Mekarsari
DRAFT_SVC = "surat-keterangan-domisili"
NOTE = "Pengantar RT belum ditandatangani; mohon unggah ulang."
STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def _citizen(s, email, name="Ratna Sari"):
    s.cli("user", "add", "--email", email, "--name", name, stdin=STRONG + "\n")
    c = s.client()
    assert signin(c, email, STRONG).status == 303
    return c


def _by_id(export, app_id):
    apps = [a for a in export["applications"] if a["id"] == app_id]
    assert len(apps) == 1, [a["id"] for a in export["applications"]]
    return apps[0]


def test_export_carries_the_applications(ctx):
    s = ctx.server()
    c = _citizen(s, "unduh.permohonan@contoh.id")
    off = demo_client(s, "officer", "desa-mekarsari")
    app_id = citizen_apply(s, c, SVC)
    assert step(off, app_id, "ambil").status == 303
    assert step(off, app_id, "kembalikan", {"catatan": NOTE}).status == 303
    assert citizen_correct(s, c, app_id, SVC).status == 303
    assert step(off, app_id, "ambil").status == 303
    assert step(off, app_id, "setujui").status == 303
    # a draft of another service, with one answer typed so far
    page = c.get("/layanan/%s/ajukan" % DRAFT_SVC)
    text_field = next(f["key"] for f in form_fields(s, DRAFT_SVC) if f["type"] == "text")
    r = post_multipart(c, "/layanan/%s/ajukan" % DRAFT_SVC,
                       [("csrf", c.csrf_from(page.text)), ("aksi", "simpan"),
                        (text_field, "Draf yang belum dikirim")], {})
    assert r.status == 303, r

    r = c.get("/akun/unduh")
    assert r.status == 200, r
    x = r.json()
    assert x["applications_truncated"] is False
    a = _by_id(x, app_id)
    tracking = s.sql("SELECT tracking FROM application WHERE id = ?", (app_id,))[0][0]
    assert a["tracking"].replace("-", "") == tracking and a["tracking"].count("-") == 3, a
    assert a["service"] == {"slug": SVC, "name": a["service"]["name"]} and a["service"]["name"]
    assert a["unit"] == "Desa Mekarsari"
    assert (a["status"], a["status_label"], a["assisted"]) == ("approved", "Disetujui", False), a
    for k in ("created_at", "submitted_at", "due_at", "decided_at", "updated_at"):
        assert re.fullmatch(STAMP, a[k]), (k, a[k])
    doc = s.sql("SELECT document_id FROM application WHERE id = ?", (app_id,))[0][0]
    assert a["document_id"] == doc and doc
    # the answers as the application's page shows them: label and value, files apart
    shown = c.get("/permohonan/%s" % app_id).text
    assert a["answers"], a
    for ans in a["answers"]:
        assert ans["label"] and ans["label"] in shown, ans
    fields = {f["key"]: f for f in form_fields(s, SVC)}
    texts = [f for f in fields.values() if f["type"] == "text"]
    assert texts
    labels = {ans["label"]: ans["value"] for ans in a["answers"]}
    assert labels[texts[0]["label"]] == "Uji %s" % texts[0]["key"][:20], labels
    # the files by name and type, never their bytes
    files = a["files"]
    n_file_fields = sum(1 for f in fields.values() if f["type"] == "file")
    assert len(files) == n_file_fields and files, files
    for f in files:
        assert f["filename"] == PDF[0] and f["content_type"] == "application/pdf", f
        assert f["size"] == len(PDF[2]) and re.fullmatch(STAMP, f["uploaded_at"]), f
    assert PDF[2] not in r.body and b"%PDF-" not in r.body
    # the whole timeline, oldest first, with the officer's note to the citizen
    kinds = [e["kind"] for e in a["timeline"]]
    assert kinds[:1] == ["submitted"] and kinds[-1] == "approved", kinds
    for kind in ("claimed", "returned", "resubmitted"):
        assert kind in kinds, kinds
    returned = next(e for e in a["timeline"] if e["kind"] == "returned")
    assert returned["note"] == NOTE and returned["by_staff"] is True, returned
    assert returned["label"] == "Dikembalikan untuk diperbaiki" and returned["status"] == "returned"
    assert all(re.fullmatch(STAMP, e["at"]) for e in a["timeline"])
    # the draft is held data too
    drafts = [d for d in x["applications"] if d["status"] == "draft"]
    assert len(drafts) == 1 and drafts[0]["tracking"] is None, drafts
    assert drafts[0]["service"]["slug"] == DRAFT_SVC
    assert {"label": fields_label(s, DRAFT_SVC, text_field),
            "value": "Draf yang belum dikirim"} in drafts[0]["answers"], drafts[0]["answers"]

    # Another citizen's download holds none of it; the officer's own holds no application.
    other = _citizen(s, "orang.lain@contoh.id", "Orang Lain").get("/akun/unduh").json()
    assert other["applications"] == [], other["applications"]
    assert off.get("/akun/unduh").json()["applications"] == []


def fields_label(s, slug, key):
    return next(f["label"] for f in form_fields(s, slug) if f["key"] == key)
