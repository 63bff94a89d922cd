"""The DCAT-AP 3.0.1 catalogue (issue #6) at /data/catalog.jsonld and /data/catalog.ttl: each page
parses as JSON-LD and as Turtle with rdflib, and as Turtle with rapper (raptor2-utils); both forms
of a page are the same graph; the catalogue has zero sh:Violation against the official DCAT-AP
3.0.1 SHACL shapes (shared/data/dcat-ap-3.0.1-shacl.ttl, validated with npm rdf-validate-shacl by
tests/rdf/validate.mjs, for the Turtle and for the JSON-LD converted to N-Triples); the mandatory
properties are there and typed as the brief asks (licence a dct:LicenseDocument, frequency from
the EU vocabulary, dates xsd:dateTime); 100 datasets a page as a Hydra PartialCollectionView
(first, last, previous, next) whose pages together list every dataset exactly once."""
import json
import os
import subprocess
import tempfile
import time

import lib
import test_ckan as tc

PY = "/usr/bin/python3"  # Debian's rdflib lives under Debian's Python (TOOLCHAIN.md)
HERE = os.path.dirname(os.path.abspath(__file__))
RDF_DIR = os.path.join(lib.ROOT, "tests", "rdf")
SHAPES = next((p for p in (os.path.join(lib.ROOT, "..", "shared", "data", "dcat-ap-3.0.1-shacl.ttl"),
                           "/work/shared/data/dcat-ap-3.0.1-shacl.ttl") if os.path.exists(p)), None)

# Runs under Debian's Python with rdflib: parses the files and prints facts about the graphs as
# JSON (or the parse error), so the test itself needs no rdflib in the Python running it.
INSPECT = r'''
import json, sys
from rdflib import Graph, Namespace, RDF, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
DCAT = Namespace("http://www.w3.org/ns/dcat#"); DCT = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/"); HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ttl, jsonld, nt_out = sys.argv[1:4]
g = Graph().parse(ttl, format="turtle")
j = Graph().parse(jsonld, format="json-ld")
j.serialize(nt_out, format="nt", encoding="utf-8")
# the same graph, but for the page links, which name pages of their own format
same = Graph().parse(data=open(jsonld, encoding="utf-8").read().replace("/data/catalog.jsonld?", "/data/catalog.ttl?"),
                     format="json-ld")
out = {"same": isomorphic(g, same), "triples": len(g)}
cats = list(g.subjects(RDF.type, DCAT.Catalog))
out["catalogs"] = [str(c) for c in cats]
cat = cats[0]
one = lambda s, p: [str(o) for o in g.objects(s, p)]
out["catalog"] = {k: one(cat, p) for k, p in (("title", DCT.title), ("description", DCT.description),
                  ("publisher", DCT.publisher), ("total", HYDRA.totalItems), ("view", HYDRA.view))}
out["catalog_datasets"] = sorted(one(cat, DCAT.dataset))
view = URIRef(out["catalog"]["view"][0])
out["view"] = {k: one(view, HYDRA[k]) for k in ("first", "last", "next", "previous")}
out["view_types"] = one(view, RDF.type)
problems = []
datasets = list(g.subjects(RDF.type, DCAT.Dataset))
out["datasets"] = {}
for d in datasets:
    info = {k: one(d, p) for k, p in (("title", DCT.title), ("description", DCT.description),
            ("identifier", DCT.identifier), ("publisher", DCT.publisher), ("keyword", DCAT.keyword),
            ("frequency", DCT.accrualPeriodicity), ("distribution", DCAT.distribution))}
    for p in (DCT.issued, DCT.modified):
        for o in g.objects(d, p):
            if not (isinstance(o, Literal) and o.datatype == XSD.dateTime):
                problems.append("%s %s not xsd:dateTime: %r" % (d, p, o))
    for f in g.objects(d, DCT.accrualPeriodicity):
        if (f, RDF.type, DCT.Frequency) not in g:
            problems.append("frequency %s not a dct:Frequency" % f)
    for a in g.objects(d, DCT.publisher):
        if (a, RDF.type, FOAF.Agent) not in g or not list(g.objects(a, FOAF.name)):
            problems.append("publisher %s not a named foaf:Agent" % a)
    for dist in g.objects(d, DCAT.distribution):
        if (dist, RDF.type, DCAT.Distribution) not in g or not list(g.objects(dist, DCAT.accessURL)):
            problems.append("distribution %s untyped or without accessURL" % dist)
        for lic in g.objects(dist, DCT.license):
            if (lic, RDF.type, DCT.LicenseDocument) not in g:
                problems.append("licence %s not a dct:LicenseDocument" % lic)
        info.setdefault("licences", []).extend(str(x) for x in g.objects(dist, DCT.license))
        info.setdefault("downloads", []).extend(str(x) for x in g.objects(dist, DCAT.downloadURL))
    out["datasets"][str(d)] = info
out["problems"] = problems
print(json.dumps(out))
'''


def fetch(c, ext, page=None):
    r = c.get("/data/catalog.%s%s" % (ext, "" if page is None else "?page=%s" % page))
    return r


def both(c, page=None):
    """The Turtle and the JSON-LD of one page, read while nothing changed in between (the
    "opendata" job may regenerate the demo's datasets just after start-up)."""
    for _ in range(5):
        rt, rj = fetch(c, "ttl", page), fetch(c, "jsonld", page)
        if fetch(c, "ttl", page).body == rt.body:
            return rt, rj
        time.sleep(0.5)
    raise AssertionError("the catalogue kept changing")


def inspect(tmp, ttl_bytes, jsonld_bytes):
    ttl, jl, nt = (os.path.join(tmp, n) for n in ("page.ttl", "page.jsonld", "page.nt"))
    with open(ttl, "wb") as f:
        f.write(ttl_bytes)
    with open(jl, "wb") as f:
        f.write(jsonld_bytes)
    p = subprocess.run([PY, "-c", INSPECT, ttl, jl, nt], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-3000:]
    # rapper (raptor2-utils) parses the Turtle too, and counts the same triples
    # (rapper counts a repeated triple each time; the graph holds it once)
    rp = subprocess.run(["rapper", "-q", "-i", "turtle", "-o", "ntriples", ttl, "http://example.org/base"],
                        capture_output=True, text=True, timeout=120)
    assert rp.returncode == 0 and not rp.stderr, rp.stderr[-2000:]
    facts = json.loads(p.stdout)
    assert len(set(rp.stdout.splitlines())) == facts["triples"]
    return facts, ttl, nt


def shacl(*files):
    """The validator's report for the files (Turtle or N-Triples) against the official shapes."""
    assert SHAPES, "shared/data/dcat-ap-3.0.1-shacl.ttl is missing"
    assert os.path.isdir(os.path.join(RDF_DIR, "node_modules", "rdf-validate-shacl")), \
        "tests/rdf/node_modules is missing: run scripts/bootstrap --test"
    p = subprocess.run(["node", os.path.join(RDF_DIR, "validate.mjs"), SHAPES] + list(files),
                       capture_output=True, text=True, timeout=300)
    assert p.stdout, p.stderr[-3000:]
    return json.loads(p.stdout)


def test_dcat_catalogue_parses_validates_and_pages(ctx):
    s = ctx.server()
    c = s.client()
    tc.seed(s, 230, prefix="uji-dcat-")
    # one dataset without notes, tags or resources, and with a licence without a URL
    s.sql("UPDATE dataset SET notes = '', license_id = 'other-open', frequency = 'irregular' "
          "WHERE name = 'uji-dcat-001'")
    s.sql("DELETE FROM dataset_tag WHERE dataset_id = (SELECT id FROM dataset WHERE name = 'uji-dcat-001')")
    all_names = sorted(r[0] for r in s.sql("SELECT name FROM dataset"))
    total = len(all_names)
    last = (total + 99) // 100
    assert last >= 3
    base = "http://127.0.0.1:%d" % s.port
    seen = []
    with tempfile.TemporaryDirectory() as tmp:
        for page in range(1, last + 1):
            rt, rj = both(c, page)
            assert rt.status == 200 and rt.header("Content-Type") == "text/turtle; charset=utf-8", rt
            assert rj.status == 200 and rj.header("Content-Type") == "application/ld+json; charset=utf-8", rj
            doc = rj.json()
            assert isinstance(doc["@context"], dict) and doc["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
            facts, ttl, nt = inspect(tmp, rt.body, rj.body)
            assert facts["same"], "the Turtle and the JSON-LD of page %d differ" % page
            assert facts["problems"] == [], facts["problems"][:10]
            assert facts["catalogs"] == [base + "/data#catalog"]
            cat = facts["catalog"]
            assert cat["title"] and cat["description"] and cat["publisher"] == [base + "/unit/sukamaju"]
            assert cat["total"] == [str(total)]
            assert all(d.startswith(base + "/data/") and d.endswith("#dataset") for d in facts["catalog_datasets"])
            here = [d[len(base + "/data/"):-len("#dataset")] for d in facts["catalog_datasets"]]
            assert len(here) == (100 if page < last else total - 100 * (last - 1))
            assert sorted(facts["datasets"]) == facts["catalog_datasets"]
            seen += here
            v = facts["view"]
            assert facts["view_types"] == ["http://www.w3.org/ns/hydra/core#PartialCollectionView"]
            assert cat["view"] == [base + "/data/catalog.ttl?page=%d" % page]
            assert v["first"] == [base + "/data/catalog.ttl?page=1"]
            assert v["last"] == [base + "/data/catalog.ttl?page=%d" % last]
            assert v["next"] == ([base + "/data/catalog.ttl?page=%d" % (page + 1)] if page < last else [])
            assert v["previous"] == ([base + "/data/catalog.ttl?page=%d" % (page - 1)] if page > 1 else [])
            for iri, d in facts["datasets"].items():
                assert d["title"] and d["description"] and d["identifier"] and d["publisher"], iri
            if page == 1:
                d = facts["datasets"][base + "/data/uji-dcat-000#dataset"]
                assert d["frequency"] == ["http://publications.europa.eu/resource/authority/frequency/MONTHLY"]
                assert d["licences"] == ["https://creativecommons.org/licenses/by/4.0/"] or \
                    all(x.startswith("http") for x in d["licences"]), d["licences"]
                assert sorted(d["keyword"]) == ["genap-ck", "tiga-ck", "ujick"]
                assert d["publisher"] == [base + "/unit/disdukcapil"]
                assert len(d["distribution"]) == 1 and d["downloads"][0].startswith(base + "/data/uji-dcat-000/")
                bare = facts["datasets"][base + "/data/uji-dcat-001#dataset"]
                assert bare["description"] == bare["title"] and bare["keyword"] == []
                assert bare["frequency"] == ["http://publications.europa.eu/resource/authority/frequency/IRREG"]
                # zero violations, for the Turtle and for the JSON-LD (as N-Triples)
                for f in (ttl, nt):
                    rep = shacl(f)
                    assert rep["violations"] == 0, json.dumps(rep["results"][:8], indent=1)
                    assert rep["triples"] == facts["triples"]
            elif page == last:
                rep = shacl(ttl)
                assert rep["violations"] == 0, json.dumps(rep["results"][:8], indent=1)
    assert seen == all_names  # every dataset once, by name
    # without ?page: the first page; the JSON-LD's links name the JSON-LD pages
    assert both(c)[0].body == fetch(c, "ttl", 1).body
    doc = fetch(c, "jsonld", 2).json()
    views = [n for n in doc["@graph"] if n["@id"] == base + "/data/catalog.jsonld?page=2"]
    assert views and views[0]["hydra:next"] == [{"@id": base + "/data/catalog.jsonld?page=3"}], views
    # bad pages
    for bad in ("0", "-1", "abc", "1.5", ""):
        assert fetch(c, "ttl", bad).status == 400, bad
    assert fetch(c, "ttl", last + 1).status == 404
    assert fetch(c, "jsonld", last + 1).status == 404


def test_dcat_catalogue_of_the_demo_alone(ctx):
    """The demo's own catalogue (generated datasets only, if any), valid as it is."""
    s = ctx.server()
    c = s.client()
    with tempfile.TemporaryDirectory() as tmp:
        rt, rj = both(c)
        assert rt.status == 200 and rj.status == 200
        facts, ttl, nt = inspect(tmp, rt.body, rj.body)
        assert facts["same"] and facts["problems"] == []
        n = s.sql("SELECT COUNT(*) FROM dataset")[0][0]
        assert facts["catalog"]["total"] == [str(n)] and len(facts["catalog_datasets"]) == min(n, 100)
        assert facts["view"]["next"] == ([] if n <= 100 else facts["view"]["next"])
        for f in (ttl, nt):  # one at a time: rdflib rewrites the lexical forms of the dates
            rep = shacl(f)
            assert rep["violations"] == 0, json.dumps(rep["results"][:8], indent=1)
