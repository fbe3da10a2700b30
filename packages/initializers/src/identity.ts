import * as T from '@neurona/tensor';
import type { Initializer } from './types';
import { defineInitializer, checkKeys, finiteNumber } from './define';

export interface IdentityOptions {
  /** Multiplies the identity (default 1, must be > 0). */
  gain?: number;
}

/** `gain` times the identity matrix; 2-D shapes only, rectangular allowed (ones on the main diagonal). */
export function Identity(options: IdentityOptions = {}): Initializer {
  checkKeys('Identity', options, ['gain']);
  const gain = finiteNumber('Identity: gain', options.gain, 1, 'positive');
  return defineInitializer('Identity', () => ({ gain }), (shape) => {
    if (shape.length !== 2) {
      throw new Error(`Identity: the shape must be 2-D, got [${shape.join(', ')}]`);
    }
    return T.tidy(() => T.mul(T.eye(shape[0], shape[1]), gain));
  });
}
