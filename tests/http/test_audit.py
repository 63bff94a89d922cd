"""The audit log through the real binary: the demo's units form a sound chain, checkpoints export
as JSON lines, one byte changed in a row makes `audit verify` fail naming that entry, the CLI
records its user as the actor, and a stopping server signs a last checkpoint."""
import json
import os
import pwd
import re
import sqlite3

import lib


def _sound(r):
    m = re.search(r"audit log sound: (\d+) entries, last checkpoint at seq (\d+)", r.stdout)
    assert r.returncode == 0 and m, (r.returncode, r.stdout, r.stderr)
    return int(m.group(1)), int(m.group(2))


def _refused(s, sql):
    """The database's message when it refuses sql, else None."""
    try:
        s.sql(sql)
    except (sqlite3.DatabaseError, lib.PgError) as e:
        return str(e)
    return None


def _unguard(s, table, op):
    """Lets op ("update" or "delete") through on table, as anyone who can write the database
    can: SQLite drops the trigger, PostgreSQL disables it."""
    if s.backend == "postgres":
        s.sql("ALTER TABLE %s DISABLE TRIGGER %s_append_only" % (table, table))
    else:
        s.sql("DROP TRIGGER %s_no_%s" % (table, op))


def test_audit_verify_export_and_tamper(ctx):
    s = ctx.server()
    n, _ = _sound(s.cli("audit", "verify"))
    assert n >= 25, n  # the demo's units, one entry each

    path = os.path.join(s.data, "checkpoints.jsonl")
    r = s.cli("audit", "checkpoint", "export", path)
    assert "wrote 1 checkpoints" in r.stdout, r.stdout
    with open(path) as f:
        lines = [json.loads(line) for line in f if line.strip()]
    assert len(lines) == 1, lines
    cp = lines[0]
    assert set(cp) == {"seq", "hash", "ts_ms", "key_id", "public_key", "signature"}, cp
    assert cp["seq"] == n
    assert re.fullmatch(r"[0-9a-f]{64}", cp["hash"]) and re.fullmatch(r"[0-9a-f]{16}", cp["key_id"])
    assert re.fullmatch(r"[0-9a-f]{64}", cp["public_key"])
    assert re.fullmatch(r"[0-9a-f]{128}", cp["signature"])
    key = os.path.join(s.data, "keys", "audit-signing.key")
    assert os.stat(key).st_mode & 0o777 == 0o600
    assert _sound(s.cli("audit", "verify", "--checkpoints", path)) == (n, n)

    # The database itself refuses to change an entry ...
    e = _refused(s, "UPDATE audit_log SET actor = 'x' WHERE seq = 7")
    assert e is not None, "UPDATE was not refused"
    assert "append-only" in e, e
    # ... until someone who can write the database drops the trigger: one byte of entry 7.
    details = s.sql("SELECT details FROM audit_log WHERE seq = 7")[0][0]
    k = details.index("kind") + 1
    forged = details[:k] + chr(ord(details[k]) ^ 1) + details[k + 1:]
    _unguard(s, "audit_log", "update")
    s.sql("UPDATE audit_log SET details = ? WHERE seq = 7", (forged,))
    r = s.cli("audit", "verify", check=False)
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert "first bad entry at seq 7:" in r.stdout, r.stdout
    r = s.cli("audit", "verify", "--checkpoints", path, check=False)
    assert r.returncode == 1 and "seq 7:" in r.stdout, r.stdout


def test_audit_truncated_tail_is_caught_by_exported_checkpoint(ctx):
    s = ctx.server()
    path = os.path.join(s.data, "checkpoints.jsonl")
    s.cli("audit", "checkpoint", "export", path)
    _sound(s.cli("audit", "verify", "--checkpoints", path))
    # The exported tail: a background job (the open-data job at start-up) may append entries
    # after the export, so the truncation is counted from the last exported checkpoint.
    with open(path) as f:
        n = max(json.loads(line)["seq"] for line in f if line.strip())
    _unguard(s, "audit_log", "delete")
    _unguard(s, "audit_checkpoint", "delete")
    s.sql("DELETE FROM audit_log WHERE seq > ?", (n - 3,))
    s.sql("DELETE FROM audit_checkpoint")
    # Without the exported copy the shorter chain looks whole; with it, it does not.
    assert _sound(s.cli("audit", "verify")) == (n - 3, 0)
    r = s.cli("audit", "verify", "--checkpoints", path, check=False)
    assert r.returncode == 1 and ("first bad entry at seq %d:" % n) in r.stdout, r.stdout


def test_audit_cli_actor_and_checkpoint_at_stop(ctx):
    s = ctx.server()
    n, _ = _sound(s.cli("audit", "verify"))
    s.cli("unit", "add", "--slug", "dinas-uji", "--name", "Dinas Uji", "--kind", "agency",
          "--parent", "sukamaju")
    unit_id = s.sql("SELECT id FROM unit WHERE slug = 'dinas-uji'")[0][0]
    # Its entry (background jobs may append entries of their own around it).
    row = s.sql("SELECT seq, actor, action, object_type, object_id, unit_id, details "
                "FROM audit_log WHERE action = 'unit.add' AND object_id = ?", (unit_id,))[0]
    seq, actor, action, otype, oid, uid, details = row
    assert seq > n, row
    assert actor.startswith("cli:"), actor
    assert actor == "cli:" + pwd.getpwuid(os.geteuid()).pw_name, actor
    assert (action, otype, oid, uid) == ("unit.add", "unit", unit_id, unit_id), row
    assert json.loads(details)["slug"] == "dinas-uji"
    demo_actor = s.sql("SELECT actor FROM audit_log WHERE seq = 1")[0][0]
    assert demo_actor == "system"
    # A graceful stop signs the newest entry.
    assert s.stop() == 0
    assert _sound(s.cli("audit", "verify")) == (n + 1, n + 1)
