/**
 * The least-squares fit of `y ≈ x·w + b`, in float64: the normal equations
 * `(AᵀA) θ = Aᵀy` with `A = [x | 1]`, solved by Gaussian elimination with partial pivoting.
 * Returns the weights and the intercept, what a linear `Dense(1)` trained on MSE converges to.
 */
export function leastSquares(x: readonly (readonly number[])[], y: readonly number[]): { weights: number[]; bias: number } {
  const d = x[0].length + 1;
  const m = Array.from({ length: d }, () => new Float64Array(d + 1)); // [AᵀA | Aᵀy]
  for (let i = 0; i < x.length; i++) {
    const a = [...x[i], 1];
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) m[r][c] += a[r] * a[c];
      m[r][d] += a[r] * y[i];
    }
  }
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) < 1e-12) throw new Error('leastSquares: the features are linearly dependent');
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const k = m[r][col] / m[col][col];
      for (let c = col; c <= d; c++) m[r][c] -= k * m[col][c];
    }
  }
  const theta = m.map((row, i) => row[d] / row[i]);
  return { weights: theta.slice(0, -1), bias: theta[d - 1] };
}

/** Mean squared and mean absolute error of predictions `p` against `y`. */
export function errors(y: readonly number[], p: ArrayLike<number>): { mse: number; mae: number } {
  let se = 0;
  let ae = 0;
  for (let i = 0; i < y.length; i++) {
    const e = p[i] - y[i];
    se += e * e;
    ae += Math.abs(e);
  }
  return { mse: se / y.length, mae: ae / y.length };
}

/** Predictions of the linear fit for rows `x`. */
export function predictLinear(fit: { weights: number[]; bias: number }, x: readonly (readonly number[])[]): number[] {
  return x.map((row) => row.reduce((s, v, j) => s + v * fit.weights[j], fit.bias));
}
