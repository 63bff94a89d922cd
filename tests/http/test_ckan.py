"""The CKAN Action API (issue #6) at /api/3/action/ and its alias /api/action/: every action
(package_list, package_search, package_show, resource_show, organization_list,
organization_show, tag_list, license_list, status_show, help_show) by GET with a query string, by
POST with a JSON body (as ckanapi sends it) and by POST with a form; CKAN's envelope (help,
success, result / error.__type) and statuses (404 Not Found Error, 409 Validation Error, 403
Authorization Error, 400 for an unknown action or a body that is not a JSON object); the
parameters and limits of package_search (q, fq on organization/tags/res_format and nothing else,
rows default 10 and clamped to 1000, start, sort); field names, shapes and timestamps as CKAN
2.10 writes them.

ckanapi is not a Debian package (Debian 12 has no python3-ckanapi), so the client is reproduced
here the way ckanapi 4.x calls a remote site: POST to /api/action/{name}, a JSON body with
Content-Type application/json, and its reverse_apicontroller_action turning the envelope into a
result or the matching exception.

Datasets are written straight into the test server's database (tables of migration 0019), with
units, tags, formats and times chosen so that every count and order can be asserted exactly."""
import json
import re
import urllib.parse
import uuid

from run import serial

CKAN_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$")
T0 = 1790000000000  # 2026-09-21, the seeded datasets' creation time
UNITS = ("disdukcapil", "desa-mekarsari")
PREFIX = "uji-ckan-"


# --- seeding --------------------------------------------------------------------------------------

def unit_ids(s):
    rows = s.sql("SELECT slug, id FROM unit WHERE slug IN (?, ?)", UNITS)
    return dict(rows)


def seed(s, n=12, prefix=PREFIX, resources=True):
    """n datasets named prefix00.. with known units, tags, formats and times. Dataset i:
    unit disdukcapil when i is even, else desa-mekarsari; tags "ujick" on all, "genap-ck" or
    "ganjil-ck" by parity, "tiga-ck" when i % 3 == 0; modified T0 + (n - i) minutes (so modified-desc is name
    order); title "Data Uji <letter>" with letters reversed (so title order is name-desc);
    stems "uji" + "air" when i % 4 == 0; resources (when asked): a CSV on every one, a JSON on
    odd i. Returns a list of dicts describing them."""
    units = unit_ids(s)
    out = []
    rows, tag_rows, res_rows = [], [], []
    for i in range(n):
        name = "%s%0*d" % (prefix, max(2, len(str(n - 1))), i)
        did = str(uuid.uuid4())
        unit = UNITS[i % 2]
        tags = ["ujick", "genap-ck" if i % 2 == 0 else "ganjil-ck"] + (["tiga-ck"] if i % 3 == 0 else [])
        stems = "uji data" + (" air" if i % 4 == 0 else "")
        title = "Data Uji %s" % chr(ord("Z") - i % 26) + ("" if i < 26 else str(i))
        modified = T0 + (n - i) * 60000
        rows.append((did, name, title, "Catatan uji nomor %d" % i, units[unit], "cc-by-4.0",
                     "monthly", stems, T0 + i, modified))
        tag_rows += [(did, t) for t in tags]
        res = []
        if resources:
            fmts = [("CSV", "text/csv; charset=utf-8")] + ([("JSON", "application/json")] if i % 2 else [])
            for pos, (fmt, mt) in enumerate(fmts):
                rid = str(uuid.uuid4())
                res_rows.append((rid, did, "Berkas %s %d" % (fmt, i), "Isi uji", fmt, mt, 100 + i,
                                 "ab" * 32, "blob-" + rid, pos, T0 + i, modified))
                res.append({"id": rid, "format": fmt, "position": pos})
        out.append({"id": did, "name": name, "unit": unit, "tags": sorted(tags), "title": title,
                    "modified": modified, "resources": res, "air": i % 4 == 0})
    insert_many(s, "INSERT INTO dataset (id, name, title, notes, unit_id, license_id, frequency, "
                   "search_stems, created_ms, modified_ms) VALUES ", rows)
    insert_many(s, "INSERT INTO dataset_tag (dataset_id, tag) VALUES ", tag_rows)
    if res_rows:
        insert_many(s, "INSERT INTO dataset_resource (id, dataset_id, name, description, format, "
                       "media_type, size, sha256, blob_id, position, created_ms, modified_ms) VALUES ",
                    res_rows)
    return out


def insert_many(s, head, rows, chunk=200):
    for k in range(0, len(rows), chunk):
        part = rows[k:k + chunk]
        one = "(" + ", ".join("?" * len(part[0])) + ")"
        s.sql(head + ", ".join([one] * len(part)), [v for r in part for v in r])


# --- calling ----------------------------------------------------------------------------------------

def call(c, action, base="/api/3/action/", method="GET", **params):
    """One action: GET with a query string, "JSON" (POST, JSON body) or "FORM" (POST, form)."""
    if method == "GET":
        q = urllib.parse.urlencode(params)
        return c.get(base + action + ("?" + q if q else ""))
    if method == "JSON":
        return c.post_json(base + action, params)
    return c.post_form(base + action, params)


def ok(r, action):
    """The result of a successful envelope, after checking the envelope."""
    assert r.status == 200, r
    assert r.header("Content-Type") == "application/json; charset=utf-8", r
    body = r.json()
    assert set(body) == {"help", "success", "result"}, body
    assert body["success"] is True
    assert re.match(r"^http://127\.0\.0\.1:\d+/api/3/action/help_show\?name=%s$" % action, body["help"]), body
    return body["result"]


def fail(r, status, etype, field=None):
    """The error of a failed envelope, after checking it."""
    assert r.status == status, r
    body = r.json()
    assert body["success"] is False and "result" not in body, body
    assert body["error"]["__type"] == etype, body
    assert isinstance(body["error"].get("message", ""), str)
    if field:
        assert isinstance(body["error"][field], list) and body["error"][field], body
    return body


class CKANAPIError(Exception):
    pass


class NotFound(CKANAPIError):
    pass


class ValidationError(CKANAPIError):
    pass


class NotAuthorized(CKANAPIError):
    pass


def ckanapi_call(c, action, **data):
    """What ckanapi's RemoteCKAN(...).call_action(action, data) does: POST to the alias with a
    JSON body, then reverse_apicontroller_action on the answer."""
    r = c.request("POST", "/api/action/" + action, body=json.dumps(data).encode(),
                  headers={"Content-Type": "application/json", "User-Agent": "ckanapi/4.11"})
    try:
        parsed = json.loads(r.body)
    except ValueError:
        raise CKANAPIError(repr([action, r.status, r.body]))
    if isinstance(parsed, dict) and parsed.get("success"):
        return parsed["result"]
    err = parsed.get("error", {}) if isinstance(parsed, dict) else {}
    etype = err.get("__type")
    if etype == "Validation Error":
        raise ValidationError(err)
    if etype == "Not Found Error":
        raise NotFound(err.get("message", "").split(": ", 1)[-1])
    if etype == "Authorization Error":
        raise NotAuthorized(err)
    raise CKANAPIError(repr([action, r.status, r.body]))


def names(result):
    return [p["name"] for p in result["results"]]


def ours(result):
    return [n for n in names(result) if n.startswith(PREFIX)]


# --- tests ------------------------------------------------------------------------------------------

def test_ckan_envelope_every_action_get_post_alias(ctx):
    s = ctx.server()
    c = s.client()
    ds = seed(s)
    org = "disdukcapil"
    calls = {
        "package_list": {},
        "package_search": {"fq": "organization:%s" % org},
        "package_show": {"id": ds[0]["name"]},
        "resource_show": {"id": ds[0]["resources"][0]["id"]},
        "organization_list": {},
        "organization_show": {"id": org},
        "tag_list": {},
        "license_list": {},
        "status_show": {},
        "help_show": {"name": "package_search"},
    }
    for action, params in calls.items():
        want = ok(call(c, action, **params), action)
        for base in ("/api/3/action/", "/api/action/"):
            for method in ("GET", "JSON", "FORM"):
                got = ok(call(c, action, base=base, method=method, **params), action)
                assert got == want, (action, base, method)
        # HEAD answers like GET without a body
        assert c.request("HEAD", "/api/3/action/" + action).status in (200, 409)
    # the alias answers exactly like /api/3/action/
    assert call(c, "package_list", base="/api/action/").body == call(c, "package_list").body
    # other methods: 405 in CKAN's envelope
    r = c.request("PUT", "/api/3/action/package_list", body=b"{}", headers={"Content-Type": "application/json"})
    assert r.status == 405 and r.json()["success"] is False, r


def test_ckan_errors_unknown_action_bad_json_write_actions(ctx):
    s = ctx.server()
    c = s.client()
    for base in ("/api/3/action/", "/api/action/"):
        b = fail(call(c, "package_frobnicate", base=base), 400, "Validation Error")
        assert b["error"]["message"] == "Bad request - Action name not known: package_frobnicate"
        assert b["help"].endswith("/api/3/action/help_show?name=package_frobnicate")
        b = fail(call(c, "<script>", base=base, method="JSON"), 400, "Validation Error")
        assert "<script>" not in json.dumps(b)
        # malformed JSON and a JSON body that is not an object: 400
        r = c.request("POST", base + "package_search", body=b'{"q": ', headers={"Content-Type": "application/json"})
        assert r.status == 400 and r.json()["success"] is False and r.json()["error"]["__type"], r
        r = c.request("POST", base + "package_search", body=b'["q"]', headers={"Content-Type": "application/json"})
        fail(r, 400, "Validation Error")
        # a parameter that must be a string given as an object: 409 naming it
        fail(call(c, "package_search", base=base, method="JSON", q={"a": 1}), 409, "Validation Error", "q")
        # CKAN's write actions: 403 for everyone (datasets are written through /admin)
        for action in ("package_create", "package_update", "package_patch", "package_delete",
                       "resource_create", "organization_create"):
            fail(call(c, action, base=base, method="JSON", name="x"), 403, "Authorization Error")
    # help_show: known, unknown, missing name
    assert "rows" in ok(call(c, "help_show", name="package_search"), "help_show")
    fail(call(c, "help_show", name="package_frob"), 404, "Not Found Error")
    fail(call(c, "help_show"), 409, "Validation Error", "name")


def test_ckan_package_search_parameters(ctx):
    s = ctx.server()
    c = s.client()
    base = {u: ok(call(c, "package_search", fq="organization:" + u, rows=0), "package_search")["count"]
            for u in UNITS}
    ds = seed(s, 12)
    by_name = sorted(d["name"] for d in ds)
    total = s.sql("SELECT COUNT(*) FROM dataset")[0][0]

    # q empty, absent or *:* means all; count is the total; rows defaults to 10
    for q in ({}, {"q": ""}, {"q": "*:*"}):
        res = ok(call(c, "package_search", **q), "package_search")
        assert res["count"] == total and len(res["results"]) == min(10, total), res["count"]
        assert set(res) == {"count", "results", "sort", "facets", "search_facets"}
        assert res["facets"] == {} and res["search_facets"] == {}
        assert res["sort"] == "score desc, metadata_modified desc"
    # q: stems ("air" on i % 4 == 0)
    res = ok(call(c, "package_search", q="air", fq="tags:ujick", rows=100), "package_search")
    assert sorted(names(res)) == sorted(d["name"] for d in ds if d["air"]) and res["count"] == 3

    # fq: organization, tags (several: all), res_format, and combinations
    def fq(expr, **kw):
        return ok(call(c, "package_search", fq=expr, rows=1000, **kw), "package_search")
    for u in UNITS:
        res = fq("organization:%s" % u)
        assert sorted(ours(res)) == sorted(d["name"] for d in ds if d["unit"] == u), u
        assert res["count"] == len(res["results"]) == base[u] + 6
    assert sorted(names(fq("tags:genap-ck tags:tiga-ck"))) == sorted(d["name"] for d in ds if "genap-ck" in d["tags"] and "tiga-ck" in d["tags"])
    assert sorted(names(fq('+tags:"ganjil-ck" AND +tags:ujick'))) == sorted(d["name"] for d in ds if "ganjil-ck" in d["tags"])
    json_sets = sorted(d["name"] for d in ds if any(r["format"] == "JSON" for r in d["resources"]))
    assert sorted(ours(fq("res_format:JSON"))) == json_sets
    assert sorted(ours(fq("res_format:json"))) == json_sets  # formats compare case-insensitively
    assert sorted(names(fq("organization:desa-mekarsari res_format:CSV tags:tiga-ck"))) == \
        sorted(d["name"] for d in ds if d["unit"] == "desa-mekarsari" and "tiga-ck" in d["tags"])
    assert fq("organization:tidak-ada")["count"] == 0
    assert fq("organization:disdukcapil organization:desa-mekarsari")["count"] == 0
    # fq_list, as a JSON list
    res = ok(call(c, "package_search", method="JSON", fq_list=["tags:genap-ck", "organization:disdukcapil"], rows=100),
             "package_search")
    assert sorted(names(res)) == sorted(d["name"] for d in ds if d["unit"] == "disdukcapil")
    # anything else in fq: 409 Validation Error naming fq
    for bad in ("name:uji-ckan-01", "metadata_modified:[2026-01-01T00:00:00Z TO *]", "capacity:public",
                "tags", "tags:", 'tags:"unclosed', "-tags:uji", "tags:uj*", "organization:a b:c"):
        fail(call(c, "package_search", fq=bad), 409, "Validation Error", "fq")
    fail(call(c, "package_search", fq=" ".join(["tags:t%d" % i for i in range(11)])), 409, "Validation Error", "fq")

    # rows and start: integers, natural numbers; start at most 10000
    for bad in ({"rows": "abc"}, {"rows": "-1"}, {"rows": "1.5"}, {"start": "-3"}, {"start": "x"},
                {"start": "10001"}):
        fail(call(c, "package_search", **bad), 409, "Validation Error", list(bad)[0])
    assert ok(call(c, "package_search", rows=0), "package_search")["results"] == []
    assert ok(call(c, "package_search", rows=0), "package_search")["count"] == total
    # JSON numbers are accepted as numbers
    assert len(ok(call(c, "package_search", method="JSON", rows=3), "package_search")["results"]) == 3

    # start pages through a fixed order without gaps or repeats
    seen = []
    for start in range(0, 12, 5):
        res = ok(call(c, "package_search", fq="tags:ujick", sort="name asc", rows=5, start=start), "package_search")
        seen += names(res)
    assert seen == by_name
    assert ok(call(c, "package_search", fq="tags:ujick", start=12), "package_search")["results"] == []

    # sort
    def order(sort):
        return names(ok(call(c, "package_search", fq="tags:ujick", sort=sort, rows=100), "package_search"))
    assert order("name asc") == by_name
    assert order("name desc") == by_name[::-1]
    assert order("metadata_modified desc") == by_name  # modified falls with i
    assert order("metadata_modified asc") == by_name[::-1]
    assert order("score desc, metadata_modified desc") == by_name
    assert order("title_string asc") == by_name[::-1]  # titles run Z, Y, X, …
    assert order("title_string desc, name asc") == by_name
    res = ok(call(c, "package_search", fq="tags:ujick", sort="name desc"), "package_search")
    assert res["sort"] == "name desc"
    for bad in ("name", "name up", "notes asc", "name asc;", "metadata_created desc"):
        fail(call(c, "package_search", sort=bad), 409, "Validation Error", "sort")


@serial
def test_ckan_rows_clamped_to_1000(ctx):
    s = ctx.server()
    c = s.client()
    seed(s, 1005, prefix="uji-banyak-", resources=False)
    total = s.sql("SELECT COUNT(*) FROM dataset")[0][0]
    assert total >= 1005
    for method in ("GET", "JSON"):
        res = ok(call(c, "package_search", method=method, rows=5000, sort="name asc"), "package_search")
        assert res["count"] == total and len(res["results"]) == 1000, (res["count"], len(res["results"]))
    res = ok(call(c, "package_search", rows=1000, start=1000, sort="name asc"), "package_search")
    assert len(res["results"]) == total - 1000
    lst = ok(call(c, "package_list"), "package_list")
    assert len(lst) == total and lst == sorted(lst)
    assert ok(call(c, "package_list", limit=10, offset=1000), "package_list") == lst[1000:1010]


def test_ckan_package_and_resource_show_fields(ctx):
    s = ctx.server()
    c = s.client()
    ds = seed(s, 4)
    d = ds[1]  # desa-mekarsari, CSV + JSON
    by_id = ok(call(c, "package_show", id=d["id"]), "package_show")
    by_name = ok(call(c, "package_show", id=d["name"]), "package_show")
    assert by_id == by_name
    p = by_id
    assert p["id"] == d["id"] and p["name"] == d["name"] and p["title"] == d["title"]
    assert p["notes"] == "Catatan uji nomor 1" and p["type"] == "dataset" and p["state"] == "active"
    assert p["private"] is False and p["isopen"] is True
    assert p["license_id"] == "cc-by-4.0" and p["license_title"] and p["license_url"].startswith("http")
    for k in ("metadata_created", "metadata_modified"):
        assert CKAN_TIME.match(p[k]), p[k]
    assert p["metadata_modified"] == "2026-09-21T14:16:20.000000"  # T0 + 3 minutes, UTC
    unit_id = unit_ids(s)["desa-mekarsari"]
    assert p["owner_org"] == unit_id
    org = p["organization"]
    assert org["id"] == unit_id and org["name"] == "desa-mekarsari" and org["title"]
    assert org["is_organization"] is True and org["type"] == "organization" and "description" in org
    assert [t["name"] for t in p["tags"]] == d["tags"] and p["num_tags"] == len(d["tags"])
    for t in p["tags"]:
        assert t["display_name"] == t["name"] and re.match(r"^[0-9a-f-]{36}$", t["id"])
    assert {"key": "frequency", "value": "monthly"} in p["extras"]
    assert p["num_resources"] == 2 and [r["format"] for r in p["resources"]] == ["CSV", "JSON"]
    for pos, r in enumerate(p["resources"]):
        assert r["package_id"] == d["id"] and r["position"] == pos and r["id"] == d["resources"][pos]["id"]
        assert r["url"] == "http://127.0.0.1:%d/data/%s/%s/unduh" % (s.port, d["name"], r["id"]), r["url"]
        assert r["size"] == 101 and CKAN_TIME.match(r["created"]) and CKAN_TIME.match(r["last_modified"])
        assert r["mimetype"] in ("text/csv", "application/json") and r["name"] and "description" in r
    assert p["resources"][0]["mimetype"] == "text/csv"
    # the same tag has the same id everywhere
    other = ok(call(c, "package_show", id=ds[3]["name"]), "package_show")
    assert {t["name"]: t["id"] for t in other["tags"]}["ujick"] == {t["name"]: t["id"] for t in p["tags"]}["ujick"]

    res = ok(call(c, "resource_show", id=p["resources"][1]["id"]), "resource_show")
    assert res == p["resources"][1]
    # not found; missing id
    for action in ("package_show", "resource_show", "organization_show"):
        fail(call(c, action, id="00000000-0000-4000-8000-000000000000"), 404, "Not Found Error")
        fail(call(c, action, id="tidak-ada-sama-sekali"), 404, "Not Found Error")
        fail(call(c, action), 409, "Validation Error", "id")
        fail(call(c, action, method="JSON", id=None), 409, "Validation Error", "id")
    # search results carry the same package dictionaries
    res = ok(call(c, "package_search", fq="organization:desa-mekarsari tags:ujick", sort="name asc"),
             "package_search")
    assert res["results"][0] == by_id


def test_ckan_organizations_tags_licences_status(ctx):
    s = ctx.server()
    c = s.client()
    before = ok(call(c, "organization_show", id="disdukcapil"), "organization_show")["package_count"]
    ds = seed(s, 6)
    n_units = s.sql("SELECT COUNT(*) FROM unit")[0][0]
    orgs = ok(call(c, "organization_list", limit=1000), "organization_list")
    assert len(orgs) == n_units and "disdukcapil" in orgs and "desa-mekarsari" in orgs
    full = ok(call(c, "organization_list", all_fields="true", sort="name asc", limit=1000), "organization_list")
    assert len(full) == min(25, n_units)  # all_fields lists at most 25, as CKAN does
    assert [o["name"] for o in full] == sorted(orgs)[:25]
    by_count = ok(call(c, "organization_list", all_fields=True, method="JSON", sort="package_count desc"),
                  "organization_list")
    counts = [o["package_count"] for o in by_count]
    assert counts == sorted(counts, reverse=True)
    assert ok(call(c, "organization_list", sort="name desc", limit=3), "organization_list") == sorted(orgs, reverse=True)[:3]
    assert ok(call(c, "organization_list", sort="name asc", offset=2, limit=2), "organization_list") == sorted(orgs)[2:4]
    fail(call(c, "organization_list", sort="created asc"), 409, "Validation Error", "sort")
    fail(call(c, "organization_list", all_fields="perhaps"), 409, "Validation Error", "all_fields")
    fail(call(c, "organization_list", limit="-1"), 409, "Validation Error", "limit")

    o = ok(call(c, "organization_show", id="disdukcapil"), "organization_show")
    assert o["name"] == "disdukcapil" and o["package_count"] == before + 3 and "packages" not in o
    assert CKAN_TIME.match(o["created"]) and o["state"] == "active" and o["approval_status"] == "approved"
    assert ok(call(c, "organization_show", id=o["id"]), "organization_show") == o
    o2 = ok(call(c, "organization_show", id="disdukcapil", include_datasets="true"), "organization_show")
    assert sorted(p["name"] for p in o2["packages"] if p["name"].startswith(PREFIX)) == \
        sorted(d["name"] for d in ds if d["unit"] == "disdukcapil")
    assert len(o2["packages"]) == before + 3

    tags = ok(call(c, "tag_list"), "tag_list")
    assert {"ujick", "genap-ck", "ganjil-ck", "tiga-ck"} <= set(tags) and tags == sorted(tags)
    assert ok(call(c, "tag_list", query="GANJIL"), "tag_list") == [t for t in tags if "ganjil" in t]
    full = ok(call(c, "tag_list", all_fields="true"), "tag_list")
    assert [t["name"] for t in full] == tags and all(re.match(r"^[0-9a-f-]{36}$", t["id"]) for t in full)
    fail(call(c, "tag_list", vocabulary_id="x"), 404, "Not Found Error")

    lic = ok(call(c, "license_list"), "license_list")
    ids = [x["id"] for x in lic]
    assert {"cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0", "odc-odbl"} <= set(ids)
    for x in lic:
        assert set(x) >= {"id", "title", "url", "status", "od_conformance"} and x["title"]

    st = ok(call(c, "status_show"), "status_show")
    assert st["ckan_version"].startswith("2.10") and st["site_url"] == "http://127.0.0.1:%d" % s.port
    assert st["site_title"] and st["locale_default"] == "id"


def test_ckan_public_url_in_links(ctx):
    s = ctx.server(args=["--public-url", "https://data.sukamaju.example/"])
    c = s.client()
    d = seed(s, 1)[0]
    r = call(c, "package_show", id=d["name"])
    assert r.status == 200
    body = r.json()
    assert body["help"] == "https://data.sukamaju.example/api/3/action/help_show?name=package_show"
    assert body["result"]["resources"][0]["url"].startswith("https://data.sukamaju.example/data/%s/" % d["name"])


def test_ckan_client_like_ckanapi(ctx):
    """The calls a harvester makes through ckanapi, and the exceptions ckanapi raises."""
    s = ctx.server()
    c = s.client()
    ds = seed(s, 5)
    assert ckanapi_call(c, "status_show")["ckan_version"].startswith("2.10")
    names_all = ckanapi_call(c, "package_list")
    assert {d["name"] for d in ds} <= set(names_all)
    # a harvester's loop: package_search pages of rows, then package_show of each
    got, start = [], 0
    while True:
        page = ckanapi_call(c, "package_search", q="*:*", fq="tags:ujick", rows=2, start=start, sort="name asc")
        if not page["results"]:
            break
        got += [p["name"] for p in page["results"]]
        start += 2
    assert got == sorted(d["name"] for d in ds) and page["count"] == 5
    for n in got:
        assert ckanapi_call(c, "package_show", id=n)["name"] == n
    for exc, action, data in ((NotFound, "package_show", {"id": "tidak-ada"}),
                              (ValidationError, "package_search", {"fq": "author:x"}),
                              (ValidationError, "package_search", {"rows": "banyak"}),
                              (NotAuthorized, "package_create", {"name": "baru"})):
        try:
            ckanapi_call(c, action, **data)
        except exc:
            pass
        else:
            raise AssertionError("%s %r did not raise %s" % (action, data, exc.__name__))
