// The Musrenbang part of the Partisipasi journey in a browser, on a 320 px phone: a visitor opens
// /partisipasi and follows the Musrenbang link, opens the demo's Desa Cibening round that is
// voting now (asked to sign in first), signs in as the demo citizen who lives in Desa Cibening
// (a NIK of Kecamatan Cibening), ticks two proposals whose checked costs fit in the budget and
// saves the ballot; the page says it is saved, keeps both ticked, and changing the choice
// replaces it. Then the regency round's carried item traces back through the district to the
// village proposal. In the back office the administrator and a supervisor open the regency round. Every page goes through lib.mjs's checks (valid HTML, axe-core, one <main>,
// JavaScript off, size, no sideways scroll).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, demoAccounts, openFitSession, submitForm, signIn, stepper } from './lib.mjs';

let browser;
let s;
before(async () => { browser = await launch(); });
after(async () => { await s?.close(); await browser?.close(); });

const main = () => s.page.locator('main');
const rupiah = (text) => Number(text.replace(/[^0-9]/g, ''));

test('cast a Musrenbang ballot within the budget', async (t) => {
  s = await openFitSession(browser, t, 320);
  const step = stepper(t);
  const state = {};

  await step('/partisipasi leads to the Musrenbang; Desa Cibening is voting', async () => {
    await s.goto('/partisipasi');
    await s.follow(main().locator('#musrenbang a[href="/partisipasi/musrenbang"]'));
    assert.equal(new URL(s.page.url()).pathname, '/partisipasi/musrenbang');
    const link = main().getByRole('link', { name: /^Musrenbang Desa Cibening/ }).first();
    await s.follow(link);
    state.path = new URL(s.page.url()).pathname;
    assert.match(state.path, /^\/partisipasi\/musrenbang\/[0-9a-f-]{36}$/);
    assert.ok(await main().getByRole('link', { name: 'Masuk untuk memilih' }).isVisible());
  });

  await step('a resident of Desa Cibening ticks two items within the budget and saves', async () => {
    const who = demoAccounts('citizen')[1]; // Andi Saputra, Desa Cibening
    await signIn(s, who);
    await s.goto(state.path);
    const budget = rupiah(await main().locator('#pagu').textContent());
    const boxes = main().locator('#surat-suara input[type="checkbox"]');
    assert.ok(await boxes.count() >= 2, 'feasible proposals to choose');
    let sum = 0;
    state.chosen = [];
    for (let i = 0; i < await boxes.count() && state.chosen.length < 2; i++) {
      const label = await main().locator(`label[for="${await boxes.nth(i).getAttribute('id')}"]`).textContent();
      const cost = rupiah(label.split('—').pop());
      if (sum + cost <= budget) {
        await boxes.nth(i).check();
        sum += cost;
        state.chosen.push(await boxes.nth(i).getAttribute('value'));
      }
    }
    assert.equal(state.chosen.length, 2, 'two items fit');
    await submitForm(s, main().getByRole('button', { name: /pilihan/ }));
    assert.equal(new URL(s.page.url()).pathname, state.path);
    assert.ok(await main().getByText('Pilihan Anda tersimpan').isVisible());
    for (const id of state.chosen)
      assert.ok(await main().locator(`input[value="${id}"]`).isChecked(), 'kept ticked');
  });

  await step('changing the choice replaces the ballot', async () => {
    await main().locator(`input[value="${state.chosen[1]}"]`).uncheck();
    await submitForm(s, main().getByRole('button', { name: 'Ubah pilihan' }));
    assert.ok(await main().locator(`input[value="${state.chosen[0]}"]`).isChecked());
    assert.ok(!(await main().locator(`input[value="${state.chosen[1]}"]`).isChecked()));
  });

  await step('a regency item traces back to the village proposal', async () => {
    await s.goto('/partisipasi/musrenbang');
    await s.follow(main().getByRole('link', { name: 'Musrenbang Kabupaten Sukamaju' }).first());
    await s.follow(main().locator('a[href^="/partisipasi/musrenbang/usulan/"]').first());
    const steps = main().locator('#jejak li');
    assert.equal(await steps.count(), 3, 'regency, district, village');
    assert.match(await steps.nth(1).textContent(), /Kecamatan Sukamaju Kota/);
  });
  await s.close();
  s = null;
});

test('the back office of a Musrenbang round', async (t) => {
  s = await openFitSession(browser, t, 320);
  const step = stepper(t);

  await step('the administrator sees the rounds and the form that opens one', async () => {
    await signIn(s, demoAccounts('administrator', 'sukamaju')[0]);
    await s.goto('/kantor/musrenbang');
    assert.ok(await main().getByRole('button', { name: 'Buka musrenbang' }).isVisible());
    await s.follow(main().getByRole('link', { name: 'Musrenbang Kabupaten Sukamaju' }).first());
    assert.ok(await main().getByRole('button', { name: /Lanjut ke tahap/ }).isVisible());
  });

  await step('a supervisor of the regency gets the verification forms', async () => {
    await s.close();
    s = await openFitSession(browser, t, 320);
    await signIn(s, demoAccounts('supervisor', 'sukamaju')[0]);
    await s.goto('/kantor/musrenbang');
    await s.follow(main().getByRole('link', { name: 'Musrenbang Kabupaten Sukamaju' }).first());
    assert.ok(await main().getByRole('button', { name: 'Simpan verifikasi' }).first().isVisible());
  });
  await s.close();
  s = null;
});
