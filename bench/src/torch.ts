// The PyTorch reference: bench/torch_reference.py under /usr/bin/python3, if both are there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { BenchOptions, TorchReport } from './types';
import { batchSizesOf } from './args';

export const PYTHON = process.env.NEURONA_BENCH_PYTHON ?? '/usr/bin/python3';

/** Times the same cases with PyTorch; never installs anything, reports why when it cannot run. */
export function runTorch(o: BenchOptions, script: string): TorchReport {
  // the cnn case has its own sample count and batch sizes: a run of its own (the lstm case's own
  // sequences and batch size travel as --seq-* flags)
  const mlp = o.cases.filter((c) => c !== 'cnn');
  const parts = [
    ...(mlp.length ? [runTorchCases(o, script, mlp, o.batchSizes, o.samples)] : []),
    ...(o.cases.includes('cnn') ? [runTorchCases(o, script, ['cnn'], batchSizesOf(o, 'cnn'), o.cnnSamples)] : []),
  ];
  const failed = parts.find((p) => !p.available);
  if (failed) return failed;
  return { ...parts[0], results: parts.flatMap((p) => p.results ?? []) };
}

function runTorchCases(o: BenchOptions, script: string, cases: string[], batchSizes: number[], samples: number): TorchReport {
  if (!existsSync(PYTHON)) return { available: false, reason: `${PYTHON} not found` };
  const args = [script, '--cases', cases.join(','), '--batch-sizes', batchSizes.join(','), '--samples', String(samples), '--epochs', String(o.epochs),
    '--seq-samples', String(o.seqSamples), ...(o.batchSizeGiven ? [] : ['--seq-batch-sizes', '64'])];
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_WAIT_POLICY: 'PASSIVE' };
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', env, timeout: 30 * 60_000 });
  if (r.status !== 0) return { available: false, reason: `${PYTHON} exited ${r.status}: ${(r.stderr || '').trim().split('\n').pop()}` };
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as TorchReport;
  } catch {
    return { available: false, reason: `unreadable output from torch_reference.py: ${line.slice(0, 200)}` };
  }
}
