"""Adding a NIK after registering (POST /akun/nik): a citizen account without a NIK adds one on
/akun with the checks and words of /daftar; it is sealed, unverified, audited with ids only, and
lets the account attach an assisted application filed for that NIK. A NIK is added once: the form
is gone afterwards and a second POST is refused (changing it is the village office's work); a NIK
bound to another account is refused as /daftar refuses it; staff accounts are not offered it."""
import html
import re

from identity_util import NIK, STRONG, register, signin
from kantor_util import demo_client, file_assisted

NEW_NIK = "3219011203850004"  # Sukamaju 32.19.01, a man born 12-03-1985
TAKEN = "NIK ini sudah terdaftar pada akun lain. Satu NIK hanya untuk satu akun."
INVALID = "NIK tidak sah: 16 angka dengan kode provinsi dan tanggal lahir yang benar."


def _citizen(s, email):
    """A citizen with a verified email and no NIK (made by the CLI), signed in."""
    s.cli("user", "add", "--email", email, "--name", "Warga Tanpa NIK", stdin=STRONG + "\n")
    c = s.client()
    assert signin(c, email, STRONG).status == 303
    return c


def _add(c, nik, csrf=True):
    page = c.get("/akun")
    assert page.status == 200, page
    fields = {"nik": nik}
    if csrf:
        fields["csrf"] = c.csrf_from(page.text)
    return c.post_form("/akun/nik", fields)


def _row(s, account_id):
    return s.sql("SELECT nik_ct, nik_bidx, nik_verified, nik_district FROM account WHERE id = ?",
                 (account_id,))[0]


def _bytes(v):
    """A blob as SQLite (bytes) or PostgreSQL through psql (text "\\x<hex>") gives it."""
    if isinstance(v, str):
        return bytes.fromhex(v[2:]) if v.startswith("\\x") else v.encode()
    return bytes(v)


def _field_error(page):
    m = re.search(r'<p class="field-error" id="nik-new-error">([^<]+)</p>', page)
    assert m, "no message beside the NIK field"
    assert re.search(r'id="nik-new"[^>]*aria-describedby="[^"]*nik-new-error', page)
    return html.unescape(m.group(1))


def _attach(c, tracking, nik):
    page = c.get("/permohonan")
    return c.post_form("/permohonan/tautkan", {"csrf": c.csrf_from(page.text), "nomor": tracking,
                                               "nik": nik})


def test_identity_nik_add_then_attach(ctx):
    s = ctx.server()
    desk = demo_client(s, "officer", "desa-mekarsari")
    app_id, tracking = file_assisted(s, desk, "sktm", nik=NEW_NIK, name="Warga Tanpa NIK")
    c = _citizen(s, "tanpa.nik@contoh.id")
    account_id = s.sql("SELECT id FROM account WHERE kind = 'citizen' AND nik_bidx IS NULL "
                       "ORDER BY created_ms DESC, id DESC LIMIT 1")[0][0]

    # Without a NIK the attach is refused, and the refusal links to the form on /akun.
    r = _attach(c, tracking, NEW_NIK)
    assert r.status == 403 and "belum mencantumkan NIK" in r.text, r
    assert 'href="/akun#nik"' in r.text
    page = c.get("/akun")
    assert page.status == 200 and 'id="nik"' in page.text and 'action="/akun/nik"' in page.text
    assert re.search(r'<label for="nik-new">', page.text)

    # Invalid: 422 beside the field with the words of /daftar, the typed value kept, nothing stored.
    r = _add(c, "3219011203850000")
    assert r.status == 422, r
    assert _field_error(r.text) == INVALID
    assert 'value="3219011203850000"' in r.text
    assert _add(c, "").status == 422
    assert _row(s, account_id)[1] is None

    # Missing CSRF: refused before anything happens.
    r = _add(c, NEW_NIK, csrf=False)
    assert r.status == 403, r
    assert _row(s, account_id)[1] is None

    # Added (any spelling of the digits): back to /akun with a notice, masked and unverified.
    r = _add(c, "3219.0112 0385-0004")
    assert r.status == 303 and r.header("Location") == "/akun?nik=1", r
    page = c.get(r.header("Location")).text
    assert "NIK telah disimpan" in page
    assert "321901••••••0004" in page and NEW_NIK not in page
    assert re.search(r"321901••••••0004 \(belum diverifikasi\)", page), page
    assert 'action="/akun/nik"' not in page  # the form is gone
    ct, bidx, verified, district = _row(s, account_id)
    assert ct and bidx and not verified and district == "321901"
    assert len(_bytes(ct)) > 16 and NEW_NIK.encode() not in _bytes(ct)
    entries = s.sql("SELECT actor, object_id, subject_id, details FROM audit_log "
                    "WHERE action = 'account.nik_add'")
    assert len(entries) == 1, entries
    actor, object_id, subject_id, details = entries[0]
    assert object_id == account_id and subject_id == account_id and account_id in actor
    assert NEW_NIK not in details and "0004" not in details

    # A second add is refused (changing a NIK goes through the village office).
    r = _add(c, "3219016508950002")
    assert r.status == 403, r
    assert _row(s, account_id)[1] == bidx

    # The NIK now on the account attaches the assisted application filed for it.
    r = _attach(c, tracking, NEW_NIK)
    assert r.status == 303 and r.header("Location") == "/permohonan/%s?ditautkan=1" % app_id, r
    owner = s.sql("SELECT citizen_account_id FROM application WHERE id = ?", (app_id,))[0][0]
    assert owner == account_id


def test_identity_nik_add_taken_and_staff(ctx):
    s = ctx.server()
    with_nik = "SELECT count(*) FROM account WHERE nik_bidx IS NOT NULL"
    before = s.sql(with_nik)[0][0]
    # Registration refuses a NIK bound to another account; /akun/nik refuses it in the same words.
    assert register(s.client(), "pemegang@contoh.id", nik=NIK).status == 303
    again = register(s.client(), "lain@contoh.id", nik=NIK)
    assert again.status == 422 and TAKEN in html.unescape(again.text)
    c = _citizen(s, "kedua@contoh.id")
    r = _add(c, NIK)
    assert r.status == 422, r
    assert _field_error(r.text) == TAKEN
    assert s.sql(with_nik)[0][0] == before + 1
    assert not s.sql("SELECT seq FROM audit_log WHERE action = 'account.nik_add'")

    # A citizen who registered with a NIK is not offered the form and is refused.
    holder = s.client()
    assert signin(holder, "pemegang@contoh.id", STRONG).status == 303
    assert 'action="/akun/nik"' not in holder.get("/akun").text
    assert _add(holder, NEW_NIK).status == 403

    # Staff accounts: no form, and the POST is refused.
    desk = demo_client(s, "officer", "desa-mekarsari")
    page = desk.get("/akun")
    assert page.status == 200 and 'action="/akun/nik"' not in page.text
    assert _add(desk, NEW_NIK).status == 403
    assert s.sql(with_nik)[0][0] == before + 1
    assert not s.sql("SELECT seq FROM audit_log WHERE action = 'account.nik_add'")
