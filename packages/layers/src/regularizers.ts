import { abs, add, mul, scalar, square, sum, tidy } from '@neurona/tensor';
import type { Scalar, Tensor } from '@neurona/tensor';
import { createRegistry, describeValue, type Registry, type RegisterOptions, checkOptions } from '@neurona/common';

/** A weight penalty: `r(w)` is a scalar added to the loss (through `layer.losses()`). */
export type Regularizer = ((x: Tensor) => Scalar) & {
  readonly className: string;
  getConfig(): Record<string, number>;
};

/** What a `kernelRegularizer` option accepts: a regularizer, its name, or its serialized form. */
export type RegularizerIdentifier = Regularizer | 'l1' | 'l2' | 'l1_l2' | 'l1l2' | SerializedRegularizer;

/** `{ className: 'L2', config: { l2: 0.01 } }` */
export interface SerializedRegularizer {
  className: string;
  config?: Record<string, unknown>;
}

function checkFactor(where: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${where}: ${key} must be a finite number >= 0, got ${describeValue(value)}`);
  }
  return value;
}

function make(l1: number, l2: number, className: string, config: Record<string, number>): Regularizer {
  const fn = (x: Tensor): Scalar =>
    tidy(() => {
      const terms: Tensor[] = [];
      if (l1 > 0) terms.push(mul(l1, sum(abs(x))));
      if (l2 > 0) terms.push(mul(l2, sum(square(x))));
      return (terms.length === 0 ? scalar(0) : terms.length === 1 ? terms[0] : add(terms[0], terms[1])) as Scalar;
    });
  return Object.assign(fn, { className, getConfig: () => ({ ...config }) });
}

/** `l1 * sum(|w|)`; `L1(0.01)` or `L1({ l1: 0.01 })` (Keras default 0.01). */
export function L1(l1: number | { l1?: number } = 0.01): Regularizer {
  const v = checkFactor('L1', 'l1', typeof l1 === 'object' ? (l1.l1 ?? 0.01) : l1);
  return make(v, 0, 'L1', { l1: v });
}

/** `l2 * sum(w²)`; `L2(0.01)` or `L2({ l2: 0.01 })` (Keras default 0.01; no factor 1/2, as Keras). */
export function L2(l2: number | { l2?: number } = 0.01): Regularizer {
  const v = checkFactor('L2', 'l2', typeof l2 === 'object' ? (l2.l2 ?? 0.01) : l2);
  return make(0, v, 'L2', { l2: v });
}

/** `l1 * sum(|w|) + l2 * sum(w²)`; both default to 0 as Keras's class (the name `'l1_l2'` means 0.01 each). */
export function L1L2(options: { l1?: number; l2?: number } = {}): Regularizer {
  checkOptions('L1L2', options, ['l1', 'l2']);
  const l1 = checkFactor('L1L2', 'l1', options.l1 ?? 0);
  const l2 = checkFactor('L1L2', 'l2', options.l2 ?? 0);
  return make(l1, l2, 'L1L2', { l1, l2 });
}

/** Builds a regularizer from its config: what `registerRegularizer` takes. */
export type RegularizerFactory = (config?: Record<string, unknown>) => Regularizer;

/**
 * Every regularizer `getRegularizer` knows: the class names (`'L2'`, built from a config) and
 * Keras's function names (`'l2'`, default factors; `'l1_l2'` means 0.01 each, as Keras 2's
 * function). The one registry of `@neurona/common`, exact names. Add yours with
 * `registerRegularizer`.
 */
export const regularizerRegistry: Registry<RegularizerFactory> = createRegistry<RegularizerFactory>('regularizers', {
  kind: 'regularizer',
  registerName: 'registerRegularizer',
  loose: false,
});
regularizerRegistry.builtin('l1', () => L1());
regularizerRegistry.builtin('l2', () => L2());
regularizerRegistry.builtin('l1_l2', () => L1L2({ l1: 0.01, l2: 0.01 }), ['l1l2']);
regularizerRegistry.builtin('L1', (c = {}) => L1({ l1: c.l1 as number | undefined }));
regularizerRegistry.builtin('L2', (c = {}) => L2({ l2: c.l2 as number | undefined }));
regularizerRegistry.builtin('L1L2', (c = {}) => L1L2({ l1: c.l1 as number | undefined, l2: c.l2 as number | undefined }));

/**
 * Make a contributed regularizer loadable by name, in one call: `registerRegularizer('Orth',
 * (config) => Orth(config))`. Keras 3's `package>name` key (package `'Custom'` unless given); a
 * name already taken is an error unless `{ override: true }`. Returns the key.
 */
export function registerRegularizer(name: string, factory: RegularizerFactory, options: RegisterOptions = {}): string {
  if (typeof factory !== 'function') {
    throw new Error(`registerRegularizer("${String(name)}"): expected a factory (config) => Regularizer, got ${describeValue(factory)}`);
  }
  return regularizerRegistry.register(name, factory, options);
}

// Names shown when a string is unknown: the function-style names (the classes take a config).
const SHOWN_NAMES = ['l1', 'l2', 'l1_l2', 'l1l2'];

/** Resolve a regularizer from itself, a name (`'l1'`, `'l2'`, `'l1_l2'`) or `{ className, config }`; `null`/`undefined` → none. */
export function getRegularizer(id: RegularizerIdentifier | null | undefined): Regularizer | null {
  if (id === null || id === undefined) return null;
  if (typeof id === 'function') return id;
  if (typeof id === 'string') {
    const f = regularizerRegistry.get(id) ?? regularizerRegistry.get(id.toLowerCase());
    if (!f) {
      const contributed = regularizerRegistry.names().filter((n) => n.includes('>'));
      throw new Error(`Unknown regularizer "${id}". Known regularizers: ${[...SHOWN_NAMES, ...contributed].join(', ')}`);
    }
    return f();
  }
  if (typeof id === 'object' && typeof id.className === 'string') {
    const f = regularizerRegistry.get(id.className);
    if (!f || SHOWN_NAMES.includes(id.className)) {
      const classes = regularizerRegistry.names().filter((n) => !SHOWN_NAMES.includes(n));
      throw new Error(`Unknown regularizer "${id.className}". Known regularizers: ${classes.join(', ')}`);
    }
    const config = id.config ?? {};
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new Error(`Regularizer ${id.className}: config must be an object, got ${describeValue(config)}`);
    }
    return f(config);
  }
  throw new Error(`Expected a regularizer, its name or { className, config }, got ${describeValue(id)}`);
}

/** `{ className, config }` of a regularizer, or `null` for none. */
export function serializeRegularizer(r: Regularizer | null): SerializedRegularizer | null {
  return r ? { className: r.className, config: r.getConfig() } : null;
}
