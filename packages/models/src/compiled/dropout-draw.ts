// A Dropout mask drawn into a compiled plan's memory: with the Dropout layer's `nextMaskKey`
// (its stream's next Threefry key) the SIMD loop writes the tape path's numbers straight into the
// plan; a layer without one (a custom Dropout) has its own `call` run on ones, as before.
import { ones, tidy } from '@neurona/tensor';
import type { Tensor, Words2 } from '@neurona/tensor';
import type { PlanMemory } from '@neurona/kernels';
import type { Layer } from '@neurona/layers';
import type { PlanKernels } from './dense-plan';

/** Where a mask goes: `rows × cols` values at `dst` with row stride `ld` (≥ cols), and optionally `out = src ⊙ mask` (same stride). */
export interface MaskPlace {
  dst: number;
  rows: number;
  cols: number;
  ld: number;
  io?: { src: number; out: number };
}

const keyOf = (layer: Layer) => (layer as unknown as { nextMaskKey?: () => Words2 }).nextMaskKey;

/** Draw `layer`'s next mask at `rate` into the plan (values 1/(1 − rate) kept, 0 dropped), and with `io` its output. */
export function drawDropoutMask(k: PlanKernels, mem: PlanMemory, layer: Layer, rate: number, at: MaskPlace): void {
  const { dst, rows, cols, ld, io } = at;
  const next = keyOf(layer);
  if (typeof next === 'function') {
    const key = next.call(layer);
    // the mask's elements are row-major [rows, cols]: drawn contiguous, then spread to the row stride
    k.planDropoutMask(mem, key, rate, dst, rows * cols, ld === cols ? io : undefined);
    if (ld !== cols) {
      const h = mem.heap();
      for (let r = rows - 1; r > 0; r--) h.copyWithin(dst + r * ld, dst + r * cols, dst + r * cols + cols);
    }
    if (ld === cols || !io) return;
  } else {
    const mask = tidy(() => layer.call(ones([rows, cols]), { training: true }) as Tensor);
    try {
      const values = mask.dataSync() as Float32Array;
      const h = mem.heap();
      for (let r = 0; r < rows; r++) h.set(values.subarray(r * cols, (r + 1) * cols), dst + r * ld);
    } finally {
      mask.dispose();
    }
    if (!io) return;
  }
  k.maskedCopyRows(mem.heap(), io.src, dst, io.out, ld, rows, cols);
}
