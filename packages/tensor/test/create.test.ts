// Creation from nested arrays: rectangular or a clear error naming the first bad row, on every
// backend the same (tfjs alone pads from the next row on cpu and throws a RangeError on wasm).
import { describe, expect, it } from 'vitest';
import * as T from '../src/index';

describe('tensor creation checks nested arrays', () => {
  it('refuses ragged rows with the path of the first bad one, in every creation function', () => {
    expect(() => T.tensor2d([[1, 2, 3, 4], [1, 2]])).toThrow(
      'tensor2d: nested arrays must be rectangular: values[1] is an array of 2, but values[0] has 4 elements (shape [2, 4] from the first row at each depth)',
    );
    expect(() => T.tensor([[[1], [2]], [[1], [2, 3]]])).toThrow('tensor: nested arrays must be rectangular: values[1][1] is an array of 2, but values[0][0] has 1 element');
    expect(() => T.tensor3d([[[1, 2]], [[3, 4]], [[5]]])).toThrow(/^tensor3d: .*values\[2\]\[0\] is an array of 1/);
    expect(() => T.tensor4d([[[[1]]], [[[1], [2]]]])).toThrow(/^tensor4d: .*values\[1\]\[0\] is an array of 2, but values\[0\]\[0\] has 1 element/);
    expect(() => T.tensor2d([[1, 2], 5] as never)).toThrow('values[1] is the number 5, but values[0] has 2 elements');
    expect(() => T.tensor2d([[1, 2], [3]], [2, 2])).toThrow(/values\[1\] is an array of 1/);
  });

  it('refuses leaves that are not numbers, naming them', () => {
    expect(() => T.tensor1d([1, null] as never)).toThrow('tensor1d: values[1] is null; expected a number (a 1-d array of shape [2])');
    expect(() => T.tensor2d([[1, 'a']] as never)).toThrow('tensor2d: values[0][1] is the string "a"; expected a number');
    expect(() => T.tensor2d([[1, {}]] as never)).toThrow('values[0][1] is an object');
    expect(() => T.scalar([1] as never)).toThrow('scalar: expected one number, got an array of 1; use tensor1d or tensor for arrays');
  });

  it('accepts typed arrays as rows, and what it accepted before', () => {
    const t = T.tensor2d([new Float64Array([1, 2]), new Float64Array([3, 4])]);
    expect(t.shape).toEqual([2, 2]);
    expect(t.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(T.tensor([[new Int32Array([1, 2])], [new Int32Array([3, 4])]]).shape).toEqual([2, 1, 2]);
    expect(() => T.tensor2d([new Float32Array([1, 2]), new Float32Array([3])])).toThrow('values[1] is a Float32Array of 1, but values[0] has 2 elements');
    expect(T.tensor(['a', 'b']).dtype).toBe('string');
    expect(T.tensor2d(new Float32Array([1, 2, 3, 4]), [2, 2]).shape).toEqual([2, 2]);
    expect(T.tensor([[true, false]], undefined, 'bool').dtype).toBe('bool');
    expect(T.tensor1d([]).shape).toEqual([0]);
    expect(T.tensor2d([[]]).shape).toEqual([1, 0]);
    T.dispose([t]);
  });
});
