// The model the page predicts with: one it trained, or one opened from a .keras file. A file's
// model may take the digits as [28, 28], [784] or [28, 28, 1] (checked by digit-shape.ts, loaded
// with the first opened file); the page's tensors are [n, 28, 28], so they are reshaped to the
// model's input on the way in.
import type { LayersModel } from '@neurona/models';
import { reshape, tidy, type Tensor } from '@neurona/tensor';

/** A model and the shape of one digit as its input takes it (no batch dimension). */
export interface DigitModel {
  readonly model: LayersModel;
  readonly digitShape: readonly number[];
}

/** The probabilities `[n, 10]` of `m` for digits `x` (`[n, 28, 28]`). */
export function digitProbabilities(m: DigitModel, x: Tensor, batchSize = 128): Tensor {
  return tidy(() => {
    const out = m.model.predict(reshape(x, [x.shape[0], ...m.digitShape]), { batchSize });
    if (Array.isArray(out)) throw new Error(`expected one output, model "${m.model.name}" has ${out.length}`);
    return out;
  });
}
