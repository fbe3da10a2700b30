// The attention layers and EinsumDense against PyTorch (test/reference/attention_reference.py,
// Keras's maths written with plain matrix products): outputs, attention weights, and gradients
// of sum(out · r) for the inputs and every weight, with and without masks; then runLayerTest.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import {
  AdditiveAttentionLayer,
  AttentionLayer,
  EinsumDenseLayer,
  GroupedQueryAttentionLayer,
  Input,
  MultiHeadAttentionLayer,
  resetNames,
  runLayerTest,
} from '../src/index';
import type { Layer } from '../src/index';

const ref = JSON.parse(readFileSync(new URL('./fixtures/attention-reference.json', import.meta.url), 'utf8'));

beforeEach(() => resetNames());

interface Arr {
  shape: number[];
  values: number[];
}
const tt = (a: Arr) => T.tensor(a.values, a.shape);

function close(got: ArrayLike<number>, want: number[], what: string, tol = 1e-4): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i] - want[i]) > tol * Math.max(1, Math.abs(want[i]))) throw new Error(`${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

// Output and gradients of sum(out · probe) w.r.t. the inputs and the trainable weights.
function check(layer: Layer, inputs: T.Tensor[], kwargs: Record<string, unknown>, c: { output: number[]; probe: number[]; inputGrads: number[][]; weightGrads: number[][] }): void {
  const before = T.memory().numTensors;
  const out = layer.apply(inputs, kwargs) as unknown as T.Tensor;
  close(out.dataSync(), c.output, 'output');
  const probe = T.tensor(c.probe, out.shape);
  const vars = inputs.map((x) => T.variable(x, true));
  const weights = layer.trainableWeights;
  const { loss, grads } = T.valueAndGradients(() => T.sum(T.mul(layer.call(vars as T.Tensor[], { training: false, ...kwargs }) as T.Tensor, probe)) as T.Scalar, [...vars, ...weights]);
  const gs = grads.map((g) => g as T.Tensor);
  gs.slice(0, vars.length).forEach((g, i) => close(g.dataSync(), c.inputGrads[i], `d input ${i}`));
  gs.slice(vars.length).forEach((g, i) => close(g.dataSync(), c.weightGrads[i], `d ${weights[i].name}`));
  T.dispose([out, probe, loss, ...gs, ...vars]);
  expect(T.memory().numTensors).toBe(before);
}

describe('MultiHeadAttention against PyTorch', () => {
  for (const c of ref.mha) {
    it(c.name, () => {
      const layer = new MultiHeadAttentionLayer({ numHeads: c.numHeads, keyDim: c.keyDim, valueDim: c.valueDim });
      const inputs: T.Tensor[] = c.inputs.map(tt);
      const init = layer.apply(inputs) as unknown as T.Tensor;
      init.dispose();
      expect(layer.weights.map((w) => w.shape)).toEqual(c.weights.map((w: Arr) => w.shape));
      const ws = c.weights.map(tt);
      layer.setWeights(ws);
      const kwargs: Record<string, unknown> = {};
      const owned: T.Tensor[] = [];
      if (c.maskKind === 'attention') owned.push((kwargs.attentionMask = T.tensor(c.mask, undefined, 'bool') as T.Tensor));
      if (c.maskKind === 'causal') kwargs.useCausalMask = true;
      if (c.maskKind === 'query_value') {
        const m = [T.tensor(c.mask.query, undefined, 'bool'), T.tensor(c.mask.value, undefined, 'bool')];
        owned.push(...m);
        kwargs.mask = m;
      }
      check(layer, inputs, kwargs, c);
      const [, scores] = layer.apply(inputs, { ...kwargs, returnAttentionScores: true }) as unknown as T.Tensor[];
      close(scores.dataSync(), c.scores, 'scores');
      T.dispose([...inputs, ...ws, ...owned, scores]);
      layer.dispose();
    });
  }

  it('kernel layouts are Keras\'s [d, heads, keyDim] and weights are in Keras\'s order', () => {
    const layer = new MultiHeadAttentionLayer({ numHeads: 4, keyDim: 8, name: 'mha' });
    const x = Input({ shape: [10, 16] });
    const y = layer.apply([x, x]);
    expect(y.shape).toEqual([null, 10, 16]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['mha/query/kernel', [16, 4, 8]], ['mha/query/bias', [4, 8]],
      ['mha/key/kernel', [16, 4, 8]], ['mha/key/bias', [4, 8]],
      ['mha/value/kernel', [16, 4, 8]], ['mha/value/bias', [4, 8]],
      ['mha/attention_output/kernel', [4, 8, 16]], ['mha/attention_output/bias', [16]],
    ]);
    expect(layer.attentionAxes).toEqual([1]);
    const both = new MultiHeadAttentionLayer({ numHeads: 2, keyDim: 3, outputShape: 5 }).apply([x, x], { returnAttentionScores: true }) as unknown as unknown[];
    expect((both as { shape: unknown }[]).map((t) => t.shape)).toEqual([[null, 10, 5], [null, 2, 10, 10]]);
  });

  it("passes the query's mask on (Keras's compute_mask), not the value's", () => {
    const layer = new MultiHeadAttentionLayer({ numHeads: 1, keyDim: 2 });
    const q = T.ones([1, 3]);
    const v = T.zeros([1, 4]);
    expect(layer.computeMask([], [q, v])).toBe(q);
    expect(layer.computeMask([], [null, v])).toBeNull();
    expect(layer.computeMaskPresence([false, true], 1)).toEqual([false]);
    expect(layer.computeMaskPresence([true, false], 2)).toEqual([true, false]);
    expect(new AttentionLayer().computeMask([], [q, v])).toBe(q);
    T.dispose([q, v]);
  });

  it('a symbolic attention mask is an extra input of the node', () => {
    const q = Input({ shape: [3, 4] });
    const m = Input({ shape: [3, 3], dtype: 'bool' });
    const layer = new MultiHeadAttentionLayer({ numHeads: 1, keyDim: 2 });
    const y = layer.apply([q, q], { attentionMask: m });
    expect(y.shape).toEqual([null, 3, 4]);
    expect(layer.inboundNodes[0].inputTensors.length).toBe(4);
  });

  it('passes runLayerTest (self-attention, cross-attention with key, 2 attention axes)', async () => {
    await runLayerTest({ layer: MultiHeadAttentionLayer, config: { numHeads: 2, keyDim: 3 }, inputShape: [[2, 4, 5], [2, 4, 5]], expectedOutputShape: [2, 4, 5], expectedTrainableWeights: 8, supportsMasking: true });
    await runLayerTest({ layer: MultiHeadAttentionLayer, config: { numHeads: 2, keyDim: 2, valueDim: 3, useBias: false, outputShape: [6] }, inputShape: [[2, 3, 4], [2, 5, 4], [2, 5, 3]], expectedOutputShape: [2, 3, 6], expectedTrainableWeights: 4 });
    await runLayerTest({ layer: MultiHeadAttentionLayer, config: { numHeads: 1, keyDim: 2, attentionAxes: [1, 2] }, inputShape: [[1, 2, 3, 4], [1, 2, 3, 4]], expectedOutputShape: [1, 2, 3, 4], expectedTrainableWeights: 8 });
  });

  it('dropout is active in training only, reproducible with a seed; errors name the layer', () => {
    const x = T.randomNormal([2, 4, 6], 0, 1, 'float32', 3);
    const a = new MultiHeadAttentionLayer({ numHeads: 2, keyDim: 3, dropout: 0.5, seed: 1 });
    const y0 = a.apply([x, x]) as T.Tensor;
    const y1 = a.apply([x, x]) as T.Tensor;
    expect(Array.from(y0.dataSync())).toEqual(Array.from(y1.dataSync()));
    const yt = a.apply([x, x], { training: true }) as T.Tensor;
    expect(Array.from(yt.dataSync())).not.toEqual(Array.from(y0.dataSync()));
    expect(() => new MultiHeadAttentionLayer({ numHeads: 0, keyDim: 2 })).toThrow(/numHeads must be a positive integer, got 0/);
    expect(() => new MultiHeadAttentionLayer({ numHeads: 2, keyDim: 2 }).apply(x)).toThrow(/expects a list \[query, value\]/);
    const flat = T.zeros([2, 6]);
    expect(() => new MultiHeadAttentionLayer({ numHeads: 2, keyDim: 2 }).apply([flat, flat])).toThrow(/rank >= 3/);
    T.dispose([x, y0, y1, yt, flat]);
  });
});

describe('GroupedQueryAttention against PyTorch', () => {
  for (const c of ref.gqa) {
    it(`${c.numQueryHeads} query heads, ${c.numKeyValueHeads} key/value heads${c.causal ? ', causal' : ''}`, () => {
      const layer = new GroupedQueryAttentionLayer({ headDim: c.headDim, numQueryHeads: c.numQueryHeads, numKeyValueHeads: c.numKeyValueHeads });
      const inputs: T.Tensor[] = c.inputs.map(tt);
      (layer.apply(inputs) as T.Tensor).dispose();
      expect(layer.weights.map((w) => w.shape)).toEqual(c.weights.map((w: Arr) => w.shape));
      const ws = c.weights.map(tt);
      layer.setWeights(ws);
      check(layer, inputs, c.causal ? { useCausalMask: true } : {}, c);
      T.dispose([...inputs, ...ws]);
    });
  }

  it('passes runLayerTest and refuses heads that do not divide', async () => {
    await runLayerTest({ layer: GroupedQueryAttentionLayer, config: { headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2 }, inputShape: [[2, 3, 4], [2, 3, 4]], expectedOutputShape: [2, 3, 4], expectedTrainableWeights: 8 });
    expect(() => new GroupedQueryAttentionLayer({ headDim: 2, numQueryHeads: 3, numKeyValueHeads: 2 })).toThrow(/must be divisible/);
  });
});

describe('Attention and AdditiveAttention against PyTorch (value, causal and query masks)', () => {
  for (const c of ref.dense) {
    it(c.kind, () => {
      const layer = c.kind === 'additive' ? new AdditiveAttentionLayer() : new AttentionLayer({ useScale: true, scoreMode: c.kind === 'concat' ? 'concat' : 'dot' });
      const inputs: T.Tensor[] = c.inputs.map(tt);
      (layer.apply(inputs) as T.Tensor).dispose();
      const ws = c.weights.map(tt);
      layer.setWeights(ws);
      const masks = [T.tensor(c.queryMask, undefined, 'bool'), T.tensor(c.valueMask, undefined, 'bool')];
      const kwargs = { mask: masks, useCausalMask: true };
      check(layer, inputs, kwargs, c);
      const [, scores] = layer.apply(inputs, { ...kwargs, returnAttentionScores: true }) as unknown as T.Tensor[];
      close(scores.dataSync(), c.scores, 'scores');
      T.dispose([...inputs, ...ws, ...masks, scores]);
    });
  }

  it('pass runLayerTest', async () => {
    await runLayerTest({ layer: AttentionLayer, config: {}, inputShape: [[2, 3, 4], [2, 5, 4]], expectedOutputShape: [2, 3, 4], expectedTrainableWeights: 0, supportsMasking: true });
    await runLayerTest({ layer: AttentionLayer, config: { useScale: true, scoreMode: 'concat' }, inputShape: [[2, 3, 4], [2, 5, 4], [2, 5, 4]], expectedTrainableWeights: 2 });
    await runLayerTest({ layer: AdditiveAttentionLayer, config: {}, inputShape: [[2, 3, 4], [2, 5, 4]], expectedTrainableWeights: 1 });
  });
});

describe('EinsumDense', () => {
  it("Keras's examples: shapes, kernel and bias layouts", () => {
    const x = Input({ shape: [32] });
    const a = new EinsumDenseLayer('ab,bc->ac', { outputShape: 64, biasAxes: 'c' });
    expect(a.apply(x).shape).toEqual([null, 64]);
    expect(a.weights.map((w) => w.shape)).toEqual([[32, 64], [64]]);
    const s = Input({ shape: [32, 128] });
    const b = new EinsumDenseLayer('abc,cd->abd', { outputShape: [null, 64], biasAxes: 'd' });
    expect(b.apply(s).shape).toEqual([null, 32, 64]);
    const c = new EinsumDenseLayer('abc,cde->abde', { outputShape: [null, 4, 16], biasAxes: 'de' });
    expect(c.apply(s).shape).toEqual([null, 32, 4, 16]);
    expect(c.weights.map((w) => w.shape)).toEqual([[128, 4, 16], [4, 16]]);
    const d = new EinsumDenseLayer('...b,bc->...c', { outputShape: 64, biasAxes: 'c' });
    expect(d.apply(s).shape).toEqual([null, 32, 64]);
    expect(() => new EinsumDenseLayer('ab,bz->ac', { outputShape: 4 }).apply(x)).toThrow(/output dimension 'c'/);
  });

  it('computes x·W + b through einsum (closed form) and passes runLayerTest', async () => {
    // kernel ones [3, 2], bias 0.5: each output is Σx + 0.5
    const X = [[0.5, -1.5, 2], [-0.25, 1, -2.5]];
    await runLayerTest({
      layer: EinsumDenseLayer,
      config: { equation: 'ab,bc->ac', outputShape: 2, biasAxes: 'c', kernelInitializer: 'ones', biasInitializer: { className: 'Constant', config: { value: 0.5 } } },
      inputShape: [2, 3],
      inputData: T.tensor2d(X),
      expectedOutput: X.flatMap((r) => [r[0] + r[1] + r[2] + 0.5, r[0] + r[1] + r[2] + 0.5]),
      expectedTrainableWeights: 2,
    });
    await runLayerTest({ layer: EinsumDenseLayer, config: { equation: 'abc,cde->abde', outputShape: [null, 2, 3], biasAxes: 'de', activation: 'tanh' }, inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 2, 3], expectedTrainableWeights: 2 });
  });
});
