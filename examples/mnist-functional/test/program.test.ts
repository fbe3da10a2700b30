import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/program';
import { readSettings } from '../src/settings';
import { captureOutput, REPORT_LAYOUT } from './helpers';

const backend = process.env.NEURONA_TEST_BACKEND ?? 'cpu';
const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'mnist-functional-'));
  process.env.NEURONA_BACKEND = backend; // main's useNodeBackend() then keeps the tests' backend
});
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  delete process.env.NEURONA_BACKEND;
});

describe('the Functional program on 1,000 digits', () => {
  it('builds Input → Flatten → Dense as a graph, trains, reports and writes the curves', async () => {
    const { result, text } = await captureOutput(() =>
      main({ epochs: 3, batchSize: 32, learningRate: 0.1, samples: 1000, seed: 42, outDir: out }),
    );
    expect(text).toContain(`neurona backend: ${backend}`);
    // the functional summary lists the Input layer, as Keras's does
    expect(text).toMatch(/Model: "model(_\d+)?"/);
    expect(text).toMatch(/InputLayer\)\s+\[\(None, 28, 28\)\]\s+0/);
    expect(text).toMatch(/Total params: 7,850/);
    expect(text).toMatch(/Epoch 3\/3\n/);
    expect(result.report).toMatch(REPORT_LAYOUT);
    expect(text).toContain(result.report);
    expect(Object.keys(result.history.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(result.history.history.loss[2]).toBeLessThan(result.history.history.loss[0]);
    expect(result.testAccuracy).toBeGreaterThan(0.75);
    expect(readFileSync(join(out, 'training-curves.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('reads its options like the Sequential example', () => {
    expect(readSettings(['--epochs=3'], { LR: '0.05', INIT_CWD: '/x' })).toEqual({
      epochs: 3,
      batchSize: 128,
      learningRate: 0.05,
      samples: 10_000,
      seed: 42,
      outDir: '/x',
    });
    expect(() => readSettings(['--model', 'mlp'], {})).toThrow('unknown argument "--model"');
  });
});

describe('the built program', () => {
  it('runs from dist/main.js and writes into INIT_CWD', async () => {
    const program = join(pkg, 'dist', 'main.js');
    if (!existsSync(program)) throw new Error(`${program} is missing: build first (pnpm test does)`);
    const { stdout } = await promisify(execFile)(process.execPath, [program, '--samples', '500', '--epochs', '1'], {
      cwd: pkg,
      env: { ...process.env, INIT_CWD: out, NEURONA_BACKEND: backend },
    });
    expect(stdout).toMatch(/ {4}accuracy {27}\d\.\d\d {7}100\n/);
    expect(existsSync(join(out, 'training-curves.svg'))).toBe(true);
  });
});
