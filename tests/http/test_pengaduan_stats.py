"""Per-unit figures of complaints (/pengaduan/statistik and its CSV): received, answered, answered
within the deadline (answered_ms <= due_ms) and its share, the median of the working days from
filing to answer (shown as "—" under 10 answers), open and overdue, for a calendar year or the last
12 months, per owner unit or rolled up to the top-level agencies; confidential complaints count
(numbers only, none of their content appears)."""
import csv
import datetime
import io

from test_pengaduan_public import _filed

DAY = 86400000


def _ms(y, m, d, h=9):
    """h o'clock WIB (UTC+7) of a date, in UTC ms."""
    dt = datetime.datetime(y, m, d, h, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    return int(dt.timestamp() * 1000)


def _weekdays_between(a, b):
    """Working days (Mon–Fri; 2020 has no holidays loaded) in (day a, day b]."""
    n, d = 0, a + datetime.timedelta(days=1)
    while d <= b:
        n += d.weekday() < 5
        d += datetime.timedelta(days=1)
    return n


def _set(s, nomor, **cols):
    sets = ", ".join("%s = ?" % k for k in cols)
    s.sql("UPDATE complaint SET %s WHERE tracking = ?" % sets, tuple(cols.values()) + (nomor.replace("-", ""),))


def _row(text, name):
    """The cells of the table row whose heading links the unit `name`."""
    import re
    m = re.search(r'<tr><th scope="row"><a href="/unit/[^"]+">%s</a></th>(.*?)</tr>' % re.escape(name), text)
    assert m, name
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", m.group(1))]


def test_figures(ctx):
    s = ctx.server()
    c = s.client()
    # Twelve road complaints (Dinas PU) filed on weekdays of March 2020, eleven answered after
    # 0..10 working days, eight of them within their deadline; one still open and overdue.
    roads, days = [], []
    for i in range(12):
        nomor = _filed(c, {"judul": "Jalan rusak %d" % i})[0]
        roads.append(nomor)
        filed = datetime.date(2020, 3, 2) + datetime.timedelta(days=7 * (i % 4))  # Mondays
        created = _ms(filed.year, filed.month, filed.day)
        if i == 11:
            _set(s, nomor, created_ms=created, status="dispositioned", due_ms=created + 10 * DAY,
                 answered_ms=None)
            continue
        answered_day = filed + datetime.timedelta(days=i)
        answered = _ms(answered_day.year, answered_day.month, answered_day.day, 15)
        days.append(_weekdays_between(filed, answered_day))
        due = answered + (DAY if i < 8 else -DAY)
        _set(s, nomor, created_ms=created, status="answered", answered_ms=answered, due_ms=due,
             answer_public="Sudah diperbaiki.")
    days.sort()
    median = days[len(days) // 2]  # eleven answers: the middle one
    # Two rubbish complaints (DLH): one answered late, one confidential still new and overdue.
    trash = _filed(c, {"judul": "Sampah 1", "kategori": "sampah"})[0]
    secret_title = "Rahasia tentang TPS liar"
    secret = _filed(c, {"judul": secret_title, "kategori": "sampah", "privasi": "rahasia"})[0]
    _set(s, trash, created_ms=_ms(2020, 5, 4), status="answered", answered_ms=_ms(2020, 5, 12),
         due_ms=_ms(2020, 5, 11))
    _set(s, secret, created_ms=_ms(2020, 6, 1), status="new", due_ms=_ms(2020, 6, 4))

    page = c.get("/pengaduan/statistik?tahun=2020")
    assert page.status == 200 and page.text.count("<main") == 1, page
    t = page.text
    pu = _row(t, "Dinas Pekerjaan Umum dan Penataan Ruang")
    # received, answered, within, share, median, open, overdue
    assert pu == ["12", "11", "8", "72,7 %", "%d,0" % median, "1", "1"], pu
    dlh = _row(t, "Dinas Lingkungan Hidup")
    assert dlh[:4] == ["2", "1", "0", "0,0 %"] and dlh[4].startswith("—") and dlh[5:] == ["1", "1"], dlh
    assert 'href="#catatan-kecil"' in t and 'id="catatan-kecil"' in t
    assert secret_title not in t and "TPS liar" not in t
    # Only 2020's complaints: the demo's (this year) are not in it.
    assert "Dinas Kependudukan" not in t
    # English numbers use a dot.
    en = s.client()
    en.get("/?lang=en")
    assert _row(en.get("/pengaduan/statistik?tahun=2020").text,
                "Dinas Pekerjaan Umum dan Penataan Ruang")[3] == "72.7 %"

    # The CSV: the same table, numbers with a dot, empty where withheld, a total row.
    r = c.get("/pengaduan/statistik.csv?tahun=2020")
    assert r.status == 200 and r.header("Content-Type") == "text/csv; charset=utf-8"
    assert "attachment" in r.header("Content-Disposition")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:3] == ["unit_slug", "unit_name", "received"]
    by = {row[0]: row for row in rows[1:]}
    assert by["dpupr"][2:] == ["12", "11", "8", "72.7", "%d.0" % median, "11", "1", "1"], by["dpupr"]
    assert by["dlh"][2:] == ["2", "1", "0", "0.0", "", "1", "1", "1"], by["dlh"]
    assert by[""][1:] == ["TOTAL", "14", "12", "8", "66.7", by[""][6], "12", "2", "2"], by[""]
    assert secret_title not in r.text

    # Roll-up: a unit inside Dinas PU counts for it; per unit it has a row of its own.
    s.cli("unit", "add", "--slug", "upt-jalan-utara", "--name", "UPT Jalan Wilayah Utara",
          "--kind", "agency", "--parent", "dpupr")
    s.sql("UPDATE complaint SET unit_id = (SELECT id FROM unit WHERE slug = 'upt-jalan-utara'), "
          "unit_path = (SELECT path FROM unit WHERE slug = 'upt-jalan-utara') WHERE tracking = ?",
          (roads[0].replace("-", ""),))
    t = c.get("/pengaduan/statistik?tahun=2020").text
    assert _row(t, "UPT Jalan Wilayah Utara")[:2] == ["1", "1"]
    assert _row(t, "Dinas Pekerjaan Umum dan Penataan Ruang")[:2] == ["11", "10"]
    t = c.get("/pengaduan/statistik?tahun=2020&tingkat=perangkat-daerah").text
    assert "UPT Jalan Wilayah Utara" not in t
    assert _row(t, "Dinas Pekerjaan Umum dan Penataan Ruang")[:3] == ["12", "11", "8"]

    # The last 12 months (default) hold the demo's complaints, not 2020's; bad years are refused.
    t = c.get("/pengaduan/statistik").text
    assert "12 bulan terakhir" in t and "UPT Jalan Wilayah Utara" not in t
    assert "Dinas Kependudukan" in t
    assert c.get("/pengaduan/statistik?tahun=abc").status == 400
    assert c.get("/pengaduan/statistik?tahun=1999").status == 400
    assert c.get("/pengaduan/statistik.csv?tahun=3000").status == 400
    # Linked from the public list.
    assert 'href="/pengaduan/statistik"' in c.get("/pengaduan").text
