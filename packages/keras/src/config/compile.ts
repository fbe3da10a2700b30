// The compile configuration both ways: Keras 3's `compile_config` (a .keras file), Keras 1/2/3's
// `training_config` (a legacy .h5) and neurona's `compile` arguments.
import { ModelFileError } from '@neurona/models';
import type { CompileArgs, LayersModel, MetricIdentifier } from '@neurona/models';
import { serialize as serializeLoss, get as getLoss } from '@neurona/losses';
import type { LossIdentifier } from '@neurona/losses';
import { get as getMetric, serialize as serializeMetric } from '@neurona/metrics';
import { serialize as serializeOptimizer } from '@neurona/optimizers';
import type { Optimizer, OptimizerIdentifier } from '@neurona/optimizers';
import { toCamel, toSnake } from './case';
import { asObject, asString, isObject, own, show } from './json';
import type { JsonObject, JsonValue } from './json';
import { valueFromKeras, valueToKeras } from './objects';

/** Keras optimizer option names whose neurona spelling is not the generic camelCase. */
const OPTIMIZER_READ: Record<string, string> = { lr: 'learningRate', clipnorm: 'clipNorm', clipvalue: 'clipValue', globalClipnorm: 'globalClipNorm' };
const OPTIMIZER_WRITE: Record<string, string> = { clipNorm: 'clipnorm', clipValue: 'clipvalue', globalClipNorm: 'global_clipnorm', beta1: 'beta_1', beta2: 'beta_2' };

/** Keras-only optimizer options, accepted at these values. */
const OPTIMIZER_INERT: Record<string, (v: JsonValue) => boolean> = {
  useEma: (v) => v === false || v === null,
  emaMomentum: () => true,
  emaOverwriteFrequency: () => true,
  lossScaleFactor: (v) => v === null,
  gradientAccumulationSteps: (v) => v === null,
  jitCompile: () => true,
  isLegacyOptimizer: (v) => v === false || v === null,
  decay: (v) => v === 0 || v === null,
};

/** Keras's optimizer entry (`{ class_name, config }`, or a name) as neurona's `{ className, config }`. */
export function optimizerFromKeras(raw: JsonValue, where: string): { className: string; config: JsonObject } {
  if (typeof raw === 'string') return { className: raw, config: {} };
  const o = asObject(raw, where);
  // Keras 2.11-2.15 registered its new optimizers as "Custom>Adam"
  const className = asString(own(o, 'class_name'), `${where}.class_name`).replace(/^Custom>/, '');
  const inner = asObject(own(o, 'config') ?? {}, `${where}.config`);
  const config: JsonObject = {};
  for (const [k, v] of Object.entries(inner)) {
    const ck = toCamel(k);
    const key = OPTIMIZER_READ[ck] ?? ck;
    if (Object.prototype.hasOwnProperty.call(OPTIMIZER_INERT, key)) {
      if (!OPTIMIZER_INERT[key](v)) throw new ModelFileError(`${where}: ${className} option ${k} = ${show(v)} is not supported by neurona`);
      continue;
    }
    config[key] = valueFromKeras(v, `${where}.config.${k}`, key);
  }
  // tfjs/Keras 1 RMSprop called rho "decay"
  return { className: className === 'Momentum' ? 'SGD' : className, config };
}

/** A neurona optimizer as Keras 3's serialized optimizer. */
export function optimizerToKeras(optimizer: Optimizer): JsonObject {
  const s = serializeOptimizer(optimizer);
  const config: JsonObject = {};
  for (const [k, v] of Object.entries(s.config ?? {})) config[OPTIMIZER_WRITE[k] ?? toSnake(k)] = valueToKeras(v, `optimizer ${s.className}.${k}`, k);
  if (isObject(config.learning_rate)) config.learning_rate = { ...config.learning_rate, module: 'keras.optimizers.schedules' };
  Object.assign(config, { use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null, ...config });
  return { module: 'keras.optimizers', class_name: s.className, config, registered_name: null };
}

function entryFromKeras(v: JsonValue, where: string): string | { className: string; config: JsonObject } {
  if (typeof v === 'string') return v;
  const o = asObject(v, where);
  const t = valueFromKeras(o, where, 'entry');
  if (!isObject(t) || typeof t.className !== 'string') throw new ModelFileError(`${where}: expected a name or { class_name, config }, got ${show(v)}`);
  const config = asObject(t.config ?? {}, `${where}.config`);
  // Keras 3 losses and metrics carry their dtype; neurona computes in float32
  if (own(config, 'dtype') === null || own(config, 'dtype') === 'float32') delete config.dtype;
  return { className: t.className, config };
}

function lossFromKeras(v: JsonValue, where: string): CompileArgs['loss'] {
  if (Array.isArray(v)) return v.map((x, i) => entryFromKeras(x, `${where}[${i}]`)) as LossIdentifier[];
  if (isObject(v) && own(v, 'class_name') === undefined) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, entryFromKeras(x, `${where}.${k}`)])) as Record<string, LossIdentifier>;
  }
  return entryFromKeras(v, where) as LossIdentifier;
}

function metricsFromKeras(v: JsonValue, where: string): CompileArgs['metrics'] {
  if (Array.isArray(v)) {
    if (v.some((x) => Array.isArray(x))) {
      return v.map((x, i) => (Array.isArray(x) ? x : [x]).map((y, j) => entryFromKeras(y, `${where}[${i}][${j}]`))) as MetricIdentifier[][];
    }
    return v.map((x, i) => entryFromKeras(x, `${where}[${i}]`)) as MetricIdentifier[];
  }
  const o = asObject(v, where);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, (Array.isArray(x) ? x : [x]).map((y, j) => entryFromKeras(y, `${where}.${k}[${j}]`))])) as Record<string, MetricIdentifier[]>;
}

/**
 * `compile` arguments from Keras 3's `compile_config` or a legacy `training_config`, or null when
 * the file was saved without a loss (Keras then loads the model uncompiled too).
 */
export function compileFromKeras(raw: JsonValue, where: string): CompileArgs | null {
  const o = asObject(raw, where);
  for (const k of ['weighted_metrics', 'sample_weight_mode']) {
    const v = own(o, k);
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) throw new ModelFileError(`${where}.${k} = ${show(v)} is not supported by neurona`);
  }
  const loss = own(o, 'loss');
  if (loss === undefined || loss === null) return null;
  const optimizer = own(o, 'optimizer') ?? own(o, 'optimizer_config');
  if (optimizer === undefined || optimizer === null) throw new ModelFileError(`${where} has a loss but no optimizer`);
  const args: CompileArgs = { loss: lossFromKeras(loss, `${where}.loss`), optimizer: optimizerFromKeras(optimizer, `${where}.optimizer`) as OptimizerIdentifier };
  const metrics = own(o, 'metrics');
  if (metrics !== undefined && metrics !== null) args.metrics = metricsFromKeras(metrics, `${where}.metrics`);
  const lw = own(o, 'loss_weights');
  if (lw !== undefined && lw !== null) {
    const check = (x: JsonValue, at: string): number => {
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new ModelFileError(`${at} must be a finite number >= 0, got ${show(x)}`);
      return x;
    };
    args.lossWeights = Array.isArray(lw) ? lw.map((x, i) => check(x, `${where}.loss_weights[${i}]`)) : Object.fromEntries(Object.entries(asObject(lw, `${where}.loss_weights`)).map(([k, x]) => [k, check(x, `${where}.loss_weights.${k}`)]));
  }
  return args;
}

function entryToKeras(id: unknown, kind: 'loss' | 'metric'): JsonValue {
  if (typeof id === 'string') return id;
  const obj = kind === 'loss' ? getLoss(id as LossIdentifier) : getMetric(id as MetricIdentifier);
  if (obj.className === 'LossFunctionWrapper' || obj.className === 'MeanMetricWrapper') {
    if (!obj.name || obj.name === 'loss' || obj.name === 'metric') throw new Error(`save: the compiled ${kind} is an anonymous function; register it by name and compile with the name`);
    return obj.name;
  }
  const s = kind === 'loss' ? serializeLoss(obj as ReturnType<typeof getLoss>) : serializeMetric(obj as ReturnType<typeof getMetric>);
  const v = valueToKeras(s, `${kind} ${s.className}`) as JsonObject;
  return { ...v, module: kind === 'loss' ? 'keras.losses' : 'keras.metrics' };
}

/** Keras 3's `compile_config` of a compiled model (null when it is not compiled). */
export function compileToKeras(model: LayersModel): JsonObject | null {
  const args = model.compileConfig;
  const optimizer = model.optimizer;
  if (!args || !optimizer) return null;
  const l = args.loss as unknown;
  const loss: JsonValue = Array.isArray(l)
    ? l.map((x) => entryToKeras(x, 'loss'))
    : typeof l === 'object' && l !== null && typeof (l as { className?: unknown }).className !== 'string' && typeof l !== 'function'
      ? Object.fromEntries(Object.entries(l as Record<string, unknown>).map(([k, x]) => [k, entryToKeras(x, 'loss')]))
      : entryToKeras(l, 'loss');
  let metrics: JsonValue = null;
  const m = args.metrics as unknown;
  if (Array.isArray(m)) metrics = m.map((x) => (Array.isArray(x) ? x.map((y) => entryToKeras(y, 'metric')) : entryToKeras(x, 'metric')));
  else if (typeof m === 'object' && m !== null) {
    metrics = Object.fromEntries(Object.entries(m as Record<string, unknown>).map(([k, x]) => [k, (Array.isArray(x) ? x : [x]).map((y) => entryToKeras(y, 'metric'))]));
  }
  const lw = args.lossWeights;
  return {
    optimizer: optimizerToKeras(optimizer),
    loss,
    loss_weights: lw === undefined ? null : (JSON.parse(JSON.stringify(lw)) as JsonValue),
    metrics,
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}
