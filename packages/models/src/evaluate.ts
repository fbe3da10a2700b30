import type { ModelData } from './data';
import { nowMs } from './event-loop';
import type { LayersModel } from './model';
import { prepareData } from './prepare';
import { customTesting, customTraining, engineFor, tapeReady, type Engine, type Pass } from './engine';
import { formatProgressBar } from './progbar';
import { checkBatchSize, checkCommonOptions, checkInt } from './validate';
import type { Tensor } from '@neurona/tensor';
import { arraySource, isBatchStream, streamInfinite, type BatchSource, type BatchStream } from './batches';
import { streamSource } from './stream-batches';
import type { SampleWeightData } from './fit';
import { sampleWeightTensor } from './sample-weights';
import { defaultWriter } from './writer';
import { sayTestPlan, testEngine } from './compiled/choose';
import type { DataArrays } from './step';
import type { Writer } from './writer';

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Samples per batch; default 32 (not for a dataset, which batches itself). */
  batchSize?: number;
  /** Batches of a dataset to evaluate (default: all of it). */
  steps?: number;
  /** Weight of each sample in the loss (`[n]`), as Keras's `sample_weight` (arrays only). */
  sampleWeight?: SampleWeightData;
  /** 1 prints one Keras-style line with the results; default 0. */
  verbose?: 0 | 1;
  /** Return `{ loss, accuracy, ... }` instead of a number or a list. */
  returnDict?: boolean;
  writer?: Writer;
}

const KNOWN = ['batchSize', 'steps', 'sampleWeight', 'verbose', 'returnDict', 'writer'];

/** The loss alone (one output, no metrics), `[loss, ...metrics]`, or (with `returnDict`) a record. */
export type EvaluateResult = number | number[] | Record<string, number>;

function shape(keys: string[], values: number[], returnDict: boolean): EvaluateResult {
  if (returnDict) return Object.fromEntries(keys.map((k, i) => [k, values[i]]));
  return values.length === 1 ? values[0] : values;
}

/** `model.evaluate`: loss and metrics over `(x, y)` or a dataset, in batches, read back once at the end. */
export async function evaluateModel(model: LayersModel, x: ModelData | BatchStream, y: ModelData | undefined, options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const where = 'evaluate';
  checkCommonOptions(where, options, KNOWN);
  // the metrics' code, where a bundle loads it on first use (no await when loaded: always in Node)
  const loading = model.loadCompiledMetrics();
  if (loading) await loading;
  const streaming = isBatchStream(x);
  if (streaming && options.batchSize !== undefined) {
    throw new Error(`${where}: batchSize does not apply to a dataset, which yields batches already; batch it with dataset.batch(${String(options.batchSize)})`);
  }
  if (!streaming && options.steps !== undefined) throw new Error(`${where}: steps applies to a dataset; with arrays every sample is evaluated`);
  if (streaming && options.sampleWeight !== undefined) {
    throw new Error(`${where}: sampleWeight does not apply to a dataset; yield it as the third part of each element ({ x, y, sampleWeight })`);
  }
  const batchSize = checkBatchSize(where, options.batchSize ?? 32, false) as number;
  if (options.steps !== undefined) checkInt(where, 'steps', options.steps, 1);
  const t0 = nowMs();
  const custom = customTesting(model);
  let source: BatchSource;
  // the arrays evaluated (null for a dataset): the WebGPU plan takes arrays
  let arrays: DataArrays | null = null;
  const owned: Tensor[] = [];
  if (streaming) {
    if (streamInfinite(x) && options.steps === undefined) throw new Error(`${where}: the dataset is infinite (repeat()): give steps`);
    model.assertUsable(where);
    if (!model.isCompiled) model.boundCompile(where);
    source = streamSource(model, x, { where, custom, steps: options.steps, needTargets: true });
  } else {
    const p = await prepareData(model, where, x, y, custom);
    owned.push(...p.owned);
    if (options.sampleWeight !== undefined) {
      const w = sampleWeightTensor(where, options.sampleWeight, p.data.n);
      if (w !== options.sampleWeight) owned.push(w);
      p.data.sampleWeights = p.data.ys.map(() => w);
    }
    source = arraySource(p.data, [0, p.data.n], Math.min(batchSize, p.data.n), null);
    arrays = p.data;
  }
  let engine: Engine | null = null;
  let pass: Pass | null = null;
  try {
    const choice = await testEngine(model, arrays);
    engine = choice.engine;
    if (options.verbose === 1) sayTestPlan(model, 'evaluate', choice, options.writer ?? defaultWriter());
    // a test pass on the tape needs the kernels a page's bundle may have deferred, and the tape's code
    if (engine.kind !== 'compiled') await tapeReady();
    pass = engine.testPass();
    source.reset();
    let batches = 0;
    for (let b = await source.next(); b !== null; b = await source.next()) {
      try {
        pass.step(b.data, b.indices);
      } finally {
        b.release();
      }
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
    source.dispose();
    for (const t of owned) t.dispose();
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
  const loading = model.loadCompiledMetrics();
  if (loading) await loading;
  // the tape: the kernels and gradients a page's bundle may have deferred, and the tape's code
  await tapeReady();
  const p = await prepareData(model, method, x, y, training ? customTraining(model) : customTesting(model));
  let engine: Engine | null = null;
  let pass: Pass | null = null;
  try {
    engine = engineFor(model, training ? 'train' : 'test');
    pass = training ? engine.trainPass() : engine.testPass();
    pass.step(p.data, null);
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
