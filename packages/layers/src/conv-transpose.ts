import { add, convTranspose } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { Initializer, InitializerIdentifier } from '@neurona/initializers';
import type { CallKwargs, LayerConfig, LayerVariable } from './layer';
import type { Regularizer, RegularizerIdentifier } from './regularizers';
import type { Constraint, ConstraintIdentifier } from './constraints';
import {
  BaseConvLayer,
  checkStridesOrDilation,
  filtersKernelArgs,
  filtersKernelFromConfig,
  kernelSettings,
  kernelSettingsConfig,
  type BaseConvOptions,
  type KernelSettings,
} from './base-conv';
import { effectiveSize, fromChannelsLast, joinShape, positiveInt, splitShape, standardizeTuple, toChannelsLast, type SpatialArg } from './conv-utils';

/** Options of `Conv1DTranspose`, `Conv2DTranspose` and `Conv3DTranspose`. */
export interface ConvTransposeOptions extends Omit<BaseConvOptions, 'padding'> {
  filters?: number;
  kernelSize?: SpatialArg;
  /** `'valid'` (default) or `'same'`. */
  padding?: 'valid' | 'same';
  /** Extra cells after each spatial axis of the output, each smaller than its stride; null (default) for Keras's sizes. */
  outputPadding?: SpatialArg | null;
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
}

const KEYS = ['filters', 'kernelSize', 'outputPadding', 'kernelInitializer', 'kernelRegularizer', 'kernelConstraint'];

/** Keras's output size of one axis of a transposed convolution (`compute_conv_transpose_output_shape`). */
function transposeLength(n: number | null, k: number, s: number, d: number, padding: string, outputPadding: number | null): number | null {
  if (n === null) return null;
  const kEff = effectiveSize(k, d);
  if (padding === 'valid') return (n - 1) * s + kEff + (outputPadding ?? Math.max(kEff, s) - kEff);
  return outputPadding === null ? n * s : (n - 1) * s + (kEff % 2) + outputPadding;
}

/**
 * A transposed convolution ("deconvolution", the gradient of a convolution with respect to its
 * input) of 1, 2 or 3 spatial axes, as Keras's Conv*DTranspose: kernel
 * `[...kernelSize, filters, inChannels]`, bias `[filters]`.
 */
export abstract class ConvTransposeLayer extends BaseConvLayer {
  readonly filters: number;
  readonly outputPadding: number[] | null;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  kernel: LayerVariable | null = null;

  constructor(rank: number, filters: number, kernelSize: SpatialArg, options: ConvTransposeOptions) {
    super(rank, kernelSize, options, KEYS, false);
    this.filters = positiveInt(String(this), 'filters', filters);
    this.outputPadding = options.outputPadding == null ? null : standardizeTuple(String(this), 'outputPadding', options.outputPadding, rank, 0);
    this.outputPadding?.forEach((p, i) => {
      if (p >= this.strides[i]) {
        throw new Error(`${this}: outputPadding must be smaller than the stride on every axis, got outputPadding [${this.outputPadding?.join(', ')}] and strides [${this.strides.join(', ')}]`);
      }
    });
    checkStridesOrDilation(this);
    const k = kernelSettings(options as Record<string, unknown>, 'kernel');
    this.kernelInitializer = k.initializer;
    this.kernelRegularizer = k.regularizer;
    this.kernelConstraint = k.constraint;
  }

  protected override get transposed(): boolean {
    return true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = this.inputChannels(inputShape);
    this.kernel = this.addKernel('kernel', [...this.kernelSize, this.filters, channels], this.kernelSettings);
    this.addBias(this.filters);
    this.setInputSpec(channels);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    const { spatial } = splitShape(s, this.dataFormat);
    const out = spatial.map((n, i) => transposeLength(n, this.kernelSize[i], this.strides[i], this.dilationRate[i], this.padding, this.outputPadding ? this.outputPadding[i] : null));
    return joinShape(s[0] ?? null, out, this.filters, this.dataFormat);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = toChannelsLast(inputs as Tensor, this.dataFormat);
    let y = convTranspose(x, this.kernel as LayerVariable, { ...this.windowOptions(), outputPadding: this.outputPadding });
    if (this.bias) y = add(y, this.bias);
    y = fromChannelsLast(y, this.dataFormat);
    return this.activation(y);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      outputPadding: this.outputPadding ? [...this.outputPadding] : null,
      ...kernelSettingsConfig(this.kernelSettings, 'kernel'),
    };
  }

  private get kernelSettings(): KernelSettings {
    return { initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint };
  }
}

const args = filtersKernelArgs<ConvTransposeOptions>;
const fromConfigArgs = filtersKernelFromConfig<ConvTransposeOptions>;

/** 1-D transposed convolution: input `[batch, steps, channels]`. */
export class Conv1DTransposeLayer extends ConvTransposeLayer {
  static override readonly className: string = 'Conv1DTranspose';
  constructor(filters: number, kernelSize: SpatialArg, options: ConvTransposeOptions = {}) {
    super(1, filters, kernelSize, options);
  }
  static fromConfig(config: LayerConfig): Conv1DTransposeLayer {
    return new Conv1DTransposeLayer(...fromConfigArgs(config));
  }
}

/** 2-D transposed convolution: input `[batch, height, width, channels]`, kernel `[kh, kw, filters, in]`. */
export class Conv2DTransposeLayer extends ConvTransposeLayer {
  static override readonly className: string = 'Conv2DTranspose';
  constructor(filters: number, kernelSize: SpatialArg, options: ConvTransposeOptions = {}) {
    super(2, filters, kernelSize, options);
  }
  static fromConfig(config: LayerConfig): Conv2DTransposeLayer {
    return new Conv2DTransposeLayer(...fromConfigArgs(config));
  }
}

/** 3-D transposed convolution: input `[batch, depth, height, width, channels]`. */
export class Conv3DTransposeLayer extends ConvTransposeLayer {
  static override readonly className: string = 'Conv3DTranspose';
  constructor(filters: number, kernelSize: SpatialArg, options: ConvTransposeOptions = {}) {
    super(3, filters, kernelSize, options);
  }
  static fromConfig(config: LayerConfig): Conv3DTransposeLayer {
    return new Conv3DTransposeLayer(...fromConfigArgs(config));
  }
}

/** The type of what `Conv1DTranspose()` returns. */
export type Conv1DTranspose = Conv1DTransposeLayer;
/** The type of what `Conv2DTranspose()` returns. */
export type Conv2DTranspose = Conv2DTransposeLayer;
/** The type of what `Conv3DTranspose()` returns. */
export type Conv3DTranspose = Conv3DTransposeLayer;

/** `Conv1DTranspose(filters, kernelSize, { strides, padding, outputPadding, ... })`, as Keras. */
export function Conv1DTranspose(filters: number, kernelSize: SpatialArg, options?: ConvTransposeOptions): Conv1DTranspose;
export function Conv1DTranspose(options: ConvTransposeOptions & { filters: number; kernelSize: SpatialArg }): Conv1DTranspose;
export function Conv1DTranspose(a: number | ConvTransposeOptions, b?: SpatialArg, c?: ConvTransposeOptions): Conv1DTranspose {
  return new Conv1DTransposeLayer(...args(a, b, c));
}

/** `Conv2DTranspose(16, 3, { strides: 2, padding: 'same' })` doubles height and width, as Keras. */
export function Conv2DTranspose(filters: number, kernelSize: SpatialArg, options?: ConvTransposeOptions): Conv2DTranspose;
export function Conv2DTranspose(options: ConvTransposeOptions & { filters: number; kernelSize: SpatialArg }): Conv2DTranspose;
export function Conv2DTranspose(a: number | ConvTransposeOptions, b?: SpatialArg, c?: ConvTransposeOptions): Conv2DTranspose {
  return new Conv2DTransposeLayer(...args(a, b, c));
}

/** `Conv3DTranspose(filters, kernelSize, options)`, as Keras. */
export function Conv3DTranspose(filters: number, kernelSize: SpatialArg, options?: ConvTransposeOptions): Conv3DTranspose;
export function Conv3DTranspose(options: ConvTransposeOptions & { filters: number; kernelSize: SpatialArg }): Conv3DTranspose;
export function Conv3DTranspose(a: number | ConvTransposeOptions, b?: SpatialArg, c?: ConvTransposeOptions): Conv3DTranspose {
  return new Conv3DTransposeLayer(...args(a, b, c));
}
