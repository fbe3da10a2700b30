// The metrics of a compiled dense step, from the outputs already in the plan's memory: one pass
// over the batch's output rows after the loss, giving the sum of the per-sample values (the
// numerator of Keras's MeanMetricWrapper state `[Σ value, Σ 1]`; compiled metrics see no sample
// weights, as Keras's `metrics`).

/** The per-sample metrics a plan computes. */
export type PlanMetricKind = 'categorical_accuracy' | 'sparse_categorical_accuracy' | 'binary_accuracy' | 'mean_squared_error' | 'mean_absolute_error';

/** Where a metric reads its targets: `rows × cols` values (row stride `ldy`) or `rows` class indices. */
export interface MetricRows {
  kind: PlanMetricKind;
  y: number;
  ldy: number;
  /** Binary accuracy: predictions above it count as 1. */
  threshold?: number;
}

/** Index of the first largest of `cols` values at `o` (as argMax: the first of ties). */
function argMaxAt(h: Float32Array, o: number, cols: number): number {
  let best = 0;
  for (let j = 1; j < cols; j++) if (h[o + j] > h[o + best]) best = j;
  return best;
}

/**
 * The sum over `rows` samples of the metric of predictions `p` (`rows × cols` at `pOff`, row stride
 * `ld`): accuracies count hits (binary accuracy averages `y == (p > threshold)` over the row), the
 * error metrics add `mean_j (p − y)²` or `mean_j |p − y|`.
 */
export function metricRows(h: Float32Array, pOff: number, ld: number, rows: number, cols: number, m: MetricRows): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const p = pOff + r * ld;
    const y = m.y + r * m.ldy;
    switch (m.kind) {
      case 'categorical_accuracy':
        if (argMaxAt(h, y, cols) === argMaxAt(h, p, cols)) total += 1;
        break;
      case 'sparse_categorical_accuracy':
        if (h[y] === argMaxAt(h, p, cols)) total += 1;
        break;
      case 'binary_accuracy': {
        const th = m.threshold ?? 0.5;
        let hits = 0;
        for (let j = 0; j < cols; j++) if (h[y + j] === (h[p + j] > th ? 1 : 0)) hits += 1;
        total += Math.fround(hits / cols);
        break;
      }
      case 'mean_squared_error': {
        let s = 0;
        for (let j = 0; j < cols; j++) s += (h[p + j] - h[y + j]) ** 2;
        total += s / cols;
        break;
      }
      case 'mean_absolute_error': {
        let s = 0;
        for (let j = 0; j < cols; j++) s += Math.abs(h[p + j] - h[y + j]);
        total += s / cols;
        break;
      }
    }
  }
  return total;
}
