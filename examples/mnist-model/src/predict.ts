import type { Sequential } from '@neurona/models';
import type { Tensor } from '@neurona/tensor';

/**
 * The softmax probabilities `[n, 10]` for images `[n, 28, 28]`. `predict` is typed for
 * multi-output models too; these models have one output, so this narrows it to one tensor.
 */
export function predictProbabilities(model: Sequential, x: Tensor, batchSize = 128): Tensor {
  const out = model.predict(x, { batchSize });
  if (Array.isArray(out)) {
    for (const t of out) t.dispose();
    throw new Error(`predictProbabilities: expected one output, model "${model.name}" has ${out.length}`);
  }
  return out;
}
