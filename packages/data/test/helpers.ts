// Test helpers: read a tensor's values, count live tensors around a block.
import { memory, type Tensor } from '@neurona/tensor';

/** The values of a tensor as a plain nested array. */
export const values = (t: Tensor): unknown => t.arraySync();

/** Run `fn` and return how many tensors it left alive. */
export async function leaked(fn: () => Promise<void> | void): Promise<number> {
  const before = memory().numTensors;
  await fn();
  return memory().numTensors - before;
}

/** Numbers 0..n-1. */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
