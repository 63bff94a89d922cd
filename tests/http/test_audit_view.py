"""The auditors' view of the audit log (/kantor/audit): scoped to the auditor's grants, filtered,
paged by keyset, exported as CSV with the same filters, ids only (never personal values), the
chain's quick status, and the full check, recorded in the log and catching a forged entry."""
import csv
import io
import re
import time

from identity_util import NIK, register, signin
from run import serial

PASSWORD = "auditor yang teliti sekali"


def _auditor(s, email, unit):
    s.cli("user", "add", "--email", email, "--name", "Auditor Uji", "--role", "auditor", "--unit", unit,
          stdin=PASSWORD + "\n")
    c = s.client()
    assert signin(c, email, PASSWORD).status == 303
    return c


def _demo(s, role, unit):
    rows = [line.split("\t") for line in open(s.data + "/demo-accounts.txt").read().splitlines()[1:]]
    r = next(r for r in rows if r[0] == role and r[1] == unit)
    c = s.client()
    assert signin(c, r[2], r[3]).status == 303
    return c


def _seqs(html):
    return [int(x) for x in re.findall(r"<tr><td>(\d+)</td>", html)]


def _csv(r):
    assert r.status == 200, r
    assert r.header("Content-Type") == "text/csv; charset=utf-8", r.headers
    assert "attachment" in (r.header("Content-Disposition") or "")
    assert r.text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(r.text, newline="")))
    assert rows[0] == ["seq", "time", "actor", "action", "object_type", "object_id", "unit_id", "unit",
                       "subject_id", "purpose", "details"], rows[0]
    return rows[1:]


def _all_pages(c, query):
    """Every seq the list shows, following the keyset links, and the number of pages."""
    url, seqs, pages = "/kantor/audit?" + query, [], 0
    while url:
        r = c.get(url)
        assert r.status == 200, (url, r)
        seqs += _seqs(r.text)
        pages += 1
        m = re.search(r'href="([^"]+)" rel="next"', r.text)
        url = m.group(1).replace("&amp;", "&") if m else None
    return seqs, pages


def _a_citizen_with_a_read(s):
    """Citizen A (in Desa Mekarsari, with a NIK) whose NIK X's officer looked up: an entry about
    A with a purpose. Returns A's account id."""
    assert register(s.client(), "warga.audit@contoh.id", name="Ratna Sari Dewi", village="desa-mekarsari",
                    nik=NIK).status == 303
    off = _demo(s, "officer", "desa-mekarsari")
    page = off.get("/kantor/warga/nik")
    r = off.post_form("/kantor/warga/nik", {"csrf": off.csrf_from(page.text), "nik": NIK})
    m = re.search(r'name="akun" value="([0-9a-f-]{36})"', r.text)
    assert r.status == 200 and m, r
    return m.group(1)


def test_audit_view_scope_filters_pages_and_csv(ctx):
    s = ctx.server()
    a_id = _a_citizen_with_a_read(s)
    top = _auditor(s, "audit.provinsi@contoh.id", "jawa-barat")
    regency = _auditor(s, "audit.kabupaten@contoh.id", "sukamaju")
    inspektorat = _demo(s, "auditor", "inspektorat")
    n = s.sql("SELECT max(seq) FROM audit_log")[0][0]

    # The top auditor sees every entry, newest first, 50 a page, without gaps or repeats.
    seqs, pages = _all_pages(top, "")
    assert seqs == list(range(n, 0, -1)), seqs[:5]
    assert pages == (n + 49) // 50
    # Entries without a unit (accounts) belong to the installation: only the top auditor's.
    no_unit = {r[0] for r in s.sql("SELECT seq FROM audit_log WHERE unit_id IS NULL")}
    assert no_unit
    regency_seqs, _ = _all_pages(regency, "")
    province = {r[0] for r in s.sql("SELECT a.seq FROM audit_log a JOIN unit u ON u.id = a.unit_id "
                                    "WHERE u.slug = 'jawa-barat'")}
    assert province and not (no_unit | province) & set(regency_seqs)
    assert set(regency_seqs) == set(seqs) - no_unit - province
    # The demo's auditor holds the Inspektorat: its own entries only, and 404 for X's.
    insp_seqs, _ = _all_pages(inspektorat, "")
    assert insp_seqs and set(insp_seqs) < set(regency_seqs)
    assert inspektorat.get("/kantor/audit?unit=desa-mekarsari").status == 404
    assert inspektorat.get("/kantor/audit?unit=sukamaju").status == 200  # its part of it
    assert top.get("/kantor/audit?unit=tidak-ada").status == 404

    # Filters: action, actor kind, object type, unit subtree, subject, date range.
    r = top.get("/kantor/audit?aksi=unit.add")
    assert len(_seqs(r.text)) == s.sql("SELECT count(*) FROM audit_log WHERE action = 'unit.add'")[0][0]
    reads = _seqs(top.get("/kantor/audit?subjek=%s" % a_id).text)
    assert reads == [r[0] for r in s.sql("SELECT seq FROM audit_log WHERE subject_id = ? ORDER BY seq DESC",
                                         (a_id,))]
    r = top.get("/kantor/audit?subjek=%s&aksi=personal.read" % a_id)
    assert len(_seqs(r.text)) == 1 and "verifikasi NIK" in r.text, r.text
    kec = s.sql("SELECT path FROM unit WHERE slug = 'kec-sukamaju-kota'")[0][0]
    under = [r[0] for r in s.sql("SELECT a.seq FROM audit_log a JOIN unit u ON u.id = a.unit_id "
                                 "WHERE substr(u.path, 1, ?) = ? ORDER BY a.seq DESC", (len(kec), kec))]
    page = _seqs(top.get("/kantor/audit?unit=kec-sukamaju-kota").text)
    # the first page (the demo's village applications make more than one)
    assert len(under) > 1 and page and page == under[:len(page)], (page[:5], under[:5])
    assert _seqs(top.get("/kantor/audit?pelaku=system&objek=unit").text) == [
        r[0] for r in s.sql("SELECT seq FROM audit_log WHERE actor = 'system' AND object_type = 'unit' "
                            "ORDER BY seq DESC LIMIT 50")]
    cli = _seqs(top.get("/kantor/audit?pelaku=cli").text)  # `user add` above, and the demo's
    every_cli = [r[0] for r in s.sql("SELECT seq FROM audit_log WHERE substr(actor, 1, 4) = 'cli:' "
                                     "ORDER BY seq DESC")]
    assert cli and cli == every_cli[:len(cli)] and len(cli) == min(50, len(every_cli)), (cli, every_cli)
    assert not _seqs(top.get("/kantor/audit?pelaku=apikey").text)
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert len(_seqs(top.get("/kantor/audit?dari=%s&sampai=%s" % (today, today)).text)) == min(n, 50)
    r = top.get("/kantor/audit?dari=2099-01-01")
    assert r.status == 200 and not _seqs(r.text) and "Tidak ada entri yang cocok." in r.text
    # Bad filters: the form again with a message beside each field; a bad cursor is malformed.
    r = top.get("/kantor/audit?aksi=Unit%20Add&dari=2026-02-30&subjek=x&pelaku=root")
    assert r.status == 422, r
    for field in ("aksi", "dari", "subjek", "pelaku"):
        assert 'id="f-%s-error"' % field in r.text, field
    assert 'value="Unit Add"' in r.text
    assert top.get("/kantor/audit?sebelum=abc").status == 400
    assert top.get("/kantor/audit?sebelum=0").status == 400

    # The CSV holds what the list holds, for the same filters.
    rows = _csv(top.get("/kantor/audit.csv"))
    assert [int(r[0]) for r in rows] == seqs
    rows = _csv(regency.get("/kantor/audit.csv?unit=desa-mekarsari&aksi=personal.read"))
    assert len(rows) == 1 and rows[0][8] == a_id and rows[0][9] == "verifikasi NIK", rows
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", rows[0][1])
    assert regency.get("/kantor/audit.csv?dari=x").status == 422

    # Ids only: A's name, email and NIK are nowhere in what auditors get.
    everything = top.get("/kantor/audit?subjek=%s" % a_id).text + top.get("/kantor/audit.csv").text
    for personal in ("Ratna", "warga.audit", NIK):
        assert personal not in everything, personal


def test_audit_view_status_and_full_check(ctx):
    s = ctx.server()
    auditor = _auditor(s, "audit.provinsi@contoh.id", "jawa-barat")
    page = auditor.get("/kantor/audit")
    assert page.status == 200 and "Tidak ditemukan masalah" in page.text
    assert "belum ada" in page.text  # no checkpoint yet
    # A checkpoint (signed with this installation's key): the page shows it, signature valid.
    s.cli("audit", "checkpoint", "export", s.data + "/cp.jsonl")
    n = s.sql("SELECT max(seq) FROM audit_log")[0][0]
    page = auditor.get("/kantor/audit")
    assert "#%d" % n in page.text and "tanda tangan sah" in page.text, page.text

    # The full check: recorded in the log, by this auditor, shown after the redirect.
    r = auditor.post_form("/kantor/audit/periksa", {"csrf": auditor.csrf_from(page.text)})
    assert r.status == 303 and r.header("Location") == "/kantor/audit?periksa=%d#periksa" % (n + 1), r
    shown = auditor.get(r.header("Location")).text
    assert "rantai utuh" in shown and "%d entri" % n in shown, shown
    row = s.sql("SELECT action, actor, details FROM audit_log WHERE seq = ?", (n + 1,))[0]
    assert row[0] == "audit.verify" and row[1].startswith("account:") and '"sound":true' in row[2], row
    assert 'id="periksa"' not in auditor.get("/kantor/audit?periksa=3").text  # no check: nothing shown
    assert s.cli("audit", "verify").returncode == 0

    # Someone who can write the database rewrites entry 7, below the checkpoint: the quick status
    # cannot see it (the checkpoint vouches only for its own entry), the full check names it.
    if s.backend == "postgres":
        s.sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    else:
        s.sql("DROP TRIGGER audit_log_no_update")
    s.sql("UPDATE audit_log SET actor = 'system2' WHERE seq = 7")
    page = auditor.get("/kantor/audit")
    assert "Tidak ditemukan masalah" in page.text
    r = auditor.post_form("/kantor/audit/periksa", {"csrf": auditor.csrf_from(page.text)})
    assert r.status == 303, r
    shown = auditor.get(r.header("Location")).text
    assert "rantai rusak" in shown and "#7." in shown, shown
    # An entry after the checkpoint rewritten: the quick status on every view shows it.
    s.sql("UPDATE audit_log SET action = 'unit.edit' WHERE seq = ?", (n + 1,))
    page = auditor.get("/kantor/audit")
    assert "Rantai rusak" in page.text and "#%d." % (n + 1) in page.text, page.text
    # Even a newest entry whose hash is not a hash leaves the log readable to its auditors.
    s.sql("UPDATE audit_log SET hash = ? WHERE seq = (SELECT max(seq) FROM audit_log)", (b"\x00",))
    page = auditor.get("/kantor/audit")
    assert page.status == 200 and "Rantai rusak" in page.text and _seqs(page.text)[0] == n + 2, page.text
    # Such a chain takes no more entries: the full check shows its verdict without recording it.
    r = auditor.post_form("/kantor/audit/periksa", {"csrf": auditor.csrf_from(page.text)})
    assert r.status == 200 and "rantai rusak" in r.text and "tidak dapat dicatat" in r.text, r
    assert s.sql("SELECT max(seq) FROM audit_log")[0][0] == n + 2


@serial
def test_audit_view_long_log_pages_stay_bounded(ctx):
    """A rare filter over a long log: each page scans a bounded window and says where it stopped;
    following the links (and the CSV) still finds every match."""
    s = ctx.server()
    auditor = _auditor(s, "audit.provinsi@contoh.id", "jawa-barat")
    n = s.sql("SELECT max(seq) FROM audit_log")[0][0]
    units = s.sql("SELECT count(*) FROM audit_log WHERE action = 'unit.add'")[0][0]
    bulk = 150000
    if s.backend == "sqlite":
        zero, k = "zeroblob(32)", ("(WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k "
                                   "WHERE i < %d) SELECT i FROM k) AS k" % bulk)
    else:
        zero, k = "decode(repeat('00', 32), 'hex')", "generate_series(1, %d) AS k(i)" % bulk
    s.sql("INSERT INTO audit_log (seq, ts_ms, actor, action, details, prev_hash, hash) "
          "SELECT %d + i, 0, 'system', 'bulk.test', '{}', %s, %s FROM %s" % (n, zero, zero, k))
    t0 = time.time()
    r = auditor.get("/kantor/audit?aksi=unit.add")
    first = time.time() - t0
    assert r.status == 200 and not _seqs(r.text) and "Pencarian berhenti" in r.text, r.text
    assert first < 5, first
    seqs, pages = _all_pages(auditor, "aksi=unit.add")
    assert len(seqs) == units and pages >= 2, (len(seqs), pages)
    rows = _csv(auditor.get("/kantor/audit.csv?aksi=unit.add"))
    assert [int(r[0]) for r in rows] == seqs
    # Too many entries after the last checkpoint to walk on a page view: left to the full check.
    assert "terlalu banyak" in auditor.get("/kantor/audit").text
