import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tensor } from '@neurona/tensor';

/** A fresh temporary folder; `cleanup()` removes it. */
export function tempDir(prefix = 'neurona-io-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Largest absolute difference between two tensors' values. */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  if (x.length !== y.length) return Infinity;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}
