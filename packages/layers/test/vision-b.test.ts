// The layers of issue 11, part B through runLayerTest, with outputs (and, where the maths is not
// a plain rearrangement, gradients) from test/reference/vision_b.py: torch/numpy following Keras's
// documented maths.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import {
  ActivityRegularizationLayer,
  AlphaDropoutLayer,
  AverageLayer,
  BatchNormalizationLayer,
  CenterCropLayer,
  Cropping1DLayer,
  Cropping2DLayer,
  Cropping3DLayer,
  DotLayer,
  GaussianDropoutLayer,
  GaussianNoiseLayer,
  GroupNormalizationLayer,
  IdentityLayer,
  LayerNormalizationLayer,
  MaximumLayer,
  MinimumLayer,
  MultiplyLayer,
  PermuteLayer,
  RandomContrastLayer,
  RandomCropLayer,
  RandomFlipLayer,
  RandomRotationLayer,
  RandomTranslationLayer,
  RandomZoomLayer,
  RepeatVectorLayer,
  RescalingLayer,
  ResizingLayer,
  SpatialDropout1DLayer,
  SpatialDropout2DLayer,
  SpatialDropout3DLayer,
  SubtractLayer,
  UnitNormalizationLayer,
  UpSampling1DLayer,
  UpSampling2DLayer,
  UpSampling3DLayer,
  ZeroPadding1DLayer,
  ZeroPadding2DLayer,
  ZeroPadding3DLayer,
  resetNames,
  runLayerTest,
} from '../src/index';
import type { Layer, LayerConfig, TestableLayerClass } from '../src/index';
import { arr, expectClose, expectedOf, inputsOf, refCase } from './vision-fixtures';

beforeEach(() => resetNames());
let before = 0;
beforeEach(() => {
  before = T.memory().numTensors;
});
afterEach(() => {
  expect(T.memory().numTensors, 'tensors left by the test').toBe(before);
});

/** runLayerTest on a reference case: its inputs, its expected output, the layer's own checks. */
async function refTest(
  name: string,
  layer: TestableLayerClass,
  config: LayerConfig,
  more: { trainable?: number; nonTrainable?: number; gradients?: boolean; tolerance?: number; training?: boolean; gradientStep?: number } = {},
): Promise<void> {
  const c = refCase(name);
  const inputs = inputsOf(c);
  const list = Array.isArray(inputs) ? inputs : [inputs];
  try {
    const r = await runLayerTest({
      layer,
      config,
      inputShape: list.length === 1 ? list[0].shape : list.map((t) => t.shape),
      inputData: inputs,
      expectedOutputShape: c.expected[0].shape,
      expectedOutput: expectedOf(c),
      tolerance: more.tolerance ?? 1e-5,
      expectedTrainableWeights: more.trainable ?? 0,
      expectedNonTrainableWeights: more.nonTrainable ?? 0,
      gradients: more.gradients,
      gradientStep: more.gradientStep,
      callKwargs: more.training ? { training: true } : undefined,
    });
    expect(r.checks).toContain('expected output');
    expect(r.checks).toContain('no leaks');
  } finally {
    T.dispose(list);
  }
}

/**
 * A layer built for the case's input, given the weights `weights` (in `weights` order), called
 * on the input; returns the output and the gradients of `sum(output · probe)` with respect to the
 * input and the trainable weights, compared with the case's `grads`.
 */
async function checkAgainstTorch(name: string, layer: Layer, weights: Tensor[], gradKeys: string[], training = false): Promise<void> {
  const c = refCase(name);
  const x = inputsOf(c) as Tensor;
  const probe = gradKeys.length > 0 ? arr(c, 'probe') : T.onesLike(x);
  try {
    T.tidy(() => {
      layer.apply(T.zerosLike(x));
    });
    layer.setWeights(weights);
    const y = layer.apply(x, { training });
    expectClose(await y.data(), expectedOf(c), `${name} output`, 1e-5);
    y.dispose();
    const vars = layer.trainableWeights;
    const xv = T.variable(x, true, undefined, 'float32');
    const { loss, grads } = T.valueAndGradients(() => T.sum(T.mul(layer.apply(xv, { training }), probe)) as T.Scalar, [xv, ...vars]);
    loss.dispose();
    const byKey: Record<string, Tensor> = { x: grads[0] as Tensor };
    vars.forEach((v, i) => (byKey[v.name.split('/').pop() as string] = grads[i + 1] as Tensor));
    for (const k of gradKeys) {
      const want = arr(c, 'grads', k);
      expectClose(await byKey[k].data(), await want.data(), `${name} d/d ${k}`, 1e-4);
      want.dispose();
    }
    T.dispose(grads as Tensor[]);
    xv.dispose();
  } finally {
    T.dispose([x, probe, ...weights]);
    layer.dispose();
  }
}

describe('normalization', () => {
  it('BatchNormalization in inference uses the moving statistics (torch reference)', async () => {
    const c = refCase('BatchNormalization inference');
    const layer = new BatchNormalizationLayer();
    await checkAgainstTorch('BatchNormalization inference', layer, [arr(c, 'gamma'), arr(c, 'beta'), arr(c, 'movingMean'), arr(c, 'movingVariance')], []);
  });

  it('BatchNormalization in training normalizes with the batch statistics: values and gradients of x, gamma, beta from torch', async () => {
    const c = refCase('BatchNormalization train');
    const layer = new BatchNormalizationLayer();
    await checkAgainstTorch('BatchNormalization train', layer, [arr(c, 'gamma'), arr(c, 'beta'), arr(c, 'movingMean'), arr(c, 'movingVariance')], ['x', 'gamma', 'beta'], true);
  });

  it('BatchNormalization passes runLayerTest in both modes, axis 1, without center', async () => {
    await runLayerTest({ layer: BatchNormalizationLayer, config: {}, inputShape: [4, 3], expectedTrainableWeights: 2, expectedNonTrainableWeights: 2 });
    await runLayerTest({
      layer: BatchNormalizationLayer,
      config: { momentum: 0.9 },
      inputShape: [4, 2, 3],
      callKwargs: { training: true },
      expectedTrainableWeights: 2,
      expectedNonTrainableWeights: 2,
      gradientTolerance: 3e-2,
    });
    await runLayerTest({
      layer: BatchNormalizationLayer,
      config: { axis: 1, center: false },
      inputShape: [3, 4, 2, 2],
      callKwargs: { training: true },
      expectedTrainableWeights: 1,
      expectedNonTrainableWeights: 2,
      gradientTolerance: 3e-2,
    });
    const c = refCase('BatchNormalization axis 1 no center train');
    const layer = new BatchNormalizationLayer({ axis: 1, center: false });
    const x = inputsOf(c) as Tensor;
    layer.apply(x).dispose();
    const [g0, mm, mv] = layer.getWeights();
    T.dispose([x, g0]);
    await checkAgainstTorch('BatchNormalization axis 1 no center train', layer, [arr(c, 'gamma'), mm, mv], ['x', 'gamma'], true);
  });

  it('LayerNormalization: values and gradients from torch; axes [1, 2] without center', async () => {
    const c = refCase('LayerNormalization');
    await checkAgainstTorch('LayerNormalization', new LayerNormalizationLayer(), [arr(c, 'gamma'), arr(c, 'beta')], ['x', 'gamma', 'beta']);
    await runLayerTest({ layer: LayerNormalizationLayer, config: {}, inputShape: [2, 3, 4], expectedTrainableWeights: 2 });
    const c2 = refCase('LayerNormalization axes 1 2 no center');
    const l2 = new LayerNormalizationLayer({ axis: [1, 2], center: false });
    const x = inputsOf(c2) as Tensor;
    l2.apply(x).dispose();
    expect(l2.weights.map((w) => w.shape)).toEqual([[3, 4]]);
    const g = arr(c2, 'gamma');
    l2.setWeights([g]);
    const y = l2.apply(x);
    expectClose(await y.data(), expectedOf(c2), 'axes [1, 2]');
    T.dispose([x, y, g]);
    l2.dispose();
    await runLayerTest({ layer: LayerNormalizationLayer, config: { axis: [1, 2], center: false }, inputShape: [2, 3, 4, 2], expectedTrainableWeights: 1 });
  });

  it('GroupNormalization: groups 3 (values and gradients from torch), instance normalization, channels first', async () => {
    const c = refCase('GroupNormalization groups 3');
    await checkAgainstTorch('GroupNormalization groups 3', new GroupNormalizationLayer({ groups: 3 }), [arr(c, 'gamma'), arr(c, 'beta')], ['x', 'gamma', 'beta']);
    const ci = refCase('GroupNormalization groups -1 (instance)');
    await checkAgainstTorch('GroupNormalization groups -1 (instance)', new GroupNormalizationLayer({ groups: -1 }), [arr(ci, 'gamma'), arr(ci, 'beta')], ['x', 'gamma', 'beta']);
    await refTest('GroupNormalization axis 1 groups 2 no affine', GroupNormalizationLayer, { groups: 2, axis: 1, center: false, scale: false });
    await runLayerTest({ layer: GroupNormalizationLayer, config: { groups: 2 }, inputShape: [2, 3, 4], expectedTrainableWeights: 2, gradientTolerance: 3e-2 });
  });

  it('UnitNormalization over the last axis and over axes [1, 2]', async () => {
    await refTest('UnitNormalization', UnitNormalizationLayer, {});
    await refTest('UnitNormalization axes 1 2', UnitNormalizationLayer, { axis: [1, 2] });
  });
});

describe('padding, cropping, up-sampling, permutation', () => {
  it('ZeroPadding1D/2D/3D, channels last and first', async () => {
    await refTest('ZeroPadding1D [1, 2]', ZeroPadding1DLayer, { padding: [1, 2] });
    await refTest('ZeroPadding2D [[1, 0], [2, 1]]', ZeroPadding2DLayer, { padding: [[1, 0], [2, 1]] });
    await refTest('ZeroPadding2D 1 channels_first', ZeroPadding2DLayer, { padding: 1, dataFormat: 'channels_first' });
    await refTest('ZeroPadding3D [1, 0, 2]', ZeroPadding3DLayer, { padding: [1, 0, 2] });
  });

  it('Cropping1D/2D/3D, channels last and first', async () => {
    await refTest('Cropping1D [1, 2]', Cropping1DLayer, { cropping: [1, 2] });
    await refTest('Cropping2D [[1, 2], [0, 3]]', Cropping2DLayer, { cropping: [[1, 2], [0, 3]] });
    await refTest('Cropping2D 1 channels_first', Cropping2DLayer, { cropping: 1, dataFormat: 'channels_first' });
    await refTest('Cropping3D [[1, 1], [0, 2], [2, 0]]', Cropping3DLayer, { cropping: [[1, 1], [0, 2], [2, 0]] });
  });

  it('UpSampling1D/2D/3D, nearest and bilinear (gradient from torch)', async () => {
    await refTest('UpSampling1D 3', UpSampling1DLayer, { size: 3 });
    await refTest('UpSampling2D [2, 3] nearest', UpSampling2DLayer, { size: [2, 3] });
    await refTest('UpSampling2D [2, 3] bilinear', UpSampling2DLayer, { size: [2, 3], interpolation: 'bilinear' });
    await refTest('UpSampling3D [2, 1, 3]', UpSampling3DLayer, { size: [2, 1, 3] });
    await checkAgainstTorch('UpSampling2D [2, 3] bilinear', new UpSampling2DLayer([2, 3], { interpolation: 'bilinear' }), [], ['x']);
  });

  it('Permute, RepeatVector, Identity', async () => {
    await refTest('Permute [3, 1, 2]', PermuteLayer, { dims: [3, 1, 2] });
    await refTest('RepeatVector 3', RepeatVectorLayer, { n: 3 });
    const x = T.tensor2d([[1, -2], [3, 4.5]]);
    await runLayerTest({ layer: IdentityLayer, config: {}, inputShape: [2, 2], inputData: x, expectedOutput: [1, -2, 3, 4.5] });
    x.dispose();
  });
});

describe('merging', () => {
  it('Multiply, Subtract, Average, Maximum, Minimum (numpy), lists of 2 and 3, broadcast ranks', async () => {
    await refTest('Multiply 3 inputs', MultiplyLayer, {});
    await refTest('Subtract', SubtractLayer, {});
    await refTest('Average 3 inputs', AverageLayer, {});
    await refTest('Maximum', MaximumLayer, {});
    await refTest('Minimum 3 inputs', MinimumLayer, {});
    await refTest('Multiply ranks 3 and 2', MultiplyLayer, {});
    await refTest('Add-like broadcast: Maximum [3, 1, 4] and [3, 2, 4]', MaximumLayer, {});
  });

  it('Dot: axes 1, -1 normalized, [2, 1], [1, 1] (plain and normalized), rank 2 with rank 3', async () => {
    await refTest('Dot 1', DotLayer, { axes: 1 });
    await refTest('Dot -1 normalize', DotLayer, { axes: -1, normalize: true });
    await refTest('Dot [2, 1]', DotLayer, { axes: [2, 1] });
    await refTest('Dot [1, 1]', DotLayer, { axes: [1, 1] });
    await refTest('Dot [1, 1] normalize', DotLayer, { axes: [1, 1], normalize: true });
    await refTest('Dot [1, 2] rank 2 and 3', DotLayer, { axes: [1, 2] });
  });
});

describe('image preprocessing', () => {
  it('Rescaling: 1/255, with an offset, per channel', async () => {
    // pixel values up to 255: a larger finite-difference step (the layer is linear)
    await refTest('Rescaling 1/255', RescalingLayer, { scale: 1 / 255 }, { gradientStep: 0.25 });
    await refTest('Rescaling 1/127.5 offset -1', RescalingLayer, { scale: 1 / 127.5, offset: -1 }, { gradientStep: 0.25 });
    await refTest('Rescaling per channel', RescalingLayer, { scale: [0.5, 1, 2], offset: [1, 0, -1] }, { gradientStep: 0.25 });
  });

  it('Resizing up and down, bilinear and nearest, crop and pad to the aspect ratio (torch interpolate), gradient', async () => {
    await refTest('Resizing 8x4 bilinear', ResizingLayer, { height: 8, width: 4 });
    await refTest('Resizing 3x10 nearest', ResizingLayer, { height: 3, width: 10, interpolation: 'nearest' });
    await refTest('Resizing 2x3 bilinear (down)', ResizingLayer, { height: 2, width: 3 });
    await refTest('Resizing 4x4 cropToAspectRatio', ResizingLayer, { height: 4, width: 4, cropToAspectRatio: true });
    await refTest('Resizing 6x6 padToAspectRatio fill 0.5', ResizingLayer, { height: 6, width: 6, padToAspectRatio: true, fillValue: 0.5 });
    await checkAgainstTorch('Resizing 4x9 gradient', new ResizingLayer(4, 9), [], ['x']);
  });

  it('CenterCrop (a window, and the smart resize of a smaller image)', async () => {
    await refTest('CenterCrop 3x4', CenterCropLayer, { height: 3, width: 4 });
    await refTest('CenterCrop 6x6 (smart resize)', CenterCropLayer, { height: 6, width: 6 });
  });

  it('the random layers are the identity in inference; RandomCrop crops the centre to the aspect ratio', async () => {
    const c = refCase('CenterCrop 3x4');
    const img = inputsOf(c) as Tensor;
    const flat = Array.from(await img.data());
    img.dispose();
    for (const [cls, config] of [
      [RandomFlipLayer, { mode: 'horizontal', seed: 1 }],
      [RandomRotationLayer, { factor: 0.2, seed: 1 }],
      [RandomTranslationLayer, { heightFactor: 0.2, widthFactor: 0.1 }],
      [RandomZoomLayer, { heightFactor: 0.2 }],
      [RandomContrastLayer, { factor: 0.3, valueRange: [0, 1] }],
    ] as [TestableLayerClass, LayerConfig][]) {
      const x = inputsOf(c) as Tensor;
      await runLayerTest({ layer: cls, config, inputShape: x.shape, inputData: x, expectedOutput: flat, expectedTrainableWeights: 0 });
      x.dispose();
    }
    await refTest('RandomCrop 3x3 inference', RandomCropLayer, { height: 3, width: 3, seed: 3 });
  });
});

describe('regularization layers', () => {
  it('SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout, AlphaDropout are the identity in inference', async () => {
    for (const [cls, config, shape] of [
      [SpatialDropout1DLayer, { rate: 0.5 }, [2, 3, 4]],
      [SpatialDropout2DLayer, { rate: 0.5, dataFormat: 'channels_first' }, [2, 3, 2, 2]],
      [SpatialDropout3DLayer, { rate: 0.5 }, [1, 2, 2, 2, 3]],
      [GaussianNoiseLayer, { stddev: 0.5, seed: 2 }, [3, 4]],
      [GaussianDropoutLayer, { rate: 0.3 }, [3, 4]],
      [AlphaDropoutLayer, { rate: 0.2, noiseShape: [null, 1] }, [3, 4]],
    ] as [TestableLayerClass, LayerConfig, number[]][]) {
      const x = T.randomNormal(shape, 0, 1, 'float32', 4);
      const want = Array.from(await x.data());
      await runLayerTest({ layer: cls, config, inputShape: shape, inputData: x, expectedOutput: want, expectedTrainableWeights: 0 });
      x.dispose();
    }
  });

  it('ActivityRegularization passes its input on and adds (l1·Σ|x| + l2·Σx²) / batch to losses()', async () => {
    const x = T.tensor2d([[1, -2], [3, -0.5]]);
    await runLayerTest({ layer: ActivityRegularizationLayer, config: { l1: 0.1, l2: 0.01 }, inputShape: [2, 2], inputData: x, expectedOutput: [1, -2, 3, -0.5] });
    const layer = new ActivityRegularizationLayer({ l1: 0.1, l2: 0.01 });
    const y = layer.apply(x);
    const [penalty] = layer.activityLosses();
    const sumAbs = 1 + 2 + 3 + 0.5;
    const sumSq = 1 + 4 + 9 + 0.25;
    expect((await penalty.data())[0]).toBeCloseTo((0.1 * sumAbs + 0.01 * sumSq) / 2, 6);
    expect(layer.getConfig()).toMatchObject({ l1: 0.1, l2: 0.01 });
    expect(layer.getConfig().activityRegularizer).toBeUndefined();
    T.dispose([x, y]);
    layer.dispose();
  });
});
