import { allocate } from './allocate';
import { indicesByClass, type ClassLabels } from './labels';
import { shuffleInPlace, type Rng } from './random';

export interface PartSpec {
  /** Human name for messages: 'train', 'validation', 'test'. */
  name: string;
  size: number;
}

/**
 * Sample indices of each part. Without stratification, consecutive runs of the (shuffled)
 * order. With it, each class is cut in the proportions the parts have (see `allocate`). Parts
 * come out shuffled when `rng` is given, else ascending. Samples beyond the parts' total are left out.
 */
export function splitIndices(
  who: string,
  n: number,
  parts: PartSpec[],
  rng: Rng | null,
  labels: ClassLabels | null,
): number[][] {
  const used = parts.reduce((s, p) => s + p.size, 0);
  if (!labels) {
    const order = Array.from({ length: n }, (_, i) => i);
    if (rng) shuffleInPlace(order, rng);
    let at = 0;
    return parts.map((p) => order.slice(at, (at += p.size)));
  }

  const names = parts.map((p) => p.name);
  const needed = parts.length;
  labels.counts.forEach((count, c) => {
    if (count < needed) {
      throw new Error(
        `${who}: class ${labels.names[c]} has only ${count} sample${count === 1 ? '' : 's'}; ` +
          `stratifying into ${names.join(', ')} needs at least ${needed} per class`,
      );
    }
  });
  for (const p of parts) {
    if (p.size < labels.counts.length) {
      throw new Error(
        `${who}: the ${p.name} set (${p.size} samples) must be able to hold one sample of each of the ` +
          `${labels.counts.length} classes; make it larger or do not stratify`,
      );
    }
  }
  const sizes = parts.map((p) => p.size);
  if (used < n) sizes.push(n - used); // samples in no part
  const table = allocate(labels.counts, sizes, rng);
  const out = parts.map(() => [] as number[]);
  indicesByClass(labels).forEach((members, c) => {
    if (rng) shuffleInPlace(members, rng);
    let at = 0;
    parts.forEach((_, p) => {
      for (let k = 0; k < table[c][p]; k++) out[p].push(members[at++]);
    });
  });
  return out.map((idx) => (rng ? shuffleInPlace(idx, rng) : idx.sort((a, b) => a - b)));
}
