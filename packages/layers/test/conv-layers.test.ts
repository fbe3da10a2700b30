// Every convolution and pooling layer through runLayerTest, with outputs and gradients computed by
// PyTorch following Keras's maths (test/reference/conv_reference.py, committed as
// conv-expected.json): strides, both paddings, causal, dilation, groups, depth multiplier,
// transposed output sizes and outputPadding, channels_first, 1-D, 2-D and 3-D. Weights and inputs
// are closed forms both sides compute: value i with salt s is (((37i + 101s) mod 257) − 128) / 128.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { registerInitializer } from '@neurona/initializers';
import type { Initializer } from '@neurona/initializers';
import { registry, resetNames, runLayerTest, type LayerConfig, type TestableLayerClass } from '../src/index';
import * as L from '../src/index';

interface Case {
  name: string;
  className: string;
  config: LayerConfig;
  inputShape: number[];
  weightSalts: Record<string, number>;
  outputShape: number[];
  output: number[];
  inputGrad: number[];
  weightGrads: Record<string, number[]>;
}

const REF = JSON.parse(readFileSync(join(import.meta.dirname, 'reference', 'conv-expected.json'), 'utf8')) as { cases: Case[] };

function closedForm(n: number, salt: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (((i * 37 + salt * 101) % 257) - 128) / 128);
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

beforeAll(() => {
  registerInitializer(
    'ClosedForm',
    (config?: Record<string, unknown>) => {
      const salt = Number(config?.salt ?? 0);
      const init = (shape: number[]) => T.tensor(closedForm(size(shape), salt), shape);
      return Object.assign(init, { className: 'ClosedForm', getConfig: () => ({ salt }) }) as Initializer;
    },
    { package: 'NeuronaTest' },
  );
});

/** The option that initializes a weight of this layer class. */
function initializerOption(className: string, weight: string): string {
  if (weight === 'bias') return 'biasInitializer';
  if (weight === 'depthwise_kernel' || (weight === 'kernel' && className.startsWith('Depthwise'))) return 'depthwiseInitializer';
  if (weight === 'pointwise_kernel') return 'pointwiseInitializer';
  return 'kernelInitializer';
}

function configOf(c: Case): LayerConfig {
  const config: LayerConfig = { ...c.config };
  for (const [w, salt] of Object.entries(c.weightSalts)) config[initializerOption(c.className, w)] = { className: 'ClosedForm', config: { salt } };
  return config;
}

function classOf(className: string): TestableLayerClass {
  const cls = (L as unknown as Record<string, TestableLayerClass>)[`${className}Layer`];
  if (!cls || cls.className !== className) throw new Error(`no layer class ${className}Layer`);
  return cls;
}

function expectValues(got: ArrayLike<number>, want: number[], what: string, tol = 1e-4): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  let worst = 0;
  let at = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]));
    if (e > worst) [worst, at] = [e, i];
  }
  expect(worst, `${what}: worst error at ${at} (${got[at]} vs ${want[at]})`).toBeLessThan(tol);
}

describe('convolution and pooling layers against PyTorch (Keras semantics)', () => {
  for (const c of REF.cases) {
    it(`${c.name}: runLayerTest with PyTorch's outputs, and PyTorch's gradients`, async () => {
      resetNames();
      const cls = classOf(c.className);
      const config = configOf(c);
      const x = T.tensor(closedForm(size(c.inputShape), 1), c.inputShape);
      const nWeights = Object.keys(c.weightSalts).length;
      const report = await runLayerTest({
        layer: cls,
        config,
        inputShape: c.inputShape,
        inputData: x,
        expectedOutputShape: c.outputShape,
        expectedOutput: c.output,
        tolerance: 1e-4,
        expectedTrainableWeights: nWeights,
        expectedNonTrainableWeights: 0,
        gradients: true,
      });
      expect(report.checks).toContain('gradients');

      // gradients of sum(y · G) against PyTorch's, for the input and every weight
      const before = T.memory().numTensors;
      const layer = cls.fromConfig(JSON.parse(JSON.stringify(config)) as LayerConfig);
      const G = T.tensor(closedForm(size(c.outputShape), 99), c.outputShape);
      const xc = x.clone();
      const xv = T.variable(xc, true);
      xc.dispose();
      T.dispose(layer.apply(x));
      const weights = layer.trainableWeights;
      const { loss, grads } = T.valueAndGradients(() => T.sum(T.mul(layer.apply(xv), G)) as T.Scalar, [xv, ...weights]);
      expectValues(grads[0]!.dataSync(), c.inputGrad, 'd input');
      weights.forEach((w, i) => {
        const name = w.name.slice(w.name.indexOf('/') + 1).replace(/_\d+$/, '');
        expectValues(grads[i + 1]!.dataSync(), c.weightGrads[name], `d ${name}`);
      });
      expect(weights.length).toBe(Object.keys(c.weightGrads).length);
      T.dispose([loss, ...grads.filter((g): g is T.Tensor => g !== null), G, xv]);
      layer.dispose();
      expect(T.memory().numTensors, 'tensors left').toBe(before);
      x.dispose();
    });
  }

  it('every case names a registered class, and every new class has a case', () => {
    const classes = new Set(REF.cases.map((c) => c.className));
    for (const name of classes) expect(registry.get(name), name).toBeTruthy();
    for (const n of ['Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose', 'DepthwiseConv1D', 'DepthwiseConv2D', 'SeparableConv1D', 'SeparableConv2D']) {
      expect(classes.has(n), n).toBe(true);
    }
    for (const kind of ['Max', 'Average']) {
      for (const r of [1, 2, 3]) {
        expect(classes.has(`${kind}Pooling${r}D`)).toBe(true);
        expect(classes.has(`Global${kind}Pooling${r}D`)).toBe(true);
      }
    }
  });
});
