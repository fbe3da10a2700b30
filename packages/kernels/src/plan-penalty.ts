// Keras's L1/L2 weight penalties in a compiled dense step: the loss term `l1·Σ|w| + l2·Σw²` of a
// variable and its gradient `l1·sign(w) + 2·l2·w` added to the variable's gradient, in one pass
// over the variable's values in the plan's memory.

/** A penalized variable: `rows × cols` values at `w` (row stride `ld`), its gradient at `g` (-1: add none, a frozen layer's weights). */
export interface PenaltyRows {
  w: number;
  g: number;
  rows: number;
  cols: number;
  ld: number;
  l1: number;
  l2: number;
}

/**
 * The penalty of `p`, adding its gradient into `p.g`. The L1 term's derivative is the tape's
 * (tfjs's `Abs` gradient): +1 where `w > 0`, −1 elsewhere, so −1 at exactly 0 (TensorFlow's sign
 * gives 0 there; the two paths agree with each other, not with TensorFlow, at 0).
 */
export function weightPenalty(h: Float32Array, p: PenaltyRows): number {
  let a = 0, q = 0;
  const l1 = Math.fround(p.l1), l2 = Math.fround(p.l2), l2x2 = Math.fround(2 * p.l2);
  for (let r = 0; r < p.rows; r++) {
    const w = p.w + r * p.ld;
    const g = p.g + r * p.ld;
    for (let j = 0; j < p.cols; j++) {
      const x = h[w + j];
      a += Math.abs(x);
      q += x * x;
      if (p.g >= 0) h[g + j] += (l1 > 0 ? (x > 0 ? l1 : -l1) : 0) + l2x2 * x;
    }
  }
  return (l1 > 0 ? l1 * a : 0) + (l2 > 0 ? l2 * q : 0);
}
