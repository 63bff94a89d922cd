// The Layanan journey in a browser: a demo citizen browses and searches the catalogue, applies
// for a birth certificate (refused with a message beside the empty field, saved as a draft,
// resumed, a real PDF uploaded, submitted: receipt page, receipt PDF, public status); the
// officer of the unit claims it and returns it for correction; the citizen reads the
// notification and the timeline, corrects it with another file and resubmits; the officer
// approves; the citizen downloads the signed document (its Keywords carry the envelope), the
// verification page says valid, and the citizen answers the satisfaction survey. Then an
// administrator goes through the services, a service's standard, its form builder (adds a
// field) and a unit's Maklumat. Every page goes through lib.mjs's checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, BASE, pdfEnvelope, demoAccounts, openFitSession, submitForm, signIn, stepper } from './lib.mjs';

const SERVICE = 'akta-kelahiran';
const CHILD = 'Bima Arya Jelajah';
const RETURN_NOTE = `Surat keterangan lahir tidak terbaca; unggah hasil pindai yang jelas (${process.pid}).`;

let browser;
let s;
before(async () => { browser = await launch(); });
after(async () => { await s?.close(); await browser?.close(); });

const main = () => s.page.locator('main');
const h1 = () => s.page.locator('main h1');
const path = () => new URL(s.page.url()).pathname;
const submit = (button, want) => submitForm(s, button, want);

/**
 * A small valid PDF (one page, one line of text) with a correct cross-reference table: the
 * server sniffs the type from the bytes, so this must be a PDF, not a name ending in .pdf.
 */
function minimalPdf(line) {
  const text = line.replace(/[()\\]/g, '\\$&');
  const stream = `BT /F1 18 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Clicks a link that downloads a file; returns its bytes and suggested name. */
async function download(link) {
  const [dl] = await Promise.all([s.page.waitForEvent('download'), link.click()]);
  const file = await dl.path();
  assert.ok(file, `download of ${dl.url()} failed: ${await dl.failure()}`);
  return { bytes: readFileSync(file), name: dl.suggestedFilename() };
}

async function signOut() {
  await submit(s.page.locator('header .account').getByRole('button'));
  assert.equal(path(), '/masuk');
}

/** The officer's queue filtered to new applications of the service; follows pages to `tracking`. */
async function openInQueue(tracking, status) {
  await s.goto('/kantor/permohonan');
  await main().getByLabel('Status', { exact: true }).selectOption(status);
  await main().getByLabel('Layanan', { exact: true }).selectOption(SERVICE);
  await submit(main().getByRole('button', { name: 'Saring' }));
  for (let page = 0; page < 20; page++) {
    const link = main().locator('ol.queue').getByRole('link', { name: tracking, exact: true });
    if (await link.count()) {
      await s.follow(link);
      assert.match(path(), /^\/kantor\/permohonan\/[0-9a-f-]{36}$/);
      assert.equal((await main().locator('h1 .tracking').textContent()).trim(), tracking);
      return;
    }
    const next = main().getByRole('link', { name: 'Halaman berikutnya' });
    assert.ok(await next.count(), `${tracking} is not in the queue`);
    await s.follow(next);
  }
  assert.fail(`${tracking} is not in the first 20 pages of the queue`);
}

const citizen = demoAccounts('citizen')[0];
const officer = demoAccounts('officer', 'disdukcapil')[0];
const state = {}; // id, tracking, detail path, document id: shared by the steps

test('a citizen applies, the officer returns it, the citizen corrects it, the officer approves', async (t) => {
  // The citizen on a 320 px phone, the officer at a desk: each in a fresh browser context.
  const become = async (who) => {
    await s?.close();
    s = await openFitSession(browser, t, who === officer ? 1280 : 320);
    await signIn(s, who);
  };
  const step = stepper(t);

  await step('the citizen browses and searches the catalogue', async () => {
    await become(citizen);
    await s.follow(s.page.getByRole('link', { name: 'Layanan', exact: true }).first());
    assert.equal(path(), '/layanan');
    await main().getByRole('searchbox').or(main().getByLabel(/Cari/)).first().fill('kelahiran anak');
    await submit(main().getByRole('button', { name: 'Cari' }));
    assert.equal(new URL(s.page.url()).searchParams.get('q'), 'kelahiran anak');
    await s.follow(main().getByRole('link', { name: 'Akta Kelahiran', exact: true }));
    assert.equal(path(), `/layanan/${SERVICE}`);
    assert.equal((await h1().textContent()).trim(), 'Akta Kelahiran');
    await s.follow(main().getByRole('link', { name: /Ajukan/ }).first());
    assert.equal(path(), `/layanan/${SERVICE}/ajukan`);
  });

  await step('a required field left empty: 422 with the message beside it', async () => {
    // A draft of this service left by an earlier run would prefill the form: every field is
    // filled here, the child's name emptied on purpose.
    await main().getByLabel(/^Nama lengkap anak/).fill('');
    await main().getByLabel('Laki-laki').check();
    await main().getByLabel(/^Tanggal lahir/).fill('2026-10-14');
    await main().getByLabel(/^Tempat lahir/).fill('Kabupaten Sukamaju');
    await main().getByLabel('Puskesmas').check();
    await main().getByLabel(/^Kelahiran anak ke-/).fill('2');
    await main().getByLabel(/^NIK ayah/).fill('3219011203900004');
    await main().getByLabel(/^NIK ibu/).fill('3219015506920005');
    await main().getByLabel('Desa atau kelurahan').selectOption('desa-mekarsari');
    await main().getByLabel('Jalan, RT/RW, nomor rumah').fill('Jl. Melati No. 7, RT 002/RW 005');
    const { html } = await submit(main().getByRole('button', { name: 'Kirim', exact: true }), { status: 422 });
    assert.match(html, /Isian belum benar/);
    const input = main().locator('#f-nama_anak');
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    const described = (await input.getAttribute('aria-describedby')).split(/\s+/);
    assert.ok(described.includes('f-nama_anak-error'), 'the message is tied to the field');
    const error = main().locator('#f-nama_anak-error');
    assert.ok(await error.isVisible(), 'the message is shown');
    assert.ok((await error.textContent()).trim().length > 0);
    // Beside the field: the message is in the same field block as the input.
    assert.equal(await main().locator('.field').filter({ has: s.page.locator('#f-nama_anak') })
      .locator('#f-nama_anak-error').count(), 1);
    // A required file not yet uploaded: refused beside its own field too.
    const file = main().locator('#f-surat_lahir');
    assert.ok((await file.getAttribute('aria-describedby')).split(/\s+/).includes('f-surat_lahir-error'));
    assert.ok(await main().locator('#f-surat_lahir-error').isVisible());
    // What was typed is kept.
    assert.equal(await main().getByLabel(/^Tempat lahir/).inputValue(), 'Kabupaten Sukamaju');
    assert.ok(await main().getByLabel('Puskesmas').isChecked());
  });

  await step('saving a draft and resuming it', async () => {
    await main().getByLabel(/^Nama lengkap anak/).fill(CHILD);
    await submit(main().getByRole('button', { name: 'Simpan draf' }));
    assert.equal(path(), `/layanan/${SERVICE}/ajukan`);
    assert.match(await main().textContent(), /Draf telah disimpan/);
    // Resumed from "Permohonan saya".
    await s.goto('/permohonan');
    const row = main().locator('tbody tr').filter({ hasText: 'Akta Kelahiran' }).filter({ hasText: 'Draf' });
    assert.ok(await row.count() >= 1, 'the draft is listed');
    await s.follow(row.first().getByRole('link'));
    assert.match(path(), /^\/permohonan\/[0-9a-f-]{36}$/);
    await s.follow(main().getByRole('link', { name: 'Lanjutkan draf' }));
    assert.equal(path(), `/layanan/${SERVICE}/ajukan`);
    assert.equal(await main().getByLabel(/^Nama lengkap anak/).inputValue(), CHILD);
    assert.equal(await main().getByLabel(/^NIK ibu/).inputValue(), '3219015506920005');
    assert.match(await main().textContent(), /Draf terakhir disimpan/);
  });

  await step('uploading real PDFs and submitting: receipt page with the tracking number', async () => {
    await main().locator('#f-surat_lahir').setInputFiles({ name: 'surat-lahir.pdf', mimeType: 'application/pdf', buffer: minimalPdf('Surat keterangan lahir') });
    await main().locator('#f-buku_nikah').setInputFiles({ name: 'buku-nikah.pdf', mimeType: 'application/pdf', buffer: minimalPdf('Buku nikah') });
    await main().locator('#f-berkas_kk').setInputFiles({ name: 'kk.pdf', mimeType: 'application/pdf', buffer: minimalPdf('Kartu Keluarga') });
    await submit(main().getByRole('button', { name: 'Kirim', exact: true }));
    assert.match(path(), /^\/permohonan\/[0-9a-f-]{36}$/);
    assert.equal(new URL(s.page.url()).searchParams.get('baru'), '1');
    const receipt = main().locator('#tanda-terima');
    assert.match(await receipt.textContent(), /Permohonan Anda telah diterima/);
    state.tracking = (await receipt.locator('.tracking').textContent()).trim();
    assert.match(state.tracking, /^P-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
    state.detail = path();
    state.id = state.detail.split('/')[2];
    assert.equal((await main().locator('#status').textContent()).trim(), 'Diajukan');
    const files = main().locator('ul.files li');
    assert.equal(await files.count(), 3, 'three files are listed');
  });

  await step('the receipt PDF', async () => {
    const { bytes, name } = await download(main().locator('#tanda-terima').getByRole('link', { name: 'Unduh tanda terima (PDF)' }));
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(name, /\.pdf$/);
    assert.ok(name.includes(state.tracking.replace(/-/g, '')), `the receipt's name ${name} carries the tracking number`);
  });

  await step('the public status page: status, no personal data', async () => {
    await s.goto('/lacak');
    await main().getByLabel('Nomor permohonan').fill(state.tracking.replace(/-/g, '').toLowerCase());
    await submit(main().getByRole('button', { name: 'Lacak' }));
    assert.equal(decodeURIComponent(path()), `/lacak/${state.tracking}`);
    assert.equal((await main().locator('#status').textContent()).trim(), 'Diajukan');
    const text = await main().textContent();
    assert.match(text, /Akta Kelahiran/);
    for (const personal of [CHILD, '3219011203900004', '3219015506920005', 'Melati', citizen.email])
      assert.ok(!text.includes(personal), `the public page shows ${personal}`);
    await s.goto('/akun');
    await signOut();
  });

  await step('the officer finds it, claims it and returns it with a note', async () => {
    await become(officer);
    await openInQueue(state.tracking, 'submitted');
    assert.equal(await main().locator('#status').getAttribute('data-status'), 'submitted');
    assert.match(await main().textContent(), new RegExp(CHILD), 'the officer reads the answers');
    await submit(main().getByRole('button', { name: 'Ambil permohonan ini' }));
    assert.equal(await main().locator('#status').getAttribute('data-status'), 'processing');
    // Without a note: refused, the message beside the note field (the browser's own check of
    // `required` is switched off to reach the server's).
    await main().locator('#catatan').evaluate((e) => e.form.setAttribute('novalidate', ''));
    await submit(main().getByRole('button', { name: 'Kembalikan untuk diperbaiki' }), { status: 422 });
    assert.ok((await main().locator('#catatan').getAttribute('aria-describedby')).split(/\s+/).includes('catatan-error'));
    assert.ok(await main().locator('#catatan-error').isVisible());
    assert.equal(await main().locator('#status').getAttribute('data-status'), 'processing');
    await main().getByLabel(/Kembalikan kepada pemohon/).fill(RETURN_NOTE);
    await submit(main().getByRole('button', { name: 'Kembalikan untuk diperbaiki' }));
    assert.equal(await main().locator('#status').getAttribute('data-status'), 'returned');
    assert.match(await main().locator('ol.timeline').textContent(), /Surat keterangan lahir tidak terbaca/);
    await s.goto('/akun');
    await signOut();
  });

  await step('the citizen reads the notification and the timeline, corrects and resubmits', async () => {
    await become(citizen);
    await s.goto('/notifikasi');
    const item = main().locator('ul.notifications li').filter({ hasText: state.tracking }).first();
    assert.match(await item.textContent(), /Dikembalikan/);
    await s.follow(item.getByRole('link'));
    assert.equal(path(), state.detail);
    assert.match(await main().locator('#status').textContent(), /Dikembalikan/);
    assert.match(await main().locator('ol.timeline').textContent(), /Surat keterangan lahir tidak terbaca/);
    assert.match(await main().locator('.note').first().textContent(), /Surat keterangan lahir tidak terbaca/);
    assert.match(await main().locator('#batas-waktu').textContent(), /berhenti sementara/, 'the clock is paused');
    await s.follow(main().getByRole('link', { name: 'Perbaiki dan kirim lagi' }));
    assert.equal(path(), `${state.detail}/perbaiki`);
    assert.match(await main().textContent(), /Surat keterangan lahir tidak terbaca/);
    await main().locator('#f-surat_lahir').setInputFiles({ name: 'surat-lahir-jelas.pdf', mimeType: 'application/pdf', buffer: minimalPdf('Surat keterangan lahir, dipindai ulang') });
    await submit(main().getByRole('button', { name: 'Kirim perbaikan' }));
    assert.equal(path(), state.detail);
    assert.match(await main().textContent(), /Perbaikan telah dikirim/);
    assert.equal((await main().locator('#status').textContent()).trim(), 'Diajukan');
    assert.match(await main().locator('ul.files').textContent(), /surat-lahir-jelas\.pdf/, 'the new file replaced the old');
    assert.doesNotMatch(await main().locator('ul.files').textContent(), /surat-lahir\.pdf/);
    await s.goto('/akun');
    await signOut();
  });

  await step('the officer approves', async () => {
    await become(officer);
    await openInQueue(state.tracking, 'submitted');
    if (await main().getByRole('button', { name: 'Ambil permohonan ini' }).count())
      await submit(main().getByRole('button', { name: 'Ambil permohonan ini' }));
    await submit(main().getByRole('button', { name: 'Setujui dan terbitkan dokumen' }));
    assert.equal(await main().locator('#status').getAttribute('data-status'), 'approved');
    const verify = main().getByRole('link', { name: 'Halaman verifikasi dokumen' });
    state.officerDoc = (await verify.getAttribute('href')).split('/').pop();
    await s.goto('/akun');
    await signOut();
  });

  await step('the citizen downloads the signed document and the verification page says valid', async () => {
    await become(citizen);
    await s.goto(state.detail);
    assert.equal((await main().locator('#status').textContent()).trim(), 'Disetujui');
    const { bytes } = await download(main().getByRole('link', { name: 'Unduh dokumen (PDF)' }));
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const env = pdfEnvelope(bytes);
    assert.ok(env, 'the PDF Keywords carry the base64url envelope');
    assert.deepEqual(Object.keys(env).sort(), ['doc', 'kid', 'sig']);
    assert.match(env.sig, /^[A-Za-z0-9_-]+$/);
    assert.equal(env.doc.application, state.id);
    assert.equal(env.doc.id, state.officerDoc, 'the document the officer issued');
    state.doc = env.doc.id;
    await s.goto(`/verifikasi/${state.doc}`);
    assert.match(await main().locator('[role="status"]').textContent(), /Dokumen sah/);
    const facts = await main().locator('dl.facts').textContent();
    assert.match(facts, /Akta Kelahiran/);
    assert.ok(!facts.includes(CHILD), 'no personal data on the verification page');
    // The same check from the public form.
    await s.follow(main().getByRole('link', { name: 'Periksa dokumen lain' }));
    await main().getByLabel('ID dokumen').fill(state.doc);
    await submit(main().getByRole('button', { name: 'Periksa' }));
    assert.equal(path(), `/verifikasi/${state.doc}`);
    assert.match(await main().textContent(), /Dokumen sah/);
  });

  await step('the citizen answers the survey', async () => {
    await s.goto(state.detail);
    await s.follow(main().getByRole('link', { name: /survei kepuasan/ }));
    assert.equal(path(), `${state.detail}/survei`);
    const groups = main().locator('fieldset');
    assert.equal(await groups.count(), 9);
    for (let i = 0; i < 9; i++) await groups.nth(i).locator('label').nth(3).click();
    await submit(main().getByRole('button', { name: 'Kirim penilaian' }));
    assert.ok(await main().getByRole('heading', { name: 'Terima kasih atas penilaian Anda' }).isVisible());
    await s.goto('/akun');
    await signOut();
  });
  await s.close();
  s = null;
});

test('an administrator: services, a service standard, the form builder, the Maklumat', async (t) => {
  s = await openFitSession(browser, t, 1280);
  const admin = demoAccounts('administrator', 'sukamaju')[0];
  const key = `catatan_${process.pid}`;
  const step = stepper(t);

  await step('the services and one service', async () => {
    await signIn(s, admin);
    await s.goto('/admin/layanan');
    assert.equal((await h1().textContent()).trim(), 'Kelola layanan');
    await s.follow(main().getByRole('link', { name: 'Akta Kelahiran', exact: true }));
    assert.equal(path(), `/admin/layanan/${SERVICE}`);
    assert.equal(await main().getByLabel('Nama layanan').inputValue(), 'Akta Kelahiran');
  });

  await step('the form builder: add a field', async () => {
    await s.goto(`/admin/layanan/${SERVICE}/formulir`);
    const before = Number((await main().locator('#versi strong').textContent()).trim());
    await main().getByLabel('Kunci').fill(key);
    await main().getByLabel('Jenis isian').selectOption('longtext');
    await main().getByLabel('Label', { exact: true }).fill('Catatan untuk petugas');
    await main().getByLabel('Keterangan bantuan (tidak wajib)').fill('Hal lain yang perlu diketahui petugas.');
    await submit(main().getByRole('button', { name: 'Tambah isian' }));
    assert.equal(path(), `/admin/layanan/${SERVICE}/formulir`);
    assert.equal(Number((await main().locator('#versi strong').textContent()).trim()), before + 1);
    assert.match(await main().locator(`#isian-${key}`).textContent(), /Catatan untuk petugas/);
  });

  await step("a unit's Maklumat Pelayanan", async () => {
    await s.goto('/admin/unit/disdukcapil/maklumat');
    assert.match((await h1().textContent()).trim(), /^Maklumat Pelayanan: /);
    await main().getByLabel('Teks maklumat').fill('Dengan ini kami menyatakan sanggup melayani sesuai standar pelayanan.');
    await submit(main().getByRole('button', { name: 'Simpan' }));
    assert.match(await main().textContent(), /Maklumat telah disimpan/);
    await s.goto('/akun');
    await signOut();
  });
  await s.close();
  s = null;
});

test('without signing in the receipt PDF asks to sign in', async () => {
  assert.ok(state.id, 'the journey ran');
  const r = await fetch(`${BASE}/permohonan/${state.id}/tanda-terima.pdf`, { redirect: 'manual' });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location') || '', /^\/masuk/);
});
