"""The satisfaction survey (IKM, PermenPANRB 14/2017): the citizen's questionnaire after a
completed application (once, owner only, 422 for a missing answer), the anonymous storage, and
the public /ikm page and /ikm.csv — only closed quarters published (the running one would give a
known person's answer away to whoever compares the page before and after it), figures withheld
under ten responses, protective withholding of a service that would reveal a smaller group,
quarters in the installation's time zone, and figures equal to the exact computation of the unit
test (tests/unit/test_ikm.c). Every server runs on the test clock, moved to close a quarter.

One test drives the real flow (an officer files for a citizen, the citizen attaches it, the
officer claims and approves, the citizen answers); the others, which need many completed
applications, write them straight into the database the way the application store writes them
(the survey reads only id, owner, status, service and unit)."""
import datetime
import re
import uuid
from fractions import Fraction

from identity_util import STRONG, register, signin
from kantor_util import NIK_WARGA, citizen_with_nik, demo_client, file_assisted, status_of, step

WIB = datetime.timezone(datetime.timedelta(hours=7))
# The worked example of tests/unit/test_ikm.c: IKM 82.70 (82.695 rounded half up), grade B.
EXAMPLE = [[4, 4, 3, 4, 3, 4, 4, 3, 3], [3, 3, 3, 4, 3, 3, 4, 3, 3], [4, 3, 2, 4, 4, 3, 3, 2, 3],
           [3, 3, 3, 4, 3, 4, 4, 3, 4], [4, 4, 4, 4, 3, 3, 4, 3, 3], [3, 2, 3, 4, 3, 3, 3, 2, 3],
           [4, 3, 3, 4, 4, 4, 4, 3, 3], [3, 3, 2, 4, 3, 3, 3, 3, 2], [4, 4, 3, 4, 3, 3, 4, 3, 3],
           [3, 3, 3, 4, 4, 4, 4, 3, 3]]


def ms(y, m, d, hh=10, mm=0):
    return int(datetime.datetime(y, m, d, hh, mm, tzinfo=WIB).timestamp() * 1000)


# The test clock: T0 12 August 2026 10:00 WIB, the third quarter of 2026 runs; T1 in the fourth
# quarter, the third closed.
T0 = ms(2026, 8, 12)
T1 = ms(2026, 10, 5)


def half_up(fr):
    """Fraction → integer, rounded half up (fr >= 0)."""
    return (fr * 2 + 1) // 2


def expected(responses):
    """(index×100, grade, [NRR×100]) computed exactly as the regulation says."""
    n = len(responses)
    sums = [sum(r[i] for r in responses) for i in range(9)]
    index = half_up(sum(Fraction(s, n) * Fraction(111, 1000) for s in sums) * 25 * 100)
    grade = "A" if index >= 8831 else "B" if index >= 7661 else "C" if index >= 6500 else "D"
    return index, grade, [half_up(Fraction(100 * s, n)) for s in sums]


def fmt(x100, sep=","):
    return "%d%s%02d" % (x100 // 100, sep, x100 % 100)


ELEMENTS = ", ".join("t%d" % i for i in range(1, 10))


def server(ctx, when=None, **kw):
    """A demo server on the test clock (at when, else T0) without the demo's survey answers, so
    the figures are this test's alone."""
    s = ctx.unstarted_server(**kw)
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    s.set_clock(when or T0)
    s.start()
    clear(s)
    return s


def clear(s):
    s.sql("DELETE FROM survey_tally")
    s.sql("DELETE FROM survey_answered")


def tally(s):
    """The stored totals: (year, quarter, unit_id, service_id, n, t1..t9), sorted."""
    return s.sql("SELECT year, quarter, unit_id, service_id, n, %s FROM survey_tally "
                 "ORDER BY year, quarter, unit_id, service_id" % ELEMENTS)


def main_of(page):
    m = re.search(r"<main.*</main>", page, re.S)
    assert m, page
    return m.group(0)


def again(s, email):
    """A new session of the citizen with this email (after the clock moved)."""
    c = s.client()
    assert signin(c, email, STRONG).status == 303
    return c


def citizen(s, email, name="Warga Survei"):
    c = s.client()
    assert register(c, email, name=name).status == 303
    c = s.client()
    assert signin(c, email, STRONG).status == 303
    account = s.sql("SELECT id FROM account WHERE kind = 'citizen' ORDER BY id DESC LIMIT 1")[0][0]
    return c, account


def completed(s, account, slug="akta-kelahiran", status="approved"):
    """An application of account for service slug, already decided, as the store writes it."""
    svc = s.sql("SELECT s.id, u.id, u.path FROM service s JOIN unit u ON u.id = s.unit_id "
                "WHERE s.slug = ?", (slug,))[0]
    app_id = str(uuid.uuid4())
    tracking = "P" + uuid.uuid4().hex[:9].upper()
    now = int(datetime.datetime.now().timestamp() * 1000)
    decided = now if status in ("approved", "rejected") else None
    s.sql("INSERT INTO application (id, tracking, service_id, unit_id, unit_path, citizen_account_id, "
          "status, sla_days, submitted_ms, due_ms, decided_ms, created_ms, updated_ms) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, 5, ?, ?, ?, ?, ?)",
          (app_id, tracking, svc[0], svc[1], svc[2], account, status, now, now, decided, now, now))
    return app_id


def answer(c, app_id, scores, expect=303):
    page = c.get("/permohonan/%s/survei" % app_id)
    assert page.status == 200, page
    fields = {"csrf": c.csrf_from(page.text)}
    for i, v in enumerate(scores):
        if v is not None:
            fields["u%d" % (i + 1)] = str(v)
    r = c.post_form("/permohonan/%s/survei" % app_id, fields)
    assert r.status == expect, (r, r.text[:2000])
    return r


def tables(s):
    if s.backend == "sqlite":
        return [r[0] for r in s.sql("SELECT name FROM sqlite_master WHERE type = 'table' "
                                    "AND name NOT LIKE 'sqlite_%'")]
    return [r[0] for r in s.sql("SELECT table_name FROM information_schema.tables "
                                "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")]


def columns(s, table):
    if s.backend == "sqlite":
        return [c[1] for c in s.sql("PRAGMA table_info(%s)" % table)]
    return [c[0] for c in s.sql("SELECT column_name FROM information_schema.columns "
                                "WHERE table_name = ?", (table,))]


def counts(s):
    return {t: s.sql("SELECT COUNT(*) FROM %s" % t)[0][0] for t in tables(s)}


def test_survey_form_and_once(ctx):
    s = server(ctx)
    a, account = citizen(s, "ikm.a@contoh.id")
    app_id = completed(s, account)
    r = a.get("/permohonan/%s/survei" % app_id)
    assert r.status == 200, r
    assert r.text.count("<main") == 1
    assert "no-store" in (r.header("Cache-Control") or ""), r.header("Cache-Control")
    # nine groups, in the regulation's order, each with four answers and a legend
    assert r.text.count("<fieldset") == 9 and r.text.count("<legend>") == 9
    legends = re.findall(r"<legend>(\d)\. ([^:]+):", r.text)
    assert [n for n, _ in legends] == [str(i) for i in range(1, 10)], legends
    assert [e for _, e in legends][0] == "Persyaratan" and legends[8][1] == "Sarana dan prasarana", legends
    assert "Penanganan pengaduan" in legends[7][1], legends
    for i in range(1, 10):
        for v in range(1, 5):
            assert 'id="u%d-%d" name="u%d" value="%d"' % (i, v, i, v) in r.text, (i, v)
            assert '<label for="u%d-%d">' % (i, v) in r.text
    for text in ("Tidak sesuai", "Kurang sesuai", "Sangat sesuai", "Gratis", "Dikelola dengan baik"):
        assert text in r.text, text
    assert len(a.get("/permohonan/%s/survei" % app_id, headers={"Accept-Encoding": "gzip"}).raw) < 30 * 1024
    # a missing answer: 422, the form again with the message beside that group, the rest kept
    scores = [4, 3, None, 4, 3, 4, 4, 3, 3]
    r = answer(a, app_id, scores, expect=422)
    assert r.text.count('class="field-error"') == 1 and 'id="u3-error"' in r.text, r.text
    assert 'aria-describedby="u3-error"' in r.text
    assert re.search(r'id="u1-4" name="u1" value="4" required checked', r.text), r.text
    assert tally(s) == []
    # a value outside 1..4 is refused too
    r = answer(a, app_id, [5, 3, 3, 4, 3, 4, 4, 3, 3], expect=422)
    assert 'id="u1-error"' in r.text
    # complete: added to the totals of its quarter, unit and service, anonymously
    r = answer(a, app_id, EXAMPLE[0])
    assert r.header("Location") == "/permohonan/%s/survei" % app_id
    thanks = a.get(r.header("Location"))
    assert thanks.status == 200 and "Terima kasih" in thanks.text and "<form" not in thanks.text.split("<main")[1]
    unit, svc = s.sql("SELECT unit_id, service_id FROM application WHERE id = ?", (app_id,))[0]
    assert tally(s) == [(2026, 3, unit, svc, 1) + tuple(EXAMPLE[0])], tally(s)
    # nothing but the group and its totals: no id, account, application or time
    cols = columns(s, "survey_tally")
    assert sorted(cols) == sorted(["year", "quarter", "unit_id", "service_id", "n"] +
                                  ["t%d" % i for i in range(1, 10)]), cols
    assert app_id not in repr(tally(s)) and account not in repr(tally(s))
    assert s.sql("SELECT application_id FROM survey_answered") == [(app_id,)]
    audit = s.sql("SELECT actor, details FROM audit_log WHERE action = 'survey.submit' AND object_id = ?",
                  (app_id,))
    assert audit == [("account:" + account, "{}")], audit
    # a second answer is refused and changes nothing
    r = a.post_form("/permohonan/%s/survei" % app_id,
                    dict({"csrf": a.csrf_from(a.get("/akun").text)}, **{"u%d" % i: "1" for i in range(1, 10)}))
    assert r.status == 409, r
    assert tally(s) == [(2026, 3, unit, svc, 1) + tuple(EXAMPLE[0])]


def test_no_row_pairs_an_answer_with_its_application(ctx):
    """A second answer for the same service and quarter adds to the same totals: no table gets a
    row per response (so no row's order, id or, on PostgreSQL, transaction id could be paired
    with the survey_answered row of the same transaction), only the record that it was
    answered and the audit entry."""
    s = server(ctx)
    a, account = citizen(s, "ikm.a@contoh.id")
    first, second = completed(s, account), completed(s, account)
    answer(a, first, EXAMPLE[0])
    page = a.get("/permohonan/%s/survei" % second)
    before = counts(s)
    fields = dict({"csrf": a.csrf_from(page.text)}, **{"u%d" % (i + 1): str(v) for i, v in enumerate(EXAMPLE[1])})
    assert a.post_form("/permohonan/%s/survei" % second, fields).status == 303
    grown = {t for t, n in counts(s).items() if n > before[t]}
    assert grown <= {"survey_answered", "audit_log", "session", "metric"}, grown
    assert "survey_answered" in grown and "audit_log" in grown, grown
    rows = tally(s)
    assert len(rows) == 1 and rows[0][4] == 2, rows
    assert list(rows[0][5:]) == [x + y for x, y in zip(EXAMPLE[0], EXAMPLE[1])], rows
    if s.backend == "postgres":
        # The first answer's transaction wrote survey_answered and the audit entry; no other
        # row is left that carries its transaction id.
        xid = s.sql("SELECT xmin::text FROM survey_answered WHERE application_id = ?", (first,))[0][0]
        for t in tables(s):
            if t in ("survey_answered", "audit_log"):
                continue
            n = s.sql("SELECT COUNT(*) FROM %s WHERE xmin::text = ?" % t, (xid,))[0][0]
            assert n == 0, (t, n)


def test_survey_refusals(ctx):
    s = server(ctx)
    a, account = citizen(s, "ikm.a@contoh.id")
    b, _ = citizen(s, "ikm.b@contoh.id", name="Warga Lain")
    app_id = completed(s, account)
    rejected = completed(s, account, status="rejected")
    open_app = completed(s, account, status="processing")
    path = "/permohonan/%s/survei" % app_id
    # another citizen: 404 for the page and the post
    assert b.get(path).status == 404
    r = b.post_form(path, dict({"csrf": b.csrf_from(b.get("/akun").text)},
                               **{"u%d" % i: "4" for i in range(1, 10)}))
    assert r.status == 404, r
    # nobody signed in: to the sign-in page
    r = s.client().get(path)
    assert r.status == 303 and r.header("Location").startswith("/masuk"), r
    # staff, even of the service's unit: 404 (the survey is the citizen's alone)
    rows = [ln.split("\t") for ln in open(s.data + "/demo-accounts.txt").read().splitlines()[1:]]
    officer = next(r for r in rows if r[0] == "officer" and r[1] == "disdukcapil")
    o = s.client()
    assert signin(o, officer[2], officer[3]).status == 303
    assert o.get(path).status == 404
    # not completed yet: 403; rejected counts as completed
    assert a.get("/permohonan/%s/survei" % open_app).status == 403
    assert a.get("/permohonan/%s/survei" % rejected).status == 200
    # unknown and malformed ids
    assert a.get("/permohonan/%s/survei" % uuid.uuid4()).status == 404
    assert a.get("/permohonan/bukan-id/survei").status == 404
    assert tally(s) == []


def unit_section(page, unit_slug):
    m = re.search(r'<section class="ikm-unit" aria-labelledby="unit-%s">(.*?)</section>' % unit_slug,
                  page, re.S)
    assert m, page
    return m.group(1)


def options(page):
    return re.findall(r'<option value="(\d{4}-\d)"( selected)?>', page)


def test_ikm_running_quarter_not_published(ctx):
    """The running quarter's figures change with every answer: published, they would give a
    known citizen's scores away to whoever compares the page before and after that answer (the
    tenth makes them appear). Only closed quarters are published; the page says so."""
    s = server(ctx)  # the third quarter of 2026 runs
    a, account = citizen(s, "ikm.a@contoh.id")
    apps = [completed(s, account) for _ in range(10)]
    for app_id, scores in zip(apps[:9], EXAMPLE[:9]):
        answer(a, app_id, scores)
    c = s.client()
    before = c.get("/ikm?triwulan=2026-3")
    answer(a, apps[9], EXAMPLE[9])
    after = c.get("/ikm?triwulan=2026-3")
    for r in (before, after):
        assert r.status == 200 and r.text.count("<main") == 1, r
        assert "Triwulan ini belum berakhir. Triwulan berjalan diterbitkan setelah berakhir." in r.text
        assert 'class="ikm-unit"' not in r.text and "ikm-index" not in r.text and "82,70" not in r.text
        assert "/ikm.csv?triwulan=2026-3" not in r.text
    assert main_of(before.text) == main_of(after.text)
    csv = c.get("/ikm.csv?triwulan=2026-3")
    assert csv.status == 404 and "82.70" not in csv.text, csv
    assert c.get("/ikm.csv?triwulan=2027-1").status == 404  # a later quarter neither
    # the default is the last closed quarter, and the running one is not offered
    r = c.get("/ikm")
    assert "<h2>Triwulan II 2026</h2>" in r.text and "Belum ada tanggapan" in r.text, r.text
    assert "Triwulan berjalan diterbitkan setelah berakhir." in r.text
    assert options(r.text) == [("2026-2", " selected")], options(r.text)
    assert c.get("/ikm.csv").text.count("\r\n") == 1  # the header alone
    # once the quarter has ended: the worked example, 82.70, grade B
    s.set_clock(T1)
    index, grade, nrr = expected(EXAMPLE)
    assert (index, grade) == (8270, "B")
    r = c.get("/ikm")
    assert "<h2>Triwulan III 2026</h2>" in r.text and options(r.text) == [("2026-3", " selected")], r.text
    sec = unit_section(r.text, "disdukcapil")
    assert '<dd class="ikm-index">82,70</dd>' in sec, sec
    assert '<dd class="ikm-grade">B (Baik)</dd>' in sec
    shown = re.findall(r'<tr><th scope="row">U(\d)\. [^<]+</th><td>([\d,]+)</td></tr>', sec)
    assert shown[:9] == [(str(i + 1), fmt(v)) for i, v in enumerate(nrr)], shown
    assert re.search(r'<tr id="svc-akta-kelahiran"><th scope="row"><a href="/layanan/akta-kelahiran">'
                     r'[^<]+</a></th><td>10</td><td>82,70</td><td>B \(Baik\)</td></tr>', sec), sec
    # the CSV has the same figures with a dot
    csv = c.get("/ikm.csv")
    assert csv.status == 200 and csv.header("Content-Type") == "text/csv; charset=utf-8"
    lines = csv.text.strip().split("\r\n")
    assert lines[0].startswith("year,quarter,unit_slug,unit_name,service_slug,service_name,responses,"
                               "withheld,index,grade,nrr_u1_requirements")
    rows = [ln.split(",") for ln in lines[1:] if ln.split(",")[2] == "disdukcapil"]
    assert [r[:2] for r in rows] == [["2026", "3"]] * 2, rows
    assert [r[6:] for r in rows] == [["10", "0", "82.70", "B"] + [fmt(v, ".") for v in nrr]] * 2, rows
    # English: dots, and the grade's meaning translated
    r = c.get("/ikm", headers={"Accept-Language": "en"})
    sec = unit_section(r.text, "disdukcapil")
    assert '<dd class="ikm-index">82.70</dd>' in sec and "B (Good)" in sec, sec
    assert len(c.get("/ikm", headers={"Accept-Encoding": "gzip"}).raw) < 30 * 1024


def test_ikm_withheld_under_ten(ctx):
    s = server(ctx)
    a, account = citizen(s, "ikm.a@contoh.id")
    for scores in EXAMPLE[:9]:
        answer(a, completed(s, account), scores)
    s.set_clock(T1)
    c = s.client()
    r = c.get("/ikm")
    assert r.status == 200 and r.text.count("<main") == 1, r
    sec = unit_section(r.text, "disdukcapil")
    assert "Tanggapan: 9" in sec and "Belum cukup tanggapan" in sec, sec
    assert "ikm-index" not in sec and "belum cukup tanggapan" in sec
    lines = c.get("/ikm.csv").text.strip().split("\r\n")
    unit_row = next(ln for ln in lines[1:] if ln.split(",")[2] == "disdukcapil" and ln.split(",")[4] == "")
    cells = unit_row.split(",")
    assert cells[6:] == ["9", "1", "", ""] + [""] * 9, cells


def test_ikm_protects_small_groups(ctx):
    """Ten responses for one service and three for another of the same unit: the unit's figure
    (13) is published, so the ten must be withheld too — else unit minus service gives the
    three's scores."""
    s = server(ctx)
    a, account = citizen(s, "ikm.a@contoh.id")
    small = s.sql("SELECT s.slug FROM service s JOIN unit u ON u.id = s.unit_id WHERE u.slug = "
                  "'disdukcapil' AND s.slug <> 'akta-kelahiran' AND s.enabled = 1 ORDER BY s.slug")[0][0]
    for scores in EXAMPLE:
        answer(a, completed(s, account), scores)
    others = [[1] * 9, [2] * 9, [1, 2, 1, 2, 1, 2, 1, 2, 1]]
    for scores in others:
        answer(a, completed(s, account, slug=small), scores)
    s.set_clock(T1)
    r = s.client().get("/ikm")
    sec = unit_section(r.text, "disdukcapil")
    index, grade, _ = expected(EXAMPLE + others)
    assert '<dd class="ikm-index">%s</dd>' % fmt(index) in sec, (index, sec)
    assert "<dd>13</dd>" in sec
    assert "82,70" not in sec, sec
    assert re.search(r'id="svc-akta-kelahiran">.*?<td>10</td><td colspan="2">disembunyikan', sec), sec
    assert re.search(r'id="svc-%s">.*?<td>3</td><td colspan="2">belum cukup' % small, sec), sec
    rows = [ln.split(",") for ln in s.client().get("/ikm.csv").text.strip().split("\r\n")[1:]]
    by_service = {r[4]: r[6:10] for r in rows if r[2] == "disdukcapil"}
    assert by_service == {"": ["13", "0", fmt(index, "."), grade], "akta-kelahiran": ["10", "1", "", ""],
                          small: ["3", "1", "", ""]}, by_service


def test_ikm_quarters_in_local_time(ctx):
    """A response at 23:50 WIB on 31 March is in the first quarter, one at 17:30 UTC that day
    (00:30 WIB on 1 April) in the second: quarters follow the installation's time zone, and so
    does their end (at 00:30 WIB on 1 April the first is closed and published)."""
    s = server(ctx, when=ms(2027, 3, 31, 23, 50))
    a, account = citizen(s, "ikm.a@contoh.id")
    answer(a, completed(s, account), EXAMPLE[0])
    s.set_clock(int(datetime.datetime(2027, 3, 31, 17, 30, tzinfo=datetime.timezone.utc).timestamp() * 1000))
    a = again(s, "ikm.a@contoh.id")
    answer(a, completed(s, account), EXAMPLE[1])
    assert sorted(r[:2] for r in tally(s)) == [(2027, 1), (2027, 2)]
    c = s.client()
    r = c.get("/ikm")  # the newest closed quarter; the second runs and is not offered
    assert "<h2>Triwulan I 2027</h2>" in r.text and "Tanggapan: 1" in unit_section(r.text, "disdukcapil")
    assert options(r.text) == [("2027-1", " selected")], options(r.text)
    r = c.get("/ikm?triwulan=2027-2")
    assert r.status == 200 and "Triwulan ini belum berakhir." in r.text and 'class="ikm-unit"' not in r.text
    s.set_clock(ms(2027, 7, 1, 0, 30))
    r = c.get("/ikm")
    assert "<h2>Triwulan II 2027</h2>" in r.text, r.text
    assert options(r.text) == [("2027-2", " selected"), ("2027-1", "")], options(r.text)
    r = c.get("/ikm?triwulan=2027-1")
    assert "<h2>Triwulan I 2027</h2>" in r.text and "Tanggapan: 1" in unit_section(r.text, "disdukcapil")
    r = c.get("/ikm?triwulan=2026-3")  # no responses: said so, and offered in the selector
    assert r.status == 200 and "Belum ada tanggapan" in r.text
    assert '<option value="2026-3" selected>' in r.text
    for bad in ("2027-5", "2027-0", "27-1", "2027-1x", "abcd-1", "1999-1"):
        assert c.get("/ikm?triwulan=" + bad).status == 400, bad
        assert c.get("/ikm.csv?triwulan=" + bad).status == 400, bad
    assert c.get("/ikm?setelah=tidak-ada").status == 400
    csv = c.get("/ikm.csv?triwulan=2027-1")
    assert csv.text.count("\r\n") == 3 and csv.text.split("\r\n")[1].startswith("2027,1,disdukcapil,"), csv.text


def test_survey_after_real_flow(ctx):
    s = server(ctx)
    # a citizen whose email counts as verified and whose account holds the NIK (attaching needs both)
    c = citizen_with_nik(s, "ikm.nyata@contoh.id", NIK_WARGA)
    offx = demo_client(s, "officer", "desa-mekarsari")
    app_id, tracking = file_assisted(s, offx, "sktm")
    r = c.post_form("/permohonan/tautkan", {"csrf": c.csrf_from(c.get("/permohonan").text),
                                            "nomor": tracking, "nik": NIK_WARGA})
    assert r.status == 303, r
    # submitted, not completed: the survey is not open yet, and nothing links to it
    assert c.get("/permohonan/%s/survei" % app_id).status == 403
    assert "/permohonan/%s/survei" % app_id not in c.get("/permohonan/%s" % app_id).text
    assert step(offx, app_id, "ambil").status == 303
    assert step(offx, app_id, "setujui").status == 303
    assert status_of(s, app_id) == "approved"
    # the application's page invites the citizen; the officer who decided may not answer
    assert 'href="/permohonan/%s/survei"' % app_id in c.get("/permohonan/%s" % app_id).text
    assert offx.get("/permohonan/%s/survei" % app_id).status == 404
    answer(c, app_id, [4] * 9)
    r = c.post_form("/permohonan/%s/survei" % app_id,
                    dict({"csrf": c.csrf_from(c.get("/akun").text)}, **{"u%d" % i: "2" for i in range(1, 10)}))
    assert r.status == 409, r
    unit, svc = s.sql("SELECT unit_id, service_id FROM application WHERE id = ?", (app_id,))[0]
    assert tally(s) == [(2026, 3, unit, svc, 1) + (4,) * 9], tally(s)
    # not on /ikm while the quarter runs; then one response, counted, its figures withheld
    assert 'aria-labelledby="unit-desa-mekarsari"' not in s.client().get("/ikm").text
    s.set_clock(T1)
    sec = unit_section(s.client().get("/ikm").text, "desa-mekarsari")
    assert "Tanggapan: 1" in sec and "ikm-index" not in sec, sec
