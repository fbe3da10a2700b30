import { beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import {
  Dense,
  DenseLayer,
  Dropout,
  Flatten,
  Input,
  Layer,
  LeakyReLU,
  PReLU,
  resetNames,
  SymbolicTensor,
  toSnakeCase,
} from '../src/index';
import type { CallKwargs } from '../src/index';
import { gradCheck } from './helpers';

describe('Layer base', () => {
  beforeEach(() => resetNames());

  it('a layer is a function and a Layer instance; calling it is apply', () => {
    const d = Dense(2, { kernelInitializer: 'ones' });
    expect(typeof d).toBe('function');
    expect(d).toBeInstanceOf(Layer);
    expect(d).toBeInstanceOf(DenseLayer);
    const x = T.tensor2d([[1, 2, 3]]);
    expect(d(x).arraySync()).toEqual([[6, 6]]);
    expect(d.apply(x).arraySync()).toEqual([[6, 6]]);
    expectTypeOf(d(x)).toEqualTypeOf<Tensor>();
    const inp = Input({ shape: [3] });
    expectTypeOf(d(inp)).toEqualTypeOf<SymbolicTensor>();
    expectTypeOf(d.units).toEqualTypeOf<number>();
  });

  it('unique snake_case default names per class, restartable with resetNames', () => {
    expect([Dense(1).name, Dense(1).name, Dense(1).name]).toEqual(['dense', 'dense_1', 'dense_2']);
    expect([Flatten().name, LeakyReLU().name, PReLU().name]).toEqual(['flatten', 'leaky_re_lu', 'p_re_lu']);
    expect(Dense(1, { name: 'out' }).name).toBe('out');
    resetNames();
    expect(Dense(1).name).toBe('dense');
    expect(toSnakeCase('InputLayer')).toBe('input_layer');
    expect(toSnakeCase('ELU')).toBe('elu');
  });

  it('weights are Variables named <layer>/<weight>; a taken name gets a suffix', () => {
    const a = Dense(3, { name: 'same' });
    a.apply(T.zeros([1, 2]));
    const b = Dense(3, { name: 'same' });
    b.apply(T.zeros([1, 2]));
    expect(a.weights.map((w) => w.name)).toEqual(['same/kernel', 'same/bias']);
    expect(b.weights.map((w) => w.name)).toEqual(['same/kernel_1', 'same/bias_1']);
    expect(a.kernel?.shape).toEqual([2, 3]);
    a.dispose();
    b.dispose();
  });

  it('countParams, trainable flag moves weights to nonTrainableWeights', () => {
    const d = Dense(10);
    expect(() => d.countParams()).toThrow(/Dense "dense" is not built yet/);
    d.apply(Input({ shape: [784] }));
    expect(d.countParams()).toBe(7850);
    expect(d.trainableWeights.length).toBe(2);
    d.trainable = false;
    expect(d.trainableWeights).toEqual([]);
    expect(d.nonTrainableWeights.length).toBe(2);
    expect(d.weights.every((w) => !w.trainable)).toBe(true);
    d.trainable = true;
    expect(d.trainableWeights.length).toBe(2);
    expect(d.kernel?.trainable).toBe(true);
    const frozen = Dense(2, { trainable: false });
    frozen.apply(T.zeros([1, 3]));
    expect(frozen.trainableWeights).toEqual([]);
    expect(frozen.countParams()).toBe(8);
  });

  it('Dense input mismatch names the layer and both shapes', () => {
    Dense(5);
    const d = Dense(10, { inputShape: [784] });
    d.apply(T.zeros([2, 784])).dispose();
    expect(() => d.apply(T.zeros([32, 28, 28]))).toThrow('Dense "dense_1" expects input [null, 784], got [32, 28, 28]');
    expect(() => d.apply(Input({ shape: [28, 28] }))).toThrow(
      'Dense "dense_1" expects input [null, 784], got [null, 28, 28]',
    );
    expect(() => d.apply(T.zeros([784]))).toThrow('Dense "dense_1" expects input [null, 784], got [784]');
  });

  it('bad arguments are clear errors', () => {
    expect(() => Dense(0)).toThrow('Dense "dense": units must be a positive integer, got 0');
    expect(() => Dense(3, { activaton: 'relu' } as never)).toThrow(/Dense: unknown option "activaton"/);
    expect(() => Dense(3, { activation: 'relux' })).toThrow(/Unknown activation "relux"/);
    expect(() => Dense(3, { kernelInitializer: 'glorot' })).toThrow(/glorot/);
    expect(() => Dense(3, { inputShape: [0] })).toThrow(/inputShape must be an array of positive integers/);
    expect(() => Dense(3).apply([1, 2] as never)).toThrow(/expects a Tensor or a SymbolicTensor/);
    expect(() => Dense(3).apply([T.zeros([1, 2]), T.zeros([1, 2])])).toThrow(/expects 1 input, got a list of 2/);
    expect(() => Dense(3).apply([Input({ shape: [2] }), T.zeros([1, 2])] as never)).toThrow(/both symbolic/);
    expect(() => Dropout(1)).toThrow('Dropout "dropout": rate must be a number in [0, 1), got 1');
  });

  it('inputShape / batchInputShape are remembered for Sequential', () => {
    expect(Dense(10, { inputShape: [784] }).batchInputShape).toEqual([null, 784]);
    expect(Flatten({ inputShape: [28, 28], batchSize: 8 }).batchInputShape).toEqual([8, 28, 28]);
    expect(Dense(1, { batchInputShape: [null, 3] }).batchInputShape).toEqual([null, 3]);
    expect(Dense(1).batchInputShape).toBeNull();
    expect(Dense(10, { inputShape: [784] }).getConfig().batchInputShape).toEqual([null, 784]);
  });

  it('getWeights/setWeights copy values in and out, checking shapes', () => {
    const d = Dense(2, { name: 'sw' });
    d.apply(T.zeros([1, 3])).dispose();
    d.setWeights([T.ones([3, 2]), T.tensor1d([1, 2])]);
    const [k, b] = d.getWeights();
    expect(k.arraySync()).toEqual([[1, 1], [1, 1], [1, 1]]);
    expect(b.arraySync()).toEqual([1, 2]);
    expect(() => d.setWeights([T.ones([2, 2]), T.ones([2])])).toThrow(
      'setWeights: Dense "sw": weight 0 ("sw/kernel") has shape [3, 2], got [2, 2]',
    );
    expect(() => d.setWeights([T.ones([3, 2])])).toThrow('setWeights: Dense "sw" has 2 weights, got 1 values');
  });

  it('setWeights checks every value before changing any weight (issue 16)', () => {
    const d = Dense(2, { name: 'sw2' });
    d.apply(T.zeros([1, 3])).dispose();
    const values = () => {
      const ws = d.getWeights();
      const v = ws.map((w) => w.arraySync());
      T.dispose(ws);
      return v;
    };
    const before = values();
    const dead = T.ones([3, 2]);
    dead.dispose();
    const live = T.tensor1d([5, 6]);
    const count = T.memory().numTensors;
    // a disposed tensor: refused by name, nothing assigned, the layer still works
    expect(() => d.setWeights([dead, live])).toThrow('setWeights: Dense "sw2": the value for weight 0 ("sw2/kernel") is a disposed tensor');
    // NaN: refused naming the weight and the place, unless allowed
    const nanBias = T.tensor1d([1, NaN]);
    expect(() => d.setWeights([T.ones([3, 2]), nanBias])).toThrow('setWeights: Dense "sw2": weight 1 ("sw2/bias") holds NaN at flat index 1');
    expect(values()).toEqual(before);
    expect(T.memory().numTensors).toBe(count + 2); // nanBias and the T.ones made for the call; nothing else
    const y = d.apply(T.ones([1, 3])) as T.Tensor;
    expect(Number.isFinite(y.dataSync()[0])).toBe(true);
    // arrays of numbers and typed arrays work, as Keras's set_weights takes numpy arrays
    d.setWeights([[[1, 2], [3, 4], [5, 6]], new Float32Array([0.5, -0.5])]);
    expect(values()).toEqual([[[1, 2], [3, 4], [5, 6]], [0.5, -0.5]]);
    d.setWeights([T.ones([3, 2]), nanBias], { allowNonFinite: true });
    expect(Number.isNaN((values()[1] as number[])[1])).toBe(true);
    expect(() => d.setWeights([[[1, 2], [3]], [0, 0]])).toThrow(/setWeights: Dense "sw2": the value for weight 0 \("sw2\/kernel"\) is not a valid array of numbers: tensor: nested arrays must be rectangular/);
  });

  it('a weight too big for one tensor says how many values and bytes it needs (issue 16)', () => {
    const d = Dense(100000, { inputShape: [100000] });
    expect(() => d.apply(T.zeros([1, 100000]))).toThrow(
      /weight "kernel" of shape \[100000, 100000\] needs 10,000,000,000 values \(37\.3 GiB of float32\), more than one tensor can hold/,
    );
  });

  it('inputDim is Keras 2\'s input_dim (issue 16)', () => {
    expect(Dense(3, { inputDim: 4 }).batchInputShape).toEqual([null, 4]);
    expect(() => Dense(3, { inputDim: 4, inputShape: [5] })).toThrow('inputDim 4 disagrees with inputShape [5]; give one of them');
    expect(() => Dense(3, { inputDim: 0 })).toThrow('inputDim must be a positive integer');
  });

  it('converts int inputs to float32', () => {
    const d = Dense(1, { kernelInitializer: 'ones' });
    expect(d.apply(T.tensor2d([[1, 2]], [1, 2], 'int32')).arraySync()).toEqual([[3]]);
  });

  it('dispose releases the weights; a disposed layer cannot be called', () => {
    const before = T.memory().numTensors;
    const d = Dense(4);
    d.apply(T.zeros([1, 3])).dispose();
    d.dispose();
    expect(T.memory().numTensors).toBe(before + 1); // the zeros input above
    expect(() => d.apply(T.zeros([1, 3]))).toThrow('Dense "dense" was disposed and cannot be called');
  });

  it('a user subclass is callable and works in graphs and eagerly', () => {
    class Scale extends Layer {
      static override readonly className = 'Scale';
      factor: T.Variable | null = null;
      override build(inputShape: Shape | Shape[]): void {
        const s = inputShape as Shape;
        this.factor = this.addWeight('factor', [s[s.length - 1] as number], 'ones');
        this.built = true;
      }
      call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
        void kwargs;
        return T.mul(inputs as Tensor, this.factor as T.Variable);
      }
    }
    const s = new Scale();
    expect(s.name).toBe('scale');
    const out = s(Input({ shape: [3] }));
    expect(out.shape).toEqual([null, 3]);
    expect(s(T.tensor2d([[1, 2, 3]])).arraySync()).toEqual([[1, 2, 3]]);
    gradCheck(s, T.tensor2d([[1, -2, 3]]));
  });

  it('gradCheck itself catches a wrong gradient', () => {
    const wrong = T.customGrad(((x: Tensor, save: (ts: Tensor[]) => void) => {
      save([x]);
      return { value: T.square(x), gradFunc: (dy: Tensor, [s]: Tensor[]) => [T.mul(dy, s)] }; // should be 2x
    }) as never);
    class Bad extends Layer {
      static override readonly className = 'Bad';
      call(inputs: Tensor | Tensor[]): Tensor {
        return (wrong as unknown as (x: Tensor) => Tensor)(inputs as Tensor);
      }
    }
    expect(() => gradCheck(new Bad(), T.tensor2d([[1, 2]]))).toThrow(/analytic .* vs finite difference/);
  });
});
