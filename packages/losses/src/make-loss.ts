import { maskOf, tidy, type Tensor } from '@neurona/tensor';
import type { BaseLossOptions, Loss, LossConfig, LossFunction, Reduction } from './types';
import { reduceWeighted } from './reduce';
import { checkKeys, checkName, checkReduction } from './validate';

/**
 * Wrap a per-sample loss function into a configured, callable `Loss` carrying its identity.
 * `fn(yTrue, yPred)` returns `[batch]` values; the wrapper weights and reduces them.
 * `config` holds the loss's own options (name and reduction are added).
 */
export function makeLoss(
  className: string,
  name: string,
  reduction: Reduction,
  config: LossConfig,
  fn: LossFunction,
): Loss {
  // a prediction that carries a mask (Keras's `_keras_mask`: padded time steps of a sequence)
  // leaves the masked entries out, as Keras's Loss.__call__
  const call = (yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor =>
    tidy(() => reduceWeighted(name, fn(yTrue, yPred), sampleWeight, reduction, maskOf(yPred)));
  // a function's own `name` is read-only: define it rather than assign it
  Object.defineProperty(call, 'name', { value: name, enumerable: true });
  Object.defineProperty(call, 'className', { value: className, enumerable: true });
  Object.defineProperty(call, 'reduction', { value: reduction, enumerable: true });
  Object.defineProperty(call, 'getConfig', {
    value: (): LossConfig => ({ name, reduction, ...config }),
    enumerable: false,
  });
  return call as Loss;
}

/** Check the options common to every loss and the factory's own keys. */
export function baseOptions(
  className: string,
  defaultName: string,
  options: object,
  ownKeys: readonly string[] = [],
): { name: string; reduction: Reduction } {
  if (options === null || typeof options !== 'object') {
    throw new Error(`${className}: options must be an object, got ${String(options)}`);
  }
  checkKeys(className, options, ['name', 'reduction', ...ownKeys]);
  const o = options as BaseLossOptions;
  return { name: checkName(className, o.name, defaultName), reduction: checkReduction(className, o.reduction) };
}

/** A factory for a loss that has no options beyond name and reduction. */
export function simpleLossFactory(className: string, defaultName: string, fn: LossFunction): (options?: BaseLossOptions) => Loss {
  return (options: BaseLossOptions = {}) => {
    const { name, reduction } = baseOptions(className, defaultName, options);
    return makeLoss(className, name, reduction, {}, fn);
  };
}
