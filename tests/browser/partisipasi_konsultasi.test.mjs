// The consultation part of the Partisipasi journey in a browser, on a 320 px phone: a visitor
// opens /partisipasi, sees the open consultation with its closing date, follows it to the draft
// (sections, figures per section, versions), signs in as a demo citizen, picks "Komentari bagian
// ini" under Pasal 2, sends a comment with a stance (first without one: refused with the message
// beside the group), and finds it under that section with the section's figure grown by one;
// then replies to it. Every page goes through lib.mjs's checks (valid HTML, axe-core, one
// <main>, JavaScript off, size, no sideways scroll).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, demoAccounts, openFitSession, submitForm, signIn, stepper } from './lib.mjs';

const SLUG = 'raperbup-pengelolaan-sampah';
const SECTION = 'pasal-2-pemilahan-di-sumber';
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const TEXT = `Mohon sediakan wadah sampah terpilah di tiap RT (${RUN}).`;

let browser;
let s;
before(async () => { browser = await launch(); });
after(async () => { await s?.close(); await browser?.close(); });

const main = () => s.page.locator('main');
const sectionFigure = async () => Number(await main()
  .locator(`tr[data-section="${SECTION}"] td`).first().textContent());

test('comment on a section of an open draft', async (t) => {
  s = await openFitSession(browser, t, 320);
  const step = stepper(t);
  const state = {};

  await step('/partisipasi lists the open consultation with its closing date', async () => {
    const { html } = await s.goto('/partisipasi');
    assert.ok(html.includes(`href="/partisipasi/konsultasi/${SLUG}"`), 'the open consultation');
    assert.match(html, /Ditutup <time datetime="\d{4}-\d{2}-\d{2}T/, 'its closing date');
    await s.follow(main().locator(`a[href="/partisipasi/konsultasi/${SLUG}"]`).first());
    assert.equal(new URL(s.page.url()).pathname, `/partisipasi/konsultasi/${SLUG}`);
    assert.ok(await main().locator(`#bagian-${SECTION}`).isVisible(), 'the section with its stable id');
    state.before = await sectionFigure();
  });

  await step('a citizen signs in and comments on Pasal 2 (a stance is required)', async () => {
    await signIn(s, demoAccounts('citizen')[0]);
    await s.goto(`/partisipasi/konsultasi/${SLUG}`);
    await s.follow(main().locator(`#bagian-${SECTION}`).getByRole('link', { name: 'Komentari bagian ini' }));
    assert.equal(await main().getByLabel('Bagian yang dikomentari').inputValue(), SECTION);
    await main().getByLabel('Komentar', { exact: true }).fill(TEXT);
    // Without a stance: the browser's own check stops the form, so send it without validation.
    await main().locator('form[action$="/komentar"]').evaluate((f) => { f.noValidate = true; });
    const { html } = await submitForm(s, main().getByRole('button', { name: 'Kirim komentar' }), { status: 422 });
    assert.ok(html.includes('id="sikap-error"'), 'the message beside the stance group');
    await main().locator('label[for="sikap-oppose"]').click();
    await submitForm(s, main().getByRole('button', { name: 'Kirim komentar' }));
    const url = new URL(s.page.url());
    assert.equal(url.pathname, `/partisipasi/konsultasi/${SLUG}`);
    const mine = main().locator('article.comment', { hasText: TEXT });
    assert.equal(await mine.count(), 1, 'the comment is shown');
    assert.ok((await mine.textContent()).includes('Warga'), 'under "Warga" by default');
    assert.equal(await sectionFigure(), state.before + 1, 'the section figure counts it');
    state.id = (await mine.locator('xpath=..').getAttribute('id')).replace('komentar-', '');
  });

  await step('a reply to the comment (one level)', async () => {
    await s.follow(main().locator(`#komentar-${state.id} > p`).getByRole('link', { name: 'Balas' }));
    await main().getByLabel('Komentar', { exact: true }).fill(`Setuju (${RUN}).`);
    await submitForm(s, main().getByRole('button', { name: 'Kirim komentar' }));
    const replies = main().locator(`#komentar-${state.id} ol.replies li`);
    assert.equal(await replies.count(), 1, 'the reply sits under its comment');
    assert.equal(await main().locator(`#komentar-${state.id} ol.replies a`, { hasText: 'Balas' }).count(), 0,
      'no reply to a reply');
  });
  await s.close();
  s = null;
});
