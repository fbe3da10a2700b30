import type { Tensor, DataType } from '@neurona/tensor';
import { createRegistry, type Registry, type RegisterOptions } from '@neurona/common';
import type { Initializer, InitializerIdentifier, SerializedInitializer } from './types';
import { defineInitializer } from './define';
import { describeValue } from '@neurona/common';
import { Zeros, Ones, Constant } from './constant';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random';
import {
  VarianceScaling,
  GlorotUniform,
  GlorotNormal,
  HeUniform,
  HeNormal,
  LecunUniform,
  LecunNormal,
} from './variance-scaling';
import { Orthogonal } from './orthogonal';
import { Identity } from './identity';

/** Builds an initializer from its (JSON) config; each factory validates what it gets. */
export type InitializerFactory = (config?: Record<string, unknown>) => Initializer;

// Factories take typed options; from JSON they get unknown values, which they check themselves.
const fromConfig =
  (factory: (options: never) => Initializer): InitializerFactory =>
  (config = {}) =>
    factory(config as never);

/**
 * Every initializer `get` knows, by Keras name: the one registry (`@neurona/common`), with
 * case/underscore-insensitive lookups (`'glorotUniform'`, `'GlorotUniform'`) and Keras's
 * aliases (`'uniform'`, `'xavier_normal'`). Add yours with `registerInitializer`.
 */
export const registry: Registry<InitializerFactory> = createRegistry<InitializerFactory>('initializers', {
  kind: 'initializer',
  registerName: 'registerInitializer',
});

const BUILTINS: [string, InitializerFactory, string[]][] = [
  ['zeros', fromConfig(Zeros), ['zero']],
  ['ones', fromConfig(Ones), ['one']],
  ['constant', fromConfig(Constant), []],
  ['random_normal', fromConfig(RandomNormal), ['normal']],
  ['random_uniform', fromConfig(RandomUniform), ['uniform']],
  ['truncated_normal', fromConfig(TruncatedNormal), []],
  ['glorot_uniform', fromConfig(GlorotUniform), ['xavier_uniform']],
  ['glorot_normal', fromConfig(GlorotNormal), ['xavier_normal']],
  ['he_uniform', fromConfig(HeUniform), []],
  ['he_normal', fromConfig(HeNormal), []],
  ['lecun_uniform', fromConfig(LecunUniform), []],
  ['lecun_normal', fromConfig(LecunNormal), []],
  ['orthogonal', fromConfig(Orthogonal), ['orthogonal_initializer']],
  ['identity', fromConfig(Identity), ['identity_initializer']],
  ['variance_scaling', fromConfig(VarianceScaling), []],
];
for (const [name, factory, aliases] of BUILTINS) registry.builtin(name, factory, aliases);

function lookup(name: string): InitializerFactory | undefined {
  return registry.get(name);
}

function unknown(name: string): Error {
  return new Error(`Unknown initializer "${name}". Known initializers: ${registry.names().join(', ')}`);
}

/**
 * The initializer for a Keras name (`'glorot_uniform'`), a camelCase or class name
 * (`'glorotUniform'`, `'GlorotUniform'`), an initializer, a plain `(shape, dtype) => Tensor`,
 * or `{ className, config }`.
 */
export function get(identifier: InitializerIdentifier): Initializer {
  if (typeof identifier === 'string') {
    const factory = lookup(identifier);
    if (!factory) throw unknown(identifier);
    return factory();
  }
  if (typeof identifier === 'function') {
    const named = identifier as Partial<Initializer>;
    if (typeof named.className === 'string' && typeof named.getConfig === 'function') return identifier as Initializer;
    // A plain user function: give it a name and an empty config without changing the caller's object.
    const f = identifier;
    return defineInitializer(f.name || 'custom', () => ({}), (shape: number[], dtype: DataType): Tensor => f(shape, dtype), [
      'float32',
      'int32',
      'bool',
    ]);
  }
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.className === 'string') {
    const factory = lookup(identifier.className);
    if (!factory) throw unknown(identifier.className);
    return factory(identifier.config ?? {});
  }
  throw new Error(
    `initializer: expected a name, an initializer function or { className, config }, got ${describeValue(identifier)}`,
  );
}

/** `{ className, config }`, the form save/load and layer configs use. */
export function serialize(initializer: Initializer): SerializedInitializer {
  if (typeof initializer !== 'function' || typeof initializer.className !== 'string') {
    throw new Error(`serialize: expected an initializer with a className, got ${describeValue(initializer)}`);
  }
  return { className: initializer.className, config: initializer.getConfig() };
}

/**
 * Make a contributed initializer findable by `get(name)` and `get({ className: name, config })`,
 * in one call; `factory(config)` returns the initializer. Registered under Keras 3's
 * `package>name` key (package `'Custom'` unless given); a name already taken is an error unless
 * `{ override: true }`.
 */
export function registerInitializer(name: string, factory: InitializerFactory, options: RegisterOptions = {}): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`registerInitializer: name must be a non-empty string, got ${describeValue(name)}`);
  }
  if (typeof factory !== 'function') {
    throw new Error(`registerInitializer("${name}"): expected a factory (config) => Initializer, got ${describeValue(factory)}`);
  }
  return registry.register(name, factory, options);
}
