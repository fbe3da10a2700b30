// Keras's approximate quantile summaries for `Discretization.adapt` (its `summarize`,
// `merge_summaries`, `compress_summary`, `get_bin_boundaries`), with NumPy's float32 steps
// reproduced (Math.fround) so the boundaries are Keras's.

/** A summary: partition values and their weights (counts), as Keras's 2 × n array. */
export interface Summary {
  values: number[];
  weights: number[];
}

/** The empty summary of a layer before any batch. */
export const emptySummary = (): Summary => ({ values: [], weights: [] });

/** np.arange(0, 1, step): NumPy's length ceil((stop - start) / step) and values start + i·step. */
function arange01(step: number): number[] {
  const n = Math.ceil(1 / step);
  return Array.from({ length: n }, (_, i) => i * step);
}

/** np.interp(x, xp, fp) for increasing xp (clamped at both ends). */
export function interp(x: number, xp: number[], fp: number[]): number {
  const n = xp.length;
  if (x <= xp[0]) return fp[0];
  if (x >= xp[n - 1]) return fp[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xp[mid] <= x) lo = mid;
    else hi = mid;
  }
  if (x === xp[lo]) return fp[lo];
  const slope = (fp[hi] - fp[lo]) / (xp[hi] - xp[lo]);
  return fp[lo] + slope * (x - xp[lo]);
}

/** Keras's `summarize(values, epsilon)` of one batch (values taken as float32). */
export function summarize(values: ArrayLike<number>, epsilon: number): Summary {
  const sorted = Float32Array.from(values).sort();
  const n = sorted.length;
  const increment = n / (1 / epsilon);
  const step = Math.max(increment, 1);
  const start = Math.trunc(step - 1);
  const stride = Math.trunc(step);
  const out: Summary = { values: [], weights: [] };
  for (let i = start; i < n; i += stride) {
    out.values.push(sorted[i]);
    out.weights.push(Math.fround(step));
  }
  return out;
}

/** Keras's `compress_summary`. */
export function compressSummary(summary: Summary, epsilon: number): Summary {
  const n = summary.values.length;
  if (n * epsilon < 1) return summary;
  const percents = arange01(epsilon).map((p) => epsilon + p);
  // float32 cumulative sum and percentages, as NumPy computes them on a float32 array
  const cum: number[] = [];
  let acc = 0;
  for (const w of summary.weights) {
    acc = Math.fround(acc + w);
    cum.push(acc);
  }
  const last = cum[n - 1];
  const cumPct = cum.map((c) => Math.fround(c / last));
  const newBins = percents.map((p) => interp(p, cumPct, summary.values));
  const newCum = percents.map((p) => interp(p, cumPct, cum));
  const newWeights = newCum.map((c, i) => c - (i === 0 ? 0 : newCum[i - 1]));
  return { values: newBins.map(Math.fround), weights: newWeights.map(Math.fround) };
}

/** Keras's `merge_summaries`: concatenate, sort by value, compress. */
export function mergeSummaries(a: Summary, b: Summary, epsilon: number): Summary {
  const pairs = a.values.map((v, i) => [v, a.weights[i]]).concat(b.values.map((v, i) => [v, b.weights[i]]));
  pairs.sort((p, q) => p[0] - q[0]);
  return compressSummary({ values: pairs.map((p) => p[0]), weights: pairs.map((p) => p[1]) }, epsilon);
}

/** Keras's `get_bin_boundaries`: `numBins - 1` boundaries (fewer for tiny data). */
export function binBoundaries(summary: Summary, numBins: number): number[] {
  return compressSummary(summary, 1 / numBins).values.slice(0, -1);
}
