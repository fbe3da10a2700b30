import { createRng } from '@neurona/tensor';

/** How the program describes the series. */
export const FORMULA = 'y_t = 0.002·t + sin(2πt/24) + 0.5·sin(2πt/168 + 1) + 0.3·sin(4πt/24) + noise';

/**
 * `n` hourly values of a series with a slow trend, a daily (24) and a weekly (168) season and a
 * second daily harmonic, plus Gaussian noise of standard deviation `noise`, from `seed`.
 */
export function makeSeries(n: number, noise: number, seed: number): number[] {
  const rng = createRng(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()); // Box–Muller
  return Array.from({ length: n }, (_, t) => {
    const clean = 0.002 * t + Math.sin((2 * Math.PI * t) / 24) + 0.5 * Math.sin((2 * Math.PI * t) / 168 + 1) + 0.3 * Math.sin((4 * Math.PI * t) / 24);
    return clean + noise * gaussian();
  });
}

/** Windows of `window` values and the value after each: `x[i] = s[i..i+window)`, `y[i] = s[i+window]`. */
export function windows(s: readonly number[], window: number): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i + window < s.length; i++) {
    x.push(s.slice(i, i + window) as number[]);
    y.push(s[i + window]);
  }
  return { x, y };
}

/** Mean absolute and root mean squared error of `p` against `y`. */
export function errors(y: readonly number[], p: ArrayLike<number>): { mae: number; rmse: number } {
  let ae = 0;
  let se = 0;
  for (let i = 0; i < y.length; i++) {
    const e = p[i] - y[i];
    ae += Math.abs(e);
    se += e * e;
  }
  return { mae: ae / y.length, rmse: Math.sqrt(se / y.length) };
}
