// The range checks of integer class labels (sparse categorical cross-entropy) and binary labels
// (binary cross-entropy), loaded by `checkTargetValues` (validate.ts) when such a loss is used.
import { any, cast, max, min as minOp, notEqual, round, stack, tidy } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import type { BoundCompile } from './compile';

/**
 * Integers in [0, units) for the sparse loss, values in [0, 1] for binary cross-entropy: throws
 * what was expected and what `y` (named `name`) holds.
 */
export async function checkLabelRange(where: string, o: BoundCompile['outputs'][number], y: Tensor, name: string): Promise<void> {
  const cls = o.loss.className;
  const stats = tidy(() => {
    const f = cast(y, 'float32');
    return stack([minOp(f), max(f), cast(any(notEqual(f, round(f))), 'float32')]);
  });
  const [lo, hi, fractional] = await stats.data();
  stats.dispose();
  if (cls === 'SparseCategoricalCrossentropy') {
    if (fractional) {
      throw new Error(`${where}: loss "${o.loss.name}" expects integer class labels, but ${name} has fractional values`);
    }
    if (o.units !== null && (lo < 0 || hi >= o.units)) {
      throw new Error(
        `${where}: ${name} has class labels from ${lo} to ${hi} but the output layer "${o.name}" has ${o.units} units ` +
          (hi >= o.units ? `(more classes in y than output units: give it at least ${hi + 1} units)` : `(labels must be >= 0)`),
      );
    }
  } else if (lo < 0 || hi > 1) {
    throw new Error(
      `${where}: loss "${o.loss.name}" expects labels in [0, 1], but ${name} has values from ${lo} to ${hi}` +
        (hi > 1 && !fractional ? `: for ${hi + 1} classes use a softmax output with 'sparse_categorical_crossentropy'` : ''),
    );
  }
}
