// The performance dashboards in a browser: the public /dasbor (whole installation, then one unit
// and a year chosen through the filter form), on a desk and on a 320 px phone, and the staff
// dashboard and "what to digitise next" of the demo administrator. Every page goes through
// lib.mjs's checks (valid HTML, axe-core with no violations, one <main>, JavaScript off, under
// 30 KB with gzip); the charts are inline SVG labelled by their title and text alternative, and
// the tables behind them open with a click on their <summary>.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, Session, openFitSession, demoAccounts, signIn, submitForm } from './lib.mjs';

let browser;
let s;
before(async () => { browser = await launch(); });
after(async () => { await s?.close(); await browser?.close(); });

const main = () => s.page.locator('main');

async function chartsLabelled() {
  const charts = await main().locator('svg.chart').evaluateAll((els) => els.map((e) => ({
    role: e.getAttribute('role'),
    label: e.getAttribute('aria-labelledby').split(' ')
      .map((id) => document.getElementById(id)?.textContent || '').join(' | '),
  })));
  assert.ok(charts.length >= 3, `charts: ${charts.length}`);
  for (const c of charts) {
    assert.equal(c.role, 'img');
    assert.ok(c.label.length > 20 && !c.label.startsWith(' |'), `chart label: ${c.label}`);
  }
}

test('the public dashboard', async (t) => {
  s = await Session.open(browser, t);
  await s.goto('/dasbor');
  await chartsLabelled();
  assert.equal(await main().locator('script').count(), 0);
  // the services table opens from its summary and has rows
  await main().getByText('Tabel: permohonan per layanan').click();
  assert.ok(await main().locator('#tabel-layanan tbody tr').count() >= 5);
  // filter: one unit, a year
  await main().getByLabel('Unit', { exact: true }).selectOption('disdukcapil');
  await main().getByLabel('Periode', { exact: true }).selectOption({ index: 1 });
  await submitForm(s, main().getByRole('button', { name: 'Tampilkan' }));
  const url = new URL(s.page.url());
  assert.equal(url.pathname, '/dasbor');
  assert.equal(url.searchParams.get('unit'), 'disdukcapil');
  assert.match(url.searchParams.get('periode'), /^\d{4}$/);
  // the CSV link keeps the filters
  const href = await main().getByRole('link', { name: 'Unduh angka permohonan (CSV)' }).getAttribute('href');
  assert.match(href, /^\/dasbor\/layanan\.csv\?unit=disdukcapil&periode=\d{4}$/);
  await s.close();
  s = null;
});

test('the public dashboard on a 320 px phone', async (t) => {
  s = await openFitSession(browser, t, 320);
  await s.goto('/dasbor');
  await s.close();
  s = null;
});

test('the staff dashboard and what to digitise next', async (t) => {
  s = await Session.open(browser, t);
  await signIn(s, demoAccounts('administrator', 'sukamaju')[0]);
  await s.goto('/kantor/dasbor');
  await chartsLabelled();
  assert.ok(await main().locator('svg.chart[aria-labelledby="g-tren-t g-tren-d"] polyline').count() >= 3);
  await s.follow(main().getByRole('link', { name: 'Apa yang didigitalkan berikutnya' }));
  assert.equal(new URL(s.page.url()).pathname, '/kantor/dasbor/digitalisasi');
  assert.ok(await main().locator('#tabel-digitalisasi tbody tr').count() >= 5);
  await s.close();
  s = null;
});
