import * as T from '@neurona/tensor';
import type { DataType } from '@neurona/tensor';
import type { Initializer } from './types';
import { defineInitializer, checkKeys, finiteNumber } from './define';

const ANY_NUMERIC: readonly DataType[] = ['float32', 'int32', 'bool'];

/** All zeros (Keras `'zeros'`), the default bias initializer. */
export function Zeros(options?: Record<string, never>): Initializer {
  checkKeys('Zeros', options, []);
  return defineInitializer('Zeros', () => ({}), (shape, dtype) => T.zeros(shape, dtype), ANY_NUMERIC);
}

/** All ones (Keras `'ones'`). */
export function Ones(options?: Record<string, never>): Initializer {
  checkKeys('Ones', options, []);
  return defineInitializer('Ones', () => ({}), (shape, dtype) => T.ones(shape, dtype), ANY_NUMERIC);
}

export interface ConstantOptions {
  /** The fill value (default 0). */
  value?: number;
}

/** Every element equal to `value`: `Constant({ value: 0.1 })` or `Constant(0.1)`. */
export function Constant(options: ConstantOptions | number = {}): Initializer {
  const opts = typeof options === 'number' ? { value: options } : options;
  checkKeys('Constant', opts, ['value']);
  const value = finiteNumber('Constant: value', opts.value, 0);
  return defineInitializer('Constant', () => ({ value }), (shape, dtype) => T.fill(shape, value, dtype), ANY_NUMERIC);
}
