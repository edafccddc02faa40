// Printing a guide's page gives about what its PDF gives: for every guide page of a built site, the
// page printed by headless Chromium (A4, the browser's print stylesheet) has a page count within 25%
// (and at most 2 pages) of the guide's own PDF, and shows no navigation chrome.
//
//   node tests/browser/print.mjs <output-folder> [--keep DIR]
//
// --keep DIR writes each printed page to DIR/<lang>-<guide>.pdf, to look at (pdftoppm -png -r 60).

import { existsSync, readdirSync, readFileSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './lib/chromium.mjs';

const args = process.argv.slice(2);
const root = args[0];
const keepAt = args.indexOf('--keep');
const keep = keepAt >= 0 ? args[keepAt + 1] : null;
if (!root || !existsSync(root)) {
  console.error('usage: node tests/browser/print.mjs <output-folder> [--keep DIR]');
  process.exit(2);
}

/** The pages of a PDF: its page objects, counted as a PDF reader finds them. */
function pageCount(bytes) {
  const text = bytes.toString('latin1');
  // /Type /Pages nodes carry /Count; the root's is the largest.
  let best = 0;
  for (const m of text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/gs)) {
    best = Math.max(best, Number(m[1] ?? m[2]));
  }
  if (best > 0) return best;
  return [...text.matchAll(/\/Type\s*\/Page\b(?!s)/g)].length;
}

/** Every guide page of the site: output/<lang>/<id>/index.html beside <id>-<lang>.pdf. */
function guides(out) {
  const found = [];
  for (const lang of readdirSync(out)) {
    const langDir = path.join(out, lang);
    if (!statSync(langDir).isDirectory() || lang === 'assets') continue;
    for (const id of readdirSync(langDir)) {
      const dir = path.join(langDir, id);
      const page = path.join(dir, 'index.html');
      const pdf = path.join(dir, `${id}-${lang}.pdf`);
      if (statSync(dir).isDirectory() && existsSync(page) && existsSync(pdf)) {
        found.push({ lang, id, page, pdf });
      }
    }
  }
  return found;
}

const browser = await launchChromium();
const failures = [];
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const guide of guides(root)) {
    await page.goto(pathToFileURL(path.resolve(guide.page)).href, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    // Nothing a reader navigates with is printed.
    const chrome = await page.evaluate(() =>
      ['.site-header', '.breadcrumb', '.language-switch', '.actions', '.skip-link']
        .filter((selector) => [...document.querySelectorAll(selector)].some((e) => e.getClientRects().length > 0)),
    );
    const printed = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    if (keep) {
      mkdirSync(keep, { recursive: true });
      writeFileSync(path.join(keep, `${guide.lang}-${guide.id}.pdf`), printed);
    }
    const html = pageCount(printed);
    const pdf = pageCount(readFileSync(guide.pdf));
    const allowed = Math.max(2, Math.ceil(pdf * 0.25));
    const line = `${guide.lang}/${guide.id}: printed page ${html} pages, PDF ${pdf}`;
    console.log(line);
    if (Math.abs(html - pdf) > allowed) failures.push(`${line}: more than 25% apart`);
    if (chrome.length > 0) failures.push(`${guide.lang}/${guide.id}: prints ${chrome.join(', ')}`);
  }
} finally {
  await browser.close();
}
if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
