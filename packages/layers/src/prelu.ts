import { prelu } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import { get as getInitializer, serialize as serializeInitializer } from '@neurona/initializers';
import type { Initializer, InitializerIdentifier } from '@neurona/initializers';
import type { CallKwargs, LayerConfig, LayerOptions, LayerVariable } from './layer';
import { Layer } from './layer';
import { getRegularizer, serializeRegularizer } from './regularizers';
import type { Regularizer, RegularizerIdentifier } from './regularizers';
import { describeValue, formatShape } from './shape';

/** Options of `PReLU`. */
export interface PReLUOptions extends LayerOptions {
  /** Initial slopes (default `'zeros'`, as Keras: it starts as ReLU). */
  alphaInitializer?: InitializerIdentifier;
  alphaRegularizer?: RegularizerIdentifier | null;
  /** Input axes (1 = first after the batch) along which one slope is shared, e.g. `[1, 2]` for images. */
  sharedAxes?: number[] | null;
}

/** Parametric ReLU: `x` for x ≥ 0, `alpha·x` below, with a learned `alpha` per input value. */
export class PReLULayer extends Layer {
  static override readonly className: string = 'PReLU';
  /** Passes the mask of its input on, as Keras. */
  override supportsMasking = true;
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | null;
  readonly sharedAxes: number[] | null;
  /** The slopes, shaped as one sample with the shared axes of size 1. */
  alpha: LayerVariable | null = null;

  constructor(options: PReLUOptions = {}) {
    super(options, ['alphaInitializer', 'alphaRegularizer', 'sharedAxes']);
    const shared = options.sharedAxes ?? null;
    if (shared !== null && !(Array.isArray(shared) && shared.every((a) => Number.isInteger(a) && a >= 1))) {
      throw new Error(`${this}: sharedAxes must be an array of axes >= 1 (0 is the batch), got ${describeValue(shared)}`);
    }
    this.alphaInitializer = getInitializer(options.alphaInitializer ?? 'zeros');
    this.alphaRegularizer = getRegularizer(options.alphaRegularizer);
    this.sharedAxes = shared ? [...shared] : null;
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    const shared = new Set(this.sharedAxes ?? []);
    for (const a of shared) {
      if (a >= s.length) throw new Error(`${this}: shared axis ${a} is out of range for input ${formatShape(s)}`);
    }
    const paramShape = s.slice(1).map((d, i) => (shared.has(i + 1) ? 1 : d));
    if (paramShape.some((d) => d === null)) {
      throw new Error(`${this} needs every non-shared input dimension known, got input ${formatShape(s)}`);
    }
    this.alpha = this.addWeight('alpha', paramShape as number[], this.alphaInitializer, {
      regularizer: this.alphaRegularizer,
    });
    const axes: Record<number, number> = {};
    s.forEach((d, i) => {
      if (i > 0 && !shared.has(i) && d !== null) axes[i] = d;
    });
    this.inputSpec = [{ ndim: s.length, axes }];
    this.built = true;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return prelu(inputs as Tensor, this.alpha as LayerVariable);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      alphaInitializer: serializeInitializer(this.alphaInitializer),
      alphaRegularizer: serializeRegularizer(this.alphaRegularizer),
      sharedAxes: this.sharedAxes,
    };
  }

  static fromConfig(config: LayerConfig): PReLULayer {
    return new PReLULayer(config as PReLUOptions);
  }
}

/** The type of what `PReLU()` returns. */
export type PReLU = PReLULayer;

/** `PReLU()`: a ReLU whose negative slope is learned (starts at 0). */
export function PReLU(options: PReLUOptions = {}): PReLU {
  return new PReLULayer(options);
}
