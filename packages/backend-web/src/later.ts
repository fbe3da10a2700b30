// A page may ship some kernels and gradients as a lazy chunk (`later` of the Vite plugins in
// @neurona/backend-web/vite-plugin): those of a model its first visit does not train, such as the
// MNIST page's convnet. The page calls `loadLaterKernels()` before it runs such a model. The two
// modules are imported by package name so that the plugins can replace them in a bundle.
import { registerLaterGradients } from '@neurona/backend-web/later-gradients';
import { registerLaterKernels, registerTapeKernels } from '@neurona/backend-web/later-kernels';

/**
 * Register the kernels and gradients a page's bundle deferred (`neuronaKernels({ later })`,
 * `neuronaRegistrations({ later })`): the gradients for every backend, the WebGPU kernels (both
 * `later.webgpu` and `later.tape`) when the WebGPU backend has loaded. Call it after `useWebBackend` and before running a model that
 * needs them; calling it again does nothing more. Without those options (in Node, or a page that
 * defers nothing) every kernel and gradient is already registered and this resolves at once.
 *
 * ```ts
 * await useWebBackend();
 * if (kind === 'cnn') await loadLaterKernels();
 * ```
 */
export async function loadLaterKernels(): Promise<void> {
  await Promise.all([registerLaterGradients(), registerLaterKernels()]);
}

/**
 * Register what the tape needs of what a page's bundle deferred: the gradients, and the WebGPU
 * kernels of `neuronaKernels({ later: { tape } })` when the WebGPU backend has loaded. What
 * `ensureKernels()` of @neurona/tensor runs in a page (set when @neurona/backend-web is imported):
 * @neurona/models awaits it before anything runs on the tape. A no-op where nothing is deferred.
 */
export async function loadTapeKernels(): Promise<void> {
  await Promise.all([registerLaterGradients(), registerTapeKernels()]);
}
