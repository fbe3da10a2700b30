import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/program';
import { captureOutput, REPORT_LAYOUT } from './helpers';

const backend = process.env.NEURONA_TEST_BACKEND ?? 'cpu';
const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'mnist-sequential-'));
  process.env.NEURONA_BACKEND = backend; // main's useNodeBackend() then keeps the tests' backend
});
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  delete process.env.NEURONA_BACKEND;
});

describe('the Sequential program on 1,000 digits', () => {
  it('prints backend, summary, progress and the report; writes the curves', async () => {
    const { result, text } = await captureOutput(() =>
      main({ model: 'perceptron', epochs: 3, batchSize: 32, learningRate: 0.1, samples: 1000, seed: 42, outDir: out }),
    );
    expect(result.backend).toBe(backend);
    expect(text).toContain(`neurona backend: ${backend}`);
    expect(text).toContain('train 700, validation 100, test 200 digits');
    expect(text).toMatch(/Model: "sequential(_\d+)?"/);
    expect(text).toMatch(/Total params: 7,850/);
    expect(text).toMatch(/Epoch 3\/3\n.*val_accuracy: \d\.\d{4}/);
    expect(result.report).toMatch(REPORT_LAYOUT);
    expect(text).toContain(result.report);
    expect(Object.keys(result.history.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(result.history.history.loss[2]).toBeLessThan(result.history.history.loss[0]);
    expect(result.testAccuracy).toBeGreaterThan(0.75);
    expect(result.svgPath).toBe(join(out, 'training-curves.svg'));
    const svg = readFileSync(result.svgPath, 'utf8');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('val_accuracy');
  });

  it('trains the MLP (784-128-10, ReLU, Adam) with --model mlp', async () => {
    const { result, text } = await captureOutput(() =>
      main({ model: 'mlp', epochs: 1, batchSize: 64, learningRate: 0.003, samples: 1000, seed: 1, outDir: out }),
    );
    expect(text).toMatch(/Total params: 101,770/);
    expect(result.testAccuracy).toBeGreaterThan(0.6);
  });
});

describe('the built program (what `pnpm start` runs)', () => {
  it('writes training-curves.svg into INIT_CWD, the directory pnpm was started from', async () => {
    const program = join(pkg, 'dist', 'main.js');
    if (!existsSync(program)) throw new Error(`${program} is missing: build first (pnpm test and pnpm start do)`);
    const { stdout } = await promisify(execFile)(process.execPath, [program, '--samples', '500', '--epochs', '1'], {
      cwd: pkg,
      env: { ...process.env, INIT_CWD: out, NEURONA_BACKEND: backend },
    });
    expect(stdout).toContain(`neurona backend: ${backend}`);
    expect(stdout).toMatch(/ {4}accuracy {27}\d\.\d\d {7}100\n/);
    expect(stdout).toContain(`Training curves written to ${join(out, 'training-curves.svg')}`);
    expect(existsSync(join(out, 'training-curves.svg'))).toBe(true);
  });

  // The GPU path: on WebGPU no tensor can be read synchronously, so a program that works on cpu
  // can still fail there. Software WebGPU (SwiftShader, from Debian's chromium) stands in for a GPU.
  // VK_ICD_FILENAMES and LD_LIBRARY_PATH come from the root vitest config (scripts/find-browser.mjs)
  const swiftshader = process.env.VK_ICD_FILENAMES ?? '/usr/lib/chromium/vk_swiftshader_icd.json';
  it.skipIf(!existsSync(swiftshader))('runs on WebGPU too (Dawn on SwiftShader)', async () => {
    const program = join(pkg, 'dist', 'main.js');
    const { stdout } = await promisify(execFile)(process.execPath, [program, '--samples', '300', '--epochs', '1', '--out', out], {
      cwd: pkg,
      env: {
        ...process.env,
        NEURONA_BACKEND: 'webgpu',
        VK_ICD_FILENAMES: swiftshader,
        LD_LIBRARY_PATH: [process.env.LD_LIBRARY_PATH, dirname(swiftshader)].filter(Boolean).join(':'),
      },
    });
    expect(stdout).toContain('neurona backend: webgpu');
    expect(stdout).toMatch(/ {4}accuracy {27}\d\.\d\d {8}60\n/);
  }, 180_000);

  it('explains bad options with the usage and exit code 2', async () => {
    const program = join(pkg, 'dist', 'main.js');
    const run = promisify(execFile)(process.execPath, [program, '--epoch', '3'], { cwd: pkg });
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('unknown argument "--epoch"') });
  });
});
