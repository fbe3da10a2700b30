import { add, addN, cast, div, gatherRows, keep, mean, mul, oneHot, reshape, scalar, softmax, softmaxCrossEntropyWithLogits, stack, sum, tensor1d, tidy, variableGrads, zeros } from '@neurona/tensor';
import type { Scalar, Tensor, Variable } from '@neurona/tensor';
import { softmaxCrossEntropyFromLogits } from '@neurona/losses';
import type { Layer } from '@neurona/layers';
import type { BoundCompile, BoundOutput } from './compile';
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

/**
 * The training and evaluation steps of a compiled model. Each step is one `tidy`: gather the
 * batch rows (outside the gradient tape, so nothing copies the whole input), forward, loss,
 * gradients over the trainable variables, optimizer update, and the running sums of loss and
 * metrics, which stay on the device (`sums[k] += batchMean[k] * batchSize`) until someone reads them.
 */
export class Steps {
  /** The log keys the sums hold, in order. */
  readonly keys: string[];
  private readonly vars: Variable[];
  private readonly sizes = new Map<number, Tensor>();
  private readonly regularized: Layer[];

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
  }

  /** Fresh zero sums, one per log key. */
  zeros(): Tensor {
    return zeros([this.keys.length]);
  }

  private sizeScalar(n: number): Tensor {
    let s = this.sizes.get(n);
    if (!s) {
      s = keep(scalar(n));
      this.sizes.set(n, s);
    }
    return s;
  }

  private batch(data: DataArrays, indices: BatchIndices): { xs: Tensor[]; ys: Tensor[]; sw: (Tensor | null)[] | null; size: number } {
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

  private outputLoss(o: BoundOutput, yTrue: Tensor, yPred: Tensor, sw: Tensor | null): Tensor {
    if (o.fused === null) return o.stepLoss(yTrue, yPred, sw ?? undefined);
    const labels =
      o.fused === 'sparse'
        ? oneHot(reshape(yTrue.dtype === 'int32' ? yTrue : cast(yTrue, 'int32'), yPred.shape.slice(0, -1)), yPred.shape[yPred.rank - 1])
        : yTrue;
    // rank 2 (the usual [batch, classes]): the one-kernel form of @neurona/tensor (fast kernels on
    // cpu/wasm); other ranks and label smoothing go through @neurona/losses' fused form
    const perSample =
      yPred.rank === 2 && o.labelSmoothing === 0
        ? softmaxCrossEntropyWithLogits(labels, yPred)
        : softmaxCrossEntropyFromLogits(labels, yPred, o.labelSmoothing);
    // Keras's 'sum_over_batch_size': sum of weighted losses over their count
    return sw ? div(sum(mul(perSample, perSample.rank > 1 ? reshape(sw, [sw.shape[0], 1]) : sw)), perSample.size) : mean(perSample);
  }

  /**
   * Total loss (weighted outputs + regularization) and the batch means of every log key, or
   * `stats: null` when the total loss is the only key (the caller uses the total itself).
   */
  private compute(xs: Tensor[], ys: Tensor[], sw: (Tensor | null)[] | null, training: boolean): { total: Tensor; stats: Tensor | null } {
    const fused = this.bound.outputs.map((o) => o.fused !== null);
    const { outputs, penalties } = this.graph.run(xs, training, fused);
    const losses: Tensor[] = [];
    const metricValues: Tensor[] = [];
    for (const o of this.bound.outputs) {
      const yPred = outputs[o.index];
      const yTrue = ys[o.index];
      losses.push(this.outputLoss(o, yTrue, yPred, sw ? sw[o.index] : null));
      let probs: Tensor | null = null;
      for (const m of o.metrics) {
        const pred = o.fused !== null && !m.argmaxOnly ? (probs ??= softmax(yPred)) : yPred;
        metricValues.push(m.metric(yTrue, pred));
      }
    }
    const terms = losses.map((l, i) => (this.bound.outputs[i].lossWeight === 1 ? l : mul(l, this.bound.outputs[i].lossWeight)));
    if (training) {
      // the activity penalties of this batch (graph.run), and the weight penalties computed now;
      // layer.losses() would add the activity penalties of the layer's latest eager call too
      terms.push(...penalties);
      for (const layer of this.regularized) terms.push(...layer.weightLosses());
    }
    const total = terms.length === 1 ? terms[0] : addN(terms);
    const many = this.bound.outputs.length > 1;
    if (!many && metricValues.length === 0) return { total, stats: null };
    const stats = stack([total, ...(many ? losses : []), ...metricValues].map((t) => (t.rank === 0 ? t : mean(t))));
    return { total, stats };
  }

  /** One optimizer step on the rows `indices` (all rows when null); returns the new running sums. */
  train(data: DataArrays, indices: BatchIndices, sums: Tensor): Tensor {
    return tidy(() => {
      const b = this.batch(data, indices);
      let stats: Tensor | null = null;
      let kept = false;
      if (this.vars.length === 0) {
        const r = this.compute(b.xs, b.ys, b.sw, true);
        stats = r.stats ?? r.total;
      } else {
        const { value, grads } = variableGrads(() => {
          const r = this.compute(b.xs, b.ys, b.sw, true);
          // metric values are made inside the tape's scope: keep them past it
          if (r.stats) {
            stats = keep(r.stats);
            kept = true;
          }
          return r.total as Scalar;
        }, this.vars);
        stats ??= value;
        const pairs: [Tensor, Variable][] = [];
        for (const v of this.vars) {
          const g = grads[v.name];
          if (g) pairs.push([g, v]);
        }
        this.bound.optimizer.applyGradients(pairs);
      }
      const s = stats as unknown as Tensor;
      // a scalar total broadcasts into the one-element sums
      const next = add(sums, mul(s, this.sizeScalar(b.size)));
      if (kept) s.dispose();
      return next;
    });
  }

  /** Loss and metrics on the rows `indices` (inference mode); returns the new running sums. */
  test(data: DataArrays, indices: BatchIndices, sums: Tensor): Tensor {
    return tidy(() => {
      const b = this.batch(data, indices);
      const { total, stats } = this.compute(b.xs, b.ys, b.sw, false);
      return add(sums, mul(stats ?? total, this.sizeScalar(b.size)));
    });
  }

  /** Release the cached batch-size scalars. */
  dispose(): void {
    for (const s of this.sizes.values()) s.dispose();
    this.sizes.clear();
  }
}
