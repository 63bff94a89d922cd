// The html-validate configuration of lib.mjs still catches real errors: the suite would
// otherwise pass on pages that are broken in ways it claims to check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateHtml } from './lib.mjs';

const page = (body, head = '\n<link rel="stylesheet" href="/static/pendopo.css">') => `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>Uji</title>${head}
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;

test('a valid page with our stylesheet passes', async () => {
  assert.deepEqual(await validateHtml(page('<h1>Judul</h1>\n<p><a href="/unit">Unit</a></p>')), []);
});

const broken = [
  ['no-dup-id', '<p id="a">x</p>\n<p id="a">y</p>'],
  ['close-order', '<div><span>x</div>'],
  ['wcag/h37', '<img src="/x.png">'],
  ['input-missing-label', '<form action="/cari"><input type="text" name="q"><button>Cari</button></form>'],
  ['no-missing-references', '<label for="tidak-ada">Nama</label>'],
  ['heading-level', '<h1>Judul</h1>\n<h3>Sub</h3>'],
  ['element-permitted-content', '<ul><div>x</div></ul>'],
  ['no-inline-style', '<p style="color:red">x</p>'],
  ['attribute-allowed-values', '<input type="texty" aria-label="x">'],
  ['no-deprecated-attr', '<p align="center">x</p>'],
  ['deprecated', '<center>x</center>'],
  ['element-permitted-content', '<a href="/x"><button type="button">x</button></a>'],
  ['form-dup-name', '<form action="/x"><label for="a">A</label><input id="a" name="n">' +
    '<label for="b">B</label><input id="b" name="n"></form>'],
];
for (const [rule, body] of broken) {
  test(`catches ${rule}: ${body.replace(/\n/g, ' ')}`, async () => {
    const errors = await validateHtml(page(body));
    assert.ok(errors.some((e) => e.includes(` ${rule}: `)), `${rule} not reported: ${errors.join('; ') || 'no errors'}`);
  });
}

test('checkboxes of one multiple choice share their name', async () => {
  assert.deepEqual(await validateHtml(page('<form action="/x"><fieldset><legend>Pilih</legend>' +
    '<input id="a" name="n" type="checkbox" value="1"><label for="a">A</label>' +
    '<input id="b" name="n" type="checkbox" value="2"><label for="b">B</label></fieldset>' +
    '<button type="submit">Kirim</button></form>')), []);
});

test('catches an element left unclosed at the end of the document', async () => {
  const errors = await validateHtml('<!doctype html>\n<html lang="id">\n<head>\n<title>x</title>\n</head>\n<body>\n<main>\n<div>\n</main>\n</body>\n</html>\n');
  assert.ok(errors.some((e) => / close-order: Unclosed element '<div>'/.test(e)), `unclosed <div> not reported: ${errors.join('; ')}`);
});
