/** A requested part size: a fraction of all samples, a count, or undefined for "the rest". */
export interface SizeRequest {
  name: string;
  value: number | undefined;
  /** Fractions round up for held-out parts (test, validation) and down for train, as scikit-learn. */
  round: 'up' | 'down';
}

// 0.07 * 100 is 7.000000000000001 in floating point; scikit-learn rounds that up to 8 test
// samples. Snapping within 1e-9 of an integer gives the 7 a user asked for.
const SNAP = 1e-9;

function toCount(who: string, r: SizeRequest, n: number): number {
  const v = r.value as number;
  const expected = `a fraction in (0, 1) or a whole count in [1, ${n - 1}]`;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new Error(`${who}: ${r.name} must be ${expected}, got ${String(v)}`);
  }
  if (v < 1) return r.round === 'up' ? Math.ceil(v * n - SNAP) : Math.floor(v * n + SNAP);
  if (!Number.isInteger(v) || v >= n) throw new Error(`${who}: ${r.name} must be ${expected}, got ${v}`);
  return v;
}

/**
 * Sample counts of each part, in request order, as scikit-learn's `_validate_shuffle_split`: at
 * most one part is "the rest"; when none is, samples left over belong to no part.
 */
export function resolveSizes(who: string, n: number, requests: SizeRequest[]): number[] {
  if (n < 2) throw new Error(`${who}: need at least 2 samples to split, got ${n}`);
  const fractions = requests.filter((r) => r.value !== undefined && r.value > 0 && r.value < 1);
  const fractionSum = fractions.reduce((s, r) => s + (r.value as number), 0);
  if (fractions.length > 1 && fractionSum > 1 + SNAP) {
    throw new Error(
      `${who}: ${fractions.map((r) => r.name).join(' + ')} must add up to at most 1, got ${+fractionSum.toFixed(12)}`,
    );
  }
  const counts = requests.map((r) => (r.value === undefined ? 0 : toCount(who, r, n)));
  const given = counts.reduce((s, c) => s + c, 0);
  const asked = requests
    .map((r, i) => (r.value === undefined ? '' : `${r.name} ${r.value} → ${counts[i]}`))
    .filter(Boolean)
    .join(', ');
  if (given > n) {
    throw new Error(`${who}: the sizes need ${given} samples (${asked}) but there are only ${n}`);
  }
  const rest = requests.findIndex((r) => r.value === undefined);
  if (rest >= 0) counts[rest] = n - given;
  requests.forEach((r, i) => {
    if (counts[i] === 0) {
      throw new Error(`${who}: with ${n} samples and ${asked}, the ${r.name.replace(/Size$/, '')} set would be empty`);
    }
  });
  return counts;
}
