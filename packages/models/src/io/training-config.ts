// The compile configuration as data, both ways: our full form (`neurona.trainingConfig`) and
// Keras's `training_config`, which tfjs-layers compiles from.
import { get as getLoss, serialize as serializeLoss } from '@neurona/losses';
import type { LossIdentifier } from '@neurona/losses';
import { get as getMetric, serialize as serializeMetric } from '@neurona/metrics';
import type { MetricIdentifier } from '@neurona/metrics';
import { serialize as serializeOptimizer } from '@neurona/optimizers';
import type { Optimizer, OptimizerIdentifier } from '@neurona/optimizers';
import type { CompileArgs } from '../compile';
import { ModelFileError, show } from './errors';
import { keysToCamel, toCamelCase } from './keras-case';
import { asArray, asObject, asString, isObject, own } from './read';
import type { JsonObject, JsonValue, SerializedCompile, SerializedLossEntry, SerializedMetricEntry, SerializedObject } from './types';

const WRAPPERS = new Set(['LossFunctionWrapper', 'MeanMetricWrapper']);

function unsavable(kind: string, why: string): Error {
  return new Error(
    `save: the compiled ${kind} ${why}. Register it by name (registerLoss / registerMetric) and compile with that ` +
      `name, or save without the training configuration: save(path, { includeOptimizer: false })`,
  );
}

function lossEntry(id: LossIdentifier): SerializedLossEntry {
  if (typeof id === 'string') return id;
  const loss = getLoss(id);
  // a plain function is saved by its name, as Keras does; loading finds it in the registry
  if (WRAPPERS.has(loss.className)) {
    if (!loss.name || loss.name === 'loss') throw unsavable('loss', 'is an anonymous function');
    return loss.name;
  }
  const s = serializeLoss(loss);
  return { className: s.className, config: s.config as JsonObject };
}

function metricEntry(id: MetricIdentifier): SerializedMetricEntry {
  if (typeof id === 'string') return id;
  const metric = getMetric(id);
  if (WRAPPERS.has(metric.className)) {
    if (!metric.name || metric.name === 'metric') throw unsavable('metric', 'is an anonymous function');
    return metric.name;
  }
  const s = serializeMetric(metric);
  return { className: s.className, config: s.config as JsonObject };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as { className?: unknown }).className !== 'string';
}

/** `compile` arguments and the live optimizer as data. */
export function serializeCompile(args: CompileArgs, optimizer: Optimizer): SerializedCompile {
  const l = args.loss;
  const loss = Array.isArray(l)
    ? l.map(lossEntry)
    : isRecord(l)
      ? Object.fromEntries(Object.entries(l).map(([k, v]) => [k, lossEntry(v as LossIdentifier)]))
      : lossEntry(l as LossIdentifier);
  const out: SerializedCompile = { loss, optimizer: serializeOptimizer(optimizer) as SerializedObject };
  const m = args.metrics;
  if (m !== undefined && m !== null) {
    if (Array.isArray(m)) {
      out.metrics = (m as (MetricIdentifier | MetricIdentifier[])[]).some((x) => Array.isArray(x))
        ? (m as MetricIdentifier[][]).map((x) => (Array.isArray(x) ? x : [x]).map(metricEntry))
        : (m as MetricIdentifier[]).map(metricEntry);
    } else {
      out.metrics = Object.fromEntries(
        Object.entries(m).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map((x) => metricEntry(x as MetricIdentifier))]),
      );
    }
  }
  if (args.lossWeights !== undefined) out.lossWeights = Array.isArray(args.lossWeights) ? [...args.lossWeights] : { ...args.lossWeights };
  return JSON.parse(JSON.stringify(out)) as SerializedCompile;
}

function entryFromFile(v: JsonValue, where: string): string | SerializedObject {
  if (typeof v === 'string') return asString(v, where);
  const o = asObject(v, where);
  const className = asString(own(o, 'className') ?? own(o, 'class_name'), `${where}.className`);
  const config = asObject(own(o, 'config') ?? {}, `${where}.config`);
  return { className, config: keysToCamel(config) as JsonObject };
}

function nonNegative(x: JsonValue, at: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new ModelFileError(`${at} must be a finite number >= 0, got ${show(x)}`);
  return x;
}

function numbersFromFile(v: JsonValue, where: string): number[] | Record<string, number> {
  const check = nonNegative;
  if (Array.isArray(v)) return v.map((x, i) => check(x, `${where}[${i}]`));
  const o = asObject(v, where);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, check(x, `${where}.${k}`)]));
}

function metricsFromFile(v: JsonValue, where: string): CompileArgs['metrics'] {
  if (Array.isArray(v)) {
    if (v.some((x) => Array.isArray(x))) {
      return v.map((x, i) => asArray(x, `${where}[${i}]`).map((y, j) => entryFromFile(y, `${where}[${i}][${j}]`))) as MetricIdentifier[][];
    }
    return v.map((x, i) => entryFromFile(x, `${where}[${i}]`)) as MetricIdentifier[];
  }
  const o = asObject(v, where);
  return Object.fromEntries(
    Object.entries(o).map(([k, x]) => [k, (Array.isArray(x) ? x : [x]).map((y, j) => entryFromFile(y, `${where}.${k}[${j}]`))]),
  ) as Record<string, MetricIdentifier[]>;
}

function lossFromFile(v: JsonValue, where: string): CompileArgs['loss'] {
  if (Array.isArray(v)) return v.map((x, i) => entryFromFile(x, `${where}[${i}]`)) as LossIdentifier[];
  if (isObject(v) && own(v, 'className') === undefined && own(v, 'class_name') === undefined) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, entryFromFile(x, `${where}.${k}`)])) as Record<string, LossIdentifier>;
  }
  return entryFromFile(v, where) as LossIdentifier;
}

/** Our `neurona.trainingConfig` back into `compile` arguments. */
export function compileFromNeurona(raw: JsonValue, where: string): CompileArgs {
  const o = asObject(raw, where);
  const args: CompileArgs = { loss: lossFromFile(own(o, 'loss') ?? null, `${where}.loss`) };
  const optimizer = asObject(own(o, 'optimizer'), `${where}.optimizer`);
  args.optimizer = {
    className: asString(own(optimizer, 'className'), `${where}.optimizer.className`),
    config: asObject(own(optimizer, 'config') ?? {}, `${where}.optimizer.config`),
  } as OptimizerIdentifier;
  const metrics = own(o, 'metrics');
  if (metrics !== undefined && metrics !== null) args.metrics = metricsFromFile(metrics, `${where}.metrics`);
  const lw = own(o, 'lossWeights');
  if (lw !== undefined && lw !== null) args.lossWeights = numbersFromFile(lw, `${where}.lossWeights`);
  return args;
}

// Keras/tfjs optimizer config keys and class names → ours.
const KERAS_OPTIMIZER_KEYS: Record<string, string> = {
  lr: 'learningRate',
  clipnorm: 'clipNorm',
  clipvalue: 'clipValue',
  globalClipnorm: 'globalClipNorm',
  useNesterov: 'nesterov',
};
const INERT_OPTIMIZER_KEYS: Record<string, (v: JsonValue) => boolean> = {
  useEma: (v) => v === false || v === null,
  emaMomentum: () => true,
  emaOverwriteFrequency: () => true,
  jitCompile: () => true,
  isLegacyOptimizer: () => true,
  lossScaleFactor: (v) => v === null,
  gradientAccumulationSteps: (v) => v === null,
  decay: (v) => v === 0 || v === null,
};

/** Keras's/tfjs's `optimizer_config` as one of our optimizers' `{ className, config }`. */
export function optimizerFromKeras(raw: JsonValue, where: string): SerializedObject {
  const o = asObject(raw, where);
  let className = asString(own(o, 'class_name') ?? own(o, 'className'), `${where}.class_name`);
  const config: JsonObject = {};
  for (const [k, v] of Object.entries(asObject(own(o, 'config') ?? {}, `${where}.config`))) {
    const key = KERAS_OPTIMIZER_KEYS[toCamelCase(k)] ?? toCamelCase(k);
    config[key] = v;
  }
  // tfjs's RMSProp calls rho "decay"; its Momentum is SGD with momentum
  if (className === 'RMSProp' && own(config, 'decay') !== undefined) {
    config.rho = config.decay;
    delete config.decay;
  }
  if (className === 'Momentum') className = 'SGD';
  for (const [k, isInert] of Object.entries(INERT_OPTIMIZER_KEYS)) {
    if (own(config, k) === undefined) continue;
    if (!isInert(config[k])) throw new ModelFileError(`${where}: ${className} option ${k} = ${show(config[k])} is not supported by neurona`);
    delete config[k];
  }
  return { className, config };
}

/** Keras's `training_config` (as tfjs-layers or Keras wrote it) as `compile` arguments. */
export function compileFromKeras(raw: JsonValue, where: string): CompileArgs {
  const o = asObject(raw, where);
  for (const k of ['weighted_metrics', 'sample_weight_mode']) {
    if (own(o, k) !== undefined && own(o, k) !== null) throw new ModelFileError(`${where}.${k} is not supported by neurona`);
  }
  const args: CompileArgs = { loss: lossFromFile(own(o, 'loss') ?? null, `${where}.loss`) };
  args.optimizer = optimizerFromKeras(own(o, 'optimizer_config') ?? null, `${where}.optimizer_config`) as OptimizerIdentifier;
  const metrics = own(o, 'metrics');
  if (metrics !== undefined && metrics !== null) args.metrics = metricsFromFile(metrics, `${where}.metrics`);
  const lw = own(o, 'loss_weights');
  if (lw !== undefined && lw !== null) args.lossWeights = numbersFromFile(lw, `${where}.loss_weights`);
  return args;
}

// What tfjs-layers can compile from: its loss and metric names (camelCase) and optimizers.
const TFJS_LOSSES = new Set([
  'meanSquaredError', 'meanAbsoluteError', 'meanAbsolutePercentageError', 'meanSquaredLogarithmicError', 'squaredHinge',
  'hinge', 'categoricalHinge', 'logcosh', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy',
  'kullbackLeiblerDivergence', 'poisson', 'cosineProximity',
]);
const TFJS_METRICS = new Set([
  'accuracy', 'acc', 'crossentropy', 'ce', 'binaryAccuracy', 'categoricalAccuracy', 'precision', 'categoricalCrossentropy',
  'sparseCategoricalCrossentropy', 'mse', 'MSE', 'mae', 'MAE', 'mape', 'MAPE', 'cosine',
]);
// Keras names of our losses whose tfjs spelling differs
const LOSS_TO_TFJS: Record<string, string> = {
  mse: 'mean_squared_error', mae: 'mean_absolute_error', mape: 'mean_absolute_percentage_error', msle: 'mean_squared_logarithmic_error',
  log_cosh: 'logcosh', kl_divergence: 'kullback_leibler_divergence', kld: 'kullback_leibler_divergence',
};

function tfjsLoss(entry: SerializedLossEntry): string | null {
  if (typeof entry !== 'string') return null;
  const snake = LOSS_TO_TFJS[entry] ?? entry;
  return TFJS_LOSSES.has(toCamelCase(snake)) ? snake : null;
}

function tfjsOptimizer(s: SerializedObject): JsonObject | null {
  const c = s.config;
  const lr = c.learningRate;
  const plain = typeof lr === 'number' && [c.weightDecay, c.clipNorm, c.clipValue, c.globalClipNorm].every((x) => x === null || x === undefined);
  if (!plain) return null;
  switch (s.className) {
    case 'SGD':
      return c.momentum ? { class_name: 'Momentum', config: { learningRate: lr, momentum: c.momentum, useNesterov: c.nesterov === true } } : { class_name: 'SGD', config: { learningRate: lr } };
    case 'Adam':
      return c.amsgrad ? null : { class_name: 'Adam', config: { learningRate: lr, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon } };
    case 'RMSprop':
      return { class_name: 'RMSProp', config: { learningRate: lr, decay: c.rho, momentum: c.momentum, epsilon: c.epsilon, centered: c.centered } };
    case 'Adagrad':
      return { class_name: 'Adagrad', config: { learningRate: lr, initialAccumulatorValue: c.initialAccumulatorValue } };
    default:
      return null;
  }
}

/**
 * Keras's `training_config` for tfjs-layers, or null when tfjs cannot compile this configuration
 * (a loss, metric or optimizer setting it lacks, loss weights); ours is always in the extension.
 */
export function kerasTrainingConfig(s: SerializedCompile): JsonObject | null {
  if (s.lossWeights !== undefined) return null;
  const optimizer = tfjsOptimizer(s.optimizer);
  if (!optimizer) return null;
  let loss: JsonValue;
  if (Array.isArray(s.loss)) {
    const l = s.loss.map(tfjsLoss);
    if (l.some((x) => x === null)) return null;
    loss = l as string[];
  } else if (typeof s.loss === 'string' || isObject(s.loss) && typeof (s.loss as SerializedObject).className === 'string') {
    const l = tfjsLoss(s.loss as SerializedLossEntry);
    if (l === null) return null;
    loss = l;
  } else {
    const entries = Object.entries(s.loss as Record<string, SerializedLossEntry>).map(([k, v]) => [k, tfjsLoss(v)] as const);
    if (entries.some(([, v]) => v === null)) return null;
    loss = Object.fromEntries(entries) as JsonObject;
  }
  const out: JsonObject = { loss, optimizer_config: optimizer };
  if (s.metrics !== undefined) {
    if (!Array.isArray(s.metrics) || s.metrics.some((m) => typeof m !== 'string' || !TFJS_METRICS.has(toCamelCase(m)))) return null;
    out.metrics = s.metrics as string[];
  }
  return out;
}
