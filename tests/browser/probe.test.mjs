// Error pages and the escaping probe of STYLE.md: <script>'" in paths and query strings must
// come back escaped, fire no dialog, and no link on the page may lead to another site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, Session, rawGet } from './lib.mjs';

const PROBE = `<script>'"`;

let browser;
let s;
before(async () => { browser = await launch(); s = await Session.open(browser, null); });
after(async () => { await s?.close(); await browser?.close(); });

// What a page must not contain when a request carried the probe.
function assertEscaped(html, where) {
  assert.ok(!html.includes(PROBE), `${where}: the probe ${PROBE} appears unescaped`);
  assert.ok(!/<script(?![^>]*\ssrc=)[^>]*>/i.test(html), `${where}: an inline <script> is in the page`);
  assert.ok(!html.includes(`'"`), `${where}: unescaped '" in the page`);
}

test('404 page for a unit that does not exist', async (t) => {
  s.t = t;
  await s.goto('/unit/tidak-ada', { status: 404 });
  assert.equal((await s.page.locator('main h1').textContent()).trim(), 'Terjadi masalah');
  assert.match(await s.page.locator('main').textContent(), /Unit organisasi ini tidak ada/);
  assert.ok(await s.page.locator('main').getByRole('link', { name: 'Kembali ke beranda' }).isVisible());
});

test('escaping probe through the browser', async (t) => {
  s.t = t;
  const cases = [
    [`/unit/%3Cscript%3E'%22`, 404],
    [`/unit/%3Cscript%3E'%22?q=${PROBE}`, 404],
    [`/?q=${PROBE}`, 200],
    [`/unit?q=${PROBE}`, 200],
    [`/unit/sukamaju?q=${PROBE}&x=%3Cscript%3E%27%22`, 200],
  ];
  for (const [path, status] of cases) {
    await t.test(path, async () => {
      const { html } = await s.goto(path, { status });
      assertEscaped(html, path);
      const inline = await s.page.evaluate(() => [...document.scripts].filter((e) => !e.src).length);
      assert.equal(inline, 0, `${path}: inline script elements in the DOM`);
    });
  }
});

test('escaping probe sent raw over HTTP', async () => {
  // Bytes the browser would have percent-encoded first; node:http sends them as they are.
  const paths = [
    `/unit/${PROBE}`, `/?q=${PROBE}`, `/unit?q=${PROBE}`, `/unit/sukamaju?${PROBE}=${PROBE}`,
    `/unit/tidak-ada?q=${PROBE}`,
  ];
  for (const path of paths) {
    const r = await rawGet(path);
    assert.ok(r.status === 200 || r.status === 404, `${path}: status ${r.status}`);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8', `${path}: Content-Type`);
    assertEscaped(r.body, path);
  }
});

test('language switch redirects stay on this site', async () => {
  for (const path of [`/unit?q=${PROBE}&lang=en`, `/unit/%3Cscript%3E'%22?lang=en`, '//evil.example/?lang=en',
    '/%5Cevil.example?lang=en']) {
    const r = await rawGet(path);
    if (r.status !== 303) continue; // not a page: no switch
    const loc = r.headers.location || '';
    assert.ok(/^\/(?![/\\])/.test(loc), `${path}: Location ${loc} is not a path on this site`);
    assert.ok(!/[\r\n]/.test(loc), `${path}: Location holds a line break`);
  }
});

test('paths that look like other hosts give pages whose links stay on this site', async (t) => {
  s.t = t;
  // A request for //host or /\host must not render links (e.g. the language switch) that a
  // browser resolves to that host: Session.check fails on any off-site relative link.
  for (const path of ['//evil.example/', '/%2F%2Fevil.example', '/%5Cevil.example']) {
    await t.test(path, async () => {
      await s.goto(path, { status: 404 });
    });
  }
});
