// Where a dense chain's weights sit in one flat float buffer (the training plan's parameters,
// gradients and slots, the forward plan's parameters): each layer's kernel with its bias right
// after it, each layer starting at the device's storage-offset alignment (a layer's weights are
// bound as one range).
import type { GpuDevice } from './gpu-types';
import type { KernelLayer } from './wgsl';

/** Where a variable sits in the flat buffers (float offsets). */
export interface GpuPlace {
  offset: number;
  length: number;
}

/**
 * Each layer's kernel and bias (null without one) in a flat buffer on `device`, the floats it
 * takes, and where the trained layers end: frozen layers (`trainable: false`) are laid out after
 * the others, so the optimizer's pass covers `[0, trained)` only.
 */
export function paramLayout(device: GpuDevice, layers: KernelLayer[]): { kernels: GpuPlace[]; biases: (GpuPlace | null)[]; count: number; trained: number } {
  const align = Math.max(device.limits.minStorageBufferOffsetAlignment / 4, 1);
  const kernels: GpuPlace[] = layers.map(() => ({ offset: 0, length: 0 }));
  const biases: (GpuPlace | null)[] = layers.map(() => null);
  let at = 0;
  let trained = 0;
  for (const frozen of [false, true]) {
    layers.forEach((l, i) => {
      if ((l.trainable === false) !== frozen) return;
      const w = l.inDim * l.units;
      kernels[i] = { offset: at, length: w };
      biases[i] = l.bias ? { offset: at + w, length: l.units } : null;
      at += w + (l.bias ? l.units : 0);
      at = Math.ceil(at / align) * align;
    });
    if (!frozen) trained = at;
  }
  return { kernels, biases, count: at, trained };
}

/** The byte range of layer `l`'s kernel and bias in a flat buffer (a binding). */
export function layerRange(kernels: GpuPlace[], biases: (GpuPlace | null)[], l: number): { offset: number; size: number } {
  const k = kernels[l];
  const b = biases[l];
  return { offset: k.offset * 4, size: (k.length + (b ? b.length : 0)) * 4 };
}
