// The Pengaduan journey in a browser: a visitor on a 320 px phone, not signed in, reads the
// open complaints at /pengaduan (filtered), picks a category and village that have one, opens
// the complaint form, checks for similar open complaints ("Periksa pengaduan serupa"), files an
// ANONYMOUS complaint with a JPEG photo carrying GPS, camera and Orientation 6 metadata (made
// in the browser at test time); gets the tracking number and the private follow-up link. The
// public page never shows the reporter's name or email, and its photo comes back without any
// metadata, turned upright (width and height swapped). The demo coordinator finds the complaint
// in /kantor/pengaduan, opens it (the reporter is hidden from staff too) and disposes it to the
// suggested unit; the demo officer of that unit answers it publicly; the reporter, through the
// follow-up link, reads the answer and confirms it solved; the public page shows the answer and
// the closed status. Every page goes through lib.mjs's checks (axe-core among them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, BASE, demoAccounts, openFitSession, submitForm, signIn, stepper } from './lib.mjs';

const RUN = `${process.pid}-${Date.now().toString(36)}`;
// Demo categories whose responsible unit has a demo officer, in order of preference; the
// journey takes the first one that has an open published complaint somewhere (so that
// "Periksa pengaduan serupa" has something to offer), and files in that village.
const CATEGORIES = [
  { code: 'sampah', unit: 'dlh', title: 'Sampah menumpuk di depan pasar desa',
    text: 'Tumpukan sampah di depan pasar belum diangkut selama dua minggu. Baunya menyengat dan lalat banyak sekali, terutama pagi hari ketika pasar ramai.' },
  { code: 'kesehatan', unit: 'dinkes', title: 'Obat di puskesmas pembantu sering habis',
    text: 'Sudah dua minggu obat untuk darah tinggi di puskesmas pembantu habis, dan warga disuruh membeli sendiri di apotek yang jauh.' },
  { code: 'layanan-adminduk', unit: 'disdukcapil', title: 'Antrean perekaman KTP-el tidak tertib',
    text: 'Antrean perekaman KTP-el di kantor kecamatan tidak memakai nomor, sehingga warga yang datang pagi baru dilayani sore hari.' },
];
const REPORTER_NAME = 'Wiratmaja Sembunyiwan';
const REPORTER_EMAIL = `wiratmaja.${RUN}@pelapor.example`;
const ANSWER = `Masalah tersebut sudah kami tangani hari ini dan akan kami pantau setiap minggu (${RUN}).`;
// What the photo's metadata carries: none of it may come back.
const CAMERA = 'KameraRahasiaX9';
const COMMENT = 'GPS-RAHASIA -6.914744 107.609810';

let browser;
let scratch; // a page of its own for making and decoding images
let s;
before(async () => {
  browser = await launch();
  scratch = await (await browser.newContext()).newPage();
});
after(async () => {
  await s?.close();
  await scratch?.context().close().catch(() => {});
  await browser?.close();
});

const main = () => s.page.locator('main');
const path = () => new URL(s.page.url()).pathname;
const submit = (button, want) => submitForm(s, button, want);

/* ---- the photo ------------------------------------------------------------------------------ */

/**
 * An Exif APP1 segment (big-endian TIFF): IFD0 with Make, Orientation and a GPS IFD pointer;
 * the GPS IFD with latitude 6°54'52.79" S and longitude 107°36'35.31" E.
 */
function exifSegment(orientation) {
  const make = Buffer.from(`${CAMERA}\0`, 'latin1'); // 16 bytes
  const ifd0 = 8, ifd0Len = 2 + 3 * 12 + 4;
  const makeAt = ifd0 + ifd0Len;
  const gps = makeAt + make.length, gpsLen = 2 + 4 * 12 + 4;
  const latAt = gps + gpsLen, lonAt = latAt + 24, end = lonAt + 24;
  const t = Buffer.alloc(end);
  t.write('MM', 0, 'latin1');
  t.writeUInt16BE(42, 2);
  t.writeUInt32BE(ifd0, 4);
  const entry = (at, tag, type, count, value) => {
    t.writeUInt16BE(tag, at);
    t.writeUInt16BE(type, at + 2);
    t.writeUInt32BE(count, at + 4);
    if (typeof value === 'function') value(at + 8);
    else t.writeUInt32BE(value, at + 8);
  };
  t.writeUInt16BE(3, ifd0);
  entry(ifd0 + 2, 0x010f, 2, make.length, makeAt);                               // Make
  entry(ifd0 + 14, 0x0112, 3, 1, (at) => t.writeUInt16BE(orientation, at));      // Orientation
  entry(ifd0 + 26, 0x8825, 4, 1, gps);                                           // GPSInfo
  t.writeUInt32BE(0, ifd0 + 38);
  make.copy(t, makeAt);
  t.writeUInt16BE(4, gps);
  entry(gps + 2, 0x0001, 2, 2, (at) => t.write('S\0', at, 'latin1'));            // GPSLatitudeRef
  entry(gps + 14, 0x0002, 5, 3, latAt);                                          // GPSLatitude
  entry(gps + 26, 0x0003, 2, 2, (at) => t.write('E\0', at, 'latin1'));           // GPSLongitudeRef
  entry(gps + 38, 0x0004, 5, 3, lonAt);                                          // GPSLongitude
  t.writeUInt32BE(0, gps + 50);
  [[6, 1], [54, 1], [5279, 100]].forEach(([n, d], i) => { t.writeUInt32BE(n, latAt + 8 * i); t.writeUInt32BE(d, latAt + 8 * i + 4); });
  [[107, 1], [36, 1], [3531, 100]].forEach(([n, d], i) => { t.writeUInt32BE(n, lonAt + 8 * i); t.writeUInt32BE(d, lonAt + 8 * i + 4); });
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** A COM segment with text. */
function commentSegment(text) {
  const body = Buffer.from(text, 'latin1');
  const head = Buffer.from([0xff, 0xfe, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/**
 * A 64 x 32 JPEG, left half red and right half blue, encoded by Chromium; then an Exif segment
 * (GPS, camera, Orientation 6) and a comment are put right after its SOI marker.
 */
async function photoWithMetadata() {
  const dataUrl = await scratch.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 64;
    c.height = 32;
    const g = c.getContext('2d');
    g.fillStyle = '#d00000';
    g.fillRect(0, 0, 32, 32);
    g.fillStyle = '#0000d0';
    g.fillRect(32, 0, 32, 32);
    return c.toDataURL('image/jpeg', 0.95);
  });
  const plain = Buffer.from(dataUrl.split(',')[1], 'base64');
  assert.equal(plain.readUInt16BE(0), 0xffd8, 'Chromium made a JPEG');
  return Buffer.concat([plain.subarray(0, 2), exifSegment(6), commentSegment(COMMENT), plain.subarray(2)]);
}

/**
 * The markers of a JPEG up to its scan: [{marker, data}], and the frame's width and height
 * (from its SOF segment).
 */
function jpegSegments(bytes) {
  assert.equal(bytes.readUInt16BE(0), 0xffd8, 'a JPEG (SOI)');
  const segments = [];
  let width = 0, height = 0;
  for (let at = 2; at + 4 <= bytes.length;) {
    assert.equal(bytes[at], 0xff, `a marker at byte ${at}`);
    const marker = bytes[at + 1];
    if (marker === 0xff) { at++; continue; } // fill byte
    const len = bytes.readUInt16BE(at + 2);
    const data = bytes.subarray(at + 4, at + 2 + len);
    segments.push({ marker, data });
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      height = data.readUInt16BE(1);
      width = data.readUInt16BE(3);
    }
    if (marker === 0xda) break; // start of scan: no metadata segment comes after it here
    at += 2 + len;
  }
  return { segments, width, height };
}

/** Decodes an image in the browser; the colour near its top and bottom centre. */
async function topAndBottom(bytes) {
  return scratch.evaluate(async (b64) => {
    const raw = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([raw]));
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const g = c.getContext('2d');
    g.drawImage(bmp, 0, 0);
    const at = (x, y) => [...g.getImageData(x, y, 1, 1).data.slice(0, 3)];
    return { w: bmp.width, h: bmp.height, top: at(bmp.width >> 1, 3), bottom: at(bmp.width >> 1, bmp.height - 4) };
  }, bytes.toString('base64'));
}

/** exiftool's tags of a file (all groups), or null when exiftool is not installed. */
function exiftool(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'pd-exif-'));
  try {
    const file = join(dir, 'foto.jpg');
    writeFileSync(file, bytes);
    const r = spawnSync('exiftool', ['-j', '-a', '-G1', '-n', file], { encoding: 'utf8' });
    if (r.error) return null;
    assert.equal(r.status, 0, `exiftool: ${r.stderr}`);
    return JSON.parse(r.stdout)[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isRed = ([r, g, b]) => r > 150 && g < 90 && b < 90;
const isBlue = ([r, g, b]) => b > 150 && r < 90 && g < 90;

/* ---- the browser ----------------------------------------------------------------------------- */

/** The bytes of a path fetched with this session's cookies: {status, type, body}. */
async function fetchBytes(p) {
  const r = await s.context.request.get(BASE + p, { maxRedirects: 0 });
  return { status: r.status(), type: r.headers()['content-type'], body: await r.body() };
}

/** The <dd> after the <dt> named term in the page's facts list. */
const fact = (term) => main().locator('dl.facts > dt', { hasText: term }).first().locator('xpath=following-sibling::dd[1]');

/** Neither the reporter's name nor their email address is anywhere in html. */
function assertNoReporter(html, where) {
  assert.ok(!html.includes(REPORTER_NAME) && !html.includes('Wiratmaja'), `${where} shows the reporter's name`);
  assert.ok(!html.includes(REPORTER_EMAIL) && !html.includes('pelapor.example'), `${where} shows the reporter's email`);
}

/**
 * The staff queue filtered by status and category; follows pages to `tracking` and opens it.
 */
async function openInQueue(tracking, status) {
  await s.goto('/kantor/pengaduan');
  await main().getByLabel('Status', { exact: true }).selectOption(status);
  await main().getByLabel('Kategori', { exact: true }).selectOption(state.cat.code);
  await submit(main().getByRole('button', { name: 'Saring' }));
  for (let page = 0; page < 30; page++) {
    const link = main().locator('ol.queue').getByRole('link', { name: tracking, exact: true });
    if (await link.count()) {
      const item = main().locator('li.queue-item')
        .filter({ has: s.page.getByRole('link', { name: tracking, exact: true }) });
      assertNoReporter(await item.innerHTML(), 'the queue');
      assert.match(await item.textContent(), new RegExp(state.title));
      await s.follow(link);
      assert.match(path(), /^\/kantor\/pengaduan\/[0-9a-f-]{36}$/);
      assert.equal((await main().locator('h1 .tracking').textContent()).trim(), tracking);
      return;
    }
    const next = main().getByRole('link', { name: 'Halaman berikutnya' });
    assert.ok(await next.count(), `${tracking} is not in the queue`);
    await s.follow(next);
  }
  assert.fail(`${tracking} is not in the first 30 pages of the queue`);
}

const coordinator = demoAccounts('coordinator')[0];
const state = {}; // tracking, follow-up link, staff path: shared by the steps

test('an anonymous complaint with a photo: filed, disposed, answered, confirmed solved', async (t) => {
  const become = async (width, who) => {
    await s?.close();
    s = await openFitSession(browser, t, width);
    if (who) await signIn(s, who);
  };
  const step = stepper(t);

  await step('the photo made for the journey carries GPS, camera and Orientation 6', async () => {
    state.photo = await photoWithMetadata();
    const { width, height, segments } = jpegSegments(state.photo);
    assert.deepEqual([width, height], [64, 32]);
    assert.ok(segments.some((g) => g.marker === 0xe1 && g.data.subarray(0, 4).toString('latin1') === 'Exif'));
    const tags = exiftool(state.photo);
    if (!tags) {
      t.diagnostic('exiftool is not installed: the photo is checked by its bytes only');
      return;
    }
    assert.equal(tags['IFD0:Orientation'], 6);
    assert.equal(tags['IFD0:Make'], CAMERA);
    assert.ok(Math.abs(tags['GPS:GPSLatitude'] - 6.914664) < 1e-4, `GPSLatitude ${tags['GPS:GPSLatitude']}`);
    assert.equal(tags['GPS:GPSLatitudeRef'], 'S');
  });

  await step('a visitor reads the open complaints and finds a category and village with one', async () => {
    await become(320);
    await s.goto('/pengaduan');
    await main().getByLabel('Status', { exact: true }).selectOption('dispositioned');
    await submit(main().getByRole('button', { name: 'Saring' }));
    assert.equal(new URL(s.page.url()).searchParams.get('status'), 'dispositioned');
    const items = await main().locator('ul.complaints > li').allTextContents();
    assert.ok(items.length >= 1, 'the demo has open published complaints');
    for (const text of items) assert.match(text, /· Diteruskan ke unit ·/);
    // Category and village by the names the filter's options give them.
    const options = (label) => main().getByLabel(label, { exact: true }).evaluate((sel) =>
      [...sel.options].filter((o) => o.value).map((o) => ({ value: o.value, name: o.textContent.trim() })));
    const cats = await options('Kategori');
    const villages = await options('Desa atau kelurahan');
    for (const cat of CATEGORIES) {
      const name = cats.find((c) => c.value === cat.code)?.name;
      assert.ok(name, `the demo has the category ${cat.code}`);
      const row = items.find((text) => text.includes(`${name} · `));
      if (!row) continue;
      const village = villages.find((v) => row.includes(` · ${v.name} · `));
      assert.ok(village, `a village in "${row}"`);
      Object.assign(state, { cat, village: village.value, title: `${cat.title} ${RUN}`, text: `${cat.text} (${RUN})` });
      break;
    }
    assert.ok(state.cat, `an open complaint of ${CATEGORIES.map((c) => c.code).join(', ')} on the first page`);
    t.diagnostic(`filing ${state.cat.code} in ${state.village}`);
    await s.follow(main().getByRole('link', { name: 'Sampaikan pengaduan', exact: true }));
    assert.equal(path(), '/pengaduan/baru');
  });

  await step('the visitor fills the form in and checks for similar open complaints', async () => {
    assert.equal((await main().locator('h1').textContent()).trim(), 'Sampaikan pengaduan');
    // Not signed in: the contact fields are offered.
    assert.equal(await main().getByLabel('Nama', { exact: true }).count(), 1);
    await main().getByLabel('Kategori').selectOption(state.cat.code);
    await main().getByLabel('Judul').fill(state.title);
    await main().getByLabel('Uraian').fill(state.text);
    await main().getByLabel('Desa atau kelurahan tempat kejadian').selectOption(state.village);
    await main().getByLabel(/^Alamat atau patokan/).fill('Depan Pasar Mekarsari, Jl. Raya Mekarsari');
    await main().getByLabel(/^Anonim:/).check();
    await main().getByLabel('Nama', { exact: true }).fill(REPORTER_NAME);
    await main().getByLabel('Alamat email').fill(REPORTER_EMAIL);
    await submit(main().getByRole('button', { name: 'Periksa pengaduan serupa' }));
    assert.equal(path(), '/pengaduan/baru');
    const similar = main().locator('section.similar');
    assert.equal(await similar.count(), 1, 'the similar complaints were looked for');
    assert.equal((await similar.locator('h2').textContent()).trim(), 'Pengaduan serupa yang masih terbuka');
    const offered = await similar.locator('ul.complaints > li').count();
    assert.ok(offered >= 1, `open complaints of ${state.cat.code} in ${state.village} are offered`);
    assert.equal(await similar.getByRole('button', { name: 'Dukung pengaduan ini' }).count(), offered);
    for (const link of await similar.locator('ul.complaints > li > a').all())
      assert.match(await link.getAttribute('href'), /^\/pengaduan\/A-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
    // What was typed is kept, the privacy choice too.
    assert.equal(await main().getByLabel('Judul').inputValue(), state.title);
    assert.equal(await main().getByLabel('Uraian').inputValue(), state.text);
    assert.equal(await main().getByLabel('Kategori').inputValue(), state.cat.code);
    assert.equal(await main().getByLabel('Desa atau kelurahan tempat kejadian').inputValue(), state.village);
    // Photos are not kept across the check: the page says so.
    assert.match(await main().locator('.notice[role="status"]').textContent(), /foto perlu dipilih lagi/);
    assert.ok(await main().getByLabel(/^Anonim:/).isChecked());
    assert.equal(await main().getByLabel('Alamat email').inputValue(), REPORTER_EMAIL);
  });

  await step('the visitor files it anonymously with the photo: number and private link', async () => {
    await main().locator('#foto').setInputFiles({ name: 'sampah-pasar.jpg', mimeType: 'image/jpeg', buffer: state.photo });
    // The button says "Tetap kirim pengaduan saya" when similar complaints were offered.
    const send = main().getByRole('button', { name: /^(Kirim pengaduan|Tetap kirim pengaduan saya)$/ });
    const { html } = await submit(send);
    assert.equal((await main().locator('h1').textContent()).trim(), 'Pengaduan terkirim');
    state.tracking = (await main().locator('#nomor').textContent()).trim();
    assert.match(state.tracking, /^A-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
    const privateLink = main().locator('#tautan-pribadi');
    const href = await privateLink.getAttribute('href');
    // The link is one long word (a token without '-' has no break opportunity): on a 320 px
    // phone it must be allowed to wrap anywhere, or the page scrolls sideways for some tokens.
    const wrap = await privateLink.evaluate((a) => [getComputedStyle(a).overflowWrap, getComputedStyle(a).wordBreak]);
    assert.ok(['anywhere', 'break-word'].includes(wrap[0]) || wrap[1] === 'break-all',
      `#tautan-pribadi does not wrap (overflow-wrap: ${wrap[0]}, word-break: ${wrap[1]})`);
    const link = new URL(href, BASE);
    assert.equal(link.pathname, `/pengaduan/${state.tracking}`);
    assert.ok((link.searchParams.get('t') || '').length >= 20, 'the link carries a long token');
    state.followUp = link.pathname + link.search;
    assert.doesNotMatch(html, /ditahan|Pengaduan rahasia/, 'neither held back nor confidential');
  });

  await step('the public page: published, no name or email of the reporter; the photo is clean', async () => {
    const { html } = await s.goto(`/pengaduan/${state.tracking}`);
    assert.equal((await main().locator('h1').textContent()).trim(), state.title);
    assert.equal((await main().locator('#status').textContent()).trim(), 'Menunggu verifikasi');
    assertNoReporter(html, 'the public page');
    assert.equal(await main().getByRole('heading', { name: 'Pengaduan Anda' }).count(), 0, 'not the reporter view');
    assert.ok((await main().textContent()).includes(state.text), 'the text is published');
    // The photo as anyone gets it: JPEG, re-encoded, upright, no metadata left.
    const photoLink = main().getByRole('link', { name: 'Foto 1', exact: true });
    assert.equal(await photoLink.getAttribute('href'), `/pengaduan/${state.tracking}/foto/1`);
    const photo = await fetchBytes(`/pengaduan/${state.tracking}/foto/1`);
    assert.equal(photo.status, 200);
    assert.equal(photo.type, 'image/jpeg');
    const { segments, width, height } = jpegSegments(photo.body);
    assert.deepEqual([width, height], [32, 64], 'Orientation 6 applied: width and height swapped');
    const kept = segments.filter((g) => g.marker === 0xe1 || g.marker === 0xed || g.marker === 0xfe ||
      (g.marker >= 0xe2 && g.marker <= 0xef));
    assert.deepEqual(kept.map((g) => g.marker.toString(16)), [], 'no APP1..APP15 or COM segment');
    const latin = photo.body.toString('latin1');
    for (const secret of ['Exif', 'GPS', CAMERA, 'RAHASIA', 'http://ns.adobe.com/xap', 'Photoshop'])
      assert.ok(!latin.includes(secret), `the photo still holds "${secret}"`);
    const px = await topAndBottom(photo.body);
    assert.deepEqual([px.w, px.h], [32, 64]);
    assert.ok(isRed(px.top) && isBlue(px.bottom), `turned clockwise: top ${px.top}, bottom ${px.bottom}`);
    const tags = exiftool(photo.body);
    if (tags) {
      const left = Object.keys(tags).filter((k) => /^(GPS|IFD0|ExifIFD|XMP|IPTC|Photoshop|MakerNotes)/.test(k) ||
        /Orientation|Make|Model|Comment/.test(k));
      assert.deepEqual(left, [], 'exiftool finds no GPS, camera, orientation, XMP or IPTC tag');
      assert.equal(tags['File:ImageWidth'], 32);
      assert.equal(tags['File:ImageHeight'], 64);
    }
    assert.equal((await fetchBytes(`/pengaduan/${state.tracking}/foto/2`)).status, 404);
  });

  await step('the follow-up link shows the reporter their own complaint', async () => {
    const { html } = await s.goto(state.followUp);
    assert.equal((await main().getByRole('heading', { name: 'Pengaduan Anda' }).count()), 1);
    assert.match(html, new RegExp(REPORTER_EMAIL.replace(/\./g, '\\.')), 'the reporter sees their own contact');
    assert.equal(await main().getByRole('button', { name: 'Masalah sudah selesai' }).count(), 0, 'nothing to confirm yet');
  });

  await step('the coordinator finds it, sees no reporter identity and disposes it to the suggested unit', async () => {
    await become(1280, coordinator);
    await openInQueue(state.tracking, 'new');
    state.staffPath = path();
    const html = await s.page.content();
    assertNoReporter(html, 'the coordinator\'s page');
    assert.match(await main().locator('#pelapor').textContent(), /Anonim: identitas pelapor disembunyikan/);
    assert.match(await main().locator('#privasi').textContent(), /Anonim/);
    assert.equal((await main().locator('#judul-asli').textContent()).trim(), state.title);
    // The staff copy of the photo is clean too.
    const photo = await fetchBytes(`${state.staffPath}/foto/1`);
    assert.equal(photo.status, 200);
    assert.ok(!photo.body.toString('latin1').includes('GPS') && !photo.body.toString('latin1').includes('Exif'));
    // The suggested unit (from the category) is chosen already.
    const unit = main().locator('form[action$="/disposisi"] select[name="unit"]');
    assert.equal(await unit.inputValue(), state.cat.unit, 'the category\'s unit is suggested');
    state.unitName = (await unit.locator('option:checked').textContent()).trim();
    assert.equal((await main().locator('#unit-hint').textContent()).trim(),
      `Usulan dari kategori dan tempat kejadian: ${state.unitName}`);
    await main().getByLabel(/^Catatan untuk unit/).fill('Mohon segera diangkut; lokasi di depan pasar.');
    await submit(main().getByRole('button', { name: 'Teruskan ke unit' }));
    assert.equal(path(), state.staffPath);
    assert.match(await main().locator('[role="status"]').first().textContent(), /Langkah Anda telah dicatat/);
    assert.equal(await main().locator('#status').getAttribute('data-status'), 'dispositioned');
    assert.equal((await fact('Unit yang menangani').textContent()).trim(), state.unitName);
    assert.match(await main().locator('ol.timeline').textContent(), /Diteruskan ke unit/);
  });

  await step('the public page shows it passed to the unit', async () => {
    await become(320);
    await s.goto(`/pengaduan/${state.tracking}`);
    assert.equal((await main().locator('#status').textContent()).trim(), 'Diteruskan ke unit');
    assert.equal((await fact('Unit yang menangani').textContent()).trim(), state.unitName);
    assert.match(await main().locator('ol.timeline').textContent(), /Diteruskan ke unit/);
    assertNoReporter(await s.page.content(), 'the public page');
  });

  await step('the unit\'s officer answers it publicly', async () => {
    await become(1280, demoAccounts('officer', state.cat.unit)[0]);
    await openInQueue(state.tracking, 'dispositioned');
    assert.equal(path(), state.staffPath);
    assertNoReporter(await s.page.content(), 'the officer\'s page');
    assert.match(await main().locator('#pelapor').textContent(), /Anonim/);
    await main().getByLabel(/^Jawaban/).fill(ANSWER);
    await submit(main().getByRole('button', { name: 'Jawab dan tutup' }));
    assert.equal(path(), state.staffPath);
    assert.equal(await main().locator('#status').getAttribute('data-status'), 'answered');
    assert.equal((await main().locator('#jawaban-kini').textContent()).trim(), ANSWER);
    assert.equal(await main().getByRole('button', { name: 'Jawab dan tutup' }).count(), 0, 'answered once');
  });

  await step('the reporter reads the answer through the follow-up link and confirms it solved', async () => {
    await become(320);
    await s.goto(state.followUp);
    assert.match(await main().textContent(), new RegExp(ANSWER.slice(0, 40)));
    assert.equal((await main().locator('#status').textContent()).trim(), 'Dijawab');
    assert.equal(await main().getByRole('heading', { name: 'Tindak lanjut Anda' }).count(), 1);
    await submit(main().getByRole('button', { name: 'Masalah sudah selesai' }));
    assert.equal(path(), `/pengaduan/${state.tracking}`);
    assert.ok(new URL(s.page.url()).searchParams.get('t'), 'back on the private view');
    assert.equal(await main().getByRole('button', { name: 'Masalah sudah selesai' }).count(), 0, 'confirmed once');
    assert.equal(await main().getByRole('button', { name: 'Buka kembali' }).count(), 0, 'no reopening after confirming');
  });

  await step('the public page shows the answer and the closed status', async () => {
    await s.context.clearCookies();
    const { html } = await s.goto(`/pengaduan/${state.tracking}`);
    assert.equal((await main().locator('#status').textContent()).trim(), 'Dijawab');
    const answer = main().getByRole('heading', { name: 'Jawaban' });
    assert.equal(await answer.count(), 1);
    assert.match(await main().textContent(), new RegExp(ANSWER.slice(0, 40)));
    assert.match(await main().locator('ol.timeline').textContent(), /Dijawab/);
    // Closed: no more support, no deadline running.
    assert.equal(await main().getByRole('button', { name: 'Dukung pengaduan ini' }).count(), 0);
    assert.doesNotMatch(await main().locator('dl.facts').textContent(), /Batas waktu/);
    assertNoReporter(html, 'the public page');
  });

  await step('the coordinator\'s timeline records the confirmation', async () => {
    await become(1280, coordinator);
    await s.goto(state.staffPath);
    assert.match(await main().locator('ol.timeline').textContent(), /Pelapor menyatakan selesai/);
    assertNoReporter(await s.page.content(), 'the coordinator\'s page');
  });
});
