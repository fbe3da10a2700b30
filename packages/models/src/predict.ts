import { clone, concat, gatherRows, getBackendInfo, tensor1d, tidy } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { ModelData } from './data';
import type { LayersModel } from './model';
import { prepareLoose, prepareX } from './prepare';
import { overrides } from './model';
import { gpuPredictor } from './compiled/gpu-predict-hook';
import { checkBatchSize, checkCommonOptions, checkFiniteSync } from './validate';

/** Options of `predict`. */
export interface PredictOptions {
  /** Samples per forward pass; default 32. Larger is faster, up to memory. (Arrays only.) */
  batchSize?: number;
  /** Batches of a dataset to predict (default: all of it). */
  steps?: number;
  /** Accepted for Keras compatibility; predict prints nothing. */
  verbose?: 0 | 1 | 2;
}

/**
 * `model.predict`: the outputs for `x`, in batches, each batch run in its own scope so only the
 * outputs stay alive. Returns one tensor per output (a single tensor for one output). The input is
 * checked for NaN/Inf once per call, as `fit` checks its data (a tensor found finite once is not
 * scanned again).
 */
export function predictModel(model: LayersModel, x: ModelData, options: PredictOptions = {}): Tensor | Tensor[] {
  const where = 'predict';
  checkCommonOptions(where, options, ['batchSize', 'verbose']);
  const batchSize = checkBatchSize(where, options.batchSize ?? 32, false) as number;
  const custom = overrides(model, 'predictStep') || overrides(model, 'call') || (model.graphOrNull === null && model.kind !== 'Sequential');
  const prep = custom ? prepareLoose(model, where, x) : prepareX(model, where, x);
  try {
    const { xs, n } = prep;
    // predict is synchronous: where the backend declares no cheap synchronous reads (WebGPU) it
    // skips its NaN/Inf scan (fit and evaluate still check, asynchronously)
    if (getBackendInfo().capabilities.syncRead) checkFiniteSync(where, xs.map((t, i): [string, Tensor] => [prep.names[i], t]));
    const graph = prep.graph;
    // a compiled dense chain on WebGPU: the plan's forward kernels over the whole input, once the
    // WebGPU plan's chunk is loaded (a fit on WebGPU loads it)
    const onGpu = !custom && graph ? gpuPredictor()?.(model, graph, xs, n, batchSize) : null;
    if (onGpu) return onGpu;
    const forward = (inputs: Tensor[]): Tensor[] => {
      if (!custom && graph) return graph.run(inputs, false, false).outputs;
      const out = model.predictStep([inputs.length === 1 ? inputs[0] : inputs]);
      return Array.isArray(out) ? out : [out];
    };
    const run = (inputs: Tensor[]): Tensor[] =>
      // an output that is an input (identity model) must still be a new tensor the caller owns
      forward(inputs).map((o) => (inputs.includes(o) ? clone(o) : o));
    let outs: Tensor[];
    if (n <= batchSize) {
      outs = tidy(() => run(xs));
    } else {
      const parts: Tensor[][] = [];
      for (let s = 0; s < n; s += batchSize) {
        const e = Math.min(n, s + batchSize);
        parts.push(
          tidy(() => {
            const idx = new Int32Array(e - s);
            for (let i = 0; i < idx.length; i++) idx[i] = s + i;
            const t = tensor1d(idx, 'int32');
            return run(xs.map((input) => gatherRows(input, input.dtype === 'string' ? idx : t)));
          }),
        );
      }
      outs = parts[0].map((_, k) =>
        tidy(() => concat(parts.map((p) => p[k]), 0)),
      );
      for (const p of parts) for (const t of p) t.dispose();
    }
    return outs.length === 1 ? outs[0] : outs;
  } finally {
    for (const t of prep.owned) t.dispose();
  }
}
