import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import * as tfc from '@tensorflow/tfjs-core';
import type { BackendProvider } from '@neurona/tensor';
import { summarizeAdapter, isSoftwareAdapter, type AdapterSummary } from '@neurona/backend-core';
import { resolveOptional } from './resolve';

interface GpuAdapterLike {
  info?: Partial<Record<keyof AdapterSummary, unknown>>;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

/** What to do on a machine whose Dawn finds no adapter. */
export const NO_ADAPTER_HINT =
  'no Vulkan/Metal/D3D driver Dawn accepts; without a GPU, install libvulkan1 and set ' +
  'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (SwiftShader from the chromium package)';

/** The entry file of the `webgpu` package (Dawn for Node), or throws why it is missing. */
export function dawnEntry(): string {
  const entry = resolveOptional('webgpu');
  if (!entry) throw new Error('the `webgpu` package (Dawn for Node, an optional dependency) is not installed');
  return entry;
}

/**
 * Give this process a browser-like `navigator.gpu` from Dawn, plus the WebGPU globals
 * (GPUBufferUsage, GPUMapMode, ...). tfjs-backend-webgpu registers itself only if
 * `navigator.gpu` exists when it is first evaluated, so this runs before importing it.
 */
export async function installDawnGlobals(): Promise<GpuLike> {
  const g = globalThis as unknown as Record<string, unknown> & { navigator?: { gpu?: GpuLike } };
  if (g.navigator?.gpu) return g.navigator.gpu;
  const dawn = (await import(pathToFileURL(dawnEntry()).href)) as DawnModule;
  for (const [k, v] of Object.entries(dawn.globals)) if (!(k in g)) g[k] = v;
  // The Vulkan loader prints an error line when XDG_RUNTIME_DIR is unset; give it one while
  // Dawn creates its instance (create + first requestAdapter), then put the variable back.
  const saved = process.env.XDG_RUNTIME_DIR;
  if (saved === undefined) process.env.XDG_RUNTIME_DIR = tmpdir();
  try {
    const gpu = dawn.create([]);
    await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
    else Object.defineProperty(g, 'navigator', { value: { gpu }, configurable: true, writable: true });
    return gpu;
  } finally {
    if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
  }
}

interface ReadSyncBackend {
  readSync(dataId: object): unknown;
}

const PATCHED = Symbol.for('@neurona/backend-node/readSync');

/**
 * tfjs-backend-webgpu reads GPU memory synchronously (dataSync, arraySync) through an
 * OffscreenCanvas, which Node lacks, so it dies with `OffscreenCanvas is not defined`. Replace
 * that with an error that says what to do instead.
 */
export function explainSyncReads(proto: ReadSyncBackend & { [PATCHED]?: boolean }): void {
  if (proto[PATCHED] || typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas !== 'undefined') return;
  const readSync = proto.readSync;
  proto.readSync = function (this: ReadSyncBackend, dataId: object) {
    try {
      return readSync.call(this, dataId);
    } catch (err) {
      if (!(err instanceof ReferenceError) || !/OffscreenCanvas/.test(err.message)) throw err;
      throw new Error(
        'WebGPU in Node cannot read GPU memory synchronously (dataSync/arraySync/bufferSync); ' +
          'use the async forms: await t.data(), await t.array()',
        { cause: err },
      );
    }
  };
  proto[PATCHED] = true;
}

/**
 * WebGPU through Dawn: takes whatever adapter Dawn gives (hardware or software); the decision
 * to skip software adapters unless forced is made by `useNodeBackend` before this runs.
 */
export const webgpuProvider: BackendProvider = {
  name: 'webgpu',
  kind: 'gpu',
  // synchronous reads throw in Node (explainSyncReads says what to do instead)
  capabilities: { memory: 'device', syncRead: false, gpu: true },
  load: async () => {
    const gpu = await installDawnGlobals();
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) throw new Error(`Dawn found no WebGPU adapter: ${NO_ADAPTER_HINT}`);
    const summary = summarizeAdapter(adapter);
    const mod = await import('@tensorflow/tfjs-backend-webgpu');
    explainSyncReads(mod.WebGPUBackend.prototype as unknown as ReadSyncBackend);
    if (!tfc.findBackendFactory('webgpu')) {
      throw new Error(
        '@tensorflow/tfjs-backend-webgpu was evaluated before navigator.gpu existed and did not register; ' +
          'import @neurona/backend-node before anything imports that package',
      );
    }
    return { ...summary, software: isSoftwareAdapter(summary) };
  },
};
