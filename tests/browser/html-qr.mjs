// The QR codes of a built guidegen site, as a reader's phone would see them.
//
//   node tests/browser/html-qr.mjs <output-dir>
//
// For every element with data-qr="<url>" in every .html file under <output-dir>: the element must hold
// an <svg>, and a screenshot of it as Chromium renders the page (at 1280x900) must decode, with
// zbarimg, to exactly <url>. Fails (exit 1) on any mismatch, or when there is no .html file. Pages
// that send the reader on at once (meta refresh: an alias's page) are skipped.
// A site without any QR code passes (with a note): pdf-qr.sh compares the PDFs' codes with the pages'.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './lib/chromium.mjs';
import { htmlFilesUnder } from './lib/files.mjs';

const VIEWPORT = { width: 1280, height: 900 };

function usage(message) {
  if (message) console.error(`html-qr: ${message}`);
  console.error('usage: node tests/browser/html-qr.mjs <output-dir>');
  process.exit(2);
}

// The payloads of the QR codes zbarimg finds in a PNG, one per code.
function decode(png) {
  try {
    // stderr is piped away: zbarimg complains there when it finds no D-Bus, which is harmless.
    const out = execFileSync('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', png], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.split('\n').filter((line) => line !== '');
  } catch (error) {
    if (error.status === 4) return []; // zbarimg: no code found
    throw new Error(`zbarimg failed on ${png}: ${error.stderr || error.message}`);
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0].startsWith('-')) usage();
  const root = path.resolve(args[0]);
  try {
    if (!statSync(root).isDirectory()) usage(`${args[0]} is not a directory`);
  } catch {
    usage(`${args[0]} does not exist`);
  }
  const files = htmlFilesUnder(root);
  if (files.length === 0) {
    console.error(`html-qr: FAIL: no .html file under ${args[0]}`);
    process.exit(1);
  }

  const work = mkdtempSync(path.join(tmpdir(), 'html-qr-'));
  const browser = await launchChromium();
  let codes = 0;
  let pagesWithCodes = 0;
  const failures = [];
  try {
    // deviceScaleFactor 2: crisp modules, as on a phone or a retina screen.
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 2 });
    await context.route('**/*', (route) =>
      /^(file|data|blob|about):/.test(route.request().url()) ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    for (const file of files) {
      const rel = path.relative(root, file);
      // A page that sends the reader on (an alias's) shows no code, and would leave while read.
      if (/<meta\s+http-equiv="refresh"/i.test(readFileSync(file, 'utf8'))) continue;
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 30_000 });
      const elements = await page.$$('[data-qr]');
      if (elements.length) pagesWithCodes++;
      for (const [i, element] of elements.entries()) {
        codes++;
        const expected = await element.getAttribute('data-qr');
        const where = `${rel}: QR code #${i + 1} (data-qr="${expected}")`;
        if (!(await element.$('svg'))) {
          failures.push(`${where}: holds no <svg>`);
          continue;
        }
        if (!(await element.isVisible())) {
          failures.push(`${where}: not visible at ${VIEWPORT.width}x${VIEWPORT.height}`);
          continue;
        }
        const png = path.join(work, `qr-${codes}.png`);
        await element.scrollIntoViewIfNeeded();
        await element.screenshot({ path: png });
        const decoded = decode(png);
        if (decoded.length === 0) {
          failures.push(`${where}: no QR code could be decoded from it as rendered (too small? no quiet zone?)`);
        } else if (decoded.length > 1) {
          failures.push(`${where}: decodes to ${decoded.length} codes: ${decoded.join(' | ')}`);
        } else if (decoded[0] !== expected) {
          failures.push(`${where}: decodes to "${decoded[0]}"`);
        } else {
          console.log(`ok   ${rel}: ${expected}`);
        }
      }
    }
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true });
  }

  for (const failure of failures) console.log(`FAIL ${failure}`);
  if (failures.length) {
    console.log(`html-qr: ${files.length} pages, ${codes} QR codes, ${failures.length} failed: FAIL`);
    process.exit(1);
  }
  if (codes === 0) console.log('html-qr: note: no element with data-qr on any page');
  console.log(`html-qr: ${files.length} pages (${pagesWithCodes} with QR codes), ${codes} QR codes decoded, all match`);
}

main().catch((error) => {
  console.error(`html-qr: ${error.stack || error}`);
  process.exit(1);
});
