// Direct access to a tensor's memory inside a kernel, for backends that declare memory JavaScript
// can reach: 'host' (tfjs cpu: a typed array per tensor) and 'wasm-heap' (tfjs wasm: a region of
// the WebAssembly heap). Fast kernels read and write it in place instead of chaining tfjs kernels.
//
// tfjs does not publish where a backend keeps its data, so this reads private members of the
// tfjs 4.22 cpu and wasm backends. A probe checks, once per backend instance, that they are still
// there and still hold the tensor's values (write through the view, read back with the public
// readSync); if a tfjs version changes them, raw access for that backend is off, with a warning,
// and every kernel falls back to its portable body.
import * as tfc from '@tensorflow/tfjs-core';
import type { KernelBackend, TensorInfo, DataType } from '@tensorflow/tfjs-core';
import type { BackendMemory } from '@neurona/tensor/kernel-api';
import { state } from './state';

/**
 * Typed arrays a kernel may read or fill. Outputs made by `alloc` are Float32Array or Int32Array;
 * an input may hold another array than its dtype says (tfjs's cpu backend casts bool to float32
 * by sharing the Uint8Array), so code that needs a Float32Array checks for one.
 */
export type RawArray = Float32Array | Int32Array | Uint8Array;

/** How one backend exposes tensor memory; `null` from `rawAccess` when it does not. */
export interface RawAccess {
  /** A view of a float32/int32 tensor's values (no copy). On wasm, allocating later may invalidate it. */
  view(info: TensorInfo): RawArray;
  /** A new float32/int32 output tensor; write its values through `view`. */
  alloc(shape: number[], dtype: 'float32' | 'int32'): TensorInfo;
}

interface HostLike {
  data?: { get?(id: object): { values?: unknown } | undefined };
  makeTensorInfo?(shape: number[], dtype: DataType, values?: Float32Array | Int32Array): TensorInfo;
}

interface WasmHeapLike {
  dataIdMap?: { get?(id: object): { memoryOffset?: number } | undefined };
  wasm?: { HEAPU8?: Uint8Array };
  makeOutput?(shape: number[], dtype: DataType): TensorInfo;
}

function size(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function hostAccess(backend: KernelBackend): RawAccess | string {
  const b = backend as unknown as HostLike;
  if (typeof b.data?.get !== 'function') return 'no data.get()';
  if (typeof b.makeTensorInfo !== 'function') return 'no makeTensorInfo()';
  const data = b.data as { get(id: object): { values?: unknown } | undefined };
  const make = b.makeTensorInfo.bind(b);
  return {
    view: (info) => {
      const v = data.get(info.dataId)?.values;
      if (!(v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array)) throw new Error(`no numeric values for a ${info.dtype} tensor of this backend`);
      return v;
    },
    alloc: (shape, dtype) => make(shape, dtype, dtype === 'float32' ? new Float32Array(size(shape)) : new Int32Array(size(shape))),
  };
}

function wasmHeapAccess(backend: KernelBackend): RawAccess | string {
  const b = backend as unknown as WasmHeapLike;
  if (typeof b.dataIdMap?.get !== 'function') return 'no dataIdMap.get()';
  if (!(b.wasm?.HEAPU8 instanceof Uint8Array)) return 'no wasm.HEAPU8';
  if (typeof b.makeOutput !== 'function') return 'no makeOutput()';
  const map = b.dataIdMap as { get(id: object): { memoryOffset?: number } | undefined };
  const wasm = b.wasm;
  const make = b.makeOutput.bind(b);
  return {
    view: (info) => {
      const off = map.get(info.dataId)?.memoryOffset;
      if (typeof off !== 'number') throw new Error('tensor not found in the wasm heap');
      // the heap's buffer changes when it grows: look it up on every view
      const buf = (wasm.HEAPU8 as Uint8Array).buffer;
      return info.dtype === 'int32' ? new Int32Array(buf, off, size(info.shape)) : new Float32Array(buf, off, size(info.shape));
    },
    alloc: (shape, dtype) => make(shape, dtype),
  };
}

/** Writes through a fresh tensor's view and reads it back with the backend's public readSync. */
function verify(backend: KernelBackend, raw: RawAccess): string | null {
  const probe = [1.5, -2.25, 3];
  let info: TensorInfo | null = null;
  try {
    info = raw.alloc([probe.length], 'float32');
    const v = raw.view(info);
    if (!(v instanceof Float32Array) || v.length !== probe.length) return 'a view of the wrong type or length';
    v.set(probe);
    const back = backend.readSync(info.dataId) as ArrayLike<number>;
    for (let i = 0; i < probe.length; i++) if (back[i] !== probe[i]) return 'values written through the view did not read back';
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    if (info) backend.disposeData(info.dataId);
  }
}

/**
 * Raw memory access for a backend that declared `memory`, or `null` when that memory is not
 * reachable from JavaScript ('device', 'opaque') or the probe failed for this tfjs version.
 * `backendName` is for the warning only.
 */
export function rawAccess(backend: KernelBackend, memory: BackendMemory, backendName: string): RawAccess | null {
  if (memory !== 'host' && memory !== 'wasm-heap') return null;
  const probes = state().probes;
  let verdicts = probes.get(backend);
  if (!verdicts) probes.set(backend, (verdicts = {}));
  const known = verdicts[memory];
  if (known !== undefined) return known;
  const made = memory === 'host' ? hostAccess(backend) : wasmHeapAccess(backend);
  const problem = typeof made === 'string' ? made : verify(backend, made);
  const result = problem === null ? (made as RawAccess) : null;
  verdicts[memory] = result;
  if (problem !== null) {
    console.warn(
      `@neurona/kernels: backend "${backendName}" declares memory '${memory}', but its tensors are not where ` +
        `@tensorflow/tfjs-core ${tfc.version_core} kept them (${problem}); its fast kernels are off, neurona's ops use their portable bodies`,
    );
  }
  return result;
}
