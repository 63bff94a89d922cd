"""The durable outbox and the scheduler: `pendopo mail test` queues a message that the server
delivers by SMTP (or as a file without --smtp-url), failed attempts back off and are retried
with the same Message-ID, and a periodic job runs once per interval across two servers
sharing one database."""
import email
import email.policy
import email.utils
import os
import re
import socket
import subprocess
import time

import lib

T0 = 1_900_000_000_000  # test clock: 2030-03-17, Unix ms


def db(server, sql, args=()):
    """Rows of a query on the server's database (SQLite or PostgreSQL), outside the server."""
    return server.sql(sql, args)


def wait_until(fn, timeout=20, what="condition"):
    deadline = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.time() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.1)


def mail_test(server, to, subject=None):
    args = ["mail", "test", "--to", to]
    if subject:
        args += ["--subject", subject]
    out = server.cli(*args).stdout.strip().splitlines()
    assert out, "mail test printed nothing"
    mid = out[-1]
    assert re.fullmatch(r"<[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}@[a-z0-9.-]+>", mid), mid
    return mid


def parse(raw):
    """A message stored by smtp_sink.py: the envelope line, then the bytes as received."""
    first, _, rest = raw.partition(b"\r\n")
    assert first.startswith(b"X-Envelope-To: "), first
    return first[len(b"X-Envelope-To: "):].decode(), rest, email.message_from_bytes(rest, policy=email.policy.default)


def assert_wire_format(rest):
    assert b"\n" not in rest.replace(b"\r\n", b""), "bare LF in the message"
    assert b"\r" not in rest.replace(b"\r\n", b""), "bare CR in the message"
    for line in rest.split(b"\r\n"):
        assert len(line) <= 998, "line longer than 998 octets"
    head = rest.split(b"\r\n\r\n", 1)[0]
    assert all(b < 0x80 for b in head), "8-bit bytes in the header"


def metric(server, name):
    text = server.client().get("/metrics").text
    m = re.search(r"^%s (\d+)$" % re.escape(name), text, re.M)
    return int(m.group(1)) if m else None


REJECTING_SINK = r"""
import asyncio, sys
sys.path.insert(0, %r)
from aiosmtpd.controller import Controller
from smtp_sink import Sink

class Rejecting(Sink):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 <%%s>: Recipient address rejected" %% address
        envelope.rcpt_tos.append(address)
        return "250 OK"

controller = Controller(Rejecting(sys.argv[2]), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
asyncio.get_event_loop().run_forever()
"""


class RejectingSMTP(lib.SMTPServer):
    """The suite's SMTP sink, except that it refuses every recipient nobody@… with 550."""

    def start(self):
        script = os.path.join(self.dir, "rejecting_sink.py")
        with open(script, "w") as f:
            f.write(REJECTING_SINK % os.path.dirname(os.path.abspath(lib.__file__)))
        self.proc = subprocess.Popen(["/usr/bin/python3", script, str(self.port), self.dir],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError("rejecting SMTP sink did not start")


def start_with_clock(ctx, ms, **kw):
    s = ctx.unstarted_server(**kw)
    s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
    s.set_clock(ms)
    return s.start()


def test_outbox_smtp_delivers_valid_mime(ctx):
    sink = ctx.smtp()
    s = ctx.server(env={
        "PENDOPO_SMTP_URL": "smtp://127.0.0.1:%d" % sink.port,
        "PENDOPO_SMTP_FROM": "Pendopo Sukamaju <noreply@sukamaju.example>",
        "PENDOPO_PUBLIC_URL": "https://Portal.Sukamaju.example:8443/pendopo",
    })
    mid = mail_test(s, "a@example.org")
    assert mid.endswith("@portal.sukamaju.example>"), mid
    to, rest, msg = parse(sink.wait_for(1)[0])
    assert to == "a@example.org"
    assert_wire_format(rest)
    assert msg["To"] == "a@example.org"
    assert msg["From"] == "Pendopo Sukamaju <noreply@sukamaju.example>"
    assert msg["Subject"] == "Uji surel Pendopo \u2014 Pendopo test message", msg["Subject"]
    assert b"=?UTF-8?B?" in rest.split(b"\r\n\r\n", 1)[0]
    assert msg["Message-ID"] == mid
    assert msg["MIME-Version"] == "1.0"
    assert msg.get_content_type() == "text/plain" and msg.get_content_charset() == "utf-8"
    assert msg["Content-Transfer-Encoding"] in ("quoted-printable", "base64", "8bit")
    assert msg["Date"] and email.utils.parsedate_to_datetime(msg["Date"]).tzinfo is not None
    assert len(msg.get_all("Message-ID")) == 1 and len(msg.get_all("To")) == 1
    body = msg.get_content()
    assert "Jika surel ini sampai" in body and "the SMTP settings work" in body, body

    # A long UTF-8 subject comes back intact through RFC 2047 words of at most 75 characters.
    subject = "Permohonan izin usaha mikro \u2014 nomor P-7K3M-9QXD-4 diterima \u2713 " * 3
    subject = subject.strip()
    mid2 = mail_test(s, "b.warga+izin@example.org", subject)
    msgs = sink.wait_for(2)
    to2, rest2, msg2 = parse(msgs[1])
    assert to2 == "b.warga+izin@example.org"
    assert_wire_format(rest2)
    assert msg2["Subject"] == subject, msg2["Subject"]
    assert msg2["Message-ID"] == mid2
    for word in re.findall(rb"=\?[^?]+\?[BbQq]\?[^?]*\?=", rest2.split(b"\r\n\r\n", 1)[0]):
        assert len(word) <= 75, word

    # Header injection is refused before anything is queued.
    for args in (["--to", "a@example.org\r\nBcc: evil@example.org"],
                 ["--to", "a@example.org", "--subject", "Hai\r\nBcc: evil@example.org"],
                 ["--to", "a@example.org\nBcc: evil@example.org"],
                 ["--to", "Evil <a@example.org>"]):
        p = s.cli("mail", "test", *args, check=False)
        assert p.returncode != 0, args
    time.sleep(3)
    assert len(sink.messages()) == 2
    assert db(s, "SELECT COUNT(*) FROM outbox")[0][0] == 2
    assert "example.org" not in s.read_log(), "a recipient address reached the log"


def test_outbox_smtp_down_then_up_exactly_once(ctx):
    sink = ctx.smtp(start=False)  # its port is chosen, nothing listens yet
    s = start_with_clock(ctx, T0, env={"PENDOPO_SMTP_URL": "smtp://127.0.0.1:%d" % sink.port})
    mids = {}
    for i in range(5):
        mids[mail_test(s, "warga%d@example.org" % i, "Pesan %d" % i)] = "warga%d@example.org" % i

    def all_tried():
        rows = db(s, "SELECT state, attempts, next_attempt_ms, last_error FROM outbox")
        return rows if len(rows) == 5 and all(r[1] >= 1 for r in rows) else None
    rows = wait_until(all_tried, what="a first attempt of every message")
    for state, attempts, next_ms, err in rows:
        assert state == "pending" and attempts == 1, rows
        # back-off after the first failure: 30 s less up to a quarter of jitter
        assert T0 + 22_000 <= next_ms <= T0 + 30_000, (next_ms - T0)
        assert err.startswith("smtp:") and "example.org" not in err, err
    wait_until(lambda: metric(s, 'pendopo_outbox_attempts_total{result="retry"}') == 5,
               what="the retry counter")
    wait_until(lambda: metric(s, 'pendopo_outbox_messages{state="pending"}') == 5
               and metric(s, "pendopo_outbox_retrying") == 5, what="the outbox gauges")

    # While the clock stands still, nothing is retried: the back-off holds.
    time.sleep(3)
    assert [r[0] for r in db(s, "SELECT attempts FROM outbox")] == [1] * 5
    sink.start()
    time.sleep(3)
    assert sink.messages() == [], "delivered before the back-off ran out"

    s.set_clock(T0 + 31_000)
    sink.wait_for(5)
    time.sleep(4)  # anything sent twice would arrive now
    msgs = [parse(raw) for raw in sink.messages()]
    assert len(msgs) == 5, len(msgs)
    got = {}
    for to, rest, msg in msgs:
        assert_wire_format(rest)
        assert msg["To"] == to
        got[msg["Message-ID"]] = to
        # the Date is the enqueue time, kept through the retry
        assert email.utils.parsedate_to_datetime(msg["Date"]).timestamp() == T0 // 1000
    assert got == mids, (got, mids)
    rows = db(s, "SELECT state, attempts, sent_ms, last_error FROM outbox")
    assert all(r[0] == "sent" and r[1] == 2 and r[2] == T0 + 31_000 and r[3] == "" for r in rows), rows
    wait_until(lambda: metric(s, 'pendopo_outbox_messages{state="sent"}') == 5
               and metric(s, 'pendopo_outbox_attempts_total{result="sent"}') == 5,
               what="the sent gauges")
    log = s.read_log()
    assert "example.org" not in log, "a recipient address reached the log"
    assert log.count("event=outbox_retry") == 5 and log.count("event=outbox_sent") == 5


def test_outbox_without_smtp_writes_eml(ctx):
    s = ctx.server()
    mid = mail_test(s, "warga@example.org")
    path = os.path.join(s.data, "mail", mid.strip("<>") + ".eml")
    wait_until(lambda: os.path.exists(path), what=path)
    with open(path, "rb") as f:
        raw = f.read()
    assert_wire_format(raw)
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Message-ID"] == mid and msg["To"] == "warga@example.org"
    assert "Jika surel ini sampai" in msg.get_content()
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert sorted(os.listdir(os.path.join(s.data, "mail"))) == [os.path.basename(path)], \
        "a temporary file was left behind"
    wait_until(lambda: db(s, "SELECT state, attempts FROM outbox") == [("sent", 1)],
               what="the message marked sent")


def test_outbox_scheduler_once_per_interval_on_two_nodes(ctx):
    s1 = start_with_clock(ctx, T0)
    s2 = ctx.unstarted_server(data=s1.data, env={"PENDOPO_TEST_CLOCK": s1.clock_file})
    s2.start()
    hour = 3_600_000

    def row():
        r = db(s1, "SELECT runs, last_run_ms, next_run_ms, locked_by, locked_until_ms, last_result "
                   "FROM job_schedule WHERE name = 'outbox-retention'")
        return r[0] if r else None

    r = wait_until(lambda: row() if row() and row()[0] >= 1 else None, what="the first run")
    time.sleep(4)  # both nodes look for due jobs every second or two
    r = row()
    assert r[0] == 1 and r[1] == T0 and r[2] == T0 + hour, r
    assert r[4] == 0 and r[5].startswith("deleted:"), r
    for k in (1, 2, 3):
        s1.set_clock(T0 + k * hour + 500)
        wait_until(lambda: row()[0] == k + 1, what="run %d" % (k + 1))
        time.sleep(3)
        r = row()
        assert r[0] == k + 1 and r[1] == T0 + k * hour + 500, r
        assert r[2] == T0 + (k + 1) * hour + 500, r
    # Both nodes were alive and polling the whole time, under different names.
    log = s1.read_log()
    nodes = set(re.findall(r"event=jobs_started node=(\S+)", log))
    assert len(nodes) == 2, nodes
    assert log.count("event=job_run name=outbox-retention") == 4
    assert s1.proc.poll() is None and s2.proc.poll() is None


def test_outbox_two_nodes_deliver_each_message_once(ctx):
    sink = ctx.smtp()
    env = {"PENDOPO_SMTP_URL": "smtp://127.0.0.1:%d" % sink.port}
    s1 = ctx.server(env=env)
    s2 = ctx.unstarted_server(data=s1.data, env=env)
    s2.start()
    mids = set(mail_test(s1, "warga%d@example.org" % i) for i in range(24))
    sink.wait_for(24)
    time.sleep(4)  # a message claimed by both nodes would arrive twice by now
    got = [parse(raw)[2]["Message-ID"] for raw in sink.messages()]
    assert len(got) == 24 and set(got) == mids, (len(got), len(set(got)))
    assert db(s1, "SELECT state, attempts, COUNT(*) FROM outbox GROUP BY state, attempts") == \
        [("sent", 1, 24)]


def test_outbox_permanent_refusal_gives_up_at_once(ctx):
    sink = RejectingSMTP()
    ctx.defer(sink.cleanup)
    sink.start()
    s = ctx.server(env={"PENDOPO_SMTP_URL": "smtp://127.0.0.1:%d" % sink.port})
    bad = mail_test(s, "nobody@example.org")
    good = mail_test(s, "warga@example.org")
    sink.wait_for(1)

    def states():
        rows = dict((r[0], r[1:]) for r in db(s, "SELECT message_id, state, attempts, last_error FROM outbox"))
        return rows if rows.get(bad, ("",))[0] == "failed" and rows.get(good, ("",))[0] == "sent" else None
    rows = wait_until(states, what="the refused message failed and the other sent")
    state, attempts, err = rows[bad]
    assert attempts == 1 and "550" in err, rows[bad]
    # The server's reply quotes the address; what we keep and log must not.
    assert "example.org" not in err and "nobody" not in err, err
    assert rows[good] == ("sent", 1, "")
    time.sleep(3)
    assert len(sink.messages()) == 1
    assert db(s, "SELECT attempts FROM outbox WHERE message_id = ?", (bad,)) == [(1,)]
    wait_until(lambda: metric(s, 'pendopo_outbox_attempts_total{result="failed"}') == 1
               and metric(s, 'pendopo_outbox_messages{state="failed"}') == 1,
               what="the failed counters")
    assert "nobody" not in s.read_log() and "example.org" not in s.read_log()
