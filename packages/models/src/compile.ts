import { loadLosses, lossesLoaded, resolveLoss } from '@neurona/losses';
import type { Loss, LossIdentifier } from '@neurona/losses';
import { checkMetric, loadMetrics, Mean, metricsLoaded, resolveMetric } from '@neurona/metrics';
import type { MeanMetric, Metric, MetricIdentifier } from '@neurona/metrics';
import { isOptimizer, loadOptimizers, optimizersLoaded, resolveOptimizer } from '@neurona/optimizers';
import type { Optimizer, OptimizerIdentifier } from '@neurona/optimizers';
import { checkOptions, describeValue } from '@neurona/common';
import type { Graph } from './graph';

export type { MetricIdentifier };

/** What `compile` takes, as Keras's `model.compile`. */
export interface CompileArgs {
  /**
   * A loss name (`'categorical_crossentropy'`, `'mse'`, `'categoricalCrossentropy'`), a Loss or a
   * function; for several outputs one for all, an array in output order, or an object by output name.
   */
  loss?: LossIdentifier | LossIdentifier[] | Record<string, LossIdentifier>;
  /** An optimizer or its name (`'sgd'`, `'adam'`); default `'rmsprop'`, as Keras. */
  optimizer?: OptimizerIdentifier;
  /**
   * Metrics for every output (`['accuracy']`), or per output: an array of arrays in output order
   * or an object by output name.
   */
  metrics?: MetricIdentifier[] | MetricIdentifier[][] | Record<string, MetricIdentifier | MetricIdentifier[]>;
  /** Weights of each output's loss in the total (default 1 each). */
  lossWeights?: number[] | Record<string, number>;
  /**
   * Whether `fit` runs a compiled training step, as Keras's `jit_compile`: `'auto'` (default)
   * compiles the models it can (a chain of Dense layers, with Dropout and L1/L2 penalties, frozen
   * layers, cross-entropy or MSE, accuracy/mse/mae metrics and SGD, Adam, AdamW, RMSprop or Adagrad,
   * on the cpu and wasm backends with fast kernels; see docs/perf.md) and runs the others on the gradient tape; `true`
   * makes `fit` fail with the reason when the model cannot be compiled; `false` always uses the tape.
   */
  jitCompile?: boolean | 'auto';
}

/** One metric of one output, and its History key (`accuracy`, or `out_accuracy` for several outputs). */
export interface BoundMetric {
  metric: Metric;
  key: string;
  /** True when compile made it (from a name): the model disposes it; a Metric object given is the user's. */
  owned: boolean;
}

/** One output's loss, weight and metrics, bound to the model's graph. */
export interface BoundOutput {
  index: number;
  /** The output layer's name: the prefix of its History keys when the model has several outputs. */
  name: string;
  loss: Loss;
  /** The same loss without its per-batch label checks (they run once before fit). */
  stepLoss: Loss;
  lossWeight: number;
  /** Last dimension of the output (its units), or null if unknown. */
  units: number | null;
  metrics: BoundMetric[];
  /** Tracks this output's loss (`<output>_loss`) when the model has several outputs, else null. */
  lossTracker: MeanMetric | null;
}

/** `compile` bound to a graph: what the training and evaluation steps run. */
export interface BoundCompile {
  optimizer: Optimizer;
  outputs: BoundOutput[];
  /** Log keys in order: `loss`, per-output losses (several outputs), metrics. */
  keys: string[];
  /** The `loss` tracker (Keras's `Mean` weighted by batch size). */
  lossTracker: MeanMetric;
  /** Every stateful metric in `keys` order: the loss tracker, per-output trackers, compiled metrics. */
  metrics: Metric[];
}

/** The validated compile settings, before the graph is known (Sequential may build later). */
export interface Compiled {
  args: CompileArgs;
  /**
   * The optimizer, or null while its name waits for the optimizer registry (a page's bundle that
   * has not loaded it: `loadCompileMetrics` loads it and `resolvePendingOptimizer` builds it).
   */
  optimizer: Optimizer | null;
  /**
   * True when compile made the optimizer (from a name or `{ className, config }`): the model then
   * owns its state and disposes it when compiled again. An optimizer object the user passed is
   * theirs (they may share it with another model) and is left alone.
   */
  ownsOptimizer: boolean;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as { className?: unknown }).className !== 'string';
}

/**
 * Validate compile arguments: unknown names fail here, listing the known ones. `lossOptional`:
 * the model computes its own loss (a custom `trainStep` or `computeLoss`), so none is needed.
 */
export function compileArgs(given: CompileArgs, lossOptional = false): Compiled {
  if (typeof given !== 'object' || given === null) {
    throw new Error(`compile: expects { loss, optimizer, metrics }, got ${describeValue(given)}`);
  }
  checkOptions('compile', given, ['loss', 'optimizer', 'metrics', 'lossWeights', 'jitCompile']);
  const args = { ...given };
  if (args.jitCompile !== undefined && args.jitCompile !== true && args.jitCompile !== false && args.jitCompile !== 'auto') {
    throw new Error(`compile: jitCompile must be true, false or 'auto', got ${describeValue(args.jitCompile)}`);
  }
  if (args.loss === null) delete args.loss;
  if (args.loss === undefined && !lossOptional) {
    throw new Error(`compile: a loss is required, e.g. compile({ loss: 'categorical_crossentropy', optimizer: 'sgd' })`);
  }
  // resolve every name now so a typo fails at compile, not at fit
  const losses = args.loss === undefined ? [] : Array.isArray(args.loss) ? args.loss : isRecord(args.loss) ? Object.values(args.loss) : [args.loss];
  // a name's loss or optimizer code may not be loaded yet (a page's bundle): it is checked against
  // the built-in names here and built when fit or evaluate starts (loadCompileMetrics)
  for (const l of losses) resolveLoss(l as LossIdentifier);
  // a built-in metric's code may not be loaded yet (a page's bundle): fit and evaluate load it
  for (const m of flattenMetrics(args.metrics)) checkMetric(m);
  const optimizer = resolveOptimizer(args.optimizer ?? 'rmsprop');
  return { args, optimizer, ownsOptimizer: !isOptimizer(args.optimizer) };
}

/**
 * Load the code of the built-in metrics `args` names (a page's bundle loads each on first use),
 * or null when every one is loaded already (always in Node): `fit` and `evaluate` await it before
 * they bind the metrics, and add no await when there is nothing to load.
 */
export function loadCompileMetrics(args: CompileArgs): Promise<void> | null {
  const ids = flattenMetrics(args.metrics);
  const loads: Promise<void>[] = [];
  if (!metricsLoaded(ids)) loads.push(loadMetrics(ids));
  // the registries of the losses and the optimizer compile named (a page that passes objects loads neither)
  if (!lossesResolvable(args)) loads.push(loadLosses());
  if (!optimizersLoaded() && !isOptimizer(args.optimizer)) loads.push(loadOptimizers());
  return loads.length === 0 ? null : Promise.all(loads).then(() => undefined);
}

/** True when the metrics and losses `args` names can be built now (see `loadCompileMetrics`). */
export function compileMetricsLoaded(args: CompileArgs): boolean {
  return metricsLoaded(flattenMetrics(args.metrics)) && lossesResolvable(args);
}

/**
 * The optimizer of a compile whose optimizer name waited for the registry, now built (after
 * `loadCompileMetrics`); `compiled` keeps it. Null when it was built at compile already.
 */
export function resolvePendingOptimizer(compiled: Compiled): Optimizer | null {
  if (compiled.optimizer !== null) return null;
  const optimizer = resolveOptimizer(compiled.args.optimizer ?? 'rmsprop');
  if (optimizer === null) throw new Error('compile: the optimizer registry did not load');
  compiled.optimizer = optimizer;
  return optimizer;
}

/** True when every loss `args` names can be built now (a SparseCategoricalCrossentropy's step copy needs the registry too). */
function lossesResolvable(args: CompileArgs): boolean {
  if (lossesLoaded()) return true;
  const l = args.loss;
  const losses = l === undefined ? [] : Array.isArray(l) ? l : isRecord(l) ? Object.values(l) : [l];
  return losses.every((x) => {
    const loss = resolveLoss(x as LossIdentifier);
    return loss !== null && loss.className !== 'SparseCategoricalCrossentropy';
  });
}

function flattenMetrics(m: CompileArgs['metrics']): MetricIdentifier[] {
  if (m === undefined || m === null) return [];
  if (Array.isArray(m)) return m.flatMap((x) => (Array.isArray(x) ? x : [x]));
  if (isRecord(m)) return Object.values(m).flatMap((x) => (Array.isArray(x) ? x : [x as MetricIdentifier]));
  throw new Error(`compile: metrics must be an array (['accuracy']) or an object by output name, got ${typeof m}`);
}

function perOutput<T>(what: string, value: T | T[] | Record<string, T> | undefined, names: string[], fallback: T | undefined): (T | undefined)[] {
  if (value === undefined) return names.map(() => fallback);
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new Error(`compile: ${what} has ${value.length} entries but the model has ${names.length} outputs (${names.join(', ')})`);
    }
    return value;
  }
  if (isRecord(value)) {
    const extra = Object.keys(value).filter((k) => !names.includes(k));
    if (extra.length > 0) {
      throw new Error(`compile: ${what} names unknown output${extra.length > 1 ? 's' : ''} ${extra.join(', ')}; the outputs are ${names.join(', ')}`);
    }
    return names.map((n) => (n in value ? (value as Record<string, T>)[n] : fallback));
  }
  return names.map(() => value as T);
}

/** `'categorical_crossentropy'` for a CategoricalCrossentropy loss even when the user renamed it. */
export function canonicalLossName(loss: Loss): string {
  if (loss.className === 'LossFunctionWrapper') return loss.name;
  return loss.className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function withoutLabelChecks(loss: Loss): Loss {
  if (loss.className !== 'SparseCategoricalCrossentropy' || loss.getConfig().checkLabels === false) return loss;
  return resolveLoss({ className: loss.className, config: { ...loss.getConfig(), checkLabels: false } }) as Loss;
}

/** Bind the compile settings to a graph's outputs: losses, weights, metrics, log keys. */
export function bindCompile(compiled: Compiled, graph: Graph): BoundCompile {
  const { args } = compiled;
  const names = graph.outputs.map((t) => t.sourceLayer.name);
  const many = names.length > 1;
  const lossIds = perOutput<LossIdentifier>('loss', args.loss, names, undefined);
  const weights = perOutput<number>('lossWeights', args.lossWeights, names, 1);
  let metricIds: MetricIdentifier[][];
  const m = args.metrics;
  if (m === undefined || m === null) metricIds = names.map(() => []);
  else if (Array.isArray(m) && m.length > 0 && m.every((x) => Array.isArray(x))) {
    metricIds = perOutput<MetricIdentifier[]>('metrics', m as MetricIdentifier[][], names, []).map((x) => x ?? []);
  } else if (Array.isArray(m)) metricIds = names.map(() => m as MetricIdentifier[]);
  else {
    metricIds = perOutput<MetricIdentifier | MetricIdentifier[]>('metrics', m as Record<string, MetricIdentifier | MetricIdentifier[]>, names, []).map((x) =>
      x === undefined ? [] : Array.isArray(x) ? x : [x],
    );
  }
  const outputs: BoundOutput[] = names.map((name, i) => {
    const id = lossIds[i];
    if (id === undefined) throw new Error(`compile: no loss for output "${name}"; give one per output`);
    const loss = resolveLoss(id) as Loss;
    const w = weights[i] ?? 1;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new Error(`compile: lossWeights for output "${name}" must be a finite number >= 0, got ${String(w)}`);
    }
    const shape = graph.outputs[i].shape;
    const units = shape.length > 0 ? shape[shape.length - 1] : null;
    const seen = new Set<string>();
    const metrics = metricIds[i].flatMap((mid): BoundMetric[] => {
      const metric = resolveMetric(mid, { lossName: canonicalLossName(loss), outputUnits: units ?? undefined });
      const key = many ? `${name}_${metric.name}` : metric.name;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ metric, key, owned: metric !== mid }];
    });
    const lossTracker = many ? Mean({ name: `${name}_loss` }) : null;
    return { index: i, name, loss, stepLoss: withoutLabelChecks(loss), lossWeight: w, units, metrics, lossTracker };
  });
  const keys = ['loss', ...(many ? outputs.map((o) => `${o.name}_loss`) : []), ...outputs.flatMap((o) => o.metrics.map((x) => x.key))];
  const lossTracker = Mean({ name: 'loss' });
  const metrics: Metric[] = [
    lossTracker,
    ...outputs.flatMap((o) => (o.lossTracker ? [o.lossTracker] : [])),
    ...outputs.flatMap((o) => o.metrics.map((m) => m.metric)),
  ];
  if (compiled.optimizer === null) throw new Error('compile: the optimizer is not built yet (fit and evaluate build it when they start)');
  return { optimizer: compiled.optimizer, outputs, keys, lossTracker, metrics };
}

/** Release the state of the metrics a bound compile made (user-given Metric objects stay). */
export function disposeBound(bound: BoundCompile): void {
  bound.lossTracker.dispose();
  for (const o of bound.outputs) {
    o.lossTracker?.dispose();
    for (const m of o.metrics) if (m.owned) m.metric.dispose();
  }
}
