"""The performance dashboards (/dasbor, /kantor/dasbor, /kantor/dasbor/digitalisasi) on the demo
regency: every figure agrees with its CSV download; the applications per service, the complaints
per category and the median working days to a decision are recomputed here straight from the
database (Python over SQL, not the program's queries); charts are inline SVG with a title and a
text alternative and escape what they draw; filters by unit and period; the staff view is scoped
to the actor's grants; the digitisation ranking's scores are the documented weighted sums of
their parts."""
import csv
import datetime
import io
import re

from kantor_util import demo_client

WIB = datetime.timezone(datetime.timedelta(hours=7))
EPOCH = datetime.date(1970, 1, 1)


def _csv(c, path):
    r = c.get(path)
    assert r.status == 200, (path, r)
    assert r.header("Content-Type") == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(r.text)))


def _table(page, table_id):
    """{row heading: [cell texts]} of the table with this id (tags stripped)."""
    m = re.search(r'<table[^>]*id="%s".*?</table>' % table_id, page, re.S)
    assert m, table_id
    rows = {}
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", m.group(0), re.S):
        th = re.search(r'<th scope="row">(.*?)</th>', tr, re.S)
        if not th:
            continue
        name = re.sub(r"<[^>]+>", "", th.group(1))
        rows[_unescape(name)] = [_unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
    return rows


def _unescape(s):
    import html
    return html.unescape(s).strip()


def _page_num(s):
    """A page figure ("12,5 %", "3", "—") as the CSV writes it ("12.5", "3", "")."""
    return s.replace(" %", "").replace(",", ".").replace("—", "")


def _last12(now_ms):
    """[since, until) of the last 12 months as the dashboard counts them."""
    now = datetime.datetime.fromtimestamp(now_ms / 1000, WIB)
    k = now.year * 12 + now.month - 1 - 11
    since = datetime.datetime(k // 12, k % 12 + 1, 1, tzinfo=WIB)
    return int(since.timestamp() * 1000), now_ms + 1


def _civil_day(ms):
    return (datetime.datetime.fromtimestamp(ms / 1000, WIB).date() - EPOCH).days


def _working_days(s, a_ms, b_ms, holidays):
    """Working days in (day of a, day of b]: Monday–Friday and not a holiday."""
    a, b = _civil_day(a_ms), _civil_day(b_ms)
    n = 0
    for d in range(a + 1, b + 1):
        if (EPOCH + datetime.timedelta(days=d)).weekday() < 5 and d not in holidays:
            n += 1
    return n


def _median_x10(v):
    v = sorted(v)
    if len(v) < 10:
        return None
    if len(v) % 2:
        return v[len(v) // 2] * 10
    return (v[len(v) // 2 - 1] + v[len(v) // 2]) * 5


def test_public_figures_agree_with_csv_and_database(ctx):
    s = ctx.server()
    c = s.client()
    page = c.get("/dasbor")
    assert page.status == 200, page
    t = page.text
    assert t.count("<main") == 1
    now_ms = int(datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000)
    # inline SVG charts, each labelled by its title and text alternative; no script at all
    charts = re.findall(r'<svg class="chart"[^>]*role="img" aria-labelledby="([a-z-]+)-t \1-d"', t)
    assert {"g-layanan", "g-kategori", "g-desa"} <= set(charts), charts
    assert "<script" not in t
    for cid in charts:
        assert '<title id="%s-t">' % cid in t and '<desc id="%s-d">' % cid in t

    # 1. the services table equals layanan.csv, which equals the database
    table = _table(t, "tabel-layanan")
    rows = _csv(c, "/dasbor/layanan.csv")
    assert len(rows) >= 10 and rows[-1]["service_name"] == "TOTAL"
    for r in rows[:-1]:
        cells = table[r["service_name"]]
        # promised, received, finished, median, share, open, overdue, assisted
        assert [_page_num(x) for x in cells] == [
            r["promised_working_days"], r["received"], r["finished"], r["median_working_days_to_finish"],
            r["within_percent"], r["open"], r["overdue"], r["assisted"]], (r, cells)
    total = table["Jumlah"]
    assert _page_num(total[1]) == rows[-1]["received"]

    since, until = _last12(now_ms)
    db = s.sql(
        "SELECT sv.slug, a.status, a.submitted_ms, a.decided_ms, a.due_ms, a.assisted_by "
        "FROM application a JOIN service sv ON sv.id = a.service_id "
        "WHERE a.status <> 'draft' AND a.submitted_ms >= ? AND a.submitted_ms < ?", (since, until))
    assert len(db) > 100  # the demo's history
    want = {}
    for slug, status, sub, dec, due, helper in db:
        w = want.setdefault(slug, {"received": 0, "finished": 0, "within": 0, "open": 0, "assisted": 0})
        w["received"] += 1
        if status in ("approved", "rejected"):
            w["finished"] += 1
            w["within"] += due is not None and dec <= due
        w["open"] += status in ("submitted", "processing", "returned")
        w["assisted"] += helper is not None
    got = {r["service_slug"]: {k: int(r[k]) for k in ("received", "finished", "open", "assisted")}
           for r in rows[:-1]}
    got_within = {r["service_slug"]: int(r["finished_within_promised"]) for r in rows[:-1]}
    assert got == {k: {x: v[x] for x in ("received", "finished", "open", "assisted")} for k, v in want.items()}
    assert got_within == {k: v["within"] for k, v in want.items()}
    assert sum(v["assisted"] for v in want.values()) > 0  # the demo files some at a counter

    # 2. the median working days to a decision (all services), recomputed with the holidays
    holidays = {d for (d,) in s.sql("SELECT day FROM holiday")}
    days = [_working_days(s, sub, dec, holidays) for _, st, sub, dec, _, _ in db
            if st in ("approved", "rejected")]
    m = _median_x10(days)
    assert m is not None
    assert rows[-1]["median_working_days_to_finish"] == "%d.%d" % (m // 10, m % 10)
    assert rows[-1]["finished_in_median"] == str(len(days))

    # 3. complaints per category: table = CSV = database
    cats = _csv(c, "/dasbor/pengaduan-kategori.csv")
    ctable = _table(t, "tabel-kategori")
    for r in cats[:-1]:
        assert [_page_num(x) for x in ctable[r["category_name"]]] == [
            r["received"], r["answered"], r["median_working_days_to_answer"], r["within_percent"], r["open"]]
    db = s.sql(
        "SELECT k.code, COUNT(*), SUM(CASE WHEN c.answered_ms IS NOT NULL THEN 1 ELSE 0 END) "
        "FROM complaint c JOIN complaint_category k ON k.id = c.category_id "
        "WHERE c.created_ms >= ? AND c.created_ms < ? GROUP BY k.code", (since, until))
    assert {r["category_code"]: (int(r["received"]), int(r["answered"])) for r in cats[:-1]} == \
        {code: (int(n), int(a)) for code, n, a in db}
    assert int(cats[-1]["received"]) == sum(int(n) for _, n, _ in db) > 50

    # 4. villages: the CSV sums to the same total; the IKM CSV matches its table
    vil = _csv(c, "/dasbor/pengaduan-desa.csv")
    assert sum(int(r["received"]) for r in vil[:-1]) == int(cats[-1]["received"])
    ikm = _csv(c, "/dasbor/ikm.csv")
    if ikm:
        itable = _table(t, "tabel-ikm")
        for r in ikm:
            cells = itable[r["unit_name"]]
            assert cells[0] == r["responses"]
            if r["index"]:
                assert _page_num(cells[1]) == r["index"] and cells[2].startswith(r["grade"])
    # the information requests: figures or the notice that they are not available
    assert 'id="tabel-informasi"' in t or "belum tersedia" in t
    if 'id="tabel-informasi"' in t:
        info = _csv(c, "/dasbor/informasi.csv")
        itable = _table(t, "tabel-informasi")
        for r in info[:-1]:
            assert [_page_num(x) for x in itable[r["unit_name"]]] == [
                r["received"], r["answered"], r["answered_on_time"], r["on_time_percent"], r["overdue"],
                r["objections"]], r
        assert sum(int(r["received"]) for r in info[:-1]) == int(info[-1]["received"])


def test_filters_and_errors(ctx):
    s = ctx.server()
    c = s.client()
    rows = _csv(c, "/dasbor/layanan.csv?unit=disdukcapil")
    assert rows[:-1] and {r["unit_slug"] for r in rows[:-1]} == {"disdukcapil"}
    page = c.get("/dasbor?unit=disdukcapil&periode=")
    assert page.status == 200 and 'value="disdukcapil" selected' in page.text
    year = datetime.datetime.now(WIB).year
    for p in (str(year), "%d-T1" % year, str(year - 3)):
        r = c.get("/dasbor?periode=" + p)
        assert r.status == 200 and ('value="%s" selected' % p) in r.text, p
        assert _csv(c, "/dasbor/layanan.csv?periode=" + p)[-1]["service_name"] == "TOTAL"
    # a year long ago: nothing, an empty chart with its text, no error
    r = c.get("/dasbor?periode=2001")
    assert r.status == 200 and "Belum ada data untuk periode ini." in r.text
    assert [x["received"] for x in _csv(c, "/dasbor/layanan.csv?periode=2001")] == ["0"]
    for bad in ("/dasbor?periode=2026-T5", "/dasbor?periode=kemarin", "/dasbor/layanan.csv?periode=1999",
                "/dasbor?unit=Bukan%20Slug"):
        assert c.get(bad).status == 400, bad
    assert c.get("/dasbor?unit=tidak-ada").status == 404
    assert c.get("/dasbor/tidak-ada.csv").status == 404
    assert c.get("/dasbor/layanan.json").status == 404
    assert c.get("/dasbor/tren.csv").status == 404  # the trend is for staff
    # the English page uses dots
    en = c.get("/dasbor?lang=en")
    assert en.status in (200, 303)


def test_escaping_in_charts_and_tables(ctx):
    s = ctx.server()
    evil = "<script>alert('x')</script> & \"Jalan\""
    code = s.sql("SELECT code FROM complaint_category ORDER BY code LIMIT 1")[0][0]
    s.sql("UPDATE complaint_category SET name = ? WHERE code = ?", (evil, code))
    c = s.client()
    t = c.get("/dasbor").text
    assert "<script>alert" not in t
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Jalan&quot;" in t or \
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in t
    # the CSV keeps the text as it is (quoted), a spreadsheet formula would be defused
    names = [r["category_name"] for r in _csv(c, "/dasbor/pengaduan-kategori.csv")]
    assert evil in names


def test_staff_dashboard_scope_and_trend(ctx):
    s = ctx.server()
    off = demo_client(s, "officer", "desa-mekarsari")
    page = off.get("/kantor/dasbor")
    assert page.status == 200, page
    t = page.text
    assert t.count("<main") == 1
    assert 'aria-labelledby="g-tren-t g-tren-d"' in t
    assert "Desa Mekarsari" in t
    # outside the officer's grant: 404, as if it did not exist
    assert off.get("/kantor/dasbor?unit=disdukcapil").status == 404
    assert off.get("/kantor/dasbor/layanan.csv?unit=disdukcapil").status == 404
    assert off.get("/kantor/dasbor/digitalisasi").status == 404
    # the administrator (regency): the trend's months add up to the figures
    adm = demo_client(s, "administrator")
    page = adm.get("/kantor/dasbor")
    assert page.status == 200 and "/kantor/dasbor/digitalisasi" in page.text
    trend = _csv(adm, "/kantor/dasbor/tren.csv")
    assert len(trend) == 12
    apps = _csv(adm, "/kantor/dasbor/layanan.csv")
    cats = _csv(adm, "/kantor/dasbor/pengaduan-kategori.csv")
    assert sum(int(m["applications_received"]) for m in trend) == int(apps[-1]["received"])
    assert sum(int(m["applications_finished"]) for m in trend) == int(apps[-1]["finished"])
    assert sum(int(m["complaints_received"]) for m in trend) == int(cats[-1]["received"])
    # the trend table on the page shows the same
    table = _table(page.text, "tabel-tren")
    for m in trend:
        assert table[m["month"]][:4] == [m["applications_received"], m["applications_finished"],
                                         m["complaints_received"], m["complaints_answered"]]
    # slowest services: by median, highest first
    slow = _table(page.text, "tabel-lambat")
    medians = [float(_page_num(v[0])) for v in slow.values()]
    assert medians == sorted(medians, reverse=True) and medians
    # a citizen finds nothing here
    cit = demo_client(s, "citizen")
    assert cit.get("/kantor/dasbor").status == 404
    assert s.client().get("/kantor/dasbor").status == 303


def test_digitise_ranking(ctx):
    s = ctx.server()
    adm = demo_client(s, "administrator")
    page = adm.get("/kantor/dasbor/digitalisasi")
    assert page.status == 200, page
    assert page.text.count("<main") == 1
    for w in ("30 %", "25 %", "20 %", "15 %", "10 %"):
        assert w in page.text
    rows = _csv(adm, "/kantor/dasbor/digitalisasi.csv")
    assert len(rows) >= 10
    weights = {"demand": 30, "counter": 25, "time": 20, "complaints": 15, "ikm": 10}
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    most = max(int(r["received"]) for r in rows)
    most_c = max(int(r["unit_complaints"]) for r in rows)
    for r in rows:
        parts = {k: float(r[k]) for k in weights}
        assert all(0 <= v <= 1 for v in parts.values()), r
        assert abs(sum(weights[k] * parts[k] for k in weights) / 100 - float(r["score"])) <= 0.0006, r
        assert abs(parts["demand"] - int(r["received"]) / most) <= 0.0006
        assert abs(parts["counter"] - int(r["assisted"]) / int(r["received"])) <= 0.0006
        assert abs(parts["complaints"] - (int(r["unit_complaints"]) / most_c if most_c else 0)) <= 0.0006
        if r["median_working_days"]:
            want = min(float(r["median_working_days"]) / (2 * int(r["promised_working_days"])), 1) \
                if int(r["promised_working_days"]) else 1.0
            assert abs(parts["time"] - want) <= 0.0006, r
        else:
            assert parts["time"] == 0
        if r["ikm_lowest_element_mean"]:
            assert abs(parts["ikm"] - (4 - float(r["ikm_lowest_element_mean"])) / 3) <= 0.0006
    # the page shows the same ranking
    table = re.findall(r'<tr data-key="([a-z0-9-]+)"><td>(\d+)</td>', page.text)
    assert [k for k, _ in table] == [r["service_slug"] for r in rows]
    # other staff and citizens: 404
    assert demo_client(s, "supervisor").get("/kantor/dasbor/digitalisasi.csv").status == 404
