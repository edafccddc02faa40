// Browser check of the guides made to travel: `--format fragment` and `--format single`.
//
//   node tests/browser/embed.mjs <output-dir> [<screenshot-dir>]
//
// For every guide and language of a site built with --format html --format fragment --format single:
//   - fragment: pasted into a host page with aggressive global CSS (`* {…}`, `img {…}`, `h2 {…}`,
//     `li {…}`, `svg {…}`, body text centred and red …) written beside the fragment, opened from
//     file://. The fragment must keep its own look (checked on computed styles), leave the host's
//     own elements as the host styles them, pass axe (WCAG 2.1 A/AA), load nothing from the
//     network, and hold every step, device-switch banner and QR code of the guide's full page;
//   - single: the file copied alone into an empty temporary folder and opened from file://: the
//     same checks, and no file it asks for may be missing (everything is inline).
// With <screenshot-dir>, a full-page screenshot of each at 390 px wide is written there.

import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './lib/chromium.mjs';
import { htmlFilesUnder } from './lib/files.mjs';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LOCAL = new Set(['file:', 'data:', 'blob:', 'about:']);

// What a CMS theme does to everything in its pages.
const HOSTILE_CSS = `
* { box-sizing: content-box !important; margin: 3px; padding: 7px; font-family: "Comic Sans MS", cursive; letter-spacing: 0.1em; }
body { text-align: center; color: rgb(200, 0, 0); background: rgb(255, 255, 200); font-size: 9px; line-height: 3; }
h1, h2, h3 { text-transform: uppercase; color: rgb(0, 160, 0); border-bottom: 6px dotted rgb(0, 0, 255); }
img { border: 10px solid rgb(255, 0, 255); width: 50px; filter: grayscale(1); float: right; }
svg { display: none; }
li { list-style: square inside; background: rgb(0, 255, 255); float: left; }
ol, ul { columns: 3; }
a { color: rgb(255, 128, 0); font-size: 30px; }
p { margin: 40px 0; }
div { border: 1px solid rgb(0, 0, 0); }
.step, .guide, .notice { display: none; }
`;

const hostPage = (fragment, lang) => `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host page</title><style>${HOSTILE_CSS}</style></head>
<body>
<header><p id="host-before">The host's own text before the guide.</p></header>
<main>
${fragment}
</main>
<footer><p id="host-after">The host's own text after the guide.</p></footer>
</body>
</html>
`;

function usage() {
  console.error('usage: node tests/browser/embed.mjs <output-dir> [<screenshot-dir>]');
  process.exit(2);
}

// The hooks a travelling guide must keep of its full page.
async function hooks(page, scope) {
  return page.$eval(scope, (root) => ({
    steps: [...root.querySelectorAll('[data-step]')].map((e) => e.getAttribute('data-step')),
    banners: [...root.querySelectorAll('[data-device-switch]')].map((e) => e.getAttribute('data-device-switch')),
    qrs: [...root.querySelectorAll('[data-qr]')].map((e) => e.getAttribute('data-qr')),
  }));
}

async function open(browser, file, problems) {
  const context = await browser.newContext({ viewport: { width: 390, height: 900 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (LOCAL.has(new URL(url).protocol)) return route.continue();
    problems.push(`network request: ${url}`);
    return route.abort('blockedbyclient');
  });
  page.on('requestfailed', (r) => problems.push(`failed to load: ${r.url().slice(0, 120)}`));
  page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { context, page };
}

async function axe(page, problems) {
  await page.addScriptTag({ path: AXE_PATH });
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, preload: false }),
    AXE_TAGS,
  );
  for (const v of results.violations) {
    problems.push(`axe ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  }
}

// How the guide's telling elements look, to compare a travelling guide with its full page.
const LOOKED_AT = ['h1', 'h2', 'h3', '.step-card', '.device-switch', '.step-number', '.callout', 'figure img', '.need'];
const PROPERTIES = ['color', 'backgroundColor', 'textTransform', 'fontFamily', 'fontWeight', 'borderTopWidth', 'borderBottomStyle', 'display', 'listStyleType', 'float', 'letterSpacing'];
async function styles(page, scope) {
  return page.$eval(scope, (root, [selectors, properties]) => Object.fromEntries(selectors.map((sel) => {
    const e = root.querySelector(sel);
    if (!e) return [sel, null];
    const style = getComputedStyle(e);
    return [sel, Object.fromEntries(properties.map((p) => [p, style[p]]))];
  })), [LOOKED_AT, PROPERTIES]);
}

function sameLook(expected, got, problems) {
  for (const [sel, props] of Object.entries(expected)) {
    if (!props) continue;
    for (const [p, v] of Object.entries(props)) {
      // A screenshot is a link on the full page only; an image has no use for its colour.
      if (sel === 'figure img' && p === 'color') continue;
      if (got[sel]?.[p] !== v) problems.push(`${sel} ${p} is ${got[sel]?.[p]}, on the full page ${v}`);
    }
  }
}

// Every screenshot loaded, shown undistorted and not as the host styles images; every QR code drawn.
async function looks(page, scope, problems) {
  const seen = await page.$eval(scope, (root) => {
    const style = (e) => getComputedStyle(e);
    const imgs = [...root.querySelectorAll('figure.screenshot img')].map((img) => {
      const r = img.getBoundingClientRect();
      return {
        loaded: img.complete && img.naturalWidth > 0,
        ratio: r.width / r.height,
        natural: Number(img.getAttribute('width')) / Number(img.getAttribute('height')),
        border: style(img).borderTopWidth,
        filter: style(img).filter,
        width: r.width,
      };
    });
    const qrs = [...root.querySelectorAll('[data-qr] svg')].map((svg) => {
      const r = svg.getBoundingClientRect();
      return [r.width, r.height, style(svg).display];
    });
    const step = root.querySelector('.step');
    return {
      imgs,
      qrs,
      step: step && style(step).display,
      align: style(root.querySelector('p') || root).textAlign,
    };
  });
  seen.imgs.forEach((img, i) => {
    if (!img.loaded) problems.push(`screenshot ${i + 1} did not load`);
    else if (Math.abs(img.ratio - img.natural) > 0.02 * img.natural) problems.push(`screenshot ${i + 1} is distorted`);
    if (img.border !== '0px' || img.filter !== 'none') problems.push(`screenshot ${i + 1} takes the host's img style`);
    if (img.width < 100) problems.push(`screenshot ${i + 1} is ${Math.round(img.width)} px wide`);
  });
  seen.qrs.forEach(([w, h, display], i) => {
    if (display === 'none' || w < 60 || h < 60) problems.push(`QR code ${i + 1} is not shown (${display}, ${w}x${h})`);
  });
  if (seen.step === 'none') problems.push('steps are hidden by the host\'s .step rule');
  if (seen.align === 'center') problems.push('text is centred as the host\'s body is');
}

async function main() {
  const [outArg, shotsArg] = process.argv.slice(2);
  if (!outArg || outArg.startsWith('-')) usage();
  const out = path.resolve(outArg);
  const files = htmlFilesUnder(out);
  const fragments = files.filter((f) => f.endsWith('.fragment.html'));
  const singles = files.filter((f) => /\/([^/]+)\/\1-[^/]+\.html$/.test(f) && !f.endsWith('.fragment.html'));
  if (!fragments.length && !singles.length) {
    console.error(`embed: FAIL: ${out} has no fragment and no single file; build with --format html --format fragment --format single`);
    process.exit(1);
  }
  if (shotsArg) mkdirSync(shotsArg, { recursive: true });
  const browser = await launchChromium();
  const alone = mkdtempSync(path.join(os.tmpdir(), 'guidegen-single-'));
  let failed = 0;
  try {
    for (const fragment of fragments) {
      const folder = path.dirname(fragment);
      const lang = path.basename(path.dirname(folder));
      const problems = [];
      const full = await open(browser, path.join(folder, 'index.html'), []);
      const expected = await hooks(full.page, 'main');
      const look = await styles(full.page, 'main');
      await full.context.close();

      const host = path.join(folder, 'hostile-host.html');
      writeFileSync(host, hostPage(readFileSync(fragment, 'utf8'), lang));
      const { context, page } = await open(browser, host, problems);
      const got = await hooks(page, '[data-guidegen-fragment]');
      compare(expected, got, problems);
      sameLook(look, await styles(page, '[data-guidegen-fragment]'), problems);
      await looks(page, '[data-guidegen-fragment]', problems);
      const hostStyle = await page.$eval('#host-before', (p) => [getComputedStyle(p).color, getComputedStyle(p).textAlign]);
      if (hostStyle[0] !== 'rgb(200, 0, 0)' || hostStyle[1] !== 'center') {
        problems.push(`the fragment's styles leak into the host page: its text is ${hostStyle.join(', ')}`);
      }
      if (await page.$('[data-guidegen-fragment] script, [data-guidegen-fragment] link')) {
        problems.push('the fragment has a <script> or <link>');
      }
      await axe(page, problems);
      if (shotsArg) await page.screenshot({ path: path.join(shotsArg, `${path.basename(fragment, '.html')}.png`), fullPage: true });
      await context.close();
      rmSync(host);
      failed += report(path.relative(out, fragment), problems);
    }
    for (const single of singles) {
      const problems = [];
      const folder = path.dirname(single);
      const full = await open(browser, path.join(folder, 'index.html'), []);
      const expected = await hooks(full.page, 'main');
      const look = await styles(full.page, 'main');
      await full.context.close();

      const copy = path.join(alone, path.basename(single));
      copyFileSync(single, copy);
      const { context, page } = await open(browser, copy, problems);
      compare(expected, await hooks(page, 'main'), problems);
      sameLook(look, await styles(page, 'main'), problems);
      await looks(page, 'main', problems);
      const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
      for (const href of links) {
        if (!/^(https?:|mailto:|tel:|#)/.test(href)) problems.push(`link to a file that is not there: ${href}`);
      }
      await axe(page, problems);
      if (shotsArg) await page.screenshot({ path: path.join(shotsArg, `${path.basename(single, '.html')}.single.png`), fullPage: true });
      await context.close();
      rmSync(copy);
      failed += report(path.relative(out, single), problems);
    }
  } finally {
    await browser.close();
    rmSync(alone, { recursive: true, force: true });
  }
  console.log(`embed: ${fragments.length} fragments and ${singles.length} single files checked${failed ? `, ${failed} failed: FAIL` : ''}`);
  process.exit(failed ? 1 : 0);
}

function compare(expected, got, problems) {
  for (const key of Object.keys(expected)) {
    if (JSON.stringify(expected[key]) !== JSON.stringify(got[key])) {
      problems.push(`${key}: the full page has ${JSON.stringify(expected[key])}, this has ${JSON.stringify(got[key])}`);
    }
  }
  if (!expected.steps.length) problems.push('the full page has no steps');
}

function report(name, problems) {
  for (const p of problems) console.log(`FAIL ${name}: ${p}`);
  if (!problems.length) console.log(`ok   ${name}`);
  return problems.length ? 1 : 0;
}

main().catch((error) => {
  console.error(`embed: ${error.stack || error}`);
  process.exit(1);
});
