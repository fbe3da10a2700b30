// tfjs-layers 4.22 fit(): the baseline. It always runs on tfjs's own kernels.
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { activations, layerSizes, trainingOf } from '../data';
import type { CaseSetup, EpochHooks, Trainer } from './trainer';

/**
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter, so tfjs-layers cannot train a convnet on
 * wasm at all. The bench supplies one made of tfjs-wasm's own kernels, for what the cnn case needs
 * (stride 1, 'valid', NHWC): dW[kh, kw, c, o] = Σ x[n, i + kh, j + kw, c]·dy[n, i, j, o] is a
 * 'valid' Conv2D of x as [C, H, W, N] with dy as the filter [OH, OW, N, O], transposed back.
 */
export function supplyWasmConv2DBackpropFilter(): boolean {
  if (tfc.getKernel('Conv2DBackpropFilter', 'wasm') || !tfc.getKernel('Conv2D', 'wasm')) return false;
  tfc.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tfc.TensorInfo; dy: tfc.TensorInfo };
      const a = attrs as unknown as { strides: number | number[]; pad: unknown; dataFormat: string; filterShape: number[] };
      const strides = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
      if (strides.some((v) => v !== 1) || a.pad !== 'valid' || a.dataFormat !== 'NHWC') {
        throw new Error('bench: the supplied wasm Conv2DBackpropFilter covers stride 1, valid, NHWC only');
      }
      const run = (name: string, ins: Record<string, tfc.TensorInfo>, at: Record<string, unknown>) =>
        (tfc.getKernel(name, 'wasm') as tfc.KernelConfig).kernelFunc({ inputs: ins as never, backend, attrs: at as never }) as tfc.TensorInfo;
      const xt = run('Transpose', { x }, { perm: [3, 1, 2, 0] });
      const dyt = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
      const c = run('Conv2D', { x: xt, filter: dyt }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] });
      const out = run('Transpose', { x: c }, { perm: [1, 2, 0, 3] });
      for (const t of [xt, dyt, c]) (backend as tfc.KernelBackend).disposeData(t.dataId);
      return out;
    },
  });
  return true;
}

function convnet(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dropout({ rate: 0.5 }));
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

export function tfjsLayers(setup: CaseSetup): Trainer {
  let model: tfl.Sequential;
  if (setup.caseName === 'cnn') {
    if (setup.backend === 'wasm') supplyWasmConv2DBackpropFilter();
    model = convnet();
  } else {
    const sizes = layerSizes(setup.caseName);
    model = tfl.sequential();
    activations(setup.caseName).forEach((activation, l) => {
      model.add(tfl.layers.dense({ units: sizes[l + 1], activation, ...(l === 0 ? { inputShape: [sizes[0]] } : {}) }));
    });
  }
  // Keras's Adam defaults (epsilon 1e-7) for the cnn and mlp_adam
  const optimizer = setup.optimizer === 'adam' ? tfc.train.adam(setup.learningRate, 0.9, 0.999, 1e-7) : tfc.train.sgd(setup.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  const init = setup.weights.map((w) => T.tensor(w.values, w.shape));
  model.setWeights(init);
  T.dispose(init);
  return {
    async train(epochs: number, hooks: EpochHooks): Promise<void> {
      await model.fit(setup.x, setup.y, {
        epochs,
        batchSize: setup.batchSize,
        shuffle: trainingOf(setup.caseName).shuffle,
        verbose: 0,
        // tfjs-layers' best case: no yielding to the event loop during an epoch
        yieldEvery: 'never',
        callbacks: {
          onEpochBegin: async (epoch: number) => hooks.begin(epoch),
          onEpochEnd: async (epoch: number, logs?: tfl.Logs) => hooks.end(epoch, Number(logs?.loss)),
        },
      });
    },
    predict(x: Tensor, batchSize: number): Tensor {
      return model.predict(x, { batchSize }) as Tensor;
    },
    dispose(): void {
      model.dispose();
      // the optimizer is not owned by the model in tfjs-layers
      model.optimizer.dispose();
    },
  };
}
