import { conv } from '@neurona/tensor';
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
import { fromChannelsLast, positiveInt, toChannelsLast, type SpatialArg } from './conv-utils';
import { describeValue } from './shape';

/** Options of `Conv1D`, `Conv2D` and `Conv3D`. */
export interface ConvOptions extends BaseConvOptions {
  /** Number of filters (output channels); the first argument of the factory. */
  filters?: number;
  /** Kernel size per spatial axis (one number for all); the second argument of the factory. */
  kernelSize?: SpatialArg;
  /** Channel groups: input channels and filters must both be divisible by it. Default 1. */
  groups?: number;
  /** Default `'glorot_uniform'`. */
  kernelInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  /** Applied to the kernel after each optimizer update (`MaxNorm({ maxValue: 3 })`, `'non_neg'`). */
  kernelConstraint?: ConstraintIdentifier | null;
}

const CONV_KEYS = ['filters', 'kernelSize', 'groups', 'kernelInitializer', 'kernelRegularizer', 'kernelConstraint'];

/**
 * A convolution layer of 1, 2 or 3 spatial axes, as Keras's Conv1D/2D/3D: kernel
 * `[...kernelSize, inChannels / groups, filters]`, bias `[filters]`, `activation(conv(x) + bias)`.
 */
export abstract class ConvLayer extends BaseConvLayer {
  readonly filters: number;
  readonly groups: number;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  kernel: LayerVariable | null = null;

  constructor(rank: number, filters: number, kernelSize: SpatialArg, options: ConvOptions) {
    super(rank, kernelSize, options, CONV_KEYS, rank === 1);
    this.filters = positiveInt(String(this), 'filters', filters);
    this.groups = positiveInt(String(this), 'groups', options.groups ?? 1);
    if (this.filters % this.groups !== 0) {
      throw new Error(`${this}: filters (${this.filters}) must be divisible by groups (${this.groups})`);
    }
    checkStridesOrDilation(this);
    const k: KernelSettings = kernelSettings(options as Record<string, unknown>, 'kernel');
    this.kernelInitializer = k.initializer;
    this.kernelRegularizer = k.regularizer;
    this.kernelConstraint = k.constraint;
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = this.inputChannels(inputShape);
    if (channels % this.groups !== 0) {
      throw new Error(`${this}: the input channels (${channels}) must be divisible by groups (${this.groups}); input ${describeValue(inputShape)}`);
    }
    this.checkFits(inputShape as Shape);
    this.kernel = this.addKernel('kernel', [...this.kernelSize, channels / this.groups, this.filters], this.kernelSettings);
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
    const y = conv(toChannelsLast(x, this.dataFormat), this.kernel as LayerVariable, this.bias, {
      ...this.windowOptions(),
      padding: this.padding,
      groups: this.groups,
      ...this.fusedOptions(),
    });
    return this.finish(fromChannelsLast(y, this.dataFormat));
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      groups: this.groups,
      ...kernelSettingsConfig(this.kernelSettings, 'kernel'),
    };
  }

  private get kernelSettings(): KernelSettings {
    return { initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint };
  }
}

const convArgs = filtersKernelArgs<ConvOptions>;
const fromConfigArgs = filtersKernelFromConfig<ConvOptions>;

/** 1-D convolution over steps: input `[batch, steps, channels]`; `padding: 'causal'` pads only before. */
export class Conv1DLayer extends ConvLayer {
  static override readonly className: string = 'Conv1D';
  constructor(filters: number, kernelSize: SpatialArg, options: ConvOptions = {}) {
    super(1, filters, kernelSize, options);
  }
  static fromConfig(config: LayerConfig): Conv1DLayer {
    return new Conv1DLayer(...fromConfigArgs(config));
  }
}

/** 2-D convolution: input `[batch, height, width, channels]`, kernel `[kh, kw, in / groups, filters]`. */
export class Conv2DLayer extends ConvLayer {
  static override readonly className: string = 'Conv2D';
  constructor(filters: number, kernelSize: SpatialArg, options: ConvOptions = {}) {
    super(2, filters, kernelSize, options);
  }
  static fromConfig(config: LayerConfig): Conv2DLayer {
    return new Conv2DLayer(...fromConfigArgs(config));
  }
}

/** 3-D convolution: input `[batch, depth, height, width, channels]`. */
export class Conv3DLayer extends ConvLayer {
  static override readonly className: string = 'Conv3D';
  constructor(filters: number, kernelSize: SpatialArg, options: ConvOptions = {}) {
    super(3, filters, kernelSize, options);
  }
  static fromConfig(config: LayerConfig): Conv3DLayer {
    return new Conv3DLayer(...fromConfigArgs(config));
  }
}

/** The type of what `Conv1D()` returns. */
export type Conv1D = Conv1DLayer;
/** The type of what `Conv2D()` returns. */
export type Conv2D = Conv2DLayer;
/** The type of what `Conv3D()` returns. */
export type Conv3D = Conv3DLayer;

/**
 * `Conv1D(filters, kernelSize, { strides, padding: 'valid' | 'same' | 'causal', dilationRate, groups, activation, ... })`
 * (or one options object with `filters` and `kernelSize`), as Keras's Conv1D.
 */
export function Conv1D(filters: number, kernelSize: SpatialArg, options?: ConvOptions): Conv1D;
export function Conv1D(options: ConvOptions & { filters: number; kernelSize: SpatialArg }): Conv1D;
export function Conv1D(a: number | ConvOptions, b?: SpatialArg, c?: ConvOptions): Conv1D {
  return new Conv1DLayer(...convArgs(a, b, c));
}

/**
 * `Conv2D(32, 3, { activation: 'relu', inputShape: [28, 28, 1] })` (or one options object with
 * `filters` and `kernelSize`), as Keras's Conv2D: kernel `[kh, kw, in / groups, filters]`,
 * `glorot_uniform` kernel and `zeros` bias by default.
 */
export function Conv2D(filters: number, kernelSize: SpatialArg, options?: ConvOptions): Conv2D;
export function Conv2D(options: ConvOptions & { filters: number; kernelSize: SpatialArg }): Conv2D;
export function Conv2D(a: number | ConvOptions, b?: SpatialArg, c?: ConvOptions): Conv2D {
  return new Conv2DLayer(...convArgs(a, b, c));
}

/** `Conv3D(filters, kernelSize, options)`, as Keras's Conv3D (input `[batch, depth, height, width, channels]`). */
export function Conv3D(filters: number, kernelSize: SpatialArg, options?: ConvOptions): Conv3D;
export function Conv3D(options: ConvOptions & { filters: number; kernelSize: SpatialArg }): Conv3D;
export function Conv3D(a: number | ConvOptions, b?: SpatialArg, c?: ConvOptions): Conv3D {
  return new Conv3DLayer(...convArgs(a, b, c));
}
