#!/usr/bin/env node
// The API reference: TypeDoc (with typedoc-plugin-markdown) over the `src/index.ts` of every
// public package found under packages/, one page per package (docs/api/<folder>.md, its namespaces under docs/api/<folder>/), grouped by
// package in the sidebar, with the Keras name beside neurona's where they differ (see
// keras-names.mjs). A new package, or a new export with a TSDoc comment, shows up by itself.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, Converter, ReflectionKind } from 'typedoc';
import { kerasNames } from './keras-names.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'docs', 'api');

/** Public packages: `{ folder, name, description }`, sorted with `neurona` first. */
export function apiPackages() {
  return readdirSync(join(ROOT, 'packages'))
    .filter((f) => existsSync(join(ROOT, 'packages', f, 'package.json')) && existsSync(join(ROOT, 'packages', f, 'src', 'index.ts')))
    .map((folder) => ({ folder, ...JSON.parse(readFileSync(join(ROOT, 'packages', folder, 'package.json'), 'utf8')) }))
    .filter((p) => !p.private)
    .map((p) => ({ folder: p.folder, name: p.name, description: p.description ?? '' }))
    .toSorted((a, b) => (a.name === 'neurona' ? -1 : b.name === 'neurona' ? 1 : a.name.localeCompare(b.name)));
}

function tsconfig(dir) {
  const file = join(dir, 'tsconfig.json');
  writeFileSync(
    file,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.base.json'),
      compilerOptions: { noEmit: true },
      include: apiPackages().map((p) => join(ROOT, 'packages', p.folder, 'src', '**', '*.ts')),
    }),
  );
  return file;
}

/** Run TypeDoc into `docs/api/`; returns the pages written. */
export async function buildApi() {
  const pkgs = apiPackages();
  const work = join(ROOT, 'docs', '.vitepress', 'cache', 'typedoc');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const app = await Application.bootstrapWithPlugins({
    entryPointStrategy: 'resolve',
    // `neurona` last: a symbol it re-exports is then documented (and linked to) in its own package
    entryPoints: [...pkgs.filter((p) => p.name !== 'neurona'), ...pkgs.filter((p) => p.name === 'neurona')].map((p) =>
      join(ROOT, 'packages', p.folder, 'src', 'index.ts'),
    ),
    tsconfig: tsconfig(work),
    plugin: ['typedoc-plugin-markdown'],
    out: join(work, 'out'),
    readme: 'none',
    excludeInternal: true,
    excludePrivate: true,
    skipErrorChecking: true,
    outputFileStrategy: 'modules',
    entryFileName: 'index',
    hidePageHeader: true,
    hideBreadcrumbs: true,
    useCodeBlocks: true,
    expandObjects: false,
    parametersFormat: 'table',
    interfacePropertiesFormat: 'table',
    classPropertiesFormat: 'table',
    typeDeclarationFormat: 'table',
    sanitizeComments: true,
    logLevel: 'Warn',
    // unexported helper types a signature mentions are listed, not errors
    validation: { notExported: false, invalidLink: false },
  });
  // modules are named after their folder (`models`), so each page is docs/api/<folder>.md
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.getChildrenByKind(ReflectionKind.Module)) mod.name = mod.name.replace(/\/src$/, '');
  });
  const project = await app.convert();
  if (!project) throw new Error('TypeDoc could not convert the packages (see the messages above)');
  await app.generateOutputs(project);
  const names = await kerasNames(pkgs);
  rmSync(OUT, { recursive: true, force: true });
  // TypeDoc's own layout, links and all: api/<folder>.md, namespaces under api/<folder>/
  cpSync(join(work, 'out'), OUT, { recursive: true });
  rmSync(join(OUT, 'index.md'), { force: true });
  const written = [];
  for (const p of pkgs) {
    const file = join(OUT, `${p.folder}.md`);
    if (existsSync(join(OUT, p.folder, 'index.md'))) hoist(p.folder);
    if (!existsSync(file)) throw new Error(`TypeDoc wrote no page for ${p.name}`);
    writeFileSync(file, decorate(readFileSync(file, 'utf8'), p, names.get(p.name) ?? new Map()));
    written.push(file);
  }
  shortenUmbrella(pkgs);
  relinkHoisted(pkgs.map((p) => p.folder));
  writeFileSync(join(OUT, 'index.md'), indexPage(pkgs));
  return written;
}

/**
 * A package with namespaces gets `api/<folder>/index.md` from TypeDoc; every package page is
 * `api/<folder>.md` here (one URL shape), so move it up a level and fix its relative links.
 */
function hoist(folder) {
  const md = readFileSync(join(OUT, folder, 'index.md'), 'utf8').replace(/\]\((?![a-z]+:|#|\/)([^)]+)\)/g, (m, href) =>
    href.startsWith('../') ? `](${href.slice(3)})` : `](${folder}/${href})`,
  );
  writeFileSync(join(OUT, `${folder}.md`), md);
  rmSync(join(OUT, folder, 'index.md'));
}

/** Every markdown file under `dir`. */
function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

/** Links anywhere to `api/<folder>/index.md` (hoisted to `api/<folder>.md`) follow it. */
function relinkHoisted(folders) {
  const moved = new Map(folders.map((f) => [join(OUT, f, 'index.md'), join(OUT, `${f}.md`)]));
  for (const file of markdownFiles(OUT)) {
    const md = readFileSync(file, 'utf8');
    const next = md.replace(/\]\((?![a-z]+:|#|\/)([^)#]+)(#[^)]*)?\)/g, (m, href, hash) => {
      const to = moved.get(resolve(dirname(file), href));
      return to ? `](${relative(dirname(file), to)}${hash ?? ''})` : m;
    });
    if (next !== md) writeFileSync(file, next);
  }
}

/**
 * `neurona` re-exports each package whole as a namespace (`neurona.tensor` is `@neurona/tensor`):
 * those namespace pages point at the package's own page instead of repeating it.
 */
function shortenUmbrella(pkgs) {
  const src = readFileSync(join(ROOT, 'packages', 'neurona', 'src', 'index.ts'), 'utf8') + readFileSync(join(ROOT, 'packages', 'neurona', 'src', 'common.ts'), 'utf8');
  for (const [, ns, name] of src.matchAll(/export \* as (\w+) from '([^']+)'/g)) {
    const pkg = pkgs.find((p) => p.name === name);
    const file = join(OUT, 'neurona', 'namespaces', `${ns}.md`);
    if (!pkg || !existsSync(file)) continue;
    rmSync(join(OUT, 'neurona', 'namespaces', ns), { recursive: true, force: true });
    writeFileSync(file, `# neurona.${ns}\n\n\`neurona.${ns}\` is the whole of \`${name}\`: see [its page](../../${pkg.folder}.md).\n`);
  }
}

/** The page of one package: its name and description on top, Keras names beside the headings. */
export function decorate(md, pkg, keras) {
  let out = md.replace(/^# .*\n/, '');
  // `## Functions`, `### categoricalCrossentropy()`: add the Keras name where it differs
  out = out.replace(/^(#{2,4}) (`?)([A-Za-z_$][\w$]*)(\(\))?\2$/gm, (line, hashes, tick, name) => {
    const k = keras.get(name);
    return k ? `${line}\n\n<span class="keras-name">Keras: <code>${k}</code></span>` : line;
  });
  const table = keras.size
    ? `\n## Keras names\n\nWhere neurona's name differs from Keras's:\n\n| neurona | Keras |\n|---|---|\n${[...keras].map(([n, k]) => `| \`${n}\` | \`${k}\` |`).join('\n')}\n`
    : '';
  return `---\ntitle: '${pkg.name}'\norder: ${pkg.name === 'neurona' ? 0 : 1}\n---\n\n# ${pkg.name}\n\n${pkg.description}\n\n\`\`\`sh\nnpm i ${pkg.name}\n\`\`\`\n${table}\n${out}`;
}

function indexPage(pkgs) {
  return `---\ntitle: 'Packages'\n---\n\n# API reference\n\nGenerated from the TSDoc comments of every public package, one page each. The Keras name is\ngiven beside neurona's where they differ (Keras writes \`categorical_crossentropy\`, neurona\n\`categoricalCrossentropy\`).\n\n| package | what it holds |\n|---|---|\n${pkgs.map((p) => `| [${p.name}](./${p.folder}.md) | ${p.description.replace(/\|/g, '\\|')} |`).join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = Date.now();
  const pages = await buildApi();
  console.log(`docs/api: ${pages.length} package pages in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
