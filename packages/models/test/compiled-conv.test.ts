import { describe, expect, it } from 'vitest';
import { createRng, memory, tensor, tensor4d } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { AveragePooling2D, BatchNormalization, Conv2D, Dense, Dropout, Flatten, GlobalAveragePooling2D, MaxPooling2D, resetNames } from '@neurona/layers';
import { Layer as LayerBase } from '@neurona/layers';
import type { Layer } from '@neurona/layers';
import { Adam, SGD } from '@neurona/optimizers';
import { fastKernelsActive } from '@neurona/kernels';
import { fromArrays } from '@neurona/data';
import { setSeededWeights, trainedState } from './helpers';
import { Sequential } from '../src/sequential';
import { memoryWriter } from '../src/writer';
import type { CompileArgs } from '../src/compile';

// The compiled training step of a convnet (conv and pooling steps before the dense chain, in the
// fast kernels' memory) against the tape path (jitCompile: false): the same 100-step trajectories
// within float32 tolerance (weights, optimizer state, epoch logs, metric state), valid and 'same'
// padding, strides 2, padded channel counts, a Dropout after the Flatten, a frozen conv layer, no
// leaked tensors, and the convnets it must leave to the tape with their reasons.

const N = 32;
const H = 9;
const W = 8;
const CLASSES = 3;

function data(channels: number, seed = 3): { x: Tensor; y: Tensor } {
  const rng = createRng(seed);
  const x = new Float32Array(N * H * W * channels).map(() => rng() * 2 - 1);
  const y = new Float32Array(N * CLASSES);
  // a class the images can show: which third of the rows is brightest
  for (let i = 0; i < N; i++) {
    const k = i % CLASSES;
    for (let r = 3 * k; r < 3 * k + 3; r++) for (let c = 0; c < W * channels; c++) x[(i * H + r) * W * channels + c] += 0.8;
    y[i * CLASSES + k] = 1;
  }
  return { x: tensor4d(x, [N, H, W, channels]), y: tensor(y, [N, CLASSES]) };
}


interface Setup {
  layers: () => Layer[];
  compile: () => CompileArgs;
  channels?: number;
}

interface Run {
  weights: Float32Array[];
  opt: Float32Array[];
  history: Record<string, number[]>;
  metricResults: number[];
  plan: string | undefined;
  leaked: number;
}

async function run(s: Setup, jit: boolean, epochs = 50): Promise<Run> {
  resetNames();
  const model = Sequential(s.layers());
  model.compile({ ...s.compile(), jitCompile: jit });
  setSeededWeights(model, 11, 0.4);
  const { x, y } = data(s.channels ?? 1);
  const h = await model.fit(x, y, { epochs, batchSize: 16, shuffle: false, verbose: 0 });
  // the first fit made the optimizer's state and the trackers': a second adds nothing
  const before = memory().numTensors;
  await model.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
  const leaked = memory().numTensors - before;
  const { weights, opt, metricResults } = trainedState(model);
  for (const t of [x, y]) t.dispose();
  model.dispose();
  return { weights, opt, history: h.history as Record<string, number[]>, metricResults, plan: h.params?.plan, leaked };
}

function worst(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let w = 0;
  for (let i = 0; i < a.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return w;
}

async function agree(s: Setup, tol = 5e-4): Promise<void> {
  const tape = await run(s, false);
  const compiled = await run(s, true);
  expect(tape.plan).toBe('tape');
  expect(compiled.plan).toBe('compiled');
  expect(compiled.leaked).toBe(0);
  expect(tape.leaked).toBe(0);
  compiled.weights.forEach((w, i) => expect(worst(w, tape.weights[i])).toBeLessThan(tol));
  expect(compiled.opt.length).toBe(tape.opt.length);
  compiled.opt.forEach((w, i) => expect(worst(w, tape.opt[i])).toBeLessThan(tol));
  expect(Object.keys(compiled.history)).toEqual(Object.keys(tape.history));
  for (const key of Object.keys(tape.history)) {
    compiled.history[key].forEach((v, i) => {
      const t = tape.history[key][i];
      // accuracies count hits: equal unless a prediction sits within float32 noise of a tie
      if (key.includes('accuracy')) expect(Math.abs(v - t)).toBeLessThanOrEqual(1 / N + 1e-7);
      else expect(Math.abs(v - t) / (1 + Math.abs(t))).toBeLessThan(tol);
    });
  }
  expect(compiled.metricResults.length).toBe(tape.metricResults.length);
  compiled.metricResults.forEach((v, i) => expect(Math.abs(v - tape.metricResults[i]) / (1 + Math.abs(tape.metricResults[i]))).toBeLessThan(tol + 1 / N));
  // training did something
  const loss = compiled.history.loss;
  expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.9);
}

const cce = (optimizer: () => unknown, metrics: string[] = ['accuracy']) => () => ({ loss: 'categorical_crossentropy', optimizer: optimizer(), metrics }) as CompileArgs;

/** Keras's simple MNIST convnet, small: conv relu, max pool, conv relu, max pool, Flatten, Dropout, Dense softmax. */
const simple = (dropout = 0.5) => () => [
  Conv2D(8, 3, { activation: 'relu', inputShape: [H, W, 1] }),
  MaxPooling2D(2),
  Conv2D(16, 2, { activation: 'relu' }),
  MaxPooling2D(2, { padding: 'same' }),
  Flatten(),
  ...(dropout > 0 ? [Dropout(dropout, { seed: 7 })] : []),
  Dense(CLASSES, { activation: 'softmax' }),
];

/** Strides 2 and 'same' padding, filter counts that are not multiples of 8, tanh, average pooling, a hidden Dense layer. */
const strided = () => [
  Conv2D(6, 3, { strides: 2, padding: 'same', activation: 'tanh', inputShape: [H, W, 2] }),
  Conv2D(5, 2, { padding: 'same', activation: 'sigmoid', kernelRegularizer: 'l2', biasRegularizer: 'l1' }),
  AveragePooling2D(2, { padding: 'same' }),
  Flatten(),
  Dense(7, { activation: 'relu' }),
  Dense(CLASSES, { activation: 'softmax' }),
];

/** A frozen first conv layer (a pretrained base), a second without bias, linear then relu after pooling. */
const frozenBase = () => {
  const base = Conv2D(8, 3, { activation: 'relu', inputShape: [H, W, 1] });
  base.trainable = false;
  return [base, MaxPooling2D(2, { strides: 1 }), Conv2D(8, 3, { useBias: false }), MaxPooling2D(2), Flatten(), Dense(CLASSES, { activation: 'softmax' })];
};

describe.runIf(fastKernelsActive())('compiled convnet step: 100 steps agree with the tape path', () => {
  it('SGD, the simple convnet without Dropout', () => agree({ layers: simple(0), compile: cce(() => SGD(0.1)) }));
  it('Adam, the simple convnet with a seeded Dropout after the Flatten', () => agree({ layers: simple(0.5), compile: cce(() => Adam(0.01)) }));
  it('Adam, 5 filters before the Flatten (its rows compacted from padded channels) and a seeded Dropout of rate 0.3', () =>
    agree({
      layers: () => [Conv2D(8, 3, { activation: 'relu', inputShape: [H, W, 1] }), MaxPooling2D(2), Conv2D(5, 2, { activation: 'relu' }), Flatten(), Dropout(0.3, { seed: 9 }), Dense(CLASSES, { activation: 'softmax' })],
      compile: cce(() => Adam(0.01)),
    }));
  it("strides 2, 'same' padding, 6 and 5 filters, tanh/sigmoid, average pooling, L2/L1 penalties, SGD with momentum", () =>
    agree({ layers: strided, compile: cce(() => SGD({ learningRate: 0.1, momentum: 0.9 }), ['accuracy', 'mse']), channels: 2 }));
  it('a frozen first conv layer: no update, no gradient below the lowest trainable layer', async () => {
    await agree({ layers: frozenBase, compile: cce(() => Adam(0.01)) });
  });
});

describe.runIf(fastKernelsActive())('compiled convnet step on a dataset', () => {
  it('fit(dataset) compiles the convnet (its plan laid out at the first batch) and trains as fit on the arrays', async () => {
    const train = async (dataset: boolean): Promise<{ plan: string | undefined; loss: number[]; weights: Float32Array[]; leaked: number }> => {
      resetNames();
      const model = Sequential(simple(0.5)());
      model.compile({ loss: 'categorical_crossentropy', optimizer: Adam(0.01) });
      setSeededWeights(model, 11, 0.4);
      const { x, y } = data(1);
      const fit = (epochs: number) =>
        dataset
          ? model.fit(fromArrays(x, y).batch(16) as never, { epochs, verbose: 0 })
          : model.fit(x, y, { epochs, batchSize: 16, shuffle: false, verbose: 0 });
      const h = await fit(5);
      // the first fit made the optimizer's state and the trackers': a second adds nothing
      const before = memory().numTensors;
      await fit(1);
      const leaked = memory().numTensors - before;
      const ws = model.getWeights();
      const weights = ws.map((w) => w.dataSync() as Float32Array);
      for (const t of ws) t.dispose();
      x.dispose();
      y.dispose();
      model.dispose();
      return { plan: h.params?.plan, loss: h.history.loss, weights, leaked };
    };
    const arrays = await train(false);
    const ds = await train(true);
    expect(arrays.plan).toBe('compiled');
    expect(ds.plan).toBe('compiled');
    ds.loss.forEach((l, i) => expect(Math.abs(l - arrays.loss[i]) / (1 + arrays.loss[i])).toBeLessThan(1e-5));
    ds.weights.forEach((w, i) => expect(worst(w, arrays.weights[i])).toBeLessThan(1e-5));
    expect(arrays.leaked).toBe(0);
    expect(ds.leaked).toBe(0);
  });
});

async function planOf(layers: Layer[], channels = 1): Promise<{ plan: string | undefined; reason: string }> {
  resetNames();
  const m = Sequential(layers);
  m.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd' });
  const { x, y } = data(channels);
  const before = memory().numTensors;
  const w = memoryWriter();
  const h = await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 2, writer: w, advice: false });
  x.dispose();
  y.dispose();
  m.dispose();
  expect(memory().numTensors).toBeLessThanOrEqual(before);
  const line = w.text().split('\n').find((l) => l.startsWith('fit: ')) ?? '';
  return { plan: h.params?.plan, reason: line };
}
const head = () => [Flatten(), Dense(CLASSES, { activation: 'softmax' })];
/** A user's layer that calls itself Dropout but draws no counter-based masks. */
class OwnDropout extends LayerBase {
  static override readonly className: string = 'Dropout';
  readonly rate = 0.5;
  readonly noiseShape = null;
  constructor() {
    super({}, []);
  }
  override call(inputs: Tensor | Tensor[]): Tensor {
    return inputs as Tensor;
  }
}

describe.runIf(fastKernelsActive())('compiled convnet step: what falls back to the tape', () => {
  it('dilation, groups, channels_first, BatchNormalization, global pooling, a Dropout between convolutions and other activations fall back, with the reason', async () => {
    const compiled = await planOf([Conv2D(4, 3, { activation: 'relu', inputShape: [H, W, 1] }), MaxPooling2D(2), ...head()]);
    expect(compiled.plan).toBe('compiled');
    expect(compiled.reason).toBe('fit: compiled training step (convolution and dense plan, fused optimizer)');
    const cases: [Layer[], number, RegExp][] = [
      [[Conv2D(4, 3, { dilationRate: 2, inputShape: [H, W, 1] }), ...head()], 1, /dilation/],
      [[Conv2D(4, 3, { groups: 2, inputShape: [H, W, 2] }), ...head()], 2, /groups/],
      [[Conv2D(4, 3, { inputShape: [H, W, 1] }), BatchNormalization(), ...head()], 1, /BatchNormalization/],
      [[Conv2D(4, 3, { inputShape: [H, W, 1] }), Dropout(0.5), ...head()], 1, /Dropout/],
      [[Conv2D(4, 3, { activation: 'elu', inputShape: [H, W, 1] }), ...head()], 1, /activation "elu"/],
      [[Conv2D(4, [3, 1], { dataFormat: 'channels_first', inputShape: [H, W, 1] }), ...head()], 1, /channels_first/],
      [[Conv2D(4, 3, { inputShape: [H, W, 1] }), GlobalAveragePooling2D(), Dense(CLASSES, { activation: 'softmax' })], 1, /GlobalAveragePooling2D/],
      // a layer of its own named Dropout: the plan cannot draw its masks
      [[Conv2D(4, 3, { inputShape: [H, W, 1] }), Flatten(), new OwnDropout(), Dense(CLASSES, { activation: 'softmax' })], 1, /no nextMaskKey/],
    ];
    for (const [layers, channels, why] of cases) {
      const r = await planOf(layers, channels);
      expect(r.plan).toBe('tape');
      expect(r.reason).toMatch(why);
    }
  });
});
