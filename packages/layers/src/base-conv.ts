// What every convolution layer shares (Keras's BaseConv, BaseConvTranspose, BaseDepthwiseConv and
// BaseSeparableConv have the same arguments around their kernels): kernel size, strides,
// padding, data format, dilation, activation and the bias; the checks of the input with named
// shapes in the messages; channels_first inputs moved to channels last for the ops and back.
import type { FusedActivation, Shape, Tensor } from '@neurona/tensor';
import { get as getInitializer, serialize as serializeInitializer } from '@neurona/initializers';
import type { Initializer, InitializerIdentifier } from '@neurona/initializers';
import type { ActivationFn, ActivationIdentifier } from '@neurona/activations';
import { activationToConfig, fusedActivationOf, resolveActivation } from './activation-config';
import type { CallKwargs, LayerConfig, LayerOptions, LayerVariable } from './layer';
import { Layer } from './layer';
import { getRegularizer, serializeRegularizer } from './regularizers';
import type { Regularizer, RegularizerIdentifier } from './regularizers';
import { getConstraint, serializeConstraint, type Constraint, type ConstraintIdentifier } from './constraints';
import { formatShape } from './shape';
import {
  checkRank,
  checkWindowFits,
  joinShape,
  namedInputShape,
  outputLength,
  splitShape,
  standardizeDataFormat,
  standardizePadding,
  standardizeTuple,
  type ConvLayerPadding,
  type DataFormat,
  type SpatialArg,
} from './conv-utils';

/** Options every convolution layer takes. */
export interface BaseConvOptions extends LayerOptions {
  /** Stride per spatial axis (one number for all). Default 1. `strides > 1` excludes `dilationRate > 1`, as Keras. */
  strides?: SpatialArg;
  /** `'valid'` (default), `'same'` (TensorFlow's rule: the odd cell of padding after) or, for 1-D convolutions, `'causal'`. */
  padding?: ConvLayerPadding;
  /** `'channels_last'` (default, `[batch, ...spatial, channels]`) or `'channels_first'`. */
  dataFormat?: DataFormat | null;
  /** Dilation per spatial axis. Default 1. */
  dilationRate?: SpatialArg;
  /** Applied to the output (`'relu'`...). Default linear. */
  activation?: ActivationIdentifier;
  /** Add a bias vector. Default true. */
  useBias?: boolean;
  /** Default `'zeros'`. */
  biasInitializer?: InitializerIdentifier;
  biasRegularizer?: RegularizerIdentifier | null;
  /** Applied to the bias after each optimizer update. */
  biasConstraint?: ConstraintIdentifier | null;
}

export const BASE_CONV_KEYS = ['strides', 'padding', 'dataFormat', 'dilationRate', 'activation', 'useBias', 'biasInitializer', 'biasRegularizer', 'biasConstraint'];

/** A kernel weight's initializer, regularizer and constraint, read from options under a prefix. */
export interface KernelSettings {
  initializer: Initializer;
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

/** `kernelInitializer`, `kernelRegularizer`, `kernelConstraint` (or `depthwise...`, `pointwise...`). */
export function kernelSettings(options: Record<string, unknown>, prefix: string): KernelSettings {
  return {
    initializer: getInitializer((options[`${prefix}Initializer`] ?? 'glorot_uniform') as InitializerIdentifier),
    regularizer: getRegularizer(options[`${prefix}Regularizer`] as RegularizerIdentifier | null | undefined),
    constraint: getConstraint(options[`${prefix}Constraint`] as ConstraintIdentifier | null | undefined),
  };
}

/** The config entries of kernel settings under a prefix. */
export function kernelSettingsConfig(k: KernelSettings, prefix: string): LayerConfig {
  return {
    [`${prefix}Initializer`]: serializeInitializer(k.initializer),
    [`${prefix}Regularizer`]: serializeRegularizer(k.regularizer),
    [`${prefix}Constraint`]: serializeConstraint(k.constraint),
  };
}

/** The base of the convolution layers: everything but the kernels and the op. */
export abstract class BaseConvLayer extends Layer {
  /** Spatial axes: 1, 2 or 3. */
  readonly rank: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: ConvLayerPadding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  readonly biasRegularizer: Regularizer | null;
  readonly biasConstraint: Constraint | null;
  bias: LayerVariable | null = null;
  /** The activation in the form the conv ops fuse (bias + activation in one pass), or null. */
  protected readonly fused: ReturnType<typeof fusedActivationOf>;

  constructor(rank: number, kernelSize: unknown, options: BaseConvOptions, extraKeys: readonly string[], allowCausal: boolean) {
    super(options, [...BASE_CONV_KEYS, ...extraKeys]);
    const where = String(this);
    this.rank = rank;
    this.kernelSize = standardizeTuple(where, 'kernelSize', kernelSize, rank);
    this.strides = standardizeTuple(where, 'strides', options.strides ?? 1, rank);
    this.dilationRate = standardizeTuple(where, 'dilationRate', options.dilationRate ?? 1, rank);
    this.padding = standardizePadding(where, options.padding ?? 'valid', allowCausal);
    this.dataFormat = standardizeDataFormat(where, options.dataFormat);
    this.activation = resolveActivation(options.activation);
    this.fused = fusedActivationOf(this.activation);
    if (options.useBias !== undefined && typeof options.useBias !== 'boolean') throw new Error(`${where}: useBias must be a boolean, got ${String(options.useBias)}`);
    this.useBias = options.useBias ?? true;
    this.biasInitializer = getInitializer(options.biasInitializer ?? 'zeros');
    this.biasRegularizer = getRegularizer(options.biasRegularizer);
    this.biasConstraint = getConstraint(options.biasConstraint);
  }

  /** The rank is checked on the concrete input first, so the message shows its real batch size. */
  protected override eager(tensors: Tensor[], kwargs: CallKwargs, forward: (inputs: Tensor | Tensor[], kwargs: CallKwargs) => Tensor | Tensor[]): Tensor | Tensor[] {
    if (tensors[0]) checkRank(String(this), tensors[0].shape, this.rank, this.dataFormat);
    return super.eager(tensors, kwargs, forward);
  }

  /** Checks the input shape at build time and returns its channel count. */
  protected inputChannels(inputShape: Shape | Shape[]): number {
    const s = inputShape as Shape;
    checkRank(String(this), s, this.rank, this.dataFormat);
    const { channels } = splitShape(s, this.dataFormat);
    if (channels === null) throw new Error(`${this} needs the number of input channels to build, got input ${formatShape(s)}`);
    return channels;
  }

  /** The inputSpec of a built layer: the exact rank and the channel count it was built for. */
  protected setInputSpec(channels: number): void {
    const axis = this.dataFormat === 'channels_last' ? -1 : 1;
    this.inputSpec = [{ ndim: this.rank + 2, axes: { [axis]: channels } }];
  }

  /** Wrong rank or channel count, said with the named shape (`[null, height, width, 3]`). */
  protected override assertInputCompatible(shapes: Shape[]): void {
    const s = shapes[0];
    const spec = this.inputSpec?.[0];
    if (!spec || !s) return;
    const channels = spec.axes ? Object.values(spec.axes)[0] : undefined;
    const { channels: got } = s.length === this.rank + 2 ? splitShape(s, this.dataFormat) : { channels: null };
    if (s.length !== this.rank + 2 || (channels !== undefined && got !== null && got !== channels)) {
      throw new Error(`${this} expects input ${namedInputShape(this.rank, this.dataFormat, channels)}, got ${formatShape(s)}`);
    }
  }

  /** Throws when a 'valid' kernel does not fit the input's spatial sizes (transposed convolutions grow instead). */
  protected checkFits(shape: Shape): void {
    if (this.padding !== 'valid' || this.transposed) return;
    checkWindowFits(String(this), 'kernel', splitShape(shape, this.dataFormat).spatial, this.kernelSize, this.strides, this.dilationRate, 'valid', shape);
  }

  /**
   * The output shape of a windowed (not transposed) convolution with `channels` output channels:
   * Keras's output length on every spatial axis; throws when a 'valid' kernel does not fit.
   */
  protected windowOutputShape(inputShape: Shape | Shape[], channels: number | null): Shape {
    const s = inputShape as Shape;
    this.checkFits(s);
    const { spatial } = splitShape(s, this.dataFormat);
    const out = spatial.map((n, i) => outputLength(n, this.kernelSize[i], this.strides[i], this.dilationRate[i], this.padding));
    return joinShape(s[0] ?? null, out, channels, this.dataFormat);
  }

  /** Adds a kernel weight with its initializer, regularizer and constraint. */
  protected addKernel(name: string, shape: number[], k: KernelSettings): LayerVariable {
    return this.addWeight(name, shape, k.initializer, { regularizer: k.regularizer, constraint: k.constraint });
  }

  /** True for Conv*DTranspose. */
  protected get transposed(): boolean {
    return false;
  }

  /** The window options of the conv ops: strides, padding and dilations. */
  protected windowOptions(): { strides: number[]; padding: 'valid' | 'same'; dilations: number[] } {
    // 'causal' only reaches ConvLayer's conv, which takes it
    return { strides: this.strides, padding: this.padding as 'valid' | 'same', dilations: this.dilationRate };
  }

  /** The activation options of a conv op that fuses bias and activation (linear when not fusable). */
  protected fusedOptions(): { activation: FusedActivation; leakyreluAlpha: number | undefined } {
    const f = this.fused;
    return { activation: f?.activation ?? 'linear', leakyreluAlpha: f?.alpha };
  }

  /** Activation not fused into the op, applied to the output in the layer's data format. */
  protected finish(y: Tensor): Tensor {
    return this.fused ? y : this.activation(y);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      kernelSize: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [...this.dilationRate],
      activation: activationToConfig(this.activation),
      useBias: this.useBias,
      biasInitializer: serializeInitializer(this.biasInitializer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      biasConstraint: serializeConstraint(this.biasConstraint),
    };
  }

  /** Adds the bias weight `[n]` when the layer has one. */
  protected addBias(n: number): void {
    if (!this.useBias) return;
    this.bias = this.addWeight('bias', [n], this.biasInitializer, { regularizer: this.biasRegularizer, constraint: this.biasConstraint });
  }
}

/** Keras refuses strides and dilation both above 1 for Conv and ConvTranspose layers. */
export function checkStridesOrDilation(layer: BaseConvLayer): void {
  if (Math.max(...layer.strides) > 1 && Math.max(...layer.dilationRate) > 1) {
    throw new Error(`${layer}: strides > 1 cannot be combined with dilationRate > 1, got strides [${layer.strides.join(', ')}] and dilationRate [${layer.dilationRate.join(', ')}]`);
  }
}

/** Options that carry `filters` and `kernelSize` (the factories' first two arguments). */
interface FiltersAndKernel {
  filters?: number;
  kernelSize?: SpatialArg;
}

/** A factory's arguments: `(filters, kernelSize, options)`, `(filters, options)` or `(options)` with `filters` and `kernelSize` in it. */
export function filtersKernelArgs<O extends FiltersAndKernel>(a: number | O, b?: SpatialArg | O, c?: O): [number, SpatialArg, O] {
  if (typeof a === 'object' && a !== null) return [a.filters as number, a.kernelSize as SpatialArg, a];
  if (typeof b === 'object' && b !== null && !Array.isArray(b)) return [a, b.kernelSize as SpatialArg, b];
  return [a, b as SpatialArg, c ?? ({} as O)];
}

/** A config's `filters` and `kernelSize` split from the other options, for the constructors. */
export function filtersKernelFromConfig<O>(config: LayerConfig): [number, SpatialArg, O] {
  const { filters, kernelSize, ...rest } = config;
  return [filters as number, kernelSize as SpatialArg, rest as O];
}
