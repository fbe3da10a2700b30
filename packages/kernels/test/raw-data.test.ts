// The raw-memory probe: it finds tensor memory where the pinned tfjs (4.22) keeps it on the cpu
// and wasm backends, and turns raw access off, with one warning, when the structure differs.
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import type { KernelBackend } from '@tensorflow/tfjs-core';
import * as T from '@neurona/tensor';
import { rawAccess } from '../src/raw-data';

/** A view and an allocation work on `backend`: values written through a view read back. */
function roundTrip(backend: KernelBackend, memory: 'host' | 'wasm-heap'): void {
  const raw = rawAccess(backend, memory, memory);
  expect(raw).not.toBeNull();
  const t = T.tensor2d([[1, 2], [3, 4]]);
  expect(Array.from(raw!.view(t))).toEqual([1, 2, 3, 4]);
  const info = raw!.alloc([3], 'int32');
  raw!.view(info).set([7, 8, 9]);
  expect(Array.from(backend.readSync(info.dataId) as Int32Array)).toEqual([7, 8, 9]);
  backend.disposeData(info.dataId);
}

describe('rawAccess probe', () => {
  afterAll(async () => {
    await T.setBackend('cpu');
  });

  it("works on the pinned tfjs cpu backend ('host')", async () => {
    await T.setBackend('cpu');
    roundTrip(tfc.backend(), 'host');
  });

  it("works on the pinned tfjs wasm backend ('wasm-heap')", async () => {
    await T.setBackend('wasm');
    roundTrip(tfc.backend(), 'wasm-heap');
    // the cpu backend is not a wasm heap: the probe says no
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(rawAccess(tfc.findBackend('cpu') as KernelBackend, 'wasm-heap', 'cpu-as-wasm')).toBeNull();
    warn.mockRestore();
  });

  it('is off, with one warning per backend, when the structure changed', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    // what a future tfjs might look like: data kept under another member
    const renamed = { store: new Map(), makeTensorInfo: () => ({}), readSync: () => [], disposeData: () => true } as unknown as KernelBackend;
    expect(rawAccess(renamed, 'host', 'future-cpu')).toBeNull();
    expect(rawAccess(renamed, 'host', 'future-cpu')).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/backend "future-cpu" declares memory 'host', but .* \(no data\.get\(\)\); its fast kernels are off/);
    // members still there but not holding the values: caught by writing and reading back
    const values = new Map<object, { values: Float32Array }>();
    const liar = {
      data: { get: (id: object) => values.get(id) },
      makeTensorInfo: (shape: number[], dtype: 'float32', v: Float32Array) => {
        const dataId = {};
        values.set(dataId, { values: v });
        return { dataId, shape, dtype };
      },
      readSync: () => new Float32Array(3),
      disposeData: () => true,
    } as unknown as KernelBackend;
    expect(rawAccess(liar, 'host', 'liar')).toBeNull();
    expect(String(warn.mock.calls[1][0])).toMatch(/\(values written through the view did not read back\)/);
    warn.mockRestore();
  });

  it("is null for memory JavaScript cannot reach ('device', 'opaque'), without a warning", () => {
    const warn = vi.spyOn(console, 'warn');
    expect(rawAccess(tfc.backend(), 'device', 'gpu')).toBeNull();
    expect(rawAccess(tfc.backend(), 'opaque', 'native')).toBeNull();
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
