// A Vite plugin (Node side): the page ships only the kernels its models use. It replaces the
// modules `@neurona/backend-web/webgpu-kernels` and `/wasm-kernels` (every kernel, what the
// providers load by default) with ones that register only the listed kernels; the lists come
// from `recordKernels` of `@neurona/backend-web/kernel-set`, run on the page's model code.
import { readFileSync } from 'node:fs';
import { kernelModule, treeShakableCpuShared, type KernelSetBackend } from './kernel-set';

/** Which kernels to ship, per backend; a backend left out keeps all of its kernels. */
export type KernelLists = Partial<Record<KernelSetBackend, readonly string[]>>;

/** The part of Vite's plugin interface this plugin uses (no dependency on Vite's types). */
export interface KernelPlugin {
  name: string;
  enforce: 'pre';
  resolveId(id: string): string | null;
  load(id: string): string | null;
}

const PREFIX = '\0neurona-kernels:';

/**
 * `plugins: [neuronaKernels({ webgpu: kernels })]` in `vite.config.ts`: a WebGPU visit then
 * downloads only those WebGPU kernels. A kernel the page turns out to need and that is not in
 * the list fails at run time with tfjs's "Kernel 'X' not registered for backend 'webgpu'":
 * record the list from the page's real model code, and test the page on that backend.
 */
export function neuronaKernels(lists: KernelLists): KernelPlugin {
  for (const [backend, names] of Object.entries(lists)) {
    if (backend !== 'webgpu' && backend !== 'wasm') throw new Error(`neuronaKernels: unknown backend "${backend}"; expected 'webgpu' or 'wasm'`);
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw new Error(`neuronaKernels: ${backend} must be a list of kernel names`);
  }
  return {
    name: 'neurona-kernels',
    enforce: 'pre',
    resolveId(id) {
      const m = /^@neurona\/backend-web\/(webgpu|wasm)-kernels$/.exec(id);
      return m && lists[m[1] as KernelSetBackend] ? `${PREFIX}${m[1]}` : null;
    },
    load(id) {
      // with a WebGPU kernel list, the cpu helpers those kernels use, not all of them
      if (lists.webgpu && /tfjs-backend-webgpu[\\/]dist[\\/]kernel_utils[\\/]shared\.js$/.test(id)) return treeShakableCpuShared(readFileSync(id, 'utf8'));
      if (!id.startsWith(PREFIX)) return null;
      const backend = id.slice(PREFIX.length) as KernelSetBackend;
      return kernelModule(backend, lists[backend] ?? []);
    },
  };
}
