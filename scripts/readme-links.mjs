#!/usr/bin/env node
// Puts (or updates) the "API reference" line under each public package README's title, linking
// to the package's page on the site (scripts/site.mjs).
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITE_URL, apiPath } from './site.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LINE = /^API reference: .*$/m;
for (const folder of readdirSync(join(ROOT, 'packages'))) {
  const manifest = join(ROOT, 'packages', folder, 'package.json');
  const readme = join(ROOT, 'packages', folder, 'README.md');
  if (!existsSync(manifest) || JSON.parse(readFileSync(manifest, 'utf8')).private || !existsSync(readme)) continue;
  const line = `API reference: [${SITE_URL}${apiPath(folder)}](${SITE_URL}${apiPath(folder)})`;
  let text = readFileSync(readme, 'utf8');
  if (LINE.test(text)) text = text.replace(LINE, line);
  else text = text.replace(/^(# .*\n)/, `$1\n${line}\n`);
  writeFileSync(readme, text);
}
