// `pnpm bench`: neurona fit() vs tfjs-layers fit(), a hand-written tfjs-core loop and PyTorch.
// The parent spawns one child process per backend (a tfjs backend cannot be unloaded, and each
// child's peak RSS is its own), then runs PyTorch, prints the table and writes results.json.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, childArgs, USAGE } from './args';
import { runChild } from './child';
import { runTorch, PYTHON } from './torch';
import { resultsDocument, rows, table } from './report';
import { log } from './measure';
import type { BackendName, BenchOptions, ChildReport } from './types';

const self = fileURLToPath(import.meta.url);
const benchDir = resolve(dirname(self), '..');

function spawnChild(o: BenchOptions, backend: BackendName): Promise<ChildReport> {
  return new Promise((done) => {
    const p = spawn(process.execPath, ['--max-old-space-size=8192', self, ...childArgs(o, backend)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => {
      try {
        done(JSON.parse(out.trim().split('\n').pop() ?? '') as ChildReport);
      } catch {
        done({ backend, backendDetails: {}, fastKernels: null, cases: [], error: `child exited ${code} without a report` });
      }
    });
  });
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2), join(benchDir, 'results.json'));
  if (o.help) {
    console.log(USAGE);
    return;
  }
  if (o.child) {
    const report = await runChild(o);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const t0 = performance.now();
  log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (wall times are only comparable on an idle machine)`);
  log(`bench: ${o.cases.join(', ')} × batch ${o.batchSizes.join(', ')} × ${o.backends.join(', ')}; ${o.samples} samples (lstm: ${o.seqSamples} sequences), 1 warm-up + ${o.epochs} timed epochs`);
  const children: ChildReport[] = [];
  for (const b of o.backends) children.push(await spawnChild(o, b));
  let torch: ReturnType<typeof runTorch> = { available: false, reason: 'skipped (--no-torch)' };
  if (o.torch) {
    log(`[torch] ${PYTHON} ${join(benchDir, 'torch_reference.py')}`);
    torch = runTorch(o, join(benchDir, 'torch_reference.py'));
    if (!torch.available) log(`[torch] PyTorch reference not available: ${torch.reason}; going on without it`);
  }
  const doc = resultsDocument(o, children, torch);
  writeFileSync(o.out, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(table(rows(children, torch)));
  for (const r of rows(children, torch)) for (const n of r.notes) console.log(`* ${r.backend} ${r.case} b${r.batchSize}: ${n}`);
  for (const c of children) if (c.error) console.log(`! ${c.backend}: ${c.error.split('\n')[0]}`);
  log(`bench: done in ${((performance.now() - t0) / 1000).toFixed(0)} s; wrote ${o.out}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
