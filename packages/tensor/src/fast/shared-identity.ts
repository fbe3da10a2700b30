// On tfjs 4.22's wasm backend `Identity` copies its input, and the gradient tape runs it for every
// tensor an op saves for its backward pass (engine.clone): a training step copies its batch, its
// weights and its activations once more. Tensors are immutable (a Variable's assign rebinds it to
// new data), so the clone can share the data with a reference count, as the cpu backend does.
import * as tfc from '@tensorflow/tfjs-core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';

interface RefCounting {
  incRef(dataId: object): void;
}

let original: KernelConfig | null = null;

/** Replace (or, with `false`, restore) the wasm backend's Identity kernel by a sharing one. */
export function shareIdentityOnWasm(on: boolean): void {
  const current = tfc.getKernel('Identity', 'wasm');
  if (!current) return; // wasm backend not loaded
  if (on && !original) {
    original = current;
    tfc.unregisterKernel('Identity', 'wasm');
    tfc.registerKernel({
      kernelName: 'Identity',
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend }) => {
        const x = (inputs as { x: TensorInfo }).x;
        if (x.dtype === 'string') return original!.kernelFunc({ inputs, backend, attrs: {} }) as TensorInfo;
        (backend as unknown as RefCounting).incRef(x.dataId);
        return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
      },
    });
  } else if (!on && original) {
    tfc.unregisterKernel('Identity', 'wasm');
    tfc.registerKernel(original);
    original = null;
  }
}
