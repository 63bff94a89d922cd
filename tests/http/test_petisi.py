"""Petitions over HTTP (issue #7): a citizen starts a petition to a unit; it is not public until
a moderator approves it (refusal needs a reason the author reads); signed-in citizens holding a
NIK sign once per NIK (twice refused, also with 50 requests at the same moment; a citizen without
a NIK refused; a NIK cannot be bound to a second account); counts show verified and self-declared
NIKs apart and names only of signers who agreed; the unit's threshold (set per unit) reached in
the period obliges the unit to answer within its working days; another unit's staff cannot
answer; the answer is published; with the clock moved past the due date the job flags the
petition overdue, on its page and in the unit's figures; /api/v1/petitions lists and shows them
and is in the OpenAPI document."""
import calendar
import re
import threading

from identity_util import STRONG, register, signin
from kantor_util import citizen_with_nik, demo_client

UNIT = "dlh"


def _ms(y, m, d, hh=9):
    """Local time (WIB) as UTC milliseconds."""
    return (calendar.timegm((y, m, d, hh, 0, 0)) - 7 * 3600) * 1000


def set_threshold(s, threshold, days, unit=UNIT):
    admin = demo_client(s, "administrator", "sukamaju")
    page = admin.get("/kantor/petisi/ambang")
    assert page.status == 200, page
    r = admin.post_form("/kantor/petisi/ambang", {"csrf": admin.csrf_from(page.text), "unit": unit,
                                                  "ambang": str(threshold), "hari": str(days)})
    assert r.status == 303, r
    return admin


def start(c, title="Tambah tempat sampah di taman kota", unit=UNIT, **over):
    page = c.get("/petisi/baru")
    assert page.status == 200, page
    f = {"csrf": c.csrf_from(page.text),
         "form_id": re.search(r'name="form_id" value="([^"]+)"', page.text).group(1),
         "unit": unit, "judul": title, "isi": "Sampah menumpuk di taman kota setiap akhir pekan.",
         "tuntutan": "Tambah tempat sampah dan jadwal angkut.", "masa": "30"}
    f.update(over)
    return c.post_form("/petisi/baru", f)


def start_ok(c, **kw):
    r = start(c, **kw)
    assert r.status == 303, (r.status, re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text))
    return re.search(r"/petisi/([0-9a-f-]{36})", r.header("Location")).group(1)


def col(s, pid, name):
    return s.sql("SELECT %s FROM petition WHERE id = ?" % name, (pid,))[0][0]


def kstep(c, s, pid, action, fields):
    page = c.get("/kantor/petisi")
    f = {"csrf": c.csrf_from(page.text) or c.csrf_from(c.get("/akun").text),
         "versi": str(col(s, pid, "version"))}
    f.update(fields)
    return c.post_form("/kantor/petisi/%s/%s" % (pid, action), f)


def approve(s, mod, pid):
    r = kstep(mod, s, pid, "periksa", {"keputusan": "setujui"})
    assert r.status == 303, r
    assert col(s, pid, "status") == "open"


def sign(c, pid, show=True):
    page = c.get("/petisi/%s" % pid)
    f = {"csrf": c.csrf_from(page.text) or c.csrf_from(c.get("/akun").text)}
    if show:
        f["tampilkan_nama"] = "1"
    return c.post_form("/petisi/%s/tandatangani" % pid, f)


def test_moderation_signing_threshold_answer(ctx):
    s = ctx.server()
    set_threshold(s, 2, 3)
    author = demo_client(s, "citizen")  # warga1, NIK self-declared
    anon = s.client()

    # Bad input: 422 beside the fields.
    r = start(author, judul="", masa="3")
    assert r.status == 422 and 'id="judul-error"' in r.text and 'id="masa-error"' in r.text
    assert 'aria-describedby="judul-error"' in r.text

    pid = start_ok(author)
    assert col(s, pid, "status") == "pending"
    # The draft is sealed until approved.
    assert col(s, pid, "title") is None
    assert s.sql("SELECT COUNT(*) FROM petition WHERE id = ? AND title_ct LIKE '%taman%'", (pid,))[0][0] == 0
    # Not public before the moderator checks it; the author sees it.
    assert anon.get("/petisi/%s" % pid).status == 404
    own = author.get("/petisi/%s" % pid)
    assert own.status == 200 and "Tambah tempat sampah di taman kota" in own.text
    assert s.client().get("/api/v1/petitions/%s" % pid).status == 404
    assert pid not in anon.get("/petisi").text

    # Refusal needs a reason; a refused petition never becomes public.
    mod = demo_client(s, "moderator")
    page = mod.get("/kantor/petisi")
    assert page.status == 200 and pid in page.text
    assert "Tambah tempat sampah" in mod.get("/kantor/petisi/%s" % pid).text
    rid = start_ok(author, title="Petisi yang ditolak")
    r = kstep(mod, s, rid, "periksa", {"keputusan": "tolak", "alasan": ""})
    assert r.status == 422 and 'id="alasan-error"' in r.text
    r = kstep(mod, s, rid, "periksa", {"keputusan": "tolak", "alasan": "Bukan kewenangan unit ini."})
    assert r.status == 303 and col(s, rid, "status") == "refused"
    assert "Bukan kewenangan unit ini." in author.get("/petisi/%s" % rid).text
    assert anon.get("/petisi/%s" % rid).status == 404
    # An officer may not moderate (may see it as the unit's staff: 403; another unit: 404).
    assert kstep(demo_client(s, "officer", "dlh"), s, pid, "periksa", {"keputusan": "setujui"}).status == 403
    assert kstep(demo_client(s, "officer", "dinkes"), s, pid, "periksa", {"keputusan": "setujui"}).status == 404

    approve(s, mod, pid)
    assert col(s, pid, "threshold") == 2 and col(s, pid, "answer_days") == 3
    assert kstep(mod, s, pid, "periksa", {"keputusan": "setujui"}).status == 409
    pub = anon.get("/petisi/%s" % pid)
    assert pub.status == 200 and pub.text.count("<main") == 1 and "Masuk untuk menandatangani" in pub.text
    assert pid in anon.get("/petisi").text

    # A citizen without a NIK cannot sign.
    nonik = s.client()
    assert register(nonik, "tanpa.nik@contoh.example", name="Tanpa Nik").status == 303
    s.sql("UPDATE account SET email_verified_ms = 1 WHERE nik_bidx IS NULL AND kind = 'citizen' "
          "AND email_verified_ms IS NULL")
    nonik = s.client()
    assert signin(nonik, "tanpa.nik@contoh.example", STRONG).status == 303
    r = sign(nonik, pid)
    assert r.status == 403 and "NIK" in r.text
    # Staff do not sign.
    assert sign(mod, pid).status == 403

    # The same NIK cannot be bound to a second account.
    nik_warga2 = "3219021708887002"
    r = register(s.client(), "kembar@contoh.example", name="Kembar", nik=nik_warga2)
    assert r.status == 422 and 'id="nik-error"' in r.text, r.status

    # warga2 (NIK checked at the village office: verified) signs, showing the name; twice is
    # refused. warga3's NIK is self-declared.
    rows = [line.split("\t") for line in open(s.data + "/demo-accounts.txt").read().splitlines()[1:]]
    citizens = [r_ for r_ in rows if r_[0] == "citizen"]
    w2 = s.client()
    assert signin(w2, citizens[1][2], citizens[1][3]).status == 303
    w2_id = s.sql("SELECT account_id FROM account_session ORDER BY created_ms DESC LIMIT 1")[0][0]
    s.sql("UPDATE account SET nik_verified = 1 WHERE id = ?", (w2_id,))
    w3 = s.client()
    assert signin(w3, citizens[2][2], citizens[2][3]).status == 303
    w3_id = s.sql("SELECT account_id FROM account_session ORDER BY created_ms DESC LIMIT 1")[0][0]
    s.sql("UPDATE account SET nik_verified = 0 WHERE id = ?", (w3_id,))
    assert sign(w2, pid, show=True).status == 303
    assert sign(w2, pid).status == 409
    assert s.sql("SELECT COUNT(*) FROM petition_signature WHERE petition_id = ?", (pid,))[0][0] == 1
    assert col(s, pid, "reached_ms") is None
    assert "Anda sudah menandatangani" in w2.get("/petisi/%s" % pid).text

    # warga3 signs without the name: the threshold (2) is reached, the unit is obliged.
    assert sign(w3, pid, show=False).status == 303
    assert col(s, pid, "reached_ms") and col(s, pid, "answer_due_ms") > col(s, pid, "reached_ms")
    ver = 1
    page = anon.get("/petisi/%s" % pid).text
    assert re.search(r'id="jumlah">2 ', page)
    assert 'id="jumlah-terverifikasi">%d<' % ver in page
    assert 'id="jumlah-mandiri">%d<' % (2 - ver) in page
    assert 'id="tenggat"' in page
    names = s.sql("SELECT public_name FROM petition_signature WHERE petition_id = ? ORDER BY signed_ms", (pid,))
    assert names[0][0] and names[1][0] is None
    assert names[0][0] in page
    assert not re.search(r"\b32\d{14}\b", page)  # never a NIK
    api = s.client().get("/api/v1/petitions/%s" % pid)
    assert api.status == 200
    j = api.json()
    assert j["signatures"]["total"] == 2 and j["signatures"]["verified_nik"] == ver
    assert j["threshold"] == 2 and j["answer_due_at"] and j["answer"] is None

    # Another unit's staff cannot answer; the unit's officer can, once.
    r = kstep(demo_client(s, "officer", "dinkes"), s, pid, "jawab", {"jawaban": "Bukan kami."})
    assert r.status == 404
    off = demo_client(s, "officer", "dlh")
    assert pid in off.get("/kantor/petisi").text
    r = kstep(off, s, pid, "jawab", {"jawaban": ""})
    assert r.status == 422 and 'id="jawaban-error"' in r.text
    r = kstep(off, s, pid, "jawab", {"jawaban": "Sepuluh tempat sampah terpilah dipasang bulan ini."})
    assert r.status == 303 and col(s, pid, "status") == "answered"
    assert kstep(off, s, pid, "jawab", {"jawaban": "Lagi."}).status == 409
    page = anon.get("/petisi/%s" % pid).text
    assert "Sepuluh tempat sampah terpilah" in page and 'id="terlambat"' not in page
    assert s.client().get("/api/v1/petitions/%s" % pid).json()["answer"].startswith("Sepuluh")
    # The audit log has every step, by id only.
    acts = [a[0] for a in s.sql("SELECT action FROM audit_log WHERE object_id = ? ORDER BY seq", (pid,))]
    assert acts[0] == "petition.create" and "petition.approve" in acts and "petition.threshold" in acts
    assert acts[-1] == "petition.answer"


def test_api_list_and_openapi(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/api/v1/petitions?limit=1")
    assert r.status == 200 and r.header("Content-Type").startswith("application/json")
    j = r.json()
    assert len(j["items"]) == 1 and j["next_cursor"]
    r2 = c.get("/api/v1/petitions?limit=1&cursor=" + j["next_cursor"])
    assert r2.status == 200 and r2.json()["items"][0]["id"] != j["items"][0]["id"]
    # The demo: two petitions, one past its threshold.
    every = c.get("/api/v1/petitions").json()["items"]
    assert len(every) == 2
    assert sorted(bool(p["threshold_reached_at"]) for p in every) == [False, True]
    assert c.get("/api/v1/petitions?limit=0").status == 400
    assert c.get("/api/v1/petitions?cursor=xyz").status == 400
    bad = c.get("/api/v1/petitions?unit=tidak-ada")
    assert bad.status == 422 and bad.json()["error"]["fields"]["unit"]
    assert c.get("/api/v1/petitions/00000000-0000-7000-8000-000000000000").status == 404
    doc = c.get("/api/v1/openapi.json").json()
    assert "/api/v1/petitions" in doc["paths"] and "/api/v1/petitions/{id}" in doc["paths"]
    # The public pages.
    assert c.get("/petisi").status == 200
    st = c.get("/petisi/statistik")
    assert st.status == 200 and 'data-unit="dpupr"' in st.text


def test_fifty_concurrent_signatures(ctx):
    s = ctx.server()
    author = demo_client(s, "citizen")
    pid = start_ok(author, title="Lampu jalan di gang sempit")
    approve(s, demo_client(s, "moderator"), pid)
    signer = citizen_with_nik(s, "serentak@contoh.example", "3219015708900011", name="Serentak")
    page = signer.get("/petisi/%s" % pid)
    token = signer.csrf_from(page.text)
    results = []

    def one():
        c = s.client()
        c.cookies = dict(signer.cookies)
        results.append(c.post_form("/petisi/%s/tandatangani" % pid, {"csrf": token}).status)

    threads = [threading.Thread(target=one) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(results)) == [303, 409], results
    assert results.count(303) == 1, results
    assert s.sql("SELECT COUNT(*) FROM petition_signature WHERE petition_id = ?", (pid,))[0][0] == 1


def test_overdue_flagged_with_the_clock(ctx):
    s = ctx.unstarted_server()
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    s.set_clock(_ms(2026, 11, 2))  # Monday 2 November 2026
    s.start()
    set_threshold(s, 1, 3)
    author = demo_client(s, "citizen")
    pid = start_ok(author, title="Perbaiki saluran air pasar")
    approve(s, demo_client(s, "moderator"), pid)
    signer = citizen_with_nik(s, "telat@contoh.example", "3219015708900012", name="Telat")
    assert sign(signer, pid).status == 303
    # 3 working days after Monday 2 November: the end of Thursday 5 November.
    assert col(s, pid, "answer_due_ms") == _ms(2026, 11, 6, 0) - 1
    assert col(s, pid, "overdue") == 0

    s.set_clock(_ms(2026, 11, 10, 10))
    import time
    deadline = time.time() + 30
    while time.time() < deadline and col(s, pid, "overdue") != 1:
        time.sleep(0.3)
    assert col(s, pid, "overdue") == 1, "the job did not flag the petition"
    page = s.client().get("/petisi/%s" % pid).text
    assert 'id="terlambat"' in page
    fig = s.client().get("/petisi/statistik").text
    row = re.search(r'<tr data-unit="%s">(.*?)</tr>' % UNIT, fig, re.S).group(1)
    assert '<td class="overdue-count">1</td>' in row
    assert s.client().get("/api/v1/petitions/%s" % pid).json()["overdue"] is True
    # Answered late: still flagged, counted as answered late.
    off = demo_client(s, "officer", "dlh")
    assert kstep(off, s, pid, "jawab", {"jawaban": "Saluran sudah diperbaiki."}).status == 303
    fig = s.client().get("/petisi/statistik").text
    cells = re.findall(r"<td[^>]*>(\d+)</td>", re.search(r'<tr data-unit="%s">(.*?)</tr>' % UNIT, fig, re.S).group(1))
    assert cells[-1] == "1" and cells[-2] == "0", cells


def test_partisipasi_index_lists_open_petitions(ctx):
    """/partisipasi lists the petitions collecting signatures now, each with its closing date;
    a pending one is not listed."""
    s = ctx.server()
    author = demo_client(s, "citizen")
    pending = start_ok(author, title="Petisi yang belum diperiksa")
    idx = s.client().get("/partisipasi")
    assert idx.status == 200
    open_ids = [r[0] for r in s.sql("SELECT id FROM petition WHERE status = 'open'")]
    assert open_ids
    for pid in open_ids:
        assert re.search(r'href="/petisi/%s">[^<]+</a>[^<]*Ditutup <time datetime="\d{4}-\d{2}-\d{2}T' % pid,
                         idx.text), pid
    assert pending not in idx.text and "Petisi yang belum diperiksa" not in idx.text
