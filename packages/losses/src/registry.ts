import { createRegistry, describeValue, type Registry, type RegisterOptions } from '@neurona/common';
import type { BaseLossOptions, Loss, LossConfig, LossFactory, LossFunction } from './types';
import { MeanSquaredError } from './mean-squared-error';
import { MeanAbsoluteError } from './mean-absolute-error';
import { MeanAbsolutePercentageError } from './mean-absolute-percentage-error';
import { MeanSquaredLogarithmicError } from './mean-squared-logarithmic-error';
import { LogCosh } from './log-cosh';
import { Huber } from './huber';
import { BinaryCrossentropy } from './binary-crossentropy';
import { CategoricalCrossentropy } from './categorical-crossentropy';
import { SparseCategoricalCrossentropy } from './sparse-categorical-crossentropy';
import { Hinge, SquaredHinge, CategoricalHinge } from './hinge';
import { KLDivergence } from './kl-divergence';
import { Poisson } from './poisson';
import { LossFunctionWrapper } from './wrapper';
import { isLoss } from './is-loss';
import { BUILTIN_LOSSES, lazyLosses, type LossIdentifier } from './resolve';

export type { LossIdentifier };

/**
 * Every loss `get` knows: the one registry (`@neurona/common`). Keras names
 * (`'categorical_crossentropy'`, `'mse'`), class names (`'CategoricalCrossentropy'`) and camelCase
 * spellings (`'categoricalCrossentropy'`) all resolve. Add yours with `registerLoss`.
 */
export const registry: Registry<LossFactory> = createRegistry<LossFactory>('losses', { kind: 'loss', registerName: 'registerLoss' });

// the names are resolve.ts's table (compile checks names against it before this module loads)
const factories: Record<string, LossFactory> = {
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  LogCosh,
  Huber,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  KLDivergence,
  Poisson,
};
// the Keras function names are listed; the class name resolves too, without being listed
for (const [c, names] of BUILTIN_LOSSES) {
  const f = factories[c];
  for (const n of names) registry.builtin(n, f);
  registry.builtin(c, f);
}

/** The className of every `LossFunctionWrapper` loss. */
const WRAPPER = 'LossFunctionWrapper';

/**
 * Add a contributed loss so `get(name)` and deserialization find it. What you pass is told apart
 * by this rule:
 * 1. a `Loss` (a function with `className` and `getConfig`): registered as is
 *    (`registerLoss('focal', myLoss)`), and also under its `className` if that is free, unless
 *    it is a `LossFunctionWrapper` (that className is every wrapped loss's: only `name` is used);
 * 2. any other function declaring two or more parameters (`fn.length >= 2`) is a per-sample
 *    function `(yTrue, yPred) => Tensor` (`[batch]`), wrapped with `LossFunctionWrapper` and named
 *    `name` (`registerLoss('my_mae', (t, p) => mean(abs(sub(t, p)), -1))`);
 * 3. a function declaring zero or one parameter is a factory `(config?) => Loss`
 *    (`registerLoss('Focal', (c) => Focal(c))`); what it returns is checked to be a Loss.
 * A per-sample function written with a rest or default parameter (`(...args)`, `(t, p = x)`)
 * declares fewer than two: wrap it yourself (`registerLoss(name, LossFunctionWrapper(fn, { name }))`).
 */
export function registerLoss(name: string, loss: Loss | LossFunction | LossFactory, options: RegisterOptions = {}): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`registerLoss: name must be a non-empty string, got ${String(name)}`);
  }
  if (typeof loss !== 'function') {
    throw new Error(
      `registerLoss: expects a Loss, a per-sample function (yTrue, yPred) => Tensor or a factory (config) => Loss, got ${describeValue(loss)}`,
    );
  }
  let factory: LossFactory;
  if (isLoss(loss)) factory = () => loss;
  else if (loss.length >= 2) {
    const fn = loss as LossFunction;
    // config: what serialize wrote ({ name, reduction }), so a saved model reloads it
    factory = (config: LossConfig = {}) => LossFunctionWrapper(fn, { name, ...(config as BaseLossOptions) });
  } else {
    const make = loss as LossFactory;
    const rule =
      `A function declaring fewer than two parameters is taken as a factory (config) => Loss; ` +
      `for a per-sample function declare (yTrue, yPred), or register LossFunctionWrapper(fn, { name })`;
    factory = (config?: LossConfig) => {
      let made: unknown;
      try {
        made = make(config);
      } catch (e) {
        // with no config to blame, the function is likely not a factory at all
        if (config !== undefined) throw e;
        throw new Error(`losses.get("${name}"): the factory given to registerLoss failed: ${(e as Error).message}. ${rule}`, { cause: e });
      }
      if (!isLoss(made)) {
        throw new Error(`losses.get("${name}"): the factory given to registerLoss returned ${describeValue(made)}, not a Loss. ${rule}`);
      }
      return made;
    };
  }
  const key = registry.register(name, factory, options);
  // a custom Loss class is found by its className too (what serialize writes); a wrapped function's
  // className names the wrapper, shared by every wrapped loss, so that one is registered by name only
  if (isLoss(loss) && loss.className !== WRAPPER && loss.className !== name && !registry.has(loss.className)) {
    registry.register(loss.className, factory, options);
  }
  return key;
}

function unknown(name: string): Error {
  return new Error(`Unknown loss "${name}". Known losses: ${registry.names().filter((n) => !isClassName(n)).sort().join(', ')}`);
}

// class names resolve but messages list the Keras function names (and contributed keys)
function isClassName(name: string): boolean {
  return /^[A-Z]/.test(name) && !name.includes('>') && registry.isBuiltin(name);
}

/**
 * Resolve a loss as Keras's `losses.get`: a name (`'categorical_crossentropy'`, `'mse'`,
 * `'categoricalCrossentropy'`, `'CategoricalCrossentropy'`) gives a new loss with default options;
 * a `Loss` is returned as is; a plain per-sample function is wrapped (`LossFunctionWrapper`);
 * `{ className, config }` (from `serialize`) is rebuilt.
 */
export function get(identifier: LossIdentifier): Loss {
  if (typeof identifier === 'string') {
    const f = registry.get(identifier);
    if (!f) throw unknown(identifier);
    return f();
  }
  if (isLoss(identifier)) return identifier;
  if (typeof identifier === 'function') return LossFunctionWrapper(identifier);
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.className === 'string') {
    const f = registry.get(identifier.className);
    if (!f) throw unknown(identifier.className);
    return f(identifier.config ?? {});
  }
  throw new Error(
    `losses.get: expects a loss name, a Loss, a function or { className, config }, got ${JSON.stringify(identifier)}`,
  );
}

/** `{ className, config }` of a loss, what save/load store; `get` rebuilds it. */
export function serialize(loss: Loss): { className: string; config: LossConfig } {
  if (!isLoss(loss)) throw new Error(`losses.serialize: expects a Loss (with className and getConfig), got ${typeof loss}`);
  return { className: loss.className, config: loss.getConfig() };
}

// compile's resolver (resolve.ts) finds names through `get` once this module is loaded
lazyLosses.bind(get);
