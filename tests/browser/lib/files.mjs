// The HTML files of a built site, for the browser checks.

import { readdirSync } from 'node:fs';
import path from 'node:path';

// Every .html file below `dir`, sorted, so that every run checks pages in the same order.
export function htmlFilesUnder(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && /\.html?$/i.test(entry.name)) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}
