import * as tfc from '@tensorflow/tfjs-core';
import type { TensorContainer, MemoryInfo, Tensor } from '@tensorflow/tfjs-core';

/** Run `fn` and dispose every tensor it made except those it returns (or `keep`s). */
export function tidy<T extends TensorContainer>(fn: () => T): T;
export function tidy<T extends TensorContainer>(name: string, fn: () => T): T;
export function tidy<T extends TensorContainer>(a: string | (() => T), b?: () => T): T {
  return typeof a === 'string' ? tfc.tidy(a, b as () => T) : tfc.tidy(a);
}

/** Dispose tensors (or any nested container of them). */
export function dispose(container: TensorContainer): void {
  tfc.dispose(container);
}

/** Keep a tensor made inside `tidy` alive after the scope ends. */
export function keep<T extends Tensor>(t: T): T {
  return tfc.keep(t);
}

/** Tensors and bytes alive on the current backend: `memory().numTensors` is the leak check. */
export function memory(): MemoryInfo {
  return tfc.memory();
}

/** True when the tensor's memory has been released. */
export function isDisposed(t: Tensor): boolean {
  return t.isDisposed;
}
