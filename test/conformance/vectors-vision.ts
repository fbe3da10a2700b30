// Conformance vectors of the convolution and pooling ops (issue 11): neurona's conv (1-D, 2-D,
// 3-D, strides, 'same' padding, dilation, groups, fused bias and relu), convTranspose,
// depthwiseConv, max and average pooling, and the loss and gradients of a small convnet.
// Expected values: vision_cases.py (torch, float64).
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { seq } from './inputs';
import type { Vector } from './vectors';

/** A tensor of `shape` holding seq(size, salt) (distinct values, exact in float32). */
const nd = (shape: number[], salt: number, scale = 1) => T.mul(T.tensor(seq(shape.reduce((a, b) => a * b, 1), salt), shape), scale);

function convnetGradients(): Tensor[] {
  const x = nd([2, 7, 7, 2], 41);
  const labels = T.tensor2d([[1, 0, 0], [0, 0, 1]]);
  const params = [nd([3, 3, 2, 4], 42, 0.5), nd([4], 43, 0.25), nd([2, 2, 4, 3], 44, 0.5)];
  const lossOf = (w1: Tensor, b1: Tensor, w2: Tensor) => {
    const h1 = T.conv(x, w1, b1, { activation: 'relu' });
    const h2 = T.averagePooling(h1, { poolSize: 2, strides: 1 });
    const h3 = T.conv(h2, w2, null, { strides: 2 });
    const h4 = T.maxPooling(h3, { poolSize: 2, padding: 'same' });
    return T.mean(T.softmaxCrossEntropyWithLogits(labels, T.reshape(h4, [2, 3])));
  };
  const { value, grads } = T.valueAndGrads((...p: Tensor[]) => lossOf(p[0], p[1], p[2]))(params);
  return [value, ...grads];
}

export const VISION_VECTORS: Vector[] = [
  { name: 'conv 2-D valid', compute: () => T.conv(nd([2, 5, 6, 3], 31), nd([3, 3, 3, 4], 32, 0.5)) },
  { name: 'conv 2-D same stride 2 bias relu', compute: () => T.conv(nd([2, 7, 6, 3], 33), nd([3, 2, 3, 5], 34, 0.5), nd([5], 35), { strides: 2, padding: 'same', activation: 'relu' }) },
  { name: 'conv 2-D dilation 2 groups 2', compute: () => T.conv(nd([1, 8, 8, 4], 36), nd([3, 3, 2, 6], 37, 0.5), null, { dilations: 2, groups: 2, padding: 'same' }) },
  { name: 'conv 1-D causal dilation 2', compute: () => T.conv(nd([2, 9, 3], 38), nd([3, 3, 4], 39, 0.5), null, { padding: 'causal', dilations: 2 }) },
  { name: 'conv 3-D strides [1, 2, 1]', compute: () => T.conv(nd([1, 4, 5, 4, 2], 40), nd([2, 3, 2, 2, 3], 45, 0.5), null, { strides: [1, 2, 1] }) },
  { name: 'convTranspose 2-D same stride 2', compute: () => T.convTranspose(nd([1, 3, 4, 2], 46), nd([3, 3, 3, 2], 47, 0.5), { strides: 2, padding: 'same' }) },
  { name: 'depthwiseConv 2-D multiplier 2 stride 2', compute: () => T.depthwiseConv(nd([2, 6, 5, 3], 48), nd([3, 3, 3, 2], 49, 0.5), null, { strides: 2, padding: 'same' }) },
  { name: 'maxPooling 2-D 2x2', compute: () => T.maxPooling(nd([2, 6, 7, 3], 50), { poolSize: 2 }) },
  { name: 'maxPooling 2-D 3 stride 2 same', compute: () => T.maxPooling(nd([2, 7, 6, 2], 51), { poolSize: 3, strides: 2, padding: 'same' }) },
  { name: 'averagePooling 2-D 3 stride 2 same', compute: () => T.averagePooling(nd([2, 7, 6, 2], 52), { poolSize: 3, strides: 2, padding: 'same' }) },
  { name: 'averagePooling 3-D 2', compute: () => T.averagePooling(nd([1, 4, 4, 4, 2], 53), { poolSize: 2 }) },
  { name: 'convnet loss and gradients', compute: convnetGradients },
];
