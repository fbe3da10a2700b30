import type { Tensor } from '@neurona/tensor';
import { Layer, type LayerVariable } from './layer';

/**
 * A layer made of other layers whose weights are its own (Keras tracks them the same way): a
 * recurrent layer and its cell, a cell stack, `Bidirectional`, `TimeDistributed`. Its weights are
 * those of `sublayers()` in order (each: trainable, then non-trainable), its penalties theirs,
 * `trainable` sets theirs, `dispose` releases them.
 */
export abstract class ComposedLayer extends Layer {
  /** The layers whose weights this one holds, in Keras's weight order. */
  protected abstract sublayers(): Layer[];

  override get trainable(): boolean {
    return super.trainable;
  }

  override set trainable(value: boolean) {
    super.trainable = value;
    for (const l of this.sublayers()) l.trainable = value;
  }

  override get trainableWeights(): LayerVariable[] {
    if (!this.trainable) return [];
    return [...super.trainableWeights, ...this.sublayers().flatMap((l) => l.trainableWeights)];
  }

  override get nonTrainableWeights(): LayerVariable[] {
    return [...super.nonTrainableWeights, ...this.sublayers().flatMap((l) => (this.trainable ? l.nonTrainableWeights : l.weights))];
  }

  override weightLosses(): Tensor[] {
    return [...super.weightLosses(), ...this.sublayers().flatMap((l) => l.weightLosses())];
  }

  override dispose(): void {
    for (const l of this.sublayers()) l.dispose();
    super.dispose();
  }
}
