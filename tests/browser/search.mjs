// Browser check of search on a built guidegen site, from file:// and over HTTP.
//
//   node tests/browser/search.mjs <output-dir> <lang> <word> [<screenshot.png>]
//
// In headless Chromium, for file:// and for a local HTTP server over <output-dir> (started here,
// on a free port of 127.0.0.1), it fails (exit 1) unless:
//   - the language's index page shows a search form (form[role=search][data-search]) with a label;
//   - typing <word> into it lists results, and the live status announces their number;
//   - the keyboard reaches the results: ArrowDown from the field focuses the first result;
//   - following the first result (Enter) opens a guide page at an element with the anchor's id,
//     which holds a word that begins like <word> (or <word> begins with it: "koden" finds "kode");
//   - a guide page's own search form sends the words to the index page, which lists the same results;
//   - without JavaScript, the index page still lists every guide (and shows no dead form);
//   - the index page with the results shown passes axe (WCAG 2.1 A/AA).
// Nothing may be fetched from the network. With <screenshot.png>, the results are screenshotted.

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './lib/chromium.mjs';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const [outArg, lang, word, shot] = process.argv.slice(2);
if (!outArg || !lang || !word) {
  console.error('usage: node tests/browser/search.mjs <output-dir> <lang> <word> [<screenshot.png>]');
  process.exit(2);
}
const out = path.resolve(outArg);
const problems = [];
const fail = (where, message) => problems.push(`${where}: ${message}`);

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg' };

function serve(root) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(root, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const norm = (s) => s.normalize('NFC').toLowerCase();
// The same rule as assets/search.js: a word of the target begins with the typed one, or it
// begins with a word of the target of 3+ letters, at most 3 longer.
const found = (text, typed) =>
  norm(text)
    .split(/[^\p{L}\p{N}]+/u)
    .some((w) => w.startsWith(typed) || (typed.length >= 4 && w.length >= 3 && typed.length - w.length <= 3 && typed.startsWith(w)));

async function check(browser, base, where) {
  const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['file:', 'data:', 'blob:'].includes(url.protocol) || url.hostname === '127.0.0.1') return route.continue();
    fail(where, `network request: ${url.href}`);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => fail(where, `uncaught exception: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && fail(where, `console error: ${m.text()}`));
  await page.goto(`${base}/${lang}/index.html`);

  const form = page.locator('form[role="search"][data-search]').first();
  if (!(await form.isVisible())) return fail(where, 'no visible search form on the index page');
  const input = form.getByRole('searchbox');
  const label = await input.evaluate((i) => i.labels?.[0]?.textContent?.trim() || '');
  if (!label) fail(where, 'the search field has no label');

  await input.click();
  await page.keyboard.type(word);
  const status = page.locator('[data-search-results] [role="status"]');
  const links = page.locator('[data-search-results] ol a');
  const count = await links.count();
  if (!count) return fail(where, `typing "${word}" found nothing`);
  const said = (await status.textContent()) || '';
  if (!said.includes(String(count)) && count > 1) fail(where, `the status says "${said}" for ${count} results`);
  if (shot && where === 'file://') await page.screenshot({ path: shot, fullPage: false });
  // The results as shown pass axe too (axe.mjs checks the pages as loaded, with none).
  if (where === 'file://') {
    await page.addScriptTag({ path: AXE_PATH });
    const results = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, preload: false }),
      AXE_TAGS,
    );
    for (const v of results.violations) fail(where, `axe ${v.id} with results shown: ${v.help}`);
    await input.focus();
  }

  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('href'));
  const first = await links.first().getAttribute('href');
  if (focused !== first) fail(where, `ArrowDown focused ${focused}, not the first result ${first}`);
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
  const url = new URL(page.url());
  const id = decodeURIComponent(url.hash.slice(1));
  const target = id ? page.locator(`[id="${id}"]`) : page.locator('main');
  if (!(await target.count())) return fail(where, `the first result leads to ${url.href}, where no element has id "${id}"`);
  const text = await target.first().innerText();
  if (!found(text, norm(word))) fail(where, `the first result (${url.pathname}${url.hash}) does not hold "${word}"`);
  console.log(`${where}: "${word}" → ${count} results; the first, ${first}, leads to the step`);

  // A guide page's form sends the words to the index.
  const header = page.locator('form[data-search]').first();
  if (!(await header.isVisible())) fail(where, 'no visible search form on the guide page');
  else {
    await header.getByRole('searchbox').fill(word);
    await Promise.all([page.waitForEvent('load'), header.getByRole('searchbox').press('Enter')]);
    const again = await page.locator('[data-search-results] ol a').count();
    if (again !== count) fail(where, `searching from a guide page listed ${again} results, the index ${count}`);
  }
  await context.close();

  // Without JavaScript the index lists every guide and hides the form.
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const still = await plain.newPage();
  await still.goto(`${base}/${lang}/index.html`);
  const guides = await still.locator('.guide-list a').count();
  if (!guides) fail(where, 'without JavaScript the index lists no guide');
  if (await still.locator('form[data-search]').first().isVisible()) fail(where, 'without JavaScript a search form is shown that cannot search');
  await plain.close();
}

const browser = await launchChromium();
const server = await serve(out);
try {
  await check(browser, pathToFileURL(out).href, 'file://');
  await check(browser, `http://127.0.0.1:${server.address().port}`, 'http');
} finally {
  server.close();
  await browser.close();
}
for (const p of problems) console.log(`FAIL ${p}`);
console.log(`search: ${problems.length ? `${problems.length} problems: FAIL` : 'ok'}`);
process.exit(problems.length ? 1 : 0);
