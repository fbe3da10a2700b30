// Every built-in layer goes through runLayerTest (Keras's run_layer_test). Expected outputs are
// computed here in plain JavaScript from each layer's documented maths (closed forms), not with
// the tensor ops under test.
import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import {
  ActivationLayer,
  AddLayer,
  ConcatenateLayer,
  DenseLayer,
  DropoutLayer,
  ELULayer,
  FlattenLayer,
  Layer,
  LeakyReLULayer,
  MaxoutLayer,
  PReLULayer,
  ReLULayer,
  ReshapeLayer,
  SoftmaxLayer,
  registerLayer,
  registry,
  resetNames,
  runLayerTest,
} from '../src/index';
import type { CallKwargs, LayerConfig } from '../src/index';

beforeEach(() => resetNames());

// A fixed input, away from 0, and its flat values for the closed forms.
const X = [
  [0.5, -1.5, 2],
  [-0.25, 1, -2.5],
];
const xt = () => T.tensor2d(X);
const flat = X.flat();

describe('every built-in layer passes runLayerTest', () => {
  it('Dense (ones kernel, 0.5 bias: each output is Σx + 0.5, then relu)', async () => {
    const r = await runLayerTest({
      layer: DenseLayer,
      config: { units: 2, activation: 'relu', kernelInitializer: 'ones', biasInitializer: { className: 'Constant', config: { value: 0.5 } } },
      inputShape: [2, 3],
      inputData: xt(),
      expectedOutputShape: [2, 2],
      expectedOutput: X.flatMap((row) => {
        const v = Math.max(0, row.reduce((a, b) => a + b, 0) + 0.5);
        return [v, v];
      }),
      expectedTrainableWeights: 2,
      expectedNonTrainableWeights: 0,
    });
    expect(r.checks).toEqual(['build', 'expected output', 'call', 'weights', 'config round trip', 'save/load', 'gradients', 'masking', 'no leaks']);
    expect(r.gradientsChecked).toBeGreaterThan(10);
  });

  it('Dense with a softmax on a rank-3 input, random weights (gradients)', async () => {
    await runLayerTest({ layer: DenseLayer, config: { units: 4, activation: 'softmax' }, inputShape: [2, 3, 5], expectedOutputShape: [2, 3, 4] });
  });

  it('Maxout (pieces 2, ones kernel: every piece equal)', async () => {
    await runLayerTest({
      layer: MaxoutLayer,
      config: { units: 2, pieces: 3, kernelInitializer: 'ones' },
      inputShape: [2, 3],
      inputData: xt(),
      expectedOutput: X.flatMap((row) => {
        const v = row.reduce((a, b) => a + b, 0);
        return [v, v];
      }),
      expectedTrainableWeights: 2,
      // all pieces tie with a ones kernel: the max's gradient is not differentiable there
      gradients: false,
    });
    T.setSeed(7); // random weights: a fixed draw keeps the finite differences away from the max's ties
    await runLayerTest({ layer: MaxoutLayer, config: { units: 3, pieces: 2 }, inputShape: [4, 5], expectedOutputShape: [4, 3] });
  });

  it('Flatten and Reshape', async () => {
    await runLayerTest({ layer: FlattenLayer, config: {}, inputShape: [2, 3, 4], expectedOutputShape: [2, 12], expectedTrainableWeights: 0 });
    await runLayerTest({ layer: ReshapeLayer, config: { targetShape: [3, 2] }, inputShape: [2, 6], expectedOutputShape: [2, 3, 2] });
    await runLayerTest({ layer: ReshapeLayer, config: { targetShape: [-1, 2] }, inputShape: [2, 6], expectedOutputShape: [2, 3, 2] });
  });

  it('Activation, ReLU, LeakyReLU, ELU, Softmax: closed forms', async () => {
    await runLayerTest({ layer: ActivationLayer, config: { activation: 'tanh' }, inputShape: [2, 3], inputData: xt(), expectedOutput: flat.map(Math.tanh) });
    await runLayerTest({ layer: ReLULayer, config: { maxValue: 1.5, negativeSlope: 0.1 }, inputShape: [2, 3], inputData: xt(), expectedOutput: flat.map((v) => (v >= 0 ? Math.min(v, 1.5) : 0.1 * v)) });
    await runLayerTest({ layer: LeakyReLULayer, config: { alpha: 0.2 }, inputShape: [2, 3], inputData: xt(), expectedOutput: flat.map((v) => (v > 0 ? v : 0.2 * v)) });
    await runLayerTest({ layer: ELULayer, config: { alpha: 0.7 }, inputShape: [2, 3], inputData: xt(), expectedOutput: flat.map((v) => (v > 0 ? v : 0.7 * (Math.exp(v) - 1))) });
    const softmaxRows = X.flatMap((row) => {
      const e = row.map(Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
    await runLayerTest({ layer: SoftmaxLayer, config: {}, inputShape: [2, 3], inputData: xt(), expectedOutput: softmaxRows });
  });

  it('PReLU (alpha initialized to 0.25, one per feature)', async () => {
    await runLayerTest({
      layer: PReLULayer,
      config: { alphaInitializer: { className: 'Constant', config: { value: 0.25 } } },
      inputShape: [2, 3],
      inputData: xt(),
      expectedOutput: flat.map((v) => (v > 0 ? v : 0.25 * v)),
      expectedTrainableWeights: 1,
    });
  });

  it('Dropout is the identity in inference', async () => {
    await runLayerTest({ layer: DropoutLayer, config: { rate: 0.5 }, inputShape: [2, 3], inputData: xt(), expectedOutput: flat });
  });

  it('Concatenate and Add take lists', async () => {
    const a = T.tensor2d([[1, 2], [3, 4]]);
    const b = T.tensor2d([[5], [6]]);
    await runLayerTest({ layer: ConcatenateLayer, config: {}, inputShape: [[2, 2], [2, 1]], inputData: [a, b], expectedOutput: [1, 2, 5, 3, 4, 6] });
    const c = T.tensor2d([[10, 20], [30, 40]]);
    await runLayerTest({ layer: AddLayer, config: {}, inputShape: [[2, 2], [2, 2]], inputData: [a, c], expectedOutput: [11, 22, 33, 44] });
    T.dispose([a, b, c]);
  });
});

describe('runLayerTest can fail: each check catches a broken layer', () => {
  class Broken extends Layer {
    static override readonly className = 'BrokenForTest';
    flaw: string;
    kernel: T.Variable | null = null;
    constructor(config: LayerConfig & { flaw?: string } = {}) {
      const { flaw, ...rest } = config;
      super(rest, []);
      this.flaw = flaw ?? 'none';
    }
    override build(): void {
      this.kernel = this.addWeight('kernel', [3], 'ones');
    }
    call(inputs: T.Tensor | T.Tensor[], kwargs: CallKwargs): T.Tensor {
      void kwargs;
      const x = inputs as T.Tensor;
      if (this.flaw === 'gradient') {
        // right value, wrong gradient: the kernel's gradient is stopped and replaced by twice the input
        const k = this.kernel as T.Variable;
        const f = T.customGrad(((xx: T.Tensor, kk: T.Tensor, save: (t: T.Tensor[]) => void) => {
          save([xx]);
          return { value: T.mul(xx, kk), gradFunc: (dy: T.Tensor, [s]: T.Tensor[]) => [T.mul(dy, kk), T.sum(T.mul(T.mul(dy, s), 2), 0)] };
        }) as never) as unknown as (a: T.Tensor, b: T.Tensor) => T.Tensor;
        return f(x, k);
      }
      if (this.flaw === 'leak') T.keep(T.ones([2]));
      return T.mul(x, this.kernel as T.Variable);
    }
    override computeOutputShape(s: (number | null)[] | (number | null)[][]): (number | null)[] {
      return this.flaw === 'shape' ? [...(s as (number | null)[]), 1] : (s as (number | null)[]);
    }
    override getConfig(): LayerConfig {
      return { ...super.getConfig(), ...(this.flaw === 'config' ? {} : { flaw: this.flaw }) };
    }
    static fromConfig(c: LayerConfig): Broken {
      return new Broken(c as LayerConfig & { flaw?: string });
    }
  }

  it('shape, gradient, config, expected output, weight count and leak flaws are each caught', async () => {
    registerLayer(Broken);
    try {
      const base = { layer: Broken, inputShape: [2, 3] };
      await runLayerTest({ ...base, config: { flaw: 'none' }, expectedTrainableWeights: 1 });
      await expect(runLayerTest({ ...base, config: { flaw: 'shape' } })).rejects.toThrow(/output 0 has shape \[2, 3\] but computeOutputShape gives \[null, 3, 1\]/);
      await expect(runLayerTest({ ...base, config: { flaw: 'gradient' } })).rejects.toThrow(/d\/d .*kernel.*autodiff .* finite difference/);
      await expect(runLayerTest({ ...base, config: { flaw: 'config' } })).rejects.toThrow(/changed the config/);
      await expect(runLayerTest({ ...base, config: { flaw: 'none' }, expectedOutput: [1, 2, 3, 4, 5, 6], inputData: T.tensor2d([[1, 2, 3], [4, 5, 7]]) })).rejects.toThrow(
        /output 0\[5\] is 7, expected 6/,
      );
      await expect(runLayerTest({ ...base, config: { flaw: 'none' }, expectedTrainableWeights: 2 })).rejects.toThrow(/has 1 trainable weights, expected 2/);
      await expect(runLayerTest({ ...base, config: { flaw: 'leak' } })).rejects.toThrow(/left \d+ tensor\(s\) allocated/);
      await expect(runLayerTest({ layer: {} as never, config: {}, inputShape: [1] })).rejects.toThrow(/layer must be a layer class with a static className and fromConfig/);
    } finally {
      registry.delete('BrokenForTest');
    }
  });
});
