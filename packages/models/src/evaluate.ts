import type { ModelData } from './data';
import { nowMs } from './event-loop';
import type { LayersModel } from './model';
import { prepareData } from './prepare';
import { customTesting, customTraining, engineFor, type Engine, type Pass } from './engine';
import { formatProgressBar } from './progbar';
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
export async function evaluateModel(model: LayersModel, x: ModelData, y: ModelData | undefined, options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const where = 'evaluate';
  const batchSize = checkBatchSize(where, options.batchSize ?? 32, false) as number;
  const t0 = nowMs();
  const p = await prepareData(model, where, x, y, customTesting(model));
  let engine: Engine | null = null;
  let pass: Pass | null = null;
  try {
    engine = engineFor(model, 'test');
    pass = engine.testPass(p.data);
    const n = p.data.n;
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    let batches = 0;
    for (let s = 0; s < n; s += batchSize) {
      const e = Math.min(n, s + batchSize);
      pass.step(s === 0 && e === n ? null : all.subarray(s, e));
      batches++;
    }
    const logs = await pass.finish();
    pass = null;
    const keys = Object.keys(logs);
    const values = keys.map((k) => logs[k]);
    if (options.verbose === 1) {
      const line = formatProgressBar({
        current: batches,
        target: batches,
        elapsed: (nowMs() - t0) / 1000,
        values: keys.map((k, i) => [k, values[i]] as const),
      });
      (options.writer ?? defaultWriter()).write(`${line}\n`);
    }
    return shape(keys, values, options.returnDict ?? false);
  } finally {
    pass?.dispose();
    engine?.dispose();
    for (const t of p.owned) t.dispose();
  }
}

/** `model.trainOnBatch`: one optimizer step on all of `(x, y)`; returns that batch's loss (and metrics). */
export function trainOnBatch(model: LayersModel, x: ModelData, y: ModelData | undefined): Promise<EvaluateResult> {
  return onBatch(model, 'trainOnBatch', x, y);
}

/** `model.testOnBatch`: loss (and metrics) on all of `(x, y)` as one batch, no training. */
export function testOnBatch(model: LayersModel, x: ModelData, y: ModelData | undefined): Promise<EvaluateResult> {
  return onBatch(model, 'testOnBatch', x, y);
}

// All of `(x, y)` as one batch, through the training or the test step.
async function onBatch(model: LayersModel, method: 'trainOnBatch' | 'testOnBatch', x: ModelData, y: ModelData | undefined): Promise<EvaluateResult> {
  const training = method === 'trainOnBatch';
  const p = await prepareData(model, method, x, y, training ? customTraining(model) : customTesting(model));
  let engine: Engine | null = null;
  let pass: Pass | null = null;
  try {
    engine = engineFor(model, training ? 'train' : 'test');
    pass = training ? engine.trainPass(p.data) : engine.testPass(p.data);
    pass.step(null);
    const logs = await pass.finish();
    pass = null;
    const keys = Object.keys(logs);
    return shape(keys, keys.map((k) => logs[k]), false);
  } finally {
    pass?.dispose();
    engine?.dispose();
    for (const t of p.owned) t.dispose();
  }
}

