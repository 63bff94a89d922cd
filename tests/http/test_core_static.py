"""Static assets: validators and the 304 answer (RFC 9110 §8.6, §13.1.2)."""


def test_not_modified_keeps_the_assets_length_and_sends_no_body(ctx):
    s = ctx.server()
    c = s.client()
    first = c.get("/static/pendopo.css")
    assert first.status == 200
    etag = first.header("ETag")
    assert etag and etag.startswith('W/"'), etag  # shared by the gzip and plain copies
    again = c.get("/static/pendopo.css", headers={"If-None-Match": etag})
    assert again.status == 304
    assert again.raw == b""
    assert again.header("Content-Length") == str(len(first.raw)), again.headers
    # A strong form of the same tag matches too (weak comparison, RFC 9110 §13.1.2).
    strong = etag[2:]
    assert c.get("/static/pendopo.css", headers={"If-None-Match": strong}).status == 304
    assert c.get("/static/pendopo.css", headers={"If-None-Match": '"other"'}).status == 200
