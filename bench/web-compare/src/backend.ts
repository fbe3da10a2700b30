import * as tf from '@tensorflow/tfjs';
import type { PageBackend } from '../../../examples/mnist-web/src/shared/params';

/** What the page shows about its backend (the same fields as the neurona page's). */
export interface BackendReport {
  chosen: string;
  summary: string;
  details: string[];
  notice: string | null;
}

// The backends tfjs does not bundle load on demand, as @neurona/backend-web loads them.
const loaders: Record<PageBackend, () => Promise<void>> = {
  webgpu: async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) throw new Error('navigator.gpu is missing');
    if (!(await gpu.requestAdapter())) throw new Error('navigator.gpu.requestAdapter() found no adapter');
    await import('@tensorflow/tfjs-backend-webgpu');
  },
  webgl: async () => {},
  wasm: async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { wasmPaths } = await import('./wasm-paths');
    wasm.setWasmPaths(wasmPaths);
  },
  cpu: async () => {},
};

async function start(name: PageBackend): Promise<void> {
  await loaders[name]();
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
}

/** A forced backend or nothing; else WebGPU first, then WebGL, wasm and cpu. */
export async function startBackend(force: PageBackend | null): Promise<BackendReport> {
  const order: PageBackend[] = force ? [force] : ['webgpu', 'webgl', 'wasm', 'cpu'];
  const details: string[] = [];
  let gpuReason: string | null = null;
  for (const name of order) {
    try {
      await start(name);
      details.push(`${name}: chosen`);
      const notice = gpuReason ? `WebGPU is not available in this browser: ${gpuReason}. Training runs on ${name} instead.` : null;
      return { chosen: name, summary: `${name}${force ? ' (forced)' : ''}`, details, notice };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (name === 'webgpu') gpuReason = reason;
      details.push(`${name}: skipped, ${reason}`);
    }
  }
  throw new Error(`no backend could start: ${details.join('; ')}`);
}
