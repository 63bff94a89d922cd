"""Hostile clients against the connection limits: a body that never ends, huge header blocks,
and one address holding every connection (DESIGN §4: limits on body, connections and slow
clients protect the server)."""
import socket
import time

from test_core_helpers import alive, alive_soon, raw, request_bytes
from run import serial

FORM = "application/x-www-form-urlencoded"


@serial
def test_endless_chunked_body_is_cut_off(ctx):
    """Past max-request the body used to be read and dropped for as long as the client kept
    sending: one client could hold a connection and a pool thread's time for ever. A modest
    overrun still gets its 413."""
    s = ctx.server(env={"PENDOPO_MAX_REQUEST": "4096"})
    sk = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    sk.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: " + FORM.encode() +
               b"\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n" % 65536 + b"a" * 65536 + b"\r\n"
    sent = 0
    cut = False
    t0 = time.time()
    try:
        while sent < 200 * 1024 * 1024 and time.time() - t0 < 20:
            sk.sendall(chunk)
            sent += 65536
    except (BrokenPipeError, ConnectionResetError):
        cut = True
    finally:
        sk.close()
    assert cut, "the server read %d bytes of a body limited to 4096" % sent
    assert sent < 64 * 1024 * 1024, sent
    assert "event=body_cut_off" in s.read_log()
    # just over the limit: still answered, with 413
    body = b"a=" + b"b" * 20000
    r = raw(s, request_bytes("POST", "/", [("Content-Type", FORM), ("Transfer-Encoding", "chunked")]),
            chunks=[b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"])
    assert r is not None and r.status == 413, r
    alive(s, "endless body")


@serial
def test_huge_header_block_is_refused(ctx):
    """Each connection may pin the memory its header block needs: at 256 KiB a connection,
    2000 idle connections with 200 KB of headers pinned 430 MB. Now a header block beyond
    64 KiB (the connection's memory) is refused (431) and ordinary ones are served."""
    s = ctx.server()
    pad = [("X-Pad-%d" % i, "a" * 1000) for i in range(160)]
    r = raw(s, request_bytes("GET", "/", pad))
    assert r is not None and r.status == 431, r
    r = raw(s, request_bytes("GET", "/", pad[:20] + [("Cookie", "a=" + "b" * 7000)]))
    assert r is not None and r.status == 200, r
    alive(s, "huge headers")


@serial
def test_one_address_cannot_take_every_connection(ctx):
    """Without a trusted proxy one address may hold 128 connections; the rest are closed at
    once, so a slowloris client from one address cannot use up the 4096 the server has."""
    s = ctx.server()
    socks = []
    try:
        for _ in range(160):
            sk = socket.create_connection(("127.0.0.1", s.port), timeout=5)
            sk.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and never the end of the headers
            socks.append(sk)
        time.sleep(1.0)
        closed = 0
        for sk in socks:
            sk.setblocking(False)
            try:
                if sk.recv(1) == b"":
                    closed += 1
            except BlockingIOError:
                pass
            except ConnectionResetError:
                closed += 1
        assert 160 - closed <= 128, (closed, "connections closed of 160")
        assert closed >= 32, closed
    finally:
        for sk in socks:
            sk.close()
    alive_soon(s, "connection flood")
    # behind a trusted proxy the proxy's address is every client's: no per-address limit
    t = ctx.server(env={"PENDOPO_TRUSTED_PROXY": "127.0.0.1/32"})
    socks = []
    try:
        for _ in range(140):
            sk = socket.create_connection(("127.0.0.1", t.port), timeout=5)
            sk.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            socks.append(sk)
        time.sleep(1.0)
        for sk in socks:
            sk.setblocking(False)
            try:
                assert sk.recv(1) != b""
            except BlockingIOError:
                pass
    finally:
        for sk in socks:
            sk.close()
    alive(t, "proxied connections")


def _under_prlimit(ctx, nofile, **kw):
    """A server started under `prlimit --nofile=SOFT:HARD` (the wrapper execs, so the PID is the
    server's)."""
    import os
    import stat
    import tempfile
    s = ctx.unstarted_server(**kw)
    d = tempfile.mkdtemp(prefix="pd-prlimit-")
    wrapper = os.path.join(d, "pendopo")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\nexec prlimit --nofile=%s %s \"$@\"\n" % (nofile, s.binary))
    os.chmod(wrapper, stat.S_IRWXU)
    ctx.defer(lambda: __import__("shutil").rmtree(d, ignore_errors=True))
    s.binary = wrapper
    return s.start()


@serial
def test_descriptor_limit_is_raised_for_the_connections(ctx):
    """Under the usual service limit (soft 1024, here 300) the server ran out of descriptors
    long before its 4096 connections: accept() failed with EMFILE and new clients hung. It
    raises the soft limit towards the hard one."""
    s = _under_prlimit(ctx, "300:8192", env={"PENDOPO_TRUSTED_PROXY": "127.0.0.1/32"})
    socks = []
    try:
        for _ in range(400):
            sk = socket.create_connection(("127.0.0.1", s.port), timeout=5)
            sk.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            socks.append(sk)
        time.sleep(0.5)
        r = raw(s, request_bytes("GET", "/healthz"), timeout=5)
        assert r is not None and r.status == 200, r
    finally:
        for sk in socks:
            sk.close()
    # a hard limit that cannot be raised: fewer connections, and the server still works
    t = _under_prlimit(ctx, "300:300")
    assert t.client().get("/healthz").status == 200
    assert "event=fd_limit" in t.read_log()
