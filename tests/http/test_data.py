"""Open data (issue #6): the public catalogue /data (search with stems, filters, keyset pages),
a dataset's page with the RFC 4180 preview of its CSV, downloads with type and ETag, and the
administrators' pages: create and edit a dataset (422 beside the fields, 409 on a stale
version), upload and delete resources, audit entries, and access (404 outside the subtree)."""
import csv
import io
import re

from identity_util import STRONG, signin
from kantor_util import demo_client, post_multipart

TRICKY = ("nama,catatan,jumlah\r\n"
          "\"Desa \"\"Maju\"\"\",\"baris satu\r\nbaris dua\",12\r\n"
          "Cibening,\"koma, di dalam\",3\r\n").encode()


def csrf(c, path):
    return c.csrf_from(c.get(path).text)


def create(c, **kw):
    fields = {"unit": "dinkes", "name": "data-uji", "title": "Data uji kesehatan",
              "notes": "Catatan perbaikan jalan dan puskesmas.", "tags": "Kesehatan, uji",
              "license_id": "cc-by-4.0", "frequency": "monthly"}
    fields.update(kw)
    fields["csrf"] = csrf(c, "/admin/data/baru")
    return c.post_form("/admin/data/baru", fields)


def upload(c, name, filename, data, **kw):
    fields = {"csrf": csrf(c, "/admin/data/%s" % name), "name": kw.pop("title", "Berkas uji"),
              "description": "", "format": kw.pop("format", "")}
    return post_multipart(c, "/admin/data/%s/sumber" % name, fields,
                          {"file": (filename, "application/octet-stream", data)})


def test_admin_creates_uploads_and_public_sees(ctx):
    s = ctx.server()
    admin = demo_client(s, "administrator", "sukamaju")
    r = create(admin)
    assert r.status == 303 and r.header("Location") == "/admin/data/data-uji?disimpan=1", r
    did = s.sql("SELECT id FROM dataset WHERE name = 'data-uji'")[0][0]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", did)
    assert sorted(t for (t,) in s.sql("SELECT tag FROM dataset_tag WHERE dataset_id = ?", (did,))) \
        == ["kesehatan", "uji"]
    r = upload(admin, "data-uji", "tabel.csv", TRICKY)
    assert r.status == 303, r
    r = upload(admin, "data-uji", "meta.json", b'{"a": 1}')
    assert r.status == 303, r
    res = s.sql("SELECT id, format, media_type, size FROM dataset_resource WHERE dataset_id = ? "
                "ORDER BY position", (did,))
    assert [(f, m, n) for _, f, m, n in res] == [
        ("CSV", "text/csv; charset=utf-8", len(TRICKY)), ("JSON", "application/json", 8)]
    actions = [a for (a,) in s.sql("SELECT action FROM audit_log WHERE object_id IN (?, ?, ?) "
                                   "ORDER BY seq", (did, res[0][0], res[1][0]))]
    assert actions == ["dataset.create", "dataset.resource_add", "dataset.resource_add"], actions

    anon = s.client()
    # Stemmed search: "perbaikan" finds "perbaikan"; "memperbaiki" the same stem.
    for q in ("perbaikan", "memperbaiki", "puskesmas"):
        page = anon.get("/data?q=" + q)
        assert page.status == 200 and "/data/data-uji" in page.text, (q, page)
    assert "/data/data-uji" not in anon.get("/data?q=anggaran").text
    assert "/data/data-uji" in anon.get("/data?unit=dinkes&tag=uji&format=CSV").text
    assert "/data/data-uji" not in anon.get("/data?unit=disdukcapil").text
    assert "/data/data-uji" not in anon.get("/data?format=PDF").text
    assert anon.get("/data?setelah=tidak-ada").status == 400

    page = anon.get("/data/data-uji")
    assert page.status == 200, page
    cells = re.findall(r"<td>(.*?)</td>", page.text, re.S)
    assert cells[:3] == ["Desa &quot;Maju&quot;", "baris satu\r\nbaris dua", "12"] or \
        cells[:3] == ["Desa &#34;Maju&#34;", "baris satu\r\nbaris dua", "12"], cells[:6]
    assert "Creative Commons Attribution 4.0" in page.text
    # by id: redirected to the name
    r = anon.get("/data/" + did)
    assert r.status == 301 and r.header("Location") == "/data/data-uji"

    dl = anon.get("/data/data-uji/%s/unduh" % res[0][0])
    assert dl.status == 200 and dl.body == TRICKY
    assert dl.header("Content-Type") == "text/csv; charset=utf-8"
    assert "attachment" in dl.header("Content-Disposition")
    rows = list(csv.reader(io.StringIO(dl.body.decode(), newline="")))
    assert rows[1] == ['Desa "Maju"', "baris satu\r\nbaris dua", "12"]
    etag = dl.header("ETag")
    assert re.fullmatch(r'"[0-9a-f]{64}"', etag), etag
    assert anon.request("GET", "/data/data-uji/%s/unduh" % res[0][0],
                        headers={"If-None-Match": etag}).status == 304
    # the resource under another dataset's name is not found
    assert anon.get("/data/fasilitas-kesehatan/%s/unduh" % res[0][0]).status == 404
    assert anon.get("/data/tidak-ada").status == 404

    # delete a resource
    token = csrf(admin, "/admin/data/data-uji")
    r = admin.post_form("/admin/data/data-uji/sumber/%s/hapus" % res[1][0], {"csrf": token})
    assert r.status == 303, r
    assert s.sql("SELECT COUNT(*) FROM dataset_resource WHERE dataset_id = ?", (did,))[0][0] == 1
    assert anon.get("/data/data-uji/%s/unduh" % res[1][0]).status == 404


def test_invalid_input_and_stale_version(ctx):
    s = ctx.server()
    admin = demo_client(s, "administrator", "sukamaju")
    r = create(admin, name="Bukan Slug", title="", license_id="proprietary", frequency="kadang")
    assert r.status == 422, r
    for f in ("ds-name-error", "ds-title-error", "ds-license-error", "ds-frequency-error"):
        assert 'id="%s"' % f in r.text, f
    assert 'aria-describedby="ds-title-error"' in r.text
    assert create(admin).status == 303
    r = create(admin)
    assert r.status == 422 and 'id="ds-name-error"' in r.text, r
    # edit with a stale version
    token = csrf(admin, "/admin/data/data-uji")
    fields = {"csrf": token, "version": "1", "name": "data-uji", "title": "Judul baru",
              "notes": "", "tags": "", "license_id": "cc0-1.0", "frequency": "annual"}
    assert admin.post_form("/admin/data/data-uji", fields).status == 303
    r = admin.post_form("/admin/data/data-uji", fields)
    assert r.status == 409, r
    assert s.sql("SELECT title, version FROM dataset WHERE name = 'data-uji'")[0] == ("Judul baru", 2)
    # uploads: bad CSV encoding, bad JSON, no file
    r = upload(admin, "data-uji", "x.csv", "nama\r\nD\xe9sa\r\n".encode("latin-1"))
    assert r.status == 422 and 'id="up-file-error"' in r.text, r
    r = upload(admin, "data-uji", "x.json", b"{tidak json")
    assert r.status == 422 and 'id="up-file-error"' in r.text, r
    r = upload(admin, "data-uji", "x.bin", b"", title="")
    assert r.status == 422 and 'id="up-name-error"' in r.text, r
    # generated datasets cannot be changed
    token = csrf(admin, "/admin/data")
    fields["csrf"] = token
    fields["name"] = "statistik-pengaduan"
    assert admin.post_form("/admin/data/statistik-pengaduan", dict(fields, version="0")).status == 403


def test_access(ctx):
    s = ctx.server()
    s.cli("user", "add", "--email", "admin.dinkes@contoh.id", "--name", "Admin Dinkes",
          "--role", "administrator", "--unit", "dinkes", stdin=STRONG + "\n")
    dinkes = s.client()
    assert signin(dinkes, "admin.dinkes@contoh.id", STRONG).status == 303
    lst = dinkes.get("/admin/data")
    assert lst.status == 200 and "/admin/data/fasilitas-kesehatan" in lst.text, lst
    assert "jumlah-penduduk-per-desa" not in lst.text
    assert dinkes.get("/admin/data/jumlah-penduduk-per-desa").status == 404
    r = create(dinkes, unit="disdukcapil")
    assert r.status == 422 and 'id="ds-unit-error"' in r.text, r
    token = csrf(dinkes, "/admin/data")
    r = dinkes.post_form("/admin/data/jumlah-penduduk-per-desa",
                         {"csrf": token, "name": "x", "title": "x"})
    assert r.status == 404
    assert create(dinkes).status == 303
    officer = demo_client(s, "officer", "disdukcapil")
    assert officer.get("/admin/data").status == 404
    assert s.client().get("/admin/data").status == 303


def test_hostile_text_and_upload_types(ctx):
    """Control characters and the noncharacter U+FFFE are refused in a dataset's text (they
    would break the HTML, XML and Turtle it is written into); an upload's type is taken from
    its content (a page named .pdf is refused); downloads are attachments, sandboxed and
    nosniff."""
    s = ctx.server()
    admin = demo_client(s, "administrator", "sukamaju")
    for bad in ("Judul\x01bel", "Judul \ufffe", "Judul\x7f"):
        r = create(admin, title=bad)
        assert r.status == 422 and 'id="ds-title-error"' in r.text, (bad, r)
    r = create(admin, notes="catatan \x0b")
    assert r.status == 422, r
    assert create(admin, title='Judul "kutip" <b> & \\ baris\r\nkedua').status == 303
    r = upload(admin, "data-uji", "laporan.pdf", b"<html><script>alert(1)</script></html>")
    assert r.status == 422 and 'id="up-file-error"' in r.text, r
    r = upload(admin, "data-uji", "tabel.xlsx", b"bukan zip")
    assert r.status == 422 and 'id="up-file-error"' in r.text, r
    r = upload(admin, "data-uji", "peta.xml", b"\xef\xbb\xbf  bukan xml")
    assert r.status == 422 and 'id="up-file-error"' in r.text, r
    assert upload(admin, "data-uji", "peta.xml", b"\xef\xbb\xbf\n<a/>").status == 303
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    assert upload(admin, "data-uji", "laporan.pdf", pdf).status == 303
    rid = s.sql("SELECT r.id FROM dataset_resource r JOIN dataset d ON d.id = r.dataset_id "
                "WHERE d.name = 'data-uji' AND r.format = 'PDF'")[0][0]
    dl = s.client().get("/data/data-uji/%s/unduh" % rid)
    assert dl.status == 200 and dl.body == pdf
    assert dl.header("Content-Type") == "application/pdf"
    assert dl.header("Content-Disposition").startswith("attachment;")
    assert dl.header("X-Content-Type-Options") == "nosniff"
    assert "sandbox" in dl.header_all("Content-Security-Policy"), dl.headers
