"""The access matrix of issue 3: every route of src/http/routes.c × {anonymous, citizen A, citizen
B, officer of unit X, officer of unit Y, administrator, auditor} → the expected status, on objects
belonging to A (A's sessions, documents, NIK, reset link) and to X (X's unit pages, its audit
entries, the NIK desk of its village). The route list is parsed from routes.c, so the test fails
on any mismatch, on any route without a row and on any row whose route is gone; on failure it
prints the whole table with the wrong cells marked.

Each cell sends the realistic request: GET, or POST with a valid CSRF token from that actor's own
session (a pre-session token for anonymous), so that 303/403/404 show authorisation, not CSRF.
X is Desa Mekarsari (a village: the demo's officer there works its NIK desk), Y is Dinas
Kependudukan dan Pencatatan Sipil; citizen A lives in X; the administrator holds the regency,
above both; the auditor holds the Inspektorat (an agency beside X, so X's entries are outside its
grant and 404). Actions that would end the actor's own session (sign-out, sign-in) run on a fresh
or copied session; actions that would change or erase an account are sent in a form that the
handler refuses after the access check (a wrong password, a password too short), so every row
can run for every actor in one server."""
import os
import re
import time
import uuid

import lib
from identity_util import NIK, STRONG, link_in, local, mail_to, register, signin, smtp_server

ACTORS = ("anon", "A", "B", "offX", "offY", "admin", "auditor")
# A goes last: a row may consume one of A's objects (A ending its own spare session) only after
# every other actor has been refused it.
RUN_ORDER = ("anon", "B", "offX", "offY", "admin", "auditor", "A")
X, Y = "desa-mekarsari", "disdukcapil"
WRONG = "bukan kata sandi yang benar"


class Req:
    """What one row sends. path and field values may hold {name} placeholders filled from the
    world (see World.vars); a field value may also be a function of (world, actor).
    session: "main" (the actor's own session), "clone" (a copy of its cookies, for requests
    that replace the session cookie) or "fresh" (a new sign-in, for requests that end it)."""

    def __init__(self, path, fields=None, files=None, session="main", setup=None, label=""):
        self.path, self.fields, self.files = path, fields, files
        self.session, self.setup, self.label = session, setup, label


def get(path, **kw):
    return Req(path, **kw)


def post(path, fields=None, **kw):
    return Req(path, fields=dict(fields or {}), **kw)


def own_email(w, actor):
    return w.creds[actor][0] if actor != "anon" else w.creds["A"][0]


def own_password(w, actor):
    return w.creds[actor][1] if actor != "anon" else w.creds["A"][1]


def spare_session_of_a(w):
    """A second session of A, whose id A's own /akun lists: the object of /akun/sesi/{id}/keluar."""
    before = set(re.findall(r'/akun/sesi/([0-9a-f-]{36})/keluar', w.clients["A"].get("/akun").text))
    spare = w.server.client()
    assert signin(spare, *w.creds["A"]).status == 303
    after = set(re.findall(r'/akun/sesi/([0-9a-f-]{36})/keluar', w.clients["A"].get("/akun").text))
    new = after - before
    assert len(new) == 1, (before, after)
    w.vars["a_session"] = new.pop()


PDF = ("ktp.pdf", "application/pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def a_account_id(w):
    """A's account id, as X's officer sees it at the NIK desk (the form that verifies it)."""
    c = w.clients["offX"]
    r = c.post_form("/kantor/warga/nik", {"csrf": w.csrf(c), "nik": NIK})
    m = re.search(r'name="akun" value="([0-9a-f-]{36})"', r.text)
    assert r.status == 200 and m, r
    w.vars["a_id"] = m.group(1)


def a_document(w):
    """A document A uploaded: the object of /akun/dokumen/{id}."""
    c = w.clients["A"]
    body, ctype = multipart({"csrf": w.csrf(c), "note": "KK"}, {"document": PDF})
    r = c.request("POST", "/akun/dokumen", body=body, headers={"Content-Type": ctype})
    assert r.status == 303, r
    ids = re.findall(r'href="/akun/dokumen/([0-9a-f-]{36})"', c.get("/akun/dokumen").text)
    assert ids, "A has no document"
    w.vars["a_doc"] = ids[0]


def staff_id(w, email):
    """The id of the staff account with this email, from the administrator's directory of X."""
    page = w.clients["admin"].get("/admin/pengguna?unit=%s" % X)
    m = re.search(r'href="/admin/pengguna/([0-9a-f-]{36})">[^<]*</a>(?:[^\n]*)\n<td>%s</td>'
                  % re.escape(email), page.text)
    assert page.status == 200 and m, (email, page)
    return m.group(1)


def offx_id(w):
    """The account of X's officer: the object of /admin/pengguna/{id}."""
    w.vars["offx_id"] = staff_id(w, w.creds["offX"][0])


def offx_moderator(w):
    """X's officer made moderator of X too: the grant /admin/pengguna/{id}/peran/cabut revokes."""
    offx_id(w)
    c = w.clients["admin"]
    r = c.post_form("/admin/pengguna/%s/peran" % w.vars["offx_id"],
                    {"csrf": w.csrf(c), "role": "moderator", "unit": X})
    assert r.status == 303, r


def spare_officer(w):
    """A new officer of X, invited by the administrator: the account /admin/pengguna/{id}/nonaktif
    disables."""
    c = w.clients["admin"]
    r = c.post_form("/admin/pengguna", {"csrf": w.csrf(c), "name": "Petugas Cadangan",
                                        "email": "cadangan.%s@contoh.id" % uuid.uuid4().hex[:8],
                                        "role": "officer", "unit": X})
    assert r.status == 303, r
    w.vars["spare_id"] = re.search(r"/admin/pengguna/([0-9a-f-]{36})", r.header("Location")).group(1)


def admin_service(w):
    """A service of X made by the administrator, with two form fields: the object of the
    /admin/layanan/{slug}… rows (its field hapus_saya is removed by the administrator's row)."""
    if "svc" in w.vars:
        return
    c = w.clients["admin"]
    r = c.post_form("/admin/layanan/baru", {
        "csrf": w.csrf(c), "unit": X, "slug": "uji-matriks", "name": "Layanan Uji Matriks",
        "category": "Uji", "days": "3", "fee": "0"})
    assert r.status == 303, r
    for i, key in enumerate(("catatan", "hapus_saya")):
        r = c.post_form("/admin/layanan/uji-matriks/formulir/isian", {
            "csrf": w.csrf(c), "versi": str(i), "key": key, "type": "text", "label": key})
        assert r.status == 303, r
    w.vars["svc"] = "uji-matriks"


def form_version(w, actor):
    """The current version of the matrix service's form, as its builder page shows it."""
    page = w.clients["admin"].get("/admin/layanan/uji-matriks/formulir").text
    return re.search(r'id="versi">[^<]*<strong>(\d+)</strong>', page).group(1)


def a_completed_application(w):
    """An application of A's already decided (approved), written into the database as the
    application store writes it: the object of /permohonan/{id}/survei (the survey reads only
    its owner, status, service and unit)."""
    if "a_id" not in w.vars:
        a_account_id(w)
    svc = w.server.sql("SELECT s.id, u.id, u.path FROM service s JOIN unit u ON u.id = s.unit_id "
                       "WHERE s.slug = 'akta-kelahiran'")[0]
    app_id, now = str(uuid.uuid4()), int(time.time() * 1000)
    w.server.sql("INSERT INTO application (id, tracking, service_id, unit_id, unit_path, "
                 "citizen_account_id, status, sla_days, submitted_ms, due_ms, decided_ms, created_ms, "
                 "updated_ms) VALUES (?, ?, ?, ?, ?, ?, 'approved', 5, ?, ?, ?, ?, ?)",
                 (app_id, "P" + uuid.uuid4().hex[:9].upper(), svc[0], svc[1], svc[2], w.vars["a_id"],
                  now, now, now, now, now))
    w.vars["a_done"] = app_id


def api_service(w):
    """The id of akta-kelahiran, as the API lists it: the object of /api/v1/services/{id}."""
    r = w.clients["anon"].get("/api/v1/services?q=kelahiran")
    assert r.status == 200, r
    w.vars["service_id"] = r.json()["items"][0]["id"]


# The table. One row per route at least; a route may have several rows (objects of A and of X,
# or of someone else's unit). Columns in the order of ACTORS.
#   anon  A    B    offX offY admin auditor
R = []


def row(method, pattern, req, *expect, note=""):
    assert len(expect) == len(ACTORS), (method, pattern, expect)
    R.append((method, pattern, req, tuple(expect), note))


# Public pages and interfaces: the same answer for everyone.
row("GET", "/", get("/"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/unit", get("/unit"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/unit/{slug}", get("/unit/{X}"), 200, 200, 200, 200, 200, 200, 200, note="X")
row("GET", "/unit/{slug}/anak.csv", get("/unit/{X}/anak.csv"), 200, 200, 200, 200, 200, 200, 200, note="X")
row("GET", "/static/{file}", get("/static/pendopo.css"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/layanan", get("/layanan?q=kelahiran"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/layanan/{slug}", get("/layanan/akta-kelahiran"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/ikm", get("/ikm"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/ikm.csv", get("/ikm.csv"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/verifikasi", get("/verifikasi"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/verifikasi/kunci.json", get("/verifikasi/kunci.json"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/verifikasi/{id}", get("/verifikasi/00000000-0000-4000-8000-000000000000"),
    404, 404, 404, 404, 404, 404, 404, note="unknown document")
row("GET", "/healthz", get("/healthz"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/metrics", get("/metrics"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/api/v1/units", get("/api/v1/units"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/api/v1/units/{slug}", get("/api/v1/units/{X}"), 200, 200, 200, 200, 200, 200, 200, note="X")
row("GET", "/api/v1/calendar/due", get("/api/v1/calendar/due?days=5"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/api/v1/services", get("/api/v1/services?q=kelahiran"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/api/v1/services/{id}", get("/api/v1/services/{service_id}", setup=api_service),
    200, 200, 200, 200, 200, 200, 200, note="akta-kelahiran")
row("GET", "/api/v1/openapi.json", get("/api/v1/openapi.json"), 200, 200, 200, 200, 200, 200, 200)
# The CKAN Action API and the DCAT-AP catalogue: public reads for everyone, whoever is signed in;
# CKAN's write actions are refused to everyone (403: datasets are written through /admin).
row("GET", "/api/3/action/{action}", get("/api/3/action/package_search?rows=1"), 200, 200, 200, 200, 200, 200, 200)
row("POST", "/api/3/action/{action}", post("/api/3/action/package_list"), 200, 200, 200, 200, 200, 200, 200,
    note="form body (the csrf field is ignored)")
row("POST", "/api/3/action/{action}", post("/api/3/action/package_create", {"name": "x"}),
    403, 403, 403, 403, 403, 403, 403, note="a write action")
row("GET", "/api/action/{action}", get("/api/action/status_show"), 200, 200, 200, 200, 200, 200, 200)
row("POST", "/api/action/{action}", post("/api/action/tag_list"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/data/catalog.jsonld", get("/data/catalog.jsonld"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/data/catalog.ttl", get("/data/catalog.ttl?page=1"), 200, 200, 200, 200, 200, 200, 200)

# Open data (tests/http/test_data.py): public pages for everyone; the demo's dataset of Y is
# administered by the regency's administrator only (others 404, as /admin/layanan).
def demo_resource(w):
    if "res" not in w.vars:
        w.vars["res"] = w.server.sql(
            "SELECT r.id FROM dataset_resource r JOIN dataset d ON d.id = r.dataset_id "
            "WHERE d.name = 'jumlah-penduduk-per-desa'")[0][0]


row("GET", "/data", get("/data?q=penduduk"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/data/{name}", get("/data/jumlah-penduduk-per-desa"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/data/{name}/{id}/unduh", get("/data/jumlah-penduduk-per-desa/{res}/unduh", setup=demo_resource),
    200, 200, 200, 200, 200, 200, 200)
row("GET", "/admin/data", get("/admin/data"), 303, 404, 404, 404, 404, 200, 404)
row("GET", "/admin/data/baru", get("/admin/data/baru"), 303, 404, 404, 404, 404, 200, 404)
row("POST", "/admin/data/baru", post("/admin/data/baru", {"unit": X, "name": "x", "title": ""}),
    303, 404, 404, 404, 404, 422, 404, note="no title")
row("GET", "/admin/data/{name}", get("/admin/data/jumlah-penduduk-per-desa"), 303, 404, 404, 404, 404, 200, 404)
row("POST", "/admin/data/{name}", post("/admin/data/jumlah-penduduk-per-desa", {"name": "x", "title": ""}),
    303, 404, 404, 404, 404, 422, 404, note="no title")
row("POST", "/admin/data/{name}/sumber", post("/admin/data/jumlah-penduduk-per-desa/sumber", {"name": ""}),
    303, 404, 404, 404, 404, 422, 404, note="no name, no file")
row("POST", "/admin/data/{name}/sumber/{id}/hapus",
    post("/admin/data/jumlah-penduduk-per-desa/sumber/00000000-0000-7000-8000-000000000000/hapus"),
    303, 404, 404, 404, 404, 404, 404, note="no such resource")
# Open311 GeoReport v2: public reads for everyone; POST needs a partner key (none here: 403).
row("GET", "/open311/v2/discovery.{fmt}", get("/open311/v2/discovery.json"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/open311/v2/services.{fmt}", get("/open311/v2/services.xml"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/open311/v2/services/{code}", get("/open311/v2/services/sampah.json"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/open311/v2/requests.{fmt}", get("/open311/v2/requests.json"), 200, 200, 200, 200, 200, 200, 200)
row("POST", "/open311/v2/requests.{fmt}", post("/open311/v2/requests.json", {"service_code": "sampah"}),
    403, 403, 403, 403, 403, 403, 403, note="no api_key")
row("GET", "/open311/v2/requests/{id}", get("/open311/v2/requests/A-0000-0000-0.json"),
    404, 404, 404, 404, 404, 404, 404, note="unknown request")
row("GET", "/open311/v2/tokens/{token}", get("/open311/v2/tokens/A-0000-0000-0.json"),
    404, 404, 404, 404, 404, 404, 404, note="unknown token")
row("GET", "/open311/v2/servicerequestupdates.{fmt}", get("/open311/v2/servicerequestupdates.xml"),
    200, 200, 200, 200, 200, 200, 200)
row("POST", "/sms/v1/inbound", post("/sms/v1/inbound", {"id": "matriks-1", "from": "081234567890", "text": "CEK"}),
    404, 404, 404, 404, 404, 404, 404, note="no gateway secret here: the channel is off (test_sms.py)")

# Registration, sign-in and password reset: forms before sign-in. A signed-in visitor of the
# forms is sent on to /akun; posting them works for anyone (they name an account by email).
row("GET", "/daftar", get("/daftar"), 200, 303, 303, 303, 303, 303, 303)
row("POST", "/daftar", post("/daftar", {"name": "Warga Baru", "password": STRONG,
                                        "email": lambda w, a: "baru.%s@contoh.id" % uuid.uuid4().hex[:12]}),
    303, 303, 303, 303, 303, 303, 303)
row("GET", "/verifikasi-email", get("/verifikasi-email?token=tidak-ada"), 404, 404, 404, 404, 404, 404, 404)
row("GET", "/masuk", get("/masuk"), 200, 303, 303, 303, 303, 303, 303)
row("POST", "/masuk", post("/masuk", {"email": own_email, "password": own_password}, session="clone"),
    303, 303, 303, 303, 303, 303, 303, note="own account (anon: A's)")
row("POST", "/keluar", post("/keluar", session="fresh"), 303, 303, 303, 303, 303, 303, 303)
row("GET", "/lupa-sandi", get("/lupa-sandi"), 200, 200, 200, 200, 200, 200, 200)
row("POST", "/lupa-sandi", post("/lupa-sandi", {"email": "{a_email}"}), 303, 303, 303, 303, 303, 303, 303, note="A's email")
row("GET", "/atur-ulang-sandi", get("/atur-ulang-sandi?token={a_reset}"), 200, 200, 200, 200, 200, 200, 200,
    note="A's reset link: a capability, not tied to a session")
row("POST", "/atur-ulang-sandi", post("/atur-ulang-sandi", {"token": "{a_reset}", "password": "pendek"}),
    422, 422, 422, 422, 422, 422, 422, note="A's link, password too short")

# The account's own pages: every signed-in actor has one (its own); anonymous is sent to sign in.
row("GET", "/akun", get("/akun"), 303, 200, 200, 200, 200, 200, 200)
row("POST", "/akun/sandi", post("/akun/sandi", {"current": WRONG, "password": "kata sandi baru yang panjang"}),
    303, 422, 422, 422, 422, 422, 422, note="wrong current password")
row("POST", "/akun/bahasa", post("/akun/bahasa", {"lang": "id"}), 303, 303, 303, 303, 303, 303, 303)
row("POST", "/akun/email", post("/akun/email", {"current": WRONG, "email": "lain@contoh.id"}),
    303, 422, 422, 422, 422, 422, 422, note="wrong password")
row("POST", "/akun/nik", post("/akun/nik", {"nik": "123"}), 303, 403, 422, 403, 403, 403, 403,
    note="malformed NIK; A holds one already, staff are not offered it")
row("POST", "/akun/verifikasi", post("/akun/verifikasi"), 303, 303, 303, 303, 303, 303, 303)
row("POST", "/akun/sesi", post("/akun/sesi"), 303, 303, 303, 303, 303, 303, 303, note="own other sessions")
row("POST", "/akun/sesi/{id}/keluar", post("/akun/sesi/{a_session}/keluar", setup=spare_session_of_a),
    303, 303, 404, 404, 404, 404, 404, note="A's session")

# The second step of a sign-in (TOTP) needs a pending sign-in of this browser: without one
# everybody is sent back to the password form.
row("GET", "/masuk/kode", get("/masuk/kode"), 303, 303, 303, 303, 303, 303, 303, note="no pending sign-in")
row("POST", "/masuk/kode", post("/masuk/kode", {"code": "123456"}), 303, 303, 303, 303, 303, 303, 303,
    note="no pending sign-in")
row("GET", "/masuk/totp", get("/masuk/totp"), 303, 303, 303, 303, 303, 303, 303, note="no pending sign-in")
row("POST", "/masuk/totp", post("/masuk/totp", {"code": "123456"}), 303, 303, 303, 303, 303, 303, 303,
    note="no pending sign-in")

# TOTP of one's own staff account: citizens have none (404).
row("GET", "/akun/totp", get("/akun/totp"), 303, 404, 404, 200, 200, 200, 200)
row("POST", "/akun/totp/mulai", post("/akun/totp/mulai"), 303, 404, 404, 303, 303, 303, 303)
row("POST", "/akun/totp", post("/akun/totp", {"code": "000000"}), 303, 404, 404, 422, 422, 422, 422,
    note="wrong code")
row("POST", "/akun/totp/nonaktif", post("/akun/totp/nonaktif", {"code": "000000"}),
    303, 404, 404, 404, 404, 404, 404, note="none active: nothing to turn off")

# A unit's security settings (X): administrators above it act; nobody else here may see them.
row("GET", "/admin/unit/{slug}/keamanan", get("/admin/unit/{X}/keamanan"), 303, 404, 404, 404, 404, 200, 404,
    note="X")
row("POST", "/admin/unit/{slug}/keamanan", post("/admin/unit/{X}/keamanan"), 303, 404, 404, 404, 404, 303, 404,
    note="X, TOTP not required")

# Staff administration: administrators only, for staff with grants in their subtree; every other
# actor, the auditor included (the directory names people), gets 404.
row("GET", "/admin/pengguna", get("/admin/pengguna"), 303, 404, 404, 404, 404, 200, 404)
row("POST", "/admin/pengguna", post("/admin/pengguna", {
    "name": "Petugas Baru", "role": "officer", "unit": X,
    "email": lambda w, a: "staf.%s@contoh.id" % uuid.uuid4().hex[:12]}),
    303, 404, 404, 404, 404, 303, 404, note="a new officer of X")
row("GET", "/admin/pengguna/{id}", get("/admin/pengguna/{offx_id}", setup=offx_id),
    303, 404, 404, 404, 404, 200, 404, note="X's officer")
row("POST", "/admin/pengguna/{id}/peran", post("/admin/pengguna/{offx_id}/peran", {"role": "", "unit": X}),
    303, 404, 404, 404, 404, 422, 404, note="X's officer, no role chosen")
row("POST", "/admin/pengguna/{id}/peran/cabut",
    post("/admin/pengguna/{offx_id}/peran/cabut", {"role": "moderator", "unit": X}, setup=offx_moderator),
    303, 404, 404, 404, 404, 303, 404, note="X's officer's moderator grant")
row("POST", "/admin/pengguna/{id}/nonaktif", post("/admin/pengguna/{spare_id}/nonaktif", setup=spare_officer),
    303, 404, 404, 404, 404, 303, 404, note="an officer of X")

# Services and their forms: administrators of the owner unit's subtree (the regency's holds X);
# everyone else here gets 404 (a supervisor above would get 403: test_layanan_admin.py). Posts
# carry invalid input where they would create or change something, so the administrator gets 422.
row("GET", "/admin/layanan", get("/admin/layanan"), 303, 404, 404, 404, 404, 200, 404)
row("GET", "/admin/layanan/baru", get("/admin/layanan/baru"), 303, 404, 404, 404, 404, 200, 404)
row("POST", "/admin/layanan/baru", post("/admin/layanan/baru", {"unit": X, "slug": "x", "name": ""}),
    303, 404, 404, 404, 404, 422, 404, note="no name")
row("GET", "/admin/layanan/{slug}", get("/admin/layanan/{svc}", setup=admin_service),
    303, 404, 404, 404, 404, 200, 404, note="X's service")
row("POST", "/admin/layanan/{slug}", post("/admin/layanan/{svc}", {"slug": "uji-matriks", "name": ""}),
    303, 404, 404, 404, 404, 422, 404, note="no name")
row("GET", "/admin/layanan/{slug}/formulir", get("/admin/layanan/{svc}/formulir"),
    303, 404, 404, 404, 404, 200, 404)
row("POST", "/admin/layanan/{slug}/formulir/isian",
    post("/admin/layanan/{svc}/formulir/isian", {"versi": form_version, "key": "baru", "type": "text", "label": ""}),
    303, 404, 404, 404, 404, 422, 404, note="no label")
row("POST", "/admin/layanan/{slug}/formulir/isian/{key}",
    post("/admin/layanan/{svc}/formulir/isian/catatan", {"versi": form_version, "type": "text", "label": ""}),
    303, 404, 404, 404, 404, 422, 404, note="no label")
row("POST", "/admin/layanan/{slug}/formulir/isian/{key}/naik",
    post("/admin/layanan/{svc}/formulir/isian/catatan/naik", {"versi": form_version}),
    303, 404, 404, 404, 404, 303, 404, note="the first field: nothing moves")
row("POST", "/admin/layanan/{slug}/formulir/isian/{key}/turun",
    post("/admin/layanan/{svc}/formulir/isian/hapus_saya/turun", {"versi": form_version}),
    303, 404, 404, 404, 404, 303, 404, note="the last field: nothing moves")
row("POST", "/admin/layanan/{slug}/formulir/isian/{key}/hapus",
    post("/admin/layanan/{svc}/formulir/isian/hapus_saya/hapus", {"versi": form_version}),
    303, 404, 404, 404, 404, 303, 404)
row("GET", "/admin/unit/{slug}/maklumat", get("/admin/unit/{X}/maklumat"), 303, 404, 404, 404, 404, 200, 404)
row("POST", "/admin/unit/{slug}/maklumat", post("/admin/unit/{X}/maklumat", {"text": "Kami melayani dengan sepenuh hati."}),
    303, 404, 404, 404, 404, 303, 404)

# The national working-day calendar: every administrator may read it (the deadlines of the
# subtree they configure count by it), only an administrator of a top unit (no parent) may change
# it, so the regency's administrator gets 403 on the forms; the top unit's administrator is in
# test_calendar_admin.py. Other staff and citizens: 404.
# Partner API keys: administrators of the top unit only (the regency's gets 403; the top unit's
# administrator is in test_open311.py); everyone else 404.
row("GET", "/admin/apikey", get("/admin/apikey"), 303, 404, 404, 404, 404, 403, 404)
row("POST", "/admin/apikey", post("/admin/apikey", {"partner": "", "per_min": "60"}),
    303, 404, 404, 404, 404, 403, 404, note="no partner")
row("POST", "/admin/apikey/{id}/cabut", post("/admin/apikey/00000000-0000-4000-8000-000000000000/cabut"),
    303, 404, 404, 404, 404, 403, 404, note="unknown key")
row("GET", "/admin/kalender", get("/admin/kalender"), 303, 404, 404, 404, 404, 200, 404)
row("POST", "/admin/kalender/hari", post("/admin/kalender/hari", {"date": "2027-03-11", "kind": "libur",
                                                                  "name_id": "Idulfitri"}),
    303, 404, 404, 404, 404, 403, 404, note="a valid day")
row("POST", "/admin/kalender/hari/hapus", post("/admin/kalender/hari/hapus", {"date": "2027-03-10"}),
    303, 404, 404, 404, 404, 403, 404, note="a listed day")
row("POST", "/admin/kalender/tahun", post("/admin/kalender/tahun", {"year": "2028"}),
    303, 404, 404, 404, 404, 403, 404, note="a year not loaded")

# The citizen's own privacy pages: everyone sees their own; only citizens may erase themselves.
row("GET", "/akun/akses", get("/akun/akses"), 303, 200, 200, 200, 200, 200, 200)
row("GET", "/akun/akses.csv", get("/akun/akses.csv"), 303, 200, 200, 200, 200, 200, 200)
row("GET", "/akun/unduh", get("/akun/unduh"), 303, 200, 200, 200, 200, 200, 200)
row("GET", "/akun/hapus", get("/akun/hapus"), 303, 200, 200, 200, 200, 200, 200,
    note="staff: a page saying why not")
row("POST", "/akun/hapus", post("/akun/hapus", {"current": WRONG, "konfirmasi": "ya"}),
    303, 422, 422, 403, 403, 403, 403, note="wrong password")
row("GET", "/akun/dihapus", get("/akun/dihapus"), 200, 200, 200, 200, 200, 200, 200)

# The NIK desk of a village office: A lives in X, so only X's officer finds and verifies A's NIK;
# the administrator may see the desk but not work it (403); Y's officer gets 404 for A's NIK.
row("GET", "/kantor/warga/nik", get("/kantor/warga/nik"), 303, 404, 404, 200, 200, 403, 404)
row("POST", "/kantor/warga/nik", post("/kantor/warga/nik", {"nik": "{nik_a}"}), 303, 404, 404, 200, 404, 403, 404,
    note="A's NIK")
row("POST", "/kantor/warga/nik/verifikasi", post("/kantor/warga/nik/verifikasi", {"akun": "{a_id}"}, setup=a_account_id),
    303, 404, 404, 303, 404, 403, 404, note="A's account")

# The citizen's own address and documents; A's document is A's alone.
row("GET", "/akun/alamat", get("/akun/alamat"), 303, 200, 200, 200, 200, 200, 200)
row("POST", "/akun/alamat", post("/akun/alamat", {"address": "Jl. Melati 1, Mekarsari"}), 303, 303, 303, 303, 303, 303, 303)
row("GET", "/akun/dokumen", get("/akun/dokumen"), 303, 200, 200, 200, 200, 200, 200)
row("POST", "/akun/dokumen", post("/akun/dokumen", {"note": "KTP"}, files={"document": PDF}), 303, 303, 303, 303, 303, 303, 303)
row("GET", "/akun/dokumen/{id}", get("/akun/dokumen/{a_doc}", setup=a_document), 303, 200, 404, 404, 404, 404, 404,
    note="A's document")

# The satisfaction survey of A's completed application: A's alone — every other actor, staff of
# the service's unit included, gets 404; the post leaves one answer out, so A gets 422.
row("GET", "/permohonan/{id}/survei", get("/permohonan/{a_done}/survei", setup=a_completed_application),
    303, 200, 404, 404, 404, 404, 404, note="A's approved application")
row("POST", "/permohonan/{id}/survei", post("/permohonan/{a_done}/survei", {"u%d" % i: "3" for i in range(1, 9)}),
    303, 422, 404, 404, 404, 404, 404, note="A's approved application, u9 missing")

# The audit log: auditors only (DESIGN §2), scoped to their grant's subtree.
# Revoking documents: supervisors of the document's unit only (tests/http/test_layanan_documents.py
# covers a real document); an unknown one is 404 for every signed-in actor.
row("GET", "/kantor/dokumen/{id}", get("/kantor/dokumen/00000000-0000-4000-8000-000000000000"),
    303, 404, 404, 404, 404, 404, 404, note="unknown document")
row("POST", "/kantor/dokumen/{id}/cabut",
    post("/kantor/dokumen/00000000-0000-4000-8000-000000000000/cabut", {"alasan": "uji"}),
    303, 404, 404, 404, 404, 404, 404, note="unknown document")
row("GET", "/kantor/audit", get("/kantor/audit"), 303, 404, 404, 404, 404, 404, 200)
row("GET", "/kantor/audit", get("/kantor/audit?unit={X}"), 303, 404, 404, 404, 404, 404, 404,
    note="X's entries: outside the auditor's grant")
row("GET", "/kantor/audit", get("/kantor/audit?unit=inspektorat"), 303, 404, 404, 404, 404, 404, 200,
    note="the auditor's own unit")
row("GET", "/kantor/audit.csv", get("/kantor/audit.csv"), 303, 404, 404, 404, 404, 404, 200)
row("GET", "/kantor/audit.csv", get("/kantor/audit.csv?unit={X}"), 303, 404, 404, 404, 404, 404, 404, note="X's entries")
row("POST", "/kantor/audit/periksa", post("/kantor/audit/periksa"), 303, 404, 404, 404, 404, 404, 303)

# The back office's applications (test_kantor_permohonan.py has the steps in depth). X's officer
# files an assisted application for X's village letter (sktm): only staff working X see it and
# act on it; another unit's officer, the administrator (no case role) and the auditor get 404;
# citizens never see /kantor/ pages, not even an application they own. Rows run in order: X's
# officer claims it, may not reassign it (403: not a supervisor), checks it, is refused a return
# without a note and a rejection without a reason (422), and loses an approval with a stale
# version (409).
def x_application(w):
    """An application of X's (sktm, filed by X's officer for A's NIK), with its file."""
    if "x_app" in w.vars:
        return
    import kantor_util
    w.vars["x_app"], _ = kantor_util.file_assisted(w.server, w.clients["offX"], "sktm", nik=NIK)
    w.vars["x_file"] = w.server.sql("SELECT id FROM application_file WHERE application_id = ?",
                                    (w.vars["x_app"],))[0][0]


def x_version(w, actor):
    return str(w.server.sql("SELECT version FROM application WHERE id = ?", (w.vars["x_app"],))[0][0])


def x_checklist_len(w, actor):
    page = w.clients["offX"].get("/kantor/permohonan/%s" % w.vars["x_app"]).text
    m = re.search(r'name="jumlah" value="(\d+)"', page)
    return m.group(1) if m else "0"


def offx_self_id(w, actor):
    page = w.clients["offX"].get("/kantor/permohonan/%s" % w.vars["x_app"]).text
    m = re.search(r"<code>([0-9a-f-]{36})</code>", page)
    return m.group(1) if m else "00000000-0000-7000-8000-000000000000"


row("GET", "/kantor/permohonan", get("/kantor/permohonan"), 303, 404, 404, 200, 200, 404, 404)
row("GET", "/kantor/permohonan/{id}", get("/kantor/permohonan/{x_app}", setup=x_application),
    303, 404, 404, 200, 404, 404, 404, note="X's application")
row("GET", "/kantor/permohonan/{id}/berkas/{file}", get("/kantor/permohonan/{x_app}/berkas/{x_file}"),
    303, 404, 404, 200, 404, 404, 404, note="X's application's file")
row("POST", "/kantor/permohonan/{id}/ambil", post("/kantor/permohonan/{x_app}/ambil", {"versi": x_version}),
    303, 404, 404, 303, 404, 404, 404, note="X's application")
row("POST", "/kantor/permohonan/{id}/tugaskan",
    post("/kantor/permohonan/{x_app}/tugaskan", {"versi": x_version, "petugas": offx_self_id}),
    303, 404, 404, 403, 404, 404, 404, note="X's officer is no supervisor")
row("POST", "/kantor/permohonan/{id}/periksa",
    post("/kantor/permohonan/{x_app}/periksa", {"versi": x_version, "jumlah": x_checklist_len, "syarat": "0"}),
    303, 404, 404, 303, 404, 404, 404, note="X's application")
row("POST", "/kantor/permohonan/{id}/kembalikan",
    post("/kantor/permohonan/{x_app}/kembalikan", {"versi": x_version, "catatan": ""}),
    303, 404, 404, 422, 404, 404, 404, note="no note")
row("POST", "/kantor/permohonan/{id}/tolak",
    post("/kantor/permohonan/{x_app}/tolak", {"versi": x_version, "alasan": ""}),
    303, 404, 404, 422, 404, 404, 404, note="no reason")
row("POST", "/kantor/permohonan/{id}/setujui",
    post("/kantor/permohonan/{x_app}/setujui", {"versi": "1"}),
    303, 404, 404, 409, 404, 404, 404, note="a stale version")
row("GET", "/kantor/layanan/{slug}/ajukan", get("/kantor/layanan/sktm/ajukan"),
    303, 404, 404, 200, 403, 403, 403, note="X's service: its village office; other staff 403")
row("POST", "/kantor/layanan/{slug}/ajukan",
    post("/kantor/layanan/sktm/ajukan", {"_nik": "", "_nama": ""}, files={"berkas_kk": PDF}),
    303, 404, 404, 422, 403, 403, 403, note="X's service, nothing filled in")

# The citizen's applications (test_layanan_apply.py has the steps in depth): A's approved
# application and its receipt are A's alone (404 for everyone else, staff included: these are the
# citizen's pages; X's assisted application, attached to no one, has no owner here); anyone signed in
# with a verified email may file (the matrix's citizens have not verified theirs: 403; staff
# with nothing filled in: 422) and everyone signed in sees their own list and notifications; a
# wrong tracking number and NIK pair attaches nothing (404); /lacak is public.
def x_tracking(w):
    x_application(w)
    w.vars["x_tracking"] = w.server.sql("SELECT tracking FROM application WHERE id = ?",
                                        (w.vars["x_app"],))[0][0]


row("GET", "/layanan/{slug}/ajukan", get("/layanan/akta-kelahiran/ajukan"), 303, 200, 200, 200, 200, 200, 200)
row("POST", "/layanan/{slug}/ajukan", post("/layanan/akta-kelahiran/ajukan", {"aksi": "kirim"}),
    303, 403, 403, 422, 422, 422, 422, note="nothing filled in; citizens' emails unverified")
row("GET", "/permohonan", get("/permohonan"), 303, 200, 200, 200, 200, 200, 200)
row("GET", "/permohonan/{id}", get("/permohonan/{a_done}", setup=a_completed_application),
    303, 200, 404, 404, 404, 404, 404, note="A's approved application")
row("GET", "/permohonan/{id}/perbaiki", get("/permohonan/{a_done}/perbaiki"),
    303, 303, 404, 404, 404, 404, 404, note="A's, not returned: back to its page")
row("POST", "/permohonan/{id}/perbaiki", post("/permohonan/{a_done}/perbaiki", {"versi": "1"}),
    303, 403, 404, 404, 404, 404, 404, note="A's; A's email unverified")
row("GET", "/permohonan/{id}/tanda-terima.pdf", get("/permohonan/{a_done}/tanda-terima.pdf"),
    303, 200, 404, 404, 404, 404, 404, note="A's application")
row("GET", "/permohonan/{id}/dokumen.pdf", get("/permohonan/{a_done}/dokumen.pdf"),
    303, 404, 404, 404, 404, 404, 404, note="A's application has no document")
row("GET", "/permohonan/{id}/berkas/{file}", get("/permohonan/{x_app}/berkas/{x_file}", setup=x_application),
    303, 404, 404, 404, 404, 404, 404, note="X's assisted application: staff read it under /kantor/")
row("POST", "/permohonan/tautkan", post("/permohonan/tautkan", {"nomor": "{x_tracking}", "nik": "3201014108900001"},
                                        setup=x_tracking),
    303, 403, 403, 403, 403, 403, 403,
    note="X's number with a wrong NIK; citizens unverified; staff accounts hold no NIK")
row("GET", "/notifikasi", get("/notifikasi"), 303, 200, 200, 200, 200, 200, 200)
row("POST", "/notifikasi/dibaca", post("/notifikasi/dibaca", {"sampai": "1"}),
    303, 303, 303, 303, 303, 303, 303, note="marks the actor's own notifications read")
row("GET", "/lacak", get("/lacak"), 200, 200, 200, 200, 200, 200, 200)

# Complaints (test_pengaduan_public.py has them in depth): filing is open to anyone (an empty form
# comes back 422), the public list and a published demo complaint are public, support needs a
# sign-in (after it: back to the complaint), "Pengaduan saya" needs one.


def published_complaint(w):
    """A published demo complaint (grouped number) and one without photos."""
    t = w.server.sql("SELECT tracking FROM complaint WHERE published = 1 ORDER BY created_ms LIMIT 1")[0][0]
    w.vars["cmp"] = "%s-%s-%s-%s" % (t[0], t[1:5], t[5:9], t[9])


row("GET", "/pengaduan", get("/pengaduan"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/pengaduan/baru", get("/pengaduan/baru"), 200, 200, 200, 200, 200, 200, 200)
row("POST", "/pengaduan/baru", post("/pengaduan/baru", {"judul": ""}, files={"foto": PDF}),
    422, 422, 422, 422, 422, 422, 422, note="an empty form: refused with messages, for anyone")
row("GET", "/pengaduan/saya", get("/pengaduan/saya"), 303, 200, 200, 200, 200, 200, 200)
row("GET", "/pengaduan/{nomor}", get("/pengaduan/{cmp}", setup=published_complaint),
    200, 200, 200, 200, 200, 200, 200, note="a published demo complaint")
row("POST", "/pengaduan/{nomor}/dukung", post("/pengaduan/{cmp}/dukung"),
    303, 303, 303, 303, 303, 303, 303, note="anonymous: to /masuk; signed in: counted, back to the page")
row("GET", "/pengaduan/{nomor}/foto/{n}", get("/pengaduan/{cmp}/foto/1"),
    404, 404, 404, 404, 404, 404, 404, note="the demo complaints carry no photos")

# Complaint handling (test_pengaduan_handle.py has it in depth): a new complaint of Y's
# (disdukcapil, filed by a visitor) is seen and worked only by case staff over Y: Y's officer sees
# it, may not do the coordinator's steps (403), finds the unit's steps not yet open (409: it is not
# disposed) and is refused an empty public copy (422); X's officer, the administrator (no case
# role) and the auditor get 404; citizens never see /kantor/ pages. The reporter's steps answer
# 404 to everyone who is neither the reporter account nor holds the follow-up token.
def y_complaint(w):
    if "y_cmp" in w.vars:
        return
    import test_pengaduan_handle as h
    w.vars["y_cmp"], w.vars["y_cmp_nomor"], _ = h.file_complaint(
        w.server, w.server.client(), kategori="layanan-adminduk", desa="desa-cibening")


def y_cmp_version(w, actor):
    return str(w.server.sql("SELECT version FROM complaint WHERE id = ?", (w.vars["y_cmp"],))[0][0])


row("GET", "/kantor/pengaduan", get("/kantor/pengaduan"), 303, 404, 404, 200, 200, 404, 404)
row("GET", "/kantor/pengaduan/{id}", get("/kantor/pengaduan/{y_cmp}", setup=y_complaint),
    303, 404, 404, 404, 200, 404, 404, note="Y's new complaint")
row("GET", "/kantor/pengaduan/{id}/foto/{n}", get("/kantor/pengaduan/{y_cmp}/foto/1"),
    303, 404, 404, 404, 404, 404, 404, note="Y's complaint has no photo")
row("POST", "/kantor/pengaduan/{id}/disposisi",
    post("/kantor/pengaduan/{y_cmp}/disposisi", {"versi": y_cmp_version, "unit": "dinkes"}),
    303, 404, 404, 404, 403, 404, 404, note="no coordinator here")
row("POST", "/kantor/pengaduan/{id}/minta-info",
    post("/kantor/pengaduan/{y_cmp}/minta-info", {"versi": y_cmp_version, "pertanyaan": "Di mana?"}),
    303, 404, 404, 404, 403, 404, 404, note="no coordinator here")
row("POST", "/kantor/pengaduan/{id}/luar-wewenang",
    post("/kantor/pengaduan/{y_cmp}/luar-wewenang", {"versi": y_cmp_version, "alasan": "Bukan urusan daerah."}),
    303, 404, 404, 404, 403, 404, 404, note="no coordinator here")
row("POST", "/kantor/pengaduan/{id}/gabung",
    post("/kantor/pengaduan/{y_cmp}/gabung", {"versi": y_cmp_version, "nomor": "{y_cmp_nomor}"}),
    303, 404, 404, 404, 403, 404, 404, note="no coordinator here")
row("POST", "/kantor/pengaduan/{id}/alihkan",
    post("/kantor/pengaduan/{y_cmp}/alihkan", {"versi": y_cmp_version, "unit": "dinkes", "alasan": "Bukan wewenang."}),
    303, 404, 404, 404, 409, 404, 404, note="not disposed yet")
row("POST", "/kantor/pengaduan/{id}/jawab",
    post("/kantor/pengaduan/{y_cmp}/jawab", {"versi": y_cmp_version, "jawaban": "Sudah ditangani."}),
    303, 404, 404, 404, 409, 404, 404, note="not disposed yet")
row("POST", "/kantor/pengaduan/{id}/periksa-publik",
    post("/kantor/pengaduan/{y_cmp}/periksa-publik", {"versi": y_cmp_version, "judul": "", "isi": ""}),
    303, 404, 404, 404, 422, 404, 404, note="an empty public copy")
row("POST", "/pengaduan/{nomor}/selesai", post("/pengaduan/{y_cmp_nomor}/selesai", setup=y_complaint),
    404, 404, 404, 404, 404, 404, 404, note="nobody here is its reporter")
row("POST", "/pengaduan/{nomor}/buka-kembali", post("/pengaduan/{y_cmp_nomor}/buka-kembali", {"alasan": "Belum."}),
    404, 404, 404, 404, 404, 404, 404, note="nobody here is its reporter")
row("GET", "/pengaduan/{nomor}/lengkapi", get("/pengaduan/{y_cmp_nomor}/lengkapi"),
    404, 404, 404, 404, 404, 404, 404, note="nobody here is its reporter")
row("POST", "/pengaduan/{nomor}/lengkapi", post("/pengaduan/{y_cmp_nomor}/lengkapi", {"keterangan": "Ini."}),
    404, 404, 404, 404, 404, 404, 404, note="nobody here is its reporter")
row("GET", "/lacak/{nomor}", get("/lacak/{x_tracking}"), 200, 200, 200, 200, 200, 200, 200, note="X's application")

# Information requests (test_informasi.py has them in depth): the service page and the register
# are public; filing needs a citizen with a verified email (A and B are unverified: 403; staff
# accounts file nothing: 404); a demo request belongs to neither A nor B (404 to everyone signed
# in); the back office is for the PPID of the unit and the superior (nobody here: 404).
def demo_inforeq(w):
    if "irq" in w.vars:
        return
    i, t = w.server.sql("SELECT id, tracking FROM inforeq ORDER BY id LIMIT 1")[0]
    w.vars["irq"], w.vars["irq_nomor"] = i, "%s-%s-%s-%s" % (t[0], t[1:5], t[5:9], t[9])


def irq_version(w, actor):
    return str(w.server.sql("SELECT version FROM inforeq WHERE id = ?", (w.vars["irq"],))[0][0])


row("GET", "/informasi", get("/informasi"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/informasi/register", get("/informasi/register"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/informasi/ajukan", get("/informasi/ajukan"), 303, 200, 200, 200, 200, 200, 200)
row("POST", "/informasi/ajukan", post("/informasi/ajukan", {"unit": ""}),
    303, 403, 403, 404, 404, 404, 404, note="citizens unverified; staff file nothing")
row("GET", "/informasi/saya", get("/informasi/saya"), 303, 200, 200, 200, 200, 200, 200)
row("GET", "/informasi/saya/{nomor}", get("/informasi/saya/{irq_nomor}", setup=demo_inforeq),
    303, 404, 404, 404, 404, 404, 404, note="a demo citizen's request")
row("POST", "/informasi/saya/{nomor}/keberatan",
    post("/informasi/saya/{irq_nomor}/keberatan", {"alasan_c": "1", "uraian": "x"}, setup=demo_inforeq),
    303, 404, 404, 404, 404, 404, 404, note="not the requester")
row("GET", "/informasi/saya/{nomor}/berkas/{n}", get("/informasi/saya/{irq_nomor}/berkas/1", setup=demo_inforeq),
    303, 404, 404, 404, 404, 404, 404, note="not the requester")
row("GET", "/kantor/informasi", get("/kantor/informasi"), 303, 404, 404, 404, 404, 404, 404,
    note="no PPID role here")
row("GET", "/kantor/informasi/{id}", get("/kantor/informasi/{irq}", setup=demo_inforeq),
    303, 404, 404, 404, 404, 404, 404)
row("GET", "/kantor/informasi/{id}/berkas/{n}", get("/kantor/informasi/{irq}/berkas/1", setup=demo_inforeq),
    303, 404, 404, 404, 404, 404, 404)
row("POST", "/kantor/informasi/{id}/perpanjang",
    post("/kantor/informasi/{irq}/perpanjang", {"versi": irq_version, "hari": "2", "alasan": "x"}, setup=demo_inforeq),
    303, 404, 404, 404, 404, 404, 404)
row("POST", "/kantor/informasi/{id}/jawab",
    post("/kantor/informasi/{irq}/jawab", {"versi": irq_version, "hasil": "granted", "jawaban": "x"},
         files={"berkas": PDF}, setup=demo_inforeq),
    303, 404, 404, 404, 404, 404, 404)
row("POST", "/kantor/informasi/{id}/keberatan",
    post("/kantor/informasi/{irq}/keberatan", {"versi": irq_version, "putusan": "upheld", "tanggapan": "x"},
         setup=demo_inforeq),
    303, 404, 404, 404, 404, 404, 404)
# Petitions (test_petisi.py has them in depth): the list, a public petition, the figures and the
# API are public; starting one needs a citizen with a verified email (A and B are not: 403; staff
# start nothing: 404); signing needs a citizen holding a NIK (A: signs; B has none: 403; staff:
# 403); the back office shows the queue to staff, and moderation and the answer only to the
# unit's moderators and staff (nobody here works the demo petition's unit: 404); the threshold is
# the administrator's (others 404; an empty threshold is refused after the access check: 422).
def demo_petition(w):
    if "pet" not in w.vars:
        w.vars["pet"] = w.server.sql("SELECT p.id FROM petition p JOIN unit u ON u.id = p.unit_id "
                                     "WHERE u.slug = 'dlh' LIMIT 1")[0][0]


def pet_version(w, actor):
    return str(w.server.sql("SELECT version FROM petition WHERE id = ?", (w.vars["pet"],))[0][0])


row("GET", "/petisi", get("/petisi"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/petisi/statistik", get("/petisi/statistik"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/petisi/baru", get("/petisi/baru"), 303, 200, 200, 200, 200, 200, 200)
row("POST", "/petisi/baru", post("/petisi/baru", {"unit": ""}),
    303, 403, 403, 404, 404, 404, 404, note="citizens unverified; staff start nothing")
row("GET", "/petisi/{id}", get("/petisi/{pet}", setup=demo_petition), 200, 200, 200, 200, 200, 200, 200)
row("POST", "/petisi/{id}/tandatangani", post("/petisi/{pet}/tandatangani", setup=demo_petition),
    303, 303, 403, 403, 403, 403, 403, note="A holds a NIK, B none; staff do not sign")
row("GET", "/kantor/petisi", get("/kantor/petisi"), 303, 404, 404, 200, 200, 200, 200)
row("GET", "/kantor/petisi/ambang", get("/kantor/petisi/ambang"), 303, 404, 404, 200, 200, 200, 200)
row("POST", "/kantor/petisi/ambang", post("/kantor/petisi/ambang", {"unit": "sukamaju", "ambang": "", "hari": ""}),
    303, 404, 404, 404, 404, 422, 404, note="an empty threshold: refused after the access check")
row("GET", "/kantor/petisi/{id}", get("/kantor/petisi/{pet}", setup=demo_petition),
    303, 404, 404, 200, 200, 200, 200, note="public petition: staff read it")
row("POST", "/kantor/petisi/{id}/periksa",
    post("/kantor/petisi/{pet}/periksa", {"versi": pet_version, "keputusan": "setujui"}, setup=demo_petition),
    303, 404, 404, 404, 404, 404, 404, note="approved already; nobody here moderates")
row("POST", "/kantor/petisi/{id}/jawab",
    post("/kantor/petisi/{pet}/jawab", {"versi": pet_version, "jawaban": "x"}, setup=demo_petition),
    303, 404, 404, 404, 404, 404, 404, note="nobody here works the unit")
row("GET", "/api/v1/petitions", get("/api/v1/petitions"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/api/v1/petitions/{id}", get("/api/v1/petitions/{pet}", setup=demo_petition),
    200, 200, 200, 200, 200, 200, 200)
# Musrenbang (test_musrenbang.py has it in depth): rounds, proposals and the API are public; the
# demo's Desa Cibening round is voting (no proposals: 409; a ballot from A, whose NIK is of
# another district, from B without a NIK and from staff: 403); the back office lists rounds to
# staff; Desa Mekarsari's round (X, ranked) is worked by X's officer (verification closed: 409)
# and configured by the administrator (a stale version and a village round's hand-over: 409).
def demo_mus(w):
    if "mus_x" in w.vars:
        return
    q = ("SELECT r.id, (SELECT p.id FROM musrenbang_proposal p WHERE p.round_id = r.id ORDER BY p.id "
         "LIMIT 1) FROM musrenbang_round r JOIN unit u ON u.id = r.unit_id WHERE u.slug = ?")
    w.vars["mus_x"], w.vars["mus_xp"] = w.server.sql(q, ("desa-mekarsari",))[0]
    w.vars["mus_v"], w.vars["mus_vp"] = w.server.sql(q, ("desa-cibening",))[0]


def mus_round_x(w, actor):
    return w.vars["mus_x"]


def mus_vp(w, actor):
    return w.vars["mus_vp"]


row("GET", "/partisipasi/musrenbang", get("/partisipasi/musrenbang"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/partisipasi/musrenbang/usulan/{id}", get("/partisipasi/musrenbang/usulan/{mus_xp}", setup=demo_mus),
    200, 200, 200, 200, 200, 200, 200)
row("GET", "/partisipasi/musrenbang/usulan/{id}/foto/{n}",
    get("/partisipasi/musrenbang/usulan/{mus_xp}/foto/1", setup=demo_mus),
    404, 404, 404, 404, 404, 404, 404, note="the demo's proposals have no photo")
row("GET", "/partisipasi/musrenbang/{id}", get("/partisipasi/musrenbang/{mus_v}", setup=demo_mus),
    200, 200, 200, 200, 200, 200, 200)
row("GET", "/partisipasi/musrenbang/{id}/usul", get("/partisipasi/musrenbang/{mus_v}/usul", setup=demo_mus),
    303, 409, 409, 409, 409, 409, 409, note="voting, not taking proposals")
row("POST", "/partisipasi/musrenbang/{id}/usul",
    post("/partisipasi/musrenbang/{mus_v}/usul", {"judul": "x"}, files={}, setup=demo_mus),
    303, 409, 409, 409, 409, 409, 409, note="voting, not taking proposals")
row("POST", "/partisipasi/musrenbang/{id}/pilih",
    post("/partisipasi/musrenbang/{mus_v}/pilih", {"usulan": mus_vp}, setup=demo_mus),
    303, 403, 403, 403, 403, 403, 403, note="A's NIK is of another district; B has none; staff")
row("GET", "/kantor/musrenbang", get("/kantor/musrenbang"), 303, 404, 404, 200, 200, 200, 200)
row("POST", "/kantor/musrenbang", post("/kantor/musrenbang", {"unit": ""}),
    303, 404, 404, 422, 422, 422, 422, note="an empty form: refused after the staff check")
row("GET", "/kantor/musrenbang/{id}", get("/kantor/musrenbang/{mus_x}", setup=demo_mus),
    303, 404, 404, 200, 404, 200, 404)
row("POST", "/kantor/musrenbang/{id}/tahap",
    post("/kantor/musrenbang/{mus_x}/tahap", {"versi": "999"}, setup=demo_mus),
    303, 404, 404, 404, 404, 409, 404, note="a stale version")
row("POST", "/kantor/musrenbang/{id}/bawa-naik", post("/kantor/musrenbang/{mus_x}/bawa-naik", setup=demo_mus),
    303, 404, 404, 404, 404, 409, 404, note="a village round takes nothing from below")
row("POST", "/kantor/musrenbang/usulan/{id}/verifikasi",
    post("/kantor/musrenbang/usulan/{mus_xp}/verifikasi", {"musrenbang": mus_round_x, "layak": "ya"},
         setup=demo_mus),
    303, 404, 404, 409, 404, 404, 404, note="ranked: verification closed")
row("POST", "/kantor/musrenbang/usulan/{id}/kemajuan",
    post("/kantor/musrenbang/usulan/{mus_xp}/kemajuan", {"musrenbang": mus_round_x, "tahap": "planned"},
         files={}, setup=demo_mus),
    303, 404, 404, 409, 404, 404, 404, note="ranked, not yet results")
row("GET", "/api/v1/musrenbang/rounds", get("/api/v1/musrenbang/rounds"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/api/v1/musrenbang/rounds/{id}", get("/api/v1/musrenbang/rounds/{mus_x}", setup=demo_mus),
    200, 200, 200, 200, 200, 200, 200)
# The public figures, search and similar complaints are public; category administration is for
# administrators of the category's unit subtree (404 for everyone else); refused forms: 422/400.
row("GET", "/pengaduan/statistik", get("/pengaduan/statistik"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/pengaduan/statistik.csv", get("/pengaduan/statistik.csv"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/dasbor", get("/dasbor"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/dasbor/{file}", get("/dasbor/layanan.csv"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/kantor/dasbor", get("/kantor/dasbor"), 303, 404, 404, 200, 200, 200, 200)
row("GET", "/kantor/dasbor/digitalisasi", get("/kantor/dasbor/digitalisasi"), 303, 404, 404, 404, 404, 200, 404)
row("GET", "/kantor/dasbor/{file}", get("/kantor/dasbor/tren.csv"), 303, 404, 404, 200, 200, 200, 200)
row("GET", "/pengaduan/serupa.json", get("/pengaduan/serupa.json?kategori=sampah&desa=" + X),
    200, 200, 200, 200, 200, 200, 200)
row("GET", "/admin/pengaduan/kategori", get("/admin/pengaduan/kategori"), 303, 404, 404, 404, 404, 200, 404)
row("GET", "/admin/pengaduan/kategori/baru", get("/admin/pengaduan/kategori/baru"),
    303, 404, 404, 404, 404, 200, 404)
row("POST", "/admin/pengaduan/kategori/baru", post("/admin/pengaduan/kategori/baru", {"code": "uji", "name": ""}),
    303, 404, 404, 404, 404, 422, 404, note="an empty name: refused after the access check")
row("GET", "/admin/pengaduan/kategori/{kode}", get("/admin/pengaduan/kategori/sampah"),
    303, 404, 404, 404, 404, 200, 404)
row("POST", "/admin/pengaduan/kategori/{kode}",
    post("/admin/pengaduan/kategori/sampah", {"versi": "1", "name": "", "unit": "dlh", "days": "5"}),
    303, 404, 404, 404, 404, 422, 404, note="an empty name: refused after the access check")
row("POST", "/admin/pengaduan/kategori/{kode}/aktif",
    post("/admin/pengaduan/kategori/sampah/aktif", {"versi": "1", "aktif": "x"}),
    303, 404, 404, 404, 404, 400, 404, note="a malformed choice: refused after the access check")

# Public consultations (test_konsultasi.py has them in depth): public pages and API for everyone;
# commenting needs a citizen (staff 403; an invalid comment 422); reporting needs a sign-in; the
# back office is for moderators of the unit's subtree; administrators of the subtree see it but
# may not act (403; an empty new-consultation form is refused first, 422).
def demo_consult(w):
    if "cs" in w.vars:
        return
    w.vars["cs_slug"] = "raperbup-pengelolaan-sampah"
    w.vars["cs"] = w.server.sql("SELECT id FROM consultation WHERE slug = ?", (w.vars["cs_slug"],))[0][0]
    w.vars["cs_comment"] = w.server.sql("SELECT id FROM consult_comment WHERE consultation_id = ? "
                                        "ORDER BY id LIMIT 1", (w.vars["cs"],))[0][0]


row("GET", "/partisipasi", get("/partisipasi"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/partisipasi/konsultasi", get("/partisipasi/konsultasi"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/partisipasi/konsultasi/{slug}", get("/partisipasi/konsultasi/{cs_slug}", setup=demo_consult),
    200, 200, 200, 200, 200, 200, 200)
row("POST", "/partisipasi/konsultasi/{slug}/komentar",
    post("/partisipasi/konsultasi/{cs_slug}/komentar", {"komentar": ""}, setup=demo_consult),
    303, 422, 422, 403, 403, 403, 403, note="no stance, no text; staff do not comment")
row("POST", "/partisipasi/konsultasi/{slug}/komentar/{id}/laporkan",
    post("/partisipasi/konsultasi/{cs_slug}/komentar/{cs_comment}/laporkan", setup=demo_consult),
    303, 303, 303, 303, 303, 303, 303, note="counted once per account")
row("GET", "/kantor/konsultasi", get("/kantor/konsultasi"), 303, 404, 404, 404, 404, 200, 404)
row("POST", "/kantor/konsultasi", post("/kantor/konsultasi", {"unit": "", "slug": ""}),
    303, 404, 404, 404, 404, 422, 404, note="an empty form: refused after the access check")
row("GET", "/kantor/konsultasi/{id}", get("/kantor/konsultasi/{cs}", setup=demo_consult),
    303, 404, 404, 404, 404, 200, 404)
row("POST", "/kantor/konsultasi/{id}/versi",
    post("/kantor/konsultasi/{cs}/versi", {"versi": "1", "naskah": "", "catatan": ""}, setup=demo_consult),
    303, 404, 404, 404, 404, 403, 404, note="administrators see, moderators act")
row("POST", "/kantor/konsultasi/{id}/komentar/{cid}/moderasi",
    post("/kantor/konsultasi/{cs}/komentar/{cs_comment}/moderasi", {"aksi": "pulihkan", "alasan": ""},
         setup=demo_consult),
    303, 404, 404, 404, 404, 403, 404, note="administrators see, moderators act")
row("POST", "/kantor/konsultasi/{id}/tindak-lanjut",
    post("/kantor/konsultasi/{cs}/tindak-lanjut", {"perubahan": ""}, setup=demo_consult),
    303, 404, 404, 404, 404, 403, 404, note="administrators see, moderators act")
row("GET", "/api/v1/consultations", get("/api/v1/consultations"), 200, 200, 200, 200, 200, 200, 200)
row("GET", "/api/v1/consultations/{slug}", get("/api/v1/consultations/{cs_slug}", setup=demo_consult),
    200, 200, 200, 200, 200, 200, 200)

# Paths that exist with another method: 405 for everyone (after CSRF for unsafe methods).
EXTRA = []
EXTRA.append(("GET", "/keluar", get("/keluar"), (405,) * 7, "GET of a POST-only path"))
EXTRA.append(("POST", "/kantor/audit", post("/kantor/audit"), (405,) * 7, "POST of a GET-only path"))


# --- the route table -----------------------------------------------------------------------------

ROUTE_RE = re.compile(r'\{\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*,\s*(\w+)\s*,\s*(PD_IF_\w+)\s*,\s*([^,]+),')


def route_table():
    """(method, pattern, iface, needs sign-in) of every route in src/http/routes.c."""
    with open(os.path.join(lib.ROOT, "src", "http", "routes.c")) as f:
        text = f.read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    start = text.index("pd_routes[] = {")
    body = text[start:text.index("};", start)]
    routes = [(m.group(1), m.group(2), m.group(4), "PD_RF_AUTH" in m.group(5))
              for m in ROUTE_RE.finditer(body)]
    assert len(routes) >= 20, "could not parse the route table: %d routes" % len(routes)
    return routes


def pattern_matches(pattern, path):
    rx = "^" + re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(pattern)) + "$"
    return re.match(rx, path) is not None


# --- the world: one server, the seven actors, A's and X's objects -----------------------------------

class World:
    def __init__(self, ctx):
        self.server, self.smtp = smtp_server(ctx)
        s = self.server
        rows = [line.split("\t") for line in
                open(os.path.join(s.data, "demo-accounts.txt")).read().splitlines()[1:]]

        def demo(role, unit):
            r = next(r for r in rows if r[0] == role and r[1] == unit)
            return (r[2], r[3])

        self.creds = {
            "A": ("warga.a@contoh.id", STRONG),
            "B": ("warga.b@contoh.id", STRONG),
            "offX": demo("officer", X),
            "offY": demo("officer", Y),
            "admin": demo("administrator", "sukamaju"),
            "auditor": demo("auditor", "inspektorat"),
        }
        reg = s.client()
        assert register(reg, self.creds["A"][0], name="Warga A", village=X, nik=NIK).status == 303
        assert register(s.client(), self.creds["B"][0], name="Warga B").status == 303
        self.clients = {"anon": s.client()}
        for actor in ACTORS[1:]:
            self.clients[actor] = self.signed_in(actor)
        self.csrf_cache = {}
        self.vars = {"X": X, "Y": Y, "nik_a": NIK, "a_email": self.creds["A"][0]}
        # A's password-reset link, through the real mail path.
        c = s.client()
        page = c.get("/lupa-sandi")
        assert c.post_form("/lupa-sandi", {"csrf": c.csrf_from(page.text),
                                           "email": self.creds["A"][0]}).status == 303
        deadline = time.time() + 20
        reset = []
        while not reset and time.time() < deadline:
            reset = [m for m in mail_to(self.smtp.messages(), self.creds["A"][0])
                     if b"atur-ulang-sandi" in m]
            time.sleep(0.05)
        assert reset, "no reset mail"
        self.vars["a_reset"] = local(link_in(reset[-1], "/atur-ulang-sandi")).split("token=", 1)[1]

    def signed_in(self, actor):
        c = self.server.client()
        r = signin(c, *self.creds[actor])
        assert r.status == 303, (actor, r)
        return c

    def client_for(self, actor, session):
        main = self.clients[actor]
        if session == "main":
            return main
        if session == "fresh":
            return self.server.client() if actor == "anon" else self.signed_in(actor)
        clone = self.server.client()
        clone.cookies = dict(main.cookies)
        return clone

    def csrf(self, client):
        """A CSRF token of the client's session (or pre-session cookie), from a page with a form."""
        key = (id(client), tuple(sorted(client.cookies.items())))
        if key not in self.csrf_cache:
            page = client.get("/akun")
            if page.status != 200:
                page = client.get("/masuk")
            token = client.csrf_from(page.text)
            assert token, "no CSRF token on %r" % page
            key = (id(client), tuple(sorted(client.cookies.items())))
            self.csrf_cache[key] = token
        return self.csrf_cache[key]

    def fill(self, value, actor):
        if callable(value):
            return value(self, actor)
        return value.format(**self.vars)


def multipart(fields, files):
    boundary = "pd" + uuid.uuid4().hex
    out = []
    for k, v in fields.items():
        out.append("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v))
    body = "".join(out).encode()
    for name, (filename, ctype, data) in files.items():
        body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                 "Content-Type: %s\r\n\r\n" % (boundary, name, filename, ctype)).encode() + data + b"\r\n"
    body += ("--%s--\r\n" % boundary).encode()
    return body, "multipart/form-data; boundary=" + boundary


def send(w, method, req, actor):
    c = w.client_for(actor, req.session)
    path = w.fill(req.path, actor)
    if method == "GET":
        return c.get(path).status
    fields = {"csrf": w.csrf(c)}
    for k, v in (req.fields or {}).items():
        fields[k] = w.fill(v, actor)
    if req.files:
        body, ctype = multipart(fields, req.files)
        return c.request(method, path, body=body, headers={"Content-Type": ctype}).status
    return c.post_form(path, fields).status


# --- the test ---------------------------------------------------------------------------------------

def table_problems(routes, rows):
    """Routes without a row, rows without a route, and rows that contradict the route's flags."""
    problems = []
    keys = {(m, p) for m, p, _, _ in routes}
    covered = {(m, p) for m, p, _, _, _ in rows}
    for m, p, iface, auth in routes:
        if (m, p) not in covered:
            problems.append("route without a row: %s %s" % (m, p))
    for m, p, req, expect, _ in rows:
        if (m, p) not in keys:
            problems.append("row for a route that is not in routes.c: %s %s" % (m, p))
            continue
        auth = next(a for mm, pp, _, a in routes if (mm, pp) == (m, p))
        iface = next(i for mm, pp, i, _ in routes if (mm, pp) == (m, p))
        if auth and expect[0] != (401 if iface == "PD_IF_API" else 303):
            problems.append("%s %s needs sign-in (PD_RF_AUTH) but anonymous expects %d" % (m, p, expect[0]))
    return problems


def format_table(results):
    width = max(len("%s %s %s" % (m, p, n)) for m, p, _, _, n, _ in results) + 2
    lines = ["%-*s" % (width, "route") + "".join("%-10s" % a for a in ACTORS)]
    for m, p, req, expect, note, got in results:
        name = "%s %s" % (m, p) + (" [%s]" % note if note else "")
        cells = []
        for e, g in zip(expect, got):
            cells.append("%-10s" % (str(g) if g == e else "%s!=%s" % (g, e)))
        lines.append("%-*s" % (width, name) + "".join(cells))
    return "\n".join(lines)


def test_access_matrix(ctx):
    routes = route_table()
    problems = table_problems(routes, R)
    w = World(ctx)
    results, mismatches = [], 0
    for m, p, req, expect, note in R + EXTRA:
        if req.setup:
            req.setup(w)
        path = w.fill(req.path, "anon").split("?")[0]
        if (m, p) in {(mm, pp) for mm, pp, _, _ in routes} and not pattern_matches(p, path):
            problems.append("row %s %s sends to another path: %s" % (m, p, path))
        got = {}
        for actor in RUN_ORDER:
            got[actor] = send(w, m, req, actor)
        got = tuple(got[a] for a in ACTORS)
        mismatches += sum(1 for e, g in zip(expect, got) if e != g)
        results.append((m, p, req, expect, note, got))
    if problems or mismatches:
        raise AssertionError("access matrix: %d cells differ (shown as got!=expected)%s\n%s" % (
            mismatches, "".join("\n" + x for x in problems), format_table(results)))
