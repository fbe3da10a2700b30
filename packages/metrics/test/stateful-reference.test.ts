import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as M from '../src/index';
import ref from './reference/stateful-metrics.json';

// Epoch values over several batches against scikit-learn 1.2 on all samples at once, and AUC
// against a numpy re-implementation of Keras 3's algorithm (reference/stateful_metrics.py).

type Matrix = number[] | number[][];

/** Tensors of each batch: consecutive slices of the given sizes. */
function batches(y: Matrix, sizes: number[]): T.Tensor[] {
  const out: T.Tensor[] = [];
  let start = 0;
  for (const n of sizes) {
    const rows = y.slice(start, start + n);
    out.push(Array.isArray(rows[0]) ? T.tensor2d(rows as number[][]) : T.tensor1d(rows as number[]));
    start += n;
  }
  expect(start).toBe(y.length);
  return out;
}

const value = (t: T.Tensor): number => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

/** The metric's epoch value through updateState/result, over the batches. */
function epoch(metric: M.Metric, yTrue: Matrix, yPred: Matrix, sizes: number[], weights?: number[] | null): number {
  const ts = batches(yTrue, sizes);
  const ps = batches(yPred, sizes);
  const ws = weights ? batches(weights, sizes) : null;
  metric.resetState();
  ts.forEach((t, i) => metric.updateState(t, ps[i], ws ? ws[i] : undefined));
  T.dispose([...ts, ...ps, ...(ws ?? [])]);
  return value(metric.result());
}

/**
 * The models' fast path: the batchStates of every metric of a step concatenated and added to one
 * running sum; at the end each metric's slice goes to resultFrom.
 */
function fastPath(metrics: M.AdditiveMetric[], yTrue: Matrix, yPred: Matrix, sizes: number[], weights?: number[] | null): number[] {
  const ts = batches(yTrue, sizes);
  const ps = batches(yPred, sizes);
  const ws = weights ? batches(weights, sizes) : null;
  let sums: T.Tensor | null = null;
  ts.forEach((t, i) => {
    const next = T.tidy(() => {
      const step = T.concat(metrics.map((m) => m.batchState(t, ps[i], ws ? ws[i] : undefined)));
      return sums === null ? step : T.add(sums, step);
    });
    sums?.dispose();
    sums = next;
  });
  T.dispose([...ts, ...ps, ...(ws ?? [])]);
  let offset = 0;
  const out = metrics.map((m) => {
    const v = value(T.tidy(() => m.resultFrom(T.slice(sums as unknown as T.Tensor, [offset], [m.stateSize]))));
    offset += m.stateSize;
    return v;
  });
  (sums as unknown as T.Tensor).dispose();
  return out;
}

const cls = ref.classification;
const bin = ref.binary;

describe('Precision, Recall, F1, FBeta over an epoch equal scikit-learn on all samples', () => {
  // float32 sums and Keras's 1e-7 in the F-score denominators: the largest difference measured is 1.5e-7
  const TOL = 1e-6;

  for (const weighted of [false, true]) {
    const w = weighted ? cls.weights : null;
    const e = (weighted ? cls.weighted : cls.expected) as Record<string, number>;
    const label = weighted ? ' (sample weights)' : '';

    it(`F1Score and FBetaScore, micro / macro / weighted, 5 ragged batches${label}`, () => {
      for (const average of ['micro', 'macro', 'weighted'] as const) {
        expect(epoch(M.F1Score({ average }), cls.yTrue, cls.yPred, cls.batches, w)).toBeCloseTo(e[`f1_${average}`], 6);
        const f2 = epoch(M.FBetaScore({ average, beta: 2 }), cls.yTrue, cls.yPred, cls.batches, w);
        expect(Math.abs(f2 - e[`fbeta2_${average}`])).toBeLessThan(TOL);
        const f05 = epoch(M.FBetaScore({ average, beta: 0.5 }), cls.yTrue, cls.yPred, cls.batches, w);
        expect(Math.abs(f05 - e[`fbeta05_${average}`])).toBeLessThan(TOL);
        const thr = epoch(M.F1Score({ average, threshold: 0.3 }), cls.yTrue, cls.yPred, cls.batches, w);
        expect(Math.abs(thr - e[`f1_thr03_${average}`])).toBeLessThan(TOL);
      }
    });

    it(`Precision and Recall over flattened one-hot outputs and one class${label}`, () => {
      const cases: [M.Metric, string][] = [
        [M.Precision(), 'precision_flat'],
        [M.Recall(), 'recall_flat'],
        [M.Precision({ threshold: 0.2 }), 'precision_flat_thr02'],
        [M.Precision({ classId: 2 }), 'precision_class2'],
        [M.Recall({ classId: 2 }), 'recall_class2'],
      ];
      for (const [m, key] of cases) expect(Math.abs(epoch(m, cls.yTrue, cls.yPred, cls.batches, w) - e[key])).toBeLessThan(TOL);
    });

    it(`binary Precision / Recall on [batch] labels and probabilities${label}`, () => {
      const wb = weighted ? bin.weights : null;
      const eb = (weighted ? bin.weighted : bin.expected) as Record<string, number>;
      expect(Math.abs(epoch(M.Precision(), bin.yTrue, bin.yPred, bin.batches, wb) - eb.precision)).toBeLessThan(TOL);
      expect(Math.abs(epoch(M.Recall(), bin.yTrue, bin.yPred, bin.batches, wb) - eb.recall)).toBeLessThan(TOL);
      expect(Math.abs(epoch(M.Precision({ threshold: 0.7 }), bin.yTrue, bin.yPred, bin.batches, wb) - eb.precision_thr07)).toBeLessThan(TOL);
      expect(Math.abs(epoch(M.Recall({ threshold: 0.7 }), bin.yTrue, bin.yPred, bin.batches, wb) - eb.recall_thr07)).toBeLessThan(TOL);
    });
  }

  it('the per-batch average of 0.1 is not the epoch value (the reason for the state)', () => {
    const ts = batches(cls.yTrue, cls.batches);
    const ps = batches(cls.yPred, cls.batches);
    const m = M.F1Score();
    let weightedMean = 0;
    ts.forEach((t, i) => (weightedMean += value(m(t, ps[i])) * t.shape[0]));
    weightedMean /= cls.yTrue.length;
    T.dispose([...ts, ...ps]);
    // far outside the 1e-6 the stateful form meets
    expect(Math.abs(weightedMean - cls.expected.f1_macro)).toBeGreaterThan(1e-4);
  });

  it("the models' fast path (concatenated batch states, one running sum) gives the same values as updateState", () => {
    const metrics = [
      M.Precision(),
      M.Recall({ classId: 2 }),
      M.F1Score({ average: 'weighted' }),
      M.FBetaScore({ beta: 2, average: 'micro' }),
      M.CategoricalAccuracy(),
      M.AUC(),
    ];
    const fast = fastPath(metrics, cls.yTrue, cls.yPred, cls.batches, cls.weights);
    metrics.forEach((m, i) => {
      expect(fast[i]).toBeCloseTo(epoch(m, cls.yTrue, cls.yPred, cls.batches, cls.weights), 6);
    });
    expect(fast[0]).toBeCloseTo(cls.weighted.precision_flat, 6);
    expect(fast[2]).toBeCloseTo(cls.weighted.f1_weighted, 6);
  });
});

describe('AUC equals the numpy re-implementation of Keras 3 (1e-6), and scikit-learn up to the threshold grid', () => {
  // what 200 thresholds cost against the exact areas, measured on these data (reference script prints them)
  const SKLEARN_TOL: Record<string, number> = {
    ROC: 5e-4,
    'ROC, sample weights': 5e-4,
    'ROC, 1000 thresholds': 2e-4,
    'ROC from logits': 5e-4,
    'PR interpolation': 5e-4,
    'PR interpolation, sample weights': 5e-4,
    'multi-label ROC': 1e-4,
    'multi-label PR': 3e-3,
    'flattened multi-output': 1e-4,
  };

  for (const c of ref.auc) {
    it(`${c.name}${c.evenly ? '' : ' (direct threshold comparison)'}`, () => {
      const m = M.AUC(c.options as M.AUCOptions);
      const got = epoch(m, c.yTrue, c.yPred, c.batches, c.weights);
      expect(Math.abs(got - c.keras)).toBeLessThan(1e-6);
      if (c.sklearn !== null) expect(Math.abs(got - c.sklearn)).toBeLessThan(SKLEARN_TOL[c.name]);
      m.dispose();
    });
  }
});
