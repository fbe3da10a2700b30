#!/usr/bin/env node
// The site's plots, from real runs: each program in docs/snippets/ that writes a chart (a
// `*.json` of `{ title, x, y, logY, series }` in its working folder) is run here, at build
// time, and its chart drawn as docs/public/plots/<name>.svg. The guides show the programs and
// these pictures; a program that stops working stops the site's build.
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

/** The snippets that write a chart: those whose code writes a `.json` file. */
export function chartPrograms() {
  return readdirSync(SNIPPETS)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.browser.ts'))
    .filter((f) => /writeFileSync\('[\w-]+\.json'/.test(readFileSync(join(SNIPPETS, f), 'utf8')));
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
    return { stdout, charts };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

export async function buildPlots() {
  mkdirSync(OUT, { recursive: true });
  const written = [];
  for (const file of chartPrograms()) {
    const t0 = Date.now();
    const { stdout, charts } = await runProgram(file);
    for (const { name, spec } of charts) {
      writeFileSync(join(OUT, `${name}.svg`), lineChart(spec));
      // the program's printout too, so a page can quote the run its picture comes from
      writeFileSync(join(OUT, `${name}.txt`), stdout);
      written.push(`${name}.svg`);
    }
    console.log(`docs/public/plots: ${file} → ${charts.map((c) => `${c.name}.svg`).join(', ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildPlots();
