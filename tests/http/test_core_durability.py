"""Durability (DESIGN §3, §6): what `pendopo unit add` acknowledged survives a backup taken
meanwhile and a kill -9 of the server; the backup is consistent."""
import os
import subprocess
import threading
import time

from run import serial, slow, sqlite_only


def sqlite(path, sql):
    p = subprocess.run(["sqlite3", path, sql], capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, (sql, p.stderr)
    return p.stdout.strip()


class Adder(threading.Thread):
    """Adds units one after another with `pendopo unit add`, recording when each was
    acknowledged (exit 0) and which failed."""

    def __init__(self, server, prefix, limit=400, seconds=30.0):
        super().__init__(daemon=True)
        self.server = server
        self.prefix = prefix
        self.limit = limit
        self.seconds = seconds
        self.acked = []     # (slug, monotonic time of the acknowledgement)
        self.failed = []    # (slug, exit code, stderr)
        self.stop_flag = threading.Event()

    def run(self):
        t_end = time.monotonic() + self.seconds
        for i in range(self.limit):
            if self.stop_flag.is_set() or time.monotonic() > t_end:
                break
            slug = "%s-%d" % (self.prefix, i)
            p = self.server.cli("unit", "add", "--slug", slug, "--name", "Beban %d" % i, "--kind",
                                "agency", "--parent", "sukamaju", check=False)
            if p.returncode == 0:
                self.acked.append((slug, time.monotonic()))
            else:
                self.failed.append((slug, p.returncode, p.stderr))

    def acked_before(self, t):
        return {slug for slug, at in self.acked if at < t}


@serial
@sqlite_only
@slow
def test_backup_during_writes_holds_every_acknowledged_unit(ctx):
    s = ctx.server()
    adder = Adder(s, "beban")
    adder.start()
    backups = []
    try:
        deadline = time.monotonic() + 10
        while len(adder.acked) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(adder.acked) >= 5, ("adds too slow or failing", adder.failed[:3])
        for k in range(3):
            path = os.path.join(s.data, "during-%d.db" % k)
            t_start = time.monotonic()
            p = s.cli("backup", path, check=False)
            assert p.returncode == 0, (k, p.stderr)
            backups.append((path, t_start))
            time.sleep(0.15)
    finally:
        adder.stop_flag.set()
        adder.join(60)
    assert not adder.failed, ("unit add failed while a backup ran", adder.failed[:3])
    attempted = {"beban-%d" % i for i in range(len(adder.acked) + len(adder.failed) + 1)}
    for path, t_start in backups:
        assert sqlite(path, "PRAGMA integrity_check") == "ok", path
        slugs = set(sqlite(path, "SELECT slug FROM unit WHERE slug LIKE 'beban-%'").split())
        must = adder.acked_before(t_start)
        assert must, "no acknowledged unit before the backup"
        missing = must - slugs
        assert not missing, (path, sorted(missing)[:5], len(must))
        assert slugs <= attempted, sorted(slugs - attempted)[:5]
        # every unit in the backup is whole: parent and path point into the same backup
        orphans = sqlite(path, "SELECT COUNT(*) FROM unit u WHERE parent_id IS NOT NULL AND NOT "
                               "EXISTS (SELECT 1 FROM unit p WHERE p.id = u.parent_id)")
        assert orphans == "0", (path, orphans)
    # a backup restores into a working installation
    path, _ = backups[-1]
    s.stop()
    s.cli("restore", path)
    again = ctx.unstarted_server(data=s.data)
    again.start()
    c = again.client()
    last = sorted(adder.acked_before(backups[-1][1]))[-1]
    assert c.get("/unit/" + last).status == 200


@serial
@sqlite_only
@slow
def test_kill9_keeps_acknowledged_units(ctx):
    s = ctx.server()
    adder = Adder(s, "tahan", limit=25, seconds=20)
    adder.start()
    # kill the server while the adds go on, right after some acknowledgements
    deadline = time.monotonic() + 10
    while len(adder.acked) < 10 and time.monotonic() < deadline:
        time.sleep(0.01)
    s.kill9()
    adder.join(60)
    assert not adder.failed, adder.failed[:3]
    acked = {slug for slug, _ in adder.acked}
    assert len(acked) == 25, len(acked)

    again = ctx.unstarted_server(data=s.data)
    again.start()
    c = again.client()
    assert c.get("/healthz").json()["status"] == "ok"
    for slug in sorted(acked):
        assert c.get("/unit/" + slug).status == 200, slug
    kids = {k["slug"] for k in c.get("/api/v1/units/sukamaju").json()["children"]}
    assert acked <= kids, sorted(acked - kids)[:5]
    # a kill -9 right after acknowledgements, with the server reading them
    more = []
    for i in range(5):
        slug = "sesudah-%d" % i
        again.cli("unit", "add", "--slug", slug, "--name", "Sesudah", "--kind", "agency",
                  "--parent", "sukamaju")
        more.append(slug)
        assert c.get("/unit/" + slug).status == 200
    again.kill9()
    third = ctx.unstarted_server(data=s.data)
    third.start()
    c = third.client()
    for slug in more + sorted(acked):
        assert c.get("/unit/" + slug).status == 200, slug
    assert sqlite(os.path.join(s.data, "pendopo.db"), "PRAGMA integrity_check") == "ok"
