// The working-day calendar at /admin/kalender in a browser: the administrator of the top unit
// (Provinsi Jawa Barat) sees the years with their holidays, the `<script>'"` probe in every text
// field of the day form comes back escaped both from a refused form (422) and in the list once
// saved, the saved day is removed with its row's button; the regency's administrator sees the
// calendar without forms. Every page goes through lib.mjs's checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, Session } from './lib.mjs';

const DATA = process.env.PD_DATA;
const PROBE = `<script>'"`;
const DAY = '2027-04-02';  // a Friday that is no holiday

let browser;
let s;
before(async () => { browser = await launch(); });
after(async () => { await s?.close(); await browser?.close(); });

const main = () => s.page.locator('main');

/** The demo account (email, password) with this role on this unit (<data>/demo-accounts.txt). */
function demoAccount(role, unit) {
  assert.ok(DATA, 'PD_DATA is not set: run the suite through tests/browser/run BUILD/pendopo');
  const rows = readFileSync(join(DATA, 'demo-accounts.txt'), 'utf8').split('\n').slice(1)
    .map((l) => l.split('\t'));
  const row = rows.find((r) => r[0] === role && r[1] === unit);
  assert.ok(row, `no demo ${role} on ${unit}`);
  return { email: row[2], password: row[3] };
}

/** lib.mjs's checks without the JavaScript-off revisit (a GET is another page than a POST's answer). */
async function checkOnce(resp, want) {
  const revisit = s.checkNoJs;
  s.checkNoJs = async () => null;
  try {
    return await s.check(resp, want);
  } finally {
    s.checkNoJs = revisit;
  }
}

/** Submits a form by clicking its button and checks the page that answers. */
async function submit(button, want = {}, { answersPost = false } = {}) {
  const done = s.page.waitForResponse((r) => r.request().isNavigationRequest() &&
    r.frame() === s.page.mainFrame() && !(r.status() >= 300 && r.status() < 400));
  await button.click();
  const resp = await done;
  await s.page.waitForLoadState('load');
  return answersPost ? checkOnce(resp, want) : s.check(resp, want);
}

async function signIn({ email, password }) {
  await s.goto('/masuk');
  await main().getByLabel('Alamat email').fill(email);
  await main().getByLabel('Kata sandi').fill(password);
  await submit(main().getByRole('button', { name: 'Masuk' }));
  assert.equal(new URL(s.page.url()).pathname, '/akun');
}

async function signOut() {
  await submit(s.page.locator('header .account').getByRole('button'));
  assert.equal(new URL(s.page.url()).pathname, '/masuk');
}

async function fillDay(date) {
  await main().locator('#day-date').fill(date);
  for (const id of ['day-name-id', 'day-name-en', 'day-source'])
    await main().locator(`#${id}`).fill(PROBE);
}

test('administrators and the working-day calendar', async (t) => {
  s = await Session.open(browser, t);

  await t.test('the top unit\'s administrator sees the calendar with its forms', async () => {
    await signIn(demoAccount('administrator', 'jawa-barat'));
    const { html } = await s.goto('/admin/kalender');
    assert.ok(html.includes('id="tahun-2027"') && html.includes('Idulfitri 1448 Hijriah'));
    assert.ok(await main().locator('#day-date').isVisible());
  });

  await t.test('escaping probe in a refused day form', async () => {
    await fillDay('2031-01-02'); // a year not loaded
    const { html } = await submit(main().getByRole('button', { name: 'Simpan hari' }), { status: 422 },
      { answersPost: true });
    assert.ok(!html.includes(PROBE), 'the probe appears unescaped');
    for (const id of ['day-name-id', 'day-name-en', 'day-source'])
      assert.equal(await main().locator(`#${id}`).inputValue(), PROBE, `#${id} keeps the value as typed`);
    assert.ok(await main().locator('#day-date-error').isVisible());
  });

  await t.test('a saved day shows escaped, and its row removes it', async () => {
    await fillDay(DAY);
    const { html } = await submit(main().getByRole('button', { name: 'Simpan hari' }));
    assert.ok(!html.includes(PROBE) && html.includes('&lt;script&gt;'), 'the saved name is escaped');
    const row = main().locator(`#hari-${DAY}`);
    assert.ok((await row.textContent()).includes(PROBE));
    await submit(row.getByRole('button'));
    assert.equal(await main().locator(`#hari-${DAY}`).count(), 0);
    await signOut();
  });

  await t.test('the regency\'s administrator sees it without forms', async () => {
    await signIn(demoAccount('administrator', 'sukamaju'));
    await s.goto('/admin/kalender');
    assert.equal(await main().locator('form').count(), 0);
    await signOut();
  });
});
