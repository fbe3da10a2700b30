// The GPU plan runs on tfjs-backend-webgpu's own device, so its buffers and the tensors' share
// one queue: the backend's recorded work is submitted before the plan's (queue order is the
// order of the values), and tensors come in and go out as GPU-to-GPU copies.
import { backend, getBackend, tensor as tfTensor } from '@tensorflow/tfjs-core';
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
  release(): void;
}

/** A GPU-to-GPU copy of `t`'s values (uploaded first when they are still on the CPU side). */
export function gpuCopyOf(t: Tensor): GpuCopy {
  const b = current();
  if (!b) throw new Error(`Internal: a GPU copy of a tensor on the ${getBackend()} backend`);
  b.uploadToGPU(t.dataId);
  const { buffer, tensorRef } = t.dataToGPU();
  return { buffer: buffer as unknown as GpuBuffer, release: () => tensorRef.dispose() };
}

/** A new tensor holding a copy of the first values of `buffer` (the backend copies it: the buffer stays the caller's). */
export function tensorFromGpu(buffer: GpuBuffer, shape: number[], dtype: DataType = 'float32'): Tensor {
  submitBackendWork();
  return tfTensor({ buffer: buffer as never }, shape, dtype);
}
