import { createRng } from '@neurona/tensor';

/** The synthetic regression problem: rows of features and one target per row. */
export interface RegressionData {
  x: number[][];
  y: number[];
}

/** The true function, without noise: linear in x0, x1, x2, non-linear in x3 and x4. */
export function target(f: readonly number[]): number {
  return 1 + 2 * f[0] - 3 * f[1] + 0.5 * f[2] + Math.sin(Math.PI * f[3]) + f[4] * f[4];
}

/** How the program describes `target`. */
export const FORMULA = 'y = 1 + 2·x0 − 3·x1 + 0.5·x2 + sin(π·x3) + x4² + noise';

/**
 * `n` samples of 5 features uniform in [-1, 1] and `target` plus Gaussian noise of standard
 * deviation `noise`, reproducible from `seed`.
 */
export function makeRegressionData(n: number, noise: number, seed: number): RegressionData {
  const rng = createRng(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()); // Box–Muller
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = Array.from({ length: 5 }, () => 2 * rng() - 1);
    x.push(f);
    y.push(target(f) + noise * gaussian());
  }
  return { x, y };
}
