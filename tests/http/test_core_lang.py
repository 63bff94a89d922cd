"""Language choice (DESIGN §5: ?lang= → 303 and cookie; cookie > Accept-Language > Indonesian)
and the pre-session CSRF cookie (DESIGN §4)."""
import base64

from test_core_helpers import cookie_attrs, html_lang, main_of, set_cookies, vary_tokens

ID_WORDS = ("Selamat datang", "Lewati ke isi utama")
EN_WORDS = ("Welcome", "Skip to main content")


def assert_lang(r, lang):
    assert r.status == 200, r
    assert html_lang(r.text) == lang, (lang, r.text[:200])
    words, other = (EN_WORDS, ID_WORDS) if lang == "en" else (ID_WORDS, EN_WORDS)
    for w in words:
        assert w in r.text, (lang, w)
    for w in other:
        assert w not in r.text, (lang, w)


def test_default_is_indonesian(ctx):
    s = ctx.server()
    c = s.client()
    assert_lang(c.get("/"), "id")
    assert "lang" not in c.cookies
    # languages we do not have fall back to Indonesian
    assert_lang(s.client().get("/", headers={"Accept-Language": "fr-FR, de;q=0.8"}), "id")
    assert_lang(s.client().get("/", headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.8"}), "id")
    assert_lang(s.client().get("/", headers={"Accept-Language": "garbage;;q=zz,,"}), "id")


def test_lang_query_sets_cookie_and_redirects(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/unit/sukamaju?lang=en")
    assert r.status == 303, r
    assert r.header("Location") == "/unit/sukamaju", r.header("Location")
    sc = set_cookies(r, "lang")
    assert len(sc) == 1, r.header_all("Set-Cookie")
    name, value, attrs = cookie_attrs(sc[0])
    assert value == "en", sc
    assert attrs.get("path") == "/", sc
    assert str(attrs.get("samesite", "")).lower() == "lax", sc
    assert int(attrs.get("max-age", "0")) > 30 * 24 * 3600, sc  # remembered, not per session
    assert c.cookies.get("lang") == "en"
    r = c.get("/unit/sukamaju")
    assert html_lang(r.text) == "en"
    assert "Units below" in main_of(r.text) and "Regency" in main_of(r.text), main_of(r.text)
    assert_lang(c.get("/"), "en")
    # and back
    r = c.get("/?lang=id")
    assert r.status == 303 and r.header("Location") == "/", r
    assert_lang(c.get("/"), "id")


def test_lang_redirect_keeps_other_parameters(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/unit?x=1&lang=en&y=a%20b")
    assert r.status == 303
    loc = r.header("Location")
    assert loc.startswith("/unit?"), loc
    assert "lang" not in loc, loc
    params = sorted(loc.split("?", 1)[1].split("&"))
    assert params == ["x=1", "y=a%20b"] or params == ["x=1", "y=a+b"], loc


def test_accept_language_english_without_cookie(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert_lang(r, "en")
    assert not set_cookies(r, "lang"), r.header_all("Set-Cookie")
    assert "lang" not in c.cookies
    assert {"accept-language", "cookie"} <= vary_tokens(r)
    assert_lang(s.client().get("/", headers={"Accept-Language": "fr, en;q=0.5"}), "en")
    assert_lang(s.client().get("/", headers={"Accept-Language": "en;q=0.4, id;q=0.6"}), "id")
    r = s.client().get("/unit/nope", headers={"Accept-Language": "en"})
    assert r.status == 404 and html_lang(r.text) == "en"
    assert "This organisation unit does not exist." in main_of(r.text)


def test_cookie_wins_over_accept_language(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/", headers={"Cookie": "lang=id", "Accept-Language": "en-US,en;q=0.9"})
    assert_lang(r, "id")
    r = c.get("/", headers={"Cookie": "lang=en", "Accept-Language": "id"})
    assert_lang(r, "en")
    # a cookie with a language we do not have is ignored, Accept-Language decides
    r = c.get("/", headers={"Cookie": "lang=xx", "Accept-Language": "en"})
    assert_lang(r, "en")


def test_unsupported_lang_query_changes_nothing(ctx):
    s = ctx.server()
    c = s.client()
    assert c.get("/?lang=en").status == 303
    r = c.get("/unit?lang=xx")
    assert r.status == 303, r
    assert r.header("Location") == "/unit", r.header("Location")
    assert not set_cookies(r, "lang"), r.header_all("Set-Cookie")
    assert c.cookies.get("lang") == "en"
    assert html_lang(c.get("/unit").text) == "en"
    fresh = s.client()
    r = fresh.get("/?lang=%3Cscript%3E")
    assert r.status == 303 and r.header("Location") == "/"
    assert "lang" not in fresh.cookies
    assert_lang(fresh.get("/"), "id")


def test_lang_switch_links(ctx):
    s = ctx.server()
    r = s.client().get("/unit/sukamaju")
    assert 'href="/unit/sukamaju?lang=en"' in r.text, r.text[:2000]
    assert 'href="/unit/sukamaju?lang=id"' in r.text


def test_api_ignores_lang_query(ctx):
    s = ctx.server()
    r = s.client().get("/api/v1/units?lang=en")
    assert r.status == 200 and r.json()["items"], r


def test_csrf_cookie_before_sign_in(ctx):
    s = ctx.server()
    c = s.client()
    r = c.get("/")
    sc = set_cookies(r, "pd_csrf")
    assert len(sc) == 1, r.header_all("Set-Cookie")
    name, value, attrs = cookie_attrs(sc[0])
    assert attrs.get("httponly") is True, sc
    assert str(attrs.get("samesite", "")).lower() == "lax", sc
    assert attrs.get("path") == "/", sc
    assert "domain" not in attrs, sc
    assert "secure" not in attrs, sc  # plain HTTP here
    secret = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    assert len(secret) >= 32, value  # 256 bits of randomness
    # kept: not sent again while the client has it
    r = c.get("/unit")
    assert not set_cookies(r, "pd_csrf"), r.header_all("Set-Cookie")
    # every client gets its own
    other = s.client()
    other.get("/")
    assert other.cookies["pd_csrf"] != c.cookies["pd_csrf"]


def test_csrf_cookie_over_https_is_host_prefixed(ctx):
    s = ctx.server(env={"PENDOPO_PUBLIC_URL": "https://portal.sukamaju.go.id"})
    r = s.client().get("/")
    sc = set_cookies(r, "__Host-pd_csrf")
    assert len(sc) == 1, r.header_all("Set-Cookie")
    name, value, attrs = cookie_attrs(sc[0])
    assert attrs.get("secure") is True and attrs.get("path") == "/" and "domain" not in attrs, sc
    assert attrs.get("httponly") is True
    assert not set_cookies(r, "pd_csrf"), r.header_all("Set-Cookie")
    r = s.client().get("/?lang=en")
    lang = set_cookies(r, "lang")
    assert lang and cookie_attrs(lang[0])[2].get("secure") is True, lang
