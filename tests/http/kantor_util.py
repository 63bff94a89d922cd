"""Helpers of the back-office tests (test_kantor_permohonan.py, test_access_matrix.py): demo
accounts, answers that fill any service form (read from the database, so demo forms may change),
multipart bodies, assisted filing by an officer, and reading the back-office pages."""
import html
import json
import re
import uuid

from identity_util import signin

# A Sukamaju NIK (32.19.01, a woman born 17-08-1990), the same as identity_util's.
NIK_WARGA = "3219015708900001"
PDF = ("berkas.pdf", "application/pdf",
       b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def demo_creds(s, role, unit=None):
    rows = [line.split("\t") for line in open(s.data + "/demo-accounts.txt").read().splitlines()[1:]]
    r = next(r for r in rows if r[0] == role and (unit is None or r[1] == unit))
    return r[2], r[3]


def demo_client(s, role, unit=None):
    c = s.client()
    r = signin(c, *demo_creds(s, role, unit))
    assert r.status == 303, (role, unit, r)
    return c


def form_fields(s, slug):
    """The newest form version's fields of the service with this slug ([] when it has none)."""
    rows = s.sql("SELECT f.fields_json FROM service_form f JOIN service sv ON sv.id = f.service_id "
                 "WHERE sv.slug = ? ORDER BY f.version DESC LIMIT 1", (slug,))
    return json.loads(rows[0][0]) if rows else []


def answers(fields, village="desa-mekarsari", nik=NIK_WARGA, skip_files=False):
    """Valid raw values and files for every field: (list of (name, value), {name: file})."""
    values, files = [], {}
    for f in fields:
        k, t = f["key"], f["type"]
        opts = f.get("options") or []
        if t == "text":
            values.append((k, "Uji %s" % k[:20]))
        elif t == "longtext":
            values.append((k, "Uraian untuk uji %s." % k))
        elif t == "number":
            values.append((k, "2"))
        elif t == "date":
            values.append((k, "2020-01-15"))
        elif t in ("choice", "multi"):
            values.append((k, opts[0]))
        elif t == "yesno":
            values.append((k, "ya"))
        elif t == "nik":
            values.append((k, nik))
        elif t == "phone":
            values.append((k, "081234567890"))
        elif t == "email":
            values.append((k, "uji@contoh.id"))
        elif t == "address":
            values.append((k + ".desa", village))
            values.append((k + ".jalan", "Jl. Melati No. 1, RT 01/RW 02"))
        elif t == "file" and not skip_files:
            files[k] = PDF
    return values, files


def multipart(fields, files):
    """fields: a list of (name, value) or a dict; files: {name: (filename, type, bytes)}."""
    boundary = "pd" + uuid.uuid4().hex
    items = fields.items() if isinstance(fields, dict) else fields
    body = b""
    for k, v in items:
        body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                 % (boundary, k, v)).encode()
    for name, (filename, ctype, data) in files.items():
        body += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                 "Content-Type: %s\r\n\r\n" % (boundary, name, filename, ctype)).encode() + data + b"\r\n"
    body += ("--%s--\r\n" % boundary).encode()
    return body, "multipart/form-data; boundary=" + boundary


def post_multipart(c, path, fields, files):
    body, ctype = multipart(fields, files)
    return c.request("POST", path, body=body, headers={"Content-Type": ctype})


def csrf(c, path="/akun"):
    page = c.get(path)
    assert page.status == 200, (path, page)
    token = c.csrf_from(page.text)
    assert token, path
    return token


def file_assisted(s, c, slug, nik=NIK_WARGA, name="Siti Warga", village="desa-mekarsari"):
    """An officer files an assisted application; returns (application id, grouped tracking)."""
    page = c.get("/kantor/layanan/%s/ajukan" % slug)
    assert page.status == 200, page
    values, files = answers(form_fields(s, slug), village=village, nik=nik)
    fields = [("csrf", c.csrf_from(page.text)), ("_nik", nik), ("_nama", name),
              ("_persetujuan", "ya")] + values
    r = post_multipart(c, "/kantor/layanan/%s/ajukan" % slug, fields, files)
    assert r.status == 303, (r.status, re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text))
    loc = r.header("Location")
    m = re.search(r"nomor=([A-Z0-9-]+)", loc)
    assert m, loc
    tracking = m.group(1)
    compact = tracking.replace("-", "")
    rows = s.sql("SELECT id FROM application WHERE tracking = ?", (compact,))
    assert rows, tracking
    return rows[0][0], tracking


def citizen_with_nik(s, email, nik, name="Siti Warga"):
    """A signed-in citizen whose account holds nik (registered at /daftar) and whose email counts
    as verified: one who may attach an assisted application filed for that NIK."""
    from identity_util import STRONG, register
    assert register(s.client(), email, name=name, nik=nik).status == 303
    rows = s.sql("SELECT id FROM account WHERE kind = 'citizen' AND email_verified_ms IS NULL "
                 "ORDER BY created_ms DESC, id DESC LIMIT 1")
    s.sql("UPDATE account SET email_verified_ms = 1 WHERE id = ?", (rows[0][0],))
    c = s.client()
    assert signin(c, email, STRONG).status == 303
    return c


def version_of(s, app_id):
    return s.sql("SELECT version FROM application WHERE id = ?", (app_id,))[0][0]


def status_of(s, app_id):
    return s.sql("SELECT status FROM application WHERE id = ?", (app_id,))[0][0]


def detail(c, app_id):
    r = c.get("/kantor/permohonan/%s" % app_id)
    assert r.status == 200, r
    return r.text


def hidden(page, action, name):
    """The value of hidden field name in the form posting to action (a path suffix)."""
    m = re.search(r'<form method="post" action="[^"]*/%s"[^>]*>(.*?)</form>' % re.escape(action), page, re.S)
    assert m, "no form %s" % action
    v = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), m.group(1))
    assert v, (action, name)
    return html.unescape(v.group(1))


def step(c, app_id, action, fields=None, page=None):
    """Posts a step from the application's page (its CSRF token and version)."""
    page = page or detail(c, app_id)
    f = {"csrf": c.csrf_from(page), "versi": hidden(page, action, "versi")}
    f.update(fields or {})
    return c.post_form("/kantor/permohonan/%s/%s" % (app_id, action), f)


def due_date(page):
    m = re.search(r'id="tenggat"><time datetime="(\d{4}-\d{2}-\d{2})"', page)
    assert m, "no due date"
    return m.group(1)


def timeline_kinds(page):
    return re.findall(r'<li data-kind="([a-z_]+)">', page)


def file_ids(page, app_id):
    return re.findall(r'/kantor/permohonan/%s/berkas/(%s)' % (app_id, UUID_RE), page)


def account_id(s, email):
    rows = s.cli("user", "list").stdout.splitlines()
    header = rows[0].split("\t")
    for line in rows[1:]:
        cols = dict(zip(header, line.split("\t")))
        if cols.get("email") == email:
            return cols.get("id")
    raise AssertionError("no account %s" % email)


def citizen_apply(s, c, slug, village="desa-mekarsari"):
    """A signed-in citizen applies through /layanan/{slug}/ajukan; returns the application id."""
    page = c.get("/layanan/%s/ajukan" % slug)
    assert page.status == 200, page
    values, files = answers(form_fields(s, slug), village=village)
    fields = [("csrf", c.csrf_from(page.text)), ("aksi", "kirim")] + values
    r = post_multipart(c, "/layanan/%s/ajukan" % slug, fields, files)
    assert r.status == 303, (r.status, re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text))
    m = re.search(r"/permohonan/(%s)" % UUID_RE, r.header("Location"))
    assert m, r.header("Location")
    return m.group(1)


def citizen_correct(s, c, app_id, slug):
    """The citizen corrects a returned application and sends it again (/permohonan/{id}/perbaiki)."""
    page = c.get("/permohonan/%s/perbaiki" % app_id)
    assert page.status == 200, page
    values, files = answers(form_fields(s, slug))
    v = re.search(r'name="versi" value="(\d+)"', page.text).group(1)
    fields = [("csrf", c.csrf_from(page.text)), ("versi", v), ("aksi", "kirim")] + values
    return post_multipart(c, "/permohonan/%s/perbaiki" % app_id, fields, files)
