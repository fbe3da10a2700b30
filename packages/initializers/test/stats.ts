/** Sample mean, variance and the 5-standard-error half-widths for both, from the sample itself. */
export function sampleStats(data: ArrayLike<number>): { n: number; mean: number; variance: number; meanTol: number; varianceTol: number; min: number; max: number } {
  const n = data.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += data[i];
  mean /= n;
  let m2 = 0;
  let m4 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const d = data[i] - mean;
    m2 += d * d;
    m4 += d * d * d * d;
    min = Math.min(min, data[i]);
    max = Math.max(max, data[i]);
  }
  m2 /= n;
  m4 /= n;
  // SE(mean) = σ/√n; SE(s²) = √((μ4 − σ⁴)/n), with the moments estimated from the sample.
  return { n, mean, variance: m2, meanTol: 5 * Math.sqrt(m2 / n), varianceTol: 5 * Math.sqrt((m4 - m2 * m2) / n), min, max };
}
