import { clipByValue, div, greaterEqual, mul, add, sqrt, square, sum, tidy, cast } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { checkOptions, createRegistry, describeValue, type Registry, type RegisterOptions } from '@neurona/common';

/**
 * A weight constraint, as Keras's `keras.constraints`: a projection applied to a weight after
 * each optimizer update (`w ← constraint(w)`). Layers take it as `kernelConstraint` /
 * `biasConstraint`.
 */
export type Constraint = ((w: Tensor) => Tensor) & {
  readonly className: string;
  getConfig(): Record<string, number | number[]>;
};

/** What a `kernelConstraint` option accepts: a constraint, its name, or `{ className, config }`. */
export type ConstraintIdentifier = Constraint | string | SerializedConstraint;

/** `{ className: 'MaxNorm', config: { maxValue: 2, axis: 0 } }` */
export interface SerializedConstraint {
  className: string;
  config?: Record<string, unknown>;
}

// Keras's backend epsilon, added to norms before dividing.
const EPSILON = 1e-7;

type Axis = number | number[];

function norms(w: Tensor, axis: Axis): Tensor {
  return sqrt(sum(square(w), axis, true));
}

function checkNumber(where: string, key: string, v: unknown, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new Error(`${where}: ${key} must be a finite number${min > -Infinity ? ` >= ${min}` : ''}, got ${describeValue(v)}`);
  }
  return v;
}

function checkAxis(where: string, v: unknown): Axis {
  const ok = (a: unknown) => typeof a === 'number' && Number.isInteger(a);
  if (ok(v) || (Array.isArray(v) && v.length > 0 && v.every(ok))) return v as Axis;
  throw new Error(`${where}: axis must be an integer or a list of integers, got ${describeValue(v)}`);
}

function make(className: string, config: Record<string, number | number[]>, fn: (w: Tensor) => Tensor): Constraint {
  return Object.assign((w: Tensor) => tidy(() => fn(w)), { className, getConfig: () => ({ ...config }) });
}

/** Options of `MaxNorm`. */
export interface MaxNormOptions {
  /** Largest norm allowed; default 2. */
  maxValue?: number;
  /** Axis along which norms are computed; default 0 (each column of a Dense kernel `[in, out]`). */
  axis?: Axis;
}

/** Rescale weights whose norm along `axis` exceeds `maxValue` down to it (Keras `MaxNorm`). */
export function MaxNorm(options: MaxNormOptions = {}): Constraint {
  checkOptions('MaxNorm', options, ['maxValue', 'axis']);
  const maxValue = checkNumber('MaxNorm', 'maxValue', options.maxValue ?? 2, 0);
  const axis = checkAxis('MaxNorm', options.axis ?? 0);
  return make('MaxNorm', { maxValue, axis }, (w) => {
    const n = norms(w, axis);
    return mul(w, div(clipByValue(n, 0, maxValue), add(n, EPSILON)));
  });
}

/** Options of `MinMaxNorm`. */
export interface MinMaxNormOptions {
  /** Smallest norm; default 0. */
  minValue?: number;
  /** Largest norm; default 1. */
  maxValue?: number;
  /** How far to move towards the clipped norm each time, in [0, 1]; default 1. */
  rate?: number;
  /** Default 0. */
  axis?: Axis;
}

/** Keep norms along `axis` within [minValue, maxValue], moving `rate` of the way (Keras `MinMaxNorm`). */
export function MinMaxNorm(options: MinMaxNormOptions = {}): Constraint {
  checkOptions('MinMaxNorm', options, ['minValue', 'maxValue', 'rate', 'axis']);
  const minValue = checkNumber('MinMaxNorm', 'minValue', options.minValue ?? 0, 0);
  const maxValue = checkNumber('MinMaxNorm', 'maxValue', options.maxValue ?? 1, 0);
  if (maxValue < minValue) throw new Error(`MinMaxNorm: maxValue (${maxValue}) must be >= minValue (${minValue})`);
  const rate = checkNumber('MinMaxNorm', 'rate', options.rate ?? 1, 0);
  if (rate > 1) throw new Error(`MinMaxNorm: rate must be in [0, 1], got ${rate}`);
  const axis = checkAxis('MinMaxNorm', options.axis ?? 0);
  return make('MinMaxNorm', { minValue, maxValue, rate, axis }, (w) => {
    const n = norms(w, axis);
    const desired = add(mul(rate, clipByValue(n, minValue, maxValue)), mul(1 - rate, n));
    return mul(w, div(desired, add(n, EPSILON)));
  });
}

/** Zero out negative weights (Keras `NonNeg`). */
export function NonNeg(options: Record<string, never> = {}): Constraint {
  checkOptions('NonNeg', options, []);
  return make('NonNeg', {}, (w) => mul(w, cast(greaterEqual(w, 0), w.dtype)));
}

/** Options of `UnitNorm`. */
export interface UnitNormOptions {
  /** Default 0. */
  axis?: Axis;
}

/** Scale weights to unit norm along `axis` (Keras `UnitNorm`). */
export function UnitNorm(options: UnitNormOptions = {}): Constraint {
  checkOptions('UnitNorm', options, ['axis']);
  const axis = checkAxis('UnitNorm', options.axis ?? 0);
  return make('UnitNorm', { axis }, (w) => div(w, add(norms(w, axis), EPSILON)));
}

/** Builds a constraint from its config: what `registerConstraint` takes. */
export type ConstraintFactory = (config?: Record<string, unknown>) => Constraint;

/**
 * Every constraint `getConstraint` knows, by Keras name (`'max_norm'`, `'MaxNorm'`, `'maxNorm'`
 * all resolve): the one registry of `@neurona/common`. Add yours with `registerConstraint`.
 */
export const constraintRegistry: Registry<ConstraintFactory> = createRegistry<ConstraintFactory>('constraints', {
  kind: 'constraint',
  registerName: 'registerConstraint',
});
constraintRegistry.builtin('max_norm', (c = {}) => MaxNorm(c as MaxNormOptions), ['MaxNorm']);
constraintRegistry.builtin('min_max_norm', (c = {}) => MinMaxNorm(c as MinMaxNormOptions), ['MinMaxNorm']);
constraintRegistry.builtin('non_neg', (c = {}) => NonNeg(c as Record<string, never>), ['NonNeg']);
constraintRegistry.builtin('unit_norm', (c = {}) => UnitNorm(c as UnitNormOptions), ['UnitNorm']);

/**
 * Make a contributed constraint usable by name and loadable, in one call:
 * `registerConstraint('Clip', (c) => Clip(c))`. Keras 3's `package>name` key (package
 * `'Custom'` unless given); a taken name is an error unless `{ override: true }`.
 */
export function registerConstraint(name: string, factory: ConstraintFactory, options: RegisterOptions = {}): string {
  if (typeof factory !== 'function') {
    throw new Error(`registerConstraint("${String(name)}"): expected a factory (config) => Constraint, got ${describeValue(factory)}`);
  }
  return constraintRegistry.register(name, factory, options);
}

/** Resolve a constraint from itself, a name (`'max_norm'`) or `{ className, config }`; `null`/`undefined` → none. */
export function getConstraint(id: ConstraintIdentifier | null | undefined): Constraint | null {
  if (id === null || id === undefined) return null;
  if (typeof id === 'function') {
    if (typeof (id as Partial<Constraint>).className !== 'string') {
      throw new Error(`A constraint function needs a className and getConfig (use registerConstraint or one of MaxNorm, MinMaxNorm, NonNeg, UnitNorm), got ${describeValue(id)}`);
    }
    return id;
  }
  if (typeof id === 'string') return constraintRegistry.require(id)();
  if (typeof id === 'object' && typeof id.className === 'string') {
    const config = id.config ?? {};
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new Error(`Constraint ${id.className}: config must be an object, got ${describeValue(config)}`);
    }
    return constraintRegistry.require(id.className)(config);
  }
  throw new Error(`Expected a constraint, its name or { className, config }, got ${describeValue(id)}`);
}

/** `{ className, config }` of a constraint, or `null` for none. */
export function serializeConstraint(c: Constraint | null): SerializedConstraint | null {
  return c ? { className: c.className, config: c.getConfig() } : null;
}
