// A Vite plugin for tests: the built page notes every WebGPU kernel it looks up before a lazy
// chunk of deferred kernels (kernels.json's `tape` or `later`) is loaded, in
// `globalThis.neuronaEagerKernels`. Those are the kernels a WebGPU visit needs when the backend
// starts (kernels.json's `webgpu`): the chunks are loaded by loadLaterKernels() (the CNN, a .keras
// file) and by ensureKernels() before anything runs on the tape.

const REGISTRY = /@tensorflow[\\/]tfjs-core[\\/]dist[\\/]kernel_registry\.js$/;
const GET_KERNEL = 'export function getKernel(kernelName, backendName) {';

/** The probe: records kernel look-ups (tfjs-core's getKernel, which every kernel call goes through). */
export function kernelProbe(): { name: string; enforce: 'pre'; transform(code: string, id: string): string | null } {
  return {
    name: 'neurona-kernel-probe',
    enforce: 'pre',
    transform(code, id) {
      if (id === '\0neurona-kernels:webgpu-later' || id === '\0neurona-kernels:webgpu-tape') return `globalThis.neuronaLaterLoaded = true;\n${code}`;
      if (!REGISTRY.test(id.split('?')[0])) return null;
      if (!code.includes(GET_KERNEL)) throw new Error(`kernelProbe: ${id} has no "${GET_KERNEL}" (another tfjs-core version?)`);
      return code.replace(GET_KERNEL, `${GET_KERNEL}\n    if (backendName === 'webgpu' && !globalThis.neuronaLaterLoaded) (globalThis.neuronaEagerKernels ??= new Set()).add(kernelName);`);
    },
  };
}
