// Replacing a tfjs built-in kernel for one backend, and putting the original back. Fast kernels
// use this for the few built-ins whose stock implementation is the bottleneck (the wasm backend's
// copying Identity, the cpu backend's index-computing elementwise kernels).
import * as tfc from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';

// On globalThis: tfjs's kernel registry is global, so two copies of this module (ESM and CJS
// builds) must share which built-ins are replaced and what the originals were.
const KEY = Symbol.for('@neurona/tensor/builtin-originals');
const originals = ((globalThis as unknown as Record<symbol, Map<string, KernelConfig> | undefined>)[KEY] ??= new Map());

/**
 * Register `make(original)` as `kernelName` on `backendName` (the original stays callable for the
 * cases the replacement does not handle). Does nothing if the backend lacks the kernel.
 */
export function overrideBuiltin(kernelName: string, backendName: string, make: (original: KernelFunc) => KernelFunc): void {
  const key = `${backendName}/${kernelName}`;
  if (originals.has(key)) return;
  const current = tfc.getKernel(kernelName, backendName);
  if (!current) return;
  originals.set(key, current);
  tfc.unregisterKernel(kernelName, backendName);
  tfc.registerKernel({ ...current, kernelFunc: make(current.kernelFunc) });
}

/** Put back every overridden built-in. */
export function restoreBuiltins(): void {
  for (const [key, config] of originals) {
    const [backendName, kernelName] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    tfc.unregisterKernel(kernelName, backendName);
    tfc.registerKernel(config);
  }
  originals.clear();
}
