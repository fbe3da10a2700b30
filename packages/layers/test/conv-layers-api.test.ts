// The convolution and pooling layers' API: Keras's default names, factory forms, defaults,
// weight layouts and order, symbolic shapes, constraints, and bad input named as the issue asks.
import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import {
  AveragePooling2D,
  Conv1D,
  Conv1DTranspose,
  Conv2D,
  Conv2DTranspose,
  Conv3D,
  Conv3DTranspose,
  DepthwiseConv1D,
  DepthwiseConv2D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling3D,
  Input,
  MaxNorm,
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  SeparableConv1D,
  SeparableConv2D,
  deserializeLayer,
  resetNames,
  serializeLayer,
} from '../src/index';

beforeEach(() => resetNames());

const shapes = (l: { weights: T.Variable[] }) => l.weights.map((w) => [w.name, w.shape]);

describe('names, defaults and weight layouts (Keras 3)', () => {
  it('default names are Keras snake case', () => {
    const names = [
      Conv1D(2, 3), Conv2D(2, 3), Conv3D(2, 3), Conv1DTranspose(2, 3), Conv2DTranspose(2, 3), Conv3DTranspose(2, 3),
      DepthwiseConv1D(3), DepthwiseConv2D(3), SeparableConv1D(2, 3), SeparableConv2D(2, 3),
      MaxPooling1D(), MaxPooling2D(), MaxPooling3D(), AveragePooling2D(), GlobalAveragePooling2D(), GlobalMaxPooling3D(), Conv2D(4, 3),
    ].map((l) => l.name);
    expect(names).toEqual([
      'conv1d', 'conv2d', 'conv3d', 'conv1d_transpose', 'conv2d_transpose', 'conv3d_transpose',
      'depthwise_conv1d', 'depthwise_conv2d', 'separable_conv1d', 'separable_conv2d',
      'max_pooling1d', 'max_pooling2d', 'max_pooling3d', 'average_pooling2d', 'global_average_pooling2d', 'global_max_pooling3d', 'conv2d_1',
    ]);
  });

  it("Keras's defaults in getConfig, and both factory forms give the same layer", () => {
    const a = Conv2D(32, 3);
    const b = Conv2D({ filters: 32, kernelSize: [3, 3] });
    const ca = a.getConfig();
    expect(ca).toMatchObject({
      filters: 32, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', dataFormat: 'channels_last', dilationRate: [1, 1], groups: 1,
      activation: 'linear', useBias: true, kernelInitializer: { className: 'GlorotUniform' }, biasInitializer: { className: 'Zeros' },
      kernelRegularizer: null, biasRegularizer: null, kernelConstraint: null, biasConstraint: null,
    });
    expect({ ...b.getConfig(), name: 'x' }).toEqual({ ...ca, name: 'x' });
    expect(MaxPooling2D().getConfig()).toMatchObject({ poolSize: [2, 2], strides: [2, 2], padding: 'valid', dataFormat: 'channels_last' });
    expect(MaxPooling1D(3).getConfig()).toMatchObject({ poolSize: [3], strides: [3] });
    expect(MaxPooling2D({ poolSize: 3, strides: 1 }).getConfig()).toMatchObject({ poolSize: [3, 3], strides: [1, 1] });
    expect(Conv2DTranspose(4, 3).getConfig()).toMatchObject({ outputPadding: null });
    expect(DepthwiseConv2D(3).getConfig()).toMatchObject({ depthMultiplier: 1, depthwiseInitializer: { className: 'GlorotUniform' } });
    expect(GlobalAveragePooling1D().getConfig()).toMatchObject({ keepdims: false, dataFormat: 'channels_last' });
  });

  it('weights in Keras layouts and get_weights order', () => {
    const x4 = Input({ shape: [8, 8, 3] });
    const c = Conv2D(6, [3, 2], { groups: 3 });
    c.apply(x4);
    expect(shapes(c)).toEqual([['conv2d/kernel', [3, 2, 1, 6]], ['conv2d/bias', [6]]]);
    const t = Conv2DTranspose(5, 3);
    t.apply(x4);
    expect(shapes(t)).toEqual([['conv2d_transpose/kernel', [3, 3, 5, 3]], ['conv2d_transpose/bias', [5]]]);
    const d = DepthwiseConv2D(3, { depthMultiplier: 2 });
    d.apply(x4);
    expect(shapes(d)).toEqual([['depthwise_conv2d/kernel', [3, 3, 3, 2]], ['depthwise_conv2d/bias', [6]]]);
    const s = SeparableConv2D(4, 3, { depthMultiplier: 2 });
    s.apply(x4);
    expect(shapes(s)).toEqual([['separable_conv2d/depthwise_kernel', [3, 3, 3, 2]], ['separable_conv2d/pointwise_kernel', [1, 1, 6, 4]], ['separable_conv2d/bias', [4]]]);
    const c1 = Conv1D(4, 5, { useBias: false });
    c1.apply(Input({ shape: [10, 2] }));
    expect(shapes(c1)).toEqual([['conv1d/kernel', [5, 2, 4]]]);
    for (const l of [c, t, d, s, c1]) l.dispose();
  });

  it('symbolic output shapes, unknown sizes included', () => {
    expect(Conv2D(8, 3).apply(Input({ shape: [28, 28, 1] })).shape).toEqual([null, 26, 26, 8]);
    expect(Conv2D(8, 3, { padding: 'same', strides: 2 }).apply(Input({ shape: [7, 7, 1] })).shape).toEqual([null, 4, 4, 8]);
    expect(Conv2D(8, 3, { dataFormat: 'channels_first' }).apply(Input({ shape: [1, 28, 28] })).shape).toEqual([null, 8, 26, 26]);
    expect(Conv1D(4, 3, { padding: 'causal' }).apply(Input({ shape: [null, 2] })).shape).toEqual([null, null, 4]);
    expect(Conv2DTranspose(3, 3, { strides: 2, padding: 'same' }).apply(Input({ shape: [5, 4, 2] })).shape).toEqual([null, 10, 8, 3]);
    expect(MaxPooling2D().apply(Input({ shape: [26, 26, 32] })).shape).toEqual([null, 13, 13, 32]);
    expect(GlobalAveragePooling2D({ keepdims: true }).apply(Input({ shape: [5, 5, 7] })).shape).toEqual([null, 1, 1, 7]);
  });

  it('kernelConstraint is set on the kernel variable and survives the config round trip', () => {
    const c = Conv2D(2, 3, { kernelConstraint: MaxNorm({ maxValue: 1.5, axis: [0, 1, 2] }), biasConstraint: 'non_neg' });
    c.apply(Input({ shape: [5, 5, 1] }));
    const back = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(c))));
    expect(back.getConfig().kernelConstraint).toEqual({ className: 'MaxNorm', config: { maxValue: 1.5, axis: [0, 1, 2] } });
    expect(back.getConfig().biasConstraint).toEqual({ className: 'NonNeg', config: {} });
    const k = c.weights[0];
    const constraint = T.variableConstraint(k);
    expect(constraint).toBeTruthy();
    const projected = constraint!(T.mul(k, 100));
    const norms = T.sqrt(T.sum(T.square(projected), [0, 1, 2])).dataSync();
    for (const n of norms) expect(n).toBeLessThanOrEqual(1.5 + 1e-4);
    c.dispose();
    back.dispose();
  });
});

describe('bad input, named as the issue says', () => {
  it('wrong rank', () => {
    const c = Conv2D(32, 3);
    expect(() => c.apply(T.zeros([32, 784]))).toThrow('Conv2D "conv2d" expects input [null, height, width, channels], got [32, 784]');
    expect(() => Conv2D(4, 3, { dataFormat: 'channels_first' }).apply(Input({ shape: [784] }))).toThrow('Conv2D "conv2d_1" expects input [null, channels, height, width], got [null, 784]');
    expect(() => Conv1D(4, 3).apply(T.zeros([2, 5, 5, 1]))).toThrow('Conv1D "conv1d" expects input [null, steps, channels], got [2, 5, 5, 1]');
    expect(() => MaxPooling2D().apply(T.zeros([2, 10]))).toThrow('MaxPooling2D "max_pooling2d" expects input [null, height, width, channels], got [2, 10]');
    expect(() => GlobalAveragePooling1D().apply(T.zeros([2, 3, 4, 5]))).toThrow('GlobalAveragePooling1D "global_average_pooling1d" expects input [null, steps, channels], got [2, 3, 4, 5]');
  });

  it('wrong channel count after build, with the channels it was built for', () => {
    const c = Conv2D(4, 3);
    T.dispose(c.apply(T.zeros([1, 5, 5, 3])));
    expect(() => c.apply(T.zeros([1, 5, 5, 1]))).toThrow('Conv2D "conv2d" expects input [null, height, width, 3], got [1, 5, 5, 1]');
    c.dispose();
  });

  it('a kernel (or pool window) larger than a valid input', () => {
    expect(() => Conv2D(4, 5).apply(T.zeros([1, 3, 8, 1]))).toThrow(/Conv2D "conv2d": the height of the input \(3\) is smaller than the kernel \(5\) with padding 'valid'/);
    expect(() => Conv2D(4, 3, { dilationRate: 3 }).apply(Input({ shape: [6, 9, 1] }))).toThrow(/the height of the input \(6\) is smaller than the kernel \(3, dilated to 7\)/);
    expect(() => MaxPooling2D({ poolSize: 4 }).apply(T.zeros([1, 3, 3, 1]))).toThrow(/MaxPooling2D "max_pooling2d": the height of the input \(3\) is smaller than the pool window \(4\)/);
    // 'same' pads instead
    expect(Conv2D(4, 5, { padding: 'same' }).apply(Input({ shape: [3, 8, 1] })).shape).toEqual([null, 3, 8, 4]);
  });

  it('zero or negative sizes', () => {
    expect(() => Conv2D(0, 3)).toThrow('Conv2D "conv2d": filters must be a positive integer, got 0');
    expect(() => Conv2D(4, [3, 0])).toThrow(/kernelSize must be a positive integer or a list of 2 positive integers, got \[3, 0\]/);
    expect(() => Conv2D(4, 3, { strides: -1 })).toThrow(/strides must be a positive integer or a list of 2 positive integers, got -1/);
    expect(() => Conv2D(4, [3, 3, 3])).toThrow(/kernelSize must be a positive integer or a list of 2/);
    expect(() => MaxPooling2D({ poolSize: 0 })).toThrow(/poolSize must be a positive integer/);
    expect(() => DepthwiseConv2D(3, { depthMultiplier: 0 })).toThrow(/depthMultiplier must be a positive integer, got 0/);
    expect(() => Conv2DTranspose(4, 3, { strides: 2, outputPadding: 2 })).toThrow(/outputPadding must be smaller than the stride on every axis/);
  });

  it('groups that do not divide the channels or the filters', () => {
    expect(() => Conv2D(6, 3, { groups: 4 })).toThrow('Conv2D "conv2d": filters (6) must be divisible by groups (4)');
    expect(() => Conv2D(6, 3, { groups: 2 }).apply(T.zeros([1, 5, 5, 3]))).toThrow(/Conv2D "conv2d_1": the input channels \(3\) must be divisible by groups \(2\)/);
  });

  it('unknown padding, data format, options', () => {
    expect(() => Conv2D(4, 3, { padding: 'full' as never })).toThrow(`Conv2D "conv2d": padding must be one of 'valid', 'same', got "full"`);
    expect(() => Conv2D(4, 3, { padding: 'causal' })).toThrow(/padding must be one of 'valid', 'same', got "causal"/);
    expect(Conv1D(4, 3, { padding: 'CAUSAL' as never }).padding).toBe('causal');
    expect(() => MaxPooling2D({ padding: 'causal' as never })).toThrow(/padding must be one of 'valid', 'same'/);
    expect(() => Conv2D(4, 3, { dataFormat: 'NHWC' as never })).toThrow(/dataFormat must be 'channels_last' or 'channels_first', got "NHWC"/);
    expect(() => Conv2D(4, 3, { kernelSise: 3 } as never)).toThrow(/unknown option "kernelSise"/);
    expect(() => Conv2D(4, 3, { strides: 2, dilationRate: 2 })).toThrow(/strides > 1 cannot be combined with dilationRate > 1/);
  });

  it('a failed call leaves the layer usable and leaks nothing', () => {
    const c = Conv2D(2, 3);
    const small = T.zeros([1, 2, 2, 1]);
    const before = T.memory().numTensors;
    expect(() => c.apply(small)).toThrow(/smaller than the kernel/);
    expect(T.memory().numTensors).toBe(before);
    small.dispose();
    const x = T.ones([1, 4, 4, 1]);
    const y = c.apply(x);
    expect(y.shape).toEqual([1, 2, 2, 2]);
    T.dispose([x, y]);
    c.dispose();
    expect(T.memory().numTensors).toBe(before - 1);
  });
});
