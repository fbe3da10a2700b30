// What the tested-docs suite reads from the guides: fenced TypeScript blocks (with how each is
// checked) and `<<< @/...` code includes. A block is run in Node unless the line before its
// fence says otherwise: `<!-- docs-test: browser -->` (type-checked against the browser build
// only) or `<!-- docs-test: schematic ... -->` (elided bodies: shown, not compiled).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DOCS = join(ROOT, 'docs');
/** The guides: every page whose code must work. Internals notes and the API are not guides. */
export const GUIDE_DIRS = ['guide', 'contributing', 'es/guide', 'es/contributing'];

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));
}

/** Every guide page, as paths relative to docs/. */
export function guidePages() {
  return GUIDE_DIRS.flatMap((d) => walk(join(DOCS, d))).map((f) => relative(DOCS, f)).toSorted();
}

/** Every page of the site's sources (generated API pages excluded), relative to docs/. */
export function sitePages() {
  return walk(DOCS)
    .map((f) => relative(DOCS, f))
    .filter((f) => !f.startsWith('api/') && !f.startsWith('.vitepress/') && !f.startsWith('snippets/') && !f.startsWith('public/'))
    .toSorted();
}

/**
 * The TypeScript blocks and includes of one page: `{ blocks: [{ line, code, mode }], includes:
 * [{ line, path }] }` (`path` relative to docs/, as `@/` means).
 */
export function readPage(page) {
  const lines = readFileSync(join(DOCS, page), 'utf8').split('\n');
  const blocks = [];
  const includes = [];
  for (let i = 0; i < lines.length; i++) {
    const inc = /^\s*<<<\s+@\/(\S+?)(?:\{[^}]*\})?(?:#[\w-]+)?\s*$/.exec(lines[i]);
    if (inc) {
      includes.push({ line: i + 1, path: inc[1] });
      continue;
    }
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript)\b/.exec(lines[i]);
    if (!open) {
      const other = /^(\s*)(`{3,}|~{3,})/.exec(lines[i]);
      if (other) {
        // skip a non-TypeScript block whole
        const close = other[2];
        for (i++; i < lines.length && !lines[i].trim().startsWith(close); i++);
      }
      continue;
    }
    const [, indent, fence] = open;
    const marker = /<!--\s*docs-test:\s*(\w+)/.exec(lines[i - 1] ?? '')?.[1];
    const mode = marker === 'browser' ? 'browser' : marker === 'schematic' ? 'schematic' : 'run';
    const start = i + 1;
    const body = [];
    for (i++; i < lines.length && !lines[i].trim().startsWith(fence); i++) body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i]);
    blocks.push({ line: start, code: body.join('\n'), mode });
  }
  return { blocks, includes };
}
