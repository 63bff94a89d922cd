"""Several `pendopo serve` nodes on one PostgreSQL database (DESIGN §3: nothing that must be
shared lives in a node's memory), each node with a data directory of its own and the same key
files, as behind a load balancer: a unit added through one node's CLI is served by the other at
once, a session made on one node is valid (and ended) on the other, sign-in throttling counts
the failures of both (also when they arrive at the same moment), concurrent appends from both
keep the audit chain gapless and sound, and nodes starting together on an empty database
initialise it once. Also: `serve` refuses a
PostgreSQL database whose schema is ahead of or behind the program. Run by scripts/test-http-pg;
skipped on SQLite, where a deployment is one machine."""
import os
import re
import subprocess
import threading
import time

from identity_util import STRONG, post_with_csrf, register, signin
from run import pg_only, serial


def keys_env(s1):
    """What a second node needs to share s1's keys: the master key file and the audit key."""
    keys = os.path.join(s1.data, "keys")
    return {"PENDOPO_KEYS": os.path.join(keys, "master.keys"),
            "PENDOPO_AUDIT_KEY": os.path.join(keys, "audit-signing.key")}


def second_node(ctx, s1, env=None, start=True, **kw):
    e = keys_env(s1)
    if "PENDOPO_TEST_CLOCK" in s1.env:
        e["PENDOPO_TEST_CLOCK"] = s1.env["PENDOPO_TEST_CLOCK"]
    e.update(env or {})
    s2 = ctx.unstarted_server(db_of=s1, demo=False, env=e, **kw)
    assert s2.data != s1.data
    return s2.start() if start else s2


def demo_accounts(s):
    with open(os.path.join(s.data, "demo-accounts.txt")) as f:
        return [line.split("\t") for line in f.read().splitlines()[1:]]


def unit_slugs(s):
    return {line.split("\t")[0] for line in s.cli("unit", "list").stdout.splitlines()[1:]}


def children(c, slug):
    return {k["slug"] for k in c.get("/api/v1/units/%s" % slug).json()["children"]}


@pg_only
def test_pg_two_nodes_units_and_sessions(ctx):
    s1 = ctx.server()
    s2 = second_node(ctx, s1)
    c1, c2 = s1.client(), s2.client()
    assert c2.get("/healthz").json()["backend"] == "postgres"
    # Both nodes serve the page first, so that a node caching units would now hold a stale copy.
    for c in (c1, c2):
        assert c.get("/unit/sukamaju").status == 200
        assert "dinas-node-satu" not in children(c, "sukamaju")
        assert c.get("/unit/dinas-node-satu").status == 404

    # A unit added through node 1's CLI is served by node 2 at once, and the other way round.
    s1.cli("unit", "add", "--slug", "dinas-node-satu", "--name", "Dinas Node Satu", "--kind",
           "agency", "--parent", "sukamaju")
    r = c2.get("/unit/dinas-node-satu")
    assert r.status == 200 and "Dinas Node Satu" in r.text, r
    assert "dinas-node-satu" in children(c2, "sukamaju")
    assert "dinas-node-satu" in c2.get("/unit/sukamaju/anak.csv").text
    s2.cli("unit", "add", "--slug", "dinas-node-dua", "--name", "Dinas Node Dua", "--kind",
           "agency", "--parent", "dinas-node-satu")
    assert c1.get("/unit/dinas-node-dua").status == 200
    assert children(c1, "dinas-node-satu") == {"dinas-node-dua"}
    assert unit_slugs(s1) == unit_slugs(s2)

    # A session made by signing in on node 1 is valid on node 2 (sessions live in the database).
    citizen = next(r for r in demo_accounts(s1) if r[0] == "citizen")
    assert signin(c1, citizen[2], citizen[3]).status == 303
    assert c1.get("/akun").status == 200
    c2.cookies = dict(c1.cookies)
    page = c2.get("/akun")
    assert page.status == 200 and citizen[2] in page.text, page
    # The session's CSRF secret is shared too: a form from node 1 is accepted by node 2.
    token = c1.csrf_from(c1.get("/akun").text)
    r = c2.post_form("/akun/bahasa", {"csrf": token, "lang": "en"})
    assert r.status == 303, r
    assert '<html lang="en">' in c1.get("/akun").text
    # Signing out on node 2 ends the session on node 1.
    r = post_with_csrf(c2, "/akun", "/keluar", {})
    assert r.status == 303, r
    r = c1.get("/akun")
    assert r.status == 303 and r.header("Location").startswith("/masuk"), r

    # An account registered on node 2 signs in on node 1; a password changed on node 1 ends
    # the account's other sessions on node 2.
    assert register(s2.client(), "dua.node@contoh.id").status == 303
    a1, a2 = s1.client(), s2.client()
    assert signin(a1, "dua.node@contoh.id", STRONG).status == 303
    assert signin(a2, "dua.node@contoh.id", STRONG).status == 303
    r = post_with_csrf(a1, "/akun", "/akun/sandi",
                       {"current": STRONG, "password": "dua node satu basis data"})
    assert r.status == 303, r
    assert a1.get("/akun").status == 200 and a2.get("/akun").status == 303
    assert signin(s2.client(), "dua.node@contoh.id", "dua node satu basis data").status == 303
    assert s1.proc.poll() is None and s2.proc.poll() is None


@serial
@pg_only
def test_pg_two_nodes_share_signin_throttle(ctx):
    s1 = ctx.unstarted_server()
    s1.env["PENDOPO_TEST_CLOCK"] = s1.clock_file
    now = time.time() * 1000
    s1.set_clock(now)
    s1.start()
    s2 = second_node(ctx, s1)
    assert register(s1.client(), "kunci.node@contoh.id").status == 303
    # Five failures, spread over both nodes, lock the address on both.
    for i in range(5):
        node = (s1, s2)[i % 2]
        assert signin(node.client(), "kunci.node@contoh.id", "tebakan yang salah").status == 422
    for node in (s2, s1):
        r = signin(node.client(), "kunci.node@contoh.id", STRONG)
        assert r.status == 429 and int(r.header("Retry-After")) > 0, (node.port, r)
    # An unknown address is counted the same way across nodes.
    for i in range(5):
        node = (s2, s1)[i % 2]
        assert signin(node.client(), "hantu.node@contoh.id", "tebakan yang salah").status == 422
    assert signin(s1.client(), "hantu.node@contoh.id", STRONG).status == 429
    # The lock ends for both nodes together.
    s1.set_clock(now + 16 * 60 * 1000)
    assert signin(s2.client(), "kunci.node@contoh.id", STRONG).status == 303
    assert signin(s1.client(), "kunci.node@contoh.id", STRONG).status == 303


@serial
@pg_only
def test_pg_two_nodes_concurrent_failures_all_counted(ctx):
    """Five wrong passwords sent at the same moment, to both nodes, lock the address: no failure
    is lost between reading the counter and writing it back (each node's write transaction
    locks the counter's key; READ COMMITTED alone let concurrent failures overwrite each other
    and, in most rounds, the right password then signed in)."""
    proxy = {"PENDOPO_TRUSTED_PROXY": "127.0.0.1/32"}
    s1 = ctx.server(env=proxy)
    s2 = second_node(ctx, s1, env=proxy)
    unlocked = []
    for rnd in range(6):
        addr = "serentak%d@contoh.id" % rnd
        assert register(s1.client(), addr).status == 303
        posts = []
        for i in range(5):
            c = (s1, s2)[i % 2].client()
            page = c.get("/masuk")
            # Each guess from a client address of its own: only the email's counter is shared.
            posts.append((c, {"csrf": c.csrf_from(page.text), "email": addr,
                              "password": "tebakan yang salah"}, "10.9.%d.%d" % (rnd, i)))
        barrier, statuses, lock = threading.Barrier(len(posts)), [], threading.Lock()

        def guess(c, fields, client_addr):
            barrier.wait()
            r = c.post_form("/masuk", fields, headers={"X-Forwarded-For": client_addr})
            with lock:
                statuses.append(r.status)
        threads = [threading.Thread(target=guess, args=p) for p in posts]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert statuses == [422] * 5, statuses
        r = signin(s2.client(), addr, STRONG)
        if r.status != 429:
            unlocked.append((addr, r.status))
    assert not unlocked, "five concurrent failures did not lock: %s" % unlocked


def audit_rows(s):
    return s.sql("SELECT COUNT(*), COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM audit_log")[0]


@serial
@pg_only
def test_pg_two_nodes_audit_append_under_concurrency(ctx):
    s1 = ctx.server()
    s2 = second_node(ctx, s1)
    count0, _, _ = audit_rows(s1)
    results, lock = [], threading.Lock()

    def adder(node, prefix, n):
        for i in range(n):
            p = node.cli("unit", "add", "--slug", "%s-%d" % (prefix, i), "--name", "Beban %d" % i,
                         "--kind", "agency", "--parent", "sukamaju", check=False)
            with lock:
                results.append((prefix, i, p.returncode, p.stderr))

    def racer(node, k):
        p = node.cli("unit", "add", "--slug", "rebutan", "--name", "Rebutan %d" % k, "--kind",
                     "agency", "--parent", "sukamaju", check=False)
        with lock:
            results.append(("rebutan", k, p.returncode, p.stderr))

    def registrar(node, prefix, n):
        for i in range(n):
            r = register(node.client(), "%s.%d@contoh.id" % (prefix, i))
            with lock:
                results.append((prefix, i, 0 if r.status == 303 else r.status, ""))

    threads = [threading.Thread(target=adder, args=(node, "beban-%d-%d" % (k, j), 12))
               for k, node in ((1, s1), (2, s2)) for j in range(2)]
    threads += [threading.Thread(target=racer, args=((s1, s2)[k % 2], k)) for k in range(4)]
    threads += [threading.Thread(target=registrar, args=(node, "warga%d" % k, 4))
                for k, node in ((1, s1), (2, s2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads)

    added = [r for r in results if r[0].startswith("beban") and r[2] == 0]
    assert len(added) == 48, [r for r in results if r[0].startswith("beban") and r[2] != 0][:3]
    race = [r for r in results if r[0] == "rebutan"]
    assert sorted(r[2] for r in race) == [0, 1, 1, 1], race
    assert all("already exists" in r[3] for r in race if r[2] == 1), race
    regs = [r for r in results if r[0].startswith("warga")]
    assert all(r[2] == 0 for r in regs), regs

    # Every append is in the chain, which has no gap and verifies, from either node.
    count, first, last = audit_rows(s1)
    assert count > count0 + 48 and first == 1 and last == count, (count0, count, first, last)
    adds = s1.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'unit.add' AND details LIKE ?",
                  ('%"beban-%',))[0][0]
    assert adds == 48, adds
    for node in (s1, s2):
        out = node.cli("audit", "verify").stdout
        assert re.search(r"audit log sound: %d entries" % count, out), out
    # Both nodes stop, each signing a checkpoint with the shared audit key; the chain stays sound.
    assert s2.stop() == 0 and s1.stop() == 0
    out = s1.cli("audit", "verify").stdout
    assert re.search(r"audit log sound: %d entries, last checkpoint at seq %d" % (count, count),
                     out), out


@serial
@pg_only
def test_pg_nodes_starting_together_initialise_once(ctx):
    s1 = ctx.unstarted_server(demo=False)
    s2 = second_node(ctx, s1, start=False)
    s3 = second_node(ctx, s1, start=False)
    for s in (s1, s2, s3):
        s.start(wait=False)
    for s in (s1, s2, s3):
        s.wait_ready()
    versions = s1.sql("SELECT version, COUNT(*) FROM pd_schema GROUP BY version ORDER BY version")
    assert versions and all(n == 1 for _, n in versions), versions
    assert [v for v, _ in versions] == list(range(1, len(versions) + 1)), versions
    target = versions[-1][0]
    for s in (s1, s2, s3):
        h = s.client().get("/healthz").json()
        assert h == {"status": "ok", "backend": "postgres", "schema_version": target}, h
    # One key identity recorded, though three nodes started with the same new key file at once.
    assert s1.sql("SELECT id, state FROM key_registry") == [(1, "active")]


def run_serve(s, timeout=15):
    try:
        return subprocess.run([s.binary, "serve"], env=s.env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError("serve started instead of refusing the database")


@pg_only
def test_pg_serve_refuses_schema_ahead_or_behind(ctx):
    s = ctx.unstarted_server()
    m = re.search(r"to (\d+)", s.cli("migrate").stdout)
    assert m
    s.cli("demo")
    target = int(m.group(1))
    s.sql("INSERT INTO pd_schema (version, applied_ms) VALUES (?, 0)", (target + 1,))
    p = run_serve(s)
    assert p.returncode == 1 and "newer" in p.stderr and str(target + 1) in p.stderr, p.stderr
    p = s.cli("unit", "list", check=False)
    assert p.returncode == 1 and "newer" in p.stderr, p.stderr
    units = s.sql("SELECT COUNT(*) FROM unit")
    s.sql("DELETE FROM pd_schema WHERE version >= ?", (target,))
    p = run_serve(s)
    assert p.returncode == 1 and "pendopo migrate" in p.stderr, p.stderr
    p = s.cli("unit", "list", check=False)
    assert p.returncode == 1 and "pendopo migrate" in p.stderr, p.stderr
    # Nothing was touched.
    assert s.sql("SELECT MAX(version) FROM pd_schema") == [(target - 1,)]
    assert s.sql("SELECT COUNT(*) FROM unit") == units
