import { clone, dispose, ones, tidy, variable, zeros, type Tensor, type Variable } from '@neurona/tensor';
import { CallableMetricBase } from './callable';
import { toSnakeCase } from './names';
import type { MetricConfig } from './types';
import { checkName, show } from './validate';

/** How `addWeight` fills a state variable: zeros (the default), ones, or a function of the shape. */
export type StateInitializer = 'zeros' | 'ones' | ((shape: number[]) => Tensor);

/** Options every metric takes. */
export interface MetricOptions {
  /** The History key; default: the metric's Keras name (`'precision'`), or the snake_case class name. */
  name?: string;
}

interface StateRecord {
  name: string;
  variable: Variable;
  shape: number[];
  initializer: StateInitializer;
}

function initialValue(where: string, shape: number[], init: StateInitializer): Tensor {
  if (init === 'zeros') return zeros(shape);
  if (init === 'ones') return ones(shape);
  if (typeof init !== 'function') {
    throw new Error(`${where}: initializer must be 'zeros', 'ones' or a function (shape) => Tensor, got ${show(init)}`);
  }
  const t = init(shape);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    const got = `[${t.shape.join(', ')}]`;
    t.dispose();
    throw new Error(`${where}: the initializer returned shape ${got}, expected [${shape.join(', ')}]`);
  }
  return t;
}

/** Keras's Metric is callable: `metric(yTrue, yPred)` gives the value on that batch alone. */
// The interface merges the call signature into the class type (CallableMetricBase makes instances
// callable, so no member is left undeclared).
// oxlint-disable-next-line typescript/no-unsafe-declaration-merging
export interface Metric {
  /** The value on this batch alone, leaving the state as it was: what `metric(yTrue, yPred)` returned in 0.1. */
  (yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor;
}

/**
 * A Keras metric: state accumulated over batches. `updateState(yTrue, yPred, sampleWeight?)` adds
 * a batch, `result()` is the value over every batch since the last `resetState()`. Instances are
 * callable for compatibility: `metric(yTrue, yPred)` is the value on that batch alone (no state change).
 *
 * Subclass it as in Keras: create state variables with `this.addWeight(name, shape)` in the
 * constructor (or on the first `updateState`), update them in `updateState`, read them in
 * `result`. `resetState` refills them with their initial values. Built-in metrics and metrics
 * whose state is a vector of sums extend `AdditiveMetric`, which models can run faster.
 *
 * ```ts
 * class TruePositives extends Metric {
 *   private tp = this.addWeight('true_positives', []);
 *   updateState(yTrue: Tensor, yPred: Tensor) {
 *     tidy(() => this.tp.assign(add(this.tp, sum(mul(yTrue, round(yPred))))));
 *   }
 *   result() { return clone(this.tp); }
 * }
 * ```
 */
// oxlint-disable-next-line typescript/no-unsafe-declaration-merging
export abstract class Metric extends CallableMetricBase {
  /** The Keras class name (`'Precision'`); a subclass without one uses its JavaScript class name. */
  static readonly className: string = 'Metric';

  /** The History key: the name given, or the metric's default (`'precision'`, `'accuracy'`...). */
  name: string;

  private stateRecords: StateRecord[] = [];

  constructor(options: MetricOptions = {}) {
    super();
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new Error(`${this.className}: options must be an object, got ${show(options)}`);
    }
    this.name = checkName(this.className, options.name, toSnakeCase(this.className));
  }

  /** The Keras class name, used by `serialize` and `get({ className, config })`. */
  get className(): string {
    const ctor = this.constructor as typeof Metric;
    return Object.prototype.hasOwnProperty.call(ctor, 'className') ? ctor.className : ctor.name;
  }

  /** Add one batch to the state. No value is read back to the CPU. */
  abstract updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void;

  /** The value over every batch since the last reset: a new scalar tensor the caller disposes (no sync read). */
  abstract result(): Tensor;

  /** Start over: every state variable gets its initial value back (zeros unless `addWeight` said otherwise). */
  resetState(): void {
    tidy(() => {
      for (const r of this.stateRecords) r.variable.assign(initialValue(this.className, r.shape, r.initializer));
    });
  }

  /**
   * Create a state variable (Keras's `add_variable`/`add_weight`): not trainable, float32, filled by
   * `initializer` (`'zeros'` by default), listed in `variables`, refilled by `resetState` and
   * released by `dispose`.
   */
  addWeight(name: string, shape: number[], initializer: StateInitializer = 'zeros'): Variable {
    const where = `${this.className}.addWeight`;
    if (typeof name !== 'string' || name.length === 0) throw new Error(`${where}: name must be a non-empty string, got ${show(name)}`);
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new Error(`${where}: shape must be an array of integers >= 0, got ${show(shape)}`);
    }
    const init = initialValue(where, shape, initializer);
    const v = variable(init, false);
    init.dispose();
    this.stateRecords.push({ name, variable: v, shape: [...shape], initializer });
    return v;
  }

  /** The state variables, in creation order. */
  get variables(): Variable[] {
    return this.stateRecords.map((r) => r.variable);
  }

  /**
   * The value on this batch alone, the state left as it was (what calling the metric does). The
   * general form saves the state, resets, updates, reads `result()` and restores; `AdditiveMetric`
   * computes it directly.
   */
  batchValue(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    const saved = this.stateRecords.map((r) => clone(r.variable));
    const before = this.stateRecords.length;
    try {
      this.resetState();
      this.updateState(yTrue, yPred, sampleWeight);
      return this.result();
    } finally {
      tidy(() => {
        saved.forEach((s, i) => this.stateRecords[i].variable.assign(s));
        // variables made by this update (a metric that builds on its first batch) start empty
        for (const r of this.stateRecords.slice(before)) r.variable.assign(initialValue(this.className, r.shape, r.initializer));
      });
      dispose(saved);
    }
  }

  /** Plain JSON configuration (camelCase keys, `name` included) that rebuilds the metric. */
  getConfig(): MetricConfig {
    return { name: this.name };
  }

  /** Release the state variables. Built-in metrics used again start from an empty state. */
  dispose(): void {
    for (const r of this.stateRecords) r.variable.dispose();
    this.stateRecords = [];
  }

  /** `Precision "precision"` */
  toString(): string {
    return `${this.className} "${this.name}"`;
  }
}

/**
 * True for a `Metric` (built-in or subclassed, from either the ESM or the CommonJS build): a
 * callable with `className`, `updateState`, `result` and `resetState`.
 */
export function isMetric(x: unknown): x is Metric {
  if (typeof x !== 'function') return false;
  const m = x as unknown as Partial<Record<'className' | 'updateState' | 'result' | 'resetState', unknown>>;
  return (
    typeof m.className === 'string' &&
    typeof m.updateState === 'function' &&
    typeof m.result === 'function' &&
    typeof m.resetState === 'function'
  );
}
