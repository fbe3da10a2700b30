import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

// tfjs-core's matMul gradient uses matMul's transpose flags, which the wasm backend runs about
// 8× slower than an explicit transpose followed by a plain matMul (measured, SPEC section 5).
// This op spells the transposes out.
const denseOp = tfc.customGrad(((x: Tensor, kernel: Tensor, save: tfc.GradSaveFunc) => {
  save([x, kernel]);
  return {
    value: tfc.matMul(x as tfc.Tensor2D, kernel as tfc.Tensor2D),
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [xs, ks] = saved as tfc.Tensor2D[];
      const dy2 = dy as tfc.Tensor2D;
      return [tfc.matMul(dy2, tfc.transpose(ks)), tfc.matMul(tfc.transpose(xs), dy2)];
    },
  };
}) as unknown as Parameters<typeof tfc.customGrad>[0]) as unknown as (x: Tensor, kernel: Tensor) => Tensor;

/** `x · kernel (+ bias)` for x `[batch, in]`, kernel `[in, out]`, with a transpose-free-flag gradient. */
export function dense(x: Tensor, kernel: Tensor, bias?: Tensor): Tensor {
  const y = denseOp(x, kernel);
  return bias ? tfc.add(y, bias) : y;
}
