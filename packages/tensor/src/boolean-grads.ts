// Comparisons and logic ops are piecewise constant: their gradient is zero (TensorFlow gives
// None). tfjs 4.22 registers one for GreaterEqual and IsNan but not for the others, so a gradient
// tape that meets, say, the NotEqual of a mask computed from a trained tensor (Masking after a
// Dense, a loss weighted by such a mask) throws "gradient function not found". Registering zero
// gradients for them (only where tfjs has none) lets masks flow anywhere in a model.
import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

type ZeroGradients = Record<string, () => Tensor>;

const PIECEWISE_CONSTANT = ['Equal', 'NotEqual', 'Greater', 'Less', 'LessEqual', 'LogicalAnd', 'LogicalOr', 'LogicalNot', 'LogicalXor', 'Any', 'All'];

const zeroFor = (t: Tensor) => () => tfc.zeros(t.shape, 'float32');

for (const kernelName of PIECEWISE_CONSTANT) {
  if (tfc.getGradient(kernelName)) continue;
  tfc.registerGradient({
    kernelName,
    inputsToSave: kernelName === 'LogicalNot' || kernelName === 'Any' || kernelName === 'All' ? ['x'] : ['a', 'b'],
    gradFunc: (_dy, saved): ZeroGradients => {
      // gradients must be float32 whatever the input's dtype (bool masks included)
      if (saved.length === 1) return { x: zeroFor(saved[0]) };
      return { a: zeroFor(saved[0]), b: zeroFor(saved[1]) };
    },
  });
}
