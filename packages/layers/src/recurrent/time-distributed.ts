import { reshape } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, Layer, LayerConfig, LayerMask, LayerOptions, SerializedLayer } from '../layer';
import { Layer as LayerBase } from '../layer';
import { ComposedLayer } from '../composed-layer';
import { describeValue, formatShape } from '../shape';
// a cycle (the registry lists this class), used only inside fromConfig
import { deserializeLayer } from '../registry';
import { serializeLayer } from '../serialize-layer';

/**
 * Keras's `TimeDistributed`: applies a layer to every time step of `[batch, steps, ...]`, with the
 * same weights (`TimeDistributed(Dense(10))`, `TimeDistributed(Conv2D(...))` on frames). The
 * steps are folded into the batch, so the layer runs once. The output keeps the input's mask.
 */
export class TimeDistributedLayer extends ComposedLayer {
  static override readonly className: string = 'TimeDistributed';
  readonly layer: Layer;
  override supportsMasking = true;

  constructor(layer: Layer, options: LayerOptions = {}) {
    const o = options ?? {};
    const inherited = o.inputShape === undefined && o.batchInputShape === undefined ? ((layer as Partial<Layer> | null)?.batchInputShape ?? undefined) : undefined;
    super(inherited ? { ...o, batchInputShape: inherited } : o, []);
    if (!(layer instanceof LayerBase)) throw new Error(`${this}: expects a layer (Dense(10), Conv2D...), got ${describeValue(layer)}`);
    this.layer = layer;
  }

  protected override sublayers(): Layer[] {
    return [this.layer];
  }

  private check(s: Shape): void {
    if (s.length < 3) throw new Error(`${this} expects input [null, timesteps, ...] (rank 3 or more), got ${formatShape(s)}`);
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = inputShape as Shape;
    this.check(s);
    this.layer.weightScope = `${this.name}/${this.layer.name}`;
    if (!this.layer.built) {
      this.layer.build([s[0], ...s.slice(2)]);
      this.layer.built = true;
    }
    this.built = true;
  }

  protected override assertInputCompatible(shapes: Shape[]): void {
    this.check(shapes[0]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = inputShape as Shape;
    const inner = this.layer.computeOutputShape([s[0], ...s.slice(2)]) as Shape;
    return [inner[0], s[1], ...inner.slice(1)];
  }

  /** The input's mask over batch and time. */
  override computeMask(inputs: Tensor | Tensor[], mask: LayerMask | null): Tensor | null {
    void inputs;
    return mask && !Array.isArray(mask) ? mask : null;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    const x = inputs as Tensor;
    const [b, t, ...rest] = x.shape;
    const out = this.layer.call(reshape(x, [b * t, ...rest]), { training: kwargs.training }) as Tensor;
    return reshape(out, [b, t, ...out.shape.slice(1)]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), layer: serializeLayer(this.layer) as unknown as LayerConfig };
  }

  static fromConfig(config: LayerConfig): TimeDistributedLayer {
    const { layer, ...rest } = config;
    if (typeof layer !== 'object' || layer === null) throw new Error(`TimeDistributed: config.layer must be a serialized layer, got ${describeValue(layer)}`);
    return new TimeDistributedLayer(deserializeLayer(layer as SerializedLayer), rest as LayerOptions);
  }
}

/** The type of what `TimeDistributed()` returns. */
export type TimeDistributed = TimeDistributedLayer;

/** `TimeDistributed(Dense(10))`: the layer applied to every time step. */
export function TimeDistributed(layer: Layer, options: LayerOptions = {}): TimeDistributed {
  return new TimeDistributedLayer(layer, options);
}
