import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { createRegistry, describeValue, type Registry, type RegisterOptions } from '@neurona/common';
import { deserializeSchedule } from './schedules/registry';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';
import type { Optimizer, OptimizerFromConfig, Serialized } from './types';
import { isOptimizer } from './is-optimizer';
import { BUILTIN_OPTIMIZERS, lazyOptimizers, type OptimizerIdentifier } from './resolve';

export { isOptimizer, type OptimizerIdentifier };

/**
 * Every optimizer `get` knows, by Keras class name: the one registry (`@neurona/common`), with
 * Keras's lenient spellings (`'adam'`, `'Adam'`, `'ADAM'`, `'ada_grad'`). Add yours with
 * `registerOptimizer`.
 */
export const registry: Registry<OptimizerFromConfig> = createRegistry<OptimizerFromConfig>('optimizers', {
  kind: 'optimizer',
  registerName: 'registerOptimizer',
});
const builtins = [SGD, Adam, AdamW, RMSprop, Adagrad];
for (const f of builtins) registry.builtin(f.className, f.fromConfig);

function lookup(name: string): OptimizerFromConfig {
  return registry.require(name);
}

/**
 * Make a contributed optimizer available by name to `get`, `compile` and model loading, in one
 * call: `registerOptimizer('Lion', Lion.fromConfig)`. Registered under Keras 3's `package>name`
 * key (package `'Custom'` unless given, found by `'Lion'` alone); a name already taken is an
 * error unless `{ override: true }`. Returns the key.
 */
export function registerOptimizer(name: string, fromConfig: OptimizerFromConfig, options: RegisterOptions = {}): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`registerOptimizer: name must be a non-empty string, got ${describeValue(name)}`);
  }
  if (typeof fromConfig !== 'function') {
    throw new Error(`registerOptimizer: expected a function (config) => Optimizer for "${name}", got ${describeValue(fromConfig)}`);
  }
  return registry.register(name, fromConfig, options);
}

/** `{ className, config }` of an optimizer (what model saving writes). */
export function serialize(optimizer: Optimizer): Serialized {
  return { className: optimizer.className, config: optimizer.getConfig() };
}

/** The optimizer a `serialize` result describes. */
export function deserialize(s: Serialized): Optimizer {
  // an unknown optimizer is reported before an unknown schedule, as before
  const make = lookup(s.className);
  const config = { ...s.config };
  const lr = config.learningRate;
  // restored here, through the schedule registry this module imports (a bundle that calls get or
  // deserialize ships every built-in schedule; one that builds Adam(0.001) directly ships none)
  if (lr !== null && typeof lr === 'object' && typeof (lr as Serialized).className === 'string') {
    config.learningRate = deserializeSchedule(lr as Serialized);
  }
  return make(config);
}

/**
 * An optimizer from a Keras name (`'sgd'`, `'adam'`, `'SGD'`, `'rmsprop'`: a fresh instance with
 * Keras's defaults), an optimizer (returned as is) or `{ className, config }`.
 */
export function get(identifier: OptimizerIdentifier): Optimizer {
  if (typeof identifier === 'string') return lookup(identifier)({});
  if (isOptimizer(identifier)) return identifier;
  if (typeof identifier === 'object' && identifier !== null && typeof identifier.className === 'string') {
    return deserialize(identifier);
  }
  throw new Error(
    `Expected an optimizer name (${registry.names().join(', ')}), an optimizer or { className, config }, ` +
      `got ${identifier === null ? 'null' : typeof identifier}`,
  );
}


// compile's resolver (resolve.ts) finds names through `get` once this module is loaded; the list of
// built-in names it checks before then must match the built-ins registered here
if (builtins.some((f, i) => f.className !== BUILTIN_OPTIMIZERS[i])) throw new Error('@neurona/optimizers: BUILTIN_OPTIMIZERS is out of date');
lazyOptimizers.bind(get);
