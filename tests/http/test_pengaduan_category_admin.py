"""Complaint categories administered at /admin/pengaduan/kategori: the regency's administrator
lists, adds, edits (name, description, default unit, deadline 1..90, keywords) and disables and
enables categories; refused fields come back 422 beside their field; a stale version is 409 and
changes nothing; an administrator of one agency sees and edits only its own categories (404
elsewhere, and may not move one to a unit outside its subtree); citizens and officers get 404;
every change is audited; a disabled category is not offered for filing nor accepted."""
import re

from identity_util import signin
from kantor_util import demo_client
from test_pengaduan_public import _file

PASSWORD = "administrator dinas yang teliti"


def _form(c, path):
    page = c.get(path)
    assert page.status == 200, (path, page.status)
    version = re.search(r'name="versi" value="(\d+)"', page.text)
    return page, c.csrf_from(page.text), version.group(1) if version else None


def _audits(s, action):
    return s.sql("SELECT COUNT(*) FROM audit_log WHERE action = ?", (action,))[0][0]


def test_category_admin(ctx):
    s = ctx.server()
    admin = demo_client(s, "administrator", "sukamaju")
    page = admin.get("/admin/pengaduan/kategori")
    assert page.status == 200 and page.text.count("<main") == 1
    assert 'href="/admin/pengaduan/kategori/jalan-rusak"' in page.text and "Pungutan liar" in page.text

    # Add: refused fields first, each beside its field.
    page, csrf, _ = _form(admin, "/admin/pengaduan/kategori/baru")
    r = admin.post_form("/admin/pengaduan/kategori/baru", {
        "csrf": csrf, "code": "Bad Code", "name": "", "unit": "dlh", "days": "91", "keywords": ""})
    assert r.status == 422
    for f, field_id in (("code", "cat-code"), ("name", "cat-name"), ("deadline_days", "cat-days")):
        assert re.search(r'id="%s"[^>]*aria-describedby="[^"]*%s-error' % (field_id, field_id), r.text), f
    r = admin.post_form("/admin/pengaduan/kategori/baru", {
        "csrf": csrf, "code": "jalan-rusak", "name": "Duplikat", "unit": "dlh", "days": "5"})
    assert r.status == 422 and "sudah dipakai" in r.text
    before = _audits(s, "complaint.category.add")
    r = admin.post_form("/admin/pengaduan/kategori/baru", {
        "csrf": csrf, "code": "pohon-tumbang", "name": "Pohon tumbang", "description": "Pohon tumbang di jalan.",
        "unit": "dlh", "days": "3", "keywords": "pohon, tumbang", "enabled": "1"})
    assert r.status == 303 and r.header("Location") == "/admin/pengaduan/kategori/pohon-tumbang?disimpan=1"
    assert _audits(s, "complaint.category.add") == before + 1
    assert 'value="pohon-tumbang"' in s.client().get("/pengaduan/baru").text

    # Edit: deadline and unit change; the version moves on.
    page, csrf, v1 = _form(admin, "/admin/pengaduan/kategori/pohon-tumbang")
    assert "Perubahan telah disimpan" not in page.text and v1 == "1"
    r = admin.post_form("/admin/pengaduan/kategori/pohon-tumbang", {
        "csrf": csrf, "versi": v1, "name": "Pohon tumbang atau rawan", "description": "",
        "unit": "dpupr", "days": "0", "keywords": ""})
    assert r.status == 422 and 'id="cat-days-error"' in r.text
    assert 'value="Pohon tumbang atau rawan"' in r.text  # typed values kept
    r = admin.post_form("/admin/pengaduan/kategori/pohon-tumbang", {
        "csrf": csrf, "versi": v1, "name": "Pohon tumbang atau rawan", "description": "",
        "unit": "dpupr", "days": "4", "keywords": "pohon", "enabled": "1"})
    assert r.status == 303
    row = s.sql("SELECT k.name, k.deadline_days, u.slug, k.version, k.enabled FROM complaint_category k "
                "JOIN unit u ON u.id = k.unit_id WHERE k.code = 'pohon-tumbang'")[0]
    assert tuple(row) == ("Pohon tumbang atau rawan", 4, "dpupr", 2, 1), row
    assert _audits(s, "complaint.category.update") >= 1
    # The same (stale) version again: 409, nothing changed.
    r = admin.post_form("/admin/pengaduan/kategori/pohon-tumbang", {
        "csrf": csrf, "versi": v1, "name": "Menimpa", "unit": "dlh", "days": "9", "enabled": "1"})
    assert r.status == 409
    assert s.sql("SELECT name FROM complaint_category WHERE code = 'pohon-tumbang'")[0][0] == "Pohon tumbang atau rawan"

    # Disable: no longer offered, nor accepted when sent anyway.
    page, csrf, v2 = _form(admin, "/admin/pengaduan/kategori/pohon-tumbang")
    r = admin.post_form("/admin/pengaduan/kategori/pohon-tumbang/aktif", {"csrf": csrf, "versi": "1", "aktif": "0"})
    assert r.status == 409
    before = _audits(s, "complaint.category.disable")
    r = admin.post_form("/admin/pengaduan/kategori/pohon-tumbang/aktif", {"csrf": csrf, "versi": v2, "aktif": "0"})
    assert r.status == 303 and _audits(s, "complaint.category.disable") == before + 1
    visitor = s.client()
    assert 'value="pohon-tumbang"' not in visitor.get("/pengaduan/baru").text
    r = _file(visitor, {"kategori": "pohon-tumbang"})
    assert r.status == 422 and 'id="kategori-error"' in r.text
    assert "nonaktif" in admin.get("/admin/pengaduan/kategori").text
    page, csrf, v3 = _form(admin, "/admin/pengaduan/kategori/pohon-tumbang")
    r = admin.post_form("/admin/pengaduan/kategori/pohon-tumbang/aktif", {"csrf": csrf, "versi": v3, "aktif": "1"})
    assert r.status == 303 and 'value="pohon-tumbang"' in visitor.get("/pengaduan/baru").text
    assert _audits(s, "complaint.category.enable") >= 1

    # An administrator of DLH only: its categories, nobody else's.
    s.cli("user", "add", "--email", "admin.dlh@contoh.id", "--name", "Admin DLH", "--role", "administrator",
          "--unit", "dlh", stdin=PASSWORD + "\n")
    dlh = s.client()
    assert signin(dlh, "admin.dlh@contoh.id", PASSWORD).status == 303
    page = dlh.get("/admin/pengaduan/kategori")
    assert page.status == 200 and "/admin/pengaduan/kategori/sampah" in page.text
    assert "/admin/pengaduan/kategori/jalan-rusak" not in page.text
    assert dlh.get("/admin/pengaduan/kategori/jalan-rusak").status == 404
    page, csrf, v = _form(dlh, "/admin/pengaduan/kategori/sampah")
    r = dlh.post_form("/admin/pengaduan/kategori/jalan-rusak", {
        "csrf": csrf, "versi": "1", "name": "Diambil alih", "unit": "dlh", "days": "5"})
    assert r.status == 404
    r = dlh.post_form("/admin/pengaduan/kategori/jalan-rusak/aktif", {"csrf": csrf, "versi": "1", "aktif": "0"})
    assert r.status == 404
    # Moving its own category to a unit outside its subtree is refused beside the field.
    r = dlh.post_form("/admin/pengaduan/kategori/sampah", {
        "csrf": csrf, "versi": v, "name": "Sampah", "unit": "dpupr", "days": "5", "enabled": "1"})
    assert r.status == 422 and 'id="cat-unit-error"' in r.text
    r = dlh.post_form("/admin/pengaduan/kategori/baru", {
        "csrf": csrf, "code": "banjir", "name": "Banjir", "unit": "dpupr", "days": "5", "enabled": "1"})
    assert r.status == 422 and 'id="cat-unit-error"' in r.text
    r = dlh.post_form("/admin/pengaduan/kategori/sampah", {
        "csrf": csrf, "versi": v, "name": "Sampah dan kebersihan", "unit": "dlh", "days": "6", "enabled": "1"})
    assert r.status == 303

    # Citizens and officers: nothing here.
    officer = demo_client(s, "officer", "dlh")
    for c in (officer,):
        assert c.get("/admin/pengaduan/kategori").status == 404
        assert c.get("/admin/pengaduan/kategori/sampah").status == 404
        assert c.get("/admin/pengaduan/kategori/baru").status == 404
    assert s.client().get("/admin/pengaduan/kategori").status == 303
