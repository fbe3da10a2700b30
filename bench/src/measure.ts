/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Resident set size now, MB. */
export function rssMb(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

/** Largest resident set of this process so far, MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Progress line on stderr (stdout carries the child's report). */
export function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

/** Seconds since `t0` (a `performance.now()` value). */
export function since(t0: number): number {
  return (performance.now() - t0) / 1000;
}
