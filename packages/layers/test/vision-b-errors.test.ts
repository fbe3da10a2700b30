// Bad options and bad inputs of the vision layers (part B): each error names the layer, what it
// expected and what it got; a failed call leaves the layer usable and nothing allocated.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import {
  ActivityRegularization,
  AlphaDropout,
  BatchNormalization,
  CenterCrop,
  Cropping1D,
  Cropping2D,
  Dot,
  GaussianNoise,
  GroupNormalization,
  Input,
  LayerNormalization,
  Maximum,
  Permute,
  RandomContrast,
  RandomCrop,
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  RepeatVector,
  Rescaling,
  Resizing,
  SpatialDropout1D,
  SpatialDropout2D,
  Subtract,
  UnitNormalization,
  UpSampling1D,
  UpSampling2D,
  ZeroPadding2D,
  ZeroPadding3D,
  resetNames,
} from '../src/index';

beforeEach(() => resetNames());
let before = 0;
beforeEach(() => {
  before = T.memory().numTensors;
});
afterEach(() => {
  expect(T.memory().numTensors, 'tensors left by the test').toBe(before);
});

describe('options checked at construction', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['negative padding', () => ZeroPadding2D(-1), /ZeroPadding2D "zero_padding2d": padding must be an integer, 2 integers, or 2 pairs \[before, after\] of non-negative integers, got -1/],
    ['padding of the wrong length', () => ZeroPadding3D([1, 2]), /ZeroPadding3D "zero_padding3d": padding must be .* got \[1, 2\]/],
    ['unknown data format', () => ZeroPadding2D(1, { dataFormat: 'NHWC' as never }), /ZeroPadding2D "zero_padding2d": dataFormat must be 'channels_last' or 'channels_first', got "NHWC"/],
    ['Cropping1D has no dataFormat', () => Cropping1D(1, { dataFormat: 'channels_last' } as never), /Cropping1D: unknown option "dataFormat"/],
    ['zero up-sampling size', () => UpSampling2D([2, 0]), /UpSampling2D "up_sampling2d": size must be a positive integer or a list of 2 positive integers, got \[2, 0\]/],
    ['unknown interpolation', () => UpSampling2D(2, { interpolation: 'bicubic' as never }), /UpSampling2D "up_sampling2d": interpolation must be 'nearest' or 'bilinear', got "bicubic"/],
    ['Permute dims not a permutation', () => Permute([1, 3]), /Permute "permute": dims must be a permutation of 1\.\.n \(the batch axis is not included\), got \[1, 3\]/],
    ['RepeatVector n = 0', () => RepeatVector(0), /RepeatVector "repeat_vector": n must be a positive integer, got 0/],
    ['dropout rate 1', () => SpatialDropout2D(1), /SpatialDropout2D "spatial_dropout2d": rate must be a number in \[0, 1\), got 1/],
    ['GaussianNoise stddev > 1 (Keras bounds it)', () => GaussianNoise(2), /GaussianNoise "gaussian_noise": stddev must be a number in \[0, 1\], got 2/],
    ['AlphaDropout noiseShape', () => AlphaDropout(0.1, { noiseShape: [0] }), /AlphaDropout "alpha_dropout": noiseShape must be an array of positive integers or null, got \[0\]/],
    ['ActivityRegularization negative l2', () => ActivityRegularization({ l2: -1 }), /ActivityRegularization: l2 must be a finite number >= 0, got -1/],
    ['BatchNormalization momentum', () => BatchNormalization({ momentum: 1.5 }), /BatchNormalization "batch_normalization": momentum must be a number in \[0, 1\], got 1\.5/],
    ['BatchNormalization epsilon', () => BatchNormalization({ epsilon: 0 }), /BatchNormalization "batch_normalization": epsilon must be a finite number > 0, got 0/],
    ['BatchNormalization misspelt option', () => BatchNormalization({ momentun: 0.9 } as never), /BatchNormalization: unknown option "momentun"/],
    ['GroupNormalization groups 0', () => GroupNormalization({ groups: 0 }), /GroupNormalization "group_normalization": groups must be a positive integer \(or -1 for one group per channel\), got 0/],
    ['LayerNormalization axis', () => LayerNormalization({ axis: 'last' as never }), /LayerNormalization "layer_normalization": axis must be an integer or a list of integers, got "last"/],
    ['Dot axes', () => Dot([1, 2, 3] as never), /Dot "dot": axes must be an integer or a list of 2 integers, got \[1, 2, 3\]/],
    ['Rescaling scale', () => Rescaling(Number.NaN), /Rescaling "rescaling": scale must be a finite number or a list of them \(one per channel\), got NaN/],
    ['Resizing zero height', () => Resizing(0, 4), /Resizing "resizing": height must be a positive integer, got 0/],
    ['Resizing crop and pad', () => Resizing(4, 4, { cropToAspectRatio: true, padToAspectRatio: true }), /Resizing "resizing": only one of cropToAspectRatio and padToAspectRatio can be true/],
    ['Resizing bicubic', () => Resizing(4, 4, { interpolation: 'bicubic' as never }), /Resizing "resizing": interpolation must be 'bilinear' or 'nearest' \(neurona has no bicubic, lanczos or area resizing\), got "bicubic"/],
    ['Resizing antialias', () => Resizing(4, 4, { antialias: true }), /Resizing "resizing": antialias must be false/],
    ['CenterCrop width', () => CenterCrop(4, -1), /CenterCrop "center_crop": width must be a positive integer, got -1/],
    ['RandomFlip mode', () => RandomFlip('diagonal' as never), /RandomFlip "random_flip": mode must be 'horizontal', 'vertical' or 'horizontal_and_vertical', got "diagonal"/],
    ['RandomRotation factor', () => RandomRotation(1.5), /RandomRotation "random_rotation": factor must be a number in \[-1, 1\] or a pair of them, got 1\.5/],
    ['RandomTranslation fill mode', () => RandomTranslation(0.1, 0.1, { fillMode: 'mirror' as never }), /RandomTranslation "random_translation": fillMode must be 'reflect', 'wrap', 'constant' or 'nearest', got "mirror"/],
    ['RandomZoom factor -1', () => RandomZoom(-1), /RandomZoom "random_zoom": heightFactor must be a number in \(-1, 1\] or a pair of them, got -1/],
    ['RandomContrast factor', () => RandomContrast(2), /RandomContrast "random_contrast": factor must be a number in \[0, 1\] or a pair \[lower, upper\] of them, got 2/],
    ['RandomContrast valueRange', () => RandomContrast(0.1, { valueRange: [1, 0] }), /RandomContrast "random_contrast": valueRange must be \[low, high\] with low < high, got \[1, 0\]/],
    ['RandomCrop seed', () => RandomCrop(2, 2, { seed: 1.5 }), /RandomCrop "random_crop": seed must be an integer or null, got 1\.5/],
  ];
  for (const [what, make, message] of cases) {
    it(what, () => {
      resetNames();
      expect(make).toThrow(message);
    });
  }
});

describe('inputs checked on every call, naming the layer and both shapes', () => {
  it('wrong ranks', () => {
    const x2 = T.zeros([32, 784]);
    const x3 = T.zeros([2, 3, 4]);
    const cases: [() => unknown, RegExp][] = [
      [() => ZeroPadding2D(1).apply(x2), /ZeroPadding2D "zero_padding2d" expects input \[null, height, width, channels\], got \[32, 784\]/],
      [() => UpSampling1D(2).apply(x2), /UpSampling1D "up_sampling1d" expects input \[null, steps, channels\], got \[32, 784\]/],
      [() => SpatialDropout1D(0.1).apply(x2), /SpatialDropout1D "spatial_dropout1d" expects input \[null, steps, channels\], got \[32, 784\]/],
      [() => Resizing(8, 8).apply(x2), /Resizing "resizing" expects input \[null, height, width, channels\] \(or one image \[height, width, channels\]\), got \[32, 784\]/],
      [() => RandomFlip('horizontal', { dataFormat: 'channels_first' }).apply(x2), /RandomFlip "random_flip" expects input \[null, channels, height, width\]/],
      [() => Permute([2, 1]).apply(x2), /Permute "permute" expects input \[null, d1, d2\] \(rank 3\), got \[32, 784\]/],
      [() => RepeatVector(2).apply(x3), /RepeatVector "repeat_vector" expects input \[null, features\], got \[2, 3, 4\]/],
      [() => ZeroPadding3D(1, { dataFormat: 'channels_first' }).apply(x3), /ZeroPadding3D "zero_padding3d" expects input \[null, channels, depth, height, width\], got \[2, 3, 4\]/],
    ];
    for (const [f, m] of cases) {
      resetNames();
      expect(f).toThrow(m);
    }
    T.dispose([x2, x3]);
  });

  it('sizes that do not fit: cropping everything, groups that do not divide, features that change, mismatched merges', () => {
    const img = Input({ shape: [4, 4, 6] });
    expect(() => Cropping2D([[2, 2], [0, 0]])(img)).toThrow(/Cropping2D "cropping2d": cropping \[\[2,2\],\[0,0\]\] leaves nothing of dimension 1 of input \[null, 4, 4, 6\]/);
    expect(() => GroupNormalization({ groups: 4 })(img)).toThrow(/GroupNormalization "group_normalization": groups \(4\) must divide the 6 channels of input \[null, 4, 4, 6\]/);
    const bn = BatchNormalization();
    bn(img);
    const other = T.zeros([2, 4, 4, 5]);
    expect(() => bn.apply(other)).toThrow(/BatchNormalization "batch_normalization" expects input \[null, null, null, 6\], got \[2, 4, 4, 5\]/);
    expect(() => BatchNormalization({ axis: 0 })(img)).toThrow(/is not a feature axis of input \[null, 4, 4, 6\] \(the batch axis cannot be normalized\)/);
    expect(() => UnitNormalization({ axis: 5 })(img)).toThrow(/UnitNormalization "unit_normalization": axis 5 is out of range for inputs of rank 4/);
    const a = Input({ shape: [3] });
    const b = Input({ shape: [4] });
    expect(() => Maximum()([a, b])).toThrow(/Maximum "maximum" expects inputs of broadcast-compatible shapes, got \[null, 3\], \[null, 4\]/);
    expect(() => Subtract()([a, a, a])).toThrow(/Subtract "subtract" expects exactly 2 inputs, got 3/);
    expect(() => Dot(1)([a, b])).toThrow(/Dot "dot": axis 1 of \[null, 3\] \(3\) differs from axis 1 of \[null, 4\] \(4\)/);
    expect(() => Dot(0)([a, a])).toThrow(/Dot "dot_1": axes 0 do not name a non-batch axis of inputs of ranks 2 and 2/);
    // the failed call left the layer usable
    const ok = T.ones([2, 4, 4, 6]);
    const y = bn.apply(ok);
    expect(y.shape).toEqual([2, 4, 4, 6]);
    T.dispose([other, ok, y]);
    bn.dispose();
  });
});
