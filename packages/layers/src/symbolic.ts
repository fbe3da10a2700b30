import type { DataType, Shape } from '@neurona/tensor';
import type { Layer } from './layer';
import { formatShape } from './shape';

// A brand rather than `instanceof`: an ESM and a CJS copy of this package still recognize each
// other's symbolic tensors.
const BRAND = Symbol.for('@neurona/layers/SymbolicTensor');
let nextId = 0;

/**
 * A placeholder for a tensor in a functional graph: what `Input()` and a layer applied to another
 * symbolic tensor return. It knows its shape (batch dimension `null`), dtype, and where it comes
 * from: output `tensorIndex` of call `nodeIndex` of `sourceLayer` (`sourceLayer.inboundNodes[nodeIndex]`).
 */
export class SymbolicTensor {
  readonly [BRAND] = true;
  /** Unique per process; handy as a map key when running a graph. */
  readonly id: number;

  constructor(
    readonly dtype: DataType,
    readonly shape: Shape,
    readonly sourceLayer: Layer,
    readonly nodeIndex: number,
    readonly tensorIndex: number,
    readonly name: string,
    /**
     * Whether the tensor carries a mask when the graph runs (Keras's `_keras_mask` on a symbolic
     * tensor): true downstream of a layer that makes one (Embedding with `maskZero`, Masking) as
     * long as the layers on the way pass it on (`supportsMasking`).
     */
    readonly hasMask: boolean = false,
  ) {
    this.id = nextId++;
  }

  /** Number of dimensions, batch included. */
  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `SymbolicTensor "${this.name}" ${formatShape(this.shape)} ${this.dtype}${this.hasMask ? ' (masked)' : ''}`;
  }
}

/** True for a SymbolicTensor (from `Input` or a layer applied to one), false for concrete tensors. */
export function isSymbolic(x: unknown): x is SymbolicTensor {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
}
