"""The <title> of every page fits the 70 characters tabs and search results show: "title — site
name" when both fit, the page's own title alone when they do not, cut at a word with "…" when
even that is too long (long service names in the demo catalogue need all three)."""
import html
import re

from kantor_util import demo_client

SITE = "Pendopo Kabupaten Sukamaju"


def title_of(page):
    m = re.search(r"<title>(.*?)</title>", page, re.S)
    assert m, page[:300]
    return html.unescape(m.group(1))


def test_titles_fit_with_or_without_the_site_name(ctx):
    s = ctx.server()
    c = s.client()
    assert title_of(c.get("/").text) == "Beranda — " + SITE
    slugs = sorted(set(re.findall(r'<a href="/layanan/([a-z0-9-]+)">', c.get("/layanan").text)))
    assert len(slugs) >= 12, slugs
    seen_alone = False
    for slug in slugs:
        page = c.get("/layanan/" + slug).text
        title = title_of(page)
        h1 = html.unescape(re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)).strip()
        assert len(title) <= 70, (slug, title)
        if len(h1) + 3 + len(SITE) <= 70:
            assert title == h1 + " — " + SITE, (slug, title)
        else:
            assert title == h1, (slug, title)
            seen_alone = True
    assert seen_alone, "no demo service name is long enough to drop the site name"


def test_a_title_too_long_even_alone_is_cut_at_a_word(ctx):
    s = ctx.server()
    c = demo_client(s, "citizen")
    name = "Surat Izin Praktik (SIP) Tenaga Medis dan Tenaga Kesehatan"
    r = c.get("/layanan/sip-tenaga-kesehatan/ajukan")
    assert r.status == 200, r
    title = title_of(r.text)
    assert len(title) <= 70, title
    assert title.endswith("…"), title
    full = "Ajukan permohonan: " + name
    assert full.startswith(title[:-1]), title
    assert full[len(title) - 1] == " ", "cut inside a word: " + title
    # The page's heading keeps the whole name.
    assert name in html.unescape(r.text.split("<h1>", 1)[1].split("</h1>", 1)[0])
