import { describeData } from '@neurona/common';
import { dispose } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { CallbackList } from './callbacks/callback-list';
import type { Callback, FitParams, Logs } from './callbacks/types';
import type { ModelData } from './data';
import { nowMs, yieldToEventLoop } from './event-loop';
import { formatFindings } from './finding';
import { History } from './history';
import type { LayersModel } from './model';
import { prepareData } from './prepare';
import type { DataArrays } from './step';
import { arraySource, isBatchStream, streamInfinite, type BatchSource, type BatchStream } from './batches';
import { customTesting, customTraining, tapeReady, type Engine, type Pass } from './engine';
import { sayTestPlan, testEngine, trainingEngine } from './compiled/choose';
import { checkBatchSize, checkCommonOptions, checkInt } from './validate';
import type { BatchSize } from './validate';
import { defaultWriter } from './writer';
import type { Writer } from './writer';

/** The callbacks a verbose fit adds (the progress bar, the loss watcher), loaded when needed. */
async function verboseCallbacks() {
  const [{ ProgbarLoggerCallback }, { LossWatcherCallback }] = await Promise.all([import('./callbacks/progbar-logger'), import('./callbacks/loss-watcher')]);
  return { ProgbarLoggerCallback, LossWatcherCallback };
}

/** Options of `fit`, as Keras's (camelCase). */
export interface FitOptions {
  /** Passes over the training data; default 1. */
  epochs?: number;
  /**
   * Samples per gradient step; default 32. `'full'` is full-batch gradient descent (one step per
   * epoch), `1` is pure SGD, anything else mini-batch SGD.
   */
  batchSize?: BatchSize;
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  callbacks?: Callback[];
  /** Fraction of the data (the last samples, before shuffling, as Keras) held out for validation. */
  validationSplit?: number;
  /**
   * Evaluated at the end of each epoch (takes precedence over validationSplit): `[xVal, yVal]`,
   * `[xVal, yVal, sampleWeightVal]`, or a dataset of batches.
   */
  validationData?: [ModelData, ModelData] | [ModelData, ModelData, SampleWeightData] | BatchStream;
  /** Batches of a validation dataset per evaluation (default: all of it). */
  validationSteps?: number;
  /**
   * Batches per epoch of a dataset (default: until it is exhausted). With it, one pass over the
   * dataset runs on across epochs (a `repeat()`ed one never ends), as Keras's `steps_per_epoch`.
   */
  stepsPerEpoch?: number;
  /**
   * Weight of each sample in the loss: one number per sample (`[n]`, an array or a tensor),
   * multiplied with `classWeight`, as Keras's `sample_weight`. A dataset gives its own as the
   * third part of its elements (`{ x, y, sampleWeight }` or `[x, y, sw]`).
   */
  sampleWeight?: SampleWeightData;
  /** Batch size for validation; default the training batch size. */
  validationBatchSize?: number;
  /** Validate every this many epochs; default 1. */
  validationFreq?: number;
  /** Shuffle the training samples before each epoch; default true. */
  shuffle?: boolean;
  /** Epoch to start from (resuming); epochs counts up to `epochs`, as Keras. */
  initialEpoch?: number;
  /** Weight of each class in the loss: `{ 0: 1, 1: 5 }` (single-output classification). */
  classWeight?: Record<number, number> | number[];
  /** Where progress and advice go; default stdout (Node) or console. */
  writer?: Writer;
  /** Print the advisor's findings once per model when verbose; default true. */
  advice?: boolean;
}

const KNOWN = [
  'epochs', 'batchSize', 'verbose', 'callbacks', 'validationSplit', 'validationData', 'validationBatchSize',
  'validationFreq', 'validationSteps', 'stepsPerEpoch', 'shuffle', 'initialEpoch', 'classWeight', 'sampleWeight',
  'writer', 'advice',
];

// sample-weights.ts, loaded by a fit that has weights; stream-batches.ts, by a fit on a dataset
type SampleWeightsModule = typeof import('./sample-weights');
type StreamBatchesModule = typeof import('./stream-batches');

/** Per-sample weights as `fit`/`evaluate` take them: numbers, a typed array or a tensor `[n]`. */
export type SampleWeightData = Tensor | ArrayLike<number>;

interface CheckedOptions {
  epochs: number;
  batchSize: BatchSize;
  verbose: 0 | 1 | 2;
  callbacks: Callback[];
  validationSplit: number;
  validationFreq: number;
  shuffle: boolean;
  initialEpoch: number;
}

function checkOptions(options: FitOptions, streaming: boolean): CheckedOptions {
  const where = 'fit';
  checkCommonOptions(where, options, KNOWN);
  if (streaming) {
    if (options.batchSize !== undefined) {
      throw new Error(`${where}: batchSize does not apply to a dataset, which yields batches already; batch it with dataset.batch(${String(options.batchSize)})`);
    }
    if (options.validationSplit !== undefined) {
      throw new Error(`${where}: validationSplit does not apply to a dataset; split it with splitDataset(dataset, { validationFraction }) and pass validationData`);
    }
    if (options.sampleWeight !== undefined) {
      throw new Error(`${where}: sampleWeight does not apply to a dataset; yield it as the third part of each element ({ x, y, sampleWeight })`);
    }
  } else if (options.stepsPerEpoch !== undefined) {
    throw new Error(`${where}: stepsPerEpoch applies to a dataset; with arrays an epoch is every sample once (use batchSize)`);
  }
  if (options.stepsPerEpoch !== undefined) checkInt(where, 'stepsPerEpoch', options.stepsPerEpoch, 1);
  if (options.validationSteps !== undefined) checkInt(where, 'validationSteps', options.validationSteps, 1);
  const epochs = checkInt(where, 'epochs', options.epochs ?? 1, 1);
  const batchSize = checkBatchSize(where, options.batchSize ?? 32);
  const verbose = options.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new Error(`${where}: verbose must be 0, 1 or 2, got ${String(verbose)}`);
  const callbacks = options.callbacks ?? [];
  const example = 'e.g. [EarlyStopping({ patience: 3 })]';
  if (!Array.isArray(callbacks)) {
    const hint = typeof callbacks === 'object' && callbacks !== null ? ` (wrap a single callback in an array: [callback])` : '';
    throw new Error(`${where}: callbacks must be an array of callback objects, ${example}; got ${describeData(callbacks)}${hint}`);
  }
  const bad = callbacks.findIndex((c) => typeof c !== 'object' || c === null);
  if (bad >= 0) {
    const c: unknown = callbacks[bad];
    // `[EarlyStopping]`: the factory itself rather than the callback it makes
    const hint = typeof c === 'function' ? ` (call the factory to make the callback: ${c.name || 'Factory'}({ ... }))` : '';
    throw new Error(
      `${where}: callbacks must be an array of callback objects, ${example}; callbacks[${bad}] is ${describeData(c)}${hint}`,
    );
  }
  const validationSplit = options.validationSplit ?? 0;
  if (typeof validationSplit !== 'number' || !(validationSplit >= 0 && validationSplit < 1)) {
    throw new Error(`${where}: validationSplit must be a number in [0, 1), got ${String(validationSplit)}`);
  }
  const vd = options.validationData;
  if (vd !== undefined && !(Array.isArray(vd) ? vd.length >= 2 && vd.length <= 3 : isBatchStream(vd))) {
    throw new Error(`${where}: validationData must be [xVal, yVal], [xVal, yVal, sampleWeightVal] or a dataset, got ${describeData(vd)}`);
  }
  if (options.validationBatchSize !== undefined) checkBatchSize(where, options.validationBatchSize, false);
  const validationFreq = checkInt(where, 'validationFreq', options.validationFreq ?? 1, 1);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw new Error(`${where}: shuffle must be true or false, got ${String(shuffle)}`);
  const initialEpoch = checkInt(where, 'initialEpoch', options.initialEpoch ?? 0, 0);
  return { epochs, batchSize, verbose, callbacks, validationSplit, validationFreq, shuffle, initialEpoch };
}

const batchLogs = (batch: number, size: number): Logs => ({ batch, size });

/** One test pass of `engine` over every batch of `source`; returns the final values. */
async function validate(engine: Engine, source: BatchSource): Promise<Logs> {
  // a test pass on the tape needs the kernels a page's bundle may have deferred, and the tape's code
  if (engine.kind !== 'compiled') await tapeReady();
  const pass = engine.testPass();
  try {
    source.reset();
    for (let b = await source.next(); b !== null; b = await source.next()) {
      try {
        pass.step(b.data, b.indices);
      } finally {
        b.release();
      }
    }
    return await pass.finish();
  } finally {
    pass.dispose();
  }
}

/** The training loop behind `model.fit` (see `FitOptions`). */
export async function fitModel(model: LayersModel, x: ModelData | BatchStream, y: ModelData | undefined, options: FitOptions = {}): Promise<History> {
  const where = 'fit';
  model.assertUsable(where);
  // the metrics' code, where a bundle loads it on first use (no await when loaded: always in Node)
  const loading = model.loadCompiledMetrics();
  if (loading) await loading;
  if (!model.isCompiled) model.boundCompile(where);
  const streaming = isBatchStream(x);
  const vd = options.validationData;
  // the weights' code, only for a fit that has weights, and a dataset's batches, only for a
  // dataset: loaded before the running-fit check, so nothing awaits between it and `fitting = true`
  const weights = options.sampleWeight !== undefined || options.classWeight !== undefined || (Array.isArray(vd) && vd[2] !== undefined) ? await import('./sample-weights') : null;
  const streams = streaming || (vd !== undefined && !Array.isArray(vd)) ? await import('./stream-batches') : null;
  if (model.fitting) throw new Error(`fit: fit is already running on ${model}; await the first fit before starting another`);
  if (streaming && y !== undefined) {
    throw new Error(`${where}: a dataset holds its targets (yield { x, y } or [x, y]); give fit(dataset, options), not a separate y`);
  }
  const opts = checkOptions(options, streaming);
  model.fitting = true;
  // the model's own stream of shuffles (two fits running at once draw what each draws alone),
  // started again here, before any await, when `setSeed(n)` was called since it was derived
  if (opts.shuffle) model.shuffleSeeds.refresh();
  const owned: Tensor[] = [];
  let engine: Engine | null = null;
  let valEngine: Engine | null = null;
  let pass: Pass | null = null;
  let source: BatchSource | null = null;
  let valSource: BatchSource | null = null;
  // the training arrays and batch size (a compiled plan needs both; null for a dataset)
  let trainData: DataArrays | null = null;
  let trainBatch = 0;
  // the validation arrays (null for a validation dataset): the WebGPU plan evaluates arrays
  let valData: DataArrays | null = null;
  try {
    const custom = customTraining(model);
    const units = (): (number | null)[] => model.lossFunctions?.map((o) => o.units) ?? [];
    const classWeightFn = weights && options.classWeight !== undefined ? (ys: Tensor[]) => weights.classWeights(options.classWeight as Record<number, number>, ys, units())[0] : undefined;
    if (streaming) {
      const { streamSource, withFirst } = streams as StreamBatchesModule;
      source = streamSource(model, x, { where, custom, steps: options.stepsPerEpoch, needTargets: true, classWeights: classWeightFn });
      if (streamInfinite(x) && options.stepsPerEpoch === undefined) {
        throw new Error(`${where}: the dataset is infinite (repeat()): give stepsPerEpoch`);
      }
      if (!custom && model.graphOrNull === null) {
        // a Sequential without an input shape is built by its first batch: read it now, so the
        // training step is chosen for the built model, and hand it out again as the first batch
        source.reset();
        const first = await source.next();
        if (first) source = withFirst(source, first);
      }
    } else {
      const prepared = await prepareData(model, where, x, y, custom);
      owned.push(...prepared.owned);
      const data = prepared.data;
      let nTrain = data.n;
      if (opts.validationSplit > 0) {
        nTrain = Math.floor(data.n * (1 - opts.validationSplit));
        if (nTrain === 0 || nTrain === data.n) {
          throw new Error(
            `${where}: validationSplit ${opts.validationSplit} of ${data.n} samples leaves ${nTrain === 0 ? 'no training' : 'no validation'} samples`,
          );
        }
      }
      if (options.sampleWeight !== undefined || options.classWeight !== undefined) {
        data.sampleWeights = (weights as SampleWeightsModule).arrayWeights(where, data, options.sampleWeight, options.classWeight, data.ys.map((t, i) => units()[i] ?? (t.rank > 1 ? t.shape[t.rank - 1] : 1)), owned);
      }
      const batchSize = opts.batchSize === 'full' ? nTrain : Math.min(opts.batchSize, nTrain);
      source = arraySource(data, [0, nTrain], batchSize, opts.shuffle ? model.shuffleSeeds : null);
      trainData = data;
      trainBatch = batchSize;
      if (opts.validationSplit > 0 && options.validationData === undefined) {
        const valBatch = options.validationBatchSize ?? (opts.batchSize === 'full' ? Number.MAX_SAFE_INTEGER : opts.batchSize);
        valSource = arraySource(data, [nTrain, data.n], Math.min(valBatch, data.n - nTrain), null);
        valData = data;
      }
    }
    if (vd !== undefined) {
      const valCustom = customTesting(model);
      if (!Array.isArray(vd)) {
        valSource = (streams as StreamBatchesModule).streamSource(model, vd as BatchStream, { where, prefix: 'validationData ', custom: valCustom, steps: options.validationSteps, needTargets: true });
      } else {
        const v = await prepareData(model, where, vd[0], vd[1], valCustom, 'validationData ');
        const vw = vd[2] as SampleWeightData | undefined;
        owned.push(...v.owned);
        if (vw !== undefined) {
          const w = (weights as SampleWeightsModule).sampleWeightTensor(where, vw, v.data.n);
          if (w !== vw) owned.push(w);
          v.data.sampleWeights = v.data.ys.map(() => w);
        }
        const valBatch = options.validationBatchSize ?? (opts.batchSize === 'full' ? Number.MAX_SAFE_INTEGER : opts.batchSize);
        valSource = arraySource(v.data, [0, v.data.n], Math.min(valBatch, v.data.n), null);
        valData = v.data;
      }
    }
    const choice = await trainingEngine(model, trainData, trainBatch, streaming ? { stream: x, classWeights: options.classWeight !== undefined } : undefined);
    engine = choice.engine;
    const valChoice = valSource ? await testEngine(model, valData) : null;
    valEngine = valChoice?.engine ?? null;
    const keys = engine.keys;
    const epochKeys = [...keys, ...(valSource ? keys.map((k) => `val_${k}`) : [])];

    const writer = options.writer ?? defaultWriter();
    const user = opts.callbacks;
    const list: Callback[] = [];
    // the progress bar and the loss watcher are loaded on demand: a fit with verbose 0 (a page)
    // never loads them
    const verbose = opts.verbose > 0 ? await verboseCallbacks() : null;
    if (verbose && !user.some((c) => c instanceof verbose.ProgbarLoggerCallback)) list.push(new verbose.ProgbarLoggerCallback());
    list.push(...user);
    if (verbose && !user.some((c) => c instanceof verbose.LossWatcherCallback)) list.push(new verbose.LossWatcherCallback());
    const history = new History();
    list.push(history);
    const callbacks = new CallbackList(list);
    const params: FitParams = {
      epochs: opts.epochs,
      steps: source.steps,
      samples: source.samples,
      batchSize: streaming ? null : opts.batchSize === 'full' ? (source.samples ?? 0) : Math.min(opts.batchSize, source.samples ?? opts.batchSize),
      verbose: opts.verbose,
      initialEpoch: opts.initialEpoch,
      metrics: epochKeys,
      plan: choice.plan,
    };
    callbacks.setup(model, params, writer);
    model.history = history;
    model.stopTraining = false;

    // which training step runs, once per model and plan (not at every fit of a loop)
    const planLine = choice.plan === 'compiled' ? `fit: compiled training step (${choice.engine.describe ?? 'dense plan, fused optimizer'})` : `fit: tape training step (${choice.reason})`;
    if (opts.verbose > 0 && !model.advised.has(planLine)) {
      model.advised.add(planLine);
      writer.write(`${planLine}\n`);
    }
    if (opts.verbose > 0 && valChoice) sayTestPlan(model, 'fit: validation', valChoice, writer);
    if (opts.verbose > 0 && (options.advice ?? true)) {
      // loaded on demand: only verbose fits print advice (a page fitting with verbose 0 never loads it)
      const { advise } = await import('./advisor');
      const fresh = advise(model, { batchSize: opts.batchSize, epochs: opts.epochs }).filter((f) => !model.advised.has(f.code));
      for (const f of fresh) model.advised.add(f.code);
      if (fresh.length > 0) writer.write(formatFindings(fresh));
    }

    // the tape's training step needs the kernels and gradients a page's bundle may have deferred,
    // and the tape's code
    if (engine.kind !== 'compiled') await tapeReady();
    await callbacks.onTrainBegin({});
    const needValues = callbacks.wantsEveryBatch;
    const refreshMs = 100;
    for (let epoch = opts.initialEpoch; epoch < opts.epochs; epoch++) {
      await callbacks.onEpochBegin(epoch, {});
      source.reset();
      pass = engine.trainPass();
      let lastRead = nowMs();
      let lastYield = lastRead;
      let b = 0;
      for (let batch = await source.next(); batch !== null; batch = await source.next(), b++) {
        if (callbacks.hasBatchBegin) {
          if (callbacks.batchHooksNeedWeights) pass.flush?.();
          await callbacks.onBatchBegin(b, batchLogs(b, batch.size));
        }
        try {
          pass.step(batch.data, batch.indices);
        } finally {
          batch.release();
        }
        const t = nowMs();
        const refresh = needValues || callbacks.asksForValues(b) || (callbacks.refreshOnTimer && t - lastRead >= refreshMs);
        if (callbacks.hasBatchEnd) {
          if (callbacks.batchHooksNeedWeights) pass.flush?.();
          const logs = batchLogs(b, batch.size);
          if (refresh) {
            lastRead = t;
            Object.assign(logs, await pass.read());
          }
          await callbacks.onBatchEnd(b, logs);
        }
        if (t - lastYield >= refreshMs) {
          // let timers, I/O and (in browsers) rendering run during long epochs
          lastYield = t;
          pass.flush?.();
          await yieldToEventLoop();
        }
        if (model.stopTraining) break;
      }
      const logs: Logs = await pass.finish();
      pass = null;
      if (valEngine && valSource && (epoch - opts.initialEpoch + 1) % opts.validationFreq === 0) {
        const vals = await validate(valEngine, valSource);
        for (const [k, v] of Object.entries(vals)) logs[`val_${k}`] = v;
      }
      await callbacks.onEpochEnd(epoch, logs);
      // a stream of unknown length is known after its first pass: later epochs show the count, as Keras
      params.steps = source.steps;
      if (model.stopTraining) break;
    }
    await callbacks.onTrainEnd({});
    return history;
  } finally {
    pass?.dispose();
    engine?.dispose();
    valEngine?.dispose();
    source?.dispose();
    valSource?.dispose();
    dispose(owned);
    model.fitting = false;
  }
}
