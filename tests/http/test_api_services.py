"""The service catalogue over the JSON API (/api/v1/services, /api/v1/services/{id}) and the
OpenAPI 3.1 document at /api/v1/openapi.json: every /api/v1 route of src/http/routes.c is in the
document and nothing else is; the document's examples and the server's real answers satisfy the
schemas (a small checker of type, required, properties, items, enum, allOf/oneOf and $ref here,
plus the jsonschema package's Draft 2020-12 validator when it is installed)."""
import datetime
import json
import os
import re
import urllib.parse

import lib

DOC_PATH = os.path.join(lib.ROOT, "data", "openapi.json")
ROUTE_RE = re.compile(r'\{\s*"([A-Z]+)"\s*,\s*"(/api/v1/[^"]*)"\s*,')
STANDARD = ("legal_basis", "requirements", "procedure", "product", "complaint_channel", "facilities",
            "staff_competence", "internal_oversight", "staff_count", "service_guarantee",
            "security_guarantee", "performance_evaluation")
RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$")


def load_doc():
    with open(DOC_PATH) as f:
        return json.load(f)


# --- a small schema checker -----------------------------------------------------------------------

def resolve(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        node = doc
        for part in ref[2:].split("/"):
            node = node[part]
    return node


TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def type_ok(value, t):
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, TYPES[t])


def check(doc, schema, value, where="$"):
    """A list of the ways value breaks schema (empty when it fits)."""
    schema = resolve(doc, schema)
    errors = []
    for sub in schema.get("allOf", []):
        errors += check(doc, sub, value, where)
    if "oneOf" in schema:
        fits = [s for s in schema["oneOf"] if not check(doc, s, value, where)]
        if len(fits) != 1:
            errors.append("%s: fits %d of oneOf, not exactly 1" % (where, len(fits)))
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(type_ok(value, t) for t in types):
            return errors + ["%s: %r is not of type %s" % (where, value, types)]
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %r not in %r" % (where, value, schema["enum"]))
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append("%s: required property %r is missing" % (where, key))
        props = schema.get("properties", {})
        for key, sub in props.items():
            if key in value:
                errors += check(doc, sub, value[key], "%s.%s" % (where, key))
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            for key in value:
                if key not in props:
                    errors += check(doc, extra, value[key], "%s.%s" % (where, key))
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += check(doc, schema["items"], item, "%s[%d]" % (where, i))
    if isinstance(value, str) and schema.get("format") == "date-time":
        if not RFC3339_UTC.match(value):
            errors.append("%s: %r is not an RFC 3339 UTC time" % (where, value))
    return errors


def validator(doc):
    """jsonschema's Draft 2020-12 validator over the document's components, or None."""
    try:
        import jsonschema
    except ImportError:
        return None
    cls = getattr(jsonschema, "Draft202012Validator", None)
    if cls is None:
        return None

    def validate(schema, value):
        full = dict(schema)
        full["components"] = doc["components"]
        return [e.message for e in cls(full).iter_errors(value)]
    return validate


def assert_fits(doc, schema, value, what):
    errors = check(doc, schema, value)
    assert not errors, (what, errors, value)
    v = validator(doc)
    if v:
        errors = v(schema, value)
        assert not errors, (what, errors, value)


def response_schema(doc, path, status, method="get"):
    op = doc["paths"][path][method]
    resp = resolve(doc, op["responses"].get(str(status)) or op["responses"]["default"])
    return resp["content"]["application/json"]["schema"]


# --- the document ---------------------------------------------------------------------------------

def routes():
    with open(os.path.join(lib.ROOT, "src", "http", "routes.c")) as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    start = text.index("pd_routes[] = {")
    return {(m.group(1).lower(), m.group(2)) for m in ROUTE_RE.finditer(text[start:text.index("};", start)])}


def test_openapi_matches_route_table(ctx):
    doc = load_doc()
    assert doc["openapi"].startswith("3.1"), doc["openapi"]
    documented = {(m, p) for p, ops in doc["paths"].items() for m in ops
                  if m in ("get", "post", "put", "patch", "delete")}
    served = routes()
    assert len(served) >= 6, served
    assert served - documented == set(), ("routes missing from data/openapi.json", served - documented)
    assert documented - served == set(), ("documented but not served", documented - served)
    # path parameters are declared with the same names as in the route patterns
    for method, path in served:
        names = set(re.findall(r"\{(\w+)\}", path))
        op = doc["paths"][path][method]
        declared = {resolve(doc, p)["name"] for p in op.get("parameters", []) if resolve(doc, p)["in"] == "path"}
        assert names == declared, (path, names, declared)


def test_openapi_examples_fit_their_schemas(ctx):
    doc = load_doc()
    n = 0
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            for status, resp in op["responses"].items():
                media = resolve(doc, resp).get("content", {}).get("application/json", {})
                if "example" in media:
                    assert_fits(doc, media["schema"], media["example"], "%s %s %s" % (method, path, status))
                    n += 1
    for name, resp in doc["components"]["responses"].items():
        media = resp["content"]["application/json"]
        assert_fits(doc, media["schema"], media["example"], name)
        n += 1
    assert n >= 9, n
    # the checker itself refuses what it should
    assert check(doc, {"$ref": "#/components/schemas/ServiceSummary"}, {"id": "x"})
    assert check(doc, {"$ref": "#/components/schemas/Error"}, {"error": {"code": "nope", "message": "m"}})
    assert check(doc, {"$ref": "#/components/schemas/Service"}, {})


def test_openapi_served(ctx):
    s = ctx.server()
    r = s.client().get("/api/v1/openapi.json")
    assert r.status == 200, r
    assert r.header("Content-Type") == "application/json; charset=utf-8", r.header("Content-Type")
    doc = load_doc()
    assert r.json() == doc
    # the other endpoints' real answers fit the document too
    c = s.client()
    for path, template, status in (("/api/v1/units", "/api/v1/units", 200),
                                   ("/api/v1/units/sukamaju", "/api/v1/units/{slug}", 200),
                                   ("/api/v1/units/tidak-ada", "/api/v1/units/{slug}", 404),
                                   ("/api/v1/units?limit=0", "/api/v1/units", 400),
                                   ("/api/v1/calendar/due?days=5", "/api/v1/calendar/due", 200),
                                   ("/api/v1/calendar/due?days=0", "/api/v1/calendar/due", 422)):
        r = c.get(path)
        assert r.status == status, (path, r)
        assert_fits(doc, response_schema(doc, template, status), r.json(), path)


# --- the service catalogue ------------------------------------------------------------------------

def test_list_and_paging(ctx):
    s = ctx.server()
    c = s.client()
    doc = load_doc()
    r = c.get("/api/v1/services")
    assert r.status == 200 and r.header("Content-Type") == "application/json; charset=utf-8", r
    body = r.json()
    assert_fits(doc, response_schema(doc, "/api/v1/services", 200), body, "list")
    assert body["next_cursor"] is None
    all_slugs = [i["slug"] for i in body["items"]]
    assert {"akta-kelahiran", "kartu-keluarga", "ktp-el", "sktm"} <= set(all_slugs), all_slugs
    assert len(all_slugs) == len(set(all_slugs)) and len(all_slugs) < 50, all_slugs
    names = [i["name"] for i in body["items"]]
    assert names == sorted(names, key=lambda n: n.encode()), names
    # the numbers and the unit are the stored ones (a service with a fee among them)
    for item in body["items"]:
        row = s.sql("SELECT s.id, s.fee, s.processing_days, u.slug, u.name FROM service s "
                    "JOIN unit u ON u.id = s.unit_id WHERE s.slug = ?", (item["slug"],))[0]
        assert (item["id"], item["fee"], item["processing_days"], item["unit"]["slug"], item["unit"]["name"]) == \
            (row[0], int(row[1]), int(row[2]), row[3], row[4]), (item, row)
    assert any(i["fee"] > 0 for i in body["items"]) and any(i["fee"] == 0 for i in body["items"])
    # pages of 3 walk the same list exactly once
    seen, cursor, pages = [], None, 0
    while True:
        r = c.get("/api/v1/services?limit=3" + ("&cursor=" + urllib.parse.quote(cursor) if cursor else ""))
        assert r.status == 200, r
        page = r.json()
        assert len(page["items"]) <= 3
        seen += [i["slug"] for i in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert len(page["items"]) == 3
    assert seen == all_slugs and pages == (len(all_slugs) + 2) // 3, (seen, pages)


def html_slugs(page):
    return re.findall(r'<h2><a href="/layanan/([a-z0-9-]+)">', page)


def test_filters(ctx):
    """The API finds what /layanan finds (the same stemmed search and filters), in the same
    order; the demo's services may grow, so the sets are compared, not listed."""
    s = ctx.server()
    c = s.client()

    def api(q):
        r = c.get("/api/v1/services?limit=200&" + q)
        assert r.status == 200, (q, r)
        return [i["slug"] for i in r.json()["items"]]

    def page(q):
        slugs, after = [], None
        while True:
            text = c.get("/layanan?" + q + ("&setelah=" + after if after else "")).text
            slugs += html_slugs(text)
            m = re.search(r'setelah=([0-9a-f-]{36})', text)
            if not m:
                return slugs
            after = m.group(1)

    assert "akta-kelahiran" in api("q=kelahiran") and "akta-kelahiran" in api("q=lahir")
    assert "akta-kelahiran" not in api("q=perizinan") and api("q=perizinan")
    assert api("q=zzzqqq") == []
    for api_q, page_q in (("q=kelahiran", "q=kelahiran"), ("q=Kelahiran%21", "q=Kelahiran%21"),
                          ("q=perizinan", "q=perizinan"), ("unit=disdukcapil", "unit=disdukcapil"),
                          ("unit=sukamaju", "unit=sukamaju"), ("category=Perizinan", "kategori=Perizinan"),
                          ("unit=dinkes&q=izin", "unit=dinkes&q=izin")):
        assert api(api_q) == page(page_q), (api_q, api(api_q), page(page_q))
    units = {i["unit"]["slug"] for i in c.get("/api/v1/services?limit=200&unit=disdukcapil").json()["items"]}
    assert units == {"disdukcapil"}, units
    assert all(i["category"] == "Perizinan" for i in c.get("/api/v1/services?category=Perizinan").json()["items"])
    # a disabled service is not published
    assert "sktm" in api("")
    s.sql("UPDATE service SET enabled = 0 WHERE slug = ?", ("sktm",))
    assert "sktm" not in api("")


def test_errors(ctx):
    s = ctx.server()
    c = s.client()
    doc = load_doc()
    err = {"$ref": "#/components/schemas/Error"}
    for q in ("cursor=bukan-kursor", "cursor=%27%20OR%201%3D1", "limit=0", "limit=201", "limit=abc", "limit=-5"):
        r = c.get("/api/v1/services?" + q)
        assert r.status == 400, (q, r)
        assert r.json()["error"]["code"] == "bad_request", r.json()
        assert_fits(doc, err, r.json(), q)
    # a units cursor is refused by the services list
    units = c.get("/api/v1/units/sukamaju?limit=1").json()
    assert units["next_cursor"]
    assert c.get("/api/v1/services?cursor=" + urllib.parse.quote(units["next_cursor"])).status == 400
    assert c.get("/api/v1/services?limit=200").status == 200
    r = c.get("/api/v1/services?unit=tidak-ada")
    assert r.status == 422 and r.json()["error"]["fields"].keys() == {"unit"}, r
    assert_fits(doc, err, r.json(), "unit")
    r = c.get("/api/v1/services?q=" + "a" * 300)
    assert r.status == 422 and "q" in r.json()["error"]["fields"], r
    for path in ("/api/v1/services/00000000-0000-7000-8000-000000000000", "/api/v1/services/akta-kelahiran",
                 "/api/v1/services/%27%20OR%201%3D1"):
        r = c.get(path)
        assert r.status == 404, (path, r)
        assert r.json()["error"]["code"] == "not_found", r.json()
        assert_fits(doc, err, r.json(), path)


def test_one_service(ctx):
    s = ctx.server()
    c = s.client()
    doc = load_doc()
    item = c.get("/api/v1/services?q=kelahiran").json()["items"][0]
    r = c.get("/api/v1/services/" + item["id"])
    assert r.status == 200, r
    svc = r.json()
    assert_fits(doc, response_schema(doc, "/api/v1/services/{id}", 200), svc, "service")
    for k, v in item.items():
        assert svc[k] == v, (k, svc[k], v)
    row = s.sql("SELECT legal_basis, requirements, procedure, product, complaint_channel, facilities, "
                "staff_competence, internal_oversight, staff_count, service_guarantee, security_guarantee, "
                "performance_evaluation, created_ms FROM service WHERE slug = ?", ("akta-kelahiran",))[0]
    for key, value in zip(STANDARD, row):
        assert svc[key] == value, (key, svc[key], value)
    assert "Surat keterangan kelahiran" in svc["requirements"]
    assert svc["fee"] == 0 and svc["processing_days"] == 1
    assert svc["unit"] == {"slug": "disdukcapil", "name": "Dinas Kependudukan dan Pencatatan Sipil"}, svc["unit"]
    created = datetime.datetime.fromtimestamp(int(row[12]) / 1000, datetime.timezone.utc)
    assert svc["created_at"] == created.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (int(row[12]) % 1000)
    # the current version of the form, field by field
    form = svc["form"]
    rows = s.sql("SELECT version, fields_json FROM service_form WHERE service_id = ? "
                 "ORDER BY version DESC", (item["id"],))
    assert form["version"] == (int(rows[0][0]) if rows else 0), (form, rows)
    stored = json.loads(rows[0][1]) if rows else []
    assert [(f["key"], f["type"], f["label"], bool(f.get("required"))) for f in stored] == \
        [(f["key"], f["type"], f["label"], f["required"]) for f in form["fields"]], (stored, form)
    # a disabled service is gone from the API
    s.sql("UPDATE service SET enabled = 0 WHERE slug = ?", ("akta-kelahiran",))
    assert c.get("/api/v1/services/" + item["id"]).status == 404
