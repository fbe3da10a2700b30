// On tfjs 4.22's wasm backend `Identity` copies its input, and the gradient tape runs it for every
// tensor an op saves for its backward pass (engine.clone): a training step copies its batch, its
// weights and its activations once more. Tensors are immutable (a Variable's assign rebinds it to
// new data), so the clone can share the data with a reference count, as the cpu backend does.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

interface RefCounting {
  incRef(dataId: object): void;
}

/** The wasm Identity kernel that shares its input's data (strings keep the original). */
export function sharedIdentity(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = (args.inputs as { x: TensorInfo }).x;
    if (x.dtype === 'string') return original(args);
    (args.backend as unknown as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
