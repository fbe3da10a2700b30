import { reshape, slice, type Tensor } from '@neurona/tensor';

/** Element `i` of a state vector, as a scalar. */
export function entry(state: Tensor, i: number): Tensor {
  return reshape(slice(state, [i], [1]), []);
}

/** Elements `[start, start + size)` of a state vector, reshaped to `shape` (default `[size]`). */
export function segment(state: Tensor, start: number, size: number, shape: number[] = [size]): Tensor {
  return reshape(slice(state, [start], [size]), shape);
}
