"""Administration of services (/admin/layanan…): an administrator creates a service with every
Standar Pelayanan field and builds its application form with a field of every type, each change
a new form version while the earlier versions stay stored unchanged; disabling hides the service
from the public catalogue; invalid input is answered 422 with the message beside its field; a
stale form is refused 409; an administrator of another subtree, officers and citizens do not see
the pages; the Maklumat Pelayanan of a unit is edited and shown on its unit and service pages."""
import json
import os
import re

from identity_util import STRONG, signin

TYPES = [  # (key, type, extra fields)
    ("nama_pemohon", "text", {"required": "1", "max_len": "100"}),
    ("keperluan", "longtext", {}),
    ("jumlah_salinan", "number", {}),
    ("tanggal_lahir", "date", {"required": "1"}),
    ("jenis_kelamin", "choice", {"options": "Laki-laki\nPerempuan"}),
    ("bantuan", "multi", {"options": "Kursi roda\r\nJuru bahasa isyarat\n\n"}),
    ("sudah_menikah", "yesno", {}),
    ("nik_pemohon", "nik", {"required": "1"}),
    ("telepon", "phone", {}),
    ("surel", "email", {}),
    ("alamat", "address", {}),
    ("surat_pengantar", "file", {"max_kb": "512"}),
]


def creds(s, role, unit):
    with open(os.path.join(s.data, "demo-accounts.txt")) as f:
        rows = [line.split("\t") for line in f.read().splitlines()[1:]]
    row = next(r for r in rows if r[0] == role and r[1] == unit)
    return row[2], row[3]


def login(s, role, unit):
    c = s.client()
    r = signin(c, *creds(s, role, unit))
    assert r.status == 303, (role, unit, r)
    return c


def post(c, page, action, fields):
    p = c.get(page)
    assert p.status == 200, (page, p)
    token = c.csrf_from(p.text)
    assert token, page
    return c.post_form(action, dict(fields, csrf=token))


def version(c, slug):
    r = c.get("/admin/layanan/%s/formulir" % slug)
    assert r.status == 200, r
    return int(re.search(r'id="versi">[^<]*<strong>(\d+)</strong>', r.text).group(1))


def service(**kw):
    fields = {"unit": "dinkes", "slug": "surat-uji", "name": "Surat Keterangan Uji",
              "category": "Kesehatan", "days": "5", "fee": "0", "enabled": "1",
              "summary": "Surat untuk menguji formulir.", "requirements": "KTP-el.",
              "procedure": "Isi formulir, unggah berkas, tunggu keputusan.",
              "product": "Surat keterangan", "complaint_channel": "Loket pengaduan",
              "legal_basis": "Perda Kabupaten Sukamaju 1/2024", "facilities": "Ruang tunggu",
              "staff_competence": "Paham administrasi", "internal_oversight": "Kepala dinas",
              "staff_count": "2 orang", "service_guarantee": "Tepat waktu",
              "security_guarantee": "Data dilindungi", "performance_evaluation": "Tiap triwulan"}
    fields.update(kw)
    return fields


def add_field(c, slug, key, ftype, extra, ver):
    fields = {"versi": str(ver), "key": key, "type": ftype, "label": "Label " + key,
              "help": "Bantuan untuk " + key, "label_en": "Label EN " + key}
    fields.update(extra)
    return post(c, "/admin/layanan/%s/formulir" % slug, "/admin/layanan/%s/formulir/isian" % slug,
                fields)


def form_rows(s, slug):
    return s.sql("SELECT f.version, f.fields_json FROM service_form f JOIN service v "
                 "ON v.id = f.service_id WHERE v.slug = ? ORDER BY f.version", (slug,))


def test_admin_builds_service_and_versioned_form(ctx):
    s = ctx.server()
    c = login(s, "administrator", "sukamaju")
    r = c.get("/admin/layanan")
    assert r.status == 200 and r.text.count("<main") == 1, r
    assert "/admin/layanan/akta-kelahiran" in r.text
    assert len(c.get("/admin/layanan", headers={"Accept-Encoding": "gzip"}).raw) < 30 * 1024
    r = post(c, "/admin/layanan/baru?unit=dinkes", "/admin/layanan/baru", service())
    assert r.status == 303 and r.header("Location") == "/admin/layanan/surat-uji?disimpan=1", r
    page = c.get("/admin/layanan/surat-uji?disimpan=1")
    assert page.status == 200 and "Perubahan telah disimpan" in page.text
    assert "Tiap triwulan" in page.text and 'value="surat-uji"' in page.text
    pub = s.client().get("/layanan/surat-uji")
    assert pub.status == 200 and "Surat Keterangan Uji" in pub.text and "Ruang tunggu" in pub.text
    assert version(c, "surat-uji") == 0

    for i, (key, ftype, extra) in enumerate(TYPES):
        r = add_field(c, "surat-uji", key, ftype, extra, i)
        assert r.status == 303, (key, r, r.text[:3000])
        assert r.header("Location") == "/admin/layanan/surat-uji/formulir?disimpan=%d" % (i + 1)
    b = c.get("/admin/layanan/surat-uji/formulir")
    assert version(c, "surat-uji") == len(TYPES)
    for key, _, _ in TYPES:
        assert "Label " + key in b.text and 'id="isian-%s"' % key in b.text
    assert "Pilihan: Kursi roda\nJuru bahasa isyarat" in b.text  # blank lines dropped
    assert len(c.get("/admin/layanan/surat-uji/formulir",
                     headers={"Accept-Encoding": "gzip"}).raw) < 30 * 1024

    rows = form_rows(s, "surat-uji")
    assert [v for v, _ in rows] == list(range(1, len(TYPES) + 1))
    latest = json.loads(rows[-1][1])
    assert [f["key"] for f in latest] == [k for k, _, _ in TYPES]
    assert [f["type"] for f in latest] == [t for _, t, _ in TYPES]
    by_key = {f["key"]: f for f in latest}
    assert by_key["bantuan"]["options"] == ["Kursi roda", "Juru bahasa isyarat"]
    assert by_key["surat_pengantar"]["max_bytes"] == 512 * 1024
    assert by_key["nama_pemohon"]["required"] is True and by_key["keperluan"]["required"] is False
    assert by_key["nama_pemohon"]["max_len"] == 100 and by_key["surel"]["label_en"] == "Label EN surel"
    before = {v: text for v, text in rows}

    # Change, move and remove: each a new version; every earlier version stays as it was.
    v = len(TYPES)
    r = post(c, "/admin/layanan/surat-uji/formulir?ubah=keperluan",
             "/admin/layanan/surat-uji/formulir/isian/keperluan",
             {"versi": str(v), "type": "text", "label": "Keperluan singkat", "required": "1"})
    assert r.status == 303, r
    r = post(c, "/admin/layanan/surat-uji/formulir",
             "/admin/layanan/surat-uji/formulir/isian/surel/naik", {"versi": str(v + 1)})
    assert r.status == 303, r
    r = post(c, "/admin/layanan/surat-uji/formulir",
             "/admin/layanan/surat-uji/formulir/isian/sudah_menikah/hapus", {"versi": str(v + 2)})
    assert r.status == 303, r
    # Moving the first field up changes nothing.
    r = post(c, "/admin/layanan/surat-uji/formulir",
             "/admin/layanan/surat-uji/formulir/isian/nama_pemohon/naik", {"versi": str(v + 3)})
    assert r.status == 303 and r.header("Location").endswith("disimpan=%d" % (v + 3)), r
    # A page drawn from an older version is refused: someone else saved meanwhile.
    r = post(c, "/admin/layanan/surat-uji/formulir",
             "/admin/layanan/surat-uji/formulir/isian/telepon/hapus", {"versi": str(v)})
    assert r.status == 409, r
    assert version(c, "surat-uji") == v + 3
    rows = form_rows(s, "surat-uji")
    assert len(rows) == v + 3
    for ver, text in rows[:v]:
        assert before[ver] == text, ver
    latest = json.loads(rows[-1][1])
    keys = [f["key"] for f in latest]
    assert "sudah_menikah" not in keys and keys.index("surel") < keys.index("telepon")
    assert latest[1] == {"key": "keperluan", "type": "text", "label": "Keperluan singkat",
                         "required": True}
    assert json.loads(rows[0][1])[0]["key"] == "nama_pemohon" and len(json.loads(rows[0][1])) == 1
    # The edit form of a field shows it; the page names the version.
    e = c.get("/admin/layanan/surat-uji/formulir?ubah=jenis_kelamin")
    assert 'action="/admin/layanan/surat-uji/formulir/isian/jenis_kelamin"' in e.text
    assert "Laki-laki\nPerempuan</textarea>" in e.text
    # Every change is in the audit log.
    sid = s.sql("SELECT id FROM service WHERE slug = 'surat-uji'")[0][0]
    n = s.sql("SELECT count(*) FROM audit_log WHERE action = 'service.form.update' AND object_id = ?",
              (sid,))[0][0]
    assert n == v + 3, n
    assert s.sql("SELECT count(*) FROM audit_log WHERE action = 'service.create'")[0][0] >= 1


def test_disable_hides_service(ctx):
    s = ctx.server()
    c = login(s, "administrator", "sukamaju")
    assert s.client().get("/layanan/sktm").status == 200
    edit = c.get("/admin/layanan/sktm")
    assert edit.status == 200 and 'name="enabled" type="checkbox" value="1" checked' in edit.text
    name = re.search(r'id="svc-name" name="name" type="text" required maxlength="200" value="([^"]*)"',
                     edit.text).group(1)
    fields = {k: v for k, v in re.findall(r'<textarea id="svc-[a-z_]+" name="([a-z_]+)"[^>]*>([^<]*)</textarea>',
                                          edit.text)}
    fields.update({"slug": "sktm", "name": name.replace("&#39;", "'"), "category": "Kependudukan",
                   "days": "3", "fee": "0"})
    r = post(c, "/admin/layanan/sktm", "/admin/layanan/sktm", fields)  # no "enabled": disable
    assert r.status == 303, (r, r.text[:2000])
    assert s.client().get("/layanan/sktm").status == 404
    assert "/layanan/sktm" not in s.client().get("/layanan?q=tidak+mampu").text
    lst = c.get("/admin/layanan")
    assert re.search(r'/admin/layanan/sktm">[^<]*</a> <span class="meta">[^\n]*nonaktif', lst.text)
    r = post(c, "/admin/layanan/sktm", "/admin/layanan/sktm", dict(fields, enabled="1"))
    assert r.status == 303
    assert s.client().get("/layanan/sktm").status == 200
    assert s.sql("SELECT count(*) FROM audit_log WHERE action = 'service.update'")[0][0] == 2


def test_invalid_input_422(ctx):
    s = ctx.server()
    c = login(s, "administrator", "sukamaju")
    r = post(c, "/admin/layanan/baru", "/admin/layanan/baru",
             service(name="", slug="Bukan Slug", days="lima", fee="-5"))
    assert r.status == 422, r
    for field in ("svc-name", "svc-slug", "svc-days", "svc-fee"):
        assert 'id="%s-error"' % field in r.text, field
        assert re.search(r'id="%s"[^>]*aria-invalid="true"' % field, r.text), field
    assert 'value="Bukan Slug"' in r.text  # what was typed is shown again
    r = post(c, "/admin/layanan/baru", "/admin/layanan/baru", service(slug="akta-kelahiran"))
    assert r.status == 422 and 'id="svc-slug-error"' in r.text and "sudah dipakai" in r.text, r
    r = post(c, "/admin/layanan/baru", "/admin/layanan/baru", service(slug="baru"))
    assert r.status == 422 and 'id="svc-slug-error"' in r.text, r
    r = post(c, "/admin/layanan/baru", "/admin/layanan/baru", service(unit="kab-lain"))
    assert r.status == 422 and 'id="svc-unit-error"' in r.text, r
    r = post(c, "/admin/layanan/baru", "/admin/layanan/baru", service(summary="x" * 9000))
    assert r.status == 422 and 'id="svc-summary-error"' in r.text, r

    assert post(c, "/admin/layanan/baru", "/admin/layanan/baru", service()).status == 303
    bad = [({"key": "Nama Ayah", "type": "text", "label": "Nama ayah"}, "f-key"),
           ({"key": "pilih", "type": "choice", "label": "Pilih", "options": "Satu"}, "f-options"),
           ({"key": "pilih", "type": "multi", "label": "Pilih", "options": "A\nA"}, "f-options"),
           ({"key": "catatan", "type": "text", "label": ""}, "f-label"),
           ({"key": "catatan", "type": "bukan-jenis", "label": "Catatan"}, "f-type"),
           ({"key": "berkas", "type": "file", "label": "Berkas", "max_kb": "20000"}, "f-max-kb"),
           ({"key": "teks", "type": "text", "label": "Teks", "max_len": "abc"}, "f-max-len")]
    for fields, field_id in bad:
        r = post(c, "/admin/layanan/surat-uji/formulir", "/admin/layanan/surat-uji/formulir/isian",
                 dict(fields, versi="0"))
        assert r.status == 422, (fields, r)
        assert 'id="%s-error"' % field_id in r.text, (fields, r.text[-4000:])
        tag = re.search(r'<[a-z]+ id="%s"[^>]*>' % field_id, r.text).group(0)
        assert 'aria-invalid="true"' in tag and re.search(r'aria-describedby="[^"]*%s-error"' % field_id, tag), tag
    assert version(c, "surat-uji") == 0
    assert add_field(c, "surat-uji", "catatan", "text", {}, 0).status == 303
    r = add_field(c, "surat-uji", "catatan", "longtext", {}, 1)
    assert r.status == 422 and "sudah dipakai" in r.text, r
    r = post(c, "/admin/unit/disdukcapil/maklumat", "/admin/unit/disdukcapil/maklumat",
             {"text": "x" * 5000})
    assert r.status == 422 and 'id="mk-text-error"' in r.text, r


def test_access(ctx):
    s = ctx.server()
    s.cli("user", "add", "--email", "admin.dinkes@contoh.id", "--name", "Admin Dinkes",
          "--role", "administrator", "--unit", "dinkes", stdin=STRONG + "\n")
    other = s.client()
    assert signin(other, "admin.dinkes@contoh.id", STRONG).status == 303
    lst = other.get("/admin/layanan")
    assert lst.status == 200 and "/admin/layanan/sip-tenaga-kesehatan" in lst.text, lst
    assert "akta-kelahiran" not in lst.text
    assert other.get("/admin/layanan/sip-tenaga-kesehatan").status == 200
    assert other.get("/admin/layanan?unit=disdukcapil").status == 404
    for path in ("/admin/layanan/akta-kelahiran", "/admin/layanan/akta-kelahiran/formulir",
                 "/admin/unit/disdukcapil/maklumat"):
        assert other.get(path).status == 404, path
    token = other.csrf_from(lst.text) or other.csrf_from(other.get("/akun").text)
    for action, fields in (("/admin/layanan/akta-kelahiran", service(slug="akta-kelahiran")),
                           ("/admin/layanan/akta-kelahiran/formulir/isian",
                            {"versi": "0", "key": "x", "type": "text", "label": "X"}),
                           ("/admin/layanan/akta-kelahiran/formulir/isian/x/hapus", {"versi": "0"}),
                           ("/admin/unit/disdukcapil/maklumat", {"text": "Janji"})):
        assert other.post_form(action, dict(fields, csrf=token)).status == 404, action
    # A new service of another subtree's unit is refused beside the unit field.
    r = post(other, "/admin/layanan/baru", "/admin/layanan/baru", service(unit="disdukcapil"))
    assert r.status == 422 and 'id="svc-unit-error"' in r.text, r
    assert 'value="disdukcapil"' not in other.get("/admin/layanan/baru").text

    officer = login(s, "officer", "disdukcapil")
    for path in ("/admin/layanan", "/admin/layanan/baru", "/admin/layanan/akta-kelahiran",
                 "/admin/layanan/akta-kelahiran/formulir", "/admin/unit/disdukcapil/maklumat"):
        assert officer.get(path).status == 404, path
    # A supervisor of the regency may see what is configured, not change it.
    sup = login(s, "supervisor", "sukamaju")
    assert sup.get("/admin/layanan/akta-kelahiran").status == 403
    assert s.client().get("/admin/layanan").status == 303


def test_maklumat_on_unit_and_service_pages(ctx):
    s = ctx.server()
    c = login(s, "administrator", "sukamaju")
    # The demo's own promise is replaced by ours.
    before = s.sql("SELECT count(*) FROM audit_log WHERE action = 'unit.maklumat.update'")[0][0]
    assert "Kami sanggup melayani" not in s.client().get("/unit/disdukcapil").text
    text = "Kami sanggup melayani sesuai standar pelayanan.\nBila tidak, kami siap menerima sanksi. <script>"
    r = post(c, "/admin/unit/disdukcapil/maklumat", "/admin/unit/disdukcapil/maklumat", {"text": text})
    assert r.status == 303 and r.header("Location") == "/admin/unit/disdukcapil/maklumat?disimpan=1"
    page = c.get("/admin/unit/disdukcapil/maklumat?disimpan=1")
    assert "Maklumat telah disimpan" in page.text and "&lt;script&gt;" in page.text
    for path in ("/unit/disdukcapil", "/layanan/akta-kelahiran"):
        p = s.client().get(path)
        assert p.status == 200 and "Maklumat Pelayanan" in p.text, path
        assert "Kami sanggup melayani" in p.text and "<script>" not in p.text, path
    assert "Kami sanggup" not in s.client().get("/layanan/sip-tenaga-kesehatan").text
    assert s.sql("SELECT count(*) FROM audit_log WHERE action = 'unit.maklumat.update'")[0][0] == before + 1
    # Emptied: gone from the pages.
    assert post(c, "/admin/unit/disdukcapil/maklumat", "/admin/unit/disdukcapil/maklumat",
                {"text": ""}).status == 303
    assert "Maklumat Pelayanan" not in s.client().get("/unit/disdukcapil").text
