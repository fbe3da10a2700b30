// Shared by the WebGPU plan's tests (gpu-plan, gpu-dataset, gpu-predict): Dawn in Node and the
// closeness they all assert.
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import type { Tensor } from '@neurona/tensor';
import { useNodeBackend } from '@neurona/backend-node';
import { webgpuDevice } from '@neurona/kernels/webgpu';

// Dawn finds a Vulkan driver through VK_ICD_FILENAMES: Debian's Chromium ships SwiftShader's.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

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

/** The values of `ts` (read asynchronously, as WebGPU needs), then disposes them. */
export async function values(ts: Tensor[]): Promise<Float32Array[]> {
  const out = await Promise.all(ts.map(async (t) => Float32Array.from(await t.data())));
  for (const t of ts) t.dispose();
  return out;
}

/** What a trajectory test keeps of a fit: weights, optimizer state, history, the plan line, tensors leaked, the log. */
export interface Run {
  weights: Float32Array[];
  opt: Float32Array[];
  history: Record<string, number[]>;
  plan: string | undefined;
  leaked: number;
  lines: string;
}
