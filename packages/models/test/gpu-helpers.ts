// Shared by the WebGPU plan's tests (gpu-plan, gpu-dataset, gpu-predict): Dawn in Node and the
// closeness they all assert.
import { expect } from 'vitest';
import { useNodeBackend } from '@neurona/backend-node';
import { webgpuDevice } from '@neurona/kernels/webgpu';

/**
 * Starts the webgpu backend on Dawn (SwiftShader here and on CI). False only on a machine without
 * any WebGPU adapter; any other failure throws.
 */
export async function startDawn(): Promise<boolean> {
  try {
    await useNodeBackend({ force: 'webgpu', silent: true, cpuForward: false });
    return webgpuDevice() !== null;
  } catch (e) {
    if (!/adapter|webgpu` package/i.test(String(e))) throw e;
    return false;
  }
}

/** Asserts equal lengths and max |a − b| / (1 + |b|) < tol (GPU sums run in another order than tfjs's). */
export function expectRelClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  expect(worst, what).toBeLessThan(tol);
}
