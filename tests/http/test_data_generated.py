"""The generated open datasets (domain/opendata_gen.c): each CSV equals an independent
recomputation over the database's clear columns (recompute_util.py), parses with Python's csv
module as RFC 4180 UTF-8 with a header row, says when it was made (the "dibuat" column equals
the resource's generated time), carries no personal data, and the demo's figures are not all
withheld. The JSON resource carries the same rows."""
import csv
import datetime
import io
import json
import re
import time

from recompute_util import RECOMPUTE, parse_csv

KEYS = {"applications": "statistik-permohonan-layanan", "complaints": "statistik-pengaduan",
        "inforeq": "statistik-permintaan-informasi", "ikm": "indeks-kepuasan-masyarakat"}
# Which columns are shares, medians or indexes (withheld below 10 records).
FIGURES = {"applications": ["persen_tepat_waktu"], "complaints": ["median_hari_kerja_jawab"],
           "ikm": ["ikm", "mutu", "u1_persyaratan"], "inforeq": ["persen_tepat_waktu"]}


def resources(s, key):
    return {g: (rid, gen_ms) for rid, g, gen_ms in s.sql(
        "SELECT r.id, r.gen_key, r.generated_ms FROM dataset_resource r JOIN dataset d "
        "ON d.id = r.dataset_id WHERE d.gen_key = ?", (key,))}


def download(c, name, rid):
    r = c.get("/data/%s/%s/unduh" % (name, rid))
    assert r.status == 200, r
    return r


def consistent(s, c, key, name):
    """The CSV and JSON of one generated dataset and their generated time, read so that the
    "opendata" job (which may run at the server's start) did not rewrite them in between."""
    for _ in range(10):
        res = resources(s, key)
        assert set(res) == {"csv", "json"}, (key, res)
        r = download(c, name, res["csv"][0])
        assert r.header("Content-Type").startswith("text/csv"), r
        j = download(c, name, res["json"][0])
        assert j.header("Content-Type").startswith("application/json"), j
        if resources(s, key) == res and res["csv"][1] == res["json"][1]:
            return r.body, j.body, res["csv"][1]
        time.sleep(0.5)
    raise AssertionError("the generated resources kept changing")


def personal_values(s):
    """Clear personal values of the demo's people that must appear in no generated file."""
    vals = set()
    for line in open(s.data + "/demo-accounts.txt").read().splitlines()[1:]:
        parts = line.split("\t")
        vals.add(parts[2])  # email
    for (email,) in s.sql("SELECT email FROM account WHERE email IS NOT NULL LIMIT 500") \
            if _has_column(s, "account", "email") else []:
        vals.add(email)
    return {v for v in vals if v and len(v) > 5}


def _has_column(s, table, col):
    try:
        s.sql("SELECT %s FROM %s LIMIT 1" % (col, table))
        return True
    except Exception:  # noqa: BLE001
        return False


def test_generated_datasets_match_records(ctx):
    s = ctx.server()
    c = s.client()
    personal = personal_values(s)
    nik_re = re.compile(rb"\b32\d{14}\b")
    not_withheld = {}
    for key, name in KEYS.items():
        data, jdata, gen_ms = consistent(s, c, key, name)
        header, rows = parse_csv(data)
        assert rows, key
        assert header[-1] == "dibuat"
        made = datetime.datetime.fromtimestamp(gen_ms // 1000, datetime.timezone.utc)
        made_s = made.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert all(row[-1] == made_s for row in rows), key
        assert all(len(row) == len(header) for row in rows), key
        got = [row[:-1] for row in rows]
        want = RECOMPUTE[key](s)
        assert got == want, (key, [x for x in got if x not in want][:5],
                             [x for x in want if x not in got][:5])
        # No personal data: no demo email address, no NIK-like number.
        for v in personal:
            assert v.encode() not in data, (key, v)
        assert not nik_re.search(data), key
        # Dot decimals only.
        for col in FIGURES[key]:
            i = header.index(col)
            for row in rows:
                assert "," not in row[i]
        not_withheld[key] = sum(1 for row in rows for col in FIGURES[key][:1]
                                if row[header.index(col)] != "")
        # The JSON resource has the same rows.
        doc = json.loads(jdata)
        assert doc["dibuat"] == made_s and doc["kolom"] == header
        assert len(doc["data"]) == len(rows)
        for row, obj in zip(rows, doc["data"]):
            for h, v in zip(header, row):
                jv = obj[h]
                assert (jv is None and v == "") or str(jv) == v or (
                    isinstance(jv, float) and abs(jv - float(v)) < 1e-9), (key, h, v, jv)
    # The demo has enough records for figures that are shown.
    for key in ("applications", "complaints", "inforeq", "ikm"):
        assert not_withheld[key] > 0, (key, not_withheld)
    print("not withheld:", not_withheld)


def test_generated_download_etag_and_preview(ctx):
    """A generated resource's download answers 304 to its ETag; the dataset page previews the
    CSV in a table."""
    s = ctx.server()
    c = s.client()
    rid, _ = resources(s, "ikm")["csv"]
    before = download(c, KEYS["ikm"], rid)
    etag = before.header("ETag")
    assert etag and etag.strip('"') in etag
    again = c.request("GET", "/data/%s/%s/unduh" % (KEYS["ikm"], rid),
                      headers={"If-None-Match": etag})
    assert again.status == 304, again
    # The dataset page shows the generated time and a preview of the CSV.
    page = c.get("/data/%s" % KEYS["complaints"])
    assert page.status == 200 and "<table" in page.text and "bulan" in page.text, page
    rows = list(csv.reader(io.StringIO(before.body.decode("utf-8"), newline="")))
    assert rows[0][0] == "tahun"


def test_generated_csv_defuses_formulas_and_totals_information_requests(ctx):
    """A unit name a spreadsheet would run (=, +, -, @) is written to the generated CSV with a
    leading apostrophe (as the platform's other CSV exports do) and raw in the JSON; the
    information-request dataset has a whole-installation row per month (unit empty) whose
    counts are the sums of the units' rows."""
    s = ctx.server()
    c = s.client()
    name = s.sql("SELECT name FROM unit WHERE slug = 'dinkes'")[0][0]
    s.sql("UPDATE unit SET name = ? WHERE slug = 'dinkes'", ("=HYPERLINK(\"http://x\";1)",))
    before = s.sql("SELECT last_run_ms FROM job_schedule WHERE name = 'opendata'")[0][0] or 0
    # The job skips datasets made less than 5 hours ago (the demo's): make them old, then due.
    s.sql("UPDATE dataset_resource SET generated_ms = 1 WHERE gen_key IS NOT NULL")
    s.sql("UPDATE job_schedule SET next_run_ms = 0 WHERE name = 'opendata'")
    deadline = time.time() + 60
    while time.time() < deadline:
        last = s.sql("SELECT last_run_ms FROM job_schedule WHERE name = 'opendata'")[0][0] or 0
        if last > before:
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the opendata job did not run")
    try:
        data, jdata, _ = consistent(s, c, "inforeq", KEYS["inforeq"])
        header, rows = parse_csv(data)
        names = {row[header.index("nama_unit")] for row in rows}
        assert "'=HYPERLINK(\"http://x\";1)" in names, names
        assert not any(n.startswith(("=", "+", "-", "@")) for n in names), names
        doc = json.loads(jdata)
        assert "=HYPERLINK(\"http://x\";1)" in {o["nama_unit"] for o in doc["data"]}
        # the whole installation's rows: the sums of the unit rows of the month
        iu = header.index("unit")
        totals = [r for r in rows if r[iu] == ""]
        assert totals and [r[0] for r in totals] == sorted(r[0] for r in totals)
        for t in totals:
            units = [r for r in rows if r[iu] != "" and r[0] == t[0]]
            for col in ("diterima", "dijawab", "dijawab_tepat_waktu", "ditolak", "keberatan"):
                k = header.index(col)
                assert int(t[k]) == sum(int(r[k]) for r in units), (t[0], col)
    finally:
        s.sql("UPDATE unit SET name = ? WHERE slug = 'dinkes'", (name,))


def test_job_leaves_fresh_datasets_alone(ctx):
    """A server started right after the demo finds the generated datasets fresh (made by the
    demo): its first run of the job rewrites nothing and appends no audit entry; once they are
    older than 5 hours, the next run rewrites all four."""
    s = ctx.server()
    deadline = time.time() + 60
    while time.time() < deadline:
        row = s.sql("SELECT last_run_ms, last_result FROM job_schedule WHERE name = 'opendata'")
        if row and row[0][0]:
            break
        time.sleep(0.3)
    assert row and row[0][1] == "fresh", row
    made = s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'dataset.generate'")[0][0]
    s.sql("UPDATE dataset_resource SET generated_ms = 1 WHERE gen_key IS NOT NULL")
    s.sql("UPDATE job_schedule SET next_run_ms = 0 WHERE name = 'opendata'")
    deadline = time.time() + 60
    while time.time() < deadline:
        if s.sql("SELECT last_result FROM job_schedule WHERE name = 'opendata'")[0][0] == "datasets:4":
            break
        time.sleep(0.3)
    else:
        raise AssertionError("the opendata job did not rewrite the datasets")
    assert s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'dataset.generate'")[0][0] == made + 4
