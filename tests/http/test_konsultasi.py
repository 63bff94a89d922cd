"""Public consultations on drafts over HTTP (issue #7): the /partisipasi index lists what is open
with its closing date; a draft's sections carry stable ids and figures; signed-in citizens comment
on a section with a stance and reply one level (a reply to a reply is refused); commenting after
the closing date is refused; reports count once per account and three accounts hold a comment,
which then stays hidden on the page and in the API until a moderator decides; the moderator's
reason is public; a moderator of another unit gets 404; staff cannot comment; comments are
rate-limited per account; the back office publishes a draft (raw HTML disabled), a correction as a
new version with the old one still readable, and after closing the follow-up report answering
comments per section, once; /api/v1/consultations lists and shows them and is in the OpenAPI
document."""
import datetime
import html
import json
import re
import time

from identity_util import STRONG, signin
from kantor_util import demo_client, demo_creds

OPEN = "raperbup-pengelolaan-sampah"
CLOSED = "rencana-posyandu-keliling"
SEC = "pasal-2-pemilahan-di-sumber"
WIB = datetime.timezone(datetime.timedelta(hours=7))


def citizen(s, n):
    """Demo citizen n (1..3): warga<n>@sukamaju.example."""
    rows = [line.split("\t") for line in open(s.data + "/demo-accounts.txt").read().splitlines()[1:]]
    r = next(r for r in rows if r[2] == "warga%d@sukamaju.example" % n)
    c = s.client()
    assert signin(c, r[2], r[3]).status == 303
    return c


def comment(c, slug, **fields):
    page = c.get("/partisipasi/konsultasi/%s" % slug)
    assert page.status == 200, page
    f = {"csrf": c.csrf_from(page.text), "komentar": "Komentar uji."}
    f.update(fields)
    return c.post_form("/partisipasi/konsultasi/%s/komentar" % slug, f)


def new_comment_id(r):
    assert r.status == 303, (r.status, re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text))
    return re.search(r"#komentar-([0-9a-f-]{36})$", r.header("Location")).group(1)


def report(c, slug, cid):
    page = c.get("/partisipasi/konsultasi/%s" % slug)
    return c.post_form("/partisipasi/konsultasi/%s/komentar/%s/laporkan" % (slug, cid),
                       {"csrf": c.csrf_from(page.text)})


def cs_id(s, slug):
    return s.sql("SELECT id FROM consultation WHERE slug = ?", (slug,))[0][0]


def moderate(c, s, slug, cid, action, reason):
    i = cs_id(s, slug)
    page = c.get("/kantor/konsultasi/%s" % i)
    if page.status != 200:
        return page
    return c.post_form("/kantor/konsultasi/%s/komentar/%s/moderasi" % (i, cid),
                       {"csrf": c.csrf_from(page.text), "aksi": action, "alasan": reason})


def test_index_sections_figures_and_api(ctx):
    s = ctx.server()
    c = s.client()
    idx = c.get("/partisipasi")
    assert idx.status == 200 and 'href="/partisipasi/konsultasi/%s"' % OPEN in idx.text
    assert re.search(r'Ditutup <time datetime="\d{4}-\d{2}-\d{2}T', idx.text), idx.text
    assert CLOSED not in idx.text  # closed: not "open now"
    assert 'href="/partisipasi"' in idx.text  # the nav link
    lst = c.get("/partisipasi/konsultasi")
    assert lst.status == 200 and OPEN in lst.text and CLOSED in lst.text
    assert lst.text.index(OPEN) < lst.text.index(CLOSED)
    page = c.get("/partisipasi/konsultasi/%s" % OPEN)
    assert page.status == 200
    t = page.text
    for anchor in ("pembuka", "pasal-1-ketentuan-umum", SEC, "pasal-3-jadwal-pengangkutan", "pasal-4-retribusi"):
        assert 'id="bagian-%s"' % anchor in t, anchor
    # Figures of section 2: two visible comments plus a reply (3), one for, one against.
    row = re.search(r'<tr data-section="%s"><th scope="row">[^<]*</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>' % SEC, t)
    assert row and row.groups() == ("3", "1", "1"), row and row.groups()
    # The held advertisement and the hidden abuse show no text; the moderator's reason shows.
    assert "IKLAN" not in t and "kata-kata kasar terhadap petugas" not in t
    assert "disembunyikan sementara karena dilaporkan" in t
    assert "Melanggar pedoman komentar: kata-kata kasar." in t
    assert "Masuk untuk berkomentar" in t  # anonymous: no form
    # Not found: unknown slug, unknown version.
    assert c.get("/partisipasi/konsultasi/tidak-ada").status == 404
    assert c.get("/partisipasi/konsultasi/%s?versi=9" % OPEN).status == 404
    # The closed one with its follow-up report per section.
    closed = c.get("/partisipasi/konsultasi/%s" % CLOSED).text
    assert "Laporan tindak lanjut" in closed and "Pembiayaan seluruhnya dari APBD" in closed
    assert "sudah ditutup" in closed

    # The API: list and one; held and hidden comments without text; no account ids.
    r = c.get("/api/v1/consultations?limit=1")
    assert r.status == 200 and r.header("Content-Type").startswith("application/json")
    body = r.json()
    assert body["items"][0]["slug"] == OPEN and body["items"][0]["status"] == "open"
    assert body["next_cursor"]
    r2 = c.get("/api/v1/consultations?limit=1&cursor=" + body["next_cursor"]).json()
    assert r2["items"][0]["slug"] == CLOSED and r2["next_cursor"] is None
    assert [i["slug"] for i in c.get("/api/v1/consultations?open=true").json()["items"]] == [OPEN]
    assert c.get("/api/v1/consultations?cursor=xyz").status == 400
    one = c.get("/api/v1/consultations/%s" % OPEN)
    assert one.status == 200
    raw = one.text
    assert "IKLAN" not in raw and "kata-kata kasar terhadap petugas" not in raw
    o = one.json()
    states = {cm["state"] for cm in o["comments"]}
    assert states == {"visible", "held", "hidden"}
    for cm in o["comments"]:
        if cm["state"] != "visible":
            assert cm["body"] is None and cm["author"] is None
    assert any(cm["moderation_reason"] == "Melanggar pedoman komentar: kata-kata kasar." for cm in o["comments"])
    accounts = [r[0] for r in s.sql("SELECT account_id FROM consult_comment")]
    assert accounts and not any(a in raw for a in accounts)
    sec = next(x for x in o["sections"] if x["id"] == SEC)
    assert sec["figures"] == {"comments": 3, "support": 1, "oppose": 1, "neutral": 0}
    assert c.get("/api/v1/consultations/tidak-ada").status == 404
    spec = c.get("/api/v1/openapi.json").json()
    assert "/api/v1/consultations" in spec["paths"] and "/api/v1/consultations/{slug}" in spec["paths"]


def test_comment_reply_report_moderate(ctx):
    s = ctx.server()
    w1, w2, w3 = citizen(s, 1), citizen(s, 2), citizen(s, 3)
    # A comment on a section with a stance, shown under the citizen's choice of name.
    r = comment(w1, OPEN, bagian=SEC, sikap="oppose", komentar="Perlu wadah sampah berwarna <b>di pasar</b>.")
    cid = new_comment_id(r)
    page = w1.get("/partisipasi/konsultasi/%s" % OPEN).text
    assert "Perlu wadah sampah berwarna &lt;b&gt;di pasar&lt;/b&gt;." in page
    assert s.sql("SELECT section, stance, author_name FROM consult_comment WHERE id = ?", (cid,))[0] == (SEC, "oppose", None)
    # Missing stance, unknown section, empty text: 422 beside the fields.
    r = comment(w1, OPEN, bagian="tidak-ada", komentar="")
    assert r.status == 422
    for f in ("sikap-error", "bagian-error", "komentar-error"):
        assert 'id="%s"' % f in r.text, f
    # A reply (one level) takes its parent's section; a reply to a reply is refused.
    rid = new_comment_id(comment(w2, OPEN, balas=cid, komentar="Setuju, terutama di pasar."))
    assert s.sql("SELECT parent_id, section, stance FROM consult_comment WHERE id = ?", (rid,))[0] == (cid, SEC, None)
    r = comment(w3, OPEN, balas=rid, komentar="Balasan tingkat dua.")
    assert r.status == 422 and 'id="balas-error"' in r.text
    assert s.sql("SELECT COUNT(*) FROM consult_comment WHERE parent_id = ?", (rid,))[0][0] == 0
    # Staff do not comment.
    mod = demo_client(s, "moderator")
    assert comment(mod, OPEN, sikap="support").status == 403

    # Reports count once per account; three accounts hold the comment.
    assert report(w2, OPEN, cid).status == 303
    assert report(w2, OPEN, cid).status == 303
    assert s.sql("SELECT reports, state FROM consult_comment WHERE id = ?", (cid,))[0] == (1, "visible")
    assert s.sql("SELECT COUNT(*) FROM consult_report WHERE comment_id = ?", (cid,))[0][0] == 1
    assert report(w3, OPEN, cid).status == 303
    assert report(mod, OPEN, cid).status == 303
    assert s.sql("SELECT reports, state FROM consult_comment WHERE id = ?", (cid,))[0] == (3, "held")
    anon = s.client()
    assert "berwarna" not in anon.get("/partisipasi/konsultasi/%s" % OPEN).text
    assert "berwarna" not in anon.get("/api/v1/consultations/%s" % OPEN).text
    # The moderator sees it in the queue and restores it with a reason that stays public.
    q = mod.get("/kantor/konsultasi")
    assert q.status == 200 and cid in q.text
    r = moderate(mod, s, OPEN, cid, "pulihkan", "")
    assert r.status == 422 and 'id="alasan-error"' in r.text
    assert moderate(mod, s, OPEN, cid, "pulihkan", "Kritik yang sah, bukan pelanggaran.").status == 303
    pub = anon.get("/partisipasi/konsultasi/%s" % OPEN).text
    assert "berwarna" in pub and "Kritik yang sah, bukan pelanggaran." in pub
    # After a decision, reports no longer hold it.
    assert report(w1, OPEN, cid).status == 303
    assert s.sql("SELECT state FROM consult_comment WHERE id = ?", (cid,))[0][0] == "visible"
    # Hidden by the moderator: gone from the page and the API, the reason shown.
    assert moderate(mod, s, OPEN, cid, "sembunyikan", "Mengandung data pribadi orang lain.").status == 303
    pub = anon.get("/partisipasi/konsultasi/%s" % OPEN).text
    assert "berwarna" not in pub and "Mengandung data pribadi orang lain." in pub
    api = anon.get("/api/v1/consultations/%s" % OPEN)
    assert "berwarna" not in api.text
    assert next(x for x in api.json()["comments"] if x["id"] == cid)["moderation_reason"] == "Mengandung data pribadi orang lain."
    # Audit entries, ids only.
    acts = [r[0] for r in s.sql("SELECT action FROM audit_log WHERE object_id = ?", (cid,))]
    assert "consult.comment" in acts and acts.count("consult.report") >= 3 and acts.count("consult.moderate") == 2


def test_closed_refused_rate_limit_and_other_unit(ctx):
    s = ctx.server()
    w1 = citizen(s, 1)
    # After the closing date: refused, nothing stored.
    page = w1.get("/partisipasi/konsultasi/%s" % CLOSED)
    assert page.status == 200 and 'action="/partisipasi/konsultasi/%s/komentar"' % CLOSED not in page.text
    before = s.sql("SELECT COUNT(*) FROM consult_comment")[0][0]
    r = w1.post_form("/partisipasi/konsultasi/%s/komentar" % CLOSED,
                     {"csrf": w1.csrf_from(page.text), "bagian": "kegiatan", "sikap": "support", "komentar": "Terlambat."})
    assert r.status == 403 and "sudah ditutup" in r.text
    assert s.sql("SELECT COUNT(*) FROM consult_comment")[0][0] == before
    # Anonymous: sign in first.
    anon = s.client()
    p = anon.get("/masuk")
    assert anon.post_form("/partisipasi/konsultasi/%s/komentar" % OPEN,
                          {"csrf": anon.csrf_from(p.text), "sikap": "support", "komentar": "x"}).status == 303
    # Rate limit per account: 5 comments in 10 minutes, the 6th 429.
    w3 = citizen(s, 3)
    for i in range(5):
        new_comment_id(comment(w3, OPEN, sikap="neutral", komentar="Komentar ke-%d." % i))
    r = comment(w3, OPEN, sikap="neutral", komentar="Satu lagi.")
    assert r.status == 429 and r.header("Retry-After")
    # Another unit's moderator: 404 on the page and on a decision; the regency's: 200.
    s.cli("user", "add", "--email", "moderator.cibening@contoh.id", "--name", "Moderator Cibening",
          "--role", "moderator", "--unit", "kec-cibening", stdin=STRONG + "\n")
    other = s.client()
    assert signin(other, "moderator.cibening@contoh.id", STRONG).status == 303
    i = cs_id(s, OPEN)
    assert other.get("/kantor/konsultasi/%s" % i).status == 404
    cid = s.sql("SELECT id FROM consult_comment WHERE consultation_id = ? AND state = 'visible' LIMIT 1", (i,))[0][0]
    tok = other.csrf_from(other.get("/kantor/konsultasi").text)
    r = other.post_form("/kantor/konsultasi/%s/komentar/%s/moderasi" % (i, cid),
                        {"csrf": tok, "aksi": "sembunyikan", "alasan": "Coba."})
    assert r.status == 404
    assert s.sql("SELECT state FROM consult_comment WHERE id = ?", (cid,))[0][0] == "visible"
    assert OPEN not in other.get("/kantor/konsultasi").text
    assert demo_client(s, "moderator").get("/kantor/konsultasi/%s" % i).status == 200
    # Citizens find no back office.
    assert w1.get("/kantor/konsultasi").status == 404


def _ms(dt):
    return int(dt.timestamp() * 1000)


def test_publish_version_and_followup(ctx):
    s = ctx.unstarted_server()
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    now = datetime.datetime.now(WIB).replace(hour=10, minute=0, second=0, microsecond=0)
    s.set_clock(_ms(now))
    s.start()
    mod = demo_client(s, "moderator")
    page = mod.get("/kantor/konsultasi")
    assert page.status == 200
    md = ("Pembuka rancangan.\n\n# Pasal 1 Jam Operasional\n\nPasar buka pukul 05.00.\n\n"
          "<script>alert(1)</script>\n\n[tautan](javascript:alert(2))\n\n"
          "# Pasal 2 Kebersihan\n\nPedagang menjaga kebersihan lapak.\n")
    today = now.strftime("%Y-%m-%d")
    base = {"csrf": mod.csrf_from(page.text), "unit": "sukamaju", "slug": "raperbup-pasar",
            "judul": "Rancangan Perbup Pasar", "ringkasan": "Aturan pasar rakyat.",
            "buka": today, "tutup": "2020-01-01", "naskah": md}
    r = mod.post_form("/kantor/konsultasi", base)
    assert r.status == 422 and 'id="tutup-error"' in r.text
    base["tutup"] = today
    r = mod.post_form("/kantor/konsultasi", base)
    assert r.status == 303, re.findall(r'class="field-error" id="([^"]+)">([^<]*)', r.text)
    i = cs_id(s, "raperbup-pasar")
    # A taken slug is refused beside the field.
    r = mod.post_form("/kantor/konsultasi", base)
    assert r.status == 422 and 'id="slug-error"' in r.text
    pub = s.client().get("/partisipasi/konsultasi/raperbup-pasar").text
    assert "<script>alert" not in pub and "javascript:alert" not in pub
    assert 'id="bagian-pasal-1-jam-operasional"' in pub and 'id="bagian-pembuka"' in pub
    w1 = citizen(s, 1)
    cid = new_comment_id(comment(w1, "raperbup-pasar", bagian="pasal-1-jam-operasional", sikap="oppose",
                                 komentar="Pukul 05.00 terlalu pagi."))
    # A correction is a new version; the first stays readable; section ids stay.
    kp = mod.get("/kantor/konsultasi/%s" % i).text
    md2 = md.replace("05.00", "06.00")
    r = mod.post_form("/kantor/konsultasi/%s/versi" % i,
                      {"csrf": mod.csrf_from(kp), "versi": "1", "naskah": md2, "catatan": "Jam buka diubah."})
    assert r.status == 303
    r = mod.post_form("/kantor/konsultasi/%s/versi" % i,
                      {"csrf": mod.csrf_from(kp), "versi": "1", "naskah": md2, "catatan": "Lagi."})
    assert r.status == 409
    anon = s.client()
    v2 = anon.get("/partisipasi/konsultasi/raperbup-pasar").text
    v1 = anon.get("/partisipasi/konsultasi/raperbup-pasar?versi=1").text
    assert "06.00" in v2 and "05.00" in v1 and "Jam buka diubah." in v2
    assert 'id="bagian-pasal-1-jam-operasional"' in v2
    assert s.sql("SELECT body_md FROM consult_version WHERE consultation_id = ? AND n = 1", (i,))[0][0] == md
    # Before closing no follow-up report.
    r = mod.post_form("/kantor/konsultasi/%s/tindak-lanjut" % i,
                      {"csrf": mod.csrf_from(kp), "tanggapan:pasal-1-jam-operasional": "x", "perubahan": "y"})
    assert r.status == 403
    # The next day: closed. Comments refused; no corrections; the report once.
    s.set_clock(_ms(now + datetime.timedelta(days=1)))
    w1, mod = citizen(s, 1), demo_client(s, "moderator")  # sessions may have idled out
    r = comment(w1, "raperbup-pasar", sikap="support", komentar="Terlambat.")
    assert r.status == 403
    kp = mod.get("/kantor/konsultasi/%s" % i).text
    assert 'name="tanggapan:pasal-1-jam-operasional"' in kp
    r = mod.post_form("/kantor/konsultasi/%s/tindak-lanjut" % i, {"csrf": mod.csrf_from(kp), "perubahan": "y"})
    assert r.status == 422 and 'id="tanggapan-error"' in r.text
    f = {"csrf": mod.csrf_from(kp), "tanggapan:pasal-1-jam-operasional": "Jam buka dimundurkan ke 06.00.",
         "tanggapan:": "Terima kasih atas semua masukan.", "perubahan": "Pasal 1: jam buka 06.00."}
    assert mod.post_form("/kantor/konsultasi/%s/tindak-lanjut" % i, f).status == 303
    assert mod.post_form("/kantor/konsultasi/%s/tindak-lanjut" % i, f).status == 409
    pub = anon.get("/partisipasi/konsultasi/raperbup-pasar").text
    assert "Jam buka dimundurkan ke 06.00." in pub and "Pasal 1: jam buka 06.00." in pub
    o = anon.get("/api/v1/consultations/raperbup-pasar").json()
    assert o["status"] == "closed" and o["report"]["changes"] == "Pasal 1: jam buka 06.00."
    assert next(x for x in o["sections"] if x["id"] == "pasal-1-jam-operasional")["response"] == "Jam buka dimundurkan ke 06.00."
    assert len(o["version_history"]) == 2


def test_held_and_hidden_text_only_for_the_units_moderators(ctx):
    """Staff of the consultation's unit without the moderator role (an officer of DLH) do not
    reach the back-office view that shows held and hidden texts and report counts (PD_ACT_MODERATE:
    administrators see, moderators act); the unit's moderator does."""
    s = ctx.server()
    i = cs_id(s, OPEN)
    officer = demo_client(s, "officer", "dlh")
    r = officer.get("/kantor/konsultasi/%s" % i)
    assert r.status == 404, r.status
    assert "IKLAN" not in r.text and "kata-kata kasar terhadap petugas" not in r.text
    assert OPEN not in officer.get("/kantor/konsultasi").text
    # The public page and the API still show the held and hidden comments without text.
    for path in ("/partisipasi/konsultasi/%s" % OPEN, "/api/v1/consultations/%s" % OPEN):
        body = officer.get(path).text
        assert "IKLAN" not in body and "kata-kata kasar terhadap petugas" not in body, path
    mod = demo_client(s, "moderator")
    page = mod.get("/kantor/konsultasi/%s" % i)
    assert page.status == 200 and "IKLAN" in page.text


def test_figures_count_beyond_the_page_shown(ctx):
    """The figures per section count every visible comment, also past the 500 a page shows."""
    s = ctx.server()
    i = cs_id(s, OPEN)
    acct = s.sql("SELECT account_id FROM consult_comment WHERE consultation_id = ? LIMIT 1", (i,))[0][0]
    s.sql("INSERT INTO consult_comment (id, consultation_id, section, version, account_id, stance, "
          "body, created_ms) WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n "
          "WHERE k < 600) SELECT 'massal-' || k, ?, ?, 1, ?, 'support', 'Setuju.', "
          "4102444800000 + k FROM n", (i, SEC, acct))
    page = s.client().get("/partisipasi/konsultasi/%s" % OPEN).text
    row = re.search(r'<tr data-section="%s"><th scope="row">[^<]*</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>' % SEC, page)
    assert row and row.groups() == ("603", "601", "1"), row and row.groups()
    o = s.client().get("/api/v1/consultations/%s" % OPEN).json()
    assert o["comments_truncated"] is True
    assert next(x for x in o["sections"] if x["id"] == SEC)["figures"] == {
        "comments": 603, "support": 601, "oppose": 1, "neutral": 0}
