"""Key rotation under load (issue 3, DESIGN §4): `pendopo keys rotate` (twice: 1 -> 2, 2 -> 3)
while several clients sign in, read /akun (which unwraps the account's subject key and decrypts
its name and email) and register new accounts; not one error, and the server loads each new key
before anything is written with it. Then `keys retire` of the old key, and a NEW server process
given a key file holding only the newest key reads every account made before, during and after
the rotations; `pendopo audit verify` stays sound. Also: retiring the old key before re-encryption
has finished (a rotation killed half-way) is refused, and finishing it with `keys reencrypt`
lets the retirement through."""
import base64
import datetime
import http.client
import itertools
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time

import lib
from identity_util import STRONG
from run import serial, slow

# Every client connects from an address of its own in 127.0.0.0/8: the server limits sign-ins
# and registrations per client address (60 and 30 a minute), and this load is many clients.
_addr_counter = itertools.count(1)
_addr_lock = threading.Lock()


def _next_addr():
    with _addr_lock:
        while True:
            n = next(_addr_counter)
            if 0 < n % 256 < 255:
                return "127.%d.%d.%d" % (20 + (n >> 16) % 200, (n >> 8) % 256, n % 256)


class AddrClient(lib.Client):
    """lib.Client from its own loopback source address."""

    def __init__(self, server):
        super().__init__(server)
        self.addr = _next_addr()

    def request(self, method, path, body=None, headers=None, raw_headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30,
                                          source_address=(self.addr, 0))
        h = dict(headers or {})
        if self.cookies and "Cookie" not in h:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if isinstance(body, str):
            body = body.encode()
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in h.items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        r = lib.Response(resp.status, resp.getheaders(), resp.read())
        conn.close()
        for sc in r.header_all("Set-Cookie"):
            name, _, rest = sc.partition("=")
            if "Max-Age=0" in sc:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = rest.split(";", 1)[0]
        return r


def read_key_lines(path):
    out = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, b64 = line.split()
                out[name] = base64.b64decode(b64)
    return out


def keys_list(s):
    p = s.cli("keys", "list")
    return {l.split("\t")[0]: l.split("\t")[1:] for l in p.stdout.strip().splitlines()[1:]}


def under_key(s, key_id):
    """Wrapped subject keys in the database under master key key_id (blob bytes 2..5)."""
    query = "SELECT COUNT(*) FROM account WHERE substr(subject_key, 2, 4) = ?"
    args = (key_id.to_bytes(4, "big"),)
    if hasattr(s, "sql"):  # SQLite or PostgreSQL, whichever the run uses
        return int(s.sql(query, args)[0][0])
    db = sqlite3.connect(os.path.join(s.data, "pendopo.db"), timeout=30)
    try:
        return db.execute(query, args).fetchone()[0]
    finally:
        db.close()


class Account:
    def __init__(self, n, phase):
        self.email = "rotasi.%04d@contoh.id" % n
        self.name = "Warga Rotasi %04d" % n  # same length for all: no name is part of another
        self.phase = phase


class Load:
    """Threads signing in, reading /akun and registering, recording every response."""

    def __init__(self, s, accounts, first_new):
        self.s = s
        self.pool = list(accounts)  # accounts that exist (grows with registrations)
        self.lock = threading.Lock()
        self.records = []  # (time, worker, op, status, ok, note)
        self.stop = threading.Event()
        self.phase = "before"  # label of accounts registered now
        self.next_n = itertools.count(first_new)
        self.threads = []

    def record(self, worker, op, r, ok, note=""):
        with self.lock:
            self.records.append((time.time(), worker, op, r.status if r else None, ok, note))

    def check_akun(self, worker, c, a):
        r = c.get("/akun")
        ok = (r.status == 200 and "<dd>%s</dd>" % a.name in r.text
              and "<dd>%s " % a.email in r.text)
        self.record(worker, "akun", r, ok, "" if ok else "%s: %r" % (a.email, r))
        return ok

    def sign_in(self, worker, a):
        c = AddrClient(self.s)
        r = c.get("/masuk")
        self.record(worker, "masuk-form", r, r.status == 200)
        fields = {"csrf": c.csrf_from(r.text), "email": a.email, "password": STRONG}
        r = c.post_form("/masuk", fields)
        ok = r.status == 303 and r.header("Location") == "/akun"
        self.record(worker, "masuk", r, ok, "" if ok else "%s: %r" % (a.email, r))
        return c if ok else None

    def signer(self, worker):
        rnd = random.Random(worker)
        while not self.stop.is_set():
            with self.lock:
                a = rnd.choice(self.pool)
            c = self.sign_in(worker, a)
            if c:
                self.check_akun(worker, c, a)

    def reader(self, worker, sessions):
        # Sessions opened before the rotation keep working through it; each session's address
        # reads at most 5 times a second (the default limit is 600 a minute per address).
        while not self.stop.is_set():
            for c, a in sessions:
                if self.stop.is_set():
                    break
                self.check_akun(worker, c, a)
                time.sleep(0.2 / len(sessions))

    def registrar(self, worker):
        while not self.stop.is_set():
            with self.lock:
                a = Account(next(self.next_n), self.phase)
            c = AddrClient(self.s)
            r = c.get("/daftar")
            self.record(worker, "daftar-form", r, r.status == 200)
            fields = {"csrf": c.csrf_from(r.text), "name": a.name, "email": a.email,
                      "password": STRONG}
            r = c.post_form("/daftar", fields)
            ok = r.status == 303 and r.header("Location") == "/masuk?terdaftar=1"
            self.record(worker, "daftar", r, ok, "" if ok else "%s: %r" % (a.email, r))
            if not ok:
                continue
            with self.lock:
                self.pool.append(a)
            c = self.sign_in(worker, a)
            if c:
                self.check_akun(worker, c, a)

    def _run(self, fn, *args):
        try:
            fn(*args)
        except Exception as e:  # a dead worker is an error too
            with self.lock:
                self.records.append((time.time(), args[0], "exception", None, False, repr(e)))

    def start(self, sessions):
        plan = [(self.signer, "signer-%d" % i) for i in range(3)]
        plan += [(self.registrar, "registrar-%d" % i) for i in range(2)]
        for fn, name in plan:
            self.threads.append(threading.Thread(target=self._run, args=(fn, name)))
        self.threads.append(threading.Thread(target=self._run,
                                             args=(self.reader, "reader", sessions)))
        for t in self.threads:
            t.start()

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in self.threads), "load threads did not stop"

    def count(self, t0=None, t1=None):
        with self.lock:
            return len([r for r in self.records
                        if (t0 is None or r[0] >= t0) and (t1 is None or r[0] <= t1)])

    def errors(self):
        with self.lock:
            return [r for r in self.records if not r[4]]


def parallel(items, fn, n=4):
    """fn(item) for every item over n threads; returns the failures (item, message)."""
    failures, lock, it = [], threading.Lock(), iter(list(items))

    def work():
        while True:
            with lock:
                item = next(it, None)
            if item is None:
                return
            try:
                msg = fn(item)
            except Exception as e:
                msg = repr(e)
            if msg:
                with lock:
                    failures.append((item, msg))

    ts = [threading.Thread(target=work) for _ in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return failures


def reads_account(s, a):
    """None when a signs in on s and /akun shows its name and email; else what went wrong."""
    c = AddrClient(s)
    r = c.get("/masuk")
    r = c.post_form("/masuk", {"csrf": c.csrf_from(r.text), "email": a.email, "password": STRONG})
    if r.status != 303 or r.header("Location") != "/akun":
        return "sign-in: %r" % r
    r = c.get("/akun")
    if r.status != 200 or "<dd>%s</dd>" % a.name not in r.text or "<dd>%s " % a.email not in r.text:
        return "/akun: %r" % r
    return None


def make_accounts(s, first, n_cli, n_http):
    """n_cli accounts with `pendopo user add` (password on stdin) while the server runs, and
    n_http registrations over HTTP."""
    accounts = [Account(first + i, "before") for i in range(n_cli + n_http)]

    def add_cli(a):
        p = s.cli("user", "add", "--email", a.email, "--name", a.name, stdin=STRONG + "\n",
                  check=False)
        return None if p.returncode == 0 else "user add: %d %s" % (p.returncode, p.stderr)

    def add_http(a):
        c = AddrClient(s)
        r = c.get("/daftar")
        r = c.post_form("/daftar", {"csrf": c.csrf_from(r.text), "name": a.name,
                                    "email": a.email, "password": STRONG})
        ok = r.status == 303 and r.header("Location") == "/masuk?terdaftar=1"
        return None if ok else "daftar: %r" % r

    failures = parallel(accounts[:n_cli], add_cli, n=2)
    failures += parallel(accounts[n_cli:], add_http, n=4)
    assert not failures, failures[:5]
    return accounts


class Throttle:
    """Slows a running command down: stops it (SIGSTOP) for `pause` seconds, lets it run 2 ms
    (SIGCONT), and again, until finish() or until it exits; it is left running."""

    def __init__(self, proc, pause):
        self.proc, self.pause, self.done = proc, pause, threading.Event()
        self.thread = threading.Thread(target=self._run)
        self.thread.start()

    def _run(self):
        while not self.done.is_set() and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGSTOP)
            time.sleep(self.pause)
            self.proc.send_signal(signal.SIGCONT)
            time.sleep(0.002)

    def finish(self):
        self.done.set()
        self.thread.join()


def rotate_under_load(ctx, s, load, old, new, pause):
    """Runs `keys rotate` (batches of 5, so re-encryption is many transactions) while the load
    runs, timing each output line; pause > 0 stops the command for that long (SIGSTOP, SIGCONT)
    again and again once re-encryption starts, stretching it over the load."""
    with load.lock:
        load.phase = "during rotation %d" % (old)
    t0 = time.time()
    proc = subprocess.Popen([s.binary, "keys", "rotate", "--batch", "5"], env=s.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ctx.defer(lambda: proc.poll() is None and (proc.kill(), proc.wait()))
    timed, throttle = [], None
    for line in proc.stdout:
        timed.append((time.time(), line))
        if pause and not throttle and line.startswith("re-encrypted 0 of"):
            throttle = Throttle(proc, pause)
    err = proc.stderr.read()
    rc = proc.wait(timeout=60)
    if throttle:
        throttle.finish()
    t1 = time.time()
    with load.lock:
        load.phase = "after rotation %d" % (old)
    out = "".join(line for _, line in timed)
    assert rc == 0, (rc, out, err)
    assert "key %d (fingerprint" % new in out, out
    assert "keys retire %d" % old in out, out
    progress = [(t, re.match(r"re-encrypted (\d+) of (\d+)", line)) for t, line in timed]
    progress = [(t, int(m.group(1)), int(m.group(2))) for t, m in progress if m]
    assert len(progress) > 5, out
    # More values than counted at the start means a server wrote under the old key after the
    # rotation was recorded.
    assert progress[-1][1] == progress[-1][2], "re-encrypted %d of %d" % progress[-1][1:]
    assert progress[-1][2] >= 200, out
    st = {"rewrapped": progress[-1][2], "during": load.count(t0, t1), "seconds": t1 - t0,
          "during_reencrypt": load.count(progress[0][0], progress[-1][0]),
          "reencrypt_seconds": progress[-1][0] - progress[0][0]}
    # DESIGN §4: the running server loaded the new key before anything was written with it,
    # so it never met a value under a key it did not know.
    log = s.read_log()
    m = re.search(r"^ts=(\S+) level=info event=keys_reloaded generation=\d+ current=%d " % new,
                  log, re.M)
    assert m, "`keys rotate` ended before the server had loaded key %d" % new
    reloaded = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()
    st["reload_lead"] = progress[0][0] - reloaded
    assert st["reload_lead"] > 0, "the server reloaded %.3fs after re-encryption began" % (
        -st["reload_lead"])
    assert "event=key_file_refreshed" not in log, log[-2000:]
    return st


@serial
@slow
def test_keys_rotation_under_load_then_retire_then_only_new_key(ctx):
    t_start = time.time()
    s = ctx.server()
    keyfile = os.path.join(s.data, "keys", "master.keys")
    first_keys = read_key_lines(keyfile)
    assert set(first_keys) == {"index", "1"}, first_keys.keys()

    accounts = make_accounts(s, 0, n_cli=100, n_http=100)
    assert under_key(s, 1) >= 200 and under_key(s, 2) == 0

    # Sessions opened before the rotation, read throughout it.
    sessions = []
    for a in accounts[::20]:
        c = AddrClient(s)
        r = c.get("/masuk")
        r = c.post_form("/masuk", {"csrf": c.csrf_from(r.text), "email": a.email,
                                   "password": STRONG})
        assert r.status == 303, r
        sessions.append((c, a))

    load = Load(s, accounts, first_new=1000)
    load.start(sessions)
    deadline = time.time() + 20
    while load.count() < 100 and time.time() < deadline:
        time.sleep(0.05)
    assert load.count() >= 100, "the load did not get going: %d" % load.count()

    # Two rotations under the same load: 1 -> 2 as an operator runs it (re-encryption takes
    # milliseconds), then 2 -> 3 with the re-encryption stretched over the load. After each,
    # the old key is retired while the load still runs.
    stats = []
    for old, new, pause in ((1, 2, 0), (2, 3, 0.02)):
        st = rotate_under_load(ctx, s, load, old, new, pause)
        stats.append(st)
        # Keep the load on past the servers' reload.
        t_after = time.time()
        while time.time() < t_after + 2.5 or load.count(t_after) < 50:
            time.sleep(0.05)
        assert not load.errors(), load.errors()[:5]

        # Nothing is left under the old key, even with the load still writing.
        assert under_key(s, old) == 0, "%d accounts under key %d" % (under_key(s, old), old)
        listed = keys_list(s)
        assert listed[str(old)][0] == "retiring" and listed[str(new)][0] == "active", listed

        # The current key cannot be retired.
        p = s.cli("keys", "retire", str(new), check=False)
        assert p.returncode == 1 and "current key" in p.stderr, p

        # Retire the old key: its line leaves the key file, the registry says retired.
        p = s.cli("keys", "retire", str(old), check=False)
        assert p.returncode == 0, (p.returncode, p.stdout, p.stderr)
        assert "key %d retired" % old in p.stdout, p.stdout
        keys_now = read_key_lines(keyfile)
        assert set(keys_now) == {"index", str(new)}, keys_now.keys()
        assert keys_now["index"] == first_keys["index"]
        with open(keyfile) as f:
            assert not any(re.match(r"\s*%d\s" % old, line) for line in f), \
                "key %d still in the key file" % old
        listed = keys_list(s)
        assert listed[str(old)][0] == "retired" and listed[str(new)][0] == "active", listed

        assert st["during"] >= 20, "only %d responses while `keys rotate` ran" % st["during"]
        if pause:
            assert st["during_reencrypt"] >= 5, "only %d responses during re-encryption" % (
                st["during_reencrypt"])

    load.finish()
    errors = load.errors()
    total = load.count()
    assert not errors, "%d errors in %d responses, first: %s" % (len(errors), total, errors[:5])
    by_phase = {}
    for a in load.pool:
        by_phase.setdefault(a.phase, []).append(a)
    for i in (1, 2):
        assert by_phase.get("during rotation %d" % i) and by_phase.get("after rotation %d" % i), \
            {k: len(v) for k, v in by_phase.items()}

    # The running server keeps serving after the retirements, for new accounts too.
    late = [Account(5000 + i, "after retire") for i in range(5)]
    for a in late:
        c = AddrClient(s)
        r = c.get("/daftar")
        r = c.post_form("/daftar", {"csrf": c.csrf_from(r.text), "name": a.name,
                                    "email": a.email, "password": STRONG})
        assert r.status == 303, r
    assert not parallel(late + accounts[:5], lambda a: reads_account(s, a))
    assert s.stop() == 0

    # A new server process with a key file holding only the new key.
    keydir = tempfile.mkdtemp(prefix="pd-http-newkey-")
    ctx.defer(lambda: shutil.rmtree(keydir, ignore_errors=True))
    only_new = os.path.join(keydir, "only-new.keys")
    shutil.copyfile(keyfile, only_new)
    os.chmod(only_new, 0o600)
    with open(only_new) as f:
        text = f.read()
    assert not re.search(r"^\s*[12]\s", text, re.M), "an old key in %s" % only_new
    assert base64.b64encode(first_keys["1"]).decode() not in text
    assert set(read_key_lines(only_new)) == {"index", "3"}
    # The data directory's own key file is moved away: nothing but only-new.keys can be read.
    os.rename(keyfile, os.path.join(keydir, "moved-away.keys"))

    s2 = ctx.server(data=s.data, demo=False, env={"PENDOPO_KEYS": only_new})
    everyone = accounts + load.pool[len(accounts):] + late
    failures = parallel(everyone, lambda a: reads_account(s2, a), n=4)
    assert not failures, "%d of %d accounts unreadable, first: %s" % (
        len(failures), len(everyone), failures[:5])
    # The demo's citizens too.
    with open(os.path.join(s.data, "demo-accounts.txt")) as f:
        demo = [l.split("\t") for l in f.read().splitlines()[1:]]
    for role, unit, addr, password in demo:
        if role != "citizen":
            continue
        c = AddrClient(s2)
        r = c.get("/masuk")
        r = c.post_form("/masuk", {"csrf": c.csrf_from(r.text), "email": addr,
                                   "password": password})
        assert r.status == 303, (addr, r)
        r = c.get("/akun")
        assert r.status == 200 and "<dd>%s " % addr in r.text, (addr, r)

    p = s2.cli("audit", "verify", check=False)
    assert p.returncode == 0 and "audit log sound" in p.stdout, (p.returncode, p.stdout, p.stderr)
    assert s2.stop() == 0

    counts = {k: len(v) for k, v in sorted(by_phase.items())}
    print("     rotation: %d accounts read back by the new server (%s, %d after retire); "
          "%d responses in all, 0 errors" % (len(everyone), counts, len(late), total))
    for i, st in enumerate(stats):
        print("     rotation %d: %d values re-wrapped; %d responses while `keys rotate` ran "
              "(%.2fs), %d during re-encryption (%.3fs); server reloaded %.2fs before "
              "re-encryption began" % (
                  i + 1, st["rewrapped"], st["during"], st["seconds"], st["during_reencrypt"],
                  st["reencrypt_seconds"], st["reload_lead"]))
    print("     %.1fs in all" % (time.time() - t_start))


@serial
def test_keys_rotation_retire_before_reencryption_refused(ctx):
    """A rotation killed half-way leaves values under the old key: `keys retire` of the old key
    is refused (exit 1, saying how many and where), the old key stays in the key file and the
    server keeps reading every account; `keys reencrypt` finishes and the retirement goes
    through."""
    s = ctx.server()
    keyfile = os.path.join(s.data, "keys", "master.keys")
    accounts = make_accounts(s, 0, n_cli=0, n_http=60)

    # The command is throttled from the start (running 2 ms in every 20), so that it cannot
    # finish in the moment between printing its first batch and being killed.
    proc = subprocess.Popen([s.binary, "keys", "rotate", "--batch", "1"], env=s.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ctx.defer(lambda: proc.poll() is None and (proc.kill(), proc.wait()))
    throttle = Throttle(proc, 0.02)
    seen = []
    try:
        for line in proc.stdout:
            seen.append(line)
            m = re.match(r"re-encrypted (\d+) of (\d+)", line)
            if m and 0 < int(m.group(1)):
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        throttle.finish()
        proc.wait()
    assert any("key 2 (fingerprint" in l for l in seen), seen

    left = under_key(s, 1)
    assert 0 < left, "the rotation finished before it could be interrupted: %s" % seen
    assert under_key(s, 2) > 0, seen
    listed = keys_list(s)
    assert listed["1"][0] == "retiring" and listed["2"][0] == "active", listed

    for key_id in ("1", "2"):  # the old key before re-encryption finished, the current key
        p = s.cli("keys", "retire", key_id, check=False)
        assert p.returncode == 1, (key_id, p.returncode, p.stdout, p.stderr)
    p = s.cli("keys", "retire", "1", check=False)
    m = re.search(r"still encrypts (\d+) values \((.*)\)", p.stderr)
    assert m and "account.subject_key: %d" % left in m.group(2), p.stderr
    assert "keys reencrypt" in p.stderr, p.stderr
    remaining = int(m.group(1))  # accounts, and whatever else is registered (outbox, …)
    assert set(read_key_lines(keyfile)) == {"index", "1", "2"}
    assert keys_list(s)["1"][0] == "retiring"

    # Half re-wrapped, half not: the running server reads every account.
    failures = parallel(accounts, lambda a: reads_account(s, a))
    assert not failures, failures[:5]

    p = s.cli("keys", "reencrypt")
    progress = re.findall(r"re-encrypted (\d+) of (\d+)", p.stdout)
    assert progress and progress[-1][0] == progress[-1][1] == str(remaining), p.stdout
    assert under_key(s, 1) == 0
    p = s.cli("keys", "retire", "1")
    assert "key 1 retired" in p.stdout, p.stdout
    assert set(read_key_lines(keyfile)) == {"index", "2"}
    failures = parallel(accounts, lambda a: reads_account(s, a))
    assert not failures, failures[:5]
