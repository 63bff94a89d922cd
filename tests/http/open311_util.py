"""Helpers of the Open311 tests: validation of JSON answers against the Open311 GeoReport v2
schemas in shared/data/open311-georeport-v2 (with python3-jsonschema when installed, else a
small validator for the subset those schemas use: type, required, properties, enum, anyOf,
items, $ref, maxLength, format date-time/uri), API keys made with the CLI, and a search of
every answer for personal data."""
import json
import os
import re
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = None
for cand in (os.environ.get("PD_OPEN311_SCHEMAS"),
             os.path.join(HERE, "..", "..", "..", "shared", "data", "open311-georeport-v2"),
             "/work/shared/data/open311-georeport-v2"):
    if cand and os.path.isfile(os.path.join(cand, "request.json")):
        SCHEMAS = os.path.abspath(cand)
        break

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
TYPES = {"string": str, "number": (int, float), "integer": int, "boolean": bool,
         "array": list, "object": dict, "null": type(None)}


def _load(name):
    with open(os.path.join(SCHEMAS, name)) as f:
        return json.load(f)


def _check(v, schema, path, errors):
    if "$ref" in schema:
        _check(v, _load(schema["$ref"]), path, errors)
        return
    if "anyOf" in schema:
        if not any(not _collect(v, s) for s in schema["anyOf"]):
            errors.append("%s: matches no choice of anyOf" % path)
        return
    t = schema.get("type")
    if t:
        ok = isinstance(v, TYPES[t]) and not (t in ("number", "integer") and isinstance(v, bool))
        if not ok:
            errors.append("%s: %r is not of type %s" % (path, v, t))
            return
    if "enum" in schema and v not in schema["enum"]:
        errors.append("%s: %r not in %r" % (path, v, schema["enum"]))
    if isinstance(v, str):
        if "maxLength" in schema and len(v) > schema["maxLength"]:
            errors.append("%s: longer than %d" % (path, schema["maxLength"]))
        if schema.get("format") == "date-time" and not DATETIME.match(v):
            errors.append("%s: %r is not a date-time" % (path, v))
        if schema.get("format") == "uri" and not re.match(r"^[a-z][a-z0-9+.-]*:", v):
            errors.append("%s: %r is not a URI" % (path, v))
    if isinstance(v, dict):
        for k in schema.get("required", []):
            if k not in v:
                errors.append("%s: %s is required" % (path, k))
        for k, s in schema.get("properties", {}).items():
            if k in v:
                _check(v[k], s, "%s.%s" % (path, k), errors)
    if isinstance(v, list) and "items" in schema:
        for i, item in enumerate(v):
            _check(item, schema["items"], "%s[%d]" % (path, i), errors)


def _collect(v, schema):
    errors = []
    _check(v, schema, "$", errors)
    return errors


def validate(doc, schema_name):
    """Asserts that doc is valid against the named schema (e.g. "requests.json"), with the
    full jsonschema validator too when it is installed (formats checked by our own subset)."""
    assert SCHEMAS, "the Open311 schemas (shared/data/open311-georeport-v2) are missing"
    errors = _collect(doc, _load(schema_name))
    assert not errors, (schema_name, errors[:5])
    try:
        import jsonschema
    except ImportError:
        return
    resolver = jsonschema.RefResolver("file://%s/" % SCHEMAS, _load(schema_name))
    jsonschema.Draft4Validator(_load(schema_name), resolver=resolver).validate(doc)


def xml(resp, root):
    """The parsed XML answer, asserting its type, declaration and root element."""
    assert resp.header("Content-Type") == "application/xml; charset=utf-8", resp
    assert resp.body.lower().startswith(b'<?xml version="1.0" encoding="utf-8"?>'), resp
    tree = ET.fromstring(resp.body)
    assert tree.tag == root, (tree.tag, root)
    return tree


def json_of(resp):
    assert resp.header("Content-Type") == "application/json; charset=utf-8", resp
    return resp.json()


def assert_errors(resp, status, fmt="json"):
    """An Open311 error list with `status` in the answer's format."""
    assert resp.status == status, resp
    if fmt == "xml":
        tree = xml(resp, "errors")
        errs = tree.findall("error")
        assert errs and all(e.findtext("code") == str(status) and e.findtext("description")
                            for e in errs), resp.body
        return [e.findtext("description") for e in errs]
    body = json_of(resp)
    assert isinstance(body, list) and body, body
    for e in body:
        assert e["code"] == status and isinstance(e["description"], str) and e["description"], body
    return [e["description"] for e in body]


def add_key(server, partner, trusted=False, rate=None):
    """Issues a key with `pendopo apikey add`; returns (id, key)."""
    args = ["apikey", "add", "--partner", partner]
    if trusted:
        args.append("--trusted")
    if rate:
        args += ["--rate", str(rate)]
    out = server.cli(*args).stdout
    fields = dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)
    assert re.fullmatch(r"pdk_[A-Za-z0-9_-]{43}", fields["key"]), out
    return fields["id"], fields["key"]


def no_personal(text, secrets):
    for s in secrets:
        assert s.lower() not in text.lower(), s
