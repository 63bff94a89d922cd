"""Identity: the download of everything held about me (/akun/unduh) covers the newer areas — a
demo citizen files a complaint and an information request, starts and signs a petition, comments
on a consultation, proposes in a Musrenbang round and votes; each appears in their export with
the sealed texts opened and no staff names, and none of it appears in another citizen's export."""
import json
import re

from kantor_util import demo_client, demo_creds
from test_informasi import file_request
from test_konsultasi import OPEN, SEC, comment, new_comment_id
from test_musrenbang import advance, create_round, propose, verify, vote
from test_pengaduan_handle import file_complaint
from test_petisi import approve, sign, start_ok

RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def export(c):
    r = c.get("/akun/unduh")
    assert r.status == 200, r
    assert r.header("Content-Disposition") == 'attachment; filename="data-saya.json"'
    return r.json()


def test_identity_export_areas(ctx):
    s = ctx.server()
    w1 = demo_client(s, "citizen")                  # warga1, Desa Mekarsari
    w2 = demo_client(s, "citizen", "desa-cibening")  # warga2: another citizen
    officer_email, _ = demo_creds(s, "officer", "desa-mekarsari")

    # A confidential complaint: the title and text are sealed, opened for the reporter only.
    _, cnomor, _ = file_complaint(s, w1, judul="Lampu jalan padam ekspor",
                                  isi="Lampu jalan di gang Melati padam sejak Senin.",
                                  privasi="rahasia")
    _, inomor, _ = file_request(s, w1, judul="Data ekspor anggaran sekolah",
                                rincian="Rincian ekspor per sekolah.", tujuan="Tujuan ekspor pribadi.")
    # A petition started by w1, approved, then signed with the name shown.
    pid = start_ok(w1, title="Petisi ekspor taman kota")
    approve(s, demo_client(s, "moderator"), pid)
    r = sign(w1, pid, show=True)
    assert r.status == 303, r
    cid = new_comment_id(comment(w1, OPEN, komentar="Komentar ekspor pribadi saya.",
                                 bagian=SEC, sikap="oppose"))
    # Musrenbang: a proposal in the village round, verified, then a ballot for it.
    admin = demo_client(s, "administrator", "sukamaju")
    officer = demo_client(s, "officer", "desa-mekarsari")
    rid = create_round(admin, "desa-mekarsari", 2033, 100000000, title="Musrenbang ekspor 2033")
    prop = propose(w1, rid, "Jalan ekspor usaha tani", "40000000")
    verify(officer, rid, prop, True, "40000000")
    advance(s, admin, rid, "verification")
    advance(s, admin, rid, "voting")
    vote(w1, rid, [prop])

    doc = export(w1)
    mine = [c for c in doc["complaints"] if c["tracking"] == cnomor]
    assert len(mine) == 1, [c["tracking"] for c in doc["complaints"]]
    c = mine[0]
    assert (c["title"], c["text"], c["visibility"]) == \
        ("Lampu jalan padam ekspor", "Lampu jalan di gang Melati padam sejak Senin.",
         "confidential"), c
    assert c["category"]["code"] == "sampah" and c["status"] and RFC3339.match(c["created_at"]), c
    assert c["timeline"] and c["timeline"][0]["kind"] == "filed", c["timeline"]

    reqs = [q for q in doc["information_requests"] if q["tracking"] == inomor]
    assert len(reqs) == 1, doc["information_requests"]
    q = reqs[0]
    assert (q["unit"]["slug"], q["subject"], q["details"], q["purpose"]) == \
        ("diskominfo", "Data ekspor anggaran sekolah", "Rincian ekspor per sekolah.",
         "Tujuan ekspor pribadi."), q
    assert q["status"] and RFC3339.match(q["received_at"]) and q["objection"] is None, q

    pets = [p for p in doc["petitions"] if p["id"] == pid]
    assert len(pets) == 1 and pets[0]["title"] == "Petisi ekspor taman kota", doc["petitions"]
    assert pets[0]["status"] == "open" and pets[0]["signatures"]["verified"] + \
        pets[0]["signatures"]["self_declared"] == 1, pets[0]
    sigs = [g for g in doc["petition_signatures"] if g["petition"]["id"] == pid]
    assert len(sigs) == 1, doc["petition_signatures"]
    assert sigs[0]["petition"]["title"] == "Petisi ekspor taman kota" and sigs[0]["name_shown"] is True
    assert RFC3339.match(sigs[0]["signed_at"]), sigs[0]

    coms = [x for x in doc["consultation_comments"] if x["id"] == cid]
    assert len(coms) == 1, doc["consultation_comments"]
    assert (coms[0]["consultation"]["slug"], coms[0]["section"], coms[0]["stance"],
            coms[0]["text"]) == (OPEN, SEC, "oppose", "Komentar ekspor pribadi saya."), coms[0]
    assert coms[0]["section_title"] and RFC3339.match(coms[0]["created_at"]), coms[0]

    props = [p for p in doc["musrenbang"]["proposals"] if p["id"] == prop]
    assert len(props) == 1, doc["musrenbang"]
    assert props[0]["title"] == "Jalan ekspor usaha tani" and props[0]["round"]["id"] == rid
    assert props[0]["status"] == "feasible" and props[0]["estimated_cost"] == 40000000, props[0]
    bal = [b for b in doc["musrenbang"]["ballots"] if b["round"]["id"] == rid]
    assert len(bal) == 1 and bal[0]["items"] == [{"proposal_id": prop, "title": "Jalan ekspor usaha tani"}], bal
    assert doc["participation_truncated"] is False

    # No staff names or contacts anywhere in the newer parts.
    text = json.dumps({k: doc[k] for k in ("complaints", "information_requests", "petitions",
                                           "petition_signatures", "consultation_comments",
                                           "musrenbang")})
    staff = s.sql("SELECT a.id FROM account a WHERE a.kind = 'staff'")
    assert staff
    for (sid,) in staff:
        assert sid not in text, sid
    assert officer_email not in text

    # Another citizen's export holds none of it.
    other = json.dumps(export(w2))
    for absent in (cnomor, inomor, pid, cid, prop, "Lampu jalan padam ekspor",
                   "Data ekspor anggaran sekolah", "Tujuan ekspor pribadi.",
                   "Komentar ekspor pribadi saya.", "Jalan ekspor usaha tani",
                   "Petisi ekspor taman kota"):
        assert absent not in other, absent
    assert s.client().get("/akun/unduh").status == 303
