"""The text-message channel, POST /sms/v1/inbound (issue #5): the gateway's shared secret (none
configured: 404; missing, wrong or another scheme: 401), its fields (400), LAPOR with village codes
with and without dots and keywords in any case filing a complaint on channel "sms" (category from
the words, title from the first words, the sender's number sealed: never in clear in the database,
the log or any page), refusals answered (unknown village, empty report), a NIK held back, CEK in
any spelling, help for anything else, every answer text/plain GSM-7 within 160 characters, a
repeated id answered byte for byte with nothing filed (also 12 deliveries racing), and the limit
per sender answered 200 "try again later" without touching other senders."""
import glob
import os
import re
import threading
import urllib.parse

from run import serial

SECRET = "rahasia-gerbang-sms-9f3a7c21e8b54d60"
AUTH = {"Authorization": "Bearer " + SECRET}
TRACK = r"A-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]"
PHONE = "081234567890"

# GSM 03.38: the default alphabet (one septet) and its extension table (two).
GSM_BASIC = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXT = set("^{}\\[~]|€")


def septets(text):
    n = 0
    for ch in text:
        if ch in GSM_BASIC:
            n += 1
        elif ch in GSM_EXT:
            n += 2
        else:
            raise AssertionError("not GSM-7: %r in %r" % (ch, text))
    return n


def sms(c, fields, headers=AUTH):
    body = urllib.parse.urlencode(fields)
    h = {"Content-Type": "application/x-www-form-urlencoded"}
    h.update(headers or {})
    return c.request("POST", "/sms/v1/inbound", body=body, headers=h)


def answer(r):
    """The answer of a 200: text/plain, GSM-7, at most 160 characters."""
    assert r.status == 200, r
    assert r.header("Content-Type") == "text/plain; charset=utf-8", r.headers
    text = r.text
    assert 0 < septets(text) <= 160, (septets(text), text)
    return text


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def tracking_with_check(first9):
    """A well-formed tracking number (Damm over GF(32), x^5 + x^2 + 1; see core/tracking.h)."""
    def mulx(a):
        a <<= 1
        return (a ^ 0x25) & 0x1F if a & 0x20 else a
    interim = 0
    for ch in first9:
        interim = mulx(interim) ^ CROCKFORD.index(ch)
    return first9 + CROCKFORD[mulx(interim)]


def grouped(t):
    return "%s-%s-%s-%s" % (t[0], t[1:5], t[5:9], t[9])


def count_sms(s):
    return s.sql("SELECT COUNT(*) FROM complaint WHERE channel = 'sms'")[0][0]


def test_sms_off_without_secret(ctx):
    s = ctx.server(demo=False)
    r = sms(s.client(), {"id": "x1", "from": PHONE, "text": "halo"})
    assert r.status == 404 and r.header("Content-Type").startswith("text/plain"), r


def test_sms_inbound(ctx):
    s = ctx.server(env={"PENDOPO_SMS_SECRET": SECRET})
    c = s.client()
    base = {"id": "gw-1", "from": PHONE, "text": "halo"}

    # The secret: missing, wrong (same length), another scheme, empty bearer -> 401.
    wrong = SECRET[:-1] + ("0" if SECRET[-1] != "0" else "1")
    for h in ({}, {"Authorization": "Bearer " + wrong}, {"Authorization": "Basic " + SECRET},
              {"Authorization": "Bearer "}, {"Authorization": "Bearer " + SECRET + "x"}):
        r = sms(c, base, headers=h)
        assert r.status == 401, (h, r)
        assert r.header("Content-Type").startswith("text/plain"), r
    assert s.sql("SELECT COUNT(*) FROM sms_inbound")[0][0] == 0
    # The scheme is case-insensitive (RFC 9110 §11.1).
    assert sms(c, dict(base, id="gw-scheme"), headers={"Authorization": "bearer " + SECRET}).status == 200

    # Fields: id and from are required and bounded.
    for bad in ({"from": PHONE, "text": "halo"}, {"id": "", "from": PHONE, "text": "halo"},
                {"id": "x" * 129, "from": PHONE, "text": "halo"}, {"id": "a b", "from": PHONE},
                {"id": "gw-nofrom", "text": "halo"}, {"id": "gw-badfrom", "from": "<script>", "text": "x"}):
        r = sms(c, bad)
        assert r.status == 400, (bad, r)

    # Anything else: the short help, in Indonesian, whatever the gateway's Accept-Language.
    r = sms(c, base, headers=dict(AUTH, **{"Accept-Language": "en"}))
    help_text = answer(r)
    assert "LAPOR" in help_text and "CEK" in help_text and "melapor" in help_text, help_text
    assert r.header("Cache-Control") == "no-store"
    en = answer(sms(c, {"id": "gw-en", "from": PHONE, "text": "hello", "lang": "en"}))
    assert "LAPOR" in en and "to report" in en, en
    for i, text in enumerate(("LAPORAN jalan", "", "INFO", "cek")):
        t = answer(sms(c, {"id": "gw-help-%d" % i, "from": "0811111111%d" % i, "text": text}))
        assert t in (help_text,) or "Nomor pengaduan tidak sah" in t, (text, t)

    # LAPOR with a dotted code, keyword in lower case: filed on channel sms, in the village.
    report = ("lapor 32.19.01.2003 Jalan berlubang besar di depan SD Negeri 1 Mekarsari sudah dua "
              "minggu belum diperbaiki, membahayakan pengendara motor pada malam hari")
    r = sms(c, {"id": "gw-lapor-1", "from": PHONE, "text": report})
    first = r.raw
    text = answer(r)
    m = re.search(TRACK, text)
    assert m and "diterima" in text and "CEK" in text, text
    nomor = m.group(0)
    compact = nomor.replace("-", "")
    assert tracking_with_check(compact[:9]) == compact  # the helper below computes as the server
    row = s.sql("SELECT c.channel, c.status, c.visibility, c.published, c.held, c.public_title, "
                "c.public_text, k.code, p.slug, c.contact_ct IS NOT NULL, c.reporter_account_id "
                "FROM complaint c JOIN complaint_category k ON k.id = c.category_id "
                "JOIN unit p ON p.id = c.place_unit_id WHERE c.tracking = ?", (compact,))
    assert len(row) == 1, row
    channel, status, vis, published, held, title, body, cat, village, has_contact, reporter = row[0]
    assert (channel, status, vis, published, held) == ("sms", "new", "public", 1, 0), row
    assert cat == "jalan-rusak" and village == "desa-mekarsari", row
    assert has_contact and reporter is None, row
    assert body == report[len("lapor 32.19.01.2003 "):], body
    assert title.startswith("Jalan berlubang besar di depan SD") and len(title) <= 83, title
    assert "\n" not in title and (title.endswith("...") or title == body), title
    sent = s.sql("SELECT kind, answer, complaint_id IS NOT NULL FROM sms_inbound WHERE gateway_id = 'gw-lapor-1'")
    assert sent == [("report", text, 1)], sent

    # The same id again, even with another text: the first answer byte for byte, nothing filed.
    n_before = count_sms(s)
    for fields in ({"id": "gw-lapor-1", "from": PHONE, "text": report},
                   {"id": "gw-lapor-1", "from": "081299999999", "text": "LAPOR 3219022001 lain"}):
        again = sms(c, fields)
        assert again.status == 200 and again.raw == first, (again.raw, first)
    assert count_sms(s) == n_before

    # Without dots, keyword in mixed case, words of another category: filed there.
    text = answer(sms(c, {"id": "gw-lapor-2", "from": "+62 812-3456-7891",
                          "text": "LaPoR 3219022001 Lampu jalan di gang masjid mati, gelap sekali"}))
    nomor2 = re.search(TRACK, text).group(0)
    row = s.sql("SELECT k.code, p.slug FROM complaint c JOIN complaint_category k ON k.id = c.category_id "
                "JOIN unit p ON p.id = c.place_unit_id WHERE c.tracking = ?", (nomor2.replace("-", ""),))
    assert row == [("penerangan-jalan", "desa-cibening")], row

    # Refusals are answered (and recorded), nothing filed.
    n_before = count_sms(s)
    t = answer(sms(c, {"id": "gw-lapor-3", "from": "081244444441", "text": "LAPOR 9999999999 Jalan rusak"}))
    assert "Kode desa tidak dikenal" in t, t
    t = answer(sms(c, {"id": "gw-lapor-4", "from": "081244444442", "text": "LAPOR Jalan rusak parah"}))
    assert "Kode desa tidak dikenal" in t, t
    t = answer(sms(c, {"id": "gw-lapor-5", "from": "081244444443", "text": "LAPOR 3219012003   "}))
    assert "kosong" in t, t
    assert count_sms(s) == n_before
    assert s.sql("SELECT kind, complaint_id FROM sms_inbound WHERE gateway_id = 'gw-lapor-3'") == [("report", None)]

    # A NIK in the report: filed but held back, and the answer says so.
    t = answer(sms(c, {"id": "gw-lapor-6", "from": "081355555555",
                       "text": "LAPOR 3219012003 Petugas meminta uang untuk KTP saya 3219015708900001"}))
    nomor_held = re.search(TRACK, t).group(0)
    assert "diperiksa petugas" in t, t
    assert s.sql("SELECT held, published FROM complaint WHERE tracking = ?",
                 (nomor_held.replace("-", ""),)) == [(1, 0)]

    # CEK: grouped, compact, lower case; the status and the unit.
    for i, spelling in enumerate((nomor, compact, compact.lower(), " " + nomor.lower() + " ")):
        t = answer(sms(c, {"id": "gw-cek-%d" % i, "from": "081366666666", "text": "cek " + spelling}))
        assert t.startswith("Pengaduan %s: Menunggu verifikasi, batas waktu " % nomor), t
        assert "Unit: Dinas Pekerjaan Umum" in t, t
    # A held complaint's status is the reporter's too.
    t = answer(sms(c, {"id": "gw-cek-held", "from": "081366666666", "text": "CEK " + nomor_held}))
    assert t.startswith("Pengaduan %s:" % nomor_held), t
    wrong = "Z" if compact[-1] != "Z" else "Y"  # a check character that is not the right one
    t = answer(sms(c, {"id": "gw-cek-bad", "from": "081377777777", "text": "CEK " + compact[:-1] + wrong}))
    assert "tidak sah" in t, t
    unknown = tracking_with_check("A" + ("ZZZZZZZZ" if compact[1:9] != "ZZZZZZZZ" else "YYYYYYYY"))
    t = answer(sms(c, {"id": "gw-cek-unknown", "from": "081377777777", "text": "CEK " + unknown}))
    assert t == "Pengaduan nomor %s tidak ditemukan. Periksa lagi nomornya." % grouped(unknown), t

    # The public page of the SMS complaint names no number; neither does the log.
    page = c.get("/pengaduan/" + nomor)
    assert page.status == 200 and "Jalan berlubang" in page.text, page
    for form in ("081234567890", "6281234567890", "81234567890", "812-3456-7891", "6281234567891"):
        assert form not in page.text
        assert form not in s.read_log(), form

    # The sender's number is never stored in clear: not in any row, not in the files.
    rows = s.sql("SELECT gateway_id, kind, answer FROM sms_inbound")
    assert rows and all("81234567890" not in " ".join(str(v) for v in r) for r in rows), rows
    assert s.sql("SELECT COUNT(*) FROM sms_inbound WHERE length(sender_bidx) = 32")[0][0] == len(rows)
    if s.backend == "sqlite":
        for path in glob.glob(os.path.join(s.data, "pendopo.db*")):
            data = open(path, "rb").read()
            for form in (b"081234567890", b"6281234567890", b"6281234567891", b"3456-7891"):
                assert form not in data, (path, form)


def test_sms_rate_limit_per_sender(ctx):
    s = ctx.server(demo=False, env={"PENDOPO_SMS_SECRET": SECRET})
    c = s.client()
    answers = [answer(sms(c, {"id": "rl-%d" % i, "from": "081200000001", "text": "halo"})) for i in range(5)]
    assert all("LAPOR" in a for a in answers), answers
    busy = answer(sms(c, {"id": "rl-5", "from": "081200000001", "text": "halo"}))
    assert "coba lagi nanti" in busy, busy
    # Another sender is untouched; a spelling of the same number is the same sender.
    assert "LAPOR" in answer(sms(c, {"id": "rl-other", "from": "081200000002", "text": "halo"}))
    assert "coba lagi nanti" in answer(sms(c, {"id": "rl-6", "from": "+62 812-0000-0001", "text": "halo"}))
    # A repeated id is answered from the record, never refused; the refused one left no record.
    assert answer(sms(c, {"id": "rl-0", "from": "081200000001", "text": "halo"})) == answers[0]
    assert s.sql("SELECT COUNT(*) FROM sms_inbound WHERE gateway_id IN ('rl-5', 'rl-6')")[0][0] == 0


@serial
def test_sms_same_id_racing(ctx):
    """12 deliveries of one new id at the same moment: one complaint, 12 identical answers."""
    s = ctx.server(env={"PENDOPO_SMS_SECRET": SECRET})
    before = count_sms(s)  # the demo has a few
    results = [None] * 12
    barrier = threading.Barrier(len(results))

    def deliver(i):
        c = s.client()
        barrier.wait()
        results[i] = sms(c, {"id": "race-1", "from": "081288888888",
                             "text": "LAPOR 3219012003 Sampah menumpuk di TPS dekat pasar"})

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(len(results))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bodies = {r.raw for r in results}
    assert all(r.status == 200 for r in results), results
    assert len(bodies) == 1, bodies
    text = answer(results[0])
    assert re.search(TRACK, text), text
    assert count_sms(s) == before + 1
    assert s.sql("SELECT COUNT(*) FROM sms_inbound WHERE gateway_id = 'race-1'")[0][0] == 1
