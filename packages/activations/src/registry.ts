import type { Tensor } from '@neurona/tensor';
import { createRegistry, describeValue, type Registry, type RegisterOptions } from '@neurona/common';
import type { ActivationConfig, ActivationFn, ActivationIdentifier } from './types';
import { defineActivation } from './define';
import { linear, exponential } from './basic';
import { relu, relu6, leakyRelu, elu, selu } from './relu-family';
import { sigmoid, tanh, hardSigmoid, softplus, softsign, logSigmoid } from './sigmoid-family';
import { gelu, silu, hardSilu, mish } from './smooth';
import { softmax, logSoftmax } from './softmax';

/**
 * Every activation `get` knows, by Keras name: the one registry (`@neurona/common`), with
 * case/underscore-insensitive lookups (`'leakyRelu'`, `'LeakyReLU'` and `'leaky_relu'` are one).
 * Add yours with `registerActivation`.
 */
export const registry: Registry<ActivationFn> = createRegistry<ActivationFn>('activations', {
  kind: 'activation',
  registerName: 'registerActivation',
});

const BUILTINS: [string, ActivationFn][] = [
  ['linear', linear],
  ['sigmoid', sigmoid],
  ['tanh', tanh],
  ['relu', relu],
  ['relu6', relu6],
  ['leaky_relu', leakyRelu],
  ['elu', elu],
  ['selu', selu],
  ['gelu', gelu],
  ['silu', silu],
  ['swish', silu],
  ['softplus', softplus],
  ['softsign', softsign],
  ['hard_sigmoid', hardSigmoid],
  ['hard_silu', hardSilu],
  ['hard_swish', hardSilu],
  ['mish', mish],
  ['log_sigmoid', logSigmoid],
  ['softmax', softmax],
  ['log_softmax', logSoftmax],
  ['exponential', exponential],
];
for (const [name, fn] of BUILTINS) registry.builtin(name, fn);

function lookup(name: string): ActivationFn | undefined {
  return registry.get(name);
}

function unknown(name: string): Error {
  return new Error(`Unknown activation "${name}". Known activations: ${registry.names().join(', ')}`);
}

// How each configurable built-in binds its settings; the key is the className.
type Configurator = (config: ActivationConfig) => ActivationFn;
const number = (what: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what} must be a finite number, got ${describeValue(v)}`);
  return v;
};
const configurators: Record<string, { keys: string[]; bind: Configurator }> = {
  leaky_relu: {
    // Keras 3 calls it negative_slope, Keras 2 alpha.
    keys: ['alpha', 'negative_slope', 'negativeSlope'],
    bind: (c) => {
      const alpha = number('leaky_relu: alpha', c.alpha ?? c.negative_slope ?? c.negativeSlope ?? 0.1);
      return defineActivation('leaky_relu', (x: Tensor) => leakyRelu(x, alpha), () => ({ alpha }));
    },
  },
  elu: {
    keys: ['alpha'],
    bind: (c) => {
      const alpha = number('elu: alpha', c.alpha ?? 1);
      return defineActivation('elu', (x: Tensor) => elu(x, alpha), () => ({ alpha }));
    },
  },
  gelu: {
    keys: ['approximate'],
    bind: (c) => {
      const approximate = c.approximate ?? false;
      if (typeof approximate !== 'boolean') throw new Error(`gelu: approximate must be a boolean, got ${describeValue(approximate)}`);
      return defineActivation('gelu', (x: Tensor) => gelu(x, approximate), () => ({ approximate }));
    },
  },
  softmax: {
    keys: ['axis'],
    bind: (c) => {
      const axis = number('softmax: axis', c.axis ?? -1);
      return defineActivation('softmax', (x: Tensor) => softmax(x, axis), () => ({ axis }));
    },
  },
  log_softmax: {
    keys: ['axis'],
    bind: (c) => {
      const axis = number('log_softmax: axis', c.axis ?? -1);
      return defineActivation('log_softmax', (x: Tensor) => logSoftmax(x, axis), () => ({ axis }));
    },
  },
};

function withConfig(fn: ActivationFn, config: ActivationConfig | undefined): ActivationFn {
  if (config === undefined || config === null) return fn;
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new Error(`activation "${fn.className}": config must be an object, got ${describeValue(config)}`);
  }
  const keys = Object.keys(config);
  if (keys.length === 0) return fn;
  const spec = configurators[fn.className];
  const allowed = spec?.keys ?? [];
  const bad = keys.filter((k) => !allowed.includes(k));
  if (bad.length > 0) {
    throw new Error(
      `activation "${fn.className}": unknown config key ${bad.map((k) => `"${k}"`).join(', ')}; ` +
        (allowed.length ? `expected ${allowed.join(', ')}` : 'it takes no config'),
    );
  }
  return spec.bind(config);
}

/**
 * The activation for a Keras name (`'leaky_relu'`), a camelCase name (`'leakyRelu'`), a function,
 * or `{ className, config }`; `undefined`/`null` give `linear`.
 */
export function get(identifier: ActivationIdentifier): ActivationFn {
  if (identifier === undefined || identifier === null) return linear;
  if (typeof identifier === 'string') {
    const fn = lookup(identifier);
    if (!fn) throw unknown(identifier);
    return fn;
  }
  if (typeof identifier === 'function') {
    const named = identifier as Partial<ActivationFn>;
    if (typeof named.className === 'string') return identifier as ActivationFn;
    // A plain user function: give it a name without changing the caller's object.
    const f = identifier;
    return defineActivation(f.name || 'custom', (x: Tensor) => f(x));
  }
  if (typeof identifier === 'object' && typeof identifier.className === 'string') {
    const fn = lookup(identifier.className);
    if (!fn) throw unknown(identifier.className);
    return withConfig(fn, identifier.config);
  }
  throw new Error(
    `activation: expected a name, a function or { className, config }, got ${describeValue(identifier)}`,
  );
}

/** The Keras name an activation is saved under (`serialize(leakyRelu) === 'leaky_relu'`). */
export function serialize(fn: ActivationFn): string {
  if (typeof fn !== 'function' || typeof fn.className !== 'string') {
    throw new Error(`serialize: expected an activation function with a className, got ${describeValue(fn)}`);
  }
  return fn.className;
}

/**
 * Make a contributed activation findable by `get(name)` (and by models loaded from files), in
 * one call: `registerActivation('cube', (x) => pow(x, 3))`. Registered under Keras 3's
 * `package>name` key (package `'Custom'` unless given); a name already taken is an error unless
 * `{ override: true }`. Returns the activation, named `name`.
 */
export function registerActivation(name: string, fn: (x: Tensor) => Tensor, options: RegisterOptions = {}): ActivationFn {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`registerActivation: name must be a non-empty string, got ${describeValue(name)}`);
  }
  if (typeof fn !== 'function') {
    throw new Error(`registerActivation("${name}"): expected a function (x) => Tensor, got ${describeValue(fn)}`);
  }
  const named = fn as Partial<ActivationFn>;
  const activation =
    typeof named.className === 'string' ? (fn as ActivationFn) : defineActivation(name, (x: Tensor) => fn(x));
  registry.register(name, activation, options);
  return activation;
}
