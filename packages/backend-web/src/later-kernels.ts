// The WebGPU kernels a page deferred (`later` of `neuronaKernels`, @neurona/backend-web/vite-plugin),
// registered on request. Without the plugin every kernel is registered when its backend loads, so
// this module has nothing to do; the plugin replaces it in a page's bundle with one that imports
// the deferred kernels' chunk.

/** Register the kernels deferred at bundle time for the backends loaded so far (none here). */
export async function registerLaterKernels(): Promise<void> {}

/** Register those of the deferred kernels that the tape needs (`later.tape`; none here). */
export async function registerTapeKernels(): Promise<void> {}
