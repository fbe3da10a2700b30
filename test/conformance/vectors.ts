// The conformance vectors: each computes tensors through @neurona/tensor on whatever backend
// is current. Expected values come from generate_expected.py (numpy/torch, float64).
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { mat, vec } from './inputs';
import { VISION_VECTORS } from './vectors-vision';

/** One conformance case: `compute` returns one tensor or several (compared in order). */
export interface Vector {
  name: string;
  compute: () => Tensor | Tensor[];
}

const m = (r: number, c: number, s: number) => T.tensor2d(mat(r, c, s));
const v = (n: number, s: number) => T.tensor1d(vec(n, s));
const E = () => m(3, 4, 9);
const F = () => m(3, 4, 20);
const pos = (t: Tensor) => T.add(T.abs(t), 0.25);

function mlpRelu(): Tensor[] {
  const x = m(4, 3, 15);
  const y = T.tensor2d([[1, 0], [0, 1], [0, 1], [1, 0]]);
  const params = [T.mul(m(3, 5, 16), 0.5), T.mul(v(5, 30), 0.25), T.mul(m(5, 2, 18), 0.5), T.mul(v(2, 19), 0.25)];
  const lossOf = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) => {
    const h = T.relu(T.add(T.matMul(x, w1), b1));
    const logits = T.add(T.matMul(h, w2), b2);
    return T.neg(T.mean(T.sum(T.mul(y, T.logSoftmax(logits)), 1)));
  };
  const { value, grads } = T.valueAndGrads((...p: Tensor[]) => lossOf(p[0], p[1], p[2], p[3]))(params);
  return [value, ...grads];
}

function mlpTanhDense(): Tensor[] {
  const x = m(5, 4, 21);
  const y = m(5, 3, 22);
  const params = [T.mul(m(4, 6, 23), 0.5), v(6, 24), T.mul(m(6, 3, 25), 0.5), v(3, 26)];
  const lossOf = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) => {
    const h = T.tanh(T.dense(x, w1, b1));
    const out = T.sigmoid(T.dense(h, w2, b2));
    return T.mean(T.square(T.sub(out, y)));
  };
  const { value, grads } = T.valueAndGrads((...p: Tensor[]) => lossOf(p[0], p[1], p[2], p[3]))(params);
  return [value, ...grads];
}

// [value, dA, dB] of sum(einsum('acbe,aecd->abcd', A, B) · R): the attention combine step.
function einsumGrads(): Tensor[] {
  const a = T.reshape(m(16, 6, 35), [2, 2, 4, 6]);
  const b = T.reshape(m(24, 6, 36), [2, 6, 2, 6]);
  const r = T.reshape(m(16, 6, 37), [2, 4, 2, 6]);
  const { value, grads } = T.valueAndGrads((x: Tensor, y: Tensor) => T.sum(T.mul(T.einsum('acbe,aecd->abcd', x, y), r)))([a, b]);
  return [value, ...grads];
}

// BatchNormalization's training op: [y, mean, variance], then the gradients of Σ y·w
function batchNorm(): Tensor[] {
  const x = T.add(T.mul(m(12, 5, 31), 2), v(5, 32));
  const gamma = T.add(v(5, 33), 1.25);
  const beta = v(5, 34);
  const r = T.batchNormTrain(x, gamma, beta, 1e-3);
  return [r.y, r.mean, r.variance];
}

function batchNormGradients(): Tensor[] {
  const x = T.add(T.mul(m(12, 5, 31), 2), v(5, 32));
  const gamma = T.add(v(5, 33), 1.25);
  const beta = v(5, 34);
  const w = m(12, 5, 35);
  return T.grads((a: Tensor, g: Tensor, b: Tensor) => T.sum(T.mul(T.batchNormTrain(a, g, b, 1e-3).y, w)))([x, gamma, beta]);
}

// the embedding lookup and its gradient (a repeated id adds up): [rows, d table]
function embedding(): Tensor[] {
  const table = m(6, 4, 31);
  const ids = T.tensor2d([[5, 0, 5], [2, 5, 1]], [2, 3], 'int32');
  const probe = T.reshape(m(6, 4, 32), [2, 3, 4]);
  const { value, grads } = T.valueAndGrads((t: Tensor) => T.sum(T.mul(T.embeddingLookup(t, ids), probe)))([table]);
  return [T.embeddingLookup(table, ids), value, grads[0]];
}

// the recurrent time loop and its gradients (back through time), masked: B 2, T 3, units 2
const MASK = [[1, 0, 1], [1, 1, 0]];
function recurrent(cell: 'lstm' | 'gru' | 'simple', goBackwards: boolean, activation: 'tanh' | 'relu' = 'tanh'): Tensor[] {
  const g = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const xw = T.reshape(m(6, 2 * g, 33), [2, 3, 2 * g]);
  const u = T.mul(m(2, 2 * g, 34), 0.5);
  const h0 = T.mul(m(2, 2, 35), 0.5);
  const c0 = T.mul(m(2, 2, 36), 0.5);
  const rb = cell === 'gru' ? T.mul(v(2 * g, 37), 0.5) : null;
  const p1 = T.reshape(m(6, 2, 38), [2, 3, 2]);
  const p2 = T.reshape(m(6, 2, 39), [2, 3, 2]);
  const mask = T.tensor2d(MASK);
  const params = [xw, u, h0, ...(cell === 'lstm' ? [c0] : []), ...(rb ? [rb] : [])];
  const run = (...p: Tensor[]) =>
    T.recurrentSequence(cell, p[0], p[1], cell === 'lstm' ? [p[2], p[3]] : [p[2]], { mask, goBackwards, activation, recurrentBias: rb ? p[p.length - 1] : undefined });
  const out = run(...params);
  const { value, grads } = T.valueAndGrads((...p: Tensor[]) => {
    const r = run(...p);
    return T.add(T.sum(T.mul(r.h, p1)), r.c ? T.sum(T.mul(r.c, p2)) : 0);
  })(params);
  return [out.h, ...(out.c ? [out.c] : []), value, ...grads];
}

export const VECTORS: Vector[] = [
  // matMul with and without transposes, a shape that crosses GPU tile edges, batched
  { name: 'matMul', compute: () => T.matMul(m(4, 6, 1), m(6, 5, 2)) },
  { name: 'matMul transposeA', compute: () => T.matMul(m(6, 4, 3), m(6, 5, 2), true, false) },
  { name: 'matMul transposeB', compute: () => T.matMul(m(4, 6, 1), m(5, 6, 4), false, true) },
  { name: 'matMul transposeA+B', compute: () => T.matMul(m(6, 4, 3), m(5, 6, 4), true, true) },
  { name: 'matMul 33x65x17', compute: () => T.matMul(m(33, 65, 5), m(65, 17, 6)) },
  { name: 'matMul 65x33 transposeA', compute: () => T.matMul(m(65, 33, 5), m(65, 17, 6), true, false) },
  { name: 'matMul batched', compute: () => T.matMul(T.reshape(m(6, 4, 7), [2, 3, 4]), T.reshape(m(8, 5, 8), [2, 4, 5])) },
  { name: 'dense', compute: () => T.dense(m(4, 6, 1), m(6, 5, 2), v(5, 27)) },
  // elementwise
  { name: 'add broadcast', compute: () => T.add(E(), v(4, 10)) },
  { name: 'sub', compute: () => T.sub(E(), F()) },
  { name: 'mul', compute: () => T.mul(E(), F()) },
  { name: 'div', compute: () => T.div(E(), T.add(T.abs(F()), 0.5)) },
  { name: 'exp', compute: () => T.exp(T.mul(E(), 2)) },
  { name: 'log', compute: () => T.log(pos(E())) },
  { name: 'sqrt', compute: () => T.sqrt(pos(E())) },
  { name: 'pow', compute: () => T.pow(pos(E()), T.scalar(1.5)) },
  { name: 'tanh', compute: () => T.tanh(T.mul(E(), 2)) },
  { name: 'sigmoid', compute: () => T.sigmoid(T.mul(E(), 3)) },
  { name: 'relu', compute: () => T.relu(E()) },
  { name: 'leakyRelu', compute: () => T.leakyRelu(E(), 0.1) },
  { name: 'elu', compute: () => T.elu(E()) },
  { name: 'softplus', compute: () => T.softplus(T.mul(E(), 2)) },
  { name: 'square', compute: () => T.square(E()) },
  { name: 'abs', compute: () => T.abs(E()) },
  { name: 'neg', compute: () => T.neg(E()) },
  { name: 'maximum', compute: () => T.maximum(E(), F()) },
  { name: 'clipByValue', compute: () => T.clipByValue(E(), -0.5, 0.25) },
  { name: 'where greater', compute: () => T.where(T.greater(E(), F()), E(), T.mul(F(), 10)) },
  // reductions
  { name: 'sum all', compute: () => T.sum(m(5, 7, 11)) },
  { name: 'sum axis 0', compute: () => T.sum(m(5, 7, 11), 0) },
  { name: 'sum axis 1', compute: () => T.sum(m(5, 7, 11), 1) },
  { name: 'sum 9x300 axis 1', compute: () => T.sum(m(9, 300, 12), 1) },
  { name: 'mean axis 1', compute: () => T.mean(m(5, 7, 11), 1) },
  { name: 'max axis 0', compute: () => T.max(m(5, 7, 11), 0) },
  { name: 'min axis 1', compute: () => T.min(m(5, 7, 11), 1) },
  { name: 'argMax axis 1', compute: () => T.argMax(m(5, 7, 13), 1) },
  { name: 'logSumExp axis 1', compute: () => T.logSumExp(m(5, 7, 11), 1) },
  // softmax
  { name: 'softmax', compute: () => T.softmax(T.mul(m(4, 6, 14), 2)) },
  { name: 'logSoftmax', compute: () => T.logSoftmax(T.mul(m(4, 6, 14), 2)) },
  { name: 'softmax rank 3', compute: () => T.softmax(T.reshape(m(6, 4, 28), [2, 3, 4])) },
  // gather
  { name: 'gather axis 0', compute: () => T.gather(m(5, 3, 15), T.tensor1d([4, 0, 2, 2], 'int32')) },
  { name: 'gather axis 1', compute: () => T.gather(m(3, 6, 16), T.tensor1d([5, 1, 1, 0], 'int32'), 1) },
  // einsum (a neurona op: transposes, reshapes and one matrix product) as attention uses it
  { name: 'einsum abc,cde->abde', compute: () => T.einsum('abc,cde->abde', T.reshape(m(6, 4, 31), [2, 3, 4]), T.reshape(m(4, 6, 32), [4, 2, 3])) },
  { name: 'einsum aecd,abcd->acbe', compute: () => T.einsum('aecd,abcd->acbe', T.reshape(m(10, 6, 33), [2, 5, 2, 3]), T.reshape(m(8, 6, 34), [2, 4, 2, 3])) },
  { name: 'einsum gradients', compute: einsumGrads },
  // gradients of small MLPs: [loss, dW1, db1, dW2, db2]
  { name: 'MLP relu softmax-CE gradients', compute: mlpRelu },
  { name: 'MLP tanh dense sigmoid-MSE gradients', compute: mlpTanhDense },
  // issue 11: BatchNormalization's fused training op and its one-kernel gradient
  { name: 'batchNormTrain', compute: batchNorm },
  { name: 'batchNormTrain gradients', compute: batchNormGradients },
  // sequences: [values..., objective, gradients...]
  { name: 'embeddingLookup and its gradient', compute: embedding },
  { name: 'recurrentSequence lstm masked', compute: () => recurrent('lstm', false) },
  { name: 'recurrentSequence lstm masked goBackwards', compute: () => recurrent('lstm', true) },
  { name: 'recurrentSequence gru masked recurrent bias', compute: () => recurrent('gru', false) },
  { name: 'recurrentSequence simple relu goBackwards', compute: () => recurrent('simple', true, 'relu') },
  ...VISION_VECTORS,
];
