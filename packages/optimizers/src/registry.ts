import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { createRegistry, describeValue, type Registry, type RegisterOptions } from '@neurona/common';
import { fromConfigWithSchedule } from './from-config';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';
import type { Optimizer, OptimizerFromConfig, Serialized } from './types';

/**
 * Every optimizer `get` knows, by Keras class name: the one registry (`@neurona/common`), with
 * Keras's lenient spellings (`'adam'`, `'Adam'`, `'ADAM'`, `'ada_grad'`). Add yours with
 * `registerOptimizer`.
 */
export const registry: Registry<OptimizerFromConfig> = createRegistry<OptimizerFromConfig>('optimizers', {
  kind: 'optimizer',
  registerName: 'registerOptimizer',
});
for (const f of [SGD, Adam, AdamW, RMSprop, Adagrad]) registry.builtin(f.className, f.fromConfig);

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

/** True for objects that implement the optimizer contract. */
export function isOptimizer(x: unknown): x is Optimizer {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Optimizer).applyGradients === 'function' &&
    typeof (x as Optimizer).getConfig === 'function'
  );
}

/** `{ className, config }` of an optimizer (what model saving writes). */
export function serialize(optimizer: Optimizer): Serialized {
  return { className: optimizer.className, config: optimizer.getConfig() };
}

/** The optimizer a `serialize` result describes. */
export function deserialize(s: Serialized): Optimizer {
  return lookup(s.className)(fromConfigWithSchedule(s.config ?? {}));
}

/** Anything `get` accepts. */
export type OptimizerIdentifier = string | Optimizer | Serialized;

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

