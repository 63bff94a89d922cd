"""The `pendopo` command line of DESIGN §6: help and usage errors, `unit add|list`, `migrate`,
`serve` on existing data and on schemas ahead or behind, `backup` and `restore`."""
import os
import re
import shutil
import subprocess

from run import sqlite_only

UNIT_HEADER = "slug\tkind\tcode\tname\tparent"
SUBCOMMANDS = ("serve", "migrate", "demo", "unit", "backup", "restore", "version")


def sqlite(path, sql):
    p = subprocess.run(["sqlite3", path, sql], capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, (sql, p.stderr)
    return p.stdout.strip()


def fresh(ctx, demo=True):
    """An unstarted server whose data directory holds a migrated database (and the demo)."""
    s = ctx.unstarted_server()
    s.cli("migrate")
    if demo:
        s.cli("demo")
    return s


def db_path(s):
    return os.path.join(s.data, "pendopo.db")


def target_version(s):
    out = s.cli("migrate").stdout
    m = re.search(r"version (\d+)", out)
    assert m, out
    return int(m.group(1))


def unit_rows(s):
    out = s.cli("unit", "list").stdout
    lines = out.rstrip("\n").split("\n")
    assert lines[0] == UNIT_HEADER, lines[0]
    rows = [ln.split("\t") for ln in lines[1:]]
    for r in rows:
        assert len(r) == 5, r
    return {r[0]: r for r in rows}


def run_serve(s, timeout=10):
    """Runs `pendopo serve` expecting it to refuse to start; returns the CompletedProcess."""
    try:
        return subprocess.run([s.binary, "serve"], env=s.env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:  # subprocess.run has killed the child it started
        raise AssertionError("serve started instead of refusing the database")


def test_help_everywhere(ctx):
    s = ctx.unstarted_server()
    for args in (["--help"], ["-h"], ["help"]):
        p = s.cli(*args)
        assert p.returncode == 0
        assert p.stdout.startswith("usage: pendopo"), p.stdout[:100]
        for cmd in SUBCOMMANDS:
            assert re.search(r"^\s+%s\b" % cmd, p.stdout, re.M), (cmd, p.stdout)
    for cmd in SUBCOMMANDS:
        p = s.cli(cmd, "--help")
        assert p.returncode == 0, cmd
        assert p.stdout.startswith("usage: pendopo " + cmd) or cmd == "version", (cmd, p.stdout[:200])
        if cmd != "version":
            for flag in ("--data", "--db", "--keys", "--config"):
                assert flag in p.stdout, (cmd, flag)
    for verb in ("add", "list"):
        p = s.cli("unit", verb, "--help")
        assert p.returncode == 0 and "--slug" in p.stdout, p.stdout
    p = s.cli("serve", "--help")
    for flag in ("--listen", "--demo", "--public-url", "--trusted-proxy", "--metrics-token",
                 "--rate-limit", "--max-body", "--max-file", "--max-request"):
        assert flag in p.stdout, flag
    assert not os.path.exists(db_path(s)), "--help must not touch the database"


def test_usage_errors_exit_2(ctx):
    s = ctx.unstarted_server()
    cases = [
        ([], None),
        (["frobnicate"], "frobnicate"),
        (["serve", "--no-such-flag"], "no-such-flag"),
        (["migrate", "--no-such-flag"], "no-such-flag"),
        (["unit", "list", "--no-such-flag"], "no-such-flag"),
        (["backup", "--no-such-flag", "x.db"], "no-such-flag"),
        (["unit"], None),
        (["unit", "frob"], None),
        (["unit", "add", "--slug", "x"], None),
        (["backup"], None),
        (["restore"], None),
        (["serve", "extra"], None),
    ]
    for args, word in cases:
        p = s.cli(*args, check=False)
        assert p.returncode == 2, (args, p.returncode, p.stdout, p.stderr)
        assert p.stderr.strip(), (args, "says nothing")
        if word:
            assert word in p.stderr, (args, p.stderr)
    assert not os.path.exists(db_path(s))


def test_version(ctx):
    s = ctx.unstarted_server()
    for args in (["version"], ["--version"]):
        p = s.cli(*args)
        assert re.fullmatch(r"pendopo \d+\.\d+\.\d+\S*\n", p.stdout), p.stdout


def test_unit_add_and_list(ctx):
    s = fresh(ctx)
    before = unit_rows(s)
    assert {"sukamaju", "kec-cibening", "desa-cibening", "disdukcapil"} <= set(before), sorted(before)
    assert before["sukamaju"][1] == "regency" and before["sukamaju"][4] == "jawa-barat", before["sukamaju"]
    assert before["desa-cibening"][4] == "kec-cibening"
    assert before["jawa-barat"][4] == "", before["jawa-barat"]

    p = s.cli("unit", "add", "--slug", "kec-baru", "--name", "Kecamatan Baru", "--kind", "district",
              "--parent", "sukamaju", "--code", "32.19.99")
    assert p.stdout.strip().split("\n")[-1] == "kec-baru", p.stdout
    p = s.cli("unit", "add", "--slug=desa-baru", "--name=Desa Baru Jaya", "--kind=village",
              "--parent=kec-baru", "--code=32.19.99.2001")
    rows = unit_rows(s)
    assert rows["kec-baru"] == ["kec-baru", "district", "32.19.99", "Kecamatan Baru", "sukamaju"], rows["kec-baru"]
    assert rows["desa-baru"] == ["desa-baru", "village", "32.19.99.2001", "Desa Baru Jaya", "kec-baru"]
    assert len(rows) == len(before) + 2
    # parents come before their children
    order = list(rows)
    assert order.index("kec-baru") < order.index("desa-baru")
    assert order.index("jawa-barat") < order.index("sukamaju") < order.index("kec-cibening")

    refused = [
        (["--slug", "kec-baru", "--name", "Lagi", "--kind", "district", "--parent", "sukamaju"],
         (1,), "already exists"),
        (["--slug", "x-planet", "--name", "X", "--kind", "planet", "--parent", "sukamaju"],
         (1, 2), "kind"),
        (["--slug", "x-orphan", "--name", "X", "--kind", "district", "--parent", "tidak-ada"],
         (1,), "tidak-ada"),
        (["--slug", "x-desa", "--name", "X", "--kind", "village", "--parent", "sukamaju"],
         (1,), "village"),
        (["--slug", "x-kec", "--name", "X", "--kind", "district", "--parent", "desa-cibening"],
         (1,), "district"),
        (["--slug", "Bad_Slug", "--name", "X", "--kind", "agency", "--parent", "sukamaju"],
         (1, 2), "slug"),
        (["--slug", "x-code", "--name", "X", "--kind", "agency", "--parent", "sukamaju",
          "--code", "32.ab"], (1, 2), "code"),
        (["--slug", "x-name", "--name", "", "--kind", "agency", "--parent", "sukamaju"],
         (1, 2), "name"),
    ]
    for args, codes, word in refused:
        p = s.cli("unit", "add", *args, check=False)
        assert p.returncode in codes, (args, p.returncode, p.stderr)
        assert word in p.stderr, (args, p.stderr)
        assert p.stdout.strip() == "", (args, p.stdout)
    after = unit_rows(s)
    assert after == rows, "a refused unit add changed the database"


def test_unit_add_seen_by_running_server(ctx):
    s = ctx.server()
    c = s.client()
    assert c.get("/unit/dinas-baru").status == 404
    s.cli("unit", "add", "--slug", "dinas-baru", "--name", "Dinas Baru & <Uji>", "--kind", "agency",
          "--parent", "sukamaju")
    r = c.get("/unit/dinas-baru")
    assert r.status == 200, r
    assert "Dinas Baru &amp; &lt;Uji&gt;" in r.text  # escaped, not raw
    kids = [k["slug"] for k in c.get("/api/v1/units/sukamaju").json()["children"]]
    assert "dinas-baru" in kids
    assert "dinas-baru" in c.get("/unit/sukamaju/anak.csv").text


@sqlite_only
def test_migrate_is_idempotent(ctx):
    s = ctx.unstarted_server()
    p1 = s.cli("migrate")
    m = re.search(r"from version 0 to (\d+)", p1.stdout)
    assert m, p1.stdout
    target = int(m.group(1))
    rows1 = sqlite(db_path(s), "SELECT version FROM pd_schema ORDER BY version")
    schema1 = sqlite(db_path(s), "SELECT sql FROM sqlite_master ORDER BY name")
    p2 = s.cli("migrate")
    assert "up to date" in p2.stdout and str(target) in p2.stdout, p2.stdout
    assert sqlite(db_path(s), "SELECT version FROM pd_schema ORDER BY version") == rows1
    assert sqlite(db_path(s), "SELECT sql FROM sqlite_master ORDER BY name") == schema1
    assert int(rows1.split("\n")[-1]) == target
    # serve agrees
    srv = ctx.unstarted_server(data=s.data)
    srv.start()
    assert srv.client().get("/healthz").json()["schema_version"] == target


def test_serve_demo_twice_keeps_data(ctx):
    first = ctx.server()
    first.cli("unit", "add", "--slug", "tetap-ada", "--name", "Tetap Ada", "--kind", "agency",
              "--parent", "sukamaju")
    rows = unit_rows(first)
    first.stop()
    log_before = len(first.read_log())
    second = ctx.unstarted_server(data=first.data)
    second.start()
    assert second.client().get("/unit/tetap-ada").status == 200
    assert unit_rows(second) == rows
    assert "changed nothing" in second.read_log()[log_before:], second.read_log()[log_before:]


@sqlite_only
def test_serve_refuses_schema_ahead(ctx):
    s = fresh(ctx)
    target = target_version(s)
    n_units = sqlite(db_path(s), "SELECT COUNT(*) FROM unit")
    sqlite(db_path(s), "INSERT INTO pd_schema (version, applied_ms) VALUES (%d, 0)" % (target + 1))
    p = run_serve(s)
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert "newer" in p.stderr and str(target + 1) in p.stderr and str(target) in p.stderr, p.stderr
    assert "listening" not in p.stdout
    p = s.cli("migrate", check=False)
    assert p.returncode == 1 and "newer" in p.stderr, p.stderr
    p = s.cli("unit", "list", check=False)
    assert p.returncode == 1 and "newer" in p.stderr, p.stderr
    assert sqlite(db_path(s), "SELECT COUNT(*) FROM unit") == n_units
    assert sqlite(db_path(s), "SELECT MAX(version) FROM pd_schema") == str(target + 1)


@sqlite_only
def test_serve_refuses_schema_behind(ctx):
    s = fresh(ctx)
    target = target_version(s)
    n_units = sqlite(db_path(s), "SELECT COUNT(*) FROM unit")
    tables = sqlite(db_path(s), "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    sqlite(db_path(s), "DELETE FROM pd_schema WHERE version = (SELECT MAX(version) FROM pd_schema)")
    p = run_serve(s)
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert "pendopo migrate" in p.stderr, p.stderr
    assert "listening" not in p.stdout
    p = s.cli("unit", "list", check=False)
    assert p.returncode == 1 and "pendopo migrate" in p.stderr, p.stderr
    # nothing was touched
    assert sqlite(db_path(s), "SELECT COUNT(*) FROM unit") == n_units
    assert sqlite(db_path(s), "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name") == tables
    assert sqlite(db_path(s), "SELECT COUNT(*) FROM pd_schema WHERE version = %d" % target) == "0"


@sqlite_only
def test_serve_refuses_foreign_database(ctx):
    s = ctx.unstarted_server()
    os.makedirs(s.data, exist_ok=True)
    sqlite(db_path(s), "CREATE TABLE customers (id INTEGER PRIMARY KEY); INSERT INTO customers VALUES (7)")
    p = run_serve(s)
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert p.stderr.strip(), "says nothing"
    assert sqlite(db_path(s), "SELECT id FROM customers") == "7"
    assert sqlite(db_path(s), "SELECT COUNT(*) FROM sqlite_master WHERE name = 'unit'") == "0"


@sqlite_only
def test_backup_restore_round_trip(ctx):
    srv = ctx.server()
    bk = os.path.join(srv.data, "backup-1.db")
    p = srv.cli("backup", bk)  # while the server runs
    assert os.path.getsize(bk) > 0
    assert "backup" in p.stdout.lower()
    assert sqlite(bk, "PRAGMA integrity_check") == "ok"
    rows = unit_rows(srv)
    assert sqlite(bk, "SELECT COUNT(*) FROM unit") == str(len(rows))
    srv.stop()

    srv.cli("unit", "add", "--slug", "setelah-backup", "--name", "Setelah", "--kind", "agency",
            "--parent", "sukamaju")
    assert "setelah-backup" in unit_rows(srv)
    p = srv.cli("restore", bk)
    assert "restored" in p.stdout, p.stdout
    after = unit_rows(srv)
    assert "setelah-backup" not in after
    assert after == rows
    assert sqlite(os.path.join(srv.data, "pendopo.db"), "PRAGMA integrity_check") == "ok"

    again = ctx.unstarted_server(data=srv.data)
    again.start()
    c = again.client()
    assert c.get("/healthz").status == 200
    assert c.get("/unit/setelah-backup").status == 404
    assert c.get("/unit/sukamaju").status == 200
    # a second backup to the same name is refused and the first is left as it was
    size = os.path.getsize(bk)
    p = again.cli("backup", bk, check=False)
    assert p.returncode == 1 and bk in p.stderr, p.stderr
    assert os.path.getsize(bk) == size


@sqlite_only
def test_restore_refuses_newer_or_broken_backups(ctx):
    s = fresh(ctx)
    target = target_version(s)
    bk = os.path.join(s.data, "b.db")
    s.cli("backup", bk)
    s.cli("unit", "add", "--slug", "masih-ada", "--name", "Masih", "--kind", "agency", "--parent", "sukamaju")
    newer = os.path.join(s.data, "newer.db")
    shutil.copy(bk, newer)
    sqlite(newer, "INSERT INTO pd_schema (version, applied_ms) VALUES (%d, 0)" % (target + 5))
    p = s.cli("restore", newer, check=False)
    assert p.returncode == 1, (p.returncode, p.stdout, p.stderr)
    assert "newer" in p.stderr and str(target + 5) in p.stderr, p.stderr
    assert "masih-ada" in unit_rows(s)

    garbage = os.path.join(s.data, "garbage.db")
    with open(garbage, "wb") as f:
        f.write(b"this is not a database\n" * 100)
    for path in (garbage, os.path.join(s.data, "does-not-exist.db")):
        p = s.cli("restore", path, check=False)
        assert p.returncode == 1, (path, p.returncode, p.stderr)
        assert p.stderr.strip()
        assert "masih-ada" in unit_rows(s)
    # a database that is not Pendopo's
    foreign = os.path.join(s.data, "foreign.db")
    sqlite(foreign, "CREATE TABLE t (x); INSERT INTO t VALUES (1)")
    p = s.cli("restore", foreign, check=False)
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert "masih-ada" in unit_rows(s)
    assert sqlite(db_path(s), "PRAGMA integrity_check") == "ok"
