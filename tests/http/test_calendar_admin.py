"""The working-day calendar at /admin/kalender: the administrator of the top unit (Provinsi Jawa
Barat) moves a 2027 Idulfitri day and the due dates the server computes move with it (the page's
sample and GET /api/v1/calendar/due); each edit is audited and bumps the calendar generation;
administrators below the top see the calendar but may not change it (403), other staff and
citizens get 404, anonymous visitors are sent to sign in; invalid input gets 422 with the message
beside its field; the notice that the next year is not loaded shows from 1 October of the last
loaded year, with the /metrics gauge; and a second server on the same database picks an edit up
within about two seconds through the generation counter."""
import datetime
import os
import re
import time

from identity_util import signin
from run import serial

WIB = datetime.timezone(datetime.timedelta(hours=7))
TOP, LOWER = ("administrator", "jawa-barat"), ("administrator", "sukamaju")
OFFICER, CITIZEN = ("officer", "disdukcapil"), ("citizen", "desa-mekarsari")
NOTICE = 'id="kalender-belum-dimuat"'


def ms(y, m, d, hh=10, mm=0):
    return int(datetime.datetime(y, m, d, hh, mm, tzinfo=WIB).timestamp() * 1000)


def clocked_server(ctx, when, **kw):
    s = ctx.unstarted_server(**kw)
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    s.set_clock(when)
    return s.start()


def creds(s, who):
    role, unit = who
    with open(os.path.join(getattr(s, "demo_of", s).data, "demo-accounts.txt")) as f:
        rows = [line.split("\t") for line in f.read().splitlines()[1:]]
    row = next(r for r in rows if r[0] == role and r[1] == unit)
    return row[2], row[3]


def login(s, who):
    c = s.client()
    r = signin(c, *creds(s, who))
    assert r.status == 303, (who, r)
    return c


def post(c, action, fields, page="/admin/kalender"):
    p = c.get(page)
    token = c.csrf_from(p.text)
    assert token, p
    f = {"csrf": token}
    f.update(fields)
    return c.post_form(action, f)


def due(c, received, days):
    r = c.get("/api/v1/calendar/due?received=%s&days=%d" % (received.replace("+", "%2B"), days))
    assert r.status == 200, r
    return r.json()


def sample(page, days):
    m = re.search(r'data-days="%d">[^<]*?(\d{4}-\d\d-\d\d)<' % days, page)
    assert m, page[:3000]
    return m.group(1)


def working_days(page, year):
    m = re.search(r'class="working-days" data-year="%d">(\d+)<' % year, page)
    assert m, page[:3000]
    return int(m.group(1))


def generation(s):
    rows = s.sql("SELECT value FROM meta WHERE key = 'calendar_generation'")
    return int(rows[0][0]) if rows else 0


def test_calendar_admin_moves_holiday(ctx):
    # Friday 5 March 2027, 10:00 WIB: Nyepi, then Idulfitri with its collective leave.
    s = clocked_server(ctx, ms(2027, 3, 5))
    c = login(s, TOP)
    anon = s.client()
    received = "2027-03-05T10:00:00+07:00"
    # 8 Nyepi, 9 cuti, 10-11 Idulfitri, 12 and 15 cuti: day 1 is Tuesday 16 March.
    before = due(anon, received, 5)
    assert before["due"] == "2027-03-22T16:59:59.999Z" and before["due_date"] == "2027-03-22", before
    assert before["calendar"]["last_year"] == 2027 and before["beyond_calendar"] is False, before
    page = c.get("/admin/kalender")
    assert page.status == 200, page
    text = page.text
    assert "Idulfitri 1448 Hijriah (hari pertama)" in text and "Eid al-Fitr (day 1)" in text
    assert 'id="hari-2027-03-10"' in text and 'id="tahun-2026"' in text
    assert sample(text, 5) == "2027-03-22"
    n_2027 = working_days(text, 2027)
    gen0 = generation(s)

    # The minister moves Idulfitri: 10 March becomes a working day again…
    r = post(c, "/admin/kalender/hari/hapus", {"date": "2027-03-10"})
    assert r.status == 303 and r.header("Location") == "/admin/kalender?disimpan=1", r
    # …and the page and the API count by the new calendar at once (same node).
    text = c.get("/admin/kalender?disimpan=1").text
    assert 'id="hari-2027-03-10"' not in text and "Kalender telah disimpan" in text
    assert sample(text, 5) == "2027-03-19", "day 1 is now Wednesday 10 March"
    assert working_days(text, 2027) == n_2027 + 1
    assert due(anon, received, 5)["due_date"] == "2027-03-19"

    # 12 March turns from collective leave into the second day of Idulfitri (an edit), and
    # 16 March becomes collective leave (an addition): the due date moves on again.
    r = post(c, "/admin/kalender/hari", {"date": "2027-03-12", "kind": "libur",
                                         "name_id": "Idulfitri 1448 Hijriah (hari kedua)",
                                         "name_en": "Eid al-Fitr (day 2)", "source": "Keputusan Menteri Agama"})
    assert r.status == 303, r
    r = post(c, "/admin/kalender/hari", {"date": "2027-03-16", "kind": "cuti_bersama",
                                         "name_id": "Cuti Bersama Idulfitri 1448 Hijriah", "name_en": ""})
    assert r.status == 303, r
    text = c.get("/admin/kalender").text
    row = re.search(r'<tr id="hari-2027-03-12">.*?</tr>', text, re.S).group(0)
    assert "Libur nasional" in row and "Eid al-Fitr (day 2)" in row, row
    row = re.search(r'<tr id="hari-2027-03-16">.*?</tr>', text, re.S).group(0)
    assert "Cuti bersama" in row and row.count("Cuti Bersama Idulfitri 1448 Hijriah") == 2, \
        "an empty English name falls back to the Indonesian one"
    assert sample(text, 5) == "2027-03-22"
    assert due(anon, received, 5)["due"] == "2027-03-22T16:59:59.999Z"
    assert working_days(text, 2027) == n_2027

    # The edit form comes filled for ?ubah=.
    text = c.get("/admin/kalender?ubah=2027-03-12").text
    assert 'name="date" type="date" value="2027-03-12"' in text and 'value="Eid al-Fitr (day 2)"' in text
    assert re.search(r'<option value="libur" selected>', text)

    # One audit entry and one generation per change.
    assert generation(s) == gen0 + 3
    rows = s.sql("SELECT action, object_type, object_id, actor, unit_id FROM audit_log "
                 "WHERE action LIKE 'calendar.%' ORDER BY seq")
    assert [(a, t, o) for a, t, o, _, _ in rows] == [
        ("calendar.day_remove", "calendar_day", "2027-03-10"),
        ("calendar.day_put", "calendar_day", "2027-03-12"),
        ("calendar.day_put", "calendar_day", "2027-03-16")], rows
    assert all(actor.startswith("account:") and unit is None for _, _, _, actor, unit in rows), rows
    details = s.sql("SELECT details FROM audit_log WHERE action = 'calendar.day_put' ORDER BY seq")
    assert '"previous_kind":"cuti_bersama"' in details[0][0] and '"previous_kind":null' in details[1][0]

    # Loading a year with no days yet: it shows, with every weekday a working day.
    r = post(c, "/admin/kalender/tahun", {"year": "2028"})
    assert r.status == 303, r
    text = c.get("/admin/kalender").text
    assert 'id="tahun-2028"' in text and working_days(text, 2028) == 260
    assert s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'calendar.year_load' "
                 "AND object_id = '2028'")[0][0] == 1
    # The changes survive a restart (they are in the database, not only in memory).
    s.stop()
    s.start()
    assert due(s.client(), received, 5)["due_date"] == "2027-03-22"
    assert 'id="tahun-2028"' in login(s, TOP).get("/admin/kalender").text


def test_calendar_admin_access(ctx):
    s = clocked_server(ctx, ms(2027, 3, 5))
    top = login(s, TOP)
    lower = login(s, LOWER)
    # Every administrator may read the calendar; only the top unit's may change it.
    page = lower.get("/admin/kalender")
    assert page.status == 200 and "2027-03-10" in page.text, page
    assert 'action="/admin/kalender/hari"' not in page.text and "administrator unit tertinggi" in page.text
    assert 'action="/admin/kalender/hari"' in top.get("/admin/kalender").text
    # The lower administrator's forms are refused before the fields are looked at.
    for action, fields in (("/admin/kalender/hari/hapus", {"date": "2027-03-10"}),
                           ("/admin/kalender/hari", {"date": "bukan tanggal", "kind": "x"}),
                           ("/admin/kalender/tahun", {"year": "2028"})):
        r = post(lower, action, fields, page="/akun")
        assert r.status == 403, (action, r)
    # Other staff and citizens: no such page.
    for who in (OFFICER, CITIZEN, ("auditor", "inspektorat")):
        c = login(s, who)
        assert c.get("/admin/kalender").status == 404, who
        assert post(c, "/admin/kalender/hari/hapus", {"date": "2027-03-10"}, page="/akun").status == 404, who
    # Anonymous: sign in first.
    anon = s.client()
    r = anon.get("/admin/kalender")
    assert r.status == 303 and r.header("Location").startswith("/masuk?next="), r
    r = post(anon, "/admin/kalender/hari/hapus", {"date": "2027-03-10"}, page="/masuk")
    assert r.status == 303 and r.header("Location").startswith("/masuk"), r
    assert s.sql("SELECT COUNT(*) FROM holiday WHERE date = '2027-03-10'")[0][0] == 1
    assert s.sql("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'calendar.%'")[0][0] == 0


def test_calendar_admin_invalid(ctx):
    s = clocked_server(ctx, ms(2027, 3, 5))
    c = login(s, TOP)
    gen0 = generation(s)
    cases = [
        ("/admin/kalender/hari", {"date": "2027-02-30", "kind": "libur", "name_id": "X"},
         "day-date-error", "Tanggal tidak sah"),
        ("/admin/kalender/hari", {"date": "10-03-2027", "kind": "libur", "name_id": "X"},
         "day-date-error", "Tanggal tidak sah"),
        ("/admin/kalender/hari", {"date": "2030-01-02", "kind": "libur", "name_id": "X"},
         "day-date-error", "belum dimuat"),
        ("/admin/kalender/hari", {"date": "2027-04-01", "kind": "hari_raya", "name_id": "X"},
         "day-kind-error", "Pilih libur nasional atau cuti bersama"),
        ("/admin/kalender/hari", {"date": "2027-04-01", "kind": "libur", "name_id": ""},
         "day-name-id-error", "Isi nama hari"),
        ("/admin/kalender/hari", {"date": "2027-04-01", "kind": "libur", "name_id": "x" * 201},
         "day-name-id-error", "paling banyak 200"),
        ("/admin/kalender/hari/hapus", {"date": "2027-04-01"},
         "remove-date-error", "tidak ada dalam daftar"),
        ("/admin/kalender/hari/hapus", {"date": "kemarin"}, "remove-date-error", "Tanggal tidak sah"),
        ("/admin/kalender/tahun", {"year": "20x8"}, "year-year-error", "Tahun tidak sah"),
        ("/admin/kalender/tahun", {"year": "2099"}, "year-year-error", "Tahun tidak sah"),
        ("/admin/kalender/tahun", {"year": "2027"}, "year-year-error", "sudah dimuat"),
    ]
    for action, fields, error_id, words in cases:
        r = post(c, action, fields)
        assert r.status == 422, (action, fields, r)
        m = re.search(r'<p class="field-error" id="%s">([^<]+)</p>' % error_id, r.text)
        assert m and words in m.group(1), (action, fields, m and m.group(1))
        field_id = error_id[:-len("-error")]
        assert re.search(r'id="%s"[^>]*aria-invalid="true" aria-describedby="%s"' % (field_id, error_id), r.text), field_id
    # What was typed comes back in the form.
    r = post(c, "/admin/kalender/hari", {"date": "2027-04-01", "kind": "cuti_bersama",
                                         "name_id": "", "name_en": "Typed <b>"})
    assert r.status == 422 and 'value="Typed &lt;b&gt;"' in r.text
    assert re.search(r'<option value="cuti_bersama" selected>', r.text)
    # In English, the messages are translated.
    c.get("/akun?lang=en")
    r = post(c, "/admin/kalender/hari/hapus", {"date": "kemarin"})
    assert r.status == 422 and '<html lang="en">' in r.text and "Tanggal tidak sah" not in r.text, r.text[:500]
    # Nothing was written.
    assert generation(s) == gen0
    assert s.sql("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'calendar.%'")[0][0] == 0
    # The API: 422 naming the field.
    api = s.client()
    for query, field in (("days=abc", "days"), ("", "days"), ("days=0", "days"),
                         ("days=5&received=2027-03-05", "received"),
                         ("days=5&received=2027-02-30T10:00:00Z", "received")):
        r = api.get("/api/v1/calendar/due?" + query)
        assert r.status == 422 and r.json()["error"]["code"] == "invalid", (query, r)
        assert field in r.json()["error"]["fields"], (query, r.json())
    r = api.get("/api/v1/calendar/due?days=5&received=2027-03-05T03:00:00.5Z")
    assert r.status == 200 and r.json()["received"] == "2027-03-05T03:00:00.500Z", r
    # Without received: now (the test clock).
    assert api.get("/api/v1/calendar/due?days=5").json()["due_date"] == "2027-03-22"


def test_calendar_admin_warning(ctx):
    s = clocked_server(ctx, ms(2027, 9, 30, 23, 0))
    assert NOTICE not in login(s, TOP).get("/akun").text
    assert NOTICE not in login(s, TOP).get("/admin/kalender").text
    metrics = s.client().get("/metrics").text
    assert "pendopo_calendar_last_year 2027" in metrics, metrics[-800:]
    # From 1 October of the last loaded year (local time) administrators are warned.
    s.set_clock(ms(2027, 10, 2))
    top, lower = login(s, TOP), login(s, LOWER)
    for c in (top, lower):
        for path in ("/akun", "/admin/kalender", "/admin/unit/sukamaju/keamanan"):
            page = c.get(path)
            assert page.status == 200 and NOTICE in page.text, (path, page)
            notice = re.search(r'<div class="alert" role="status" id="kalender-belum-dimuat">.*?</div>',
                               page.text, re.S).group(0)
            assert "2028" in notice and "Senin sampai Jumat" in notice and 'href="/admin/kalender"' in notice
    top.get("/akun?lang=en")
    assert "deadlines after 31 December" in top.get("/akun").text
    # Not on other pages, not for other staff or citizens.
    assert NOTICE not in top.get("/").text
    for who in (OFFICER, CITIZEN):
        assert NOTICE not in login(s, who).get("/akun").text, who
    assert s.client().get("/healthz").status == 200
    # Loading 2028 ends the warning (until 1 October 2028).
    assert post(top, "/admin/kalender/tahun", {"year": "2028"}).status == 303
    assert NOTICE not in top.get("/akun").text
    assert "pendopo_calendar_last_year 2028" in s.client().get("/metrics").text


@serial
def test_calendar_admin_second_node(ctx):
    s1 = clocked_server(ctx, ms(2027, 10, 2))
    keys = os.path.join(s1.data, "keys")
    s2 = ctx.unstarted_server(db_of=s1, demo=False, env={
        "PENDOPO_KEYS": os.path.join(keys, "master.keys"),
        "PENDOPO_AUDIT_KEY": os.path.join(keys, "audit-signing.key"),
        "PENDOPO_TEST_CLOCK": s1.clock_file})
    s2.demo_of = s1  # the demo accounts are s1's, in the shared database
    s2.start()
    assert "pendopo_calendar_last_year 2027" in s2.client().get("/metrics").text
    on2 = login(s2, TOP)
    assert NOTICE in on2.get("/akun").text
    received = "2027-03-05T10:00:00+07:00"
    assert due(s2.client(), received, 5)["due_date"] == "2027-03-22"
    # An edit through the first node…
    top = login(s1, TOP)
    assert post(top, "/admin/kalender/tahun", {"year": "2028"}).status == 303
    assert post(top, "/admin/kalender/hari/hapus", {"date": "2027-03-10"}).status == 303
    t0 = time.time()
    # …is in the second node's published calendar within about two seconds (its main loop
    # checks the generation counter)…
    s2_metrics = ""
    while time.time() - t0 < 2.5:
        s2_metrics = s2.client().get("/metrics").text
        if "pendopo_calendar_last_year 2028" in s2_metrics:
            break
        time.sleep(0.1)
    assert "pendopo_calendar_last_year 2028" in s2_metrics, "the second node did not reload"
    assert "calendar_reloaded" in s2.read_log()
    assert NOTICE not in on2.get("/akun").text
    # …and its answers count by it.
    assert due(s2.client(), received, 5)["due_date"] == "2027-03-19"
