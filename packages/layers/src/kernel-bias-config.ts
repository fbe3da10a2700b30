// The config entries of a layer with a kernel and a bias (Dense, EinsumDense, the attention
// projections): written once, in Keras's key order.
import { serializeConstraint, type Constraint } from './constraints';
import { serialize as serializeInitializer, type Initializer } from '@neurona/initializers';
import { serializeRegularizer, type Regularizer } from './regularizers';
import type { LayerConfig } from './layer';

/** What a kernel-and-bias layer holds. */
export interface KernelBiasSettings {
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
  kernelRegularizer: Regularizer | null;
  biasRegularizer: Regularizer | null;
  kernelConstraint: Constraint | null;
  biasConstraint: Constraint | null;
}

/** `kernelInitializer` ... `biasConstraint` as config entries. */
export function kernelBiasConfig(l: KernelBiasSettings): LayerConfig {
  return {
    kernelInitializer: serializeInitializer(l.kernelInitializer),
    biasInitializer: serializeInitializer(l.biasInitializer),
    kernelRegularizer: serializeRegularizer(l.kernelRegularizer),
    biasRegularizer: serializeRegularizer(l.biasRegularizer),
    kernelConstraint: serializeConstraint(l.kernelConstraint),
    biasConstraint: serializeConstraint(l.biasConstraint),
  };
}
