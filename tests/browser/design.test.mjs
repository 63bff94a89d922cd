// The stylesheet is served and applied, focus is visible, pages reflow at phone widths, and
// screenshots of the home and a unit page at 360 px and 1280 px go to /tmp/pendopo-shots/ for
// a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, Session, rawGet, shotPath, demoTrackingAndDocument } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// sip-tenaga-kesehatan: the demo's longest service name.
const PAGES = ['/', '/unit/sukamaju', '/unit/desa-cibening', '/layanan', '/layanan/akta-kelahiran', '/masuk', '/daftar', '/ikm',
  '/layanan/sip-tenaga-kesehatan', '/lacak', '/verifikasi', '/pengaduan', '/pengaduan/baru',
  '/pengaduan?q=jalan', '/pengaduan/baru?kategori=jalan-rusak&desa=desa-cibening', '/pengaduan/statistik',
  '/informasi', '/informasi/register', '/data', '/data/statistik-pengaduan'];
// Public pages of demo records that exist from the start: a tracking number's status and a
// document's verification (their ids are found as their holder finds them, in lib.mjs).
before(async () => {
  const { tracking, documentId } = await demoTrackingAndDocument();
  PAGES.push(`/lacak/${tracking}`, `/verifikasi/${documentId}`);
  // A published demo complaint, as anyone finds it: the first one the public list links to.
  const list = await rawGet('/pengaduan');
  const m = list.body.match(/href="(\/pengaduan\/A-[0-9A-Z-]+)"/);
  assert.ok(m, 'the public complaint list links to no complaint');
  PAGES.push(m[1]);
});

test('the stylesheet is served small, compressed and cacheable', async () => {
  const r = await rawGet('/static/pendopo.css');
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/css; charset=utf-8');
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.match(r.headers['cache-control'] || '', /max-age=\d+/, 'caching header on a static asset');
  assert.ok(Buffer.byteLength(r.body) < 8 * 1024, `pendopo.css is ${Buffer.byteLength(r.body)} bytes, keep it under 8 KB`);
  assert.ok(!/@import|@font-face|url\(\s*['"]?(https?:)?\/\//i.test(r.body), 'no web fonts or external resources');
});

test('the stylesheet is applied', async (t) => {
  const s = await Session.open(browser, t);
  try {
    await s.goto('/');
    const style = await s.page.evaluate(() => {
      const b = getComputedStyle(document.body);
      return {
        font: b.fontFamily, size: parseFloat(b.fontSize), color: b.color,
        header: getComputedStyle(document.querySelector('header.site')).backgroundColor,
        skipLeft: document.querySelector('a.skip').getBoundingClientRect().right,
      };
    });
    assert.match(style.font, /system-ui/, 'body font from pendopo.css');
    assert.ok(style.size >= 16, `body text ${style.size}px`);
    assert.equal(style.color, 'rgb(27, 27, 27)', 'body colour from pendopo.css');
    assert.equal(style.header, 'rgb(11, 79, 74)', 'header background from pendopo.css');
    assert.ok(style.skipLeft <= 0, 'the skip link is off screen until focused');
  } finally {
    await s.close();
  }
});

test('keyboard focus is visible and the skip link works', async (t) => {
  const s = await Session.open(browser, t);
  try {
    await s.goto('/unit/sukamaju');
    const focused = () => s.page.evaluate(() => {
      const e = document.activeElement;
      const cs = getComputedStyle(e);
      const r = e.getBoundingClientRect();
      return {
        tag: e.localName, cls: e.className, text: e.textContent.trim(),
        outline: `${cs.outlineStyle} ${parseFloat(cs.outlineWidth)}`, shadow: cs.boxShadow,
        inView: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight && r.width > 0,
      };
    });
    await s.page.keyboard.press('Tab');
    let f = await focused();
    assert.equal(f.cls, 'skip', 'the first Tab reaches the skip link');
    assert.ok(f.inView, 'the focused skip link is on screen');
    assert.match(f.outline, /^solid ([2-9]|\d\d)/, `focus outline: ${f.outline}`);
    await s.page.screenshot({ path: shotPath('focus-skip-1280') });
    await s.page.keyboard.press('Tab');
    f = await focused();
    assert.equal(f.text, 'Pendopo Kabupaten Sukamaju', 'the second Tab reaches the site name');
    assert.match(f.outline, /^solid ([2-9]|\d\d)/, `focus outline on a header link: ${f.outline}`);
    await s.page.screenshot({ path: shotPath('focus-brand-1280'), clip: { x: 0, y: 0, width: 1280, height: 160 } });
    // Follow the skip link: keyboard focus goes to the main content.
    await s.page.keyboard.press('Shift+Tab');
    await s.page.keyboard.press('Enter');
    await s.page.waitForFunction(() => location.hash === '#isi');
    await s.page.keyboard.press('Tab');
    f = await focused();
    assert.equal(f.text, 'Provinsi Jawa Barat', 'after the skip link, Tab reaches the first link of main');
    assert.match(f.outline, /^solid ([2-9]|\d\d)/, `focus outline in main: ${f.outline}`);
  } finally {
    await s.close();
  }
});

for (const width of [320, 360, 1280]) {
  test(`layout at ${width} px`, async (t) => {
    const s = await Session.open(browser, t, { viewport: { width, height: width < 1000 ? 780 : 900 } });
    try {
      for (const path of PAGES) {
        await s.goto(path);
        const m = await s.page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          view: document.documentElement.clientWidth,
          overflowing: [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter((e) => !e.matches('a.skip'))
            .map((e) => `${e.localName}.${e.className}`).slice(0, 5),
        }));
        assert.ok(m.scroll <= m.view && m.overflowing.length === 0,
          `${path} at ${width} px scrolls sideways (${m.scroll} > ${m.view}): ${m.overflowing.join(', ')}`);
        if (width !== 320 && (path === '/' || path === '/unit/sukamaju')) {
          const name = `${path === '/' ? 'home' : 'unit-sukamaju'}-${width}`;
          await s.page.screenshot({ path: shotPath(name), fullPage: true });
        }
      }
    } finally {
      await s.close();
    }
  });
}
