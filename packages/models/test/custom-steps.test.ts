// Keras's guide "Customizing what happens in fit()", ported: a model subclass overrides trainStep,
// testStep, the metrics it tracks, or trains a GAN with two optimizers; fit, evaluate, callbacks and
// History work unchanged around it.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  concat,
  dispose,
  memory,
  ones,
  randomNormal,
  randomUniform,
  setSeed,
  tensor2d,
  valueAndGradients,
  zeros,
} from '@neurona/tensor';
import type { Scalar, Tensor } from '@neurona/tensor';
import { Dense, Input, resetNames } from '@neurona/layers';
import { BinaryCrossentropy, MeanSquaredError } from '@neurona/losses';
import { Mean, MeanAbsoluteError, type Metric } from '@neurona/metrics';
import { Adam, SGD, type KerasOptimizer } from '@neurona/optimizers';
import { FunctionalModel } from '../src/functional';
import { LayersModel, type StepData, type StepLogs } from '../src/model';
import { Sequential } from '../src/sequential';
import { memoryWriter } from '../src/writer';

beforeEach(() => resetNames());

function data(n: number, seed: number): { x: Tensor; y: Tensor } {
  setSeed(seed);
  return { x: randomUniform([n, 32]), y: randomUniform([n, 1]) };
}

const values = (ts: Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

/** The guide's first example: compute the loss, apply the gradients and update every metric. */
class CustomModel extends FunctionalModel {
  override trainStep([x, y]: StepData): StepLogs {
    const { loss, grads, yPred } = valueAndGradients(() => {
      const yPred = this.apply(x, { training: true }) as Tensor;
      return { loss: this.computeLoss({ y, yPred }), yPred };
    }, this.trainableWeights);
    this.optimizer.apply(grads, this.trainableWeights);
    for (const m of this.metrics) {
      if (m.name === 'loss') m.updateState(loss, undefined as never);
      else m.updateState(y as Tensor, yPred);
    }
    return Object.fromEntries(this.metrics.map((m) => [m.name, m.result()]));
  }
}

function functional<M extends FunctionalModel>(Cls: new (args: ConstructorParameters<typeof FunctionalModel>[0]) => M, seed = 3): M {
  setSeed(seed);
  const inputs = Input({ shape: [32] });
  const outputs = Dense(1)(inputs);
  return new Cls({ inputs, outputs });
}

describe("the guide's custom trainStep", () => {
  it('trains to the same weights as the built-in step, and reports the compiled metrics', async () => {
    const { x, y } = data(256, 1);
    const custom = functional(CustomModel);
    custom.compile({ optimizer: Adam(0.01), loss: 'mse', metrics: ['mae'] });
    const plain = functional(FunctionalModel);
    plain.compile({ optimizer: Adam(0.01), loss: 'mse', metrics: ['mae'] });
    const h = await custom.fit(x, y, { epochs: 3, batchSize: 32, shuffle: false, verbose: 0 });
    const h2 = await plain.fit(x, y, { epochs: 3, batchSize: 32, shuffle: false, verbose: 0 });
    // the same maths in a different code path: the same weights (32 is a divisor of 256, so the
    // guide's unweighted loss mean over batches equals the weighted one)
    const [a, b] = [values(custom.getWeights()), values(plain.getWeights())];
    a.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], 5)));
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'mae']);
    h.history.loss.forEach((l, i) => expect(l).toBeCloseTo(h2.history.loss[i], 5));
    h.history.mae.forEach((l, i) => expect(l).toBeCloseTo(h2.history.mae[i], 5));
    // a further fit leaks nothing: state (weights, optimizer slots, metric states) is all that stays
    const before = memory().numTensors;
    await custom.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0 });
    expect(memory().numTensors).toBe(before);
    custom.dispose();
    plain.dispose();
    dispose([x, y]);
  });

  it('works with callbacks, validation (the built-in test step) and the progress bar', async () => {
    const { x, y } = data(64, 2);
    const m = functional(CustomModel);
    m.compile({ optimizer: SGD(0.05), loss: 'mse', metrics: ['mae'] });
    const writer = memoryWriter();
    const seen: number[] = [];
    const h = await m.fit(x, y, {
      epochs: 2,
      batchSize: 16,
      validationSplit: 0.25,
      writer,
      callbacks: [{ onEpochEnd: (e, logs) => void seen.push(e, logs.val_loss) }],
    });
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
    expect(seen[0]).toBe(0);
    expect(Number.isFinite(seen[1])).toBe(true);
    expect(writer.text()).toMatch(/Epoch 2\/2/);
    expect(writer.text()).toMatch(/loss: \d/);
    m.dispose();
    dispose([x, y]);
  });
});

/** The guide's lower-level example: no compiled loss or metrics, the model tracks its own. */
class TrackingModel extends FunctionalModel {
  readonly lossTracker = Mean({ name: 'loss' });
  readonly maeMetric = MeanAbsoluteError({ name: 'mae' });
  readonly lossFn = MeanSquaredError();

  override trainStep([x, y]: StepData): StepLogs {
    const { loss, grads, yPred } = valueAndGradients(() => {
      const yPred = this.apply(x, { training: true }) as Tensor;
      return { loss: this.lossFn(y as Tensor, yPred) as Scalar, yPred };
    }, this.trainableWeights);
    this.optimizer.apply(grads, this.trainableWeights);
    this.lossTracker.updateState(loss);
    this.maeMetric.updateState(y as Tensor, yPred);
    return { loss: this.lossTracker.result(), mae: this.maeMetric.result() };
  }

  override get metrics(): Metric[] {
    // listed so that fit resets them at the start of each epoch
    return [this.lossTracker, this.maeMetric];
  }
}

describe('a model that tracks its own metrics and is compiled without a loss', () => {
  it('compile({ optimizer }) is enough; the trackers are reset every epoch', async () => {
    const { x, y } = data(128, 4);
    const m = functional(TrackingModel);
    m.compile({ optimizer: 'adam' });
    const h = await m.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'mae']);
    // reset each epoch: the epoch value is over that epoch's 4 batches, so it falls
    expect(h.history.loss[2]).toBeLessThan(h.history.loss[0]);
    expect(m.metrics.map((t) => t.name)).toEqual(['loss', 'mae']);
    m.dispose();
    dispose([x, y]);
  });

  it('the built-in trainStep needs a loss, and says so', async () => {
    const m = functional(FunctionalModel);
    expect(() => m.compile({ optimizer: 'adam' })).toThrow("compile: a loss is required, e.g. compile({ loss: 'categorical_crossentropy'");
    m.dispose();
  });
});

/** The guide's custom testStep, used by evaluate (and by fit's validation). */
class EvalModel extends FunctionalModel {
  testCalls = 0;
  override testStep([x, y]: StepData): StepLogs {
    this.testCalls++;
    const yPred = this.apply(x, { training: false }) as Tensor;
    const loss = this.computeLoss({ y, yPred, training: false });
    for (const m of this.metrics) {
      if (m.name === 'loss') m.updateState(loss, undefined as never);
      else m.updateState(y as Tensor, yPred);
    }
    return Object.fromEntries(this.metrics.map((m) => [m.name, m.result()]));
  }
}

describe("the guide's custom testStep", () => {
  it('evaluate runs it batch by batch and returns the final logs', async () => {
    const { x, y } = data(96, 5);
    const m = functional(EvalModel);
    m.compile({ loss: 'mse', metrics: ['mae'] });
    const got = await m.evaluate(x, y, { batchSize: 32, returnDict: true });
    expect(m.testCalls).toBe(3);
    // the same numbers as the built-in evaluation (equal batches: the unweighted mean is the same)
    const plain = functional(FunctionalModel);
    plain.setWeights(m.getWeights());
    plain.compile({ loss: 'mse', metrics: ['mae'] });
    const want = await plain.evaluate(x, y, { batchSize: 32, returnDict: true });
    expect(got.loss).toBeCloseTo(want.loss, 5);
    expect(got.mae).toBeCloseTo(want.mae, 5);
    m.dispose();
    plain.dispose();
    dispose([x, y]);
  });
});

/** The guide's GAN: a model without a graph, two sub-models, two optimizers, no targets. */
class GAN extends LayersModel {
  readonly dLossTracker = Mean({ name: 'd_loss' });
  readonly gLossTracker = Mean({ name: 'g_loss' });
  dOptimizer!: KerasOptimizer;
  gOptimizer!: KerasOptimizer;
  lossFn!: ReturnType<typeof BinaryCrossentropy>;

  constructor(
    readonly discriminator: LayersModel,
    readonly generator: LayersModel,
    readonly latentDim: number,
  ) {
    super({ name: 'gan' });
  }

  override get metrics(): Metric[] {
    return [this.dLossTracker, this.gLossTracker];
  }

  compileGan(args: { dOptimizer: GAN['dOptimizer']; gOptimizer: GAN['gOptimizer']; lossFn: GAN['lossFn'] }): void {
    super.compile();
    this.dOptimizer = args.dOptimizer;
    this.gOptimizer = args.gOptimizer;
    this.lossFn = args.lossFn;
  }

  override trainStep([realImages]: StepData): StepLogs {
    const real = realImages as Tensor;
    const batchSize = real.shape[0];
    // the discriminator learns to tell generated (1) from real (0), with a little label noise
    const generated = this.generator.apply(randomNormal([batchSize, this.latentDim])) as Tensor;
    const combined = concat([generated, real], 0);
    let labels = concat([ones([batchSize, 1]), zeros([batchSize, 1])], 0);
    labels = labels.add(randomUniform(labels.shape, 0, 0.05));
    const d = valueAndGradients(() => this.lossFn(labels, this.discriminator.apply(combined, { training: true }) as Tensor) as Scalar, this.discriminator.trainableWeights);
    this.dOptimizer.apply(d.grads, this.discriminator.trainableWeights);
    // the generator learns to make the discriminator say "real"
    const misleading = zeros([batchSize, 1]);
    const g = valueAndGradients(() => {
      const fake = this.generator.apply(randomNormal([batchSize, this.latentDim]), { training: true }) as Tensor;
      return this.lossFn(misleading, this.discriminator.apply(fake) as Tensor) as Scalar;
    }, this.generator.trainableWeights);
    this.gOptimizer.apply(g.grads, this.generator.trainableWeights);
    this.dLossTracker.updateState(d.loss);
    this.gLossTracker.updateState(g.loss);
    return { d_loss: this.dLossTracker.result(), g_loss: this.gLossTracker.result() };
  }
}

function gan(seed: number): GAN {
  setSeed(seed);
  const discriminator = Sequential([Dense(16, { inputShape: [8], activation: 'relu' }), Dense(1)]);
  const generator = Sequential([Dense(16, { inputShape: [4], activation: 'relu' }), Dense(8, { activation: 'tanh' })]);
  const m = new GAN(discriminator, generator, 4);
  m.compileGan({ dOptimizer: Adam(3e-3), gOptimizer: Adam(3e-3), lossFn: BinaryCrossentropy({ fromLogits: true }) });
  return m;
}

describe("the guide's GAN: two optimizers, no targets, a model without a graph", () => {
  it('fit(x) alone runs trainStep per batch; both sub-models learn; History has d_loss and g_loss; no leaks', async () => {
    setSeed(11);
    const real = randomUniform([64, 8], -1, 1);
    const m = gan(12);
    expect(m.layers).toEqual([m.discriminator, m.generator]);
    expect(m.trainableWeights.length).toBe(8);
    const d0 = values(m.discriminator.getWeights());
    const g0 = values(m.generator.getWeights());
    const h = await m.fit(real, undefined, { epochs: 2, batchSize: 16, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['d_loss', 'g_loss']);
    for (const v of [...h.history.d_loss, ...h.history.g_loss]) expect(Number.isFinite(v)).toBe(true);
    expect(values(m.discriminator.getWeights())).not.toEqual(d0);
    expect(values(m.generator.getWeights())).not.toEqual(g0);
    // the optimizers took 4 steps per epoch each
    expect(m.dOptimizer.iterations).toBe(8);
    expect(m.gOptimizer.iterations).toBe(8);
    // a further epoch leaks nothing
    const before = memory().numTensors;
    await m.fit(real, undefined, { epochs: 1, batchSize: 16, verbose: 0 });
    expect(memory().numTensors).toBe(before);
    m.dispose();
    real.dispose();
  });

  it('one fit step is exactly the step written by hand with the same random draws', async () => {
    setSeed(21);
    const real = randomUniform([16, 8], -1, 1);
    const viaFit = gan(22);
    const byHand = gan(22);
    setSeed(99);
    await viaFit.fit(real, undefined, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
    setSeed(99);
    const logs = byHand.trainStep([real]);
    const a = [...values(viaFit.discriminator.getWeights()), ...values(viaFit.generator.getWeights())];
    const b = [...values(byHand.discriminator.getWeights()), ...values(byHand.generator.getWeights())];
    a.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], 6)));
    expect(viaFit.history?.history.d_loss[0]).toBeCloseTo((logs.d_loss as Tensor).dataSync()[0], 5);
    viaFit.dispose();
    byHand.dispose();
    real.dispose();
  });
});

describe('hooks that return the wrong thing get errors saying what was expected', () => {
  class Bad extends FunctionalModel {
    result: unknown = 42;
    override trainStep(): StepLogs {
      return this.result as StepLogs;
    }
  }

  it('a number, a tensor, a non-scalar log', async () => {
    const { x, y } = data(8, 7);
    const m = functional(Bad);
    m.compile({ optimizer: 'sgd' });
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(
      /^Model "model(_\d+)?".trainStep must return its logs as an object of scalar tensors or numbers \(\{ loss, accuracy, ... \}\), got the number 42$/,
    );
    m.result = tensor2d([[1]]);
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow('got a float32 tensor [1, 1]');
    m.result = { loss: tensor2d([[1, 2]]) };
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(
      /trainStep returned "loss": a float32 tensor \[1, 2\]; each log value must be a number or a scalar tensor/,
    );
    // the model is still usable after the failed fits
    m.result = { loss: 1 };
    const h = await m.fit(x, y, { verbose: 0 });
    expect(h.history.loss).toEqual([1]);
    m.dispose();
    dispose([x, y]);
  });

  it('a loss that does not depend on the weights is named as such', async () => {
    class Detached extends FunctionalModel {
      override trainStep([, y]: StepData): StepLogs {
        const { loss } = valueAndGradients(() => MeanSquaredError()(y as Tensor, zeros((y as Tensor).shape)) as Scalar, this.trainableWeights);
        return { loss };
      }
    }
    const { x, y } = data(8, 8);
    const m = functional(Detached);
    m.compile({ optimizer: 'sgd' });
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow('valueAndGradients: the loss does not depend on any of the variables given');
    m.dispose();
    dispose([x, y]);
  });

  it('a second fit while one runs is refused', async () => {
    const { x, y } = data(64, 9);
    const s = Sequential([Dense(1, { inputShape: [32] })]);
    s.compile({ loss: 'mse', optimizer: 'sgd' });
    const first = s.fit(x, y, { epochs: 2, verbose: 0 });
    await expect(s.fit(x, y, { verbose: 0 })).rejects.toThrow(/^fit: fit is already running on Sequential "sequential(_\d+)?"; await the first fit before starting another$/);
    await first;
    s.dispose();
    dispose([x, y]);
  });

  it('a second fit while one runs is refused, also when both load code on demand (sample weights)', async () => {
    const { x, y } = data(64, 9);
    const s = Sequential([Dense(1, { inputShape: [32] })]);
    s.compile({ loss: 'mse', optimizer: 'sgd' });
    const sampleWeight = new Float32Array(64).fill(1);
    const first = s.fit(x, y, { epochs: 2, verbose: 0, sampleWeight });
    await expect(s.fit(x, y, { verbose: 0, sampleWeight })).rejects.toThrow(/^fit: fit is already running on Sequential/);
    await first;
    s.dispose();
    dispose([x, y]);
  });
});

describe('the fused built-in steps and the hooks they stand for give the same numbers', () => {
  // Overriding trainStep/testStep with super's turns the fused path off without changing the maths.
  class Hooked extends FunctionalModel {
    override trainStep(d: StepData): StepLogs {
      return super.trainStep(d);
    }
    override testStep(d: StepData): StepLogs {
      return super.testStep(d);
    }
  }

  function classifier<M extends FunctionalModel>(Cls: new (a: ConstructorParameters<typeof FunctionalModel>[0]) => M): M {
    setSeed(5);
    const inputs = Input({ shape: [6] });
    const h = Dense(8, { activation: 'relu', kernelRegularizer: { className: 'L2', config: { l2: 0.01 } } })(inputs);
    const outputs = Dense(3, { activation: 'softmax', activityRegularizer: { className: 'L1', config: { l1: 0.001 } } })(h);
    const m = new Cls({ inputs, outputs });
    m.compile({ loss: 'categorical_crossentropy', optimizer: Adam(0.02), metrics: ['accuracy', 'precision', 'auc'] });
    return m;
  }

  it('softmax + cross-entropy, regularizers, stateful metrics, validation', async () => {
    setSeed(6);
    const x = randomNormal([90, 6]);
    const labels = x.slice([0, 0], [90, 3]).argMax(1);
    const y = (await import('@neurona/tensor')).oneHot(labels, 3).cast('float32');
    const fused = classifier(FunctionalModel);
    const hooked = classifier(Hooked);
    const opts = { epochs: 3, batchSize: 20, shuffle: false, validationSplit: 0.2, verbose: 0 as const };
    const a = await fused.fit(x, y, opts);
    const b = await hooked.fit(x, y, opts);
    expect(Object.keys(a.history)).toEqual(Object.keys(b.history));
    for (const k of Object.keys(a.history)) a.history[k].forEach((v, i) => expect(v, k).toBeCloseTo(b.history[k][i], 4));
    const [wa, wb] = [values(fused.getWeights()), values(hooked.getWeights())];
    wa.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(wb[i][j], 5)));
    // and the model's metric objects report the last epoch either way
    const ra = fused.metrics.map((m) => m.result().dataSync()[0]);
    const rb = hooked.metrics.map((m) => m.result().dataSync()[0]);
    ra.forEach((v, i) => expect(v).toBeCloseTo(rb[i], 4));
    fused.dispose();
    hooked.dispose();
    dispose([x, labels, y]);
  });
});
