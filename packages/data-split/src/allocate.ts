import type { Rng } from './random';

const SNAP = 1e-9;

/**
 * How many samples of each class go to each part: `out[class][part]`, with row sums the class
 * counts and column sums the part sizes, and every cell within one sample of its exact share
 * `count[class] * size[part] / n` (rounded down or up). Cells with the largest remainders are
 * rounded up first (ties broken by `rng`, or in order without one); the rounding that keeps both
 * sums always exists (a transportation problem has integral solutions), and augmenting paths find
 * it where the greedy pass falls short.
 */
export function allocate(counts: number[], sizes: number[], rng: Rng | null): number[][] {
  const n = counts.reduce((s, c) => s + c, 0);
  const out = counts.map((c) => sizes.map((s) => (c * s) / n));
  const rowNeed = counts.slice();
  const colNeed = sizes.slice();
  const edges: { i: number; p: number; frac: number; tie: number }[] = [];
  out.forEach((row, i) =>
    row.forEach((exact, p) => {
      let floor = Math.floor(exact);
      if (exact - floor > 1 - SNAP) floor += 1;
      const frac = exact - floor > SNAP ? exact - floor : 0;
      row[p] = floor;
      rowNeed[i] -= floor;
      colNeed[p] -= floor;
      if (frac > 0) edges.push({ i, p, frac, tie: rng ? rng() : edges.length });
    }),
  );
  edges.sort((a, b) => b.frac - a.frac || a.tie - b.tie);

  // up[i][p]: this cell is rounded up
  const up = counts.map(() => sizes.map(() => false));
  const allowed = counts.map(() => sizes.map(() => false));
  for (const e of edges) {
    allowed[e.i][e.p] = true;
    if (rowNeed[e.i] > 0 && colNeed[e.p] > 0) {
      up[e.i][e.p] = true;
      rowNeed[e.i]--;
      colNeed[e.p]--;
    }
  }

  // Augmenting paths: from a class still short, alternate (class → part not yet rounded up) and
  // (part → class rounded up there, which gives it back) until a part that is still short.
  for (let start = 0; start < counts.length; start++) {
    while (rowNeed[start] > 0) {
      const prevOfPart = Array.from({ length: sizes.length }, (): number => -1); // the class a part was reached from
      const viaPart = Array.from({ length: counts.length }, (): number => -1); // the part a class was reached through
      viaPart[start] = -2;
      const queue = [start];
      let end = -1;
      while (queue.length > 0 && end < 0) {
        const i = queue.shift() as number;
        for (let p = 0; p < sizes.length && end < 0; p++) {
          if (!allowed[i][p] || up[i][p] || prevOfPart[p] >= 0) continue;
          prevOfPart[p] = i;
          if (colNeed[p] > 0) end = p;
          else {
            for (let k = 0; k < counts.length; k++) {
              if (up[k][p] && viaPart[k] === -1) {
                viaPart[k] = p;
                queue.push(k);
              }
            }
          }
        }
      }
      if (end < 0) throw new Error('allocate: no rounding keeps the class and part sizes (a bug)');
      rowNeed[start]--;
      colNeed[end]--;
      for (let p = end; ; ) {
        const i = prevOfPart[p];
        up[i][p] = true;
        if (i === start) break;
        p = viaPart[i];
        up[i][p] = false;
      }
    }
  }
  return out.map((row, i) => row.map((c, p) => c + (up[i][p] ? 1 : 0)));
}
