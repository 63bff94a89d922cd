// Journeys of an account holder: the escaping probe in every text field of the registration form,
// registering, verifying the email through the link in the mail the server wrote to
// <data>/mail (no SMTP in this suite), signing in, English and back, "who accessed my data",
// signing out; then an officer checks the citizen's NIK at the village office and the citizen
// sees that read. Every page goes through lib.mjs's checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launch, Session, BASE } from './lib.mjs';

const DATA = process.env.PD_DATA;
const PROBE = `<script>'"`;
const PASSWORD = 'kuda lari di sawah hijau';
const EMAIL = `warga.jelajah.${process.pid}@contoh.id`;
const NAME = 'Sekar Ayu Jelajah';
const NIK = '3219015708900001';

let browser;
let s;
before(async () => { browser = await launch(); });
after(async () => { await s?.close(); await browser?.close(); });

const main = () => s.page.locator('main');
const h1 = () => s.page.locator('main h1');

/**
 * lib.mjs's checks of a page without its revisit with JavaScript off: that revisit is a GET of
 * the same URL, which for a page answering a POST (a refused form, a lookup) is another page,
 * and for a single-use link is a spent link. The site has no script of its own at all.
 */
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

/** Decodes a quoted-printable body (soft line breaks and =XX). */
function unQuotedPrintable(text) {
  const bytes = [];
  const joined = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The path of the link to `path` in the newest mail to `to` in <data>/mail, waiting for it. */
async function linkInMail(to, path) {
  assert.ok(DATA, 'PD_DATA is not set: run the suite through tests/browser/run BUILD/pendopo');
  const dir = join(DATA, 'mail');
  const deadline = Date.now() + 20000;
  for (;;) {
    let files = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.eml') && !f.startsWith('.'))
        .map((f) => join(dir, f));
    } catch { /* the directory is made with the first mail */ }
    const mine = files.map((f) => ({ f, text: readFileSync(f, 'latin1'), t: statSync(f).mtimeMs }))
      .filter((m) => new RegExp(`^To: ${to.replace(/[.@]/g, '\\$&')}\\r?$`, 'mi').test(m.text))
      .sort((a, b) => b.t - a.t);
    if (mine.length) {
      const body = unQuotedPrintable(mine[0].text);
      const m = body.match(new RegExp(`https?://[^\\s/]+(${path.replace(/[?]/g, '\\?')}\\?token=[A-Za-z0-9_-]+)`));
      assert.ok(m, `no ${path} link in the mail to ${to}`);
      return m[1];
    }
    assert.ok(Date.now() < deadline, `no mail to ${to} in ${dir}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The demo account (email, password) with this role on this unit (<data>/demo-accounts.txt). */
function demoAccount(role, unit) {
  const rows = readFileSync(join(DATA, 'demo-accounts.txt'), 'utf8').split('\n').slice(1)
    .map((l) => l.split('\t'));
  const row = rows.find((r) => r[0] === role && r[1] === unit);
  assert.ok(row, `no demo ${role} on ${unit}`);
  return { email: row[2], password: row[3] };
}

async function signIn(email, password) {
  await s.goto('/masuk');
  await main().getByLabel('Alamat email').fill(email);
  await main().getByLabel('Kata sandi').fill(password);
  await submit(main().getByRole('button', { name: 'Masuk' }));
  assert.equal(new URL(s.page.url()).pathname, '/akun');
}

async function signOut(lang = 'id') {
  await submit(s.page.locator('header .account').getByRole('button'), { lang });
  assert.equal(new URL(s.page.url()).pathname, '/masuk');
}

test('citizen journey: register, verify, sign in, English, who accessed my data, sign out', async (t) => {
  s = await Session.open(browser, t);

  await t.test('escaping probe in every text field of the registration form', async () => {
    await s.goto('/daftar');
    const fields = main().locator('form input:not([type="hidden"])');
    const n = await fields.count();
    assert.ok(n >= 5, `text fields of the form: ${n}`);
    for (let i = 0; i < n; i++) await fields.nth(i).fill(PROBE);
    // The browser's own checks (type=email, minlength) would stop the form; the server's are tested.
    await main().locator('form').evaluate((f) => { f.noValidate = true; });
    const { html } = await submit(main().getByRole('button', { name: 'Daftar' }), { status: 422 },
      { answersPost: true });
    assert.ok(!html.includes(PROBE), 'the probe appears unescaped');
    assert.ok(html.includes('&lt;script&gt;'), 'the probe is shown escaped');
    assert.ok(!/<script(?![^>]*\ssrc=)[^>]*>/i.test(html), 'an inline <script> is in the page');
    for (const id of ['name', 'email', 'phone', 'nik'])
      assert.equal(await main().locator(`#${id}`).inputValue(), PROBE, `#${id} keeps the value as typed`);
    assert.equal(await main().locator('#password').inputValue(), '', 'the password is not sent back');
    assert.ok(await main().locator('#email-error').isVisible());
    assert.equal(await s.page.evaluate(() => [...document.scripts].length), 0, 'script elements in the DOM');
  });

  await t.test('register', async () => {
    await main().getByLabel('Nama lengkap').fill(NAME);
    await main().getByLabel('Alamat email').fill(EMAIL);
    await main().getByLabel('Kata sandi', { exact: true }).fill(PASSWORD);
    await main().getByLabel('Nomor telepon (boleh dikosongkan)').fill('0812 3456 7890');
    await main().getByLabel('Desa atau kelurahan tempat tinggal (boleh dikosongkan)').selectOption('desa-mekarsari');
    await main().getByLabel('NIK (boleh dikosongkan)').fill(NIK);
    await submit(main().getByRole('button', { name: 'Daftar' }));
    assert.equal(new URL(s.page.url()).pathname, '/masuk');
    assert.match(await main().textContent(), /Pendaftaran diterima/);
  });

  await t.test('verify the email through the link in the mail', async () => {
    const link = await linkInMail(EMAIL, '/verifikasi-email');
    await checkOnce(await s.page.goto(BASE + link, { waitUntil: 'load' }), {});
    assert.equal((await h1().textContent()).trim(), 'Email terverifikasi');
  });

  await t.test('sign in', async () => {
    await signIn(EMAIL, PASSWORD);
    assert.equal((await h1().textContent()).trim(), 'Akun saya');
    assert.match(await main().textContent(), new RegExp(NAME));
    assert.ok((await main().textContent()).includes(`${EMAIL} (terverifikasi)`), 'the email is verified');
  });

  await t.test('switch to English and back', async () => {
    await s.follow(s.page.getByRole('navigation', { name: 'Bahasa' }).getByRole('link', { name: 'English' }),
      { lang: 'en' });
    assert.equal(new URL(s.page.url()).pathname, '/akun');
    assert.equal((await h1().textContent()).trim(), 'My account');
    await s.follow(main().getByRole('link', { name: 'Who accessed my data' }), { lang: 'en' });
    assert.equal((await h1().textContent()).trim(), 'Who accessed my data');
    await s.follow(s.page.getByRole('navigation', { name: 'Language' })
      .getByRole('link', { name: 'Bahasa Indonesia' }), { lang: 'id' });
    assert.equal(new URL(s.page.url()).pathname, '/akun/akses');
    assert.equal((await h1().textContent()).trim(), 'Siapa yang mengakses data saya');
  });

  await t.test('who accessed my data: nobody yet', async () => {
    await s.follow(main().getByRole('link', { name: 'Ke halaman akun' }));
    await s.follow(main().getByRole('link', { name: 'Siapa yang mengakses data saya' }));
    assert.equal(new URL(s.page.url()).pathname, '/akun/akses');
    assert.match(await main().textContent(), /Belum ada petugas yang membaca data pribadi Anda/);
    assert.equal(await main().locator('table').count(), 0);
  });

  await t.test('the erasure page explains before it asks', async () => {
    await s.goto('/akun/hapus');
    assert.equal((await h1().textContent()).trim(), 'Hapus akun');
    assert.ok(await main().getByLabel('Kata sandi saat ini').isVisible());
  });

  await t.test('sign out', async () => {
    await signOut();
    assert.match(await main().textContent(), /Anda telah keluar/);
    const r = await s.page.goto(`${BASE}/akun/akses`);
    assert.equal(new URL(r.url()).pathname, '/masuk', 'signed out: /akun/akses asks to sign in');
  });
  await s.close();
  s = null;
});

test('an officer checks the NIK at the village office; the citizen sees the read', async (t) => {
  s = await Session.open(browser, t);
  const officer = demoAccount('officer', 'desa-mekarsari');

  await t.test('officer finds the citizen by NIK and marks it verified', async () => {
    await signIn(officer.email, officer.password);
    await s.follow(main().getByRole('link', { name: 'Verifikasi NIK warga' }));
    assert.equal(new URL(s.page.url()).pathname, '/kantor/warga/nik');
    await main().getByLabel('NIK pada KTP').fill(NIK);
    await submit(main().getByRole('button', { name: 'Cari' }), {}, { answersPost: true });
    assert.match(await main().locator('dl').textContent(), new RegExp(NAME));
    await submit(main().getByRole('button', { name: 'Tandai terverifikasi' }));
    assert.match(await main().textContent(), /NIK telah ditandai terverifikasi/);
    await signOut();
  });

  await t.test('the citizen sees who read what, and why', async () => {
    await signIn(EMAIL, PASSWORD);
    assert.match(await main().textContent(), /terverifikasi di kantor desa/);
    await s.follow(main().getByRole('link', { name: 'Siapa yang mengakses data saya' }));
    const rows = main().locator('table tbody tr');
    assert.equal(await rows.count(), 1);
    const row = await rows.first().textContent();
    assert.match(row, /Petugas · Desa Mekarsari/);
    assert.match(row, /verifikasi NIK/);
    assert.doesNotMatch(row, /Rina|petugas\.mekarsari/, 'the officer is named by role and unit only');
    await signOut();
  });
});
