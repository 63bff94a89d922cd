"""Identity: the citizen's privacy rights — who read my data (/akun/akses and its CSV) after an
officer checked the NIK at the village office (/kantor/warga/nik, within the officer's grants
only), the download of everything held (/akun/unduh), and erasure (/akun/hapus): the wrapped
subject key gone from the database file and its WAL, the saved ciphertexts unreadable, the blind
indexes gone, the audit log still sound."""
import csv
import io
import json
import os
import re
import sqlite3

from identity_util import NIK, STRONG, post_with_csrf, register, signin, without_csrf

try:
    from run import sqlite_only
except ImportError:  # a runner without PostgreSQL runs
    def sqlite_only(fn):
        return fn

NIK_B = "3219012304850003"  # Jawa Barat, Sukamaju (32.19.01), a man born 23-04-1985
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def demo(s, role, unit):
    """(email, password) of the demo account with this role on this unit."""
    with open(os.path.join(s.data, "demo-accounts.txt")) as f:
        for line in f.read().splitlines()[1:]:
            r = line.split("\t")
            if r[0] == role and r[1] == unit:
                return r[2], r[3]
    raise AssertionError("no demo %s on %s" % (role, unit))


def signed_in(s, addr, password=STRONG):
    c = s.client()
    r = signin(c, addr, password)
    assert r.status == 303, r
    return c


def citizen(s, addr, name, nik, phone="0812 3456 7890", village="desa-mekarsari"):
    r = register(s.client(), addr, name=name, phone=phone, village=village, nik=nik)
    assert r.status == 303, r
    return signed_in(s, addr)


def desk_lookup(c, nik, form_page="/kantor/warga/nik"):
    return post_with_csrf(c, form_page, "/kantor/warga/nik", {"nik": nik})


def export(c):
    r = c.get("/akun/unduh")
    assert r.status == 200, r
    assert r.header("Content-Type") == "application/json; charset=utf-8", r.header("Content-Type")
    assert r.header("Content-Disposition") == 'attachment; filename="data-saya.json"'
    assert r.header("Cache-Control") == "no-store"
    return r.json()


def access_rows(c):
    r = c.get("/akun/akses.csv")
    assert r.status == 200 and r.header("Content-Type") == "text/csv; charset=utf-8", r
    return list(csv.DictReader(io.StringIO(r.text)))


def test_identity_privacy_access_list_nik_desk_and_export(ctx):
    s = ctx.server()
    a = citizen(s, "siti@contoh.id", "Siti Aminah", NIK)
    b = citizen(s, "budi@contoh.id", "Budi Hartono", NIK_B, phone="0813 1111 2222")
    page = a.get("/akun/akses")
    assert page.status == 200 and "Belum ada petugas yang membaca data pribadi Anda" in page.text
    assert page.header("Cache-Control") == "no-store"
    assert 'href="/akun/akses"' in a.get("/akun").text  # linked from the account page
    r = s.client().get("/akun/akses")
    assert r.status == 303 and r.header("Location").startswith("/masuk?next="), r

    # The desk is the officers' own: a citizen gets 404, a supervisor 403.
    assert a.get("/kantor/warga/nik").status == 404
    sup = signed_in(s, *demo(s, "supervisor", "sukamaju"))
    assert sup.get("/kantor/warga/nik").status == 403

    # The officer of the citizen's village finds the name; another subtree's officer gets 404.
    mekarsari_email, mekarsari_pw = demo(s, "officer", "desa-mekarsari")
    officer = signed_in(s, mekarsari_email, mekarsari_pw)
    assert 'href="/kantor/warga/nik"' in officer.get("/akun").text
    assert officer.get("/kantor/warga/nik").status == 200
    bad = desk_lookup(officer, "1234")
    assert bad.status == 422 and 'id="nik-error"' in bad.text, bad
    other = signed_in(s, *demo(s, "officer", "disdukcapil"))
    assert other.get("/kantor/warga/nik").status == 200
    r = desk_lookup(sup, NIK, form_page="/akun")
    assert r.status == 403 and "Siti Aminah" not in r.text, r
    r = desk_lookup(other, NIK)
    assert r.status == 404 and "Tidak ada warga dengan NIK ini" in r.text, r
    assert "Siti Aminah" not in r.text
    assert desk_lookup(officer, "3219010101010009").status == 404  # nobody holds it: the same
    found = desk_lookup(officer, "3219.0157.0890.0001")  # as written on a form
    assert found.status == 200 and "Siti Aminah" in found.text and "Desa Mekarsari" in found.text, found
    account_a = re.search(r'name="akun" value="([0-9a-f-]{36})"', found.text).group(1)
    assert NIK not in found.text.split('id="nik"')[1]  # the NIK is not echoed back
    # Outside the grants, marking is refused like a lookup.
    assert post_with_csrf(other, "/kantor/warga/nik", "/kantor/warga/nik/verifikasi",
                          {"akun": account_a}).status == 404
    r = post_with_csrf(officer, "/kantor/warga/nik", "/kantor/warga/nik/verifikasi", {"akun": account_a})
    assert r.status == 303 and r.header("Location") == "/kantor/warga/nik?terverifikasi=1", r
    assert "terverifikasi di kantor desa" in a.get("/akun").text
    again = desk_lookup(officer, NIK)
    assert again.status == 200 and "Tandai terverifikasi" not in again.text

    # Two reads, newest first, as role and unit only; nothing of Siti's on Budi's list.
    page = a.get("/akun/akses")
    assert page.status == 200, page
    assert page.text.count("verifikasi NIK") == 2, page.text
    assert "Petugas · Desa Mekarsari" in page.text
    for secret in ("Rina Wulandari", mekarsari_email, "Budi Santoso"):
        assert secret not in page.text, secret
    rows = access_rows(a)
    assert len(rows) == 2, rows
    assert [int(x["seq"]) for x in rows] == sorted((int(x["seq"]) for x in rows), reverse=True)
    for row in rows:
        assert (row["actor"], row["role"], row["unit"], row["purpose"], row["object_id"]) == \
            ("staff", "officer", "desa-mekarsari", "verifikasi NIK", account_a), row
        assert RFC3339.match(row["time"]), row
    page_b = b.get("/akun/akses")
    assert "Belum ada petugas" in page_b.text and "verifikasi NIK" not in page_b.text
    assert access_rows(b) == []
    # Keyset paging: before the newest read only the older one is left.
    older = a.get("/akun/akses?sebelum=%s" % rows[0]["seq"])
    assert older.status == 200 and older.text.count("verifikasi NIK") == 1, older
    assert a.get("/akun/akses?sebelum=abc").status == 400

    # Everything held about Siti, with the access entries; nothing of Budi's.
    doc = export(a)
    acc = doc["account"]
    assert (acc["id"], acc["name"], acc["email"], acc["phone"], acc["nik"]) == \
        (account_a, "Siti Aminah", "siti@contoh.id", "+6281234567890", NIK), acc
    assert acc["nik_verified"] is True and acc["home_village"]["slug"] == "desa-mekarsari"
    assert RFC3339.match(acc["created_at"]) and RFC3339.match(doc["generated_at"])
    assert [e["purpose"] for e in doc["access_log"]] == ["verifikasi NIK"] * 2
    assert doc["access_log"][0]["by"] == {"kind": "staff", "role": "officer", "unit": {
        "slug": "desa-mekarsari", "name": "Desa Mekarsari"}}, doc["access_log"][0]
    actions = [e["action"] for e in doc["audit_log"]]
    for want in ("account.register", "session.create", "personal.read", "account.nik_verify"):
        assert want in actions, (want, actions)
    assert doc["sessions"] and all(set(x) == {"id", "created_at", "last_seen_at", "expires_at"}
                                   for x in doc["sessions"]), doc["sessions"]
    assert [t["kind"] for t in doc["one_time_links"]] == ["verify_email"]
    text = json.dumps(doc)
    for absent in ("Budi", "budi@contoh.id", NIK_B, "token_hash", "csrf", "Rina Wulandari"):
        assert absent not in text, absent
    assert export(b)["access_log"] == []
    # The page never named the officer to the citizen; staff accounts are not erased here.
    r = officer.get("/akun/hapus")
    assert r.status == 200 and "administrator" in r.text and 'action="/akun/hapus"' not in r.text
    r = post_with_csrf(officer, "/akun", "/akun/hapus", {"current": mekarsari_pw, "konfirmasi": "ya"})
    assert r.status == 403, r


def _db(s):
    return os.path.join(s.data, "pendopo.db")


def _row(s, account_id):
    con = sqlite3.connect("file:%s?mode=ro" % _db(s), uri=True, timeout=30)
    try:
        con.row_factory = sqlite3.Row
        return con.execute("SELECT * FROM account WHERE id = ?", (account_id,)).fetchone()
    finally:
        con.close()


def _files(s):
    out = {}
    for suffix in ("", "-wal"):
        path = _db(s) + suffix
        with open(path, "rb") as f:
            out[os.path.basename(path)] = f.read()
    return out


@sqlite_only
def test_identity_privacy_erasure(ctx):
    s = ctx.server()
    c = citizen(s, "hapus@contoh.id", "Dewi Sartika", NIK)
    officer = signed_in(s, *demo(s, "officer", "desa-mekarsari"))
    assert desk_lookup(officer, NIK).status == 200  # a read the audit log keeps (by id)
    account_id = export(c)["account"]["id"]
    before = _row(s, account_id)
    saved = {k: before[k] for k in ("subject_key", "email_ct", "name_ct", "phone_ct", "nik_ct",
                                    "email_bidx", "nik_bidx", "password_hash")}
    assert len(saved["subject_key"]) == 77 and all(saved.values()), saved
    blob = b"".join(_files(s).values())
    assert saved["subject_key"] in blob  # the test would prove nothing otherwise

    # Refusals first: the checkbox, then the password.
    assert c.get("/akun/hapus").status == 200
    r = post_with_csrf(c, "/akun/hapus", "/akun/hapus", {"current": STRONG})
    assert r.status == 422 and 'id="erase-confirm-error"' in r.text, r
    r = post_with_csrf(c, "/akun/hapus", "/akun/hapus", {"current": "bukan kata sandinya", "konfirmasi": "ya"})
    assert r.status == 422 and 'id="erase-current-error"' in r.text, r
    assert _row(s, account_id)["subject_key"] == saved["subject_key"]
    r = post_with_csrf(c, "/akun/hapus", "/akun/hapus", {"current": STRONG, "konfirmasi": "ya"})
    assert r.status == 303 and r.header("Location") == "/akun/dihapus", r
    assert c.get("/akun/dihapus").status == 200
    assert c.get("/akun").status == 303  # every session ended

    # The key's bytes are gone from the database file and its WAL, as are the ciphertexts and
    # the blind indexes; the row is a tombstone.
    files = _files(s)
    for name, data in files.items():
        for col, value in saved.items():
            if col != "password_hash":
                assert bytes(value) not in data, (col, name)
    after = _row(s, account_id)
    for col in ("subject_key", "email_ct", "name_ct", "phone_ct", "nik_ct", "email_bidx",
                "nik_bidx", "nik_district", "home_village_id", "email_verified_ms", "lang"):
        assert after[col] is None, (col, after[col])
    assert after["erased_ms"] and after["password_hash"] == "" and after["kind"] == "citizen"
    assert (after["id"], after["created_ms"]) == (before["id"], before["created_ms"])
    con = sqlite3.connect("file:%s?mode=ro" % _db(s), uri=True, timeout=30)
    try:
        for table in ("account_session", "account_token", "account_grant"):
            n = con.execute("SELECT COUNT(*) FROM %s WHERE account_id = ?" % table, (account_id,)).fetchone()[0]
            assert n == 0, table
        for col in ("email_bidx", "nik_bidx"):
            n = con.execute("SELECT COUNT(*) FROM account WHERE %s = ?" % col, (saved[col],)).fetchone()[0]
            assert n == 0, col
        erase = con.execute("SELECT actor, object_id, subject_id, details FROM audit_log "
                            "WHERE action = 'account.erase'").fetchall()
        assert erase == [("account:" + account_id, account_id, account_id, "{}")], erase
    finally:
        con.close()
    assert "Dewi Sartika" not in s.read_log() and "hapus@contoh.id" not in s.read_log()
    assert s.cli("audit", "verify").returncode == 0

    # The old credentials fail exactly as an unknown account does.
    answers = []
    for addr in ("hapus@contoh.id", "tidak.pernah.ada@contoh.id"):
        r = signin(s.client(), addr, STRONG)
        answers.append((r.status, without_csrf(r.text)))
    assert answers[0] == answers[1] and answers[0][0] == 422, answers

    # The saved ciphertexts put back (everything but the key, with a working sign-in): the
    # server cannot read them any more.
    s.stop()
    con = sqlite3.connect(_db(s), timeout=30, isolation_level=None)
    con.execute("UPDATE account SET email_ct = ?, name_ct = ?, phone_ct = ?, nik_ct = ?, "
                "email_bidx = ?, nik_bidx = ?, password_hash = ?, erased_ms = NULL, disabled = 0 "
                "WHERE id = ?", (saved["email_ct"], saved["name_ct"], saved["phone_ct"],
                                 saved["nik_ct"], saved["email_bidx"], saved["nik_bidx"],
                                 saved["password_hash"], account_id))
    con.close()
    s.start()
    back = signed_in(s, "hapus@contoh.id")
    page = back.get("/akun")
    assert page.status == 200, page
    doc = export(back)
    assert doc["account"]["id"] == account_id
    for field in ("name", "email", "phone", "nik"):
        assert doc["account"][field] is None, (field, doc["account"])
    for value in ("Dewi Sartika", "hapus@contoh.id", "+6281234567890", NIK):
        assert value not in page.text and value not in json.dumps(doc), value

    # Erased again through the page, the address and the NIK register anew.
    r = post_with_csrf(back, "/akun/hapus", "/akun/hapus", {"current": STRONG, "konfirmasi": "ya"})
    assert r.status == 303, r
    fresh = citizen(s, "hapus@contoh.id", "Dewi Baru", NIK)
    doc = export(fresh)
    assert doc["account"]["id"] != account_id and doc["account"]["nik"] == NIK
    assert s.cli("audit", "verify").returncode == 0


def test_identity_privacy_erasure_on_every_backend(ctx):
    """The erasure itself, without looking into files: on PostgreSQL too."""
    s = ctx.server()
    c = citizen(s, "pergi@contoh.id", "Raden Pergi", NIK)
    officer = signed_in(s, *demo(s, "officer", "desa-mekarsari"))
    assert desk_lookup(officer, NIK).status == 200
    r = post_with_csrf(c, "/akun/hapus", "/akun/hapus", {"current": STRONG, "konfirmasi": "ya"})
    assert r.status == 303 and r.header("Location") == "/akun/dihapus", r
    assert c.get("/akun/akses").status == 303
    assert signin(s.client(), "pergi@contoh.id", STRONG).status == 422
    assert desk_lookup(officer, NIK).status == 404  # the NIK's blind index is gone
    fresh = citizen(s, "pergi@contoh.id", "Raden Kembali", NIK)
    doc = export(fresh)
    assert doc["account"]["name"] == "Raden Kembali" and doc["access_log"] == []
    assert s.cli("audit", "verify").returncode == 0
