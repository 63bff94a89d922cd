// Journey of a citizen: the home page, the "Unit" menu, down the organisation tree from the
// province to a village with breadcrumbs, to English and back; every page checked by lib.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, Session } from './lib.mjs';

let browser;
let s;
before(async () => { browser = await launch(); });
after(async () => { await s?.close(); await browser?.close(); });

const main = () => s.page.locator('main');
const h1 = () => s.page.locator('main h1');
const crumbs = (label = 'Jejak navigasi') => s.page.getByRole('navigation', { name: label });

async function expectCrumbs(names, current, label) {
  const nav = crumbs(label);
  assert.equal(await nav.count(), 1, 'one breadcrumb navigation');
  assert.deepEqual(await nav.getByRole('link').allTextContents(), names, 'breadcrumb links');
  assert.equal((await nav.locator('[aria-current="page"]').textContent()).trim(), current,
    'breadcrumb ends with the current page');
}

test('unit journey', async (t) => {
  s = await Session.open(browser, t);

  await t.test('home page', async () => {
    await s.goto('/');
    assert.equal((await h1().textContent()).trim(), 'Selamat datang');
    assert.match(await s.page.title(), /Pendopo/);
  });

  await t.test('menu "Unit" leads to /unit', async () => {
    const menu = s.page.getByRole('navigation', { name: 'Menu utama' });
    await s.follow(menu.getByRole('link', { name: 'Unit', exact: true }));
    assert.equal(new URL(s.page.url()).pathname, '/unit');
    assert.equal(await crumbs().count(), 0, 'no breadcrumbs at the root');
    assert.ok(await main().getByRole('link', { name: 'Provinsi Jawa Barat' }).isVisible());
  });

  await t.test('province', async () => {
    await s.follow(main().getByRole('link', { name: 'Provinsi Jawa Barat' }));
    assert.equal(new URL(s.page.url()).pathname, '/unit/jawa-barat');
    assert.equal((await h1().textContent()).trim(), 'Provinsi Jawa Barat');
  });

  await t.test('regency with breadcrumbs', async () => {
    await s.follow(main().getByRole('link', { name: 'Kabupaten Sukamaju' }));
    assert.equal((await h1().textContent()).trim(), 'Kabupaten Sukamaju');
    await expectCrumbs(['Provinsi Jawa Barat'], 'Kabupaten Sukamaju');
    // The regency lists its agencies and districts.
    assert.ok(await main().getByRole('link', { name: 'Dinas Kesehatan' }).isVisible());
  });

  await t.test('district', async () => {
    await s.follow(main().locator('ul.units').getByRole('link', { name: 'Kecamatan Cibening' }));
    assert.equal((await h1().textContent()).trim(), 'Kecamatan Cibening');
    await expectCrumbs(['Provinsi Jawa Barat', 'Kabupaten Sukamaju'], 'Kecamatan Cibening');
  });

  await t.test('village', async () => {
    await s.follow(main().locator('ul.units').getByRole('link', { name: 'Desa Cibening' }));
    assert.equal(new URL(s.page.url()).pathname, '/unit/desa-cibening');
    assert.equal((await h1().textContent()).trim(), 'Desa Cibening');
    await expectCrumbs(['Provinsi Jawa Barat', 'Kabupaten Sukamaju', 'Kecamatan Cibening'], 'Desa Cibening');
    assert.match(await main().textContent(), /Desa\/Kelurahan/);
    assert.match(await main().textContent(), /tidak memiliki unit di bawahnya/);
  });

  await t.test('the <title> names the unit (WCAG 2.4.2: each page its own title)', async () => {
    assert.match(await s.page.title(), /^Desa Cibening — /);
  });

  await t.test('switch to English', async () => {
    const langs = s.page.getByRole('navigation', { name: 'Bahasa' });
    await s.follow(langs.getByRole('link', { name: 'English' }), { lang: 'en' });
    const u = new URL(s.page.url());
    assert.equal(u.pathname, '/unit/desa-cibening', 'the switch stays on the same page');
    assert.equal(u.search, '', 'the switch answers with the URL without ?lang=');
    assert.equal(await s.page.getAttribute('html', 'lang'), 'en');
    assert.equal(await s.page.locator('a.skip').textContent(), 'Skip to main content');
    await expectCrumbs(['Provinsi Jawa Barat', 'Kabupaten Sukamaju', 'Kecamatan Cibening'], 'Desa Cibening', 'Breadcrumb');
    assert.match(await main().textContent(), /Area code/);
    assert.equal(await s.page.getByRole('navigation', { name: 'Language' })
      .getByRole('link', { name: 'English' }).getAttribute('aria-current'), 'true');
  });

  await t.test('English stays on while browsing', async () => {
    await s.follow(crumbs('Breadcrumb').getByRole('link', { name: 'Kabupaten Sukamaju' }), { lang: 'en' });
    assert.equal(new URL(s.page.url()).pathname, '/unit/sukamaju');
    assert.match(await main().textContent(), /Regency/);
    await s.follow(s.page.getByRole('navigation', { name: 'Main menu' })
      .getByRole('link', { name: 'Units', exact: true }), { lang: 'en' });
    assert.equal(new URL(s.page.url()).pathname, '/unit');
  });

  await t.test('switch back to Bahasa Indonesia', async () => {
    const langs = s.page.getByRole('navigation', { name: 'Language' });
    await s.follow(langs.getByRole('link', { name: 'Bahasa Indonesia' }), { lang: 'id' });
    assert.equal(new URL(s.page.url()).pathname, '/unit');
    assert.equal(await s.page.locator('a.skip').textContent(), 'Lewati ke isi utama');
    assert.ok(await s.page.getByRole('navigation', { name: 'Menu utama' }).isVisible());
  });
});
