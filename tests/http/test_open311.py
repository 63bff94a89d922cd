"""Open311 GeoReport v2 at /open311/v2/ (issue #5): every endpoint in JSON and XML (discovery,
services, service definitions, requests GET and POST, one request, tokens, servicerequestupdates),
the errors of the specification (400, 403, 404 as lists of code and description, in the
suffix's format; a path without .xml/.json is 404), the 90-day window and the page/page_size
limits, every JSON answer validated against the Open311 schemas, partner keys (unknown or
revoked → 403, rate-limited per key, Idempotency-Key), and nothing personal in any answer: an
anonymous web complaint's reporter (name, email) and a partner's reporter (name, email, phone)
never appear, a confidential complaint never appears at all."""
import datetime
import re
import urllib.parse

import test_pengaduan_public as tp
from open311_util import add_key, assert_errors, json_of, no_personal, validate, xml

BASE = "/open311/v2"
SECRETS = ("Bambang Sulistyo", "bambang.sulistyo@example.org", "Wulan Anggraini",
           "wulan.anggraini@example.org", "0812 7777 3333", "Rahasia Sekali")


def q(**kw):
    return "?" + urllib.parse.urlencode(kw) if kw else ""


def post(c, fmt, fields, headers=None):
    return c.post_form("%s/requests.%s" % (BASE, fmt), fields, headers=headers)


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_discovery_services_and_definitions(ctx):
    s = ctx.server()
    c = s.client()
    d = json_of(c.get(BASE + "/discovery.json"))
    assert d["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert d["endpoints"][0]["url"].endswith("/open311/v2") and "text/xml" in d["endpoints"][0]["formats"]
    t = xml(c.get(BASE + "/discovery.xml"), "discovery")
    assert [f.text for f in t.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]

    services = json_of(c.get(BASE + "/services.json"))
    validate(services, "services.json")
    codes = {x["service_code"] for x in services}
    assert {"jalan-rusak", "sampah", "air-bersih"} <= codes
    assert all(x["type"] == "realtime" and x["metadata"] is True for x in services)
    t = xml(c.get(BASE + "/services.xml"), "services")
    assert {e.findtext("service_code") for e in t.findall("service")} == codes
    assert t.find("service/metadata").text == "true"
    assert json_of(c.get(BASE + "/services.json?jurisdiction_id=sukamaju")) == services
    assert json_of(c.get(BASE + "/services.json?jurisdiction_id=")) == services  # empty: absent
    assert_errors(c.get(BASE + "/services.json?jurisdiction_id=tidak-ada"), 404)
    assert_errors(c.get(BASE + "/services.xml?jurisdiction_id=tidak-ada"), 404, "xml")

    sd = json_of(c.get(BASE + "/services/jalan-rusak.json"))
    validate(sd, "service-definition.json")
    assert sd["service_code"] == "jalan-rusak" and sd["attributes"][0]["code"] == "village"
    t = xml(c.get(BASE + "/services/jalan-rusak.xml"), "service_definition")
    assert t.findtext("attributes/attribute/code") == "village"
    assert t.findtext("attributes/attribute/datatype") == "string"
    assert_errors(c.get(BASE + "/services/tidak-ada.json"), 404)
    assert_errors(c.get(BASE + "/services/tidak-ada.xml"), 404, "xml")

    # A path without .xml or .json (or with another suffix) is 404.
    for path in ("/discovery", "/services", "/services.html", "/services/jalan-rusak",
                 "/requests", "/requests.csv", "/servicerequestupdates", "/tokens/A-0000-0000-0"):
        r = c.get(BASE + path)
        assert r.status == 404, (path, r)


def test_post_read_and_privacy(ctx):
    s = ctx.server()
    web = s.client()
    # A web complaint filed anonymously by a visitor who left a name and an email, and a
    # confidential one: neither reporter nor the confidential complaint may ever show.
    anon, _, _ = tp._filed(web, {"judul": "Sampah di bantaran", "kategori": "sampah",
                                 "privasi": "anonim", "nama": "Bambang Sulistyo",
                                 "email": "bambang.sulistyo@example.org"})
    conf, _, _ = tp._filed(web, {"judul": "Rahasia Sekali", "isi": "Rahasia Sekali di kantor.",
                                 "privasi": "rahasia"})
    demo_o311 = s.sql("SELECT COUNT(*) FROM complaint WHERE channel = 'open311'")[0][0]
    kid, key = add_key(s, "Aplikasi Kota")
    tid, tkey = add_key(s, "Mitra Tepercaya", trusted=True)
    c = s.client()
    base = {"api_key": key, "service_code": "jalan-rusak", "lat": "-6.914744", "long": "107.60981",
            "description": "Lubang besar di Jl. Melati, berbahaya untuk motor.",
            "attribute[village]": "32.19.01.2003", "first_name": "Wulan", "last_name": "Anggraini",
            "email": "wulan.anggraini@example.org", "phone": "0812 7777 3333",
            "media_url": "https://foto.example.org/lubang.jpg"}

    # Keys: none, unknown, malformed → 403 in the suffix's format.
    assert_errors(post(c, "json", dict(base, api_key="")), 403)
    assert_errors(post(c, "json", dict(base, api_key="pdk_" + "A" * 43)), 403)
    assert_errors(post(c, "xml", dict(base, api_key="salah")), 403, "xml")
    # Required fields and bad values → 400 lists naming the parameter.
    errs = assert_errors(post(c, "json", dict(base, service_code="")), 400)
    assert any("service_code" in e for e in errs)
    no_loc = {k: v for k, v in base.items() if k not in ("lat", "long")}
    errs = assert_errors(post(c, "json", no_loc), 400)
    assert any("location" in e for e in errs)
    assert_errors(post(c, "xml", no_loc), 400, "xml")
    assert_errors(post(c, "json", dict(base, long="")), 400)
    assert_errors(post(c, "json", dict(base, lat="91", long="10")), 400)
    assert_errors(post(c, "json", dict(base, media_url="ftp://x/y")), 400)
    errs = assert_errors(post(c, "json", dict(base, service_code="tidak-ada")), 400)
    assert any(e.startswith("service_code") for e in errs)
    errs = assert_errors(post(c, "json", dict(base, **{"attribute[village]": "99.99.99.9999"})), 400)
    assert any(e.startswith("attribute[village]") for e in errs)
    assert_errors(post(c, "json", dict(base, description="x" * 4001)), 400)
    assert_errors(post(c, "json", dict(base, jurisdiction_id="tidak-ada")), 404)
    assert s.sql("SELECT COUNT(*) FROM complaint WHERE channel = 'open311'")[0][0] == demo_o311

    # An untrusted partner: filed anonymously, the contact dropped, media_url stored.
    r = post(c, "json", base)
    assert r.status == 201, r
    body = json_of(r)
    assert len(body) == 1 and body[0]["account_id"] is None and body[0]["service_notice"]
    sid = body[0]["service_request_id"]
    assert re.fullmatch(tp.TRACK, sid), sid
    row = s.sql("SELECT visibility, channel, media_url, contact_ct, published, place_unit_id IS NOT NULL "
                "FROM complaint WHERE tracking = ?", (sid.replace("-", ""),))[0]
    assert row[0] == "anonymous" and row[1] == "open311" and row[2] == "https://foto.example.org/lubang.jpg"
    assert row[3] is None and row[4] == 1 and row[5] == 1
    assert s.sql("SELECT api_key_id FROM open311_request o JOIN complaint c ON c.id = o.complaint_id "
                 "WHERE c.tracking = ?", (sid.replace("-", ""),))[0][0] == kid
    assert s.sql("SELECT last_used_ms IS NOT NULL FROM api_key WHERE id = ?", (kid,))[0][0] == 1
    assert s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'open311.request' AND actor = ?",
                 ("apikey:" + kid,))[0][0] == 1

    # A trusted partner, XML, village by slug, address only: public, the contact kept sealed.
    r = post(c, "xml", dict(base, api_key=tkey, lat="", long="", address_string="Jl. Kenanga 5",
                            **{"attribute[village]": "desa-cibening"}))
    assert r.status == 201, r
    t = xml(r, "service_requests")
    tsid = t.findtext("request/service_request_id")
    assert re.fullmatch(tp.TRACK, tsid) and t.find("request/account_id") is not None
    row = s.sql("SELECT visibility, contact_ct FROM complaint WHERE tracking = ?", (tsid.replace("-", ""),))[0]
    assert row[0] == "public" and tp._blob(row[1]) and b"wulan" not in tp._blob(row[1]).lower()
    # address_id alone locates it (a village code without dots).
    r = post(c, "json", dict(base, lat="", long="", address_id="3219012003",
                             **{"attribute[village]": ""}))
    assert r.status == 201, r
    # A phone number in the text holds it back: not published, told so.
    held = json_of(post(c, "json", dict(base, description="Hubungi saya di 0812 7777 3333")))
    held_id = held[0]["service_request_id"]
    assert held[0]["service_notice"] != body[0]["service_notice"]

    # Reading it back: the published request, valid against the schema, public fields only.
    one = json_of(c.get("%s/requests/%s.json" % (BASE, sid)))
    validate(one, "requests.json")
    x = one[0]
    assert x["service_request_id"] == sid and x["status"] == "open" and x["service_code"] == "jalan-rusak"
    assert x["service_name"] == "Jalan rusak" and x["address_id"] == "32.19.01.2003"
    assert abs(x["lat"] + 6.914744) < 1e-6 and abs(x["long"] - 107.60981) < 1e-6
    assert x["description"].startswith("Lubang besar") and x["media_url"] is None
    assert x["agency_responsible"] and x["expected_datetime"] and x["requested_datetime"].endswith("+07:00")
    t = xml(c.get("%s/requests/%s.xml" % (BASE, sid)), "service_requests")
    assert t.findtext("request/service_request_id") == sid and t.findtext("request/status") == "open"
    assert t.find("request/zipcode") is not None and t.findtext("request/long").startswith("107.60981")
    compact = json_of(c.get("%s/requests/%s.json" % (BASE, sid.replace("-", ""))))
    assert compact[0]["service_request_id"] == sid
    for missing in (held_id, conf, "A-0000-0000-0", "bukan"):
        assert_errors(c.get("%s/requests/%s.json" % (BASE, missing)), 404)
    assert_errors(c.get("%s/requests/%s.xml" % (BASE, conf)), 404, "xml")
    # tokens: the token is the id itself; unpublished ones do not answer.
    tok = json_of(c.get("%s/tokens/%s.json" % (BASE, sid)))
    assert tok == [{"service_request_id": sid, "token": sid}]
    assert xml(c.get("%s/tokens/%s.xml" % (BASE, sid)), "service_requests").findtext("request/token") == sid
    assert_errors(c.get("%s/tokens/%s.json" % (BASE, conf)), 404)
    # Several ids at once; unknown ones left out; other parameters ignored.
    many = json_of(c.get("%s/requests.json%s" % (BASE, q(service_request_id="%s,%s,%s,%s" % (sid, anon, conf, held_id),
                                                         status="closed"))))
    validate(many, "requests.json")
    assert [m["service_request_id"] for m in many] == [sid, anon]

    # Nothing personal anywhere, the confidential and held ones nowhere.
    answers = [c.get(BASE + p) for p in (
        "/requests.json", "/requests.xml", "/requests.json?page_size=1000&status=open",
        "/requests/%s.json" % anon, "/requests/%s.xml" % anon, "/requests/%s.json" % tsid,
        "/servicerequestupdates.json", "/servicerequestupdates.xml")]
    for a in answers:
        assert a.status == 200, a
        no_personal(a.text, SECRETS)
        assert conf not in a.text and held_id not in a.text
    listed = json_of(answers[0])
    validate(listed, "requests.json")
    ids = [m["service_request_id"] for m in listed]
    assert sid in ids and anon in ids and tsid in ids


def test_window_paging_and_filters(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get(BASE + "/requests.json")
    all_ = json_of(r)
    validate(all_, "requests.json")
    assert 10 <= len(all_) <= 1000
    times = [x["requested_datetime"] for x in all_]
    parsed = [datetime.datetime.fromisoformat(t) for t in times]
    assert parsed == sorted(parsed, reverse=True), "newest first"
    now = datetime.datetime.now(datetime.timezone.utc)
    assert all(now - p <= datetime.timedelta(days=90, minutes=5) for p in parsed)
    t = xml(c.get(BASE + "/requests.xml"), "service_requests")
    assert [e.findtext("service_request_id") for e in t.findall("request")] == [x["service_request_id"] for x in all_]

    # Pages: disjoint, in order, together the whole list; empty parameters count as absent.
    p1 = json_of(c.get(BASE + "/requests.json" + q(page_size=4, page=1, status="")))
    p2 = json_of(c.get(BASE + "/requests.json" + q(page_size=4, page=2, start_date="")))
    assert len(p1) == 4 and len(p2) == 4
    assert [x["service_request_id"] for x in p1 + p2] == [x["service_request_id"] for x in all_[:8]]
    assert json_of(c.get(BASE + "/requests.json" + q(page_size=4, page=1000))) == []

    # Filters: status, service_code (comma list), jurisdiction (a village or the agency).
    opened = json_of(c.get(BASE + "/requests.json?status=open"))
    closed = json_of(c.get(BASE + "/requests.json?status=closed"))
    assert all(x["status"] == "open" for x in opened) and all(x["status"] == "closed" for x in closed)
    assert len(opened) + len(closed) == len(all_)
    assert len(json_of(c.get(BASE + "/requests.json?status=open,closed"))) == len(all_)
    roads = json_of(c.get(BASE + "/requests.json?service_code=jalan-rusak,sampah"))
    assert roads and all(x["service_code"] in ("jalan-rusak", "sampah") for x in roads)
    village = json_of(c.get(BASE + "/requests.json?jurisdiction_id=desa-mekarsari"))
    assert all(x["address_id"] == "32.19.01.2003" for x in village)
    assert len(json_of(c.get(BASE + "/requests.json?jurisdiction_id=sukamaju"))) == len(all_)
    assert_errors(c.get(BASE + "/requests.json?jurisdiction_id=tidak-ada"), 404)
    assert_errors(c.get(BASE + "/requests.xml?jurisdiction_id=tidak-ada"), 404, "xml")

    # Date ranges: inside 90 days fine (with a zone, even as a '+' the query turned to ' ');
    # over 90 days, reversed or malformed → 400.
    start, end = now - datetime.timedelta(days=30), now
    win = json_of(c.get(BASE + "/requests.json" + q(start_date=iso(start), end_date=iso(end))))
    assert all(start - datetime.timedelta(seconds=1) <= datetime.datetime.fromisoformat(x["requested_datetime"]) for x in win)
    assert len(win) < len(all_)
    r = c.get(BASE + "/requests.json?start_date=%s&end_date=%s" % (
        (now - datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S+07:00"),
        now.strftime("%Y-%m-%d")))
    assert r.status == 200, r
    for bad in (q(start_date=iso(now - datetime.timedelta(days=91)), end_date=iso(now)),
                q(start_date=iso(now), end_date=iso(now - datetime.timedelta(days=1))),
                q(start_date="kemarin"), q(end_date="2026-02-30"),
                q(page_size=0), q(page_size=1001), q(page=0), q(page="x"), q(page=11, page_size=1000),
                q(status="pending"), q(service_code="JALAN RUSAK")):
        assert_errors(c.get(BASE + "/requests.json" + bad), 400)
        assert_errors(c.get(BASE + "/requests.xml" + bad), 400, "xml")
    assert c.get(BASE + "/requests.json" + q(page=10, page_size=1000)).status == 200
    assert_errors(c.get(BASE + "/requests.json" + q(service_request_id=",".join(["A-0000-0000-0"] * 101))), 400)

    # Updates: the public timelines, FixMyStreet's document.
    u = json_of(c.get(BASE + "/servicerequestupdates.json"))
    assert u and all(set(x) == {"update_id", "service_request_id", "status", "updated_datetime",
                                "description", "media_url"} for x in u)
    assert all(x["status"] in ("OPEN", "CLOSED") for x in u)
    t = xml(c.get(BASE + "/servicerequestupdates.xml"), "service_request_updates")
    assert len(t.findall("request_update")) == len(u)
    assert json_of(c.get(BASE + "/servicerequestupdates.json" + q(page_size=2))) == u[:2]
    assert_errors(c.get(BASE + "/servicerequestupdates.json" + q(
        start_date=iso(now - datetime.timedelta(days=100)), end_date=iso(now))), 400)
    assert_errors(c.get(BASE + "/servicerequestupdates.xml?jurisdiction_id=tidak-ada"), 404, "xml")


def test_keys_rate_limit_revocation_and_idempotency(ctx):
    s = ctx.server()
    kid, key = add_key(s, "Mitra Lambat", rate=2)
    c = s.client()
    f = {"api_key": key, "service_code": "sampah", "address_string": "TPS Pasar",
         "description": "Sampah belum diangkut."}
    first = post(c, "json", f, headers={"Idempotency-Key": "kirim-1"})
    assert first.status == 201, first
    again = post(c, "json", f, headers={"Idempotency-Key": "kirim-1"})
    assert again.status == 200 and json_of(again)[0]["service_request_id"] == json_of(first)[0]["service_request_id"]
    limited = post(c, "json", f)
    assert limited.status == 429 and int(limited.header("Retry-After")) >= 1, limited
    assert_errors(limited, 429)
    # Another key has its own budget.
    _, other = add_key(s, "Mitra Lain")
    assert post(c, "xml", dict(f, api_key=other)).status == 201
    listed = s.cli("apikey", "list").stdout
    assert "Mitra Lambat" in listed and key not in listed and key[:12] in listed
    assert s.cli("apikey", "revoke", kid).returncode == 0
    assert s.cli("apikey", "revoke", kid, check=False).returncode == 1
    assert s.cli("apikey", "add", check=False).returncode == 2
    s2 = s.client()
    assert_errors(post(s2, "json", dict(f, api_key=key)), 403)
    assert s.sql("SELECT COUNT(*) FROM audit_log WHERE action IN ('apikey.add', 'apikey.revoke')")[0][0] == 3
    assert s.sql("SELECT COUNT(*) FROM api_key WHERE key_hash = ?", (key.encode(),))[0][0] == 0


def test_admin_apikey_page(ctx):
    s = ctx.server()
    import test_calendar_admin as tc
    top = tc.login(s, tc.TOP)
    page = top.get("/admin/apikey")
    assert page.status == 200 and page.text.count("<main") == 1
    assert page.header("Cache-Control") == "no-store"
    token = top.csrf_from(page.text)
    r = top.post_form("/admin/apikey", {"csrf": token, "partner": "", "per_min": "0"})
    assert r.status == 422 and 'aria-describedby="partner-error"' in r.text and 'id="per-min-error"' in r.text
    r = top.post_form("/admin/apikey", {"csrf": token, "partner": "Aplikasi <Kota>", "per_min": "30",
                                        "trusted": "1"})
    assert r.status == 200, r
    key = re.search(r'<code id="kunci">(pdk_[A-Za-z0-9_-]{43})</code>', r.text).group(1)
    assert "Aplikasi &lt;Kota&gt;" in r.text and "<Kota>" not in r.text
    shown = top.get("/admin/apikey")
    assert key not in shown.text and key[:12] in shown.text
    kid = re.search(r'action="/admin/apikey/([0-9a-f-]{36})/cabut"', shown.text).group(1)
    c = s.client()
    ok = post(c, "json", {"api_key": key, "service_code": "sampah", "address_string": "Pasar"})
    assert ok.status == 201, ok
    assert s.sql("SELECT visibility FROM complaint WHERE tracking = ?",
                 (json_of(ok)[0]["service_request_id"].replace("-", ""),))[0][0] == "public"
    # Without a CSRF token: refused.
    assert top.post_form("/admin/apikey/%s/cabut" % kid, {}).status == 403
    r = top.post_form("/admin/apikey/%s/cabut" % kid, {"csrf": top.csrf_from(shown.text)})
    assert r.status == 303 and r.header("Location") == "/admin/apikey?dicabut=1"
    assert_errors(post(c, "json", {"api_key": key, "service_code": "sampah", "address_string": "Pasar"}), 403)
    assert "Dicabut" in top.get("/admin/apikey").text
    # An administrator below the top unit: 403; a citizen: 404.
    lower = tc.login(s, tc.LOWER)
    assert lower.get("/admin/apikey").status == 403
    cit = tc.login(s, tc.CITIZEN)
    assert cit.get("/admin/apikey").status == 404
    assert s.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'apikey.add' AND actor LIKE 'account:%'")[0][0] == 1


def test_xml_characters_expected_datetime_and_services(ctx):
    s = ctx.server()
    _, key = add_key(s, "Mitra Karakter")
    c = s.client()
    # U+FFFE and U+FFFF are valid UTF-8 that the form accepts, but XML 1.0 forbids them: every
    # XML answer must still parse (the characters dropped), JSON keeps them escaped.
    text = "Tiang listrik roboh\uffff di depan pasar\ufffe, kabel menjuntai."
    r = post(c, "xml", {"api_key": key, "service_code": "jalan-rusak", "address_string": "Pasar",
                        "description": text})
    assert r.status == 201, r
    sid = xml(r, "service_requests").findtext("request/service_request_id")
    one = xml(c.get("%s/requests/%s.xml" % (BASE, sid)), "service_requests")
    assert one.findtext("request/description") == "Tiang listrik roboh di depan pasar, kabel menjuntai."
    listed = xml(c.get(BASE + "/requests.xml"), "service_requests")
    assert sid in [e.findtext("service_request_id") for e in listed.findall("request")]
    assert json_of(c.get("%s/requests/%s.json" % (BASE, sid)))[0]["description"] == text

    # expected_datetime is the due date (the issue), also for a closed request.
    rows = s.sql("SELECT tracking, due_ms FROM complaint WHERE published = 1 AND due_ms IS NOT NULL "
                 "AND status IN ('answered', 'out_of_scope', 'merged') ORDER BY id LIMIT 3")
    assert rows
    wib = datetime.timezone(datetime.timedelta(hours=7))
    for tracking, due in rows:
        x = json_of(c.get("%s/requests/%s.json" % (BASE, tracking)))[0]
        assert x["status"] == "closed"
        want = datetime.datetime.fromtimestamp(due // 1000, wib).strftime("%Y-%m-%dT%H:%M:%S+07:00")
        assert x["expected_datetime"] == want, (x, want)

    # A disabled category is no service: not listed, its definition 404 (XML too).
    assert c.get(BASE + "/services/air-bersih.json").status == 200
    s.sql("UPDATE complaint_category SET enabled = 0 WHERE code = 'air-bersih'")
    assert "air-bersih" not in [x["service_code"] for x in json_of(c.get(BASE + "/services.json"))]
    assert_errors(c.get(BASE + "/services/air-bersih.json"), 404)
    assert_errors(c.get(BASE + "/services/air-bersih.xml"), 404, "xml")
    assert_errors(c.get(BASE + "/services/%s.json" % ("x" * 200)), 404)


def test_idempotency_key_at_the_same_moment(ctx):
    """One key and Idempotency-Key sent 16 times at once files once (in several rounds); on
    PostgreSQL half of the requests go to a second node, whose write may then lose the race on
    the complaint's id and must answer with the first filing (not a 500)."""
    import threading
    s = ctx.server()
    nodes = [s]
    if s.pg:
        from test_pg_nodes import second_node
        nodes.append(second_node(ctx, s))
    kid, key = add_key(s, "Mitra Serentak", rate=1000)
    f = {"api_key": key, "service_code": "sampah", "address_string": "TPS Pasar",
         "description": "Sampah menumpuk di TPS pasar."}
    clients = [nodes[i % len(nodes)].client() for i in range(16)]
    for round_ in range(6):
        results = []
        start = threading.Barrier(16)

        def hit(c):
            start.wait()
            r = post(c, "json", f, headers={"Idempotency-Key": "serentak-%d" % round_})
            results.append((r.status, r.json()[0].get("service_request_id") if r.status in (200, 201) else r.text))
        threads = [threading.Thread(target=hit, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(st for st, _ in results)
        assert statuses == [200] * 15 + [201], results
        assert len({sid for _, sid in results}) == 1, results
    assert s.sql("SELECT COUNT(*) FROM open311_request WHERE api_key_id = ?", (kid,))[0][0] == 6
