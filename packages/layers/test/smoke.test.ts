import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { Dense, Flatten, Input, Layer, isSymbolic, resetNames } from '../src/index';
import type { SymbolicTensor } from '../src/index';

describe('smoke', () => {
  it('works', () => {
    resetNames();
    const inputs = Input({ shape: [28, 28] });
    let h: SymbolicTensor = Flatten()(inputs);
    h = Dense(10, { activation: 'softmax' })(h);
    expect(h.shape).toEqual([null, 10]);
    expect(isSymbolic(h)).toBe(true);
    const d = Dense(3);
    expect(d instanceof Layer).toBe(true);
    expect(typeof d).toBe('function');
    const y = d(T.ones([2, 4]));
    expect(y.shape).toEqual([2, 3]);
    expect(d.name).toBe('dense_1');
    expect(d.weights.map((w) => w.name)).toEqual(['dense_1/kernel', 'dense_1/bias']);
  });
});
