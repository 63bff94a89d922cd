"""The public service catalogue (/layanan): the demo services, search that finds Indonesian
words in their derived forms on both backends, filters, keyset paging and the service page."""
import html
import re


def slugs(page):
    return re.findall(r'<h2><a href="/layanan/([a-z0-9-]+)">', page)


def test_list_shows_demo_services(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/layanan")
    assert r.status == 200, r
    assert r.text.count("<main") == 1
    found = slugs(r.text)
    for slug in ("akta-kelahiran", "kartu-keluarga", "ktp-el", "persetujuan-bangunan-gedung",
                 "sip-tenaga-kesehatan", "sktm"):
        assert slug in found, found
    assert 'aria-current="page"' in r.text and 'name="q"' in r.text
    assert "hari kerja" in r.text and "Gratis" in r.text
    assert len(c.get("/layanan", headers={"Accept-Encoding": "gzip"}).raw) < 30 * 1024


def test_search_stems_words(ctx):
    s = ctx.server()
    c = s.client()
    for q in ("kelahiran", "lahir", "Kelahiran!", "akta kelahiran"):
        found = slugs(c.get("/layanan?q=" + q.replace(" ", "+")).text)
        # the birth certificate, and services that ask for one (family card, child's card)
        assert "akta-kelahiran" in found and "akta-kematian" not in found, (q, found)
        assert "izin-reklame" not in found and "ktp-el" not in found, (q, found)
    found = slugs(c.get("/layanan?q=kematian").text)
    assert "akta-kematian" in found and "akta-kelahiran" not in found, found
    found = slugs(c.get("/layanan?q=perizinan").text)
    assert {"persetujuan-bangunan-gedung", "sip-tenaga-kesehatan", "izin-reklame"} <= set(found), found
    assert "akta-kelahiran" not in found
    r = c.get("/layanan?q=zzzqqq")
    assert r.status == 200 and slugs(r.text) == []
    # the query is shown back in the search box, escaped
    r = c.get("/layanan?q=%3Cscript%3E")
    assert r.status == 200 and "<script>" not in r.text and html.escape("<script>") in r.text


def test_filters(ctx):
    s = ctx.server()
    c = s.client()
    found = slugs(c.get("/layanan?unit=disdukcapil").text)
    assert set(found) == {"akta-kelahiran", "akta-kematian", "kartu-keluarga", "ktp-el",
                          "surat-pindah", "kartu-identitas-anak"}, found
    # a unit's subtree: the regency owns every agency's and village's services
    assert len(slugs(c.get("/layanan?unit=sukamaju").text)) >= 12
    assert slugs(c.get("/layanan?unit=kec-cibening").text) == []
    found = slugs(c.get("/layanan?unit=kec-sukamaju-kota").text)
    assert set(found) == {"sktm", "surat-keterangan-domisili"}, found
    found = slugs(c.get("/layanan?kategori=Perizinan").text)
    assert set(found) == {"persetujuan-bangunan-gedung", "izin-reklame", "nib-usaha-mikro"}, found
    found = slugs(c.get("/layanan?unit=dinkes&q=izin").text)
    assert found == ["sip-tenaga-kesehatan"], found
    assert c.get("/layanan?unit=tidak-ada").status == 404


def test_paging(ctx):
    s = ctx.server()
    c = s.client()
    assert c.get("/layanan?setelah=bukan-kursor").status == 400
    assert c.get("/layanan?setelah=%27%20OR%201%3D1").status == 400
    assert c.get("/layanan?q=" + "a" * 300).status == 400
    all_slugs = slugs(c.get("/layanan").text)
    ids = s.sql("SELECT id FROM service WHERE slug = ?", (all_slugs[2],))
    rest = slugs(c.get("/layanan?setelah=" + ids[0][0]).text)
    assert rest == all_slugs[3:], (rest, all_slugs)


def test_service_page(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/layanan/akta-kelahiran")
    assert r.status == 200, r
    assert r.text.count("<main") == 1
    assert re.search(r'<dd id="waktu">1 hari kerja</dd>', r.text), r.text
    assert '<dd id="biaya">Gratis</dd>' in r.text
    for text in ("Standar Pelayanan", "Surat keterangan kelahiran", "Dinas Kependudukan",
                 "SP4N-LAPOR!", "Kutipan Akta Kelahiran"):
        assert text in r.text, text
    r = c.get("/layanan/izin-reklame")
    assert '<dd id="biaya">Rp150.000</dd>' in r.text
    assert '<dd id="waktu">5 hari kerja</dd>' in r.text
    assert c.get("/layanan/tidak-ada").status == 404
    assert c.get("/layanan/akta-kelahiran", headers={"Accept-Encoding": "gzip"}).status == 200
    assert len(c.get("/layanan/akta-kelahiran", headers={"Accept-Encoding": "gzip"}).raw) < 30 * 1024
    # English labels
    r = c.get("/layanan/akta-kelahiran", headers={"Accept-Language": "en"})
    assert r.status == 200 and '<dd id="biaya">Free</dd>' in r.text, r.text
    assert "Service Standard" in r.text and "working day(s)" in r.text


def test_disabled_service_is_hidden(ctx):
    s = ctx.server()
    c = s.client()
    s.sql("UPDATE service SET enabled = 0 WHERE slug = ?", ("sktm",))
    assert "sktm" not in slugs(c.get("/layanan").text)
    assert "sktm" not in slugs(c.get("/layanan?q=tidak+mampu").text)
    assert c.get("/layanan/sktm").status == 404
