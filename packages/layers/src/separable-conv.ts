import { conv, depthwiseConv } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { InitializerIdentifier } from '@neurona/initializers';
import type { CallKwargs, LayerConfig, LayerVariable } from './layer';
import type { RegularizerIdentifier } from './regularizers';
import type { ConstraintIdentifier } from './constraints';
import {
  BaseConvLayer,
  filtersKernelArgs,
  filtersKernelFromConfig,
  kernelSettings,
  kernelSettingsConfig,
  type BaseConvOptions,
  type KernelSettings,
} from './base-conv';
import { fromChannelsLast, positiveInt, toChannelsLast, type SpatialArg } from './conv-utils';

/** Options of `SeparableConv1D` and `SeparableConv2D`. */
export interface SeparableConvOptions extends Omit<BaseConvOptions, 'padding'> {
  filters?: number;
  kernelSize?: SpatialArg;
  /** `'valid'` (default) or `'same'`. */
  padding?: 'valid' | 'same';
  /** Depthwise filters per input channel. Default 1. */
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier;
  pointwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  pointwiseRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
  pointwiseConstraint?: ConstraintIdentifier | null;
}

const KEYS = [
  'filters', 'kernelSize', 'depthMultiplier', 'depthwiseInitializer', 'pointwiseInitializer',
  'depthwiseRegularizer', 'pointwiseRegularizer', 'depthwiseConstraint', 'pointwiseConstraint',
];

/**
 * A depthwise separable convolution, as Keras's SeparableConv1D/2D: a depthwise convolution
 * (`depthwise_kernel` `[...kernelSize, in, depthMultiplier]`, with the strides, padding and
 * dilation) then a pointwise one (`pointwise_kernel` `[1, ..., in·depthMultiplier, filters]`),
 * bias `[filters]`; weights in that order.
 */
export abstract class SeparableConvLayer extends BaseConvLayer {
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly depthwise: KernelSettings;
  readonly pointwise: KernelSettings;
  depthwiseKernel: LayerVariable | null = null;
  pointwiseKernel: LayerVariable | null = null;

  constructor(rank: number, filters: number, kernelSize: SpatialArg, options: SeparableConvOptions) {
    super(rank, kernelSize, options, KEYS, false);
    this.filters = positiveInt(String(this), 'filters', filters);
    this.depthMultiplier = positiveInt(String(this), 'depthMultiplier', options.depthMultiplier ?? 1);
    this.depthwise = kernelSettings(options as Record<string, unknown>, 'depthwise');
    this.pointwise = kernelSettings(options as Record<string, unknown>, 'pointwise');
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = this.inputChannels(inputShape);
    this.checkFits(inputShape as Shape);
    this.depthwiseKernel = this.addKernel('depthwise_kernel', [...this.kernelSize, channels, this.depthMultiplier], this.depthwise);
    this.pointwiseKernel = this.addKernel('pointwise_kernel', [...this.kernelSize.map(() => 1), channels * this.depthMultiplier, this.filters], this.pointwise);
    this.addBias(this.filters);
    this.setInputSpec(channels);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return this.windowOutputShape(inputShape, this.filters);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    this.checkFits(x.shape);
    const h = depthwiseConv(toChannelsLast(x, this.dataFormat), this.depthwiseKernel as LayerVariable, null, this.windowOptions());
    const y = conv(h, this.pointwiseKernel as LayerVariable, this.bias, this.fusedOptions());
    return this.finish(fromChannelsLast(y, this.dataFormat));
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      depthMultiplier: this.depthMultiplier,
      ...kernelSettingsConfig(this.depthwise, 'depthwise'),
      ...kernelSettingsConfig(this.pointwise, 'pointwise'),
    };
  }
}

const args = filtersKernelArgs<SeparableConvOptions>;
const fromConfigArgs = filtersKernelFromConfig<SeparableConvOptions>;

/** 1-D depthwise separable convolution: input `[batch, steps, channels]`. */
export class SeparableConv1DLayer extends SeparableConvLayer {
  static override readonly className: string = 'SeparableConv1D';
  constructor(filters: number, kernelSize: SpatialArg, options: SeparableConvOptions = {}) {
    super(1, filters, kernelSize, options);
  }
  static fromConfig(config: LayerConfig): SeparableConv1DLayer {
    return new SeparableConv1DLayer(...fromConfigArgs(config));
  }
}

/** 2-D depthwise separable convolution: input `[batch, height, width, channels]`. */
export class SeparableConv2DLayer extends SeparableConvLayer {
  static override readonly className: string = 'SeparableConv2D';
  constructor(filters: number, kernelSize: SpatialArg, options: SeparableConvOptions = {}) {
    super(2, filters, kernelSize, options);
  }
  static fromConfig(config: LayerConfig): SeparableConv2DLayer {
    return new SeparableConv2DLayer(...fromConfigArgs(config));
  }
}

/** The type of what `SeparableConv1D()` returns. */
export type SeparableConv1D = SeparableConv1DLayer;
/** The type of what `SeparableConv2D()` returns. */
export type SeparableConv2D = SeparableConv2DLayer;

/** `SeparableConv1D(filters, kernelSize, { depthMultiplier, strides, padding, ... })`, as Keras. */
export function SeparableConv1D(filters: number, kernelSize: SpatialArg, options?: SeparableConvOptions): SeparableConv1D;
export function SeparableConv1D(options: SeparableConvOptions & { filters: number; kernelSize: SpatialArg }): SeparableConv1D;
export function SeparableConv1D(a: number | SeparableConvOptions, b?: SpatialArg, c?: SeparableConvOptions): SeparableConv1D {
  return new SeparableConv1DLayer(...args(a, b, c));
}

/** `SeparableConv2D(64, 3, { padding: 'same', activation: 'relu' })`, as Keras. */
export function SeparableConv2D(filters: number, kernelSize: SpatialArg, options?: SeparableConvOptions): SeparableConv2D;
export function SeparableConv2D(options: SeparableConvOptions & { filters: number; kernelSize: SpatialArg }): SeparableConv2D;
export function SeparableConv2D(a: number | SeparableConvOptions, b?: SpatialArg, c?: SeparableConvOptions): SeparableConv2D {
  return new SeparableConv2DLayer(...args(a, b, c));
}
