// Replacing a tfjs built-in kernel for one backend, and putting the original back. Fast kernels
// use this for the few built-ins whose stock implementation is the bottleneck (the wasm backend's
// copying Identity, the cpu backend's index-computing elementwise kernels).
import * as tfc from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';

// On globalThis: tfjs's kernel registry is global, so two copies of this module (ESM and CJS
// builds) must share which built-ins are replaced and what the originals were.
const KEY = Symbol.for('@neurona/kernels/builtin-originals');
const originals = ((globalThis as unknown as Record<symbol, Map<string, KernelConfig> | undefined>)[KEY] ??= new Map());

/** A replacement body made from the original (kept for the cases it does not handle). */
export type BuiltinReplacement = (original: KernelFunc, backendName: string) => KernelFunc;

/**
 * Register `make(original, backendName)` as `kernelName` on `backendName`. Does nothing if the
 * backend lacks the kernel (its package is not loaded yet) or it is already replaced.
 */
export function overrideBuiltin(kernelName: string, backendName: string, make: BuiltinReplacement): void {
  const key = `${backendName}/${kernelName}`;
  if (originals.has(key)) return;
  const current = tfc.getKernel(kernelName, backendName);
  if (!current) return;
  originals.set(key, current);
  tfc.unregisterKernel(kernelName, backendName);
  tfc.registerKernel({ ...current, kernelFunc: make(current.kernelFunc, backendName) });
}

/** Put back the overridden built-ins of `backendName`, or of every backend when it is omitted. */
export function restoreBuiltins(backendName?: string): void {
  for (const [key, config] of originals) {
    if (backendName !== undefined && config.backendName !== backendName) continue;
    tfc.unregisterKernel(config.kernelName, config.backendName);
    tfc.registerKernel(config);
    originals.delete(key);
  }
}

/** The replaced built-ins now, as `backend/kernel`. */
export function replacedBuiltins(): string[] {
  return [...originals.keys()];
}
