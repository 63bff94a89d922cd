// Shared harness of the browser suite: launches Debian's Chromium through playwright-core and
// checks every page a journey visits (axe-core WCAG 2.1 A/AA scan, html-validate, one <main>,
// works with JavaScript off, links stay on this site, no dialog, no console or CSP error,
// gzip transfer size of the page with its CSS under 30 KB).
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium, request } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { HtmlValidate } from 'html-validate';

/** Base URL of the server under test, set by tests/browser/run. */
export const BASE = (process.env.PD_URL || '').replace(/\/$/, '');
if (!BASE) throw new Error('PD_URL is not set: run the suite through tests/browser/run BUILD/pendopo');

/** Where screenshots go: never inside the repository. */
export const SHOTS = process.env.PD_SHOTS || '/tmp/pendopo-shots';

/** DESIGN.md §5: every public page, with its CSS, under 30 KB compressed. */
export const MAX_GZIP_BYTES = 30 * 1024;

/** DESIGN.md §7: the axe-core tags every page is scanned with. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const CHROMIUM = process.env.PD_CHROMIUM || '/usr/bin/chromium';
// TOOLCHAIN.md "Browser tests": without the networking flags Chromium keeps trying to reach
// hosts this machine cannot reach.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-dev-shm-usage'];

/** Launches one headless Chromium; the caller closes it. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// html-validate: the "recommended" preset (duplicate ids, unclosed or misnested elements,
// missing alt text, invalid attributes and content, inline styles, deprecated elements, ...)
// plus the "document" preset for whole documents (form fields without a label, references to
// ids that do not exist, skipped heading levels, a missing doctype), minus rules that judge
// spelling or do not apply:
//  - doctype-style: wants "<!DOCTYPE html>"; the doctype is case-insensitive (HTML §13.1.1);
//  - no-trailing-whitespace: whitespace the template engine leaves at the end of a line is
//    not an error and changes nothing a reader sees;
//  - require-sri only for cross-origin resources: integrity hashes on our own /static files
//    add nothing (same origin, same server), and the CSP (default-src 'self') forbids any other;
//  - form-dup-name lets checkboxes share a name as radio buttons do: a group of checkboxes
//    under one name is how HTML sends a multiple choice (one name=value pair per ticked box),
//    and the rule's default would demand PHP-style "name[]" instead. Other controls sharing a
//    name are still errors.
export const HTML_VALIDATE_CONFIG = {
  root: true,
  extends: ['html-validate:recommended', 'html-validate:document'],
  rules: {
    'doctype-style': 'off',
    'no-trailing-whitespace': 'off',
    'require-sri': ['error', { target: 'crossorigin' }],
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
  },
};
const validator = new HtmlValidate(HTML_VALIDATE_CONFIG);

/** Validates an HTML document; returns a list of "line:col rule: message" strings. */
export async function validateHtml(html) {
  const report = await validator.validateString(html, 'page.html');
  const out = [];
  for (const r of report.results)
    for (const m of r.messages)
      out.push(`${m.line}:${m.column} ${m.ruleId}: ${m.message}${m.selector ? ` (${m.selector})` : ''}`);
  return out;
}

/** Formats axe violations one per line: id, impact, help, targets. */
export function formatViolations(violations) {
  return violations.map((v) => `${v.id} [${v.impact}] ${v.help}: ` +
    v.nodes.map((n) => n.target.join(' ')).join(' | ')).join('\n');
}

/**
 * GET through node:http (not fetch, which decompresses and hides the transfer size) with
 * Accept-Encoding: gzip. path may hold characters fetch would re-encode; it is sent as is.
 * Resolves to {status, headers, bytes (as transferred), body (decoded text)}.
 */
export function rawGet(path, headers = {}) {
  const url = new URL(BASE);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, method: 'GET', path,
      headers: { 'Accept-Encoding': 'gzip', ...headers },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        resolve({ status: res.statusCode, headers: res.headers, bytes: raw.length, body: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.setTimeout(15000, () => req.destroy(new Error(`timeout GET ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

function isDocument(page, r) {
  return r.request().isNavigationRequest() && r.frame() === page.mainFrame();
}

/**
 * A browsing session: one context with JavaScript on (the journey) and a twin with JavaScript
 * off that revisits every checked page. Collects dialogs, console errors and page errors.
 */
export class Session {
  /** t: the node:test context (for diagnostics); opts: locale, viewport. */
  static async open(browser, t, { locale = 'id-ID', viewport = { width: 1280, height: 900 } } = {}) {
    const s = new Session();
    s.t = t;
    s.browser = browser;
    s.locale = locale;
    s.viewport = viewport;
    s.context = await browser.newContext({ locale, viewport });
    s.page = await s.context.newPage();
    s.page.setDefaultTimeout(10000);
    s.problems = [];
    s.consoleErrors = [];
    s.dialogs = [];
    s.page.on('dialog', (d) => { s.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
    s.page.on('pageerror', (e) => s.problems.push(`page error: ${e.message}`));
    s.page.on('console', (m) => {
      if (m.type() === 'error') s.consoleErrors.push({ text: m.text(), url: m.location().url });
    });
    s.noJs = await browser.newContext({ locale, viewport, javaScriptEnabled: false });
    return s;
  }

  async close() {
    await this.noJs.close().catch(() => {});
    await this.context.close().catch(() => {});
  }

  /** Loads path and checks the page; returns what check() returns. */
  async goto(path, want = {}) {
    const resp = await this.page.goto(BASE + path, { waitUntil: 'load' });
    return this.check(resp, want);
  }

  /** Clicks a link (a Locator) that navigates, waits for the final document and checks it. */
  async follow(link, want = {}) {
    const done = this.page.waitForResponse((r) => isDocument(this.page, r) &&
      !(r.status() >= 300 && r.status() < 400));
    await link.click();
    const resp = await done;
    await this.page.waitForLoadState('load');
    return this.check(resp, want);
  }

  /**
   * Every check of a visited page, given its document response. want: status (200), lang
   * ("id" unless the session's locale is English). Returns {html, url, gzipBytes}.
   */
  async check(resp, { status = 200, lang } = {}) {
    const page = this.page;
    const url = page.url();
    const where = url.slice(BASE.length) || '/';
    assert.ok(resp, `${where}: no document response`);
    assert.equal(resp.status(), status, `${where}: HTTP status`);
    assert.equal(resp.headers()['content-type'], 'text/html; charset=utf-8', `${where}: Content-Type`);
    const html = await resp.text();
    const failures = [];

    // Valid HTML.
    const invalid = await validateHtml(html);
    if (invalid.length) failures.push(`html-validate:\n  ${invalid.join('\n  ')}`);

    // Exactly one <main>, in the markup as served and in the DOM.
    const mainsInMarkup = (html.replace(/<!--[\s\S]*?-->/g, '').match(/<main[\s>]/gi) || []).length;
    const mainsInDom = await page.locator('main, [role="main"]').count();
    if (mainsInMarkup !== 1 || mainsInDom !== 1)
      failures.push(`expected exactly one <main>: ${mainsInMarkup} in the markup, ${mainsInDom} in the DOM`);

    // <html lang>.
    const wantLang = lang || (this.locale.startsWith('en') ? 'en' : 'id');
    const htmlLang = await page.getAttribute('html', 'lang');
    if (htmlLang !== wantLang) failures.push(`<html lang="${htmlLang}">, expected "${wantLang}"`);

    // Accessibility.
    // Legacy mode runs axe in the page in one go instead of finishing in a fresh page: twice
    // as fast, and it only gives up scanning cross-origin frames, which the CSP forbids anyway.
    const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
    if (axe.incomplete.length)
      this.t?.diagnostic(`${where}: axe needs review: ${axe.incomplete.map((v) => v.id).join(', ')}`);
    if (axe.violations.length) failures.push(`axe (${AXE_TAGS.join(', ')}):\n  ${formatViolations(axe.violations).replace(/\n/g, '\n  ')}`);

    // Links, forms and stylesheets written as relative URLs must stay on this site
    // (a path like //host or /\host is another site to a browser).
    const offsite = await page.evaluate(() => {
      const out = [];
      const check = (el, attr) => {
        const v = el.getAttribute(attr);
        if (v === null || /^[a-z][a-z0-9+.-]*:/i.test(v)) return; // explicit scheme: intended
        const abs = new URL(v, document.baseURI);
        if (abs.origin !== location.origin) out.push(`<${el.localName} ${attr}="${v}"> goes to ${abs.origin}`);
      };
      document.querySelectorAll('a[href], area[href], link[href]').forEach((el) => check(el, 'href'));
      document.querySelectorAll('form[action]').forEach((el) => check(el, 'action'));
      document.querySelectorAll('img[src], script[src]').forEach((el) => check(el, 'src'));
      return out;
    });
    if (offsite.length) failures.push(`links leave the site:\n  ${offsite.join('\n  ')}`);

    // Nothing popped up, nothing went to the console (CSP violations are logged there).
    if (this.dialogs.length) failures.push(`dialogs fired: ${this.dialogs.join('; ')}`);
    for (const e of this.consoleErrors) {
      // Chromium logs an error status of the document itself (checked above), and of the
      // /favicon.ico it asks for on its own when a page declares no icon.
      const own = e.url === resp.url() || new URL(e.url || BASE).pathname === '/favicon.ico';
      if (!(own && /^Failed to load resource: the server responded with a status of 4\d\d/.test(e.text)))
        this.problems.push(`console error: ${e.text}${e.url ? ` (${e.url})` : ''}`);
    }
    if (this.problems.length) failures.push(this.problems.join('\n'));
    this.dialogs = [];
    this.problems = [];
    this.consoleErrors = [];

    // Works with JavaScript off: same status, main content there and the same.
    const noJs = await this.checkNoJs(url, status);
    if (noJs) failures.push(noJs);

    // Transfer size with gzip: the document and everything it loads (CSS, images, scripts).
    const size = await this.transferSize(url);
    this.t?.diagnostic(`${where}: ${size.total} bytes gzip (${size.parts.join(', ')})`);
    if (size.total >= MAX_GZIP_BYTES)
      failures.push(`${size.total} bytes with gzip, limit ${MAX_GZIP_BYTES}: ${size.parts.join(', ')}`);

    assert.ok(failures.length === 0, `${where}:\n${failures.join('\n')}`);
    return { html, url, gzipBytes: size.total };
  }

  /** Loads url with JavaScript off; returns a problem or null. */
  async checkNoJs(url, status) {
    await this.noJs.clearCookies();
    await this.noJs.addCookies(await this.context.cookies());
    this.noJsPage ??= await this.noJs.newPage();
    const p = this.noJsPage;
    const resp = await p.goto(url, { waitUntil: 'load' });
    if (!resp || resp.status() !== status) return `JavaScript off: status ${resp && resp.status()}, expected ${status}`;
    // Playwright still evaluates in its own world when the page's JavaScript is off.
    const outline = (pg) => pg.locator('main').evaluate((m) => ({
      visible: m.getBoundingClientRect().height > 0 && getComputedStyle(m).display !== 'none',
      headings: [...m.querySelectorAll('h1, h2, h3')].map((h) => h.textContent.trim()),
      links: [...m.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
      text: m.textContent.trim().length,
    }));
    const off = await outline(p);
    const on = await outline(this.page);
    if (!off.visible || off.text === 0) return 'JavaScript off: <main> is hidden or empty';
    if (off.headings.length === 0) return 'JavaScript off: no heading in <main>';
    if (JSON.stringify([off.headings, off.links]) !== JSON.stringify([on.headings, on.links]))
      return `JavaScript off: main content differs: ${JSON.stringify(off)} vs ${JSON.stringify(on)}`;
    return null;
  }

  /** Sums the gzip transfer size of the document at url and of its subresources. */
  async transferSize(url) {
    const cookies = (await this.context.cookies(BASE)).map((c) => `${c.name}=${c.value}`).join('; ');
    const headers = { 'Accept-Language': this.locale, ...(cookies ? { Cookie: cookies } : {}) };
    const u = new URL(url);
    const subs = await this.page.evaluate(() => [...new Set([
      ...[...document.querySelectorAll('link[rel~="stylesheet"][href], link[rel~="icon"][href]')].map((l) => l.href),
      ...[...document.querySelectorAll('img[src], script[src]')].map((e) => e.src),
    ])].filter((h) => h.startsWith(location.origin)).map((h) => h.slice(location.origin.length)));
    const parts = [];
    let total = 0;
    for (const path of [u.pathname + u.search, ...subs]) {
      const r = await rawGet(path, headers);
      total += r.bytes;
      parts.push(`${path} ${r.bytes}${r.headers['content-encoding'] === 'gzip' ? '' : ' (not gzipped)'}`);
    }
    return { total, parts };
  }
}

/**
 * Session.open with a viewport width whose every checked page must also fit that width (no
 * sideways scrolling): a 320 px phone, a 1280 px desk.
 */
export async function openFitSession(browser, t, width) {
  const session = await Session.open(browser, t, { viewport: { width, height: width < 1000 ? 780 : 900 } });
  const check = session.check.bind(session);
  session.check = async (resp, want) => {
    const out = await check(resp, want);
    const m = await session.page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      view: document.documentElement.clientWidth,
      overflowing: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .filter((e) => !e.matches('a.skip'))
        .map((e) => `${e.localName}${e.id ? `#${e.id}` : ''}.${e.className}`).slice(0, 5),
    }));
    assert.ok(m.scroll <= m.view && m.overflowing.length === 0,
      `${session.page.url().slice(BASE.length)} at ${width} px scrolls sideways (${m.scroll} > ${m.view}): ${m.overflowing.join(', ')}`);
    return out;
  };
  return session;
}

/** Session s's checks without the JavaScript-off revisit (a GET is another page than a POST's answer). */
export async function checkOnce(s, resp, want) {
  const revisit = s.checkNoJs;
  s.checkNoJs = async () => null;
  try {
    return await s.check(resp, want);
  } finally {
    s.checkNoJs = revisit;
  }
}

/**
 * Submits a form in session s by clicking its button and checks the page that answers; a page
 * that answers the POST itself (a refused form) is not revisited with JavaScript off.
 */
export async function submitForm(s, button, want = {}) {
  const done = s.page.waitForResponse((r) => r.request().isNavigationRequest() &&
    r.frame() === s.page.mainFrame() && !(r.status() >= 300 && r.status() < 400));
  await button.click();
  const resp = await done;
  await s.page.waitForLoadState('load');
  return resp.request().method() === 'POST' ? checkOnce(s, resp, want) : s.check(resp, want);
}

/** Signs session s in at /masuk as {email, password}; it must land on /akun. */
export async function signIn(s, { email, password }) {
  await s.goto('/masuk');
  const main = s.page.locator('main');
  await main.getByLabel('Alamat email').fill(email);
  await main.getByLabel('Kata sandi').fill(password);
  await submitForm(s, main.getByRole('button', { name: 'Masuk' }));
  assert.equal(new URL(s.page.url()).pathname, '/akun', `signed in as ${email}`);
}

/** Subtests of t, each skipped once an earlier step of the same journey failed. */
export function stepper(t) {
  let broken = false;
  return (name, fn) => t.test(name, async (st) => {
    if (broken) {
      st.skip('an earlier step failed');
      return;
    }
    try {
      await fn(st);
    } catch (e) {
      broken = true;
      throw e;
    }
  });
}

/** Makes the screenshot directory and returns the path of name.png in it. */
export function shotPath(name) {
  mkdirSync(SHOTS, { recursive: true });
  return `${SHOTS}/${name}.png`;
}

/**
 * The signed envelope {doc, kid, sig} a document PDF carries in its Keywords entry as base64url
 * JSON (a literal or a hex string in the Info dictionary); null when there is none.
 */
export function pdfEnvelope(bytes) {
  const text = Buffer.from(bytes).toString('latin1');
  let m = text.match(/\/Keywords\s*\(((?:\\.|[^\\)])*)\)/s);
  let value = m && m[1].replace(/\\(.)/gs, '$1');
  if (!m) {
    m = text.match(/\/Keywords\s*<([0-9A-Fa-f\s]*)>/);
    value = m && Buffer.from(m[1].replace(/\s/g, ''), 'hex').toString('latin1');
  }
  if (!value || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/** The demo accounts with this role (and unit, when given) from <data>/demo-accounts.txt. */
export function demoAccounts(role, unit) {
  const data = process.env.PD_DATA;
  assert.ok(data, 'PD_DATA is not set: run the suite through tests/browser/run BUILD/pendopo');
  const rows = readFileSync(join(data, 'demo-accounts.txt'), 'utf8').split('\n').slice(1)
    .map((l) => l.split('\t')).filter((r) => r[0] === role && (!unit || r[1] === unit))
    .map((r) => ({ email: r[2], password: r[3] }));
  assert.ok(rows.length, `no demo ${role}${unit ? ` on ${unit}` : ''}`);
  return rows;
}

/**
 * A tracking number and the id of a valid document that exist in the demo from the start,
 * found as their holder finds them (no database access): a demo citizen signs in (outside
 * any browser), reads "Permohonan saya" and the Keywords of an approved application's PDF.
 * Resolves to {tracking, documentId}.
 */
export async function demoTrackingAndDocument() {
  for (const who of demoAccounts('citizen')) {
    const ctx = await request.newContext({ baseURL: BASE });
    try {
      const form = await (await ctx.get('/masuk')).text();
      const csrf = (form.match(/name="csrf" value="([^"]+)"/) || [])[1];
      assert.ok(csrf, 'no CSRF token in the sign-in form');
      await ctx.post('/masuk', { form: { csrf, next: '', email: who.email, password: who.password } });
      const list = await ctx.get('/permohonan', { maxRedirects: 0 });
      if (list.status() !== 200) continue;
      const rows = (await list.text()).match(/<tr>[\s\S]*?<\/tr>/g) || [];
      let tracking = null;
      for (const row of rows) {
        const m = row.match(/href="\/permohonan\/([0-9a-f-]{36})">(P-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z])</);
        if (!m) continue;
        tracking ??= m[2];
        if (!row.includes('Disetujui')) continue;
        const pdf = await ctx.get(`/permohonan/${m[1]}/dokumen.pdf`);
        const env = pdf.ok() ? pdfEnvelope(await pdf.body()) : null;
        if (env?.doc?.id) return { tracking, documentId: env.doc.id };
      }
    } finally {
      await ctx.dispose();
    }
  }
  assert.fail('no demo citizen has an approved application with a document');
}
