// The satisfaction survey (IKM) in a browser: the public /ikm page of the demo's figures (the last
// closed quarter) in Indonesian and English with its quarter selector, and a demo citizen answering the survey of a
// completed application — the form refused with a message beside each unanswered group, then
// sent by clicking the answers' labels, ending on the thank-you page. Every page goes through
// lib.mjs's checks (valid HTML, axe, one <main>, JavaScript off, size).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, Session } from './lib.mjs';

const DATA = process.env.PD_DATA;

let browser;
let s;
before(async () => { browser = await launch(); });
after(async () => { await s?.close(); await browser?.close(); });

const main = () => s.page.locator('main');

function demoAccounts(role) {
  assert.ok(DATA, 'PD_DATA is not set: run the suite through tests/browser/run BUILD/pendopo');
  return readFileSync(join(DATA, 'demo-accounts.txt'), 'utf8').split('\n').slice(1)
    .map((l) => l.split('\t')).filter((r) => r[0] === role)
    .map((r) => ({ email: r[2], password: r[3] }));
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
}

async function signOut() {
  await submit(s.page.locator('header .account').getByRole('button'));
}

test('the public IKM page', async (t) => {
  s = await Session.open(browser, t);
  await t.test('figures of the last closed quarter', async () => {
    const { html } = await s.goto('/ikm');
    assert.match(html, /<dd class="ikm-index">\d+,\d\d<\/dd>/, 'a published index, with a decimal comma');
    assert.ok(html.includes('Triwulan berjalan diterbitkan setelah berakhir.'), 'the running quarter waits');
    assert.match(html, /belum cukup tanggapan|Belum cukup tanggapan/, 'a withheld figure');
    assert.ok(await main().getByRole('table').first().isVisible());
  });
  await t.test('the quarter selector', async () => {
    const select = main().getByLabel('Triwulan');
    const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
    const other = values.find((v) => v !== values[0]) || values[0];
    await select.selectOption(other);
    await submit(main().getByRole('button', { name: 'Tampilkan' }));
    assert.equal(new URL(s.page.url()).searchParams.get('triwulan'), other);
  });
  await s.close();
  s = await Session.open(browser, t, { locale: 'en-GB' });
  await t.test('in English', async () => {
    const { html } = await s.goto('/ikm');
    assert.match(html, /<dd class="ikm-index">\d+\.\d\d<\/dd>/, 'a decimal point in English');
    assert.ok(html.includes('Public Satisfaction Index'));
  });
  await s.close();
  s = null;
});

test('a citizen answers the survey', async (t) => {
  s = await Session.open(browser, t);
  let found = null;
  await t.test('a completed application not yet rated', async () => {
    for (const who of demoAccounts('citizen')) {
      await signIn(who);
      await s.goto('/permohonan');
      const ids = [...new Set((await s.page.content()).match(/\/permohonan\/[0-9a-f-]{36}/g) || [])];
      for (const path of ids) {
        // Probed outside the page, so refusals (403 before completion) log nothing.
        const resp = await s.page.request.get(new URL(path + '/survei', s.page.url()).href);
        if (resp.status() === 200 && (await resp.text()).includes('class="form survey"')) {
          found = path;
          break;
        }
      }
      if (found) break;
      await s.goto('/akun');
      await signOut();
    }
    assert.ok(found, 'no demo citizen has a completed application without a rating');
    await s.goto(found + '/survei');
    assert.equal(await main().locator('fieldset').count(), 9);
  });
  await t.test('unanswered groups are refused beside each group', async () => {
    await main().getByLabel('Sangat sesuai').first().check();
    await s.page.evaluate(() => document.querySelector('form.survey').setAttribute('novalidate', ''));
    await submit(main().getByRole('button', { name: 'Kirim penilaian' }), { status: 422 }, { answersPost: true });
    assert.equal(await main().locator('.field-error').count(), 8);
    assert.ok(await main().locator('#u1-4').isChecked(), 'the given answer is kept');
  });
  await t.test('all nine answered: thank you', async () => {
    const groups = main().locator('fieldset');
    for (let i = 0; i < 9; i++)
      await groups.nth(i).locator('label').nth(2).click();
    await submit(main().getByRole('button', { name: 'Kirim penilaian' }));
    assert.equal(new URL(s.page.url()).pathname, found + '/survei');
    assert.ok(await main().getByRole('heading', { name: 'Terima kasih atas penilaian Anda' }).isVisible());
  });
});
