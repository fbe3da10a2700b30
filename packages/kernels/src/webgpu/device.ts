// The GPU plan runs on tfjs-backend-webgpu's own device, so its buffers and the tensors' share
// one queue: the backend's recorded work is submitted before the plan's (queue order is the
// order of the values), and tensors come in and go out as GPU-to-GPU copies.
import { backend, getBackend, mul, scalar, tensor as tfTensor } from '@tensorflow/tfjs-core';
import type { DataType, Tensor } from '@tensorflow/tfjs-core';
import type { GpuBuffer, GpuDevice } from './gpu-types';

/** What the plan uses of tfjs-backend-webgpu's backend object (public members of its class). */
interface WebGpuBackendLike {
  device: GpuDevice;
  uploadToGPU(dataId: object): void;
  submitQueue(): void;
  endComputePassEncoder(): void;
  /** Its recorded, not yet submitted commands (null when there are none). */
  commandEncoder?: unknown;
}

function current(): WebGpuBackendLike | null {
  if (getBackend() !== 'webgpu') return null;
  const b = backend() as unknown as Partial<WebGpuBackendLike>;
  if (!b.device || typeof b.uploadToGPU !== 'function' || typeof b.submitQueue !== 'function' || typeof b.endComputePassEncoder !== 'function') return null;
  return b as WebGpuBackendLike;
}

/** The GPU device of the running tfjs webgpu backend, or null when the backend is another. */
export function webgpuDevice(): GpuDevice | null {
  return current()?.device ?? null;
}

/** Submit the backend's recorded commands, so that work the plan submits next runs after them. */
export function submitBackendWork(): void {
  const b = current();
  if (!b || !b.commandEncoder) return;
  // its open compute pass is ended first (a command buffer with an open pass is invalid)
  b.endComputePassEncoder();
  b.submitQueue();
}

/** A GPU copy of a tensor's values; `release` gives it back (after the copies reading it are submitted). */
export interface GpuCopy {
  buffer: GpuBuffer;
  /**
   * How the values are stored: tfjs-webgpu casts int32 to float32 by relabelling the same int32
   * buffer, so a float32 tensor may hold int32 words.
   */
  storage: DataType;
  release(): void;
}

/**
 * A GPU-to-GPU copy of `t`'s values (uploaded first when they are still on the CPU side);
 * `float`: stored as float32 words whatever tfjs keeps (one conversion kernel when it keeps int32).
 */
export function gpuCopyOf(t: Tensor, float = false): GpuCopy {
  const b = current();
  if (!b) throw new Error(`Internal: a GPU copy of a tensor on the ${getBackend()} backend`);
  b.uploadToGPU(t.dataId);
  const { buffer, tensorRef } = t.dataToGPU();
  if (float && tensorRef.dtype !== 'float32') {
    tensorRef.dispose();
    // a product with 1 writes float32 words
    const one = scalar(1, 'float32');
    if (t.dtype !== 'float32') throw new Error(`Internal: a float32 copy of a ${t.dtype} tensor`);
    const f = mul(t, one);
    one.dispose();
    try {
      return gpuCopyOf(f, false);
    } finally {
      f.dispose();
    }
  }
  return { buffer: buffer as unknown as GpuBuffer, storage: tensorRef.dtype, release: () => tensorRef.dispose() };
}

/** A new tensor holding a copy of the first values of `buffer` (the backend copies it: the buffer stays the caller's). */
export function tensorFromGpu(buffer: GpuBuffer, shape: number[], dtype: DataType = 'float32'): Tensor {
  submitBackendWork();
  return tfTensor({ buffer: buffer as never }, shape, dtype);
}
