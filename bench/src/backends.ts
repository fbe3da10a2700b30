// Start one tfjs backend for this process. The bench sets backends up itself (rather than through
// @neurona/backend-node's automatic choice) so each child runs exactly the backend it was given.
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';
import { registerBackendProvider, setBackend, type BackendCapabilities, type BackendInfo } from '@neurona/tensor';
import type { BackendName } from './types';

const require = createRequire(import.meta.url);

/** Gives the process `navigator.gpu` from Dawn (the `webgpu` package) before tfjs-backend-webgpu loads. */
async function installDawn(): Promise<Record<string, unknown>> {
  const dawn = (await import('webgpu')) as unknown as { create(flags: string[]): { requestAdapter(o?: object): Promise<unknown> }; globals: Record<string, unknown> };
  const g = globalThis as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(dawn.globals)) if (!(k in g)) g[k] = v;
  const gpu = dawn.create([]);
  const adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' })) as { info?: Record<string, unknown> } | null;
  if (!adapter) throw new Error('Dawn found no WebGPU adapter (on a machine without a GPU set VK_ICD_FILENAMES to a software Vulkan driver)');
  Object.defineProperty(g, 'navigator', { value: { gpu }, configurable: true, writable: true });
  const info = adapter.info ?? {};
  return { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description };
}

/** What each backend the bench runs declares (as @neurona/backend-node's providers do). */
const CAPABILITIES: Record<BackendName, BackendCapabilities> = {
  cpu: { memory: 'host', syncRead: true, gpu: false },
  wasm: { memory: 'wasm-heap', syncRead: true, gpu: false },
  webgpu: { memory: 'device', syncRead: false, gpu: true },
};

/** Register and start `name`; returns what it is. */
export async function startBackend(name: BackendName): Promise<BackendInfo> {
  tfc.env().set('PROD', true);
  registerBackendProvider({
    name,
    kind: name === 'webgpu' ? 'gpu' : 'cpu',
    capabilities: CAPABILITIES[name],
    load: async () => {
      if (name === 'cpu') {
        await import('@tensorflow/tfjs-backend-cpu');
        return {};
      }
      if (name === 'wasm') {
        const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as { setWasmPaths(p: string): void };
        wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + sep);
        return { simd: await tfc.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: await tfc.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') };
      }
      const adapter = await installDawn();
      await import('@tensorflow/tfjs-backend-webgpu');
      return adapter;
    },
  });
  return setBackend(name);
}
