"""The demo regency's Layanan data: a dozen services with every part of their Standar Pelayanan
filled, an application form for each, and the Maklumat Pelayanan of the units owning them."""
import json
import re
import time
from run import serial


def slugs(page):
    return re.findall(r'<h2><a href="/layanan/([a-z0-9-]+)">', page)


def strip(fragment):
    return re.sub(r"<[^>]+>", "", fragment).strip()


def test_a_dozen_services_with_complete_standards(ctx):
    s = ctx.server()
    c = s.client()
    found = slugs(c.get("/layanan").text)
    assert len(found) >= 12, found
    for slug in ("ktp-el", "kartu-keluarga", "akta-kelahiran", "akta-kematian", "surat-pindah",
                 "nib-usaha-mikro", "persetujuan-bangunan-gedung", "sip-tenaga-kesehatan",
                 "izin-reklame", "sktm"):
        assert slug in found, (slug, found)
    for slug in found:
        r = c.get("/layanan/" + slug)
        assert r.status == 200, (slug, r)
        # every fact and every component of the standard has text
        dds = re.findall(r"<dd[^>]*>(.*?)</dd>", r.text, re.S)
        assert len(dds) >= 12, (slug, len(dds))
        for dd in dds:
            assert strip(dd), (slug, dd)
        sections = re.findall(r"<h3>(.*?)</h3>\s*<p>(.*?)</p>", r.text, re.S)
        assert len(sections) >= 7, (slug, sections)
        for title, body in sections:
            assert len(strip(body)) > 20, (slug, title, body)
    # the columns themselves, straight from the database: nothing empty anywhere
    cols = ("name", "category", "summary", "legal_basis", "requirements", "procedure", "product",
            "complaint_channel", "facilities", "staff_competence", "internal_oversight",
            "staff_count", "service_guarantee", "security_guarantee", "performance_evaluation")
    rows = s.sql("SELECT slug, %s, processing_days, fee FROM service" % ", ".join(cols))
    assert len(rows) >= 12
    for row in rows:
        for name, value in zip(cols, row[1:]):
            assert value and len(value.strip()) >= 3, (row[0], name)
        assert row[-2] >= 1, row[0]
        # the legal basis names an act (UU) or a village regulation
        assert re.search(r"\bUU \d+/\d{4}", row[4]), (row[0], row[4])
    fees = {row[0]: row[-1] for row in rows}
    # UU 24/2013 Pasal 79A: civil registration documents are free
    for slug in ("ktp-el", "kartu-keluarga", "akta-kelahiran", "akta-kematian", "surat-pindah",
                 "kartu-identitas-anak"):
        assert fees[slug] == 0, slug


def test_the_village_letter_belongs_to_the_village(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/layanan/sktm")
    assert r.status == 200
    assert 'href="/unit/desa-mekarsari"' in r.text
    assert "sktm" in slugs(c.get("/layanan?unit=desa-mekarsari").text)


def test_every_demo_service_has_a_form(ctx):
    s = ctx.server()
    rows = s.sql("SELECT s.slug, f.version, f.fields_json FROM service s "
                 "JOIN service_form f ON f.service_id = s.id")
    forms = {slug: json.loads(fields) for slug, version, fields in rows}
    services = [r[0] for r in s.sql("SELECT slug FROM service")]
    assert set(forms) == set(services), set(services) - set(forms)
    for slug, fields in forms.items():
        types = [f["type"] for f in fields]
        assert len(fields) >= 5, slug
        if slug != "nib-usaha-mikro":  # OSS needs only data; the others a document
            assert "file" in types, slug
        assert any(f.get("required") for f in fields), slug
        for f in fields:
            assert f["label"] and f.get("label_en"), (slug, f["key"])
    birth = {f["key"]: f for f in forms["akta-kelahiran"]}
    assert birth["tanggal_lahir"]["type"] == "date"
    assert birth["nik_ayah"]["type"] == "nik" and birth["nik_ibu"]["type"] == "nik"
    assert birth["surat_lahir"]["type"] == "file" and birth["surat_lahir"]["required"]
    assert birth["buku_nikah"]["type"] == "file"
    ktp = {f["key"]: f for f in forms["ktp-el"]}
    assert ktp["alamat"]["type"] == "address" and ktp["berkas_kk"]["type"] == "file"
    # the form is shown on the application page of a signed-in citizen (when it exists)


def test_units_owning_services_have_a_maklumat(ctx):
    s = ctx.server()
    owners = {r[0] for r in s.sql(
        "SELECT DISTINCT u.slug FROM service s JOIN unit u ON u.id = s.unit_id")}
    with_maklumat = {r[0]: r[1] for r in s.sql(
        "SELECT u.slug, m.text FROM unit_maklumat m JOIN unit u ON u.id = m.unit_id")}
    assert owners <= set(with_maklumat), owners - set(with_maklumat)
    for slug in owners:
        assert "standar pelayanan" in with_maklumat[slug].lower(), slug


@serial
def test_demo_starts_fast(ctx):
    t0 = time.monotonic()
    s = ctx.server()
    s.client().get("/layanan")
    assert time.monotonic() - t0 < 15, "the demo took too long to create"


# --- the demo's applications ------------------------------------------------------------------

STATUSES = ("draft", "submitted", "processing", "returned", "approved", "rejected")
DAY = 86400000
# 2026-11-20 10:00 WIB: a fixed day well inside a quarter, so the figures do not depend on the
# day the test runs.
NOW = 1795143600000


def demo_server(ctx):
    s = ctx.unstarted_server()
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    s.set_clock(NOW)
    return s.start()


def demo_account(s, role, unit):
    import os
    rows = [line.split("\t") for line in
            open(os.path.join(s.data, "demo-accounts.txt")).read().splitlines()[1:]]
    r = next(r for r in rows if r[0] == role and r[1] == unit)
    return r[2], r[3]


def test_applications_in_every_state_over_a_year(ctx):
    s = demo_server(ctx)
    counts = dict(s.sql("SELECT status, COUNT(*) FROM application GROUP BY status"))
    assert sum(counts.values()) >= 250, counts
    for status in STATUSES:
        assert counts.get(status, 0) > 0, (status, counts)
    assert counts["approved"] > counts["rejected"] > 0
    # dated over the past year, never in the future
    lo, hi = s.sql("SELECT MIN(submitted_ms), MAX(submitted_ms) FROM application "
                   "WHERE status <> 'draft'")[0]
    assert NOW - 370 * DAY < lo < NOW - 200 * DAY and hi <= NOW, (lo, hi)
    assert s.sql("SELECT COUNT(*) FROM application WHERE decided_ms > ? OR updated_ms > ?",
                 (NOW, NOW))[0][0] == 0
    # some overdue open work, some filed at the village office for a citizen
    assert s.sql("SELECT COUNT(*) FROM application WHERE overdue = 1 "
                 "AND status IN ('submitted', 'processing')")[0][0] > 0
    assert s.sql("SELECT COUNT(*) FROM application WHERE assisted_by IS NOT NULL")[0][0] > 0
    # every approval issued its document; every open or decided one has a tracking number
    assert s.sql("SELECT COUNT(*) FROM application WHERE status = 'approved' "
                 "AND document_id IS NULL")[0][0] == 0
    assert s.sql("SELECT COUNT(*) FROM document")[0][0] == counts["approved"]
    assert s.sql("SELECT COUNT(*) FROM application WHERE status <> 'draft' "
                 "AND tracking IS NULL")[0][0] == 0
    # the history's mail to fictional citizens was never queued (quiet steps, nothing deleted
    # afterwards), while their portal notifications were written, one per status change
    assert s.sql("SELECT COUNT(*) FROM outbox")[0][0] == 0
    n_notes = s.sql("SELECT COUNT(*) FROM notification")[0][0]
    assert n_notes >= counts["submitted"] + counts["processing"] + counts["approved"], n_notes
    assert s.sql("SELECT COUNT(*) FROM notification n JOIN application a "
                 "ON a.id = n.application_id WHERE n.kind = 'approved' "
                 "AND a.status = 'approved'")[0][0] > 0
    assert s.sql("SELECT COUNT(*) FROM notification n JOIN application a "
                 "ON a.id = n.application_id WHERE n.account_id <> a.citizen_account_id")[0][0] == 0


def test_demo_command_issues_documents_and_queues_no_mail(ctx):
    """`pendopo demo` configures the documents as serve does: every approval has its signed
    document, nothing is mailed, and the citizens of demo-accounts.txt can download theirs."""
    from identity_util import signin
    s = ctx.unstarted_server()
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    s.set_clock(NOW)
    s.cli("migrate")
    s.cli("demo")
    approved = s.sql("SELECT COUNT(*) FROM application WHERE status = 'approved'")[0][0]
    assert approved > 0
    assert s.sql("SELECT COUNT(*) FROM document")[0][0] == approved
    assert s.sql("SELECT COUNT(*) FROM outbox")[0][0] == 0
    assert s.sql("SELECT COUNT(*) FROM notification")[0][0] > 0
    s.start()
    email, password = next((r[2], r[3]) for r in (
        line.split("\t") for line in open(s.data + "/demo-accounts.txt").read().splitlines()[1:])
        if r[0] == "citizen")
    c = s.client()
    assert signin(c, email, password).status == 303
    app_id, doc_id = s.sql("SELECT a.id, a.document_id FROM application a JOIN account_session x "
                           "ON x.account_id = a.citizen_account_id WHERE a.status = 'approved' "
                           "LIMIT 1")[0]
    r = c.get("/permohonan/%s/dokumen.pdf" % app_id)
    assert r.status == 200 and r.body.startswith(b"%PDF-"), r
    assert c.get("/verifikasi/%s.json" % doc_id).json()["status"]["state"] == "valid"


def test_back_office_queue_shows_every_status(ctx):
    from identity_util import signin
    s = demo_server(ctx)
    c = s.client()
    assert signin(c, *demo_account(s, "supervisor", "sukamaju")).status == 303
    for status in STATUSES[1:]:
        r = c.get("/kantor/permohonan?status=" + status)
        assert r.status == 200, (status, r)
        assert r.text.count('href="/kantor/permohonan/') >= 1, status
    r = c.get("/kantor/permohonan?terlambat=1")
    assert r.status == 200
    # the village officer sees the village's letters
    v = s.client()
    assert signin(v, *demo_account(s, "officer", "desa-mekarsari")).status == 303
    r = v.get("/kantor/permohonan")
    assert r.status == 200 and 'href="/kantor/permohonan/' in r.text


def test_ikm_shows_graded_and_withheld_units(ctx):
    s = demo_server(ctx)
    r = s.client().get("/ikm")
    assert r.status == 200, r
    page = re.sub(r"\s+", " ", strip(r.text))
    grades = re.findall(r"\b([ABCD]) \((?:Sangat baik|Baik|Kurang baik|Tidak baik)\)", page)
    assert len(grades) >= 2, page[:3000]
    assert "Belum cukup tanggapan" in page or "belum cukup tanggapan" in page
    # the last closed quarter is shown (the running one is published when it ends) ...
    assert "Triwulan III 2026" in page and 'value="2026-4"' not in r.text, page[:3000]
    # ... and the response counts behind it: at least two units with 10 or more, one below
    rows = s.sql("SELECT unit_id, SUM(n) FROM survey_tally WHERE year = 2026 AND quarter = 3 "
                 "GROUP BY unit_id")
    assert sum(1 for _, n in rows if n >= 10) >= 2 and any(n < 10 for _, n in rows), rows
    # the running quarter has answers too (the citizens' surveys go on), unpublished
    assert s.sql("SELECT SUM(n) FROM survey_tally WHERE year = 2026 AND quarter = 4")[0][0] > 0
