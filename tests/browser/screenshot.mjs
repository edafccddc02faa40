// Dev helper: a screenshot of a page, to look at what guidegen made.
//
//   node tests/browser/screenshot.mjs <file-or-url> <out.png> [width] [fullPage]
//
//   <file-or-url>  a path (an .html file, or a folder: its index.html) or a file:/http(s): URL
//   width          viewport width in CSS pixels, default 1280 (try 360 for a phone)
//   fullPage       true (default): the whole page; false: only the first screenful (width x 900)
//
// Example: node tests/browser/screenshot.mjs output/en/index.html /tmp/en.png 360

import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './lib/chromium.mjs';

function usage(message) {
  if (message) console.error(`screenshot: ${message}`);
  console.error('usage: node tests/browser/screenshot.mjs <file-or-url> <out.png> [width] [fullPage]');
  process.exit(2);
}

function toUrl(target) {
  if (/^(file|https?|data):/i.test(target)) return target;
  if (!existsSync(target)) usage(`${target} does not exist`);
  let file = path.resolve(target);
  if (statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!existsSync(file)) usage(`${file} does not exist`);
  return pathToFileURL(file).href;
}

function parseBool(value) {
  if (value === undefined) return true;
  if (/^(true|1|yes|full)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  return usage(`fullPage must be true or false, not '${value}'`);
}

const [target, out, widthArg, fullPageArg, ...rest] = process.argv.slice(2);
if (!target || !out || rest.length) usage();
const width = widthArg === undefined ? 1280 : Number(widthArg);
if (!Number.isInteger(width) || width < 100 || width > 10000) usage(`bad width '${widthArg}'`);
const fullPage = parseBool(fullPageArg);
const url = toUrl(target);

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error(`screenshot: console error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => console.error(`screenshot: uncaught exception: ${error.message}`));
  await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
  await page.screenshot({ path: out, fullPage });
  console.log(`screenshot: ${url} at width ${width}${fullPage ? ', full page' : ''} -> ${out}`);
} finally {
  await browser.close();
}
