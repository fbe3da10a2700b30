import { depthwiseConv } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { Initializer, InitializerIdentifier } from '@neurona/initializers';
import type { CallKwargs, LayerConfig, LayerVariable } from './layer';
import type { Regularizer, RegularizerIdentifier } from './regularizers';
import type { Constraint, ConstraintIdentifier } from './constraints';
import { BaseConvLayer, kernelSettings, kernelSettingsConfig, type BaseConvOptions, type KernelSettings } from './base-conv';
import { fromChannelsLast, positiveInt, splitShape, toChannelsLast, type SpatialArg } from './conv-utils';

/** Options of `DepthwiseConv1D` and `DepthwiseConv2D`. */
export interface DepthwiseConvOptions extends Omit<BaseConvOptions, 'padding'> {
  kernelSize?: SpatialArg;
  /** `'valid'` (default) or `'same'`. */
  padding?: 'valid' | 'same';
  /** Filters per input channel. Default 1. */
  depthMultiplier?: number;
  /** Default `'glorot_uniform'`. */
  depthwiseInitializer?: InitializerIdentifier;
  depthwiseRegularizer?: RegularizerIdentifier | null;
  depthwiseConstraint?: ConstraintIdentifier | null;
}

const KEYS = ['kernelSize', 'depthMultiplier', 'depthwiseInitializer', 'depthwiseRegularizer', 'depthwiseConstraint'];

/**
 * A depthwise convolution of 1 or 2 spatial axes, as Keras's DepthwiseConv1D/2D: every input
 * channel convolved with its own `depthMultiplier` filters; kernel `[...kernelSize, inChannels,
 * depthMultiplier]` (weight `kernel`), output channel `c·depthMultiplier + m`, bias
 * `[inChannels·depthMultiplier]`.
 */
export abstract class DepthwiseConvLayer extends BaseConvLayer {
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly depthwiseConstraint: Constraint | null;
  kernel: LayerVariable | null = null;

  constructor(rank: number, kernelSize: SpatialArg, options: DepthwiseConvOptions) {
    super(rank, kernelSize, options, KEYS, false);
    this.depthMultiplier = positiveInt(String(this), 'depthMultiplier', options.depthMultiplier ?? 1);
    const k = kernelSettings(options as Record<string, unknown>, 'depthwise');
    this.depthwiseInitializer = k.initializer;
    this.depthwiseRegularizer = k.regularizer;
    this.depthwiseConstraint = k.constraint;
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = this.inputChannels(inputShape);
    this.checkFits(inputShape as Shape);
    this.kernel = this.addKernel('kernel', [...this.kernelSize, channels, this.depthMultiplier], this.depthwiseSettings);
    this.addBias(channels * this.depthMultiplier);
    this.setInputSpec(channels);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const { channels } = splitShape(inputShape as Shape, this.dataFormat);
    return this.windowOutputShape(inputShape, channels === null ? null : channels * this.depthMultiplier);
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    const x = inputs as Tensor;
    this.checkFits(x.shape);
    const y = depthwiseConv(toChannelsLast(x, this.dataFormat), this.kernel as LayerVariable, this.bias, { ...this.windowOptions(), ...this.fusedOptions() });
    return this.finish(fromChannelsLast(y, this.dataFormat));
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      depthMultiplier: this.depthMultiplier,
      ...kernelSettingsConfig(this.depthwiseSettings, 'depthwise'),
    };
  }

  private get depthwiseSettings(): KernelSettings {
    return { initializer: this.depthwiseInitializer, regularizer: this.depthwiseRegularizer, constraint: this.depthwiseConstraint };
  }
}

function args(a: SpatialArg | DepthwiseConvOptions, b?: DepthwiseConvOptions): [SpatialArg, DepthwiseConvOptions] {
  if (typeof a === 'object' && a !== null && !Array.isArray(a)) return [a.kernelSize as SpatialArg, a];
  return [a, b ?? {}];
}

function fromConfigArgs(config: LayerConfig): [SpatialArg, DepthwiseConvOptions] {
  const { kernelSize, ...rest } = config;
  return [kernelSize as SpatialArg, rest as DepthwiseConvOptions];
}

/** 1-D depthwise convolution: input `[batch, steps, channels]`. */
export class DepthwiseConv1DLayer extends DepthwiseConvLayer {
  static override readonly className: string = 'DepthwiseConv1D';
  constructor(kernelSize: SpatialArg, options: DepthwiseConvOptions = {}) {
    super(1, kernelSize, options);
  }
  static fromConfig(config: LayerConfig): DepthwiseConv1DLayer {
    return new DepthwiseConv1DLayer(...fromConfigArgs(config));
  }
}

/** 2-D depthwise convolution: input `[batch, height, width, channels]`, kernel `[kh, kw, in, depthMultiplier]`. */
export class DepthwiseConv2DLayer extends DepthwiseConvLayer {
  static override readonly className: string = 'DepthwiseConv2D';
  constructor(kernelSize: SpatialArg, options: DepthwiseConvOptions = {}) {
    super(2, kernelSize, options);
  }
  static fromConfig(config: LayerConfig): DepthwiseConv2DLayer {
    return new DepthwiseConv2DLayer(...fromConfigArgs(config));
  }
}

/** The type of what `DepthwiseConv1D()` returns. */
export type DepthwiseConv1D = DepthwiseConv1DLayer;
/** The type of what `DepthwiseConv2D()` returns. */
export type DepthwiseConv2D = DepthwiseConv2DLayer;

/** `DepthwiseConv1D(kernelSize, { depthMultiplier, strides, padding, ... })`, as Keras. */
export function DepthwiseConv1D(kernelSize: SpatialArg, options?: DepthwiseConvOptions): DepthwiseConv1D;
export function DepthwiseConv1D(options: DepthwiseConvOptions & { kernelSize: SpatialArg }): DepthwiseConv1D;
export function DepthwiseConv1D(a: SpatialArg | DepthwiseConvOptions, b?: DepthwiseConvOptions): DepthwiseConv1D {
  return new DepthwiseConv1DLayer(...args(a, b));
}

/** `DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' })`, as Keras. */
export function DepthwiseConv2D(kernelSize: SpatialArg, options?: DepthwiseConvOptions): DepthwiseConv2D;
export function DepthwiseConv2D(options: DepthwiseConvOptions & { kernelSize: SpatialArg }): DepthwiseConv2D;
export function DepthwiseConv2D(a: SpatialArg | DepthwiseConvOptions, b?: DepthwiseConvOptions): DepthwiseConv2D {
  return new DepthwiseConv2DLayer(...args(a, b));
}
