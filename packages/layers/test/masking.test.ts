// Keras's mask semantics on the layer side: which layers make, pass on or drop a mask, eagerly and
// on symbolic tensors, masks given with `apply(x, { mask })`, and their checks. Expected values
// are written out by hand (the masks are small boolean tables).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as T from '@neurona/tensor';
import {
  ActivationLayer,
  Add,
  Concatenate,
  Dense,
  DenseLayer,
  Dropout,
  Embedding,
  Flatten,
  Input,
  Masking,
  MaskingLayer,
  Softmax,
  resetNames,
  runLayerTest,
} from '../src/index';

beforeEach(() => resetNames());
afterEach(() => vi.restoreAllMocks());

const bools = (t: T.Tensor | null): boolean[] => (t ? Array.from(t.dataSync(), (v) => v !== 0) : []);

describe('making masks', () => {
  it('Masking: a step whose features all equal maskValue is masked and zeroed', () => {
    const x = T.tensor3d([
      [[1, 2], [0, 0], [0, 3]],
      [[0, 0], [4, 0], [0, 0]],
    ]);
    const before = T.memory().numTensors;
    const y = Masking().apply(x);
    expect(bools(T.maskOf(y))).toEqual([true, false, true, false, true, false]);
    expect(T.maskOf(y)?.shape).toEqual([2, 3]);
    expect(Array.from(y.dataSync())).toEqual([1, 2, 0, 0, 0, 3, 0, 0, 4, 0, 0, 0]);
    y.dispose();
    // the mask is released with its tensor
    expect(T.memory().numTensors).toBe(before);
    const z = Masking({ maskValue: -1 }).apply(T.tensor3d([[[-1, -1], [0, 0]]]));
    expect(bools(T.maskOf(z))).toEqual([false, true]);
    T.dispose([x, z]);
  });

  it('Embedding with maskZero masks id 0; without it no mask', () => {
    const ids = T.tensor2d([[3, 0, 1], [0, 0, 2]], [2, 3], 'int32');
    const e = Embedding(4, 2, { maskZero: true });
    const y = e.apply(ids);
    expect(y.shape).toEqual([2, 3, 2]);
    expect(bools(T.maskOf(y))).toEqual([true, false, true, false, false, true]);
    const plain = Embedding(4, 2).apply(ids);
    expect(T.maskOf(plain)).toBeNull();
    T.dispose([ids, y, plain]);
  });

  it('symbolic outputs know whether they carry a mask', () => {
    const ids = Input({ shape: [5] });
    const e = Embedding(10, 3, { maskZero: true }).apply(ids);
    expect(e.hasMask).toBe(true);
    expect(String(e)).toContain('(masked)');
    const d = Dense(4).apply(e);
    expect(d.hasMask).toBe(true);
    const a = new ActivationLayer('relu').apply(d);
    expect(a.hasMask).toBe(true);
    expect(Dropout(0.5).apply(a).hasMask).toBe(true);
    expect(Embedding(10, 3).apply(ids).hasMask).toBe(false);
    const seq = Input({ shape: [4, 2] });
    expect(seq.hasMask).toBe(false);
    expect(Masking().apply(seq).hasMask).toBe(true);
  });

  it('a layer that does not support masking drops the mask, with one warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const e = Embedding(10, 3, { maskZero: true }).apply(Input({ shape: [5] }));
    const flat = Flatten();
    const f = flat.apply(e);
    expect(f.hasMask).toBe(false);
    flat.apply(Embedding(10, 3, { maskZero: true }).apply(Input({ shape: [5] })));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/Flatten "flatten" was given an input that carries a mask, but it does not support masking/);
  });
});

describe('passing masks on, eagerly', () => {
  const x = () => T.tensor3d([[[1, 2], [3, 4], [5, 6]]]);
  const m = () => T.tensor2d([[1, 0, 1]], [1, 3], 'bool');

  it('apply(x, { mask }) gives the mask; Dense, Dropout, Activation pass it on as their own handle', () => {
    const [xt, mt] = [x(), m()];
    const d = Dense(2).apply(xt, { mask: mt });
    expect(bools(T.maskOf(d))).toEqual([true, false, true]);
    expect(T.maskOf(d)).not.toBe(mt);
    // the output's mask flows into the next layer without being given again
    const a = new ActivationLayer('tanh').apply(d);
    expect(bools(T.maskOf(a))).toEqual([true, false, true]);
    const dr = Dropout(0.5).apply(a, { training: true });
    expect(bools(T.maskOf(dr))).toEqual([true, false, true]);
    // releasing an output does not take the mask of another along
    d.dispose();
    expect(bools(T.maskOf(a))).toEqual([true, false, true]);
    expect(mt.isDisposed).toBe(false);
    T.dispose([xt, mt, a, dr]);
  });

  it('numeric masks are read as bool (non-zero is true)', () => {
    const xt = x();
    const y = Dense(2).apply(xt, { mask: T.tensor2d([[2, 0, -1]]) });
    expect(T.maskOf(y)?.dtype).toBe('bool');
    expect(bools(T.maskOf(y))).toEqual([true, false, true]);
    T.dispose([xt, y]);
  });

  it('Concatenate joins masks (unmasked inputs count as all true); Add keeps the union when all inputs are masked', () => {
    const a = T.tensor3d([[[1], [2]]]);
    const b = T.tensor3d([[[3], [4]]]);
    const ma = T.tensor2d([[1, 0]], [1, 2], 'bool');
    const mb = T.tensor2d([[0, 0]], [1, 2], 'bool');
    const c = Concatenate().apply([a, b], { mask: [ma, null] });
    expect(bools(T.maskOf(c))).toEqual([true, true]);
    const c1 = Concatenate({ axis: 1 }).apply([a, b], { mask: [ma, mb] });
    expect(bools(T.maskOf(c1))).toEqual([true, false, false, false]);
    const s = Add().apply([a, b], { mask: [ma, mb] });
    expect(bools(T.maskOf(s))).toEqual([true, false]);
    const s1 = Add().apply([a, b], { mask: [ma, null] });
    expect(T.maskOf(s1)).toBeNull();
    const sym = Add().apply([Masking().apply(Input({ shape: [2, 1] })), Input({ shape: [2, 1] })]);
    expect(sym.hasMask).toBe(false);
    T.dispose([a, b, ma, mb, c, c1, s, s1]);
  });

  it('Softmax applies a full-rank (attention) mask as Keras, and passes a sequence mask on', () => {
    const z = T.tensor2d([[1, 2, 3]]);
    const y = Softmax().apply(z, { mask: T.tensor2d([[1, 0, 1]], [1, 3], 'bool') });
    const e1 = Math.exp(1);
    const e3 = Math.exp(3);
    const got = Array.from(y.dataSync());
    [e1 / (e1 + e3), 0, e3 / (e1 + e3)].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
    const seq = T.tensor3d([[[1, 2], [3, 4]]]);
    const ys = Softmax().apply(seq, { mask: T.tensor2d([[1, 0]], [1, 2], 'bool') });
    expect(bools(T.maskOf(ys))).toEqual([true, false]);
    expect(ys.dataSync()[2]).toBeCloseTo(1 / (1 + Math.E), 6);
    T.dispose([z, y, seq, ys]);
  });
});

describe('mask errors', () => {
  it('a mask of the wrong shape names the layer, the mask and the input', () => {
    const x = T.zeros([32, 10, 8]);
    const bad = T.ones([32, 9], 'bool');
    expect(() => Dense(2, { name: 'd' }).apply(x, { mask: bad })).toThrow(
      'Dense "d" got a mask of shape [32, 9] for input [32, 10, 8]; a mask is a bool tensor over the input\'s leading axes, e.g. [32, 10]',
    );
    expect(() => Add({ name: 'add' }).apply([x, x], { mask: bad })).toThrow(/takes 2 inputs, so its mask must be a list of 2 masks/);
    expect(() => Add({ name: 'add' }).apply([x, x], { mask: [null, null, bad] })).toThrow(/takes 2 input\(s\) but was given 3 masks/);
    // fewer masks than inputs: the missing ones are none (as Keras's Attention's [query_mask, value_mask]), each still checked
    expect(() => Add({ name: 'add' }).apply([x, x], { mask: [bad] })).toThrow(/got a mask of shape \[32, 9\] for input 0/);
    T.dispose([x, bad]);
  });

  it('a mask for symbolic inputs is refused', () => {
    const m = T.ones([1, 2], 'bool');
    expect(() => Dense(2).apply(Input({ shape: [2, 3] }), { mask: m })).toThrow(/a mask cannot be given for symbolic inputs/);
    m.dispose();
  });

  it('string input into a numeric layer is a clear error, eagerly and symbolically', () => {
    const s = T.tensor(['a', 'b']);
    expect(() => Dense(2, { name: 'dense' }).apply(s)).toThrow(
      'Dense "dense" expects numeric input, got a string tensor; turn text into numbers first (TextVectorization, StringLookup)',
    );
    expect(() => Embedding(3, 2, { name: 'emb' }).apply(s)).toThrow(/Embedding "emb" expects numeric input, got a string tensor/);
    expect(() => Dense(2, { name: 'd2' }).apply(Input({ shape: [2], dtype: 'string' }))).toThrow(/Dense "d2" expects numeric input, got a string tensor/);
    s.dispose();
  });
});

describe('runLayerTest checks masks', () => {
  it('Masking', async () => {
    const x = T.tensor3d([
      [[1, 2], [0, 0], [0.5, 0]],
      [[0, 0], [-1, 1], [2, 2]],
    ]);
    const r = await runLayerTest({
      layer: MaskingLayer,
      config: { maskValue: 0 },
      inputShape: [2, 3, 2],
      inputData: x,
      expectedOutput: [1, 2, 0, 0, 0.5, 0, 0, 0, -1, 1, 2, 2],
      expectedTrainableWeights: 0,
      supportsMasking: true,
      // a masked step sits on the kink (moving a feature off maskValue unmasks it)
      gradients: false,
    });
    expect(r.checks).toContain('masking');
    x.dispose();
    // away from the mask value the output is the input: gradient 1 (random data has no masked step)
    await runLayerTest({ layer: MaskingLayer, config: { maskValue: 0 }, inputShape: [2, 3, 2], supportsMasking: true });
  });

  it('Dense passes a mask on (rank 3)', async () => {
    const r = await runLayerTest({ layer: DenseLayer, config: { units: 3 }, inputShape: [2, 4, 5], supportsMasking: true });
    expect(r.checks).toContain('masking');
  });

  it('a layer whose masks disagree with computeMaskPresence fails the check', async () => {
    class Liar extends DenseLayer {
      static override readonly className = 'Dense';
      override computeMaskPresence(_m: boolean[], n: number): boolean[] {
        return Array.from({ length: n }, () => false);
      }
      static override fromConfig(config: Record<string, unknown>): Liar {
        return new Liar(config.units as number, {});
      }
    }
    await expect(runLayerTest({ layer: Liar, config: { units: 3 }, inputShape: [2, 4, 5] })).rejects.toThrow(
      /a masked call's output 0 carries mask, but computeMaskPresence says false/,
    );
  });
});
