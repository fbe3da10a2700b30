import { afterEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as M from '../src/index';

// The stateful Metric API: updateState / result / resetState, the callable batch form, custom
// metrics written as in Keras, AdditiveMetric's contract, Mean / Sum, and Keras's documented values.

const v = (t: T.Tensor): number[] => {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
};
const one = (t: T.Tensor): number => v(t)[0];
const t1 = (xs: number[]) => T.tensor1d(xs);
const t2 = (xs: number[][]) => T.tensor2d(xs);

/** Keras's guide example: a metric with its own state variable. */
class BinaryTruePositives extends M.Metric {
  readonly truePositives = this.addWeight('true_positives', []);

  updateState(yTrue: T.Tensor, yPred: T.Tensor, sampleWeight?: T.Tensor): void {
    T.tidy(() => {
      let values = T.cast(T.logicalAnd(T.notEqual(yTrue, 0), T.notEqual(yPred, 0)), 'float32');
      if (sampleWeight) values = T.mul(values, sampleWeight.rank < values.rank ? T.expandDims(sampleWeight, -1) : sampleWeight);
      this.truePositives.assign(T.add(this.truePositives, T.sum(values)));
    });
  }

  result(): T.Tensor {
    return T.clone(this.truePositives);
  }
}

/** The AdditiveMetric doc example: the fraction of predictions within 0.1 of the truth. */
class WithinTenth extends M.AdditiveMetric {
  static override readonly className = 'WithinTenth';
  readonly stateSize = 2;

  batchState(yTrue: T.Tensor, yPred: T.Tensor): T.Tensor {
    return T.tidy(() => {
      const hit = T.cast(T.lessEqual(T.abs(T.sub(yTrue, yPred)), 0.1001), 'float32');
      return T.stack([T.sum(hit), T.scalar(hit.size)]);
    });
  }

  resultFrom(state: T.Tensor): T.Tensor {
    return T.tidy(() => T.reshape(T.divNoNan(T.slice(state, [0], [1]), T.slice(state, [1], [1])), []));
  }
}

describe('Metric: state accumulated over batches, Keras style', () => {
  it('a subclass with its own state variable: updateState, result, resetState, identity', () => {
    const m = new BinaryTruePositives();
    expect(m.className).toBe('BinaryTruePositives');
    expect(m.name).toBe('binary_true_positives');
    expect(m.getConfig()).toEqual({ name: 'binary_true_positives' });
    expect(String(m)).toBe('BinaryTruePositives "binary_true_positives"');
    expect(M.isMetric(m)).toBe(true);
    expect(M.isAdditive(m)).toBe(false);
    expect(m).toBeInstanceOf(M.Metric);
    expect(typeof m).toBe('function');
    m.updateState(t1([0, 1, 1, 1]), t1([1, 0, 1, 1]));
    m.updateState(t1([1, 1]), t1([1, 0]), t1([0.5, 3]));
    expect(one(m.result())).toBeCloseTo(2.5, 6);
    // the callable form is this batch alone and leaves the state as it was
    expect(one(m(t1([1, 1, 1]), t1([1, 1, 0])))).toBe(2);
    expect(one(m.result())).toBeCloseTo(2.5, 6);
    m.resetState();
    expect(one(m.result())).toBe(0);
    expect(m.variables).toHaveLength(1);
    m.dispose();
  });

  it('the callable form restores the state when updateState throws, and builds nothing for good', () => {
    class Picky extends M.Metric {
      private total: T.Variable | null = null;
      updateState(yTrue: T.Tensor): void {
        if (yTrue.rank !== 1) throw new Error('Picky: expects [batch]');
        // built on the first batch, as Keras metrics often are
        this.total ??= this.addWeight('total', [], 'zeros');
        const total = this.total;
        T.tidy(() => total.assign(T.add(total, T.sum(yTrue))));
      }
      result(): T.Tensor {
        return this.total ? T.clone(this.total) : T.scalar(0);
      }
    }
    const m = new Picky({ name: 'picky' });
    expect(one(m(t1([1, 2]), t1([0, 0])))).toBe(3);
    // the variable made by that call is empty again
    expect(one(m.result())).toBe(0);
    m.updateState(t1([4]));
    expect(() => m(t2([[1]]), t2([[1]]))).toThrow('Picky: expects [batch]');
    expect(one(m.result())).toBe(4);
    m.dispose();
  });

  it('addWeight: initializers, resetState refills them, bad arguments name what was expected', () => {
    class Init extends M.Metric {
      readonly a = this.addWeight('a', [2], 'ones');
      readonly b = this.addWeight('b', [1], (shape) => T.fill(shape, 7));
      updateState(yTrue: T.Tensor): void {
        T.tidy(() => this.a.assign(T.add(this.a, yTrue)));
      }
      result(): T.Tensor {
        return T.tidy(() => T.add(T.sum(this.a), T.sum(this.b)));
      }
    }
    const m = new Init();
    expect(one(m.result())).toBe(9);
    m.updateState(t1([1, 2]));
    expect(one(m.result())).toBe(12);
    m.resetState();
    expect(one(m.result())).toBe(9);
    expect(() => m.addWeight('', [1])).toThrow('Init.addWeight: name must be a non-empty string, got ""');
    expect(() => m.addWeight('c', [-1])).toThrow('Init.addWeight: shape must be an array of integers >= 0, got [-1]');
    expect(() => m.addWeight('c', [2], () => T.zeros([3]))).toThrow('Init.addWeight: the initializer returned shape [3], expected [2]');
    expect(() => m.addWeight('c', [2], 'twos' as M.StateInitializer)).toThrow(
      `Init.addWeight: initializer must be 'zeros', 'ones' or a function (shape) => Tensor, got "twos"`,
    );
    m.dispose();
  });

  it('a user AdditiveMetric: updateState, mergeState, getState, result and the batch form', () => {
    const m = new WithinTenth({ name: 'close' });
    expect([m.className, m.name, m.stateSize]).toEqual(['WithinTenth', 'close', 2]);
    expect(M.isAdditive(m)).toBe(true);
    expect(one(m.result())).toBe(0);
    m.updateState(t1([1, 2, 3]), t1([1.05, 2.5, 3]));
    expect(v(m.getState())).toEqual([2, 3]);
    m.mergeState(t1([1, 1]));
    expect(one(m.result())).toBeCloseTo(3 / 4, 6);
    expect(one(m(t1([0]), t1([1])))).toBe(0);
    expect(v(m.batchState(t1([0, 0]), t1([0, 1])))).toEqual([1, 2]);
    expect(one(m.result())).toBeCloseTo(3 / 4, 6);
    expect(() => m.mergeState(t1([1, 2, 3]))).toThrow('WithinTenth "close": expected a state of shape [2], got [3]');
    expect(() => m.mergeState(t2([[1, 2]]))).toThrow('WithinTenth "close": a state must be a vector [stateSize], got shape [1, 2]');
    expect(one(m.result())).toBeCloseTo(3 / 4, 6);
    m.dispose();
  });

  it('options are checked: an object, a non-empty name, known keys', () => {
    expect(() => new BinaryTruePositives({ name: '' })).toThrow('BinaryTruePositives: name must be a non-empty string, got ""');
    expect(() => new BinaryTruePositives(null as unknown as M.MetricOptions)).toThrow(
      'BinaryTruePositives: options must be an object, got null',
    );
    expect(() => M.Precision({ treshold: 0.5 } as M.ThresholdMetricOptions)).toThrow(
      'Precision: unknown option "treshold" (did you mean "threshold"?). Known options: threshold, classId, name',
    );
    expect(() => M.Mean({ nme: 'x' } as M.MetricOptions)).toThrow('Mean: unknown option "nme" (did you mean "name"?). Known options: name');
  });
});

describe("Keras's documented values (keras/src/metrics docstrings)", () => {
  it('Mean and Sum, with and without sample weights, over several updates', () => {
    const mean = M.Mean();
    mean.updateState(t1([1, 3, 5, 7]));
    expect(one(mean.result())).toBe(4);
    mean.resetState();
    mean.updateState(t1([1, 3, 5, 7]), t1([1, 1, 0, 0]));
    expect(one(mean.result())).toBe(2);
    mean.updateState(t1([10]), t1([2]));
    expect(one(mean.result())).toBeCloseTo((1 + 3 + 20) / 4, 6);
    // a scalar weight counts the (averaged) batch once with that weight, as reduce_to_samplewise_values
    mean.resetState();
    mean.updateState(t1([1, 3, 5, 7]), T.scalar(2));
    expect(v(mean.getState())).toEqual([8, 2]);
    // [batch, k] values: one mean per sample
    mean.resetState();
    mean.updateState(t2([[1, 3], [5, 7]]));
    expect(v(mean.getState())).toEqual([8, 2]);
    expect(one(mean(t1([2, 4])))).toBe(3);
    expect(mean.name).toBe('mean');
    const sum = M.Sum();
    sum.updateState(t1([1, 3, 5, 7]));
    expect(one(sum.result())).toBe(16);
    sum.resetState();
    sum.updateState(t1([1, 3, 5, 7]), t1([1, 1, 0, 0]));
    expect(one(sum.result())).toBe(4);
    sum.updateState(t2([[1, 2], [3, 4]]));
    expect(one(sum.result())).toBe(14);
    expect([sum.className, sum.name]).toEqual(['Sum', 'sum']);
    expect(() => mean.updateState(t1([1, 2, 3]), t1([1, 2]))).toThrow(
      'Mean: sampleWeight of shape [2] does not broadcast to [3]; expected a scalar, [batch] or the shape of the values',
    );
    mean.dispose();
    sum.dispose();
  });

  it('accuracy metrics: the weighted mean over every sample seen', () => {
    const bin = M.BinaryAccuracy();
    bin.updateState(t2([[1], [1], [0], [0]]), t2([[0.98], [1], [0], [0.6]]));
    expect(one(bin.result())).toBe(0.75);
    bin.resetState();
    bin.updateState(t2([[1], [1], [0], [0]]), t2([[0.98], [1], [0], [0.6]]), t1([1, 0, 0, 1]));
    expect(one(bin.result())).toBe(0.5);

    const cat = M.CategoricalAccuracy();
    const yt = t2([[0, 0, 1], [0, 1, 0]]);
    const yp = t2([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
    cat.updateState(yt, yp);
    expect(one(cat.result())).toBe(0.5);
    cat.resetState();
    cat.updateState(yt, yp, t1([0.7, 0.3]));
    expect(one(cat.result())).toBeCloseTo(0.3, 6);

    const sparse = M.SparseCategoricalAccuracy();
    sparse.updateState(t2([[2], [1]]), t2([[0.1, 0.6, 0.3], [0.05, 0.95, 0]]), t1([0.7, 0.3]));
    expect(one(sparse.result())).toBeCloseTo(0.3, 6);

    const top = M.TopKCategoricalAccuracy({ k: 1 });
    top.updateState(yt, yp, t1([0.7, 0.3]));
    expect(one(top.result())).toBeCloseTo(0.3, 6);
    const sparseTop = M.SparseTopKCategoricalAccuracy({ k: 1 });
    sparseTop.updateState(t1([2, 1]), yp);
    expect(one(sparseTop.result())).toBe(0.5);

    // batches of 3 and 1: the fraction of the 4 samples, not the mean of the two batch values
    const acc = M.get('accuracy', { lossName: 'sparse_categorical_crossentropy' });
    acc.updateState(t1([0, 1, 2]), t2([[1, 0, 0], [1, 0, 0], [1, 0, 0]]));
    acc.updateState(t1([0]), t2([[1, 0, 0]]));
    expect(one(acc.result())).toBe(0.5);
    for (const m of [bin, cat, sparse, top, sparseTop, acc]) m.dispose();
  });

  it('Precision and Recall: tp / (tp + fp) and tp / (tp + fn) of the summed counts', () => {
    const p = M.Precision();
    p.updateState(t1([0, 1, 1, 1]), t1([1, 0, 1, 1]));
    expect(one(p.result())).toBeCloseTo(2 / 3, 6);
    p.resetState();
    p.updateState(t1([0, 1, 1, 1]), t1([1, 0, 1, 1]), t1([0, 0, 1, 0]));
    expect(one(p.result())).toBe(1);
    const r = M.Recall();
    r.updateState(t1([0, 1, 1, 1]), t1([1, 0, 1, 1]));
    expect(one(r.result())).toBeCloseTo(2 / 3, 6);
    r.resetState();
    r.updateState(t1([0, 1, 1, 1]), t1([1, 0, 1, 1]), t1([0, 0, 1, 0]));
    expect(one(r.result())).toBe(1);
    // two batches: 1/2 and 2/2 precise → 3/4 overall, not the mean 0.75 of the batches by luck: use 1/3 and 1/1
    p.resetState();
    p.updateState(t1([1, 0, 0]), t1([1, 1, 1]));
    p.updateState(t1([1]), t1([1]));
    expect(one(p.result())).toBe(0.5);
    expect(v(p.getState())).toEqual([2, 2]);
    p.dispose();
    r.dispose();
  });

  it('F1Score / FBetaScore: per-class counts accumulated, then averaged', () => {
    const yt = t2([[1, 1, 1], [1, 0, 0], [1, 1, 0]]);
    const yp = t2([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]);
    const f1 = M.F1Score({ threshold: 0.5 });
    f1.updateState(yt, yp);
    expect(one(f1.result())).toBeCloseTo((0.5 + 0.8 + 0.6666667) / 3, 6);
    const fb = M.FBetaScore({ beta: 2, threshold: 0.5 });
    fb.updateState(yt, yp);
    expect(one(fb.result())).toBeCloseTo((0.3846154 + 0.90909094 + 0.8333334) / 3, 6);
    expect(fb.getConfig()).toEqual({ name: 'fbeta_score', average: 'macro', threshold: 0.5, beta: 2 });
    expect(f1.getConfig()).toEqual({ name: 'f1_score', average: 'macro', threshold: 0.5 });
    f1.dispose();
    fb.dispose();
  });

  it('MeanSquaredError (a MeanMetricWrapper), and a wrapped function of your own', () => {
    const mse = M.MeanSquaredError();
    mse.updateState(t2([[0, 1], [0, 0]]), t2([[1, 1], [0, 0]]));
    expect(one(mse.result())).toBe(0.25);
    mse.resetState();
    mse.updateState(t2([[0, 1], [0, 0]]), t2([[1, 1], [0, 0]]), t1([1, 0]));
    expect(one(mse.result())).toBe(0.5);
    const mine = M.MeanMetricWrapper((a, b) => T.mean(T.abs(T.sub(a, b)), -1), { name: 'my_mae' });
    expect([mine.className, mine.name, mine.stateSize]).toEqual(['MeanMetricWrapper', 'my_mae', 2]);
    mine.updateState(t2([[1, 2]]), t2([[2, 2]]));
    mine.updateState(t2([[0, 0], [1, 1]]), t2([[0, 0], [1, 1]]));
    expect(one(mine.result())).toBeCloseTo(0.5 / 3, 6);
    mse.dispose();
    mine.dispose();
  });
});

describe('sizes known after the first batch, and bad input', () => {
  it('F1Score learns the number of classes from its first batch; micro is 4 from the start', () => {
    const f1 = M.F1Score();
    expect(() => f1.stateSize).toThrow('F1Score "f1_score": the state size (4 × the number of classes) is known after the first batch');
    expect(v(f1.getState())).toEqual([]);
    expect(one(f1.result())).toBe(0);
    f1.updateState(t2([[1, 0, 0]]), t2([[0.9, 0.05, 0.05]]));
    expect(f1.stateSize).toBe(12);
    expect(() => f1.updateState(t2([[1, 0]]), t2([[0.9, 0.1]]))).toThrow('F1Score "f1_score": built for 3 classes, got yPred [1, 2]');
    expect(M.F1Score({ average: 'micro' }).stateSize).toBe(4);
    // a state merged into an empty metric sizes it
    const g = M.FBetaScore();
    g.mergeState(T.zeros([8]));
    expect(g.stateSize).toBe(8);
    expect(() => M.FBetaScore().mergeState(T.zeros([6]))).toThrow('FBetaScore "fbeta_score": a state holds 4 × classes values, got 6');
    f1.dispose();
    g.dispose();
  });

  it('sample weights that do not fit name both shapes', () => {
    const p = M.Precision();
    expect(() => p.updateState(t2([[1, 0], [0, 1]]), t2([[1, 0], [0, 1]]), t1([1, 2, 3]))).toThrow(
      'precision: sampleWeight of shape [3] does not broadcast to [2, 2]; expected a scalar, [batch] or the shape of yTrue',
    );
    expect(v(p.getState())).toEqual([0, 0]);
    expect(() => M.F1Score().updateState(t2([[1, 0]]), t2([[1, 0]]), t2([[1, 2, 3]]))).toThrow(
      'f1_score: sampleWeight of shape [1, 3] does not broadcast to [1, 2]',
    );
    p.dispose();
  });
});

describe('registry, serialization and 0.1-style metrics', () => {
  it('new names: auc, mean, sum; configs round-trip through serialize / get', () => {
    expect([M.get('auc').className, M.get('auc').name]).toEqual(['AUC', 'auc']);
    expect(M.get('AUC').name).toBe('auc');
    expect(M.get('mean').className).toBe('Mean');
    expect(M.get('Sum').name).toBe('sum');
    for (const m of [
      M.AUC({ curve: 'PR', thresholds: [0.7, 0.2], name: 'pr_auc' }),
      M.AUC({ multiLabel: true, numLabels: 2, labelWeights: [1, 3], numThresholds: 50, fromLogits: true }),
      M.F1Score({ average: 'weighted', threshold: 0.4 }),
      M.Precision({ classId: 1 }),
      M.Mean({ name: 'loss' }),
    ]) {
      const s = M.serialize(m);
      const back = M.get(s);
      expect(back.className).toBe(m.className);
      expect(back.getConfig()).toEqual(m.getConfig());
    }
  });

  it('a 0.1-style callable metric (a function with className) is adapted: batch values weighted by batch size', () => {
    const batchMean = Object.assign((yTrue: T.Tensor, yPred: T.Tensor) => T.mean(T.sub(yTrue, yPred)), {
      className: 'MyDiff',
      getConfig: () => ({ name: 'my_diff', scale: 1 }),
    });
    Object.defineProperty(batchMean, 'name', { value: 'my_diff' });
    const m = M.get(batchMean as unknown as M.CallableMetric);
    expect(M.isAdditive(m)).toBe(true);
    expect([m.className, m.name]).toEqual(['MyDiff', 'my_diff']);
    expect(M.serialize(m)).toEqual({ className: 'MyDiff', config: { name: 'my_diff', scale: 1 } });
    expect(M.get(batchMean as unknown as M.CallableMetric)).toBe(m);
    m.updateState(t1([3, 3, 3]), t1([0, 0, 0]));
    m.updateState(t1([1]), t1([0]));
    expect(one(m.result())).toBeCloseTo(10 / 4, 6);
    expect(one(m(t1([2]), t1([0])))).toBe(2);
    M.registerMetric('my_diff', batchMean as unknown as M.CallableMetric);
    expect(M.get('my_diff')).toBe(m);
    m.dispose();
  });

  it('a registered factory must return a metric', () => {
    M.registerMetric('not_a_metric', (() => 42) as unknown as M.MetricFactory);
    expect(() => M.get('not_a_metric')).toThrow(
      'metrics.get("not_a_metric"): the registered factory returned a non-metric: expected a Metric, got number',
    );
    M.registerMetric('within_tenth', (config) => new WithinTenth(config));
    expect(M.get('within_tenth').className).toBe('WithinTenth');
  });
});

function make(): M.Metric[] {
  return [
    M.get('accuracy'),
    M.BinaryAccuracy(),
    M.SparseTopKCategoricalAccuracy({ k: 2 }),
    M.TopKCategoricalAccuracy({ k: 1 }),
    M.get('mse'),
    M.get('mape'),
    M.Precision(),
    M.Recall({ classId: 1 }),
    M.F1Score(),
    M.FBetaScore({ average: 'weighted', beta: 2 }),
    M.F1Score({ average: 'micro', threshold: 0.5 }),
    M.AUC(),
    M.AUC({ curve: 'PR', multiLabel: true }),
    M.AUC({ thresholds: [0.3, 0.6], fromLogits: true }),
    M.MeanMetricWrapper((a, b) => T.abs(T.sub(a, b)), { name: 'abs' }),
    new WithinTenth(),
    new BinaryTruePositives(),
  ];
}

describe('no leaks', () => {
  let metrics: M.Metric[] = [];
  afterEach(() => metrics.forEach((m) => m.dispose()));

  it('updateState, result, resetState, batchState, mergeState, getState and the callable leak nothing; dispose frees the state', () => {
    const start = T.memory().numTensors;
    metrics = make();
    const yt = T.tensor2d([[0, 1], [1, 0], [0, 1]]);
    const yp = T.tensor2d([[0.2, 0.8], [0.6, 0.4], [0.7, 0.3]]);
    const sparse = T.tensor1d([1, 0, 0], 'int32');
    const w = T.tensor1d([1, 0.5, 2]);
    const inputs = (m: M.Metric): [T.Tensor, T.Tensor] => [m.className.startsWith('Sparse') ? sparse : yt, yp];
    // first updates create the state variables
    for (const m of metrics) m.updateState(...inputs(m), w);
    const before = T.memory().numTensors;
    for (const m of metrics) {
      m.updateState(...inputs(m));
      m.updateState(...inputs(m), w);
      m.result().dispose();
      m(...inputs(m)).dispose();
      m(...inputs(m), w).dispose();
      if (M.isAdditive(m)) {
        const s = m.batchState(...inputs(m), w);
        m.mergeState(s);
        s.dispose();
        const state = m.getState();
        m.resultFrom(state).dispose();
        state.dispose();
      }
      m.resetState();
    }
    expect(T.memory().numTensors).toBe(before);
    for (const m of metrics) m.dispose();
    metrics = [];
    T.dispose([yt, yp, sparse, w]);
    expect(T.memory().numTensors).toBe(start);
  });

  it('failed calls leak nothing and leave the state as it was', () => {
    metrics = [M.Precision(), M.F1Score(), M.AUC({ multiLabel: true, numLabels: 2 }), M.CategoricalAccuracy()];
    const yt = T.tensor2d([[0, 1], [1, 0]]);
    const yp = T.tensor2d([[0.2, 0.8], [0.6, 0.4]]);
    for (const m of metrics) m.updateState(yt, yp);
    const states = metrics.map((m) => v((m as M.AdditiveMetric).getState()));
    const before = T.memory().numTensors;
    const bad = T.tensor2d([[0.2, 0.8, 0], [0.6, 0.4, 0]]);
    const badWeight = T.tensor1d([1, 2, 3]);
    for (const m of metrics) {
      expect(() => m.updateState(yt, bad)).toThrow();
      expect(() => m.updateState(yt, yp, badWeight)).toThrow();
      expect(() => m(yt, bad)).toThrow();
    }
    T.dispose([bad, badWeight]);
    expect(T.memory().numTensors).toBe(before);
    metrics.forEach((m, i) => expect(v((m as M.AdditiveMetric).getState())).toEqual(states[i]));
    T.dispose([yt, yp]);
  });
});

describe('the README example', () => {
  it('gives the values the README prints', async () => {
    const oneHot = t2([[1, 0], [0, 1], [0, 1]]);
    const predictions = t2([[0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]);
    const acc = M.get('accuracy', { lossName: 'categorical_crossentropy', outputUnits: 2 });
    expect([acc.className, acc.name]).toEqual(['CategoricalAccuracy', 'accuracy']);
    acc.updateState(oneHot, predictions);
    acc.updateState(t2([[1, 0]]), t2([[0.9, 0.1]]));
    expect(one(acc.result())).toBe(0.75);
    acc.resetState();
    expect(one(M.CategoricalAccuracy()(oneHot, predictions))).toBeCloseTo(2 / 3, 6);
    const auc = M.AUC();
    auc.updateState(t1([0, 0, 1, 1]), t1([0.1, 0.4, 0.35, 0.8]));
    expect(one(auc.result())).toBeCloseTo(0.75, 6);
    const report = await M.classificationReport(T.argMax(oneHot, 1).data(), T.argMax(predictions, 1).data());
    expect(report).toBe(M.classificationReport([0, 1, 1], [0, 1, 0]));
    M.registerMetric('BinaryTruePositives', (config) => new BinaryTruePositives(config));
    expect(M.get({ className: 'BinaryTruePositives', config: { name: 'tp' } }).name).toBe('tp');
    T.dispose([oneHot, predictions]);
    acc.dispose();
    auc.dispose();
  });
});
