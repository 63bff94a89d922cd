"""Search and similar complaints on the public side (/pengaduan?q=, /pengaduan/baru first step and
"Periksa pengaduan serupa", /pengaduan/serupa.json): words are found in derived forms (stemmed like
the service catalogue), over the public copy and the public answer only, never in confidential or
held complaints nor in a sealed original that differs from its public copy; a public copy edited
after indexing is found by its new words and no longer by its old ones; search combines with the
filters and pages by keyset; similar open complaints of the same category in the same village or
within about 1 km are offered with a support button, typed fields survive the re-render."""
import json
import re

from test_pengaduan_public import TRACK, _file, _filed, _listed


def _bump(s, nomor, **cols):
    """Changes public columns of a complaint as an officer's step would: new version, updated now."""
    sets = ", ".join("%s = ?" % k for k in cols)
    s.sql("UPDATE complaint SET %s, version = version + 1, updated_ms = updated_ms + 1000 "
          "WHERE tracking = ?" % sets, tuple(cols.values()) + (nomor.replace("-", ""),))


def test_search_public_copy_only(ctx):
    s = ctx.server()
    c = s.client()
    # A word in derived forms: "pembangunan" and "dibangun" both stem to "bangun".
    pub, _, _ = _filed(c, {"judul": "Jembatan gantung belum dibangun",
                           "isi": "Warga menyeberangi sungai Cikelapa dengan rakit."})
    conf, _, _ = _filed(c, {"judul": "Pembangunan pos ronda Cikelapa", "privasi": "rahasia",
                            "isi": "Dana pembangunan dipotong."})
    held, _, r = _filed(c, {"judul": "Pembangunan saluran Cikelapa",
                            "isi": "Hubungi saya di 081234567890 soal pembangunan."})
    assert "diperiksa petugas" in r.text
    found = _listed(c, "?q=pembangunan")[1]
    assert pub in found and conf not in found and held not in found, found
    assert _listed(c, "?q=Cikelapa")[1] == [pub]
    # Every word must occur; a word of no complaint finds nothing.
    assert _listed(c, "?q=pembangunan+rakit")[1] == [pub]
    page, none = _listed(c, "?q=pembangunan+zzyzxqq")
    assert none == [] and "Tidak ada pengaduan yang cocok" in page.text
    # Combined with the filters.
    assert _listed(c, "?q=rakit&kategori=jalan-rusak&status=open")[1] == [pub]
    assert _listed(c, "?q=rakit&kategori=sampah")[1] == []
    assert _listed(c, "?q=rakit&status=closed")[1] == []
    assert _listed(c, "?q=rakit&desa=desa-cibening")[1] == []
    assert _listed(c, "?q=rakit&unit=sukamaju")[1] == [pub]
    # The search box keeps its words; a malformed query is refused.
    assert 'name="q" type="search" maxlength="200" value="pembangunan rakit"' in \
        c.get("/pengaduan?q=pembangunan+rakit").text
    assert c.get("/pengaduan?q=" + "a" * 201).status == 400
    assert c.get("/pengaduan?q=%ff%fe").status == 400

    # The officer checks the held one and publishes an edited public copy (new version): it is
    # found by the public copy's words, never by the sealed original's.
    _bump(s, held, held=0, published=1, public_title="Saluran air tersumbat",
          public_text="Saluran di dekat balai desa Cikelapa tersumbat.")
    assert held in _listed(c, "?q=tersumbat")[1]
    assert held not in _listed(c, "?q=hubungi")[1]
    assert held not in _listed(c, "?q=pembangunan")[1]
    # An edit of the public copy: the old words no longer find it, the new ones do.
    _bump(s, pub, public_title="Jembatan gantung putus", public_text="Tali jembatan putus.")
    assert pub not in _listed(c, "?q=rakit")[1]
    assert pub in _listed(c, "?q=putus")[1]
    # The public answer is searched too (derived form: "perbaikan" / "diperbaiki").
    _bump(s, pub, answer_public="Jembatan akan diperbaiki bulan depan.", status="answered")
    assert _listed(c, "?q=perbaikan+jembatan")[1] == [pub]
    # Withdrawn from publication: never found again.
    _bump(s, pub, published=0, visibility="confidential")
    assert _listed(c, "?q=jembatan")[1] == []
    # Only stems of public text are in the index, nothing of the sealed columns.
    stems = " ".join(r[0] for r in s.sql("SELECT search_stems FROM complaint_search"))
    assert "081234567890" not in stems and "potong" not in stems and "pos" not in stems.split()


def test_search_pages_by_keyset(ctx):
    s = ctx.server()
    c = s.client()
    mine = set()
    for i in range(23):
        mine.add(_filed(c, {"judul": "Genangan banjir nomor %d" % i, "isi": "Air menggenang."})[0])
    seen, path = [], "/pengaduan?q=kebanjiran"
    while path:
        page = c.get(path)
        assert page.status == 200
        seen += re.findall(r'<span class="tracking">(%s)</span>' % TRACK, page.text)
        nxt = re.search(r'href="(/pengaduan\?[^"]+)" rel="next"', page.text)
        path = nxt.group(1).replace("&amp;", "&") if nxt else None
        if path:
            assert "q=kebanjiran" in path
    assert len(seen) == 23 and set(seen) == mine, (len(seen), len(set(seen)))


def test_similar_while_filing(ctx):
    s = ctx.server()
    c = s.client()
    near, _, _ = _filed(c, {"judul": "Lubang di Jl. Kenanga", "desa": "desa-cibening",
                            "lintang": "-6.900000", "bujur": "107.600000"})
    other_cat, _, _ = _filed(c, {"judul": "Sampah di Jl. Kenanga", "kategori": "sampah",
                                 "desa": "desa-cibening"})
    far, _, _ = _filed(c, {"judul": "Lubang di Jl. Melati", "desa": "desa-pasirlaya",
                           "lintang": "-6.950000", "bujur": "107.600000"})
    conf, _, _ = _filed(c, {"judul": "Lubang rahasia", "desa": "desa-cibening", "privasi": "rahasia"})
    closed, _, _ = _filed(c, {"judul": "Lubang yang sudah ditambal", "desa": "desa-cibening"})
    s.sql("UPDATE complaint SET status = 'answered' WHERE tracking = ?", (closed.replace("-", ""),))

    # First step: category and village in the query.
    page = c.get("/pengaduan/baru?kategori=jalan-rusak&desa=desa-cibening")
    assert page.status == 200 and page.text.count("<main") == 1
    listed = re.findall(r'href="/pengaduan/(%s)"' % TRACK, page.text)
    assert near in listed and other_cat not in listed and far not in listed
    assert conf not in listed and closed not in listed
    assert 'action="/pengaduan/%s/dukung"' % near in page.text
    assert 'value="desa-cibening" selected' in page.text and 'value="jalan-rusak" selected' in page.text

    # By location (no village): about 600 m from `near` finds it; 5.5 km does not.
    page = c.get("/pengaduan/baru?kategori=jalan-rusak&lintang=-6.905&bujur=107.6015")
    assert re.findall(r'href="/pengaduan/(%s)"' % TRACK, page.text) == [near]
    assert "sekitar 5" in page.text  # "sekitar 5xx m"
    page = c.get("/pengaduan/baru?kategori=jalan-rusak&lintang=-6.85&bujur=107.6")
    assert re.findall(r'href="/pengaduan/(%s)"' % TRACK, page.text) == []
    assert "Tidak ada pengaduan serupa" in page.text

    # "Periksa pengaduan serupa" inside the form: nothing filed, typed fields kept, photos to
    # choose again.
    before = s.sql("SELECT COUNT(*) FROM complaint")[0][0]
    r = _file(c, {"judul": "Judul yang saya ketik", "isi": "Uraian <b>saya</b>", "desa": "desa-cibening",
                  "alamat": "Gang 3", "privasi": "anonim", "periksa": "1"})
    assert r.status == 200 and s.sql("SELECT COUNT(*) FROM complaint")[0][0] == before
    assert near in re.findall(r'href="/pengaduan/(%s)"' % TRACK, r.text)
    assert 'value="Judul yang saya ketik"' in r.text and "Uraian &lt;b&gt;saya&lt;/b&gt;" in r.text
    assert 'value="Gang 3"' in r.text and re.search(r'value="anonim" checked', r.text)
    assert "foto perlu dipilih lagi" in r.text
    assert "Tetap kirim pengaduan saya" in r.text
    # The same form id comes back, so sending it after checking files once.
    assert re.search(r'name="_id" value="[0-9a-f-]{36}"', r.text)

    # Support from the offered list (signed in): counted on that complaint.
    from identity_util import register, signin, STRONG
    assert register(s.client(), "pendukung@example.org").status == 303
    sup = s.client()
    assert signin(sup, "pendukung@example.org", STRONG).status == 303
    page = sup.get("/pengaduan/baru?kategori=jalan-rusak&desa=desa-cibening")
    r = sup.post_form("/pengaduan/%s/dukung" % near, {"csrf": sup.csrf_from(page.text)})
    assert r.status == 303
    assert s.sql("SELECT support_count FROM complaint WHERE tracking = ?", (near.replace("-", ""),))[0][0] == 1

    # JSON for apps: public fields only.
    r = c.get("/pengaduan/serupa.json?kategori=jalan-rusak&desa=desa-cibening")
    assert r.status == 200 and r.header("Content-Type").startswith("application/json")
    items = json.loads(r.text)["items"]
    mine = [i for i in items if i["tracking"] == near]
    assert len(mine) == 1 and other_cat not in [i["tracking"] for i in items]
    assert set(mine[0]) == {"tracking", "title", "status", "category", "support_count", "created",
                            "url", "village", "distance_m"}
    assert mine[0]["support_count"] == 1 and mine[0]["village"] == "desa-cibening"
    assert mine[0]["url"] == "/pengaduan/" + near and mine[0]["status"] == "new"
    r = c.get("/pengaduan/serupa.json?kategori=jalan-rusak&lat=-6.905&lon=107.6015")
    items = json.loads(r.text)["items"]
    assert [i["tracking"] for i in items] == [near] and 500 < items[0]["distance_m"] < 700
    assert c.get("/pengaduan/serupa.json?kategori=jalan-rusak&lat=-6.9").status == 400
    assert c.get("/pengaduan/serupa.json?kategori=jalan-rusak&lat=-96&lon=1").status == 400
    assert json.loads(c.get("/pengaduan/serupa.json").text) == {"items": []}
