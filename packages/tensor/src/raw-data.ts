// Direct access to a tensor's memory inside a kernel, for the two backends whose memory is plain
// CPU memory: `cpu` (a JS typed array per tensor) and `wasm` (a region of the wasm heap). Fast
// kernels read and write it in place instead of going through a chain of tfjs kernels.
import type { KernelBackend, TensorInfo, DataType } from '@tensorflow/tfjs-core';

/** Typed arrays a kernel may read or fill. */
export type RawArray = Float32Array | Int32Array;

/** How one backend exposes tensor memory; `null` from `rawAccess` for other backends. */
export interface RawAccess {
  /** A view of the tensor's values (no copy). On wasm, allocating later may invalidate it. */
  view(info: TensorInfo): RawArray;
  /** A new float32/int32 output tensor; write its values through `view`. */
  alloc(shape: number[], dtype: 'float32' | 'int32'): TensorInfo;
}

interface CpuLike {
  data: { get(id: object): { values?: RawArray } | undefined };
  makeTensorInfo(shape: number[], dtype: DataType, values?: RawArray): TensorInfo;
}

interface WasmLike {
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

function size(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Raw memory access for `backendName`, or `null` when its memory is not CPU memory (webgpu). */
export function rawAccess(backend: KernelBackend, backendName: string): RawAccess | null {
  if (backendName === 'cpu') {
    const b = backend as unknown as CpuLike;
    return {
      view: (info) => {
        const v = b.data.get(info.dataId)?.values;
        if (!v) throw new Error('cpu tensor without values');
        return v;
      },
      alloc: (shape, dtype) => b.makeTensorInfo(shape, dtype, dtype === 'float32' ? new Float32Array(size(shape)) : new Int32Array(size(shape))),
    };
  }
  if (backendName === 'wasm') {
    const b = backend as unknown as WasmLike;
    return {
      view: (info) => {
        const off = b.dataIdMap.get(info.dataId)?.memoryOffset;
        if (off === undefined) throw new Error('wasm tensor not found');
        const buf = b.wasm.HEAPU8.buffer;
        return info.dtype === 'int32' ? new Int32Array(buf, off, size(info.shape)) : new Float32Array(buf, off, size(info.shape));
      },
      alloc: (shape, dtype) => b.makeOutput(shape, dtype),
    };
  }
  return null;
}
