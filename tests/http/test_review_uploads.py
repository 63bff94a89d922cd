"""Temporary upload files (<data>/tmp/upload-*): gone when the request ends however it ends, and
those a crash left behind are removed at the next start."""
import os
import shutil
import socket
import tempfile
import time

from test_core_helpers import alive, raw, request_bytes
from run import serial

BOUNDARY = "pdreviewboundary"


def _uploads(s):
    d = os.path.join(s.data, "tmp")
    return sorted(n for n in os.listdir(d) if n.startswith("upload-")) if os.path.isdir(d) else []


def _multipart_head(total_len):
    return request_bytes("POST", "/akun/dokumen", [
        ("Content-Type", "multipart/form-data; boundary=" + BOUNDARY),
        ("Content-Length", str(total_len))])


def test_stale_uploads_removed_at_start(ctx):
    data = tempfile.mkdtemp(prefix="pd-http-")
    ctx.defer(lambda: shutil.rmtree(data, ignore_errors=True))
    os.makedirs(os.path.join(data, "tmp"))
    old = time.time() - 2 * 3600
    for name in ("upload-AAAAAA", "upload-BBBBBB", "keep-me"):
        with open(os.path.join(data, "tmp", name), "wb") as f:
            f.write(b"%PDF-1.4 a citizen's identity card")
        os.utime(os.path.join(data, "tmp", name), (old, old))
    with open(os.path.join(data, "tmp", "upload-CCCCCC"), "wb") as f:
        f.write(b"an upload in progress on another node")
    s = ctx.server(data=data)
    left = sorted(os.listdir(os.path.join(data, "tmp")))
    assert "upload-AAAAAA" not in left and "upload-BBBBBB" not in left, left
    assert "upload-CCCCCC" in left and "keep-me" in left, left
    assert "stale_uploads_removed" in s.read_log()
    alive(s, "stale uploads")


@serial
def test_upload_temp_files_go_on_every_ending(ctx):
    s = ctx.server()
    part = ("--%s\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"ktp.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n" % BOUNDARY).encode()
    data = b"%PDF-1.4\n" + b"x" * 200000
    tail = ("\r\n--%s--\r\n" % BOUNDARY).encode()
    # a whole request (refused: no CSRF token, not signed in)
    r = raw(s, _multipart_head(len(part) + len(data) + len(tail)) + part + data + tail)
    assert r is not None and r.status in (303, 400, 403, 413), r
    # a client that leaves halfway through the file
    sk = socket.create_connection(("127.0.0.1", s.port))
    sk.sendall(_multipart_head(len(part) + len(data) + len(tail)) + part + data[:100000])
    time.sleep(0.5)
    sk.close()
    t0 = time.time()
    while _uploads(s) and time.time() - t0 < 5:
        time.sleep(0.1)
    assert _uploads(s) == [], _uploads(s)
    alive(s, "uploads")


def test_multipart_text_fields_share_the_body_limit(ctx):
    """max-body bounds the text fields of a multipart form together, as it bounds an
    urlencoded form; each field alone used to be allowed max-body, so 20 fields of 1 MiB each
    kept 20 MiB in memory for one request."""
    s = ctx.server()
    parts = b""
    for i in range(3):
        parts += ("--%s\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n" % (BOUNDARY, i)).encode()
        parts += b"x" * (600 * 1024) + b"\r\n"
    body = parts + ("--%s--\r\n" % BOUNDARY).encode()
    r = raw(s, _multipart_head(len(body)) + body, timeout=10)
    assert r is not None and r.status == 413, r
    # one field under the limit is still read (and then refused for what it lacks)
    small = ("--%s\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc\r\n--%s--\r\n" %
             (BOUNDARY, BOUNDARY)).encode()
    r = raw(s, _multipart_head(len(small)) + small)
    assert r is not None and r.status in (303, 403), r
    alive(s, "multipart fields")
