#!/usr/bin/env node
// The site's plots, from real runs: each program in docs/snippets/ that writes a chart (a
// `*.json` of `{ title, x, y, logY, series }` in its working folder) or an SVG picture is run
// here, at build time: charts are drawn as docs/public/plots/<name>.svg, pictures copied as
// docs/public/plots/<program>-<name>.svg, and the program's printout kept beside them. The
// guides show the programs and these pictures; a program that stops working stops the build.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { lineChart } from './chart.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SNIPPETS = join(ROOT, 'docs', 'snippets');
const OUT = join(ROOT, 'docs', 'public', 'plots');
const RUN = join(ROOT, 'docs', '.vitepress', 'cache', 'run');

/** The snippets that write a chart or a picture: those whose code writes a `.json` or `.svg` file. */
export function chartPrograms() {
  return readdirSync(SNIPPETS)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.browser.ts'))
    .filter((f) => /writeFileSync\('[\w-]+\.(json|svg)'/.test(readFileSync(join(SNIPPETS, f), 'utf8')));
}

/** TypeScript → a runnable `.mjs` beside the repository's node_modules (so `neurona` resolves). */
export function transpile(file) {
  const src = readFileSync(join(SNIPPETS, file), 'utf8');
  const { outputText } = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  mkdirSync(RUN, { recursive: true });
  const out = join(RUN, file.replace(/\.ts$/, '.mjs'));
  writeFileSync(out, outputText);
  return out;
}

/** Run one program in a fresh folder; returns its stdout and the charts it wrote. */
export async function runProgram(file) {
  const cwd = mkdtempSync(join(tmpdir(), 'neurona-plot-'));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [transpile(file)], { cwd, maxBuffer: 16 << 20 });
    const charts = readdirSync(cwd).filter((f) => f.endsWith('.json')).map((f) => ({ name: f.replace(/\.json$/, ''), spec: JSON.parse(readFileSync(join(cwd, f), 'utf8')) }));
    const pictures = readdirSync(cwd).filter((f) => f.endsWith('.svg')).map((f) => ({ name: f.replace(/\.svg$/, ''), svg: readFileSync(join(cwd, f), 'utf8') }));
    return { stdout, charts, pictures };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

export async function buildPlots() {
  mkdirSync(OUT, { recursive: true });
  const written = [];
  for (const file of chartPrograms()) {
    const t0 = Date.now();
    const { stdout, charts, pictures } = await runProgram(file);
    const program = file.replace(/\.ts$/, '');
    const names = [];
    for (const { name, spec } of charts) {
      writeFileSync(join(OUT, `${name}.svg`), lineChart(spec));
      names.push(`${name}.svg`);
    }
    for (const { name, svg } of pictures) {
      writeFileSync(join(OUT, `${program}-${name}.svg`), svg);
      names.push(`${program}-${name}.svg`);
    }
    // the program's printout too, so a page can quote the run its pictures come from
    writeFileSync(join(OUT, `${program}.txt`), stdout);
    written.push(...names);
    console.log(`docs/public/plots: ${file} → ${names.join(', ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildPlots();
