import { useWebBackend, type WebBackendChoice } from '@neurona/backend-web';
import { wasmPaths } from '@neurona/backend-web/vite';
import type { PageBackend } from './shared/params';

/** The backend the page runs on, in words for the page. */
export interface BackendReport {
  choice: WebBackendChoice;
  /** `webgpu (google swiftshader, software adapter; preferred)` */
  summary: string;
  /** One line per backend tried: taken or skipped, and why. */
  details: string[];
  /** Set when WebGPU was tried and could not start: what happened and where training runs instead. */
  notice: string | null;
}

/** `tried` of a BackendChoice (or of the error when a forced backend fails), one line each. */
export function describeAttempts(tried: WebBackendChoice['tried']): string[] {
  return tried.map((t) => `${t.name}: ${t.ok ? 'chosen' : 'skipped'}, ${t.reason}`);
}

/**
 * Start a backend. With `backend` set it is forced: it runs or this throws why (the page shows
 * it; no silent fallback). Without it WebGPU is tried first, even a software adapter (this page
 * exists to show WebGPU training), then WebGL, wasm and cpu as `useWebBackend` orders them.
 * The wasm binaries come from this app's own assets (`@neurona/backend-web/vite`), never a CDN.
 * On wasm (and cpu) neurona's fast kernels are turned on, so `fit` trains on a compiled plan
 * (one thread: in a browser they run on the page's thread).
 */
export async function startBackend(backend: PageBackend | null): Promise<BackendReport> {
  const choice = await useWebBackend(backend ? { force: backend, wasmPaths, fastKernels: true } : { prefer: 'webgpu', wasmPaths, fastKernels: true });
  const won = choice.tried.find((t) => t.ok);
  const gpu = choice.tried.find((t) => t.name === 'webgpu' && !t.ok);
  const fast = choice.fastKernels ? ` · fast kernels on ${choice.fastKernels.threads} thread${choice.fastKernels.threads === 1 ? '' : 's'}` : '';
  return {
    choice,
    summary: `${choice.chosen}${won?.reason ? ` (${won.reason})` : ''}${fast}`,
    details: describeAttempts(choice.tried),
    notice: gpu ? `WebGPU is not available in this browser: ${gpu.reason}. Training runs on ${choice.chosen} instead.` : null,
  };
}
