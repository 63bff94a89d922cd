"""Helpers of the identity tests: registering, signing in, reading mail and metrics."""
import email
import re
import time
import urllib.parse
from email import policy

STRONG = "kuda lari di sawah hijau"
NIK = "3219015708900001"  # Jawa Barat, Sukamaju (32.19.01), a woman born 17-08-1990


def register(c, email_addr, name="Siti Aminah", password=STRONG, **extra):
    page = c.get("/daftar")
    assert page.status == 200, page
    fields = {"csrf": c.csrf_from(page.text), "name": name, "email": email_addr,
              "password": password}
    fields.update(extra)
    return c.post_form("/daftar", fields)


def signin(c, email_addr, password, next_path=None):
    page = c.get("/masuk")
    fields = {"csrf": c.csrf_from(page.text), "email": email_addr, "password": password}
    if next_path is not None:
        fields["next"] = next_path
    return c.post_form("/masuk", fields)


def post_with_csrf(c, page_path, action, fields):
    page = c.get(page_path)
    assert page.status == 200, page
    f = {"csrf": c.csrf_from(page.text)}
    f.update(fields)
    return c.post_form(action, f)


def mail_parts(raw):
    msg = email.message_from_bytes(raw, policy=policy.default)
    return str(msg["To"]), str(msg["Subject"]), msg.get_content()


def link_in(raw, path):
    body = mail_parts(raw)[2]
    m = re.search(r"https?://\S+?%s\?token=[A-Za-z0-9_-]+" % re.escape(path), body)
    assert m, "no %s link in: %s" % (path, body)
    return m.group(0)


def local(url):
    p = urllib.parse.urlsplit(url)
    return p.path + ("?" + p.query if p.query else "")


def mail_to(messages, addr):
    return [m for m in messages if mail_parts(m)[0] == addr]


def wait_mail_to(smtp, addr, n=1, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = mail_to(smtp.messages(), addr)
        if len(found) >= n:
            return found
        time.sleep(0.1)
    raise AssertionError("expected %d messages to %s, got %d" % (n, addr, len(mail_to(smtp.messages(), addr))))


def metric(c, name):
    for line in c.get("/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError("metric %s missing" % name)


def without_csrf(html):
    return re.sub(r'name="csrf" value="[^"]+"', 'name="csrf" value=""', html)


def smtp_server(ctx, clock=False, **kw):
    """A server whose mail goes to a real SMTP server on loopback (and optionally a test clock)."""
    smtp = ctx.smtp()
    s = ctx.unstarted_server(env={"PENDOPO_SMTP_URL": "smtp://127.0.0.1:%d" % smtp.port}, **kw)
    if clock:
        s.env["PENDOPO_TEST_CLOCK"] = s.clock_file
        s.set_clock(time.time() * 1000)
    s.start()
    return s, smtp
