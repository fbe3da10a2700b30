import * as tfc from '@tensorflow/tfjs-core';
import type { BackendProvider } from '@neurona/tensor';
import { summarizeAdapter, isSoftwareAdapter, adapterLabel, type AdapterSummary } from '@neurona/backend-core';

interface GpuAdapterLike {
  info?: Partial<Record<keyof AdapterSummary, unknown>>;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

/** The browser's best WebGPU adapter, or throws why there is none. */
export async function webgpuAdapter(): Promise<AdapterSummary> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu) throw new Error('navigator.gpu is missing (WebGPU unsupported, disabled, or not a secure context)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() found no adapter');
  return summarizeAdapter(adapter);
}

/** Throws unless the adapter is a hardware one (software WebGPU is slower than wasm). */
export async function requireHardwareWebGPU(): Promise<void> {
  const a = await webgpuAdapter();
  if (isSoftwareAdapter(a)) throw new Error(`only a software adapter, ${adapterLabel(a)}; force it with { force: 'webgpu' }`);
}

/** tfjs-backend-webgpu on the browser's adapter, whatever it is (the hardware check is the caller's). */
export const webgpuProvider: BackendProvider = {
  name: 'webgpu',
  kind: 'gpu',
  // dataSync() works in browsers but stalls the GPU queue (tfjs warns): library code reads async
  capabilities: { memory: 'device', syncRead: false, gpu: true },
  load: async () => {
    const summary = await webgpuAdapter();
    // every WebGPU kernel, unless the page's bundler swapped in only those it uses (vite-plugin)
    await import('@neurona/backend-web/webgpu-kernels');
    if (!tfc.findBackendFactory('webgpu')) throw new Error('@tensorflow/tfjs-backend-webgpu did not register (navigator.gpu missing when it loaded)');
    return { ...summary, software: isSoftwareAdapter(summary) };
  },
};
