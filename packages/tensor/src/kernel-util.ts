// Neurona's own tfjs kernels. A kernel registered under a neurona name gets its own gradient
// (lazy, transpose-flag free) without touching the gradients tfjs registers for its built-in
// kernels, so code that uses tfjs directly (tfjs-layers) is unaffected. Each kernel has a portable
// body (a chain of the backend's own kernels); a kernel package may give a backend a faster body
// (`setKernelOverride`, exported through `@neurona/tensor/kernel-api`).
import * as tfc from '@tensorflow/tfjs-core';
import type { KernelFunc, KernelBackend, TensorInfo, NamedAttrMap, DataType } from '@tensorflow/tfjs-core';

/** A kernel body that does not care which backend runs it (it composes that backend's kernels). */
export type PortableKernel = (inputs: Record<string, TensorInfo>, backend: KernelBackend, attrs: NamedAttrMap) => TensorInfo;

// On globalThis, like the rest of the library's state (state.ts): tfjs's kernel registry is
// global, so when two copies of this module run in one process (ESM and CJS builds, or src and
// dist in tests) the bodies registered by one must be the ones the other's overrides change.
interface KernelTables {
  portable: Map<string, PortableKernel>;
  overrides: Map<string, Map<string, PortableKernel>>;
}
const TABLES = Symbol.for('@neurona/tensor/kernel-tables');
const tables = ((globalThis as unknown as Record<symbol, KernelTables | undefined>)[TABLES] ??= {
  portable: new Map(),
  overrides: new Map(),
});
const { portable, overrides } = tables;

/**
 * Declare a neurona kernel: `portableImpl` runs on any backend; `setKernelOverride` can give a
 * backend a faster body. Registration with tfjs happens lazily, per backend, on first use.
 */
export function defineKernel(kernelName: string, portableImpl: PortableKernel): void {
  portable.set(kernelName, portableImpl);
}

/**
 * `define` run once, on the first call of the function returned: kernels of ops that most
 * programs never use (recurrent, embedding, batch normalization) are defined when their op first
 * runs rather than at import, so a page bundle without the op leaves their code out.
 */
export function once(define: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    define();
  };
}

/**
 * Give the backend registered as `backendName` its own body for a neurona kernel (what a kernel
 * package does for the backends whose capabilities suit it); `null` removes it. The body may
 * hand cases it does not cover to `portableKernel(kernelName)`.
 */
export function setKernelOverride(kernelName: string, backendName: string, impl: PortableKernel | null): void {
  if (!portable.has(kernelName)) {
    throw new Error(`setKernelOverride: unknown neurona kernel "${kernelName}"; known: ${[...portable.keys()].join(', ')}`);
  }
  if (impl !== null && typeof impl !== 'function') throw new Error(`setKernelOverride: impl must be a function or null, got ${typeof impl}`);
  let m = overrides.get(kernelName);
  if (!m) overrides.set(kernelName, (m = new Map()));
  if (impl) m.set(backendName, impl);
  else m.delete(backendName);
}

/** The portable body of a neurona kernel (what an override falls back to for cases it skips). */
export function portableKernel(kernelName: string): PortableKernel {
  const impl = portable.get(kernelName);
  if (!impl) throw new Error(`neurona kernel "${kernelName}" is not defined`);
  return impl;
}

/** The body a neurona kernel has on a backend now: its override if any, else the portable one. */
function bodyFor(kernelName: string, backendName: string): PortableKernel {
  return overrides.get(kernelName)?.get(backendName) ?? portableKernel(kernelName);
}

/** Run a neurona kernel on the current backend, registering it there first if needed. */
export function runNeuronaKernel(kernelName: string, inputs: tfc.NamedTensorMap, attrs: NamedAttrMap = {}): tfc.Tensor {
  const backendName = tfc.getBackend();
  if (!tfc.getKernel(kernelName, backendName)) {
    // The registered function looks the body up on each call, so overrides set later apply.
    const kernelFunc: KernelFunc = ({ inputs: ins, backend, attrs: at }) =>
      bodyFor(kernelName, backendName)(ins as Record<string, TensorInfo>, backend as KernelBackend, (at ?? {}) as NamedAttrMap);
    tfc.registerKernel({ kernelName, backendName, kernelFunc });
  }
  return tfc.engine().runKernel(kernelName, inputs as unknown as tfc.NamedTensorMap, attrs) as tfc.Tensor;
}

/** Run a backend's built-in kernel from inside another kernel (no tape, no engine bookkeeping). */
export function callBackendKernel(
  kernelName: string,
  backend: KernelBackend,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const k = tfc.getKernel(kernelName, tfc.getBackend());
  if (!k) throw new Error(`Kernel '${kernelName}' not registered for backend '${tfc.getBackend()}'`);
  const out = k.kernelFunc({ inputs: inputs as never, backend, attrs });
  return (Array.isArray(out) ? out[0] : out) as TensorInfo;
}

/** Release an intermediate made inside a kernel. */
export function disposeIntermediate(backend: KernelBackend, info: TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** A chain of backend kernels inside a portable body; see `kernelChain`. */
export interface KernelChain {
  /** Run a backend kernel and remember its output. */
  k(name: string, inputs: Record<string, TensorInfo>, attrs?: NamedAttrMap): TensorInfo;
  /** A scalar made on the backend (what a tfjs op makes of a number operand). */
  scalar(value: number, dtype: DataType): TensorInfo;
  /** Release every output and scalar made so far except `keep`. */
  release(keep: TensorInfo[]): void;
}

/** Runs a chain of backend kernels, releasing the intermediates once the result is made. */
export function kernelChain(backend: KernelBackend): KernelChain {
  const made: TensorInfo[] = [];
  return {
    k(name, inputs, attrs = {}) {
      const out = callBackendKernel(name, backend, inputs, attrs);
      made.push(out);
      return out;
    },
    scalar(value, dtype) {
      const values = dtype === 'int32' ? new Int32Array([value]) : new Float32Array([value]);
      const info: TensorInfo = { dataId: backend.write(values, [], dtype), shape: [], dtype };
      made.push(info);
      return info;
    },
    release(keep) {
      for (const t of made) if (!keep.includes(t)) disposeIntermediate(backend, t);
    },
  };
}
