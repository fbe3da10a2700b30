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

/** Each layer's kernel and bias (null without one) in a flat buffer on `device`, and the floats it takes. */
export function paramLayout(device: GpuDevice, layers: KernelLayer[]): { kernels: GpuPlace[]; biases: (GpuPlace | null)[]; count: number } {
  const align = Math.max(device.limits.minStorageBufferOffsetAlignment / 4, 1);
  const kernels: GpuPlace[] = [];
  const biases: (GpuPlace | null)[] = [];
  let at = 0;
  for (const l of layers) {
    const w = l.inDim * l.units;
    kernels.push({ offset: at, length: w });
    biases.push(l.bias ? { offset: at + w, length: l.units } : null);
    at += w + (l.bias ? l.units : 0);
    at = Math.ceil(at / align) * align;
  }
  return { kernels, biases, count: at };
}

/** The byte range of layer `l`'s kernel and bias in a flat buffer (a binding). */
export function layerRange(kernels: GpuPlace[], biases: (GpuPlace | null)[], l: number): { offset: number; size: number } {
  const k = kernels[l];
  const b = biases[l];
  return { offset: k.offset * 4, size: (k.length + (b ? b.length : 0)) * 4 };
}
