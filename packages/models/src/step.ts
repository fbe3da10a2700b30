import { add, addN, concat, gatherRows, keep, mul, reshape, scalar, slice, stack, tensor1d, tidy, variableGrads } from '@neurona/tensor';
import type { Scalar, Tensor, Variable } from '@neurona/tensor';
import { isAdditive, type AdditiveMetric, type Metric } from '@neurona/metrics';
import type { Layer } from '@neurona/layers';
import type { BoundCompile } from './compile';
import type { Graph } from './graph';

/** The rows of a batch: indices (uploaded for this step), an int32 index tensor made earlier, or null for all rows. */
export type BatchIndices = Int32Array | Tensor | null;

/** The arrays one pass over the data reads batches from (all with the same first dimension). */
export interface DataArrays {
  xs: Tensor[];
  ys: Tensor[];
  /** Per-output sample weights `[n]` (from `classWeight`), or null. */
  sampleWeights: (Tensor | null)[] | null;
  /** Number of samples. */
  n: number;
}

/** One batch's tensors (gathered rows, or the arrays themselves when the batch is all of them). */
export interface Batch {
  xs: Tensor[];
  ys: Tensor[];
  sw: (Tensor | null)[] | null;
  size: number;
}

/**
 * The running state of one pass (an epoch, or an evaluation) of the fast path: one device vector
 * of sums — `[Σ loss·n, Σ output-loss·n ..., the additive metrics' states ...]` — and the number
 * of samples seen, kept in JS.
 */
export interface Accumulator {
  sums: Tensor | null;
  count: number;
}

/** The rows `indices` of `data` (all of it when null), gathered outside any gradient tape. */
export function gatherBatch(data: DataArrays, indices: BatchIndices): Batch {
  if (indices === null) return { xs: data.xs, ys: data.ys, sw: data.sampleWeights, size: data.n };
  const idx = indices instanceof Int32Array ? tensor1d(indices, 'int32') : indices;
  const take = (t: Tensor) => gatherRows(t, idx);
  return {
    xs: data.xs.map(take),
    ys: data.ys.map(take),
    sw: data.sampleWeights ? data.sampleWeights.map((w) => (w ? take(w) : null)) : null,
    size: idx.shape[0],
  };
}

/**
 * The built-in training and test steps of a compiled model, run as one fused pass per batch
 * (what `model.trainStep`/`testStep` compute, without their per-metric bookkeeping): gather the
 * rows (outside the gradient tape, so nothing copies the whole input), forward, loss, gradients
 * over the trainable variables, optimizer update, and the batch's contribution to every log value
 * added to one running vector on the device (`sums += [loss·n, ..., metric states]`), read only
 * when someone asks. `fit` uses it when the model does not override the step hooks.
 */
export class Steps {
  /** The log keys, in order. */
  readonly keys: string[];
  private readonly vars: Variable[];
  private readonly sizes = new Map<number, Tensor>();
  private readonly regularized: Layer[];
  // additive metrics (fast path) and the others (their own updateState), in key order
  private readonly additive: { metric: AdditiveMetric; output: number }[] = [];
  private readonly other: { metric: Metric; output: number }[] = [];
  // length of each additive metric's state, learned from the first batch
  private stateSizes: number[] | null = null;
  private readonly lossEntries: number;

  constructor(
    private readonly graph: Graph,
    private readonly bound: BoundCompile,
  ) {
    this.keys = bound.keys;
    const seen = new Set<Variable>();
    this.vars = [];
    for (const layer of graph.layers) {
      for (const v of layer.trainableWeights) {
        if (!seen.has(v)) {
          seen.add(v);
          this.vars.push(v);
        }
      }
    }
    this.regularized = graph.layers.filter((l) => l.className !== 'InputLayer');
    this.lossEntries = 1 + (bound.outputs.length > 1 ? bound.outputs.length : 0);
    for (const o of bound.outputs) {
      for (const m of o.metrics) {
        if (isAdditive(m.metric)) this.additive.push({ metric: m.metric, output: o.index });
        else this.other.push({ metric: m.metric, output: o.index });
      }
    }
  }

  /** A fresh accumulator (nothing on the device until the first batch). */
  start(): Accumulator {
    for (const m of this.other) m.metric.resetState();
    return { sums: null, count: 0 };
  }

  private sizeScalar(n: number): Tensor {
    let s = this.sizes.get(n);
    if (!s) {
      s = keep(scalar(n));
      this.sizes.set(n, s);
    }
    return s;
  }

  /**
   * Total loss (weighted outputs + regularization, as Keras's `compute_loss`) and this batch's
   * contribution to the sums (before the multiplication by the batch size of its loss entries).
   */
  private compute(b: Batch, training: boolean): { total: Scalar; losses: Tensor | null; states: Tensor[] } {
    const { outputs, penalties } = this.graph.run(b.xs, training);
    const losses: Tensor[] = [];
    const states: Tensor[] = [];
    for (const o of this.bound.outputs) {
      const yPred = outputs[o.index];
      const yTrue = b.ys[o.index];
      losses.push(o.stepLoss(yTrue, yPred, b.sw ? (b.sw[o.index] ?? undefined) : undefined));
    }
    // metrics see the predictions, not the sample weights (Keras's `metrics`, not `weighted_metrics`)
    for (const m of this.additive) states.push(m.metric.batchState(b.ys[m.output], outputs[m.output]));
    for (const m of this.other) m.metric.updateState(b.ys[m.output], outputs[m.output]);
    const terms = losses.map((l, i) => (this.bound.outputs[i].lossWeight === 1 ? l : mul(l, this.bound.outputs[i].lossWeight)));
    // the activity penalties of this batch (graph.run) and the weight penalties computed now, as
    // Keras adds `model.losses` in training and in evaluation alike
    terms.push(...penalties);
    for (const layer of this.regularized) terms.push(...layer.weightLosses());
    const total = (terms.length === 1 ? terms[0] : addN(terms)) as Scalar;
    const many = this.bound.outputs.length > 1;
    return { total, losses: many ? stack(losses) : null, states };
  }

  /** The new sums: `acc.sums` (or zeros) plus this batch (a new tensor; the caller swaps it in). */
  private accumulate(acc: Accumulator, total: Tensor, losses: Tensor | null, states: Tensor[], size: number): Tensor {
    const n = this.sizeScalar(size);
    // the common case, the loss alone: one multiply and one add per step, as a hand-written loop
    if (acc.sums && !losses && states.length === 0) return add(acc.sums, mul(total, n));
    const lossPart = losses ? concat([reshape(mul(total, n), [1]), mul(losses, n)]) : reshape(mul(total, n), [1]);
    if (this.stateSizes === null) this.stateSizes = states.map((s) => s.shape[0]);
    const batch = states.length === 0 ? lossPart : concat([lossPart, ...states]);
    return acc.sums ? add(acc.sums, batch) : batch;
  }

  /** tfjs's "Cannot find a connection ..." in the user's terms: the loss ignores the predictions. */
  private noConnection(e: unknown): unknown {
    if (!(e instanceof Error) || !/Cannot find a connection between any variable and the result of the loss/.test(e.message)) return e;
    const names = this.bound.outputs.map((o) => `"${o.loss.name}"`).join(', ');
    return new Error(
      `fit: the loss (${names}) does not depend on the model's output, so no weight can learn from it. ` +
        'A custom loss must compute its value from yPred, its second argument (lossFn(yTrue, yPred)); ' +
        'one that uses only yTrue, or makes new tensors from plain numbers, has no gradient.',
      { cause: e },
    );
  }

  /** One optimizer step on the rows `indices` (all rows when null), added to `acc`. */
  train(data: DataArrays, indices: BatchIndices, acc: Accumulator): void {
    const next = tidy(() => {
      const b = gatherBatch(data, indices);
      let out: { total: Scalar; losses: Tensor | null; states: Tensor[] } | null = null;
      if (this.vars.length === 0) {
        out = this.compute(b, true);
      } else {
        let taped: ReturnType<typeof variableGrads>;
        try {
          taped = variableGrads(() => {
            const r = this.compute(b, true);
            // the log values are made inside the tape's scope: keep them past it
            out = { total: r.total, losses: r.losses ? keep(r.losses) : null, states: r.states.map((s) => keep(s)) };
            return r.total;
          }, this.vars);
        } catch (e) {
          throw this.noConnection(e);
        }
        const { value, grads } = taped;
        const pairs: [Tensor, Variable][] = [];
        for (const v of this.vars) {
          const g = grads[v.name];
          if (g) pairs.push([g, v]);
        }
        this.bound.optimizer.applyGradients(pairs);
        const r = out as unknown as { total: Scalar; losses: Tensor | null; states: Tensor[] };
        const sums = this.accumulate(acc, value, r.losses, r.states, b.size);
        r.losses?.dispose();
        for (const s of r.states) s.dispose();
        return sums;
      }
      const r = out as { total: Scalar; losses: Tensor | null; states: Tensor[] };
      return this.accumulate(acc, r.total, r.losses, r.states, b.size);
    });
    this.swap(acc, next, indices, data.n);
  }

  /** Loss and metrics on the rows `indices` (inference mode), added to `acc`. */
  test(data: DataArrays, indices: BatchIndices, acc: Accumulator): void {
    const next = tidy(() => {
      const b = gatherBatch(data, indices);
      const r = this.compute(b, false);
      return this.accumulate(acc, r.total, r.losses, r.states, b.size);
    });
    this.swap(acc, next, indices, data.n);
  }

  private swap(acc: Accumulator, next: Tensor, indices: BatchIndices, n: number): void {
    acc.sums?.dispose();
    acc.sums = next;
    acc.count += indices === null ? n : indices instanceof Int32Array ? indices.length : indices.shape[0];
  }

  /**
   * The log values of `acc`, one per key, as one tensor (read it with `await t.data()`): the loss
   * entries divided by the samples seen, each metric's `resultFrom` its slice of the sums.
   */
  results(acc: Accumulator): Tensor {
    return tidy(() => {
      const sums = acc.sums;
      if (sums === null) return tensor1d(this.keys.map(() => 0));
      const count = Math.max(acc.count, 1);
      const parts: Tensor[] = [mul(slice(sums, [0], [this.lossEntries]), 1 / count)];
      let at = this.lossEntries;
      const sizes = this.stateSizes ?? [];
      const byMetric = new Map<Metric, Tensor>();
      this.additive.forEach((m, i) => {
        byMetric.set(m.metric, reshape(m.metric.resultFrom(slice(sums, [at], [sizes[i]])), [1]));
        at += sizes[i];
      });
      for (const m of this.other) byMetric.set(m.metric, reshape(m.metric.result(), [1]));
      const ordered = this.bound.outputs.flatMap((o) => o.metrics.map((m) => byMetric.get(m.metric) as Tensor));
      return concat([...parts, ...ordered]);
    });
  }

  /**
   * Put what `acc` holds into the model's metric objects (the loss trackers and the compiled
   * metrics), so `model.metrics` report the pass as Keras's do after fit or evaluate.
   */
  syncMetrics(acc: Accumulator): void {
    const sums = acc.sums;
    if (sums === null) return;
    tidy(() => {
      const n = scalar(acc.count);
      const trackers = [this.bound.lossTracker, ...this.bound.outputs.flatMap((o) => (o.lossTracker ? [o.lossTracker] : []))];
      trackers.forEach((t, i) => {
        t.resetState();
        t.mergeState(stack([reshape(slice(sums, [i], [1]), []), n]));
      });
      let at = this.lossEntries;
      const sizes = this.stateSizes ?? [];
      this.additive.forEach((m, i) => {
        m.metric.resetState();
        m.metric.mergeState(slice(sums, [at], [sizes[i]]));
        at += sizes[i];
      });
    });
  }

  /** Release the cached batch-size scalars. */
  dispose(): void {
    for (const s of this.sizes.values()) s.dispose();
    this.sizes.clear();
  }
}
