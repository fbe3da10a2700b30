// Tested docs: every TypeScript block of the guides and every program they include is
// type-checked, and run in Node unless it is browser code (then type-checked against neurona's
// browser build) or marked schematic; the READMEs' quick starts too. Internal links of the site's
// pages must lead somewhere. The site's own build is test/docs-site.test.ts.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DOCS, ROOT, guidePages, readPage, sitePages } from '../scripts/docs/blocks.mjs';
import { publicPackages } from '../scripts/check-publish.mjs';

const SNIPPETS = join(DOCS, 'snippets');
const WORK = join(DOCS, '.vitepress', 'cache', 'tested');
const cwd = process.cwd();

interface Program {
  /** What the report calls it: `guide/backends.md:12` or `snippets/backends.ts`. */
  name: string;
  file: string;
  browser: boolean;
}

/** Inline blocks written out as modules under WORK, plus the snippet files, plus README quick starts. */
function collectPrograms(): Program[] {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const out: Program[] = [];
  for (const page of guidePages()) {
    for (const b of readPage(page).blocks) {
      if (b.mode === 'schematic') continue;
      const file = join(WORK, `${page.replace(/[/.]/g, '_')}_${b.line}${b.mode === 'browser' ? '.browser' : ''}.ts`);
      // `export {}`: a block with no import is still a module (top-level await works)
      writeFileSync(file, `${b.code}\nexport {};\n`);
      out.push({ name: `${page}:${b.line}`, file, browser: b.mode === 'browser' });
    }
  }
  for (const f of readdirSync(SNIPPETS).filter((n) => n.endsWith('.ts')).toSorted()) {
    out.push({ name: `snippets/${f}`, file: join(SNIPPETS, f), browser: f.endsWith('.browser.ts') });
  }
  for (const { name, dir } of publicPackages()) {
    const quick = /## Quick start\n\n```sh\n.*\n```\n\n```ts\n([\s\S]*?)\n```/.exec(readFileSync(join(dir, 'README.md'), 'utf8'));
    if (!quick) continue;
    const browser = /useWebBackend|\/vite'/.test(quick[1]);
    const file = join(WORK, `readme_${basename(dir)}${browser ? '.browser' : ''}.ts`);
    writeFileSync(file, `${quick[1]}\nexport {};\n`);
    out.push({ name: `${name} README`, file, browser });
  }
  return out;
}

const all = collectPrograms();

function tsconfig(name: string, files: string[], browser: boolean): string {
  const file = join(WORK, `tsconfig.${name}.json`);
  const compilerOptions = browser
    ? { noEmit: true, customConditions: ['browser'], types: [], lib: ['ES2023', 'DOM'] }
    : { noEmit: true, types: ['node'], lib: ['ES2023', 'DOM'] };
  // Vite's `?url` asset imports, for the browser programs
  const extra = browser ? [join(ROOT, 'packages', 'backend-web', 'src', 'url-imports.d.ts')] : [];
  writeFileSync(file, JSON.stringify({ extends: join(ROOT, 'tsconfig.base.json'), compilerOptions, files: [...files, ...extra] }));
  return file;
}

async function typecheck(project: string): Promise<string> {
  try {
    await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: ROOT, maxBuffer: 16 << 20 });
    return '';
  } catch (err) {
    return `${(err as { stdout?: string }).stdout ?? ''}${(err as Error).message}`;
  }
}

afterAll(() => process.chdir(cwd));

describe('the guides’ code', () => {
  it('can import every public package: each is a root devDependency', () => {
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    for (const { name } of publicPackages()) {
      expect(root.devDependencies[name], `add "${name}": "workspace:*" to the root package.json's devDependencies, so the guides can import it`).toBe('workspace:*');
    }
  });

  it('finds the programs, and every program is shown in both languages', () => {
    expect(all.filter((p) => p.name.startsWith('snippets/')).length).toBeGreaterThanOrEqual(10);
    const includes = guidePages().flatMap((page) => readPage(page).includes.map((inc) => ({ page, ...inc })));
    for (const inc of includes) {
      const included = join(DOCS, inc.path);
      // generated at build time from a program's run: the program must exist
      if (inc.path.startsWith('public/plots/')) {
        expect(existsSync(join(SNIPPETS, basename(inc.path).replace(/\.txt$/, '.ts'))), `${inc.page}:${inc.line} ${inc.path}`).toBe(true);
      } else expect(existsSync(included), `${inc.page}:${inc.line} includes ${inc.path}, which does not exist`).toBe(true);
    }
    for (const f of readdirSync(SNIPPETS)) {
      const by = includes.filter((inc) => inc.path === `snippets/${f}`).map((inc) => (inc.page.startsWith('es/') ? 'es' : 'en'));
      expect(new Set(by), `snippets/${f}: shown by an English and a Spanish page`).toEqual(new Set(['en', 'es']));
    }
  });

  it('type-checks, in Node and (browser code) against neurona’s browser build', async () => {
    const node = await typecheck(tsconfig('node', all.filter((p) => !p.browser).map((p) => p.file), false));
    expect(node, node).toBe('');
    const browser = await typecheck(tsconfig('browser', all.filter((p) => p.browser).map((p) => p.file), true));
    expect(browser, browser).toBe('');
  }, 180_000);

  for (const p of all.filter((q) => !q.browser)) {
    it(`runs ${p.name}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'neurona-docs-'));
      const printed: string[] = [];
      const keep = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
      const spies = [vi.spyOn(console, 'log').mockImplementation(keep), vi.spyOn(console, 'warn').mockImplementation(keep), vi.spyOn(console, 'info').mockImplementation(keep)];
      const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (printed.push(String(chunk)), true));
      process.chdir(dir);
      try {
        await import(pathToFileURL(p.file).href);
      } catch (err) {
        throw new Error(`${p.name} failed: ${(err as Error).stack}\nit printed:\n${printed.join('\n').slice(-3000)}`, { cause: err });
      } finally {
        process.chdir(cwd);
        for (const s of spies) s.mockRestore();
        write.mockRestore();
        rmSync(dir, { recursive: true, force: true });
      }
      // a value printed as NaN, or an error a program caught and printed, is a failure too
      expect(printed.join('')).not.toMatch(/: NaN\b|\bError: /);
    }, 120_000);
  }
});

/** VitePress's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

function anchors(file: string): Set<string> {
  const md = readFileSync(file, 'utf8');
  return new Set([...md.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
}

/** Where a link from `page` leads: a source file, or null. API pages and plots are generated. */
function target(page: string, href: string): { file: string | null; generated: boolean } {
  const path = href.startsWith('/') ? join(DOCS, href) : resolve(DOCS, dirname(page), href);
  const rel = relative(DOCS, path);
  if (rel.startsWith('api/') || rel === 'api') {
    const folder = rel.replace(/^api\/?/, '').replace(/\.md$/, '').split('/')[0];
    const ok = folder === '' || folder === 'index' || publicPackages().some((p) => basename(p.dir) === folder);
    return { file: ok ? path : null, generated: true };
  }
  if (rel.startsWith('plots/')) {
    const name = basename(rel).replace(/\.svg$/, '');
    const programs = readdirSync(SNIPPETS).map((f) => readFileSync(join(SNIPPETS, f), 'utf8').match(/writeFileSync\('([\w-]+)\.(json|svg)'/g) ?? [] as string[]);
    const made = readdirSync(SNIPPETS).flatMap((f, i) =>
      (programs[i] as string[]).map((w) => {
        const [, n, ext] = /'([\w-]+)\.(json|svg)'/.exec(w) as RegExpExecArray;
        return ext === 'json' ? n : `${f.replace(/\.ts$/, '')}-${n}`;
      }),
    );
    return { file: made.includes(name) ? path : null, generated: true };
  }
  for (const f of [path, `${path}.md`, join(path, 'index.md'), path.replace(/\.html$/, '.md')]) if (existsSync(f) && !f.endsWith('/')) return { file: f, generated: false };
  if (existsSync(path)) return { file: path, generated: false };
  return { file: null, generated: false };
}

describe('the site’s links', () => {
  for (const page of sitePages()) {
    it(`${page}: every internal link leads somewhere`, () => {
      const md = readFileSync(join(DOCS, page), 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
      const links = [...md.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
      const frontLinks = [...md.matchAll(/^\s+link: (\S+)$/gm)].map((m) => m[1]);
      for (const href of [...links, ...frontLinks]) {
        if (/^[a-z]+:/i.test(href)) continue;
        const [path, hash] = href.split('#');
        if (!path) {
          expect(anchors(join(DOCS, page)).has(hash), `${page}: no heading for #${hash}`).toBe(true);
          continue;
        }
        const t = target(page, path);
        expect(t.file, `${page}: link ${href} leads nowhere`).not.toBeNull();
        if (hash && t.file && !t.generated && t.file.endsWith('.md')) expect(anchors(t.file).has(hash), `${page}: ${href}: no heading for #${hash}`).toBe(true);
        // a link that leaves docs/ goes to the repository: it must name a file there
        if (t.file && !t.file.startsWith(DOCS)) expect(t.file.startsWith(ROOT), `${page}: ${href} leaves the repository`).toBe(true);
      }
    });
  }
});
