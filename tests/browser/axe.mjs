// Accessibility and self-containment check of a built guidegen site.
//
//   node tests/browser/axe.mjs <output-dir>
//
// Opens every .html file under <output-dir> from file:// in headless Chromium,
// at a phone and a desktop viewport, and fails (exit 1) when any page
//   - has an axe-core violation of WCAG 2.0/2.1 level A or AA,
//   - makes a request that is not file:, data: or blob: (nothing may come from the network),
//   - fails to load one of its own files (a missing stylesheet, image, script ...),
//   - logs a console error or throws an uncaught exception,
//   - links (<a href>) to a local file that does not exist, or to a folder
//     (file:// shows a folder as a listing, not its index.html),
//   - links to an in-page #fragment that no element has as its id,
//   - sends the reader on (a meta refresh: an alias's page) to a local file that does not exist —
//     the page itself is checked, the navigation stopped,
//   - (a guide with platform variants) is checked a second time with a platform chosen for every
//     device through the address (?computer=windows&phone=ios: the first platform each control
//     offers), so that the page is checked with the choice made and not made,
//   - shows a screenshot whose callouts' SVG does not lie exactly on the image (so that callouts
//     point where the author put them at every width), whose proportions are distorted, or (a tall
//     one, a phone's) that is taller than 60% of the window.
// It also fails when <output-dir> holds no .html file at all.

import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchChromium } from './lib/chromium.mjs';
import { htmlFilesUnder } from './lib/files.mjs';

const VIEWPORTS = [
  { width: 360, height: 800 },
  { width: 1280, height: 900 },
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LOCAL_SCHEMES = new Set(['file:', 'data:', 'blob:', 'about:']);

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

function usage(message) {
  if (message) console.error(`axe: ${message}`);
  console.error('usage: node tests/browser/axe.mjs <output-dir>');
  process.exit(2);
}

// Problems found by the page's own (non-axe) checks, one string each.
async function checkPage(browser, file, viewport, root, query = '') {
  const problems = [];
  const url = pathToFileURL(file).href + query;
  const context = await browser.newContext({ viewport, serviceWorkers: 'block' });
  const page = await context.newPage();

  const refreshes = /<meta\s+http-equiv="refresh"/i.test(readFileSync(file, 'utf8'));
  // URLs already reported as a failed request: Chromium's own console error about them is noise.
  const reported = new Set();
  await context.route('**/*', (route) => {
    const request = route.request();
    const requestUrl = request.url();
    // A page that sends the reader on (an alias's meta refresh): this page is the one checked, and
    // where it leads must exist.
    if (refreshes && request.isNavigationRequest() && request.frame() === page.mainFrame() && requestUrl !== url) {
      reported.add(requestUrl);
      const target = new URL(requestUrl);
      if (target.protocol !== 'file:') {
        problems.push(`sends the reader off the site: ${requestUrl}`);
      } else {
        try {
          if (!statSync(fileURLToPath(target)).isFile()) problems.push(`sends the reader to a folder: ${requestUrl}`);
        } catch {
          problems.push(`sends the reader to a missing file: ${path.relative(root, fileURLToPath(target))}`);
        }
      }
      return route.abort('aborted');
    }
    if (LOCAL_SCHEMES.has(new URL(requestUrl).protocol)) return route.continue();
    reported.add(requestUrl);
    problems.push(`network request (blocked): ${route.request().method()} ${requestUrl}`);
    return route.abort('blockedbyclient');
  });
  page.on('websocket', (ws) => problems.push(`network request (websocket): ${ws.url()}`));
  page.on('requestfailed', (request) => {
    const requestUrl = request.url();
    if (new URL(requestUrl).protocol !== 'file:' || reported.has(requestUrl)) return;
    reported.add(requestUrl);
    const shown = path.relative(root, fileURLToPath(requestUrl)) || requestUrl;
    problems.push(`local file failed to load: ${shown} (${request.failure()?.errorText ?? 'failed'})`);
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const source = msg.location()?.url;
    if (source && reported.has(source) && msg.text().startsWith('Failed to load resource')) return;
    problems.push(`console error: ${msg.text()}${source ? ` [${source}]` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));

  let violations = [];
  let choice = '';
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 30_000 });

    // Links: local targets must be existing files; in-page fragments must exist.
    const links = await page.$$eval('a[href]', (anchors) =>
      anchors.map((a) => ({ href: a.href, raw: a.getAttribute('href') })),
    );
    for (const { href, raw } of links) {
      let target;
      try {
        target = new URL(href);
      } catch {
        problems.push(`link with an invalid URL: href="${raw}"`);
        continue;
      }
      if (target.protocol !== 'file:') continue; // https:, mailto:, tel: ... are fine to link to
      const targetPath = fileURLToPath(target);
      const samePage = targetPath === file;
      if (!samePage) {
        let stat;
        try {
          stat = statSync(targetPath);
        } catch {
          problems.push(`broken link: href="${raw}" (no such file)`);
          continue;
        }
        if (stat.isDirectory()) {
          problems.push(
            `link to a folder: href="${raw}" (from file:// that shows a folder listing; link to its index.html)`,
          );
          continue;
        }
      }
      if (samePage && target.hash.length > 1) {
        const id = decodeURIComponent(target.hash.slice(1));
        const exists = await page.evaluate((i) => document.getElementById(i) !== null, id);
        if (!exists) problems.push(`link to a missing fragment: href="${raw}" (no element with id="${id}")`);
      }
    }

    // Screenshots: the callouts' SVG covers exactly the image, in the image's pixels.
    const shots = await page.$$eval('figure.screenshot', (figures) =>
      figures.map((figure) => {
        const img = figure.querySelector('img');
        const svg = figure.querySelector('svg.shot-callouts');
        const r = img.getBoundingClientRect();
        const out = {
          src: img.getAttribute('src'),
          tall: figure.classList.contains('screenshot-tall'),
          img: [r.left, r.top, r.width, r.height],
          natural: [img.naturalWidth, img.naturalHeight],
          size: [Number(img.getAttribute('width')), Number(img.getAttribute('height'))],
        };
        if (svg) {
          const s = svg.getBoundingClientRect();
          out.svg = [s.left, s.top, s.width, s.height];
          out.viewBox = svg.getAttribute('viewBox');
        }
        return out;
      }),
    );
    for (const shot of shots) {
      const [, , w, h] = shot.img;
      if (!shot.natural[0]) {
        problems.push(`screenshot ${shot.src} did not load`);
        continue;
      }
      if (w > 0 && Math.abs(w / h - shot.size[0] / shot.size[1]) > 0.02 * (shot.size[0] / shot.size[1])) {
        problems.push(`screenshot ${shot.src} is distorted: shown ${w}x${h}, is ${shot.size[0]}x${shot.size[1]}`);
      }
      if (shot.tall && h > 0.6 * viewport.height + 1) {
        problems.push(`tall screenshot ${shot.src} is ${Math.round(h)} px tall in a ${viewport.height} px window`);
      }
      if (shot.svg) {
        if (shot.viewBox !== `0 0 ${shot.size[0]} ${shot.size[1]}`) {
          problems.push(`callouts of ${shot.src}: viewBox "${shot.viewBox}" is not the image's ${shot.size.join('x')} pixels`);
        }
        if (shot.svg.some((v, i) => Math.abs(v - shot.img[i]) > 1)) {
          problems.push(`callouts of ${shot.src} lie at ${shot.svg.map(Math.round)}, the image at ${shot.img.map(Math.round)}`);
        }
      }
    }

    await page.addScriptTag({ path: AXE_PATH });
    // preload: false: axe would otherwise fetch the stylesheets with XMLHttpRequest, which
    // Chromium refuses from file:// (a CORS error in the console); it reads the DOM's styles anyway.
    const results = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, preload: false }),
      AXE_TAGS,
    );
    violations = results.violations;
    // A page with variants: the address that chooses each device's first platform, for a second run.
    choice = await page.$$eval('select[data-platform-choice]', (selects) => {
      const params = new URLSearchParams();
      for (const s of selects) {
        const first = Array.from(s.options).find((o) => o.value);
        if (first) params.set(s.getAttribute('data-platform-choice'), first.value);
      }
      return params.toString();
    });
  } catch (error) {
    problems.push(`could not check the page: ${error.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
  return { problems, violations, choice };
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

  // A fragment (--format fragment) is no page of its own: embed.mjs checks it inside a host page.
  const files = htmlFilesUnder(root).filter((f) => !f.endsWith('.fragment.html'));
  if (files.length === 0) {
    console.error(`axe: FAIL: no .html file under ${args[0]}`);
    process.exit(1);
  }
  console.log(`axe: checking ${files.length} pages at ${VIEWPORTS.map((v) => `${v.width}x${v.height}`).join(' and ')}`);

  const browser = await launchChromium();
  let violationCount = 0;
  let problemCount = 0;
  const badPages = new Set();
  try {
    for (const file of files) {
      const rel = path.relative(root, file);
      for (const viewport of VIEWPORTS) {
        const first = await checkPage(browser, file, viewport, root);
        const runs = [{ query: '', ...first }];
        if (first.choice) {
          const query = `?${first.choice}`;
          runs.push({ query, ...(await checkPage(browser, file, viewport, root, query)) });
        }
        for (const { query, problems, violations } of runs) {
          const where = `${rel}${query} @ ${viewport.width}x${viewport.height}`;
          for (const problem of problems) {
            console.log(`FAIL ${where}: ${problem}`);
          }
          for (const v of violations) {
            console.log(`FAIL ${where}: axe ${v.id} (${v.impact}): ${v.help}`);
            console.log(`     ${v.helpUrl}`);
            for (const node of v.nodes) {
              console.log(`     - ${node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(', ')}`);
              if (node.failureSummary) {
                for (const line of node.failureSummary.split('\n')) console.log(`         ${line}`);
              }
            }
          }
          problemCount += problems.length;
          violationCount += violations.length;
          if (problems.length || violations.length) badPages.add(rel);
          if (!problems.length && !violations.length) console.log(`ok   ${where}`);
        }
      }
    }
  } finally {
    await browser.close();
  }

  const summary =
    `axe: ${files.length} pages checked, ${violationCount} violations` +
    (problemCount ? `, ${problemCount} other problems` : '');
  if (violationCount || problemCount) {
    console.log(`${summary} (on ${badPages.size} pages): FAIL`);
    process.exit(1);
  }
  console.log(summary);
}

main().catch((error) => {
  console.error(`axe: ${error.stack || error}`);
  process.exit(1);
});
