"""Revoking a document (issue #4, Documents): the reason is published on the public verification
page and in its JSON, so a supervisor chooses one of a fixed list (no text typed by staff, which
could carry personal data, is ever published or stored); anything else is refused with 422 and
the message beside the choices. The reason reads in the reader's language on the page, as a code
and its Indonesian wording in the JSON, and as a code in the audit entry's details."""
import re

from kantor_util import demo_client
from test_document_cli import issue

REASONS = {
    "kesalahan-data": ("Diterbitkan karena kesalahan data", "Issued because of an error in the data"),
    "diganti": ("Digantikan dokumen baru", "Replaced by a new document"),
    "permintaan-pemegang": ("Dibatalkan atas permintaan pemegang", "Cancelled at the holder's request"),
    "putusan": ("Dibatalkan berdasarkan putusan pengadilan atau keputusan pejabat berwenang",
                "Cancelled by a court ruling or a decision of the competent authority"),
}


def test_revocation_reason_is_one_of_a_fixed_list(ctx):
    s = ctx.server()
    doc_id, _ = issue(s)
    sup = demo_client(s, "supervisor", "sukamaju")
    page = sup.get("/kantor/dokumen/" + doc_id)
    assert page.status == 200 and page.text.count("<main") == 1, page
    # the four reasons as radio buttons with labels, in a fieldset; no free text field
    radios = re.findall(r'<input type="radio" id="(alasan-\d)" name="alasan" value="([a-z-]+)" required>', page.text)
    assert [code for _, code in radios] == list(REASONS), radios
    for rid, code in radios:
        assert '<label for="%s">%s</label>' % (rid, REASONS[code][0]) in page.text, code
    assert "<textarea" not in page.text and "<legend>Alasan pencabutan</legend>" in page.text
    en = sup.get("/kantor/dokumen/" + doc_id, headers={"Accept-Language": "en"})
    assert REASONS["putusan"][1] in en.text, en.text
    csrf = sup.csrf_from(page.text)
    # free text, a label instead of its code, a code with spaces, nothing: 422, nothing stored
    for bad in ("Data kelahiran Siti Aminah salah", REASONS["diganti"][0], " diganti", "", "lain"):
        r = sup.post_form("/kantor/dokumen/%s/cabut" % doc_id, {"csrf": csrf, "alasan": bad})
        assert r.status == 422, (bad, r)
        assert '<p class="field-error" id="alasan-error">Pilih salah satu alasan pencabutan.</p>' in r.text
        assert r.text.count('aria-describedby="alasan-error"') == 4
        assert s.sql("SELECT revoked_ms, revoke_reason FROM document WHERE id = ?", (doc_id,)) == [(None, None)]
    r = sup.post_form("/kantor/dokumen/%s/cabut" % doc_id, {"csrf": csrf, "alasan": "permintaan-pemegang"})
    assert r.status == 303 and r.header("Location").endswith("/verifikasi/" + doc_id), r
    assert s.sql("SELECT revoke_reason FROM document WHERE id = ?", (doc_id,)) == [("permintaan-pemegang",)]
    # public: the wording of the reason, in the reader's language
    anon = s.client()
    r = anon.get("/verifikasi/" + doc_id)
    assert "Dokumen ini telah dicabut" in r.text and "Alasan: Dibatalkan atas permintaan pemegang" in r.text, r.text
    r = anon.get("/verifikasi/" + doc_id, headers={"Accept-Language": "en"})
    assert "Cancelled at the holder&#39;s request" in r.text or "Cancelled at the holder's request" in r.text, r.text
    st = anon.get("/verifikasi/%s.json" % doc_id).json()["status"]
    assert st["state"] == "revoked" and st["reason"] == "permintaan-pemegang", st
    assert st["reason_text"] == REASONS["permintaan-pemegang"][0], st
    # the supervisor's page now says it was revoked, with the same wording
    r = sup.get("/kantor/dokumen/" + doc_id)
    assert "Dokumen ini sudah dicabut pada" in r.text and REASONS["permintaan-pemegang"][0] in r.text
    assert '<input type="radio"' not in r.text
    # the audit entry records the code only
    rows = s.sql("SELECT details FROM audit_log WHERE action = 'document.revoke' AND object_id = ?", (doc_id,))
    assert rows == [('{"reason":"permintaan-pemegang"}',)], rows
