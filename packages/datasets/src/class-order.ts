import { shuffledIndices } from '@neurona/tensor';

/** The fixed seed of the embedded set's order (MNIST's year), so every install sees the same digits first. */
export const MNIST_ORDER_SEED = 1998;

/**
 * A deterministic order of `labels` in which every prefix is class-balanced: each class appears
 * in proportion to its share of the whole, within one sample, at every prefix length. Inside a
 * class the samples are shuffled with `seed` (the source files keep easier digits first).
 */
export function classBalancedOrder(labels: Uint8Array, numClasses = 10, seed = MNIST_ORDER_SEED): Int32Array {
  const members: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) members[labels[i]].push(i);
  const groups = members.map((m, c) => {
    const perm = shuffledIndices(m.length, seed + c);
    return Int32Array.from(perm, (j) => m[j]);
  });
  const n = labels.length;
  const taken = new Int32Array(numClasses);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    // Largest deficit first: the class furthest below its proportional share of k+1 samples.
    let best = -1;
    let bestDeficit = -Infinity;
    for (let c = 0; c < numClasses; c++) {
      if (taken[c] === groups[c].length) continue;
      const deficit = ((k + 1) * groups[c].length) / n - taken[c];
      if (deficit > bestDeficit) {
        bestDeficit = deficit;
        best = c;
      }
    }
    order[k] = groups[best][taken[best]++];
  }
  return order;
}
