"""Information requests over HTTP (UU 14/2008): a citizen files at /informasi/ajukan and gets a
K number and a receipt; the PPID answers with each outcome (granted with a file, partly granted,
refused with a Pasal 17 ground, not held, forwarded to another unit which gets a request of its
own with a fresh 10-day clock); the extension is allowed once; the objection is accepted inside
its 30-working-day window (after an answer or a missed deadline) and refused outside it, and the
superior decides it; the public register never shows the requester's name, email or NIK, nor a
refused request or one whose requester declined publication; a PPID of another unit, officers
and other citizens cannot see or act; /lacak shows status and dates; overdue requests are
flagged by the job and counted in /metrics."""
import calendar
import html
import re
import time

from kantor_util import PDF, demo_client, demo_creds, multipart

TRACK = r"K-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]"


def _ms(y, m, d, hh=9):
    """Local time (WIB) as UTC milliseconds."""
    return (calendar.timegm((y, m, d, hh, 0, 0)) - 7 * 3600) * 1000


def file_request(s, c, unit="diskominfo", consent=True, **over):
    """Files a request as signed-in citizen c; returns (id, grouped number, receipt page)."""
    page = c.get("/informasi/ajukan")
    assert page.status == 200, page
    f = {"csrf": c.csrf_from(page.text),
         "form_id": re.search(r'name="form_id" value="([^"]+)"', page.text).group(1),
         "unit": unit, "judul": "Anggaran kegiatan literasi digital",
         "rincian": "Rincian anggaran per kegiatan tahun ini.", "tujuan": "Penelitian mahasiswa.",
         "bentuk": "softcopy", "cara": "portal"}
    if consent:
        f["terbit"] = "1"
    f.update(over)
    r = c.post_form("/informasi/ajukan", f)
    assert r.status == 303, (r.status, re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text))
    loc = r.header("Location")
    nomor = re.search(TRACK, loc).group(0)
    receipt = c.get(loc)
    assert receipt.status == 200 and 'id="tanda-terima"' in receipt.text
    rid = s.sql("SELECT id FROM inforeq WHERE tracking = ?", (nomor.replace("-", ""),))[0][0]
    return rid, nomor, receipt.text


def kpage(c, rid, status=200):
    r = c.get("/kantor/informasi/%s" % rid)
    assert r.status == status, r
    return r.text


def version(s, rid):
    return s.sql("SELECT version FROM inforeq WHERE id = ?", (rid,))[0][0]


def kstep(c, s, rid, action, fields, files=None):
    page = c.get("/kantor/informasi").text
    items = [("csrf", c.csrf_from(page)), ("versi", str(version(s, rid)))] + list(fields.items())
    if action == "jawab":
        body, ctype = multipart(items, files or {})
        return c.request("POST", "/kantor/informasi/%s/jawab" % rid, body=body,
                         headers={"Content-Type": ctype})
    return c.post_form("/kantor/informasi/%s/%s" % (rid, action), dict(items))


def answer(c, s, rid, outcome, **extra):
    f = {"hasil": outcome, "jawaban": "Jawaban tertulis PPID.",
         "ringkasan_judul": "Anggaran literasi digital", "ringkasan_jawaban": "Rincian anggaran diberikan."}
    f.update(extra)
    return kstep(c, s, rid, "jawab", f, extra.pop("_files", None))


def object_(c, nomor, **fields):
    page = c.get("/informasi/saya")
    f = {"csrf": c.csrf_from(page.text), "alasan_d": "1", "uraian": "Jawaban belum lengkap."}
    f.update(fields)
    return c.post_form("/informasi/saya/%s/keberatan" % nomor, f)


def col(s, rid, name):
    return s.sql("SELECT %s FROM inforeq WHERE id = ?" % name, (rid,))[0][0]


def events(s, rid):
    return [r[0] for r in s.sql("SELECT kind FROM inforeq_event WHERE inforeq_id = ? ORDER BY at_ms, id", (rid,))]


def test_each_outcome_files_and_register(ctx):
    s = ctx.server()
    cit = demo_client(s, "citizen")
    email, _ = demo_creds(s, "citizen")
    ppid = demo_client(s, "ppid")
    made = {}
    for outcome in ("granted", "partly_granted", "refused", "not_held", "forwarded"):
        made[outcome] = file_request(s, cit, judul="Permohonan %s" % outcome)
    rid, nomor, receipt = made["granted"]
    assert nomor in receipt and "Batas waktu jawaban" in receipt
    assert col(s, rid, "status") == "received" and events(s, rid) == ["received"]
    # The sealed text is not in clear in the database.
    assert s.sql("SELECT COUNT(*) FROM inforeq WHERE id = ? AND subject_ct LIKE '%literasi%'", (rid,))[0][0] == 0

    # Granted, with a PDF.
    page = kpage(ppid, rid)
    assert "Permohonan granted" in page and "Penelitian mahasiswa." in page  # opened for the PPID
    r = answer(ppid, s, rid, "granted", _files={"berkas": PDF})
    assert r.status == 303, r
    assert col(s, rid, "outcome") == "granted" and col(s, rid, "answered_ms")
    own = cit.get("/informasi/saya/%s" % nomor)
    assert own.status == 200 and "Jawaban tertulis PPID." in own.text
    href = re.search(r'href="(/informasi/saya/%s/berkas/1)"' % nomor, own.text).group(1)
    dl = cit.get(href)
    assert dl.status == 200 and dl.body.startswith(b"%PDF") and "attachment" in dl.header("Content-Disposition")
    # The answer is also among the citizen's notifications, linked to the request.
    notes = cit.get("/notifikasi")
    assert notes.status == 200 and 'href="/informasi/saya/%s"' % nomor in notes.text, notes.text

    # Partly granted; not held.
    for outcome in ("partly_granted", "not_held"):
        assert answer(ppid, s, made[outcome][0], outcome).status == 303
        assert col(s, made[outcome][0], "outcome") == outcome

    # Refused: a Pasal 17 ground is required (422 beside the field), then accepted.
    rr = made["refused"][0]
    r = answer(ppid, s, rr, "refused")
    assert r.status == 422 and 'id="dasar-error"' in r.text
    assert col(s, rr, "status") == "received"
    r = answer(ppid, s, rr, "refused", dasar="h", jawaban="Dikecualikan: rahasia pribadi.")
    assert r.status == 303 and col(s, rr, "ground") == "h"

    # Forwarded: the other unit gets a new request with a fresh 10-day clock.
    rf, nf, _ = made["forwarded"]
    r = answer(ppid, s, rf, "forwarded")
    assert r.status == 422 and 'id="unit-tujuan-error"' in r.text
    assert answer(ppid, s, rf, "forwarded", unit_tujuan="dinkes").status == 303
    new_id = col(s, rf, "forwarded_to")
    assert new_id and col(s, new_id, "status") == "received"
    assert s.sql("SELECT u.slug FROM inforeq i JOIN unit u ON u.id = i.unit_id WHERE i.id = ?", (new_id,))[0][0] == "dinkes"
    assert col(s, new_id, "received_ms") >= col(s, rf, "answered_ms")
    assert col(s, new_id, "due_ms") > col(s, new_id, "received_ms")
    assert events(s, new_id) == ["forwarded_in"] and events(s, rf)[-1] == "forwarded"
    mine = cit.get("/informasi/saya")
    new_nomor = s.sql("SELECT tracking FROM inforeq WHERE id = ?", (new_id,))[0][0]
    assert mine.status == 200 and new_nomor[1:5] in mine.text

    # A second answer is a conflict.
    assert answer(ppid, s, rid, "granted").status == 409

    # The register: granted, partly, not held and forwarded summaries; never refused, never a
    # requester's name, email or NIK.
    reg = s.client().get("/informasi/register")
    assert reg.status == 200 and reg.text.count("<main") == 1
    text = reg.text
    for o in ("granted", "partly_granted", "not_held"):
        assert made[o][1] in text, o
    assert made["refused"][1] not in text
    url = "/informasi/register"
    pages = []
    while url:
        p = s.client().get(url)
        assert p.status == 200
        pages.append(p.text)
        m = re.search(r'<a href="([^"]+)" rel="next">', p.text)
        url = html.unescape(m.group(1)) if m else None
    everything = "\n".join(pages)
    assert email not in everything and "@" not in re.sub(r"<[^>]+>", "", everything)
    for person in s.sql("SELECT id FROM account WHERE kind = 'citizen' LIMIT 5"):
        assert person[0] not in everything
    assert "Permohonan refused" not in everything  # the requester's own subject is never shown
    assert "Penelitian mahasiswa" not in everything and "Rincian anggaran per kegiatan" not in everything
    assert not re.search(r"\b32\d{14}\b", everything)  # no NIK
    # The requester's name (from the staff page, where it is shown) is not in the register.
    requester = re.search(r'id="pemohon">([^<]+)<', page).group(1)
    assert requester.strip() and html.unescape(requester) not in everything


def test_declined_publication_not_in_register(ctx):
    s = ctx.server()
    cit = demo_client(s, "citizen")
    ppid = demo_client(s, "ppid")
    rid, nomor, _ = file_request(s, cit, consent=False)
    # No public summary is asked for when the requester declined.
    r = answer(ppid, s, rid, "granted", ringkasan_judul="", ringkasan_jawaban="")
    assert r.status == 303
    assert col(s, rid, "register_subject") is None
    assert nomor not in s.client().get("/informasi/register").text


def test_extension_once(ctx):
    s = ctx.server()
    cit = demo_client(s, "citizen")
    ppid = demo_client(s, "ppid")
    rid, nomor, _ = file_request(s, cit)
    due = col(s, rid, "due_ms")
    r = kstep(ppid, s, rid, "perpanjang", {"hari": "9", "alasan": "Perlu waktu."})
    assert r.status == 422 and 'id="hari-error"' in r.text
    r = kstep(ppid, s, rid, "perpanjang", {"hari": "7", "alasan": ""})
    assert r.status == 422 and 'id="alasan-error"' in r.text
    r = kstep(ppid, s, rid, "perpanjang", {"hari": "7", "alasan": "Informasi dihimpun dari beberapa bidang."})
    assert r.status == 303
    assert col(s, rid, "extension_days") == 7 and col(s, rid, "due_ms") > due + 6 * 86400000
    assert "extended" in events(s, rid)
    r = kstep(ppid, s, rid, "perpanjang", {"hari": "1", "alasan": "Sekali lagi."})
    assert r.status == 409
    assert col(s, rid, "extension_days") == 7
    own = cit.get("/informasi/saya/%s" % nomor)
    assert "Informasi dihimpun dari beberapa bidang." in own.text


def test_access(ctx):
    s = ctx.server()
    cit = demo_client(s, "citizen")
    rid, nomor, _ = file_request(s, cit, unit="dinkes")
    other = demo_client(s, "citizen", "desa-cibening")
    assert other.get("/informasi/saya/%s" % nomor).status == 404
    assert object_(other, nomor).status == 404
    assert s.client().get("/informasi/saya/%s" % nomor).status == 303  # sign in first
    # The demo PPID serves Diskominfo: a Dinkes request is not theirs to see or act on.
    ppid = demo_client(s, "ppid")
    kpage(ppid, rid, 404)
    assert answer(ppid, s, rid, "granted").status == 404
    assert kstep(ppid, s, rid, "perpanjang", {"hari": "2", "alasan": "x"}).status == 404
    assert rid not in ppid.get("/kantor/informasi?status=all").text
    # Officers and citizens have no business here.
    off = demo_client(s, "officer", "disdukcapil")
    kpage(off, rid, 404)
    assert cit.get("/kantor/informasi/%s" % rid).status == 404
    # The superior over the regency sees it (recorded as a staff read) but does not answer it.
    sup = demo_client(s, "ppid_superior")
    page = kpage(sup, rid)
    assert "Anggaran kegiatan literasi digital" in page
    assert answer(sup, s, rid, "granted").status == 403
    assert col(s, rid, "status") == "received"
    assert s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'personal.read' AND object_id = ?", (rid,))[0][0] >= 1
    # /lacak: status and dates only.
    t = s.client().get("/lacak/%s" % nomor)
    assert t.status == 200 and nomor in t.text and "literasi" not in t.text


def _wait(pred, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.2)
    return False


def _gauge(s):
    for line in s.client().get("/metrics").text.splitlines():
        if line.startswith("pendopo_inforeq_overdue "):
            return float(line.split()[1])
    return -1


def test_objection_window_and_decision(ctx):
    s = ctx.unstarted_server()
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    s.set_clock(_ms(2026, 11, 2))  # Monday 2 November 2026
    s.start()
    cit = demo_client(s, "citizen")
    ppid = demo_client(s, "ppid")
    a_id, a_nomor, _ = file_request(s, cit, judul="Dijawab lalu keberatan")
    b_id, b_nomor, _ = file_request(s, cit, judul="Dijawab, keberatan terlambat")
    c_id, c_nomor, _ = file_request(s, cit, judul="Tidak dijawab")
    # 10 working days: 3..16 November.
    assert col(s, a_id, "due_ms") == _ms(2026, 11, 17, 0) - 1
    s.set_clock(_ms(2026, 11, 3, 10))
    cit, ppid = demo_client(s, "citizen"), demo_client(s, "ppid")  # sessions went idle
    assert answer(ppid, s, a_id, "partly_granted").status == 303
    assert answer(ppid, s, b_id, "not_held").status == 303
    # Before the deadline, nothing to object to on the unanswered one.
    assert object_(cit, c_nomor).status == 409

    # 20 November: inside the window of a; and c's deadline has passed (missed deadline).
    s.set_clock(_ms(2026, 11, 20, 10))
    cit = demo_client(s, "citizen")
    r = object_(cit, a_nomor, alasan_d="", uraian="x")
    assert r.status == 422 and 'id="alasan-error"' in r.text
    assert object_(cit, a_nomor).status == 303
    assert col(s, a_id, "status") == "objected" and col(s, a_id, "objection_due_ms") > _ms(2026, 12, 31)
    assert object_(cit, a_nomor).status == 409  # once
    assert object_(cit, c_nomor, alasan_c="1", alasan_d="").status == 303
    assert col(s, c_id, "status") == "objected" and col(s, c_id, "outcome") is None
    # The job flags nothing of these (objections are due in 30 working days) but c was overdue.
    assert _wait(lambda: _gauge(s) >= 0), "the deadline job did not run"

    # The PPID cannot decide the objection; the superior can.
    ppid = demo_client(s, "ppid")
    assert kstep(ppid, s, a_id, "keberatan", {"putusan": "upheld", "tanggapan": "x"}).status == 403
    sup = demo_client(s, "ppid_superior")
    r = kstep(sup, s, a_id, "keberatan", {"putusan": "", "tanggapan": ""})
    assert r.status == 422 and 'id="putusan-error"' in r.text
    r = kstep(sup, s, a_id, "keberatan", {"putusan": "overturned", "tanggapan": "Berikan seluruh informasi."})
    assert r.status == 303 and col(s, a_id, "objection_outcome") == "overturned"
    own = cit.get("/informasi/saya/%s" % a_nomor)
    assert 'data-outcome="overturned"' in own.text and "Berikan seluruh informasi." in own.text

    # 16 December: b's window (30 working days from 3 November, to 15 December) has closed.
    s.set_clock(_ms(2026, 12, 16, 10))
    cit = demo_client(s, "citizen")
    assert object_(cit, b_nomor).status == 409
    assert col(s, b_id, "status") == "answered"

    # Two months on, c's objection is past the superior's 30 working days: flagged and counted.
    s.set_clock(_ms(2027, 1, 20, 10))
    assert _wait(lambda: col(s, c_id, "objection_overdue") in (1, True)), "objection not flagged"
    assert "objection_overdue" in events(s, c_id)
    assert _wait(lambda: _gauge(s) >= 1), "pendopo_inforeq_overdue not counted"
