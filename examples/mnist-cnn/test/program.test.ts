import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memory } from '@neurona/tensor';
import { main } from '../src/program';
import { captureOutput, REPORT_LAYOUT } from './helpers';

const backend = process.env.NEURONA_TEST_BACKEND ?? 'cpu';
let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'mnist-cnn-'));
  process.env.NEURONA_BACKEND = backend; // main's useNodeBackend() then keeps the tests' backend
});
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  delete process.env.NEURONA_BACKEND;
});

describe("Keras's simple MNIST convnet on 1,000 digits", () => {
  it('prints the summary, progress and the report, learns, writes the curves and leaks nothing', async () => {
    const before = memory().numTensors;
    const { result, text } = await captureOutput(() => main({ epochs: 3, batchSize: 64, learningRate: 0.002, samples: 1000, seed: 42, outDir: out }));
    expect(result.backend).toBe(backend);
    expect(text).toContain('train 700, validation 100, test 200 digits');
    // Keras's summary of this model: 34,826 parameters
    expect(text).toMatch(/conv2d \(Conv2D\) +\(None, 26, 26, 32\) +320/);
    expect(text).toMatch(/max_pooling2d_1 \(MaxPoolin +\(None, 5, 5, 64\) +0/);
    expect(text).toMatch(/Total params: 34,826/);
    expect(text).toMatch(/Epoch 3\/3\n.*val_accuracy: \d\.\d{4}/);
    expect(result.report).toMatch(REPORT_LAYOUT);
    expect(text).toContain(result.report);
    const h = result.history.history;
    expect(Object.keys(h)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(h.loss[2]).toBeLessThan(h.loss[0]);
    // 3 epochs on 700 digits: well above chance (0.1); the full run reaches 0.97+ (README)
    expect(result.testAccuracy).toBeGreaterThan(0.6);
    expect(readFileSync(result.svgPath, 'utf8')).toContain('val_accuracy');
    expect(memory().numTensors).toBe(before);
  });
});
