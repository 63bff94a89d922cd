// The petition part of the Partisipasi journey in a browser, on a 320 px phone: a visitor opens
// /partisipasi and follows the petitions link, sees the demo's open petitions with their counts,
// opens the one to the Dinas Lingkungan Hidup (asked to sign in first), signs in as a demo
// citizen holding a NIK, signs it agreeing to be named, and finds the count grown by one, their
// name among the signers and no second signing form; the per-unit figures page lists the unit.
// Every page goes through lib.mjs's checks (valid HTML, axe-core, one <main>, JavaScript off,
// size, no sideways scroll).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, demoAccounts, openFitSession, submitForm, signIn, stepper } from './lib.mjs';

const TITLE = 'Tambah tempat sampah terpilah di Pasar Sukamaju';

let browser;
let s;
before(async () => { browser = await launch(); });
after(async () => { await s?.close(); await browser?.close(); });

const main = () => s.page.locator('main');
const count = async () => Number((await main().locator('#jumlah').textContent()).trim().split(/\s/)[0]);

test('sign a petition', async (t) => {
  s = await openFitSession(browser, t, 320);
  const step = stepper(t);
  const state = {};

  await step('/partisipasi leads to the petitions; the open one is listed', async () => {
    await s.goto('/partisipasi');
    await s.follow(main().locator('#petisi a[href="/petisi"]'));
    assert.equal(new URL(s.page.url()).pathname, '/petisi');
    const link = main().getByRole('link', { name: TITLE });
    assert.equal(await link.count(), 1, 'the demo petition to the DLH');
    await s.follow(link);
    state.path = new URL(s.page.url()).pathname;
    assert.match(state.path, /^\/petisi\/[0-9a-f-]{36}$/);
    assert.ok(await main().getByRole('link', { name: 'Masuk untuk menandatangani' }).isVisible());
    state.before = await count();
  });

  await step('a citizen with a NIK signs it, agreeing to be named', async () => {
    const who = demoAccounts('citizen')[2];
    await signIn(s, who);
    await s.goto(state.path);
    await main().getByLabel('Tampilkan nama saya di daftar penanda tangan').check();
    await submitForm(s, main().getByRole('button', { name: 'Tandatangani petisi' }));
    assert.equal(new URL(s.page.url()).pathname, state.path);
    assert.equal(await count(), state.before + 1, 'the count grew by one');
    assert.ok(await main().locator('#sudah-tanda-tangan').isVisible(), 'signed');
    assert.equal(await main().getByRole('button', { name: 'Tandatangani petisi' }).count(), 0,
      'no second signing form');
    assert.ok((await main().locator('ul.signers').textContent()).length > 0, 'named signers listed');
  });

  await step('the per-unit figures', async () => {
    await s.goto('/petisi/statistik');
    assert.equal(await main().locator('tr[data-unit="dlh"]').count(), 1);
  });
  await s.close();
  s = null;
});
