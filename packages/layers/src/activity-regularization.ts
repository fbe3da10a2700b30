import type { Tensor } from '@neurona/tensor';
import type { CallKwargs, LayerConfig, LayerOptions } from './layer';
import { Layer } from './layer';
import { L1L2 } from './regularizers';
import { describeValue } from './shape';

/** Options of `ActivityRegularization`. */
export interface ActivityRegularizationOptions extends Omit<LayerOptions, 'activityRegularizer'> {
  /** L1 factor (default 0). */
  l1?: number;
  /** L2 factor (default 0). */
  l2?: number;
}

function check(v: unknown, what: string): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new Error(`ActivityRegularization: ${what} must be a finite number >= 0, got ${describeValue(v)}`);
  }
  return v;
}

/**
 * The identity, with an L1/L2 penalty on its input added to the model's loss (Keras's
 * `ActivityRegularization`): `l1·Σ|x| + l2·Σx²`, divided by the batch size as every activity
 * penalty.
 */
export class ActivityRegularizationLayer extends Layer {
  static override readonly className: string = 'ActivityRegularization';
  readonly l1: number;
  readonly l2: number;

  constructor(options: ActivityRegularizationOptions = {}) {
    const { l1, l2, ...base } = (options ?? {}) as ActivityRegularizationOptions & { activityRegularizer?: unknown };
    if ('activityRegularizer' in base) {
      throw new Error(`ActivityRegularization: takes l1 and l2, not activityRegularizer (got ${describeValue(base.activityRegularizer)})`);
    }
    const f1 = check(l1, 'l1');
    const f2 = check(l2, 'l2');
    super({ ...base, activityRegularizer: L1L2({ l1: f1, l2: f2 }) }, []);
    this.l1 = f1;
    this.l2 = f2;
  }

  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor {
    void kwargs;
    return inputs as Tensor;
  }

  override getConfig(): LayerConfig {
    const { activityRegularizer, ...base } = super.getConfig();
    void activityRegularizer;
    return { ...base, l1: this.l1, l2: this.l2 };
  }

  static fromConfig(config: LayerConfig): ActivityRegularizationLayer {
    return new ActivityRegularizationLayer(config as ActivityRegularizationOptions);
  }
}

/** The type of what `ActivityRegularization()` returns. */
export type ActivityRegularization = ActivityRegularizationLayer;

/** `ActivityRegularization({ l2: 0.01 })`: passes its input on and adds `0.01·Σx²/batch` to the loss. */
export function ActivityRegularization(options: ActivityRegularizationOptions = {}): ActivityRegularization {
  return new ActivityRegularizationLayer(options);
}
