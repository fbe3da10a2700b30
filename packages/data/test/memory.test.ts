// Bounded memory, measured in a separate process (its peak RSS is its own): 60,000 MNIST-shaped
// samples (190 MB of float32 if held) streamed through shuffle(1000) → batch(128) → prefetch(2)
// keep the growth of resident memory far below the data's size, while the same run holding every
// sample (the control) grows by more than the data. Runs the built package (bench/stream-memory.mjs
// imports dist/, which `pnpm test` builds first). The 2-million-sample run is the same script
// without arguments (see the README).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const script = join(root, 'bench', 'stream-memory.mjs');

interface Run {
  samples: number;
  heldIfMaterialised_MB: number;
  rssAtStart_MB: number;
  maxRss_MB: number;
  tensorsBefore: number;
  tensorsAfter: number;
}

function run(...args: string[]): Run {
  const r = spawnSync(process.execPath, [script, '--samples', '60000', '--buffer', '1000', '--backend', 'cpu', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`stream-memory.mjs failed (${r.status}): ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as Run;
}

describe('bounded memory', () => {
  it('needs the built package', () => {
    expect(existsSync(join(root, 'dist', 'index.js')), 'run `pnpm turbo run build --filter=@neurona/data...` first').toBe(true);
  });

  it('streams 60,000 MNIST-shaped samples with a bounded resident set and no tensor left', () => {
    const streamed = run();
    expect(streamed.samples).toBe(60000);
    expect(streamed.heldIfMaterialised_MB).toBeGreaterThan(180);
    expect(streamed.maxRss_MB - streamed.rssAtStart_MB).toBeLessThan(120);
    expect(streamed.tensorsAfter).toBe(streamed.tensorsBefore);
    // the control: holding the samples grows by at least their size, so the bound above means something
    const held = run('--hold');
    expect(held.maxRss_MB - held.rssAtStart_MB).toBeGreaterThan(180);
  });
});
