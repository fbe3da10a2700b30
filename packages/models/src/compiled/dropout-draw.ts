// A Dropout mask drawn into a compiled plan's memory: the layer's `nextMaskKey` (its stream's
// next Threefry key) and the SIMD loop write the tape path's numbers straight into the plan.
import type { Words2 } from '@neurona/tensor';
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

/** Whether a Dropout layer hands out its masks' keys (`DropoutLayer.nextMaskKey`), as the plan needs. */
export const hasMaskKey = (layer: Layer): boolean => typeof keyOf(layer) === 'function';

/** The key of `layer`'s next mask (a layer `hasMaskKey` accepted), advancing its stream as a training call does. */
export const nextMaskKey = (layer: Layer): Words2 => (keyOf(layer) as () => Words2).call(layer);

/** Draw `layer`'s next mask at `rate` into the plan (values 1/(1 − rate) kept, 0 dropped), and with `io` its output. */
export function drawDropoutMask(k: PlanKernels, mem: PlanMemory, layer: Layer, rate: number, at: MaskPlace): void {
  const { dst, rows, cols, ld, io } = at;
  const key = nextMaskKey(layer);
  // the mask's elements are row-major [rows, cols]: drawn contiguous, then spread to the row stride
  k.planDropoutMask(mem, key, rate, dst, rows * cols, ld === cols ? io : undefined);
  if (ld === cols) return;
  const h = mem.heap();
  for (let r = rows - 1; r > 0; r--) h.copyWithin(dst + r * ld, dst + r * cols, dst + r * cols + cols);
  if (io) k.maskedCopyRows(h, io.src, dst, io.out, ld, rows, cols);
}
