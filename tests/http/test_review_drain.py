"""Graceful stop with suspended connections (DESIGN §1, TOOLCHAIN: MHD_stop_daemon aborts the
process while any connection is still suspended): a stop waits for every suspended request,
however long the database keeps it waiting, and answers it."""
import signal
import sqlite3
import os
import threading
import time
import urllib.parse

from run import serial, slow, sqlite_only

FORM = "application/x-www-form-urlencoded"
PASSWORD = "kuda lari di sawah hijau"


def _register_in_thread(s, email, results, xff=None):
    """POST /daftar (argon2 on the offload pool, then a durable write) from a thread."""
    c = s.client()
    h = {"X-Forwarded-For": xff} if xff else {}
    page = c.get("/daftar", headers=h)
    assert page.status == 200, page
    body = urllib.parse.urlencode({"csrf": c.csrf_from(page.text), "name": "Siti Aminah",
                                   "email": email, "password": PASSWORD})
    h = dict(h, **{"Content-Type": FORM})

    def run():
        try:
            results[email] = c.request("POST", "/daftar", body=body, headers=h).status
        except Exception as e:  # the connection closed without an answer
            results[email] = repr(e)
    t = threading.Thread(target=run)
    t.start()
    return t


@serial
@slow
@sqlite_only
def test_stop_waits_for_a_write_held_up_longer_than_ten_seconds(ctx):
    """A registration whose write waits on a locked database when SIGTERM comes: the stop
    used to give up after 10 s and call MHD_stop_daemon with the connection still suspended,
    which aborted the process (SIGABRT) and dropped the answer."""
    s = ctx.server()
    db = sqlite3.connect(os.path.join(s.data, "pendopo.db"), isolation_level=None, timeout=5)
    db.execute("BEGIN IMMEDIATE")  # the writer's BEGIN IMMEDIATE now waits
    results = {}
    try:
        t = _register_in_thread(s, "tertahan@example.org", results)
        time.sleep(1.0)  # hashed, and now suspended in the writer's queue
        s.proc.send_signal(signal.SIGTERM)
        time.sleep(11.5)
        assert s.proc.poll() is None, ("server ended while a write was pending",
                                       s.proc.returncode, s.read_log()[-1500:])
    finally:
        db.execute("ROLLBACK")
        db.close()
    t.join(60)
    try:
        rc = s.proc.wait(60)
    except Exception:
        rc = "still running"
    assert rc == 0, (rc, s.read_log()[-1500:])
    assert results.get("tertahan@example.org") == 303, results
    assert "event=draining" in s.read_log()


@serial
def test_stop_during_a_signup_burst_answers_everyone(ctx):
    """Sign-ups queued on the hash pool when the stop comes are answered (303 when done,
    503 when not started), none dropped, and the process exits 0 promptly."""
    s = ctx.server(args=["--trusted-proxy", "127.0.0.1/32"])
    results = {}
    threads = [_register_in_thread(s, "u%d@example.org" % i, results, xff="10.9.%d.%d" % (i // 200, i % 200 + 1))
               for i in range(24)]
    time.sleep(0.3)  # every request is in; some hashed, the rest queued
    t0 = time.time()
    s.proc.send_signal(signal.SIGTERM)
    for t in threads:
        t.join(60)
    rc = s.proc.wait(30)
    assert rc == 0, (rc, s.read_log()[-1500:])
    assert time.time() - t0 < 15
    assert len(results) == 24 and all(v in (303, 503) for v in results.values()), results
