import type { DataType, Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { describeValue } from './shape';
import { checkOptions } from '@neurona/common';
import type { SymbolicTensor } from './symbolic';

/** Options of `Input` / `InputLayer`. */
export interface InputOptions {
  /** Shape of one sample, batch excluded: `[28, 28]`. */
  shape?: Shape;
  /** Full shape with the batch dimension; instead of `shape`. */
  batchShape?: Shape;
  /** Fixed batch size (default unknown, `null`). */
  batchSize?: number;
  name?: string;
  dtype?: DataType;
}

/**
 * The layer behind `Input`: it has no weights, and its single node has no inbound layers. Its
 * output is the SymbolicTensor that `Input` returns; on concrete tensors it is the identity.
 */
export class InputLayerClass extends Layer {
  static override readonly className: string = 'InputLayer';

  /** `who` names the caller in messages (`Input` for the function). */
  constructor(options: InputOptions & Pick<LayerOptions, 'inputShape' | 'batchInputShape'> = {}, who = 'InputLayer') {
    const where = who;
    if (typeof options !== 'object' || options === null) {
      throw new Error(`${where}: options must be an object, got ${describeValue(options)}`);
    }
    // sparse/ragged: false is what Keras writes into configs; true is refused
    checkOptions(where, options, ['shape', 'batchShape', 'batchSize', 'name', 'dtype', 'inputShape', 'batchInputShape', 'sparse', 'ragged']);
    for (const flag of ['sparse', 'ragged'] as const) {
      if ((options as Record<string, unknown>)[flag]) throw new Error(`${where}: ${flag} inputs are not supported by neurona; give dense tensors`);
    }
    const batchInputShape = options.batchShape ?? options.batchInputShape;
    const inputShape = options.shape ?? options.inputShape;
    for (const [key, value] of [['shape', options.shape], ['batchShape', options.batchShape]] as const) {
      if (value !== undefined && value !== null && !Array.isArray(value)) {
        throw new Error(`${where}: ${key} must be an array of sizes (positive integers, or null for an unknown size), e.g. [28, 28]; got ${describeValue(value)}`);
      }
    }
    if (!batchInputShape && !inputShape) {
      throw new Error(`${where}: give the shape of one sample, e.g. Input({ shape: [28, 28] }); got no shape`);
    }
    super({
      name: options.name,
      dtype: options.dtype,
      batchInputShape: batchInputShape ?? undefined,
      inputShape: batchInputShape ? undefined : inputShape,
      batchSize: options.batchSize,
    });
    this.built = true;
    this.inputSpec = [{ shape: [...(this.batchInputShape as Shape)] }];
    // The node that makes this layer a graph source.
    this.addNode([], [...(this.batchInputShape as Shape)], {});
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor | Tensor[] {
    void kwargs;
    return inputs;
  }

  override getConfig(): LayerConfig {
    return { name: this.name, dtype: this.dtype, batchInputShape: [...(this.batchInputShape as Shape)] };
  }

  static fromConfig(config: LayerConfig): InputLayerClass {
    return new InputLayerClass(config as InputOptions);
  }
}

/** The type of what `InputLayer()` returns. */
export type InputLayer = InputLayerClass;

/** The layer behind `Input`, Keras's `InputLayer`: `InputLayer({ inputShape: [784] })`. */
export function InputLayer(options: InputOptions & Pick<LayerOptions, 'inputShape' | 'batchInputShape'>): InputLayer {
  return new InputLayerClass(options);
}

/**
 * A symbolic input of a functional model: `const inputs = Input({ shape: [28, 28] })` has shape
 * `[null, 28, 28]` (the batch dimension is unknown).
 */
export function Input(options: InputOptions): SymbolicTensor {
  const layer = new InputLayerClass(options, 'Input');
  return layer.inboundNodes[0].outputTensors[0];
}
