import type { ModelData } from './data';
import { nowMs } from './event-loop';
import type { LayersModel } from './model';
import { prepareXY } from './prepare';
import { formatProgressBar } from './progbar';
import { Steps } from './step';
import { checkBatchSize } from './validate';
import { defaultWriter } from './writer';
import type { Writer } from './writer';

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Samples per batch; default 32. */
  batchSize?: number;
  /** 1 prints one Keras-style line with the results; default 0. */
  verbose?: 0 | 1;
  /** Return `{ loss, accuracy, ... }` instead of a number or a list. */
  returnDict?: boolean;
  writer?: Writer;
}

/** The loss alone (one output, no metrics), `[loss, ...metrics]`, or (with `returnDict`) a record. */
export type EvaluateResult = number | number[] | Record<string, number>;

function shape(keys: string[], values: number[], returnDict: boolean): EvaluateResult {
  if (returnDict) return Object.fromEntries(keys.map((k, i) => [k, values[i]]));
  return values.length === 1 ? values[0] : values;
}

/** `model.evaluate`: loss and metrics over `(x, y)`, in batches, read back once at the end. */
export async function evaluateModel(model: LayersModel, x: ModelData, y: ModelData, options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const where = 'evaluate';
  const batchSize = checkBatchSize(where, options.batchSize ?? 32, false) as number;
  const t0 = nowMs();
  const p = await prepareXY(model, where, x, y);
  const steps = new Steps(p.graph, p.bound);
  let sums = steps.zeros();
  try {
    const n = p.data.n;
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    let batches = 0;
    for (let s = 0; s < n; s += batchSize) {
      const e = Math.min(n, s + batchSize);
      const next = steps.test(p.data, s === 0 && e === n ? null : all.subarray(s, e), sums);
      sums.dispose();
      sums = next;
      batches++;
    }
    const v = await sums.data();
    const values = Array.from(v, (s) => s / n);
    if (options.verbose === 1) {
      const line = formatProgressBar({
        current: batches,
        target: batches,
        elapsed: (nowMs() - t0) / 1000,
        values: steps.keys.map((k, i) => [k, values[i]] as const),
      });
      (options.writer ?? defaultWriter()).write(`${line}\n`);
    }
    return shape(steps.keys, values, options.returnDict ?? false);
  } finally {
    sums.dispose();
    steps.dispose();
    for (const t of p.owned) t.dispose();
  }
}

/** `model.trainOnBatch`: one optimizer step on all of `(x, y)`; returns that batch's loss (and metrics). */
export function trainOnBatch(model: LayersModel, x: ModelData, y: ModelData): Promise<EvaluateResult> {
  return onBatch(model, 'trainOnBatch', x, y);
}

/** `model.testOnBatch`: loss (and metrics) on all of `(x, y)` as one batch, no training. */
export function testOnBatch(model: LayersModel, x: ModelData, y: ModelData): Promise<EvaluateResult> {
  return onBatch(model, 'testOnBatch', x, y);
}

// All of `(x, y)` as one batch, through the training or the test step.
async function onBatch(model: LayersModel, method: 'trainOnBatch' | 'testOnBatch', x: ModelData, y: ModelData): Promise<EvaluateResult> {
  const p = await prepareXY(model, method, x, y);
  const steps = new Steps(p.graph, p.bound);
  const zero = steps.zeros();
  try {
    const sums = method === 'trainOnBatch' ? steps.train(p.data, null, zero) : steps.test(p.data, null, zero);
    const v = await sums.data();
    sums.dispose();
    return shape(steps.keys, Array.from(v, (s) => s / p.data.n), false);
  } finally {
    zero.dispose();
    steps.dispose();
    for (const t of p.owned) t.dispose();
  }
}
