"""The back office's applications (/kantor/permohonan…, /kantor/layanan/{slug}/ajukan): every
officer step end to end and visible in the timeline and the audit log; the refusals (citizens,
another unit's officer, an officer who is no supervisor); one decision of two sent at the same
moment; the working-day clock pausing while the application waits for the citizen and resuming;
the deadline job's overdue flag and its figure in /metrics; the queue's keyset pages."""
import calendar
import re
import threading
import time

from identity_util import signin
from kantor_util import (NIK_WARGA, account_id, answers, citizen_apply, citizen_correct,
                         demo_client, demo_creds, detail, due_date, file_assisted, file_ids,
                         form_fields, post_multipart, status_of, step, timeline_kinds, version_of)
from run import serial

X, Y = "desa-mekarsari", "disdukcapil"
SVC_X = "sktm"  # a village letter of Desa Mekarsari (X)


def _audit_actions(s, app_id):
    return [r[0] for r in s.sql("SELECT action FROM audit_log WHERE object_id = ? ORDER BY seq", (app_id,))]


def _field_error(page, field_id):
    """The message shown beside a field, tied to it by aria-describedby."""
    m = re.search(r'id="%s"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*%s-error' % (field_id, field_id), page, re.S)
    assert m, "field %s is not marked invalid" % field_id
    e = re.search(r'<p class="field-error" id="%s-error">([^<]+)</p>' % field_id, page)
    assert e, "no message beside %s" % field_id
    return e.group(1)


# --- every step ----------------------------------------------------------------------------------

def test_assisted_filing_and_every_step(ctx):
    s = ctx.server()
    offx = demo_client(s, "officer", X)
    # The desk's form: NIK, name, the consent box and the service's own fields.
    page = offx.get("/kantor/layanan/%s/ajukan" % SVC_X)
    assert page.status == 200, page
    assert page.text.count("<main") == 1
    for name in ('name="_nik"', 'name="_nama"', 'name="_persetujuan"', 'enctype="multipart/form-data"'):
        assert name in page.text, name
    # Consent is required: without it nothing is filed, and the message stands beside the box.
    values, files = answers(form_fields(s, SVC_X))
    fields = [("csrf", offx.csrf_from(page.text)), ("_nik", NIK_WARGA), ("_nama", "Siti Warga")] + values
    before = s.sql("SELECT COUNT(*) FROM application")[0][0]
    r = post_multipart(offx, "/kantor/layanan/%s/ajukan" % SVC_X, fields, files)
    assert r.status == 422, r
    assert _field_error(r.text, "desk-persetujuan")
    assert 'value="%s"' % NIK_WARGA in r.text  # what was typed is shown again
    assert s.sql("SELECT COUNT(*) FROM application")[0][0] == before
    # With consent: filed, and the tracking number to hand over is on the page.
    app_id, tracking = file_assisted(s, offx, SVC_X)
    shown = offx.get("/kantor/layanan/%s/ajukan?nomor=%s" % (SVC_X, tracking))
    assert shown.status == 200 and tracking in shown.text and 'id="nomor-permohonan"' in shown.text

    # The queue lists it with its due date; the detail shows answers, file, assisted marker.
    q = offx.get("/kantor/permohonan")
    assert q.status == 200 and tracking in q.text, q
    page = detail(offx, app_id)
    assert 'id="berbantuan"' in page and "Siti Warga" in page
    assert re.search(r'id="tenggat"><time datetime="\d{4}-\d{2}-\d{2}"', page)
    assert "Uji " in page  # an answer, shown with the form version it was filed on
    assert "formulir versi" in page
    fids = file_ids(page, app_id)
    assert fids, "no file link"
    f = offx.get("/kantor/permohonan/%s/berkas/%s" % (app_id, fids[0]))
    assert f.status == 200, f
    assert f.body.startswith(b"%PDF")
    assert f.header("Content-Disposition").startswith("attachment")
    assert "sandbox" in f.header_all("Content-Security-Policy")
    assert offx.get("/kantor/permohonan/%s/berkas/%s" % (app_id, "0" * 8 + "-0000-7000-8000-" + "0" * 12)).status == 404

    # Claim, check every requirement, return without a note (422), return with one.
    assert step(offx, app_id, "ambil").status == 303
    assert status_of(s, app_id) == "processing"
    page = detail(offx, app_id)
    n = int(re.search(r'name="jumlah" value="(\d+)"', page).group(1))
    assert n >= 1, "the service lists requirements"
    r = _check_all(offx, app_id, n, page)
    assert r.status == 303, r
    page = detail(offx, app_id)
    assert page.count(" checked>") >= n, "the ticks are kept"
    r = step(offx, app_id, "kembalikan", {"catatan": "   "}, page=page)
    assert r.status == 422, r
    assert _field_error(r.text, "catatan")
    assert status_of(s, app_id) == "processing"
    r = step(offx, app_id, "kembalikan", {"catatan": "Pengantar RT belum ditandatangani."})
    assert r.status == 303, r
    assert status_of(s, app_id) == "returned"
    page = detail(offx, app_id)
    assert "Pengantar RT belum ditandatangani." in page
    assert "jam berhenti" in page  # the clock is paused while the citizen corrects

    kinds = timeline_kinds(page)
    for k in ("submitted", "claimed", "checked", "returned"):
        assert k in kinds, (k, kinds)
    actions = _audit_actions(s, app_id)
    for a in ("application.submit_assisted", "application.claim", "application.check", "application.return"):
        assert a in actions, (a, actions)


def _check_all(c, app_id, n, page):
    f = [("csrf", c.csrf_from(page)), ("versi", re.search(
        r'action="/kantor/permohonan/[^"]+/periksa"[^>]*>\s*<input type="hidden" name="csrf" value="[^"]+">\s*'
        r'<input type="hidden" name="versi" value="(\d+)"', page).group(1)), ("jumlah", str(n))]
    f += [("syarat", str(i)) for i in range(n)]
    import urllib.parse
    return c.request("POST", "/kantor/permohonan/%s/periksa" % app_id, body=urllib.parse.urlencode(f),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})


def test_citizen_applies_officer_returns_citizen_corrects_officer_approves(ctx):
    s = ctx.server()
    citizen = demo_client(s, "citizen")  # lives in Desa Mekarsari (X)
    app_id = citizen_apply(s, citizen, SVC_X)
    offx = demo_client(s, "officer", X)
    tracking = re.search(r'<span class="tracking">([A-Z0-9-]+)</span>', detail(offx, app_id)).group(1)
    assert app_id in _queue_ids(offx, "/kantor/permohonan?layanan=%s" % SVC_X)
    assert step(offx, app_id, "ambil").status == 303
    page = detail(offx, app_id)
    n = int(re.search(r'name="jumlah" value="(\d+)"', page).group(1))
    assert _check_all(offx, app_id, n, page).status == 303
    r = step(offx, app_id, "kembalikan", {"catatan": "Foto KK kurang jelas, mohon unggah ulang."})
    assert r.status == 303, r
    # The citizen reads the note and corrects; the application is back in the queue.
    mine = citizen.get("/permohonan/%s" % app_id)
    assert mine.status == 200 and "Foto KK kurang jelas" in mine.text
    r = citizen_correct(s, citizen, app_id, SVC_X)
    assert r.status == 303, (r.status, re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text))
    assert status_of(s, app_id) == "submitted"
    page = detail(offx, app_id)
    assert "resubmitted" in timeline_kinds(page)
    if 'action="/kantor/permohonan/%s/ambil"' % app_id in page:
        assert step(offx, app_id, "ambil", page=page).status == 303
    r = step(offx, app_id, "setujui")
    assert r.status == 303, r
    assert status_of(s, app_id) == "approved"
    page = detail(offx, app_id)
    kinds = timeline_kinds(page)
    for k in ("submitted", "claimed", "checked", "returned", "resubmitted", "approved"):
        assert k in kinds, (k, kinds)
    actions = _audit_actions(s, app_id)
    for a in ("application.submit", "application.claim", "application.check", "application.return",
              "application.resubmit", "application.approve"):
        assert a in actions, (a, actions)
    doc = s.sql("SELECT document_id FROM application WHERE id = ?", (app_id,))[0][0]
    assert doc and "/verifikasi/%s" % doc in page
    # The citizen sees the decision; the public status page shows no personal data.
    assert citizen.get("/permohonan/%s" % app_id).status == 200
    track = s.client().get("/lacak/%s" % tracking)
    assert track.status == 200 and "Foto KK" not in track.text


def test_approve_issues_the_document_and_reject_needs_a_reason(ctx):
    s = ctx.server()
    offx = demo_client(s, "officer", X)
    a1, _ = file_assisted(s, offx, SVC_X)
    a2, _ = file_assisted(s, offx, SVC_X)
    for a in (a1, a2):
        assert step(offx, a, "ambil").status == 303
    # Approve: final, the document issued in the same transaction.
    r = step(offx, a1, "setujui")
    assert r.status == 303, r
    assert status_of(s, a1) == "approved"
    doc = s.sql("SELECT document_id FROM application WHERE id = ?", (a1,))[0][0]
    assert doc, "no document issued"
    page = detail(offx, a1)
    assert "/verifikasi/%s" % doc in page
    assert "approved" in timeline_kinds(page)
    assert 'action="/kantor/permohonan/%s/tolak"' % a1 not in page  # nothing left to decide
    # Reject needs a reason, shown beside the field; with one it is final and shown.
    r = step(offx, a2, "tolak", {"alasan": ""})
    assert r.status == 422, r
    assert _field_error(r.text, "alasan")
    assert status_of(s, a2) == "processing"
    r = step(offx, a2, "tolak", {"alasan": "Pemohon tidak berdomisili di desa ini <b>x</b>."})
    assert r.status == 303, r
    assert status_of(s, a2) == "rejected"
    page = detail(offx, a2)
    assert "Pemohon tidak berdomisili di desa ini &lt;b&gt;x&lt;/b&gt;." in page and "<b>x" not in page
    assert "rejected" in timeline_kinds(page)
    # The same page in English.
    en = offx.get("/kantor/permohonan/%s" % a2, headers={"Accept-Language": "en"})
    assert en.status == 200 and "Reason for rejection" in en.text, en
    assert "application.approve" in _audit_actions(s, a1)
    assert "application.reject" in _audit_actions(s, a2)
    # A step on a decided application: someone already acted (409), nothing changes.
    r = offx.post_form(
        "/kantor/permohonan/%s/setujui" % a2, {"csrf": offx.csrf_from(page), "versi": str(version_of(s, a2))})
    assert r.status == 409, r
    assert status_of(s, a2) == "rejected"


# --- refusals ------------------------------------------------------------------------------------

def test_refusals(ctx):
    s = ctx.server()
    offx = demo_client(s, "officer", X)
    offy = demo_client(s, "officer", Y)
    citizen = demo_client(s, "citizen")
    app_id, tracking = file_assisted(s, offx, SVC_X)
    # A citizen opens no /kantor/ page.
    for path in ("/kantor/permohonan", "/kantor/permohonan/%s" % app_id,
                 "/kantor/layanan/%s/ajukan" % SVC_X):
        assert citizen.get(path).status == 404, path
    # Another unit's officer: the application does not exist for it, and it cannot act on it.
    assert offy.get("/kantor/permohonan/%s" % app_id).status == 404
    assert tracking not in offy.get("/kantor/permohonan").text
    token = offy.csrf_from(offy.get("/kantor/permohonan").text)
    for action in ("ambil", "setujui", "tolak", "kembalikan", "tugaskan"):
        r = offy.post_form("/kantor/permohonan/%s/%s" % (app_id, action),
                           {"csrf": token, "versi": str(version_of(s, app_id)), "alasan": "x", "catatan": "x",
                            "petugas": app_id})
        assert r.status == 404, (action, r)
    assert status_of(s, app_id) == "submitted"
    # An officer without the supervisor role may claim but not assign (403).
    offx_id = account_id(s, demo_creds(s, "officer", X)[0])
    page = detail(offx, app_id)
    assert 'action="/kantor/permohonan/%s/tugaskan"' % app_id not in page
    r = offx.post_form("/kantor/permohonan/%s/tugaskan" % app_id,
                       {"csrf": offx.csrf_from(page), "versi": str(version_of(s, app_id)), "petugas": offx_id})
    assert r.status == 403, r
    assert status_of(s, app_id) == "submitted"
    # The supervisor (regency) sees the application, assigns it, and reassigns it.
    sup = demo_client(s, "supervisor")
    page = detail(sup, app_id)
    r = step(sup, app_id, "tugaskan", {"petugas": "bukan-akun"}, page=page)
    assert r.status == 422, r
    assert _field_error(r.text, "petugas")
    r = step(sup, app_id, "tugaskan", {"petugas": offx_id})
    assert r.status == 303, r
    assert status_of(s, app_id) == "processing"
    assert s.sql("SELECT assigned_to FROM application WHERE id = ?", (app_id,))[0][0] == offx_id
    assert "Anda" in re.search(r'id="petugas-saat-ini">([^<]*)<', detail(offx, app_id)).group(1)
    sup_id = account_id(s, demo_creds(s, "supervisor")[0])
    r = step(sup, app_id, "tugaskan", {"petugas": sup_id})
    assert r.status == 303, r
    assert s.sql("SELECT assigned_to FROM application WHERE id = ?", (app_id,))[0][0] == sup_id
    # X's officer is no longer the assignee: it may not decide.
    r = offx.post_form("/kantor/permohonan/%s/setujui" % app_id,
                       {"csrf": offx.csrf_from(detail(offx, app_id)), "versi": str(version_of(s, app_id))})
    assert r.status == 403, r
    assert [k for k in timeline_kinds(detail(sup, app_id)) if k == "assigned"] == ["assigned", "assigned"]
    assert _audit_actions(s, app_id).count("application.assign") == 2
    # Bad input of the steps themselves: no version, a stale version.
    tok = offx.csrf_from(detail(offx, app_id))
    assert offx.post_form("/kantor/permohonan/%s/ambil" % app_id, {"csrf": tok}).status == 400
    assert offx.get("/kantor/permohonan?setelah=rusak").status == 400
    assert offx.get("/kantor/permohonan?status=draft").status == 400


@serial
def test_two_decisions_at_the_same_moment(ctx):
    s = ctx.server()
    offx = demo_client(s, "officer", X)
    sup = demo_client(s, "supervisor")
    for attempt in range(3):
        app_id, _ = file_assisted(s, offx, SVC_X)
        assert step(offx, app_id, "ambil").status == 303
        p1, p2 = detail(offx, app_id), detail(sup, app_id)
        v = str(version_of(s, app_id))
        reqs = [(offx, "setujui", {"csrf": offx.csrf_from(p1), "versi": v}),
                (sup, "tolak", {"csrf": sup.csrf_from(p2), "versi": v, "alasan": "Berkas tidak lengkap."})]
        results = [None, None]
        barrier = threading.Barrier(2)

        def go(i):
            c, action, fields = reqs[i]
            barrier.wait()
            results[i] = c.post_form("/kantor/permohonan/%s/%s" % (app_id, action), fields)

        threads = [threading.Thread(target=go, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        statuses = sorted(r.status for r in results)
        assert statuses == [303, 409], statuses
        loser = results[0] if results[0].status == 409 else results[1]
        assert "/kantor/permohonan/%s" % app_id in loser.text  # the way back to look again
        kinds = timeline_kinds(detail(sup, app_id))
        decisions = [k for k in kinds if k in ("approved", "rejected")]
        assert len(decisions) == 1, kinds
        assert status_of(s, app_id) == decisions[0]
        actions = _audit_actions(s, app_id)
        assert actions.count("application.approve") + actions.count("application.reject") == 1, actions


# --- the clock ------------------------------------------------------------------------------------

def _ms(y, m, d, hh=9, mm=0):
    """Local time (WIB, +07) as UTC milliseconds."""
    return (calendar.timegm((y, m, d, hh, mm, 0)) - 7 * 3600) * 1000


def _clock_server(ctx, when):
    s = ctx.unstarted_server()
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    s.set_clock(when)
    return s.start()


def _wait(pred, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.2)
    return False


def test_clock_pauses_while_returned_and_resumes(ctx):
    # Monday 2 November 2026, 09:00 WIB: a fortnight without holidays.
    s = _clock_server(ctx, _ms(2026, 11, 2))
    days = s.sql("SELECT processing_days FROM service WHERE slug = ?", (SVC_X,))[0][0]
    citizen = demo_client(s, "citizen")
    app_id = citizen_apply(s, citizen, SVC_X)
    offx = demo_client(s, "officer", X)
    assert step(offx, app_id, "ambil").status == 303
    due0 = due_date(detail(offx, app_id))
    # Day 1 is the first working day after the day of submission.
    assert due0 == "2026-11-%02d" % (2 + days), (due0, days)
    # Returned on Monday; the citizen takes until Wednesday (with a 1-day service): the clock
    # stands still meanwhile, and the deadline job never flags a returned application, even
    # past its due date.
    assert step(offx, app_id, "kembalikan", {"catatan": "Lengkapi surat pengantar RT."}).status == 303
    runs = _job_runs(s)
    s.set_clock(_ms(2026, 11, 3 + days, 10))
    assert _wait(lambda: _job_runs(s) > runs), "the deadline job did not run"
    offx = demo_client(s, "officer", X)  # the old session went idle meanwhile
    page = detail(offx, app_id)
    assert due_date(page) == due0 and "jam berhenti" in page and "TERLAMBAT" not in page
    assert s.sql("SELECT overdue FROM application WHERE id = ?", (app_id,))[0][0] in (0, False)
    # The citizen corrects that day: the working days waited (from Tuesday up to and including
    # that day) move the due date on by as many working days.
    citizen = demo_client(s, "citizen")
    r = citizen_correct(s, citizen, app_id, SVC_X)
    assert r.status == 303, r
    page = detail(offx, app_id)
    assert status_of(s, app_id) == "submitted"
    waited = 1 + days  # Tuesday 3 … the day of the correction, all working days
    due1 = due_date(page)
    assert due1 == "2026-11-%02d" % (2 + days + waited), (due0, due1, waited)
    assert "jam berhenti" not in page and "TERLAMBAT" not in page
    assert s.sql("SELECT paused_days FROM application WHERE id = ?", (app_id,))[0][0] == waited


def _job_runs(s):
    """The deadline job's runs so far, as /metrics counts this process's job runs."""
    for line in s.client().get("/metrics").text.splitlines():
        if line.startswith("pendopo_job_runs_total "):
            return float(line.split()[1])
    return 0


def test_deadline_job_flags_overdue(ctx):
    s = _clock_server(ctx, _ms(2026, 11, 2))
    offx = demo_client(s, "officer", X)
    app_id, tracking = file_assisted(s, offx, SVC_X)
    due = due_date(detail(offx, app_id))
    assert "TERLAMBAT" not in detail(offx, app_id)
    assert app_id not in _queue_ids(offx, "/kantor/permohonan?terlambat=1")
    # A week later the deadline job (its next run is due on the moved clock) flags it.
    s.set_clock(_ms(2026, 11, 9, 9))
    assert _wait(lambda: s.sql("SELECT overdue FROM application WHERE id = ?", (app_id,))[0][0] in (1, True)), \
        "the deadline job did not flag the application"
    offx = demo_client(s, "officer", X)
    page = detail(offx, app_id)
    assert "TERLAMBAT" in page and due_date(page) == due
    assert "overdue" in timeline_kinds(page)
    assert app_id in _queue_ids(offx, "/kantor/permohonan?terlambat=1")
    sup = demo_client(s, "supervisor")
    assert app_id in _queue_ids(sup, "/kantor/permohonan?terlambat=1")
    assert app_id not in _queue_ids(sup, "/kantor/permohonan?terlambat=1&status=returned")
    assert "application.overdue" in [r[0] for r in s.sql("SELECT action FROM audit_log")]

    def gauge():
        for line in s.client().get("/metrics").text.splitlines():
            if line.startswith("pendopo_applications_overdue "):
                return float(line.split()[1])
        return -1
    assert _wait(lambda: gauge() >= 1), "pendopo_applications_overdue not counted"
    flagged = [l for l in s.client().get("/metrics").text.splitlines()
               if l.startswith("pendopo_applications_overdue_flagged_total ")]
    assert flagged and float(flagged[0].split()[1]) >= 1, flagged


# --- the queue's pages ----------------------------------------------------------------------------

def _queue_pages(c, url):
    """Every page of a queue from url on, following the rel=next links: [(ids, due dates)]."""
    pages = []
    while url:
        r = c.get(url)
        assert r.status == 200, (url, r)
        pages.append((re.findall(r'<li class="queue-item" id="p-([0-9a-f-]{36})">', r.text),
                      re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})" class="due">', r.text)))
        m = re.search(r'href="([^"]+)" rel="next"', r.text)
        url = m.group(1).replace("&amp;", "&") if m else None
        assert len(pages) < 200, "endless pages"
    return pages


def _queue_ids(c, url):
    return [i for ids, _ in _queue_pages(c, url) for i in ids]


def test_queue_pages_by_keyset(ctx):
    s = ctx.server()
    offx = demo_client(s, "officer", X)
    made = {file_assisted(s, offx, SVC_X)[0] for _ in range(30)}
    got = _queue_pages(offx, "/kantor/permohonan?layanan=%s" % SVC_X)
    assert len(got) >= 2, len(got)
    assert all(len(ids) <= 25 for ids, _ in got)
    seen = [i for ids, _ in got for i in ids]
    dues = [d for _, ds in got for d in ds]
    assert len(seen) == len(set(seen)), "a row shown twice"
    assert made <= set(seen), "rows missing: %d" % len(made - set(seen))
    assert dues == sorted(dues), "not ordered by due date"
    # The filter of the first page is kept on the next link.
    first = offx.get("/kantor/permohonan?layanan=%s" % SVC_X).text
    assert "layanan=%s" % SVC_X in re.search(r'href="([^"]+)" rel="next"', first).group(1)
    # "Mine": nothing until claimed.
    one = sorted(made)[0]
    assert one not in offx.get("/kantor/permohonan?saya=1&layanan=%s" % SVC_X).text
    assert step(offx, one, "ambil").status == 303
    mine = _queue_ids(offx, "/kantor/permohonan?saya=1&layanan=%s&status=processing" % SVC_X)
    assert one in mine
    offx_id = account_id(s, demo_creds(s, "officer", X)[0])
    for i in mine:
        assert s.sql("SELECT assigned_to FROM application WHERE id = ?", (i,))[0][0] == offx_id


# --- people: the supervisor's choice, names for staff, the office for the citizen ---------------

STAFF_PASSWORD = "petugas uji yang cukup panjang"


def _staff(s, email, name, role, unit):
    p = s.cli("user", "add", "--email", email, "--name", name, "--role", role, "--unit", unit,
              stdin=STAFF_PASSWORD + "\n")
    return p.stdout.strip().splitlines()[-1]


def _unit(s, slug):
    return s.sql("SELECT id, path, name, parent_id FROM unit WHERE slug = ?", (slug,))[0]


def _options(page):
    """(value, label) of every option of the assignee select."""
    m = re.search(r'<select id="petugas" name="petugas"[^>]*>(.*?)</select>', page, re.S)
    assert m, "no assignee select"
    return [(v, re.sub(r"\s+", " ", lbl).strip())
            for v, lbl in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', m.group(1))]


def test_assignee_select_lists_exactly_the_eligible_staff(ctx):
    s = ctx.server()
    offx = demo_client(s, "officer", X)
    sup = demo_client(s, "supervisor")
    app_id, _ = file_assisted(s, offx, SVC_X)
    desa = _unit(s, X)
    kec_slug = s.sql("SELECT slug FROM unit WHERE id = ?", (desa[3],))[0][0]
    # Eligible: officers and supervisors of the village and of the units above it.
    joko = _staff(s, "joko.desa@contoh.id", "Joko Mekarsari", "officer", X)
    tono = _staff(s, "tono.kec@contoh.id", "Tono Kecamatan", "officer", kec_slug)
    # Not eligible: another unit's officer, a coordinator, a disabled officer.
    wati = _staff(s, "wati.dukcapil@contoh.id", "Wati Disdukcapil", "officer", Y)
    koor = _staff(s, "koor.desa@contoh.id", "Koordinator Desa", "coordinator", X)
    mati = _staff(s, "mati.desa@contoh.id", "Petugas Nonaktif", "officer", X)
    s.cli("user", "disable", "--email", "mati.desa@contoh.id")
    budi = account_id(s, demo_creds(s, "officer", Y)[0])
    sup_id = account_id(s, demo_creds(s, "supervisor")[0])
    rina = account_id(s, demo_creds(s, "officer", X)[0])

    # What the rule says, computed here from the tables: active staff with officer or supervisor
    # on a unit whose path is a prefix of the application's unit path.
    app_path = s.sql("SELECT unit_path FROM application WHERE id = ?", (app_id,))[0][0]
    rows = s.sql("SELECT DISTINCT a.id, u.path FROM account a JOIN account_grant g ON g.account_id = a.id "
                 "JOIN unit u ON u.id = g.unit_id WHERE a.kind = 'staff' AND a.disabled = 0 "
                 "AND a.erased_ms IS NULL AND g.role IN ('officer', 'supervisor')")
    expected = {r[0] for r in rows if app_path.startswith(r[1])}
    assert {joko, tono, rina, sup_id} <= expected and not {wati, koor, mati, budi} & expected

    page = detail(sup, app_id)
    opts = _options(page)
    assert opts[0][0] == "", opts  # "Pilih petugas" first, nothing chosen
    values = [v for v, _ in opts[1:]]
    assert set(values) == expected and len(values) == len(expected), (values, expected)
    # The supervisor first as "me", then the others by name with role and unit.
    assert values[0] == sup_id and opts[1][1].startswith("Saya sendiri (Dewi Lestari)"), opts
    labels = dict(opts)
    assert labels[joko].startswith("Joko Mekarsari — Petugas · "), labels[joko]
    assert labels[rina].startswith("Rina Wulandari — Petugas · %s" % desa[2]), labels[rina]
    others = [labels[v] for v in values[1:]]
    assert others == sorted(others, key=str.lower), others
    for name in ("Wati Disdukcapil", "Koordinator Desa", "Petugas Nonaktif", "Budi Santoso"):
        assert name not in page, name
    assert 'aria-describedby="petugas-hint"' in page and '<label for="petugas">' in page

    # Assigning anyone outside the list is refused beside the select (422), nothing changes.
    for outsider in (wati, koor, mati, budi, "bukan-akun", app_id):
        r = step(sup, app_id, "tugaskan", {"petugas": outsider})
        assert r.status == 422, (outsider, r)
        assert _field_error(r.text, "petugas")
        assert len(_options(r.text)) == len(expected) + 1  # the choice offered again
    assert status_of(s, app_id) == "submitted"
    assert s.sql("SELECT assigned_to FROM application WHERE id = ?", (app_id,))[0][0] is None
    # Someone on the list: assigned, and the page names them.
    r = step(sup, app_id, "tugaskan", {"petugas": tono})
    assert r.status == 303, r
    assert s.sql("SELECT assigned_to FROM application WHERE id = ?", (app_id,))[0][0] == tono
    page = detail(sup, app_id)
    assert "Tono Kecamatan" in re.search(r'id="petugas-saat-ini">(.*?)</dd>', page, re.S).group(1)
    cur = [lbl for v, lbl in _options(page) if v == tono][0]
    assert "sedang ditugaskan" in cur, cur
    # An officer (no supervisor) gets no choice at all.
    assert 'id="petugas"' not in detail(offx, app_id)
    # The queue names the assignee too (resolved for the whole page at once).
    url = "/kantor/permohonan?layanan=%s&status=processing" % SVC_X
    row = None
    while url and not row:
        q = sup.get(url)
        assert q.status == 200, q
        row = re.search(r'<li class="queue-item" id="p-%s">(.*?)</li>' % app_id, q.text, re.S)
        m = re.search(r'href="([^"]+)" rel="next"', q.text)
        url = m.group(1).replace("&amp;", "&") if m else None
    assert row and "Tono Kecamatan" in row.group(1), "the queue row names the assignee"


def test_staff_names_for_staff_and_the_office_for_the_citizen(ctx):
    s = ctx.server()
    citizen = demo_client(s, "citizen")
    app_id = citizen_apply(s, citizen, SVC_X)
    offx = demo_client(s, "officer", X)
    sup = demo_client(s, "supervisor")
    assert step(offx, app_id, "ambil").status == 303
    r = step(offx, app_id, "kembalikan", {"catatan": "Lengkapi pengantar RT."})
    assert r.status == 303, r
    desa_name = _unit(s, X)[2]
    # Staff read the officer's name in the timeline, with role and unit; no id fragments.
    page = detail(sup, app_id)
    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', page, re.S).group(1)
    claimed = re.search(r'<li data-kind="claimed">(.*?)</li>', timeline, re.S).group(1)
    assert "Rina Wulandari" in claimed and "Petugas · %s" % desa_name in claimed, claimed
    assert "Rina Wulandari" in re.search(r'<li data-kind="returned">(.*?)</li>', timeline, re.S).group(1)
    assert not re.search(r"Petugas [0-9a-f]{8}\b", page), "an account id instead of a name"
    assert "Pemohon" in re.search(r'<li data-kind="submitted">(.*?)</li>', timeline, re.S).group(1)
    # The officer herself reads "Anda".
    mine = detail(offx, app_id)
    assert "Anda" in re.search(r'<li data-kind="claimed">(.*?)</li>', mine, re.S).group(1)
    # The citizen reads the office, never the officer's name.
    cp = citizen.get("/permohonan/%s" % app_id)
    assert cp.status == 200
    assert "Rina Wulandari" not in cp.text
    assert "Petugas · %s" % desa_name in cp.text, cp.text[-3000:]


def test_staff_file_download_records_the_read(ctx):
    s = ctx.server()
    citizen = demo_client(s, "citizen")
    app_id = citizen_apply(s, citizen, SVC_X)
    offx = demo_client(s, "officer", X)
    page = detail(offx, app_id)
    fid = file_ids(page, app_id)[0]

    def reads():
        return s.sql("SELECT COUNT(*) FROM audit_log WHERE object_id = ? AND action = 'personal.read'",
                     (app_id,))[0][0]

    before = reads()
    f = offx.get("/kantor/permohonan/%s/berkas/%s" % (app_id, fid))
    assert f.status == 200 and f.body.startswith(b"%PDF"), f
    assert reads() == before + 1
    # Refusals record nothing: another unit's officer, an unknown file.
    offy = demo_client(s, "officer", Y)
    assert offy.get("/kantor/permohonan/%s/berkas/%s" % (app_id, fid)).status == 404
    unknown = "0" * 8 + "-0000-7000-8000-" + "0" * 12
    assert offx.get("/kantor/permohonan/%s/berkas/%s" % (app_id, unknown)).status == 404
    assert reads() == before + 1


def test_desk_errors_stand_beside_the_right_nik(ctx):
    """sktm's form has a field "nik" of its own: the desk's NIK and the form's NIK each keep
    their own message."""
    s = ctx.server()
    offx = demo_client(s, "officer", X)
    fields_def = form_fields(s, SVC_X)
    assert any(f["key"] == "nik" for f in fields_def), "sktm asks for a nik"
    url = "/kantor/layanan/%s/ajukan" % SVC_X

    def post(desk_nik, form_nik, consent=True, name="Siti Warga"):
        page = offx.get(url)
        values, files = answers(fields_def)
        values = [(k, form_nik if k == "nik" else v) for k, v in values]
        fields = [("csrf", offx.csrf_from(page.text)), ("_nik", desk_nik), ("_nama", name)]
        if consent:
            fields.append(("_persetujuan", "ya"))
        return post_multipart(offx, url, fields + values, files)

    before = s.sql("SELECT COUNT(*) FROM application")[0][0]
    # The desk's NIK wrong, the form's right: the message beside the desk's input only.
    r = post("123", NIK_WARGA)
    assert r.status == 422, r
    assert _field_error(r.text, "desk-nik")
    assert 'id="f-nik-error"' not in r.text
    # The form's NIK wrong, the desk's right: beside the form's input only.
    r = post(NIK_WARGA, "999")
    assert r.status == 422, r
    assert _field_error(r.text, "f-nik")
    assert 'id="desk-nik-error"' not in r.text
    # Both wrong, no name, no consent: every message beside its own input.
    r = post("12", "34", consent=False, name="")
    assert r.status == 422, r
    for fid in ("desk-nik", "f-nik", "desk-nama", "desk-persetujuan"):
        assert _field_error(r.text, fid), fid
    assert s.sql("SELECT COUNT(*) FROM application")[0][0] == before
    # Who may open the desk is the domain's rule (pd_application_assist_open): a coordinator (no
    # officer or supervisor grant) may not (403); a citizen and an unknown service find nothing.
    _staff(s, "koor2.desa@contoh.id", "Koordinator Dua", "coordinator", X)
    koor = s.client()
    assert signin(koor, "koor2.desa@contoh.id", STAFF_PASSWORD).status == 303
    assert koor.get(url).status == 403
    assert demo_client(s, "citizen").get(url).status == 404
    assert offx.get("/kantor/layanan/tidak-ada/ajukan").status == 404
