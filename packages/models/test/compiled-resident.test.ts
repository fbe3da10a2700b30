import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearSeed, memory, setSeed, tensor } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, Dropout, resetNames } from '@neurona/layers';
import { Adam } from '@neurona/optimizers';
import { PlanMemory, ResidentRows, fastKernelsActive, fastKernelsStatus, useFastKernels } from '@neurona/kernels';
import { fromArrays } from '@neurona/data';
import { classificationData, setSeededWeights, trainedState } from './helpers';
import { Sequential } from '../src/sequential';
import { memoryWriter } from '../src/writer';
import type { FitOptions } from '../src/fit';

// The compiled step with the training arrays kept in the fast kernels' memory for the fit
// (compiled/resident-data.ts; NEURONA_RESIDENT_MB limits it, 0 turns it off): the same
// trajectory, bit for bit, as the row copy from the backend's memory (shuffled with the same
// seed, sparse targets, sample weights, a validation split, a Dropout), the fallback when the
// arrays do not fit, no leaked tensors, and the kernels' memory not growing over repeated fits.

const N = 203; // odd: the last batch is short
const FEATURES = 13;
const CLASSES = 5;
const RESIDENT = "training rows in the kernels' memory";

interface Out {
  weights: Float32Array[];
  opt: Float32Array[];
  history: Record<string, number[]>;
  line: string;
  leaked: number;
}

async function train(limitMb: string | undefined, fit: FitOptions, sparse = false, weighted = false): Promise<Out> {
  if (limitMb === undefined) delete process.env.NEURONA_RESIDENT_MB;
  else process.env.NEURONA_RESIDENT_MB = limitMb;
  resetNames();
  setSeed(17);
  const model = Sequential([Dense(24, { activation: 'relu', inputShape: [FEATURES] }), Dropout(0.25), Dense(CLASSES, { activation: 'softmax' })]);
  model.compile({ optimizer: Adam(0.01), loss: sparse ? 'sparse_categorical_crossentropy' : 'categorical_crossentropy', metrics: ['accuracy'] });
  setSeededWeights(model);
  const { x, y } = classificationData(N, FEATURES, CLASSES, 4, sparse);
  const sw: Tensor | undefined = weighted ? tensor(Float32Array.from({ length: N }, (_, i) => 0.5 + (i % 3) * 0.25), [N]) : undefined;
  const w = memoryWriter();
  const h = await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 2, writer: w, advice: false, sampleWeight: sw, ...fit });
  // the first fit makes the optimizer's state and the loss tracker's: a second must add nothing
  const before = memory().numTensors;
  await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0, sampleWeight: sw, ...fit });
  const leaked = memory().numTensors - before;
  const line = w.text().split('\n').find((l) => l.startsWith('fit: ')) ?? '';
  const { weights, opt } = trainedState(model);
  for (const t of [x, y, ...(sw ? [sw] : [])]) t.dispose();
  model.dispose();
  return { weights, opt, history: h.history as Record<string, number[]>, line, leaked };
}

/** Bytes of the fast kernels' memory now. */
function kernelMemoryBytes(): number {
  const m = PlanMemory.reserve(1) as PlanMemory;
  const bytes = m.heap().buffer.byteLength;
  m.release();
  return bytes;
}

// (the resident rows need a second GEMM thread: a machine with one core keeps the row copy)
describe.runIf(fastKernelsActive() && fastKernelsStatus().threads >= 2)('compiled step: the training rows in the kernels memory', () => {
  const saved = process.env.NEURONA_RESIDENT_MB;
  afterEach(() => {
    if (saved === undefined) delete process.env.NEURONA_RESIDENT_MB;
    else process.env.NEURONA_RESIDENT_MB = saved;
    clearSeed();
  });

  const cases: [string, FitOptions, boolean, boolean][] = [
    ['shuffled, one-hot targets', { shuffle: true }, false, false],
    ['shuffled, sparse int32 targets, sample weights', { shuffle: true }, true, true],
    ['in order, with a validation split', { shuffle: false, validationSplit: 0.2 }, false, false],
  ];
  for (const [name, fit, sparse, weighted] of cases) {
    it(`gives the same trajectory bit for bit as the row copy (${name})`, async () => {
      const kept = await train(undefined, fit, sparse, weighted);
      const copied = await train('0', fit, sparse, weighted);
      expect(kept.line).toBe(`fit: compiled training step (dense plan, fused optimizer, ${RESIDENT})`);
      expect(copied.line).toBe('fit: compiled training step (dense plan, fused optimizer)');
      expect(kept.weights).toEqual(copied.weights);
      expect(kept.opt).toEqual(copied.opt);
      expect(kept.history).toEqual(copied.history);
      expect(kept.leaked).toBe(0);
      expect(copied.leaked).toBe(0);
    });
  }

  it('falls back to the row copy when the arrays are over the limit, or there is one batch', async () => {
    // 203 rows of 13 + 5 floats ≈ 15 KB: over a limit of 0.01 MiB
    const small = await train('0.01', { shuffle: true });
    expect(small.line).toBe('fit: compiled training step (dense plan, fused optimizer)');
    const fits = await train('0.1', { shuffle: true });
    expect(fits.line).toContain(RESIDENT);
    expect(fits.weights).toEqual(small.weights);
    const one = await train(undefined, { shuffle: true, batchSize: 256 });
    expect(one.line).toBe('fit: compiled training step (dense plan, fused optimizer)');
    expect(small.leaked + fits.leaked + one.leaked).toBe(0);
  });

  it('keeps the row copy on an engine of one thread (nothing to gather with), with the same trajectory', async () => {
    const threads = fastKernelsStatus().threads;
    try {
      useFastKernels({ threads: 1 });
      const one = await train(undefined, { shuffle: true });
      expect(one.line).toBe('fit: compiled training step (dense plan, fused optimizer)');
      useFastKernels({ threads });
      const two = await train(undefined, { shuffle: true });
      expect(two.line).toContain(RESIDENT);
      expect(two.weights).toEqual(one.weights);
      expect(one.leaked + two.leaked).toBe(0);
    } finally {
      useFastKernels({ threads });
    }
  });

  it('keeps a fromArrays(...).batch(b) dataset\'s arrays there too, with the same trajectory and memory given back', async () => {
    const run = async (limitMb: string) => {
      process.env.NEURONA_RESIDENT_MB = limitMb;
      resetNames();
      setSeed(5);
      const model = Sequential([Dense(24, { activation: 'relu', inputShape: [FEATURES] }), Dense(CLASSES, { activation: 'softmax' })]);
      model.compile({ optimizer: Adam(0.01), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
      setSeededWeights(model);
      const { x, y } = classificationData(N, FEATURES, CLASSES, 4);
      const ds = fromArrays(x, y).shuffle(N, { seed: 3 }).batch(32);
      const create = vi.spyOn(ResidentRows, 'create');
      const h = await model.fit(ds as never, { epochs: 2, verbose: 0 });
      const made = create.mock.results.filter((r) => r.type === 'return' && r.value !== null).length;
      create.mockRestore();
      const before = memory().numTensors;
      const bytes = kernelMemoryBytes();
      await model.fit(ds as never, { epochs: 1, verbose: 0 });
      const grown = kernelMemoryBytes() - bytes;
      const leaked = memory().numTensors - before;
      const { weights } = trainedState(model);
      x.dispose();
      y.dispose();
      model.dispose();
      return { made, history: h.history, weights, leaked, grown };
    };
    const kept = await run('512');
    const copied = await run('0');
    // one copy per fit, made at the first batch; none when turned off
    expect(kept.made).toBe(1);
    expect(copied.made).toBe(0);
    expect(kept.weights).toEqual(copied.weights);
    expect(kept.history).toEqual(copied.history);
    expect(kept.leaked + copied.leaked).toBe(0);
    expect(kept.grown).toBe(0);
  });

  it('gives the memory back after each fit: repeated fits do not grow it', async () => {
    delete process.env.NEURONA_RESIDENT_MB;
    resetNames();
    const model = Sequential([Dense(16, { activation: 'relu', inputShape: [FEATURES] }), Dense(CLASSES, { activation: 'softmax' })]);
    model.compile({ optimizer: Adam(0.01), loss: 'categorical_crossentropy' });
    const { x, y } = classificationData(4000, FEATURES, CLASSES, 6);
    const w = memoryWriter();
    await model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 2, writer: w, advice: false });
    expect(w.text()).toContain(RESIDENT);
    const after = kernelMemoryBytes();
    const tensors = memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 });
      expect(kernelMemoryBytes()).toBe(after);
    }
    expect(memory().numTensors).toBe(tensors);
    x.dispose();
    y.dispose();
    model.dispose();
  });
});
