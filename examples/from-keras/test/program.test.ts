import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Dense, Input } from '@neurona/layers';
import { Model } from '@neurona/models';
import { saveKerasModel } from '@neurona/keras';
import { memory } from '@neurona/tensor';
import { BUNDLED, main } from '../src/program';

const HERE = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'from-keras-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('from-keras', () => {
  it('loads the Python-trained .keras file, prints its summary and predictions, within 1e-4 of numpy', async () => {
    const lines: string[] = [];
    const before = memory().numTensors;
    const r = await main({ log: (l) => lines.push(l) });
    const text = lines.join('\n');
    expect(existsSync(BUNDLED)).toBe(true);
    expect(text).toMatch(/flownet-final-keras3\.9\.2\.keras: Sequential model, 10786 weights, Adam after 21600 steps/);
    expect(text).toMatch(/Total params: 10,786/);
    expect(r.predictions).toHaveLength(5);
    expect(r.maxError).not.toBeNull();
    expect(r.maxError as number).toBeLessThan(1e-4);
    expect(text).toMatch(/max \|neurona − numpy\| = .* \(within 1e-4\)/);
    expect(memory().numTensors).toBe(before);
  });

  it('a file of your own: summary and a prediction for zeros', async () => {
    const x = Input({ shape: [3] });
    const m = Model({ inputs: x, outputs: Dense(2).apply(x) });
    const file = join(dir, 'mine.keras');
    await saveKerasModel(m, file);
    const lines: string[] = [];
    const r = await main({ file, log: (l) => lines.push(l) });
    expect(r.maxError).toBeNull();
    // zeros in, the bias out
    expect(r.predictions).toEqual([[0, 0]]);
    expect(lines[0]).toMatch(/mine\.keras: functional model, 8 weights/);
    m.dispose();
  });

  it('the built program runs in a fresh node process', async () => {
    const program = join(HERE, '..', 'dist', 'main.js');
    if (!existsSync(program)) throw new Error('build the example first (pnpm build)');
    const { stdout } = await promisify(execFile)(process.execPath, [program], { timeout: 60_000 });
    expect(stdout).toMatch(/\(within 1e-4\)/);
  });
});
