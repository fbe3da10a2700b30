// Each model has its own shuffle stream and each random layer its own stream of masks, noise and
// augmentations (Keras 3's SeedGenerator), derived from the global seed when created: two models
// trained at the same time get exactly the weights each gets when trained alone (issue 16). Before,
// every fit and every layer drew from the one global sequence, so interleaved fits changed each
// other's shuffles and masks.
import { describe, expect, it } from 'vitest';
import { clearSeed, dispose, memory, oneHot, randomNormal, setSeed, tensor1d } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import {
  AlphaDropout,
  Dense,
  Dropout,
  Flatten,
  GaussianDropout,
  GaussianNoise,
  GRU,
  Input,
  LSTM,
  MultiHeadAttention,
  RandomContrast,
  RandomCrop,
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  Reshape,
  SpatialDropout1D,
} from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import type { LayersModel } from '../src/model';
import { Sequential } from '../src/sequential';
import { Model } from '../src/functional';

const SEED = 1234;

function data(n: number, shape: number[], seed: number): [Tensor, Tensor] {
  const x = randomNormal([n, ...shape], 0, 1, 'float32', seed);
  const labels = Array.from({ length: n }, (_, i) => (i * 7 + seed) % 3);
  const idx = tensor1d(labels, 'int32');
  const y = oneHot(idx, 3);
  idx.dispose();
  return [x, y];
}

/** The brief's case: Dense → Dropout → Dense, trained with shuffle. */
function dropoutModel(): LayersModel {
  const m = Sequential([Dense(8, { inputShape: [5], activation: 'relu' }), Dropout(0.3), Dense(3, { activation: 'softmax' })]);
  m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1) });
  return m;
}

/** Every kind of random layer at once: augmentations, noise, spatial, recurrent and attention dropout. */
function everyRandomLayer(): LayersModel {
  const image = Input({ shape: [6, 6, 2] });
  let h = RandomFlip('horizontal_and_vertical').apply(image);
  h = RandomRotation(0.1).apply(h);
  h = RandomZoom(0.1).apply(h);
  h = RandomTranslation(0.1, 0.1).apply(h);
  h = RandomContrast(0.2, { valueRange: [-5, 5] }).apply(h);
  h = RandomCrop(4, 4).apply(h);
  h = GaussianNoise(0.1).apply(h);
  h = GaussianDropout(0.1).apply(h);
  h = Reshape([8, 4]).apply(h);
  h = SpatialDropout1D(0.2).apply(h);
  h = LSTM(4, { dropout: 0.2, recurrentDropout: 0.2, returnSequences: true }).apply(h);
  h = MultiHeadAttention({ numHeads: 2, keyDim: 2, dropout: 0.2 }).apply([h, h]);
  h = GRU(4, { dropout: 0.2, recurrentDropout: 0.2 }).apply(h);
  h = AlphaDropout(0.2).apply(h);
  const out = Dense(3, { activation: 'softmax' }).apply(Flatten().apply(h));
  const m = Model({ inputs: image, outputs: out });
  m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.05) });
  return m;
}

async function weightsOf(m: LayersModel): Promise<number[][]> {
  const ws = m.getWeights();
  const out = await Promise.all(ws.map(async (w) => Array.from(await w.data())));
  dispose(ws);
  return out;
}

/** The initial weights of Dense → (Dropout) → Dense after setSeed(SEED). */
async function initialWeights(withDropout: boolean): Promise<number[][]> {
  setSeed(SEED);
  const m = Sequential([Dense(8, { inputShape: [5] }), ...(withDropout ? [Dropout(0.5)] : []), Dense(3)]);
  const w = await weightsOf(m);
  m.dispose();
  return w;
}

const FIT = { epochs: 3, batchSize: 4, shuffle: true, verbose: 0 } as const;

/** Trains two models built by `build` one after the other, or both at once; returns their weights. */
async function trainTwo(build: () => LayersModel, shape: number[], concurrently: boolean): Promise<number[][][]> {
  setSeed(SEED);
  const a = build();
  const b = build();
  const [xa, ya] = data(16, shape, 1);
  const [xb, yb] = data(16, shape, 2);
  if (concurrently) {
    await Promise.all([a.fit(xa, ya, FIT), b.fit(xb, yb, FIT)]);
  } else {
    await a.fit(xa, ya, FIT);
    await b.fit(xb, yb, FIT);
  }
  const out = [await weightsOf(a), await weightsOf(b)];
  dispose([xa, ya, xb, yb]);
  a.dispose();
  b.dispose();
  clearSeed();
  return out;
}

describe('per-model and per-layer random streams', () => {
  it('two models with shuffle and Dropout trained concurrently get the weights they get one after the other', async () => {
    const before = memory().numTensors;
    const sequential = await trainTwo(dropoutModel, [5], false);
    const concurrent = await trainTwo(dropoutModel, [5], true);
    expect(concurrent).toEqual(sequential);
    // and the training did something: the two models differ from each other
    expect(concurrent[0]).not.toEqual(concurrent[1]);
    expect(memory().numTensors).toBe(before);
  });

  it('a model trained alongside another gets the weights it gets when trained alone', async () => {
    setSeed(SEED);
    const alone = dropoutModel();
    const [x, y] = data(16, [5], 1);
    await alone.fit(x, y, FIT);
    const aloneWeights = await weightsOf(alone);
    alone.dispose();
    dispose([x, y]);
    const [together] = await trainTwo(dropoutModel, [5], true);
    expect(together).toEqual(aloneWeights);
  });

  it('every kind of random layer (augmentation, noise, spatial, recurrent and attention dropout) has its own stream', async () => {
    const before = memory().numTensors;
    const sequential = await trainTwo(everyRandomLayer, [6, 6, 2], false);
    const concurrent = await trainTwo(everyRandomLayer, [6, 6, 2], true);
    expect(concurrent).toEqual(sequential);
    expect(memory().numTensors).toBe(before);
  }, 60_000);

  it('setSeed(n) just before fit repeats its shuffles, even for models created before', async () => {
    const [x, y] = data(16, [5], 3);
    const m = Sequential([Dense(3, { inputShape: [5], activation: 'softmax' })]);
    m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1) });
    const start = m.getWeights();
    const run = async () => {
      m.setWeights(start);
      setSeed(5);
      await m.fit(x, y, FIT);
      return weightsOf(m);
    };
    const once = await run();
    expect(await run()).toEqual(once);
    // and the order matters: without shuffling the result differs
    m.setWeights(start);
    await m.fit(x, y, { ...FIT, shuffle: false });
    expect(await weightsOf(m)).not.toEqual(once);
    dispose([x, y, ...start]);
    m.dispose();
    clearSeed();
  });

  it('the same seed gives the same training; creating a random layer does not move the initial weights of the others', async () => {
    const first = await trainTwo(dropoutModel, [5], true);
    const again = await trainTwo(dropoutModel, [5], true);
    expect(again).toEqual(first);

    expect(await initialWeights(true)).toEqual(await initialWeights(false));
    clearSeed();
  });
});
