import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@neurona-contrib/optimizer-lion';
import { Dense, Flatten } from '@neurona/layers';
import { Sequential, loadModel, saveModel } from '@neurona/models';
import { dispose, randomUniform, oneHot, tensor1d } from '@neurona/tensor';
import { main } from '../src/program';
import { readSettings } from '../src/settings';
import { captureOutput } from './helpers';

const backend = process.env.NEURONA_TEST_BACKEND ?? 'cpu';
let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'lion-demo-'));
  process.env.NEURONA_BACKEND = backend;
});
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  delete process.env.NEURONA_BACKEND;
});

describe("compile({ optimizer: 'lion' }) with the contributed package", () => {
  it('trains the same MLP with Adam and with Lion, both by name', async () => {
    const { result, text } = await captureOutput(() => main({ epochs: 2, samples: 1000, seed: 42, outDir: out }));
    const [adam, lion] = result.runs;
    expect(adam.optimizer).toBe('adam');
    expect(lion.config).toMatchObject({ name: 'Lion', learningRate: 1e-4, beta1: 0.9, beta2: 0.99 });
    expect(text).toContain("optimizer: 'lion' → Lion");
    expect(Object.keys(lion.history.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    // 12 steps of ±1e-4 per weight (Lion's default rate) on 700 digits: learning, not learnt
    const loss = lion.history.history.loss;
    expect(loss[1]).toBeLessThan(loss[0]);
    expect(lion.testAccuracy).toBeGreaterThan(0.15); // 10 classes: chance is 0.1
    expect(text).toMatch(/lion\s+0\.0001\s+\d\.\d{4}/);
    expect(existsSync(result.svgPath)).toBe(true);
  });

  it('saves a model compiled with Lion and loads it back, optimizer state included', async () => {
    const x = randomUniform([64, 28, 28], 0, 1, 'float32', 1);
    const y = oneHot(tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), 'int32'), 10);
    const model = Sequential([Flatten({ inputShape: [28, 28] }), Dense(10, { activation: 'softmax' })]);
    model.compile({ loss: 'categorical_crossentropy', optimizer: 'lion', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    const dir = join(out, 'lion-model');
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    expect(loaded.optimizer?.className).toBe('Lion');
    expect(loaded.optimizer?.iterations).toBe(8);
    expect(loaded.optimizer?.getConfig()).toEqual(model.optimizer?.getConfig());
    const [a, b] = [model.optimizer?.getWeights() ?? [], loaded.optimizer?.getWeights() ?? []];
    expect(b.length).toBe(a.length);
    a.forEach((t, i) => expect(Array.from(b[i].dataSync())).toEqual(Array.from(t.dataSync())));
    dispose([x, y, ...a, ...b]);
    model.dispose();
    loaded.dispose();
  });

  it('reads its options', () => {
    expect(readSettings([], { INIT_CWD: '/x' })).toEqual({ epochs: 5, samples: 10_000, seed: 42, outDir: '/x' });
    expect(() => readSettings(['--lr', '1'], {})).toThrow('unknown argument "--lr"');
  });
});
