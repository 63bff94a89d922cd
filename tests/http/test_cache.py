"""The public response cache (issue #8): an anonymous page or Open311 answer served from the cache
changes right after every write that changes it — a complaint filed on the portal or through
Open311, disposed and answered by staff, a service edited — for the writer and for anyone
after; signed-in requests never see the anonymous cache and personal content never reaches it;
gzip and identity, Indonesian and English are separate entries; If-None-Match gives 304 on a
cached entry; `--cache-size 0` turns it off; on PostgreSQL a write on one node is seen on the
other at once."""
import gzip
import http.client
import re
import time

from identity_util import metric, signin
from kantor_util import demo_client, demo_creds
from open311_util import add_key
from run import pg_only
from test_pengaduan_handle import file_complaint, kpage, kstep
from test_pg_nodes import second_node

O311 = "/open311/v2"


def hits(s):
    return metric(s.client(), "pendopo_cache_hits_total")


def warm(s, path, headers=None):
    """GETs path anonymously until it is served from the cache; returns the cached answer.
    (A background job that writes public data right after start-up may cost one miss.)"""
    for _ in range(5):
        s.client().get(path, headers=headers)
        before = hits(s)
        r = s.client().get(path, headers=headers)
        assert r.status == 200, (path, r)
        if hits(s) > before:
            return r
        time.sleep(0.2)
    raise AssertionError("%s was not served from the cache" % path)


def _get_with_host(s, path, host):
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
    conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host)
    conn.endheaders()
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, body


def test_complaint_writes_show_at_once(ctx):
    s = ctx.server()
    warm(s, "/pengaduan")
    warm(s, O311 + "/requests.json")
    # Filed on the portal: the filer and any visitor see it on the very next request.
    filer = s.client()
    cid, nomor, _ = file_complaint(s, filer, judul="Lampu jalan padam di cache")
    assert nomor in filer.get("/pengaduan").text
    assert nomor in s.client().get("/pengaduan").text
    ids = [x["service_request_id"] for x in s.client().get(O311 + "/requests.json").json()]
    assert nomor in ids, ids

    # Filed through Open311: the partner's next read and the public list show it.
    warm(s, "/pengaduan")
    _, key = add_key(s, "Aplikasi Cache")
    partner = s.client()
    r = partner.post_form(O311 + "/requests.json", {
        "api_key": key, "service_code": "jalan-rusak", "lat": "-6.914744", "long": "107.60981",
        "description": "Jembatan retak di ujung desa, uji cache.", "attribute[village]": "32.19.01.2003"})
    assert r.status == 201, r
    sid = r.json()[0]["service_request_id"]
    ids = [x["service_request_id"] for x in partner.get(O311 + "/requests.json").json()]
    assert sid in ids, (sid, ids)
    assert sid in s.client().get("/pengaduan").text

    # Disposed and answered by staff: the public page changes at once.
    before = warm(s, "/pengaduan/%s" % nomor).text
    assert "Jawaban" not in before
    coord = demo_client(s, "coordinator")
    assert kstep(coord, cid, "disposisi", {"unit": "dlh", "catatan": "Untuk DLH."}).status == 303
    after = s.client().get("/pengaduan/%s" % nomor).text
    assert after != before
    warm(s, "/pengaduan/%s" % nomor)
    dlh = demo_client(s, "officer", "dlh")
    r = kstep(dlh, cid, "jawab", {"jawaban": "Lampu sudah diganti petugas cache."}, page=kpage(dlh, cid))
    assert r.status == 303, r
    page = s.client().get("/pengaduan/%s" % nomor).text
    assert "Lampu sudah diganti petugas cache." in page, page[:3000]


def _service_fields(edit):
    name = re.search(r'id="svc-name" name="name" type="text" required maxlength="200" value="([^"]*)"',
                     edit).group(1)
    fields = {k: v for k, v in re.findall(
        r'<textarea id="svc-[a-z_]+" name="([a-z_]+)"[^>]*>([^<]*)</textarea>', edit)}
    fields.update({"slug": "sktm", "name": name.replace("&#39;", "'"), "category": "Kependudukan",
                   "days": "3", "fee": "0", "enabled": "1"})
    return fields


def test_service_edit_shows_at_once(ctx):
    s = ctx.server()
    warm(s, "/layanan")
    warm(s, "/layanan/sktm")
    warm(s, O311 + "/services.json")
    admin = s.client()
    assert signin(admin, *demo_creds(s, "administrator", "sukamaju")).status == 303
    edit = admin.get("/admin/layanan/sktm")
    assert edit.status == 200, edit
    fields = _service_fields(edit.text)
    fields.update(name="Surat Keterangan Tidak Mampu Versi Cache", csrf=admin.csrf_from(edit.text))
    r = admin.post_form("/admin/layanan/sktm", fields)
    assert r.status == 303, r
    # The writer (signed in) and a visitor both see the new name on their next request.
    assert "Versi Cache" in admin.get("/layanan/sktm").text
    assert "Versi Cache" in s.client().get("/layanan/sktm").text
    assert "Versi Cache" in s.client().get("/layanan").text
    # Disabled: gone from the anonymous catalogue at once.
    fields.pop("enabled")
    fields["csrf"] = admin.csrf_from(admin.get("/admin/layanan/sktm").text)
    assert admin.post_form("/admin/layanan/sktm", fields).status == 303
    assert s.client().get("/layanan/sktm").status == 404
    assert "/layanan/sktm" not in s.client().get("/layanan").text


def test_signed_in_never_from_the_anonymous_cache(ctx):
    s = ctx.server()
    email, password = demo_creds(s, "citizen", "desa-mekarsari")
    citizen = s.client()
    assert signin(citizen, email, password).status == 303
    # Signed in first: personal content, never stored.
    mine = citizen.get("/")
    assert mine.status == 200 and 'action="/keluar"' in mine.text
    assert mine.header("ETag") is None
    before = hits(s)
    anon = s.client().get("/")
    assert 'action="/keluar"' not in anon.text and "/masuk" in anon.text
    # Anonymous page cached; the signed-in citizen still gets their own page, not it.
    warm(s, "/")
    for path in ("/", "/layanan", "/pengaduan"):
        s.client().get(path)
        s.client().get(path)
        h = hits(s)
        r = citizen.get(path)
        assert r.status == 200 and 'action="/keluar"' in r.text, path
        assert hits(s) == h, "a signed-in request was served from the cache: %s" % path
    assert hits(s) > before
    # A reporter's own view (private link) is personal: never cached, never shown to others.
    filer = s.client()
    _, nomor, token = file_complaint(s, filer, privasi="anonim", nama="Pelapor Rahasia Cache",
                                     email="rahasia.cache@contoh.id")
    own = filer.get("/pengaduan/%s?t=%s" % (nomor, token))
    assert own.status == 200 and "Pelapor Rahasia Cache" in own.text
    for _ in range(2):
        pub = s.client().get("/pengaduan/%s" % nomor)
        assert pub.status == 200
        assert "Pelapor Rahasia Cache" not in pub.text and "rahasia.cache@contoh.id" not in pub.text
    # A cached public page carries nothing of one request: no form token ...
    for path in ("/", "/layanan", "/pengaduan"):
        r = warm(s, path)
        assert 'name="csrf"' not in r.text and "pdcsrf" not in r.text, path
    # ... or, where it has a form (support), every response its own token, masked from the
    # requesting visitor's own secret: valid for them, refused for anyone else.
    warm(s, "/pengaduan/%s" % nomor)
    a, b = s.client(), s.client()
    h = hits(s)
    pa, pb = a.get("/pengaduan/%s" % nomor), b.get("/pengaduan/%s" % nomor)
    assert hits(s) == h + 2
    ta, tb = a.csrf_from(pa.text), b.csrf_from(pb.text)
    assert ta and tb and ta != tb and "pdcsrf" not in pa.text + pb.text
    assert a.cookies["pd_csrf"] != b.cookies["pd_csrf"]
    assert b.post_form("/pengaduan/%s/dukung" % nomor, {"csrf": ta}).status == 403
    r = a.post_form("/pengaduan/%s/dukung" % nomor, {"csrf": ta})
    assert r.status == 303 and r.header("Location").startswith("/masuk"), r
    assert pa.header("ETag") is None
    gz = a.get("/pengaduan/%s" % nomor, headers={"Accept-Encoding": "gzip"})
    assert gz.header("Content-Encoding") == "gzip" and a.csrf_from(gz.text) not in (ta, None)


def test_encoding_and_language_variants(ctx):
    s = ctx.server()
    plain = warm(s, "/layanan")
    assert plain.header("Content-Encoding") is None
    gz = warm(s, "/layanan", headers={"Accept-Encoding": "gzip"})
    assert gz.header("Content-Encoding") == "gzip"
    assert gzip.decompress(gz.raw) == plain.raw
    assert s.client().get("/layanan", headers={"Accept-Encoding": "gzip;q=0"}).header("Content-Encoding") is None
    assert s.client().get("/layanan").raw == plain.raw
    assert "Vary" in dict(plain.headers) and "Accept-Encoding" in plain.header("Vary")

    assert '<html lang="id">' in plain.text
    en = warm(s, "/layanan", headers={"Accept-Language": "en"})
    assert '<html lang="en">' in en.text and en.text != plain.text
    assert '<html lang="id">' in s.client().get("/layanan").text
    # ?lang=en sets the cookie (303); with it the English entry.
    c = s.client()
    r = c.get("/layanan?lang=en")
    assert r.status == 303 and c.cookies.get("lang") == "en", r
    for _ in range(2):
        assert '<html lang="en">' in c.get("/layanan").text
    assert '<html lang="id">' in s.client().get("/layanan").text
    # Open311 builds its links from Host: each Host its own entry.
    for host in ("a.example", "b.example", "a.example"):
        for _ in range(2):
            status, body = _get_with_host(s, O311 + "/discovery.json", host)
            assert status == 200 and ("//%s/open311/v2" % host).encode() in body, (host, body[:300])
    # Open311 JSON and XML are separate entries, too.
    j = warm(s, O311 + "/services.json")
    x = warm(s, O311 + "/services.xml")
    assert j.header("Content-Type").startswith("application/json")
    assert x.header("Content-Type").startswith("application/xml") or x.header("Content-Type").startswith("text/xml")


def test_if_none_match_on_cached_entries(ctx):
    s = ctx.server()
    r = warm(s, O311 + "/requests.json")
    etag = r.header("ETag")
    assert etag, r.headers
    c = s.client()
    nm = c.get(O311 + "/requests.json", headers={"If-None-Match": etag})
    assert nm.status == 304 and nm.raw == b"" and nm.header("ETag") == etag, nm
    nm = c.get(O311 + "/requests.json", headers={"If-None-Match": '"nope", ' + etag,
                                                 "Accept-Encoding": "gzip"})
    assert nm.status == 304, nm
    assert c.get(O311 + "/requests.json", headers={"If-None-Match": '"nope"'}).status == 200
    # After a write the entry (and its tag) is new: the old tag gets the whole answer.
    file_complaint(s, s.client(), judul="Etag berubah setelah menulis")
    r2 = c.get(O311 + "/requests.json", headers={"If-None-Match": etag})
    assert r2.status == 200 and r2.header("ETag") != etag, r2
    page = warm(s, "/layanan")
    assert s.client().get("/layanan", headers={"If-None-Match": page.header("ETag")}).status == 304


def test_cache_size_zero_turns_it_off(ctx):
    s = ctx.server(args=["--cache-size", "0"])
    for path in ("/", "/layanan", "/pengaduan", O311 + "/services.json"):
        for _ in range(3):
            r = s.client().get(path)
            assert r.status == 200 and r.header("ETag") is None, path
    assert hits(s) == 0
    assert metric(s.client(), "pendopo_cache_misses_total") == 0
    assert metric(s.client(), "pendopo_cache_budget_bytes") == 0


def test_budget_bounds_memory(ctx):
    s = ctx.server(args=["--cache-size", "65536"])
    for path in ("/", "/layanan", "/layanan/sktm", "/layanan/ktp-el", "/pengaduan",
                 O311 + "/services.json", O311 + "/requests.json", "/unit", "/unit/sukamaju"):
        s.client().get(path)
        s.client().get(path, headers={"Accept-Language": "en"})
    assert metric(s.client(), "pendopo_cache_bytes") <= 65536
    assert metric(s.client(), "pendopo_cache_budget_bytes") == 65536


@pg_only
def test_pg_write_on_one_node_seen_on_the_other(ctx):
    s1 = ctx.server()
    s2 = second_node(ctx, s1)
    warm(s2, "/pengaduan")
    warm(s2, O311 + "/requests.json")
    cid, nomor, _ = file_complaint(s1, s1.client(), judul="Dua simpul satu basis data")
    assert nomor in s2.client().get("/pengaduan").text
    ids = [x["service_request_id"] for x in s2.client().get(O311 + "/requests.json").json()]
    assert nomor in ids
    before = warm(s2, "/layanan/sktm").text
    admin = s1.client()
    assert signin(admin, *demo_creds(s1, "administrator", "sukamaju")).status == 303
    edit = admin.get("/admin/layanan/sktm")
    fields = _service_fields(edit.text)
    fields.update(name="SKTM Dua Simpul", csrf=admin.csrf_from(edit.text))
    assert admin.post_form("/admin/layanan/sktm", fields).status == 303
    after = s2.client().get("/layanan/sktm").text
    assert "SKTM Dua Simpul" in after and after != before
