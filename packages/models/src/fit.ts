import { argMax, cast, dispose, gather, keep, reshape, round, shuffledIndices, tensor1d, tidy } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { advise } from './advisor';
import { CallbackList } from './callbacks/callback-list';
import { LossWatcherCallback } from './callbacks/loss-watcher';
import { ProgbarLoggerCallback } from './callbacks/progbar-logger';
import type { Callback, FitParams, Logs } from './callbacks/types';
import type { ModelData } from './data';
import { nowMs, yieldToEventLoop } from './event-loop';
import { formatFindings } from './finding';
import { History } from './history';
import type { LayersModel } from './model';
import { prepareData } from './prepare';
import type { DataArrays } from './step';
import { customTesting, customTraining, engineFor, type Engine, type Pass } from './engine';
import { checkBatchSize, checkInt, describeValue } from './validate';
import type { BatchSize } from './validate';
import { defaultWriter } from './writer';
import type { Writer } from './writer';

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
  /** `[xVal, yVal]` evaluated at the end of each epoch (takes precedence over validationSplit). */
  validationData?: [ModelData, ModelData];
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
  'validationFreq', 'shuffle', 'initialEpoch', 'classWeight', 'writer', 'advice',
];

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

function checkOptions(options: FitOptions): CheckedOptions {
  const where = 'fit';
  if (typeof options !== 'object' || options === null) throw new Error(`${where}: options must be an object, got ${String(options)}`);
  const unknown = Object.keys(options).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) {
    throw new Error(`${where}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; known options: ${KNOWN.join(', ')}`);
  }
  const epochs = checkInt(where, 'epochs', options.epochs ?? 1, 1);
  const batchSize = checkBatchSize(where, options.batchSize ?? 32);
  const verbose = options.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new Error(`${where}: verbose must be 0, 1 or 2, got ${String(verbose)}`);
  const callbacks = options.callbacks ?? [];
  const example = 'e.g. [EarlyStopping({ patience: 3 })]';
  if (!Array.isArray(callbacks)) {
    const hint = typeof callbacks === 'object' && callbacks !== null ? ` (wrap a single callback in an array: [callback])` : '';
    throw new Error(`${where}: callbacks must be an array of callback objects, ${example}; got ${describeValue(callbacks)}${hint}`);
  }
  const bad = callbacks.findIndex((c) => typeof c !== 'object' || c === null);
  if (bad >= 0) {
    const c: unknown = callbacks[bad];
    // `[EarlyStopping]`: the factory itself rather than the callback it makes
    const hint = typeof c === 'function' ? ` (call the factory to make the callback: ${c.name || 'Factory'}({ ... }))` : '';
    throw new Error(
      `${where}: callbacks must be an array of callback objects, ${example}; callbacks[${bad}] is ${describeValue(c)}${hint}`,
    );
  }
  const validationSplit = options.validationSplit ?? 0;
  if (typeof validationSplit !== 'number' || !(validationSplit >= 0 && validationSplit < 1)) {
    throw new Error(`${where}: validationSplit must be a number in [0, 1), got ${String(validationSplit)}`);
  }
  if (options.validationData !== undefined && (!Array.isArray(options.validationData) || options.validationData.length !== 2)) {
    throw new Error(`${where}: validationData must be [xVal, yVal]`);
  }
  if (options.validationBatchSize !== undefined) checkBatchSize(where, options.validationBatchSize, false);
  const validationFreq = checkInt(where, 'validationFreq', options.validationFreq ?? 1, 1);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw new Error(`${where}: shuffle must be true or false, got ${String(shuffle)}`);
  const initialEpoch = checkInt(where, 'initialEpoch', options.initialEpoch ?? 0, 0);
  return { epochs, batchSize, verbose, callbacks, validationSplit, validationFreq, shuffle, initialEpoch };
}

/** Per-sample weights `[n]` from `classWeight` (by the class of each target). */
function classWeights(classWeight: Record<number, number> | number[], ys: Tensor[], units: (number | null)[]): Tensor[] {
  if (ys.length !== 1) throw new Error('fit: classWeight needs a model with one output');
  const entries = Object.entries(classWeight).map(([k, v]) => [Number(k), v] as const);
  for (const [k, v] of entries) {
    if (!Number.isInteger(k) || k < 0 || typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new Error(`fit: classWeight maps class indices (integers >= 0) to weights (finite numbers >= 0), got ${k}: ${String(v)}`);
    }
  }
  const y = ys[0];
  const classes = Math.max(units[0] ?? 1, 2, ...entries.map(([k]) => k + 1));
  const table = new Float32Array(classes).fill(1);
  for (const [k, v] of entries) table[k] = v;
  return [
    tidy(() => {
      const idx =
        y.rank >= 2 && y.shape[y.rank - 1] > 1
          ? argMax(y, -1)
          : cast(reshape(y.dtype === 'int32' ? y : round(cast(y, 'float32')), [y.shape[0]]), 'int32');
      return keep(gather(tensor1d(table), reshape(idx, [-1])));
    }),
  ];
}

const batchLogs = (batch: number, size: number): Logs => ({ batch, size });

/** Row indices `[start, end)` of a range as an Int32Array. */
function rangeIndices(start: number, end: number): Int32Array {
  const a = new Int32Array(end - start);
  for (let i = 0; i < a.length; i++) a[i] = start + i;
  return a;
}

/**
 * Index tensors of consecutive batches of `rows`, made once per fit (uploading the indices again
 * each epoch would cost a tensor per step); `[null]` when one batch covers every row of `n`.
 */
function batchIndexTensors(rows: Int32Array, batchSize: number, n: number): (Tensor | null)[] {
  if (rows.length === n && batchSize >= n && rows[0] === 0) return [null];
  const out: Tensor[] = [];
  for (let s = 0; s < rows.length; s += batchSize) out.push(tensor1d(rows.subarray(s, Math.min(rows.length, s + batchSize)), 'int32'));
  return out;
}

/** One test pass of `engine` over the given batches of `data`; returns the final values. */
async function validate(engine: Engine, data: DataArrays, batches: (Tensor | null)[]): Promise<Logs> {
  const pass = engine.testPass(data);
  try {
    for (const batch of batches) pass.step(batch);
    return await pass.finish();
  } finally {
    pass.dispose();
  }
}

/** The training loop behind `model.fit` (see `FitOptions`). */
export async function fitModel(model: LayersModel, x: ModelData, y: ModelData | undefined, options: FitOptions = {}): Promise<History> {
  const where = 'fit';
  model.assertUsable(where);
  if (!model.isCompiled) model.boundCompile(where);
  if (model.fitting) throw new Error(`fit: fit is already running on ${model}; await the first fit before starting another`);
  const opts = checkOptions(options);
  model.fitting = true;
  const owned: Tensor[] = [];
  let engine: Engine | null = null;
  let valEngine: Engine | null = null;
  let pass: Pass | null = null;
  try {
    const prepared = await prepareData(model, where, x, y, customTraining(model));
    owned.push(...prepared.owned);
    const data = prepared.data;
    // validation: given arrays, or the last samples of the training arrays (no copy)
    let valData: DataArrays | null = null;
    let nTrain = data.n;
    let valRange: [number, number] | null = null;
    if (options.validationData) {
      const v = await prepareData(model, where, options.validationData[0], options.validationData[1], customTesting(model), 'validationData ');
      owned.push(...v.owned);
      valData = v.data;
      valRange = [0, v.data.n];
    } else if (opts.validationSplit > 0) {
      nTrain = Math.floor(data.n * (1 - opts.validationSplit));
      if (nTrain === 0 || nTrain === data.n) {
        throw new Error(
          `${where}: validationSplit ${opts.validationSplit} of ${data.n} samples leaves ${nTrain === 0 ? 'no training' : 'no validation'} samples`,
        );
      }
      valData = data;
      valRange = [nTrain, data.n];
    }
    if (options.classWeight !== undefined) {
      const units = model.lossFunctions?.map((o) => o.units) ?? data.ys.map((t) => (t.rank > 1 ? t.shape[t.rank - 1] : 1));
      data.sampleWeights = classWeights(options.classWeight, data.ys, units);
      owned.push(...(data.sampleWeights as Tensor[]));
    }
    const batchSize = opts.batchSize === 'full' ? nTrain : Math.min(opts.batchSize, nTrain);
    const valBatch = options.validationBatchSize ?? (opts.batchSize === 'full' ? Number.MAX_SAFE_INTEGER : opts.batchSize);
    const stepsPerEpoch = Math.ceil(nTrain / batchSize);
    engine = engineFor(model, 'train');
    valEngine = valData ? engineFor(model, 'test') : null;
    const keys = engine.keys;
    const epochKeys = [...keys, ...(valData ? keys.map((k) => `val_${k}`) : [])];

    const writer = options.writer ?? defaultWriter();
    const user = opts.callbacks;
    const list: Callback[] = [];
    if (opts.verbose > 0 && !user.some((c) => c instanceof ProgbarLoggerCallback)) list.push(new ProgbarLoggerCallback());
    list.push(...user);
    if (opts.verbose > 0 && !user.some((c) => c instanceof LossWatcherCallback)) list.push(new LossWatcherCallback());
    const history = new History();
    list.push(history);
    const callbacks = new CallbackList(list);
    const params: FitParams = {
      epochs: opts.epochs,
      steps: stepsPerEpoch,
      samples: nTrain,
      batchSize,
      verbose: opts.verbose,
      initialEpoch: opts.initialEpoch,
      metrics: epochKeys,
    };
    callbacks.setup(model, params, writer);
    model.history = history;
    model.stopTraining = false;

    if (opts.verbose > 0 && (options.advice ?? true)) {
      const fresh = advise(model, { batchSize: opts.batchSize, epochs: opts.epochs }).filter((f) => !model.advised.has(f.code));
      for (const f of fresh) model.advised.add(f.code);
      if (fresh.length > 0) writer.write(formatFindings(fresh));
    }

    const inOrder = rangeIndices(0, nTrain);
    // fixed batches (no shuffling, validation) get their index tensors once
    const trainBatches = opts.shuffle && stepsPerEpoch > 1 ? null : batchIndexTensors(inOrder, batchSize, data.n);
    const valBatches = valData && valRange ? batchIndexTensors(rangeIndices(valRange[0], valRange[1]), valBatch, valData.n) : [];
    for (const t of [...(trainBatches ?? []), ...valBatches]) if (t) owned.push(t);
    await callbacks.onTrainBegin({});
    const needValues = callbacks.wantsEveryBatch;
    const refreshMs = 100;
    for (let epoch = opts.initialEpoch; epoch < opts.epochs; epoch++) {
      await callbacks.onEpochBegin(epoch, {});
      // the order of this epoch; a full batch covering every sample needs no gather at all
      const order = trainBatches ? null : shuffledIndices(nTrain);
      pass = engine.trainPass(data);
      let lastRead = nowMs();
      let lastYield = lastRead;
      for (let b = 0; b < stepsPerEpoch; b++) {
        const start = b * batchSize;
        const end = Math.min(nTrain, start + batchSize);
        if (callbacks.hasBatchBegin) await callbacks.onBatchBegin(b, batchLogs(b, end - start));
        const indices = trainBatches ? trainBatches[b] : (order as Int32Array).subarray(start, end);
        pass.step(indices);
        const t = nowMs();
        const refresh = needValues || callbacks.asksForValues(b) || (callbacks.refreshOnTimer && t - lastRead >= refreshMs);
        if (callbacks.hasBatchEnd) {
          const logs = batchLogs(b, end - start);
          if (refresh) {
            lastRead = t;
            Object.assign(logs, await pass.read());
          }
          await callbacks.onBatchEnd(b, logs);
        }
        if (t - lastYield >= refreshMs) {
          // let timers, I/O and (in browsers) rendering run during long epochs
          lastYield = t;
          await yieldToEventLoop();
        }
        if (model.stopTraining) break;
      }
      const logs: Logs = await pass.finish();
      pass = null;
      if (valEngine && valData && (epoch - opts.initialEpoch + 1) % opts.validationFreq === 0) {
        const vals = await validate(valEngine, valData, valBatches);
        for (const [k, v] of Object.entries(vals)) logs[`val_${k}`] = v;
      }
      await callbacks.onEpochEnd(epoch, logs);
      if (model.stopTraining) break;
    }
    await callbacks.onTrainEnd({});
    return history;
  } finally {
    pass?.dispose();
    engine?.dispose();
    valEngine?.dispose();
    dispose(owned);
    model.fitting = false;
  }
}

