import { describe, expect, it } from 'vitest';
import * as T from '../src/index';

describe('variable names', () => {
  it('takes the name when free, else name_1, name_2, ... (tfjs would throw), and frees it on dispose', () => {
    const a = T.variable(T.zeros([2]), true, 'dense/kernel');
    const b = T.variable(T.zeros([2]), true, 'dense/kernel');
    const c = T.variable(T.zeros([2]), false, 'dense/kernel');
    expect([a.name, b.name, c.name]).toEqual(['dense/kernel', 'dense/kernel_1', 'dense/kernel_2']);
    expect(c.trainable).toBe(false);
    b.dispose();
    const d = T.variable(T.ones([1]), true, 'dense/kernel');
    expect(d.name).toBe('dense/kernel_1');
    // a name that looks like a suffixed one is just a name
    const e = T.variable(T.zeros([1]), true, 'dense/kernel_2');
    expect(e.name).toBe('dense/kernel_2_1');
    T.dispose([a, c, d, e]);
    expect(T.variable(T.zeros([1]), true, 'dense/kernel').name).toBe('dense/kernel');
  });

  it('makes a unique name when none is given, keeps dtype and value, and rejects a non-string name', () => {
    const a = T.variable(T.tensor1d([1, 2]));
    const b = T.variable(T.tensor1d([1, 2]), true, '');
    expect(a.name).not.toBe(b.name);
    expect(T.variable(T.tensor1d([1.5]), true, 'cast_me', 'int32').dtype).toBe('int32');
    expect(Array.from(a.dataSync())).toEqual([1, 2]);
    expect(() => T.variable(T.zeros([1]), true, 42 as never)).toThrow('variable: name must be a string, got number');
  });
});

describe('isTensor / isVariable', () => {
  it('recognize tensors and variables of the shared tfjs-core, nothing else', () => {
    const t = T.tensor1d([1]);
    const v = T.variable(T.zeros([1]));
    expect(T.isTensor(t)).toBe(true);
    expect(T.isTensor(v)).toBe(true);
    expect(T.isVariable(v)).toBe(true);
    expect(T.isVariable(t)).toBe(false);
    for (const x of [null, undefined, 1, [1, 2], new Float32Array(2), { shape: [1], dtype: 'float32', dataId: {} }]) {
      expect(T.isTensor(x)).toBe(false);
      expect(T.isVariable(x)).toBe(false);
    }
  });
});
