// ensureKernels() of @neurona/tensor (a page's deferred kernels and gradients, loaded once) is
// awaited before anything runs on the tape: fit's training on the tape, its validation and
// evaluate on the tape, the on-batch methods, predict on a dataset; a fit on a compiled plan with
// no tape pass never asks. A loader that fails leaves the model usable.
import { afterEach, describe, expect, it } from 'vitest';
import { dispose, memory, randomNormal, setKernelLoader, setSeed, tensor2d } from '@neurona/tensor';
import { Dense, resetNames } from '@neurona/layers';
import { Sequential } from '../src/sequential';
import type { LayersModel } from '../src/model';

afterEach(() => setKernelLoader(null));

/** Counts the loader's calls; `fail` makes the next one reject. */
function countingLoader(): { calls: number; fail: boolean } {
  const state = { calls: 0, fail: false };
  setKernelLoader(async () => {
    state.calls++;
    if (state.fail) throw new Error('the lazy chunk failed to load');
  });
  return state;
}

function model(jitCompile?: boolean): LayersModel {
  resetNames();
  setSeed(3);
  const m = Sequential([Dense(8, { inputShape: [4], activation: 'relu' }), Dense(3, { activation: 'softmax' })]);
  m.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd', jitCompile });
  return m;
}

const x = randomNormal([32, 4]);
const y = tensor2d(Array.from({ length: 32 }, (_, i) => [0, 1, 2].map((c) => (i % 3 === c ? 1 : 0))));

describe('ensureKernels before the tape', () => {
  it('a fit on the compiled plan without validation never asks', async () => {
    const loader = countingLoader();
    const m = model();
    const h = await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    expect(h.params?.plan).toBe('compiled');
    expect(loader.calls).toBe(0);
    m.dispose();
  });

  it('a fit on the tape, its validation, evaluate and the on-batch methods ask first (the loader runs once)', async () => {
    const loader = countingLoader();
    const m = model(false);
    const h = await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    expect(h.params?.plan).toBe('tape');
    expect(loader.calls).toBe(1);
    // a loader that resolved is not run again; a new one is, on the next tape pass
    for (const run of [() => m.evaluate(x, y, { verbose: 0 }), () => m.trainOnBatch(x, y), () => m.testOnBatch(x, y)]) {
      const fresh = countingLoader();
      await run();
      expect(fresh.calls).toBe(1);
    }
    m.dispose();
  });

  it('a compiled fit asks before its validation on the tape', async () => {
    const loader = countingLoader();
    const m = model();
    const h = await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, validationSplit: 0.25 });
    expect(h.params?.plan).toBe('compiled');
    expect(loader.calls).toBe(1);
    m.dispose();
  });

  it('a failed load rejects fit with its error, leaks nothing, and the next fit loads again and trains', async () => {
    const loader = countingLoader();
    loader.fail = true;
    const m = model(false);
    const weights = m.getWeights();
    const w0 = weights.map((t) => t.arraySync());
    dispose(weights);
    const before = memory().numTensors;
    await expect(m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 })).rejects.toThrow('the lazy chunk failed to load');
    expect(memory().numTensors).toBe(before);
    loader.fail = false;
    const h = await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    expect(loader.calls).toBe(2);
    expect(h.history.loss).toHaveLength(2);
    const after = m.getWeights();
    expect(after[0].arraySync()).not.toEqual(w0[0]);
    dispose(after);
    m.dispose();
  });
});
