"""Shared helpers of the platform-core HTTP tests (test_core_*.py); holds no tests itself.

raw() talks to the server over a bare socket, for requests http.client refuses to send
(invalid bytes in the path, broken framing, a body that never comes)."""
import base64
import os
import re
import socket
import time

CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/ld+json")


class RawResponse:
    """A response read off a socket: status, headers (list of pairs), body bytes."""

    def __init__(self, status, headers, body, interim=()):
        self.status = status
        self.headers = headers
        self.body = body
        self.interim = list(interim)  # statuses of 1xx responses that came first

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        return "<RawResponse %s %r>" % (self.status, self.body[:200])


def _parse(data, head=False):
    """Parses the first final response in data (skipping 1xx); None when incomplete. A response
    to HEAD has no body whatever its Content-Length says."""
    interim = []
    while True:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = data[:end].decode("latin-1").split("\r\n")
        m = re.match(r"HTTP/1\.[01] (\d{3})", head[0])
        if not m:
            return None
        status = int(m.group(1))
        headers = []
        for line in head[1:]:
            k, _, v = line.partition(":")
            headers.append((k.strip(), v.strip()))
        rest = data[end + 4:]
        if 100 <= status < 200:
            interim.append(status)
            data = rest
            continue
        cl = None
        for k, v in headers:
            if k.lower() == "content-length":
                cl = int(v)
        if head:
            return RawResponse(status, headers, rest, interim)
        if cl is not None:
            if len(rest) < cl:
                return None
            rest = rest[:cl]
        return RawResponse(status, headers, rest, interim)


def raw(server, data, timeout=5.0, chunks=None):
    """Sends data (bytes) to the server, then each of chunks, and reads until the first final
    response is complete or the connection closes. Returns a RawResponse, or None when no
    final response came within timeout seconds (or the connection closed without one)."""
    head = data.startswith(b"HEAD ")
    deadline = time.time() + timeout
    sk = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    buf = b""
    try:
        try:
            sk.sendall(data)
            for c in chunks or []:
                sk.sendall(c)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        while time.time() < deadline:
            sk.settimeout(max(0.05, deadline - time.time()))
            try:
                d = sk.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not d:
                break
            buf += d
            r = _parse(buf, head)
            # (a HEAD answer is read until the server closes, to see any stray body bytes)
            if r is not None and not head and r.header("Content-Length") is not None:
                return r
        return _parse(buf, head)
    finally:
        sk.close()


def request_bytes(method, path, headers=(), body=b"", host=b"127.0.0.1"):
    """Builds a raw HTTP/1.1 request (path and header values as bytes, sent as they are)."""
    if isinstance(path, str):
        path = path.encode()
    lines = [method.encode() + b" " + path + b" HTTP/1.1", b"Host: " + host, b"Connection: close"]
    for k, v in headers:
        lines.append((k.encode() if isinstance(k, str) else k) + b": " +
                     (v.encode() if isinstance(v, str) else v))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def chunked(body, size=8192):
    out = b""
    for i in range(0, len(body), size):
        part = body[i:i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"


def csrf_token(secret_b64):
    """A masked CSRF token for the pd_csrf cookie's secret, the way the server masks it:
    base64url(r || r XOR secret) for a fresh random r."""
    secret = base64.urlsafe_b64decode(secret_b64 + "=" * (-len(secret_b64) % 4))
    r = os.urandom(len(secret))
    tok = r + bytes(a ^ b for a, b in zip(r, secret))
    return base64.urlsafe_b64encode(tok).rstrip(b"=").decode()


def with_csrf(client):
    """Makes sure the client holds a pd_csrf cookie; returns a valid masked token."""
    if "pd_csrf" not in client.cookies:
        client.get("/")
    assert "pd_csrf" in client.cookies, client.cookies
    return csrf_token(client.cookies["pd_csrf"])


def assert_security_headers(r, what=""):
    """The headers DESIGN §5 wants on every response."""
    where = "%s (status %s)" % (what, r.status)
    assert r.header("Content-Security-Policy") == CSP, (where, r.header("Content-Security-Policy"))
    assert r.header("X-Frame-Options") == "DENY", (where, r.header("X-Frame-Options"))
    assert r.header("X-Content-Type-Options") == "nosniff", (where, r.header("X-Content-Type-Options"))
    assert r.header("Referrer-Policy") == "strict-origin-when-cross-origin", (
        where, r.header("Referrer-Policy"))


def assert_charset(r, what=""):
    ct = r.header("Content-Type") or ""
    if ct.lower().startswith(TEXT_TYPES):
        assert "; charset=utf-8" in ct, (what, r.status, ct)


def main_of(html):
    """The one <main> of a page (asserting there is exactly one)."""
    assert html.count("<main") == 1 and html.count("</main>") == 1, html[:500]
    return re.search(r"<main\b.*?</main>", html, re.S).group(0)


def html_lang(html):
    m = re.search(r'<html lang="([^"]+)"', html)
    return m.group(1) if m else None


def alive(server, what=""):
    """The server process still runs and answers /healthz with 200."""
    assert server.proc.poll() is None, "server died after %s: %s" % (what, server.read_log()[-2000:])
    r = server.client().get("/healthz")
    assert r.status == 200, (what, r)
    assert r.json()["status"] == "ok", (what, r)


def alive_soon(server, what="", within=5.0):
    """Like alive(), but the server may take up to `within` seconds to notice closed
    connections and answer again (a sanitizer build under load is slow to reap them)."""
    import time
    deadline = time.time() + within
    while True:
        try:
            return alive(server, what)
        except (AssertionError, OSError):
            if time.time() >= deadline or server.proc.poll() is not None:
                raise
            time.sleep(0.1)


def vary_tokens(r):
    return {t.strip().lower() for v in r.headers if v[0].lower() == "vary" for t in v[1].split(",")}


def cookie_attrs(set_cookie):
    """Splits a Set-Cookie value into (name, value, {attribute lower-case: value or True})."""
    parts = [p.strip() for p in set_cookie.split(";")]
    name, _, value = parts[0].partition("=")
    attrs = {}
    for p in parts[1:]:
        k, eq, v = p.partition("=")
        attrs[k.strip().lower()] = v.strip() if eq else True
    return name, value, attrs


def set_cookies(r, name):
    """The Set-Cookie values of a response for one cookie name."""
    return [sc for sc in r.header_all("Set-Cookie") if sc.split("=", 1)[0].strip() == name]
