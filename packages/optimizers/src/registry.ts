import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { AdamW } from './adamw';
import { fromConfigWithSchedule } from './from-config';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';
import type { Optimizer, OptimizerFromConfig, Serialized } from './types';

/** className → optimizer-from-config; built from the exported optimizers, extended by `registerOptimizer`. */
export const registry = new Map<string, OptimizerFromConfig>([
  ['SGD', SGD.fromConfig],
  ['Adam', Adam.fromConfig],
  ['AdamW', AdamW.fromConfig],
  ['RMSprop', RMSprop.fromConfig],
  ['Adagrad', Adagrad.fromConfig],
]);

// 'adam', 'Adam', 'ADAM' and 'ada_grad' all find 'Adam'/'Adagrad': Keras accepts the lower-cased
// class name; camelCase and snake_case spellings differ only in case and underscores.
const normalize = (name: string) => name.toLowerCase().replace(/[_-]/g, '');

function lookup(name: string): OptimizerFromConfig {
  const exact = registry.get(name);
  if (exact) return exact;
  for (const [key, fromConfig] of registry) if (normalize(key) === normalize(name)) return fromConfig;
  throw new Error(`Unknown optimizer "${name}". Known optimizers: ${[...registry.keys()].join(', ')}`);
}

/**
 * Make a contributed optimizer available by name to `get` and to model loading, in one call:
 * `registerOptimizer('Lion', (config) => Lion(config))`. A later registration of a name replaces it.
 */
export function registerOptimizer(name: string, fromConfig: OptimizerFromConfig): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`registerOptimizer: name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (typeof fromConfig !== 'function') {
    throw new Error(`registerOptimizer: expected a function (config) => Optimizer for "${name}", got ${typeof fromConfig}`);
  }
  registry.set(name, fromConfig);
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
    `Expected an optimizer name (${[...registry.keys()].join(', ')}), an optimizer or { className, config }, ` +
      `got ${identifier === null ? 'null' : typeof identifier}`,
  );
}

