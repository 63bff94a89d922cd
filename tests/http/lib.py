"""Harness of the HTTP suite: starts the real `pendopo serve` on a free loopback port with a
temporary data directory, talks to it over HTTP, and stops exactly the process it started."""
import gzip
import http.client
import itertools
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgError(Exception):
    """A statement that PostgreSQL (through psql) refused; str() holds psql's message."""


class PgCluster:
    """The PostgreSQL that pg_virtualenv started for this run (PGHOST, PGPORT, PGUSER and
    PGPASSWORD in the environment): one fresh database per data directory, made with psql and
    dropped when the test ends (drop_all). run.py --pg sets lib.PG to one of these; every Server
    made while it is set runs with PENDOPO_DB naming its database."""

    MARKER = ".pd-test-db"  # in a data directory: the name of its database (copies share it)

    def __init__(self, env=None):
        self.env = dict(os.environ if env is None else env)
        for var in ("PGHOST", "PGPORT", "PGUSER"):
            if not self.env.get(var):
                raise RuntimeError("%s is not set: run under pg_virtualenv (scripts/test-http-pg)" % var)
        self.prefix = "pd_%d_" % os.getpid()
        self.counter = itertools.count(1)
        self.created = []  # databases not dropped yet, oldest first
        self.by_data = {}  # data directory -> database name

    def psql(self, sql, db="postgres", check=True):
        p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db],
                           input=sql, capture_output=True, text=True, env=self.env, timeout=60)
        if check and p.returncode != 0:
            raise PgError(p.stderr.strip() or "psql exited with %d" % p.returncode)
        return p

    def url(self, name):
        host = self.env["PGHOST"]
        if host.startswith("/"):  # a socket directory
            host = urllib.parse.quote(host, safe="")
        user = urllib.parse.quote(self.env["PGUSER"], safe="")
        # No password in the URL (it would reach argv and logs): libpq reads PGPASSWORD.
        return "postgresql://%s@%s:%s/%s" % (user, host, self.env["PGPORT"], name)

    def create(self):
        name = "%s%d" % (self.prefix, next(self.counter))
        self.psql("CREATE DATABASE %s" % name)
        self.created.append(name)
        return name

    def database_for(self, data):
        """The database of a data directory: the one recorded in it (or for it), else a new
        one, recorded in the directory when it exists."""
        data = os.path.abspath(data)
        if data in self.by_data:
            return self.by_data[data]
        marker = os.path.join(data, self.MARKER)
        try:
            with open(marker) as f:
                name = f.read().strip()
        except OSError:
            name = ""
        if not name:
            name = self.create()
            if os.path.isdir(data):
                with open(marker, "w") as f:
                    f.write(name + "\n")
        self.by_data[data] = name
        return name

    def drop_all(self):
        """Drops every database made so far (connections still open are ended)."""
        while self.created:
            name = self.created.pop()
            self.psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name, check=False)
        self.by_data.clear()

    def query(self, name, sql, args=()):
        """Runs one statement with ?-parameters in database name; a SELECT returns its rows as
        tuples (integers as int, NULL as None, bytea as a '\\x…' string), anything else []."""
        text = bind_literals(sql, args)
        head = text.lstrip().split(None, 1)[0].upper() if text.strip() else ""
        if head in ("SELECT", "WITH", "VALUES", "TABLE"):
            p = self.psql("SELECT row_to_json(pd_q) FROM (%s) pd_q" % text.rstrip().rstrip(";"), db=name)
            rows = []
            for line in p.stdout.splitlines():
                if line.strip():
                    pairs = json.loads(line, object_pairs_hook=list)
                    rows.append(tuple(v for _, v in pairs))
            return rows
        self.psql(text, db=name)
        return []


def bind_literals(sql, args):
    """sql with each ? outside quotes replaced by args[i] as an SQL literal (for psql)."""
    out, it, quote = [], iter(args), None
    for ch in sql:
        if quote:
            quote = None if ch == quote else quote
            out.append(ch)
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            try:
                v = next(it)
            except StopIteration:
                raise ValueError("more ? than arguments in: " + sql)
            if v is None:
                out.append("NULL")
            elif isinstance(v, bool):
                out.append("TRUE" if v else "FALSE")
            elif isinstance(v, int):
                out.append(str(v))
            elif isinstance(v, (bytes, bytearray, memoryview)):
                out.append("'\\x%s'::bytea" % bytes(v).hex())
            else:
                out.append("'%s'" % str(v).replace("'", "''"))
        else:
            out.append(ch)
    if next(it, it) is not it:
        raise ValueError("more arguments than ? in: " + sql)
    return "".join(out)


PG = None  # a PgCluster while the suite runs on PostgreSQL (run.py --pg), else None


def backend():
    """The backend the servers of this run use, as /healthz names it."""
    return "postgres" if PG else "sqlite"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.raw = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def header_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def body(self):
        if (self.header("Content-Encoding") or "") == "gzip":
            return gzip.decompress(self.raw)
        return self.raw

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return "<Response %d %s>" % (self.status, self.body[:200])


class Client:
    """A client with its own cookie jar (name -> value)."""

    def __init__(self, server):
        self.server = server
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, raw_headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        h = dict(headers or {})
        if self.cookies and "Cookie" not in h:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if isinstance(body, str):
            body = body.encode()
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in h.items():
            conn.putheader(k, v)
        for k, v in raw_headers or []:
            conn.putheader(k, v)
        if body is not None and "Content-Length" not in h:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        data = resp.read()
        headers_list = resp.getheaders()
        conn.close()
        r = Response(resp.status, headers_list, data)
        for sc in r.header_all("Set-Cookie"):
            name, _, rest = sc.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in sc:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post_form(self, path, fields, headers=None):
        body = urllib.parse.urlencode(fields)
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.request("POST", path, body=body, headers=h)

    def post_json(self, path, obj, headers=None):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        return self.request("POST", path, body=json.dumps(obj), headers=h)

    def csrf_from(self, html):
        """The masked CSRF token of the first form in a page."""
        import re
        m = re.search(r'name="csrf" value="([^"]+)"', html)
        return m.group(1) if m else None


class Server:
    """One `pendopo serve` process with its own data directory."""

    def __init__(self, binary, env=None, args=None, demo=True, data=None, db_of=None):
        """db_of: another Server whose database this one uses while keeping its own data
        directory (a second node of one deployment; give it the first node's keys too)."""
        self.binary = binary
        self.port = free_port()
        self.own_data = data is None
        self.data = data or tempfile.mkdtemp(prefix="pd-http-")
        self.clock_file = os.path.join(self.data, "clock")
        self.env = dict(os.environ)
        self.env.update({"PENDOPO_DATA": self.data, "PENDOPO_LISTEN": "127.0.0.1:%d" % self.port})
        # On PostgreSQL every data directory has a database of its own; servers and commands
        # given the same data directory (or a copy of it) share it, as nodes of one deployment.
        if db_of is not None:
            self.pg, self.db_name, self.sqlite_path = db_of.pg, db_of.db_name, db_of.sqlite_path
            self.env["PENDOPO_DB"] = db_of.env.get("PENDOPO_DB") or "sqlite:" + db_of.sqlite_path
        else:
            self.pg = PG
            self.db_name = PG.database_for(self.data) if PG else None
            self.sqlite_path = os.path.join(self.data, "pendopo.db")
            if PG:
                self.env["PENDOPO_DB"] = PG.url(self.db_name)
        self.env.update(env or {})
        self.args = list(args or [])
        if demo:
            self.args.append("--demo")
        self.proc = None
        self.sanitizer_log = ""
        self.log_path = os.path.join(self.data, "server.log")

    def cli(self, *args, stdin=None, env=None, check=True):
        e = dict(self.env)
        e.update(env or {})
        p = subprocess.run([self.binary] + list(args), input=stdin, capture_output=True,
                           text=True, env=e, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError("pendopo %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr))
        return p

    @property
    def backend(self):
        return "postgres" if self.pg else "sqlite"

    def sql(self, query, args=()):
        """One statement with ?-parameters on this server's database, SQLite or PostgreSQL,
        outside the server; returns the rows of a SELECT as a list of tuples."""
        # A write behind the server's back must move the response cache's generation, as any
        # hand edit of a live database must (docs/architecture.md, "Response cache").
        bump = query.lstrip().split(None, 1)[0].upper() not in ("SELECT", "WITH", "PRAGMA")
        gen = "UPDATE cache_generation SET gen = gen + 1 WHERE id = 1"
        if self.pg:
            rows = self.pg.query(self.db_name, query, args)
            if bump:
                self.pg.psql(gen, db=self.db_name, check=False)
            return rows
        con = sqlite3.connect(self.sqlite_path, timeout=30, isolation_level=None)
        try:
            rows = con.execute(query, args).fetchall()
            if bump:
                try:
                    con.execute(gen)
                except sqlite3.OperationalError:
                    pass  # a schema before migration 0020
            return rows
        finally:
            con.close()

    def set_clock(self, ms):
        with open(self.clock_file + ".tmp", "w") as f:
            f.write(str(int(ms)))
        os.replace(self.clock_file + ".tmp", self.clock_file)

    def start(self, wait=True):
        for attempt in range(3):
            self.log = open(self.log_path, "ab")
            log_start = self._log_start = self.log.tell()
            self.proc = subprocess.Popen([self.binary, "serve"] + self.args, env=self.env,
                                         stdout=self.log, stderr=self.log)
            if not wait:
                return self
            try:
                return self.wait_ready()
            except AssertionError:
                # Another process (tests run in parallel) took the free port before the server
                # bound it: once more on another one, when the port is the one chosen here.
                ours = self.env.get("PENDOPO_LISTEN") == "127.0.0.1:%d" % self.port
                if attempt == 2 or not ours or self.proc.poll() is None or \
                        b"cannot listen on" not in self._log_bytes(log_start):
                    raise
                self.log.close()
                self.port = free_port()
                self.env["PENDOPO_LISTEN"] = "127.0.0.1:%d" % self.port
        return self

    def wait_ready(self, timeout=30):
        """Waits until the started server accepts connections (or fails if it exits)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("server exited with %s: %s" % (self.proc.returncode, self.read_log()[-2000:]))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.02)
        else:
            raise AssertionError("server did not start: " + self.read_log()[-2000:])
        # The socket accepts a moment before the server writes (and flushes) what it printed
        # while starting, ending with "listening on": wait for that line too (a little).
        deadline = time.time() + 5
        while time.time() < deadline and self.proc.poll() is None and \
                b"pendopo: listening on" not in self._log_bytes(getattr(self, "_log_start", 0)):
            time.sleep(0.01)
        return self

    def _log_bytes(self, start):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(start)
                return f.read()
        except OSError:
            return b""

    def read_log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()
            self.log = None
        return self.proc.returncode if self.proc else None

    def kill9(self):
        return self.stop(signal.SIGKILL)

    def cleanup(self):
        self.stop()
        self.sanitizer_log = self.read_log()
        if self.own_data:
            shutil.rmtree(self.data, ignore_errors=True)

    def client(self):
        return Client(self)


class SMTPServer:
    """Debian's aiosmtpd on a loopback port, writing each message to a directory."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.dir = tempfile.mkdtemp(prefix="pd-smtp-")
        self.proc = None

    def start(self):
        handler = os.path.join(os.path.dirname(os.path.abspath(__file__)), "smtp_sink.py")
        self.proc = subprocess.Popen(["/usr/bin/python3", handler, str(self.port), self.dir],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.02)
        raise AssertionError("SMTP sink did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def messages(self):
        out = []
        for name in sorted(os.listdir(self.dir)):
            if name.endswith(".eml"):
                with open(os.path.join(self.dir, name), "rb") as f:
                    out.append(f.read())
        return out

    def wait_for(self, n, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            msgs = self.messages()
            if len(msgs) >= n:
                return msgs
            time.sleep(0.05)
        raise AssertionError("expected %d messages, got %d" % (n, len(self.messages())))

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
