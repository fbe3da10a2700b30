import { clone, keep, mul, scalar, tidy, variable, variableConstraint, zerosLike } from '@neurona/tensor';
import type { Scalar, Tensor, Variable } from '@neurona/tensor';
import { clipGradients, type ClipSettings } from './clip';
import { isSchedule, serializeSchedule } from './schedules/schedule-io';
import type { BaseOptimizerOptions, Config, KerasOptimizer, LearningRateSchedule } from './types';
import { checkOptions, describeValue } from '@neurona/common';
import { fail, nonNegative, optionalPositive } from './validate';

/** Option names every optimizer accepts; subclasses add their own. */
export const BASE_OPTION_KEYS = ['learningRate', 'weightDecay', 'clipNorm', 'clipValue', 'globalClipNorm', 'name'] as const;

function checkLearningRate(who: string, lr: unknown): number | LearningRateSchedule {
  if (isSchedule(lr)) return lr;
  if (typeof lr === 'function') {
    fail(who, 'learningRate', 'a number or a schedule with className and getConfig (e.g. ExponentialDecay(...))', 'a plain function');
  }
  return nonNegative(who, 'learningRate', lr);
}

/**
 * The machinery shared by every optimizer, as Keras's `BaseOptimizer`: learning rate (number or
 * schedule), gradient clipping, decoupled weight decay, the step counter and per-variable state
 * ("slots") created lazily at a variable's first update.
 *
 * A contributed optimizer extends it and implements `updateStep` (and `optimizerConfig` for its
 * own options); see the README.
 */
export abstract class BaseOptimizer implements KerasOptimizer {
  abstract readonly className: string;

  readonly name: string;
  readonly weightDecay: number | null;
  readonly clipNorm: number | null;
  readonly clipValue: number | null;
  readonly globalClipNorm: number | null;

  private lr: number | LearningRateSchedule;
  private steps = 0;
  // Per-variable state, in first-seen order (the order getWeights uses).
  private readonly slots = new Map<Variable, Variable[]>();
  // State given to setWeights before the variables were seen; consumed in order as they appear.
  private pending: Tensor[] = [];
  // Scalar tensors for hyper-parameters, made once and remade only when the value changes.
  private readonly constants = new Map<string, { value: number; tensor: Scalar }>();

  /**
   * @param who the name used in error messages
   * @param slotNames the per-variable state this optimizer keeps (e.g. `['momentum']`); may be empty
   * @param extraKeys the subclass's own option names: when given, any option that is neither one of
   *   them nor a base option is an error naming the known ones (catches `beta_1` for `beta1`)
   */
  protected constructor(
    protected readonly who: string,
    protected readonly slotNames: readonly string[],
    options: BaseOptimizerOptions,
    defaultLearningRate: number,
    extraKeys?: readonly string[],
  ) {
    if (extraKeys) checkOptions(who, options, [...BASE_OPTION_KEYS, ...extraKeys]);
    this.name = options.name ?? who;
    this.lr = checkLearningRate(who, options.learningRate ?? defaultLearningRate);
    this.weightDecay = options.weightDecay === undefined || options.weightDecay === null
      ? null
      : nonNegative(who, 'weightDecay', options.weightDecay);
    this.clipNorm = optionalPositive(who, 'clipNorm', options.clipNorm);
    this.clipValue = optionalPositive(who, 'clipValue', options.clipValue);
    this.globalClipNorm = optionalPositive(who, 'globalClipNorm', options.globalClipNorm);
    const clips = [this.clipNorm, this.clipValue, this.globalClipNorm].filter((c) => c !== null).length;
    if (clips > 1) {
      throw new Error(`${who}: set at most one of clipNorm, clipValue and globalClipNorm, got ${clips} of them`);
    }
  }

  /** The current learning rate: the number, or the schedule's value at `iterations`. */
  get learningRate(): number {
    return typeof this.lr === 'number' ? this.lr : this.lr(this.steps);
  }

  set learningRate(value: number) {
    if (typeof this.lr !== 'number') {
      throw new Error(
        `${this.who}: learningRate comes from the schedule ${this.lr.className} and cannot be set; ` +
          `create the optimizer with a number to change it from a callback`,
      );
    }
    this.lr = nonNegative(this.who, 'learningRate', value);
  }

  /** The schedule the learning rate follows, or null when it is a number. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return typeof this.lr === 'number' ? null : this.lr;
  }

  get iterations(): number {
    return this.steps;
  }

  /**
   * The names of the state this optimizer keeps per variable, in the order `getWeights` gives
   * each variable's slots: `['momentum']` for SGD with momentum, `['momentum', 'velocity']` for
   * Adam, `[]` for plain SGD. A new array each call.
   */
  getSlotNames(): string[] {
    return [...this.slotNames];
  }

  /**
   * A name for each tensor of `getWeights()`, in order: `'iterations'`, then
   * `<variable name>/<slot>` for each variable seen so far (`'dense/kernel/momentum'`).
   */
  getWeightNames(): string[] {
    const out = ['iterations'];
    for (const [v, slots] of this.slots) slots.forEach((_, i) => out.push(`${v.name}/${this.slotNames[i]}`));
    return out;
  }

  /**
   * The update of one variable, inside the step's tidy: read `slots` (in `slotNames` order) and
   * `assign` new values to them and to `variable`. `lr` is the learning rate of this step as a
   * scalar tensor and `lrValue` as a number; `step` counts from 1.
   */
  protected abstract updateStep(
    grad: Tensor,
    variable: Variable,
    slots: Variable[],
    lr: Scalar,
    step: number,
    lrValue: number,
  ): void;

  /** This optimizer's own options for getConfig (the base ones are added). */
  protected abstract optimizerConfig(): Config;

  /** The initial value of a slot (zeros unless overridden, e.g. Adagrad's accumulator). */
  protected initialSlot(_slot: string, v: Variable): Tensor {
    return zerosLike(v);
  }

  /** A scalar tensor for a hyper-parameter, reused across steps while its value is unchanged. */
  protected constant(key: string, value: number): Scalar {
    const cached = this.constants.get(key);
    if (cached && Object.is(cached.value, value) && !cached.tensor.isDisposed) return cached.tensor;
    cached?.tensor.dispose();
    const tensor = keep(scalar(value));
    this.constants.set(key, { value, tensor });
    return tensor;
  }

  /** Create the state of these variables now rather than at their first update (as Keras's `build`). */
  build(variables: Variable[]): void {
    tidy(() => {
      for (const v of variables) this.slotsOf(v);
    });
  }

  applyGradients(pairs: [Tensor, Variable][]): void {
    for (const [g, v] of pairs) {
      if (g.shape.length !== v.shape.length || g.shape.some((d, i) => d !== v.shape[i])) {
        throw new Error(
          `${this.who}: the gradient of variable "${v.name}" must have its shape [${v.shape.join(', ')}], got [${g.shape.join(', ')}]`,
        );
      }
    }
    const lrValue = this.learningRate;
    const step = this.steps + 1;
    tidy(() => {
      const lr = this.constant('learningRate', lrValue);
      const clips: ClipSettings = { clipNorm: this.clipNorm, clipValue: this.clipValue, globalClipNorm: this.globalClipNorm };
      const grads = pairs.length > 0 ? clipGradients(pairs.map((p) => p[0]), clips, (k, x) => this.constant(k, x)) : [];
      if (this.weightDecay !== null && this.weightDecay > 0) {
        // Keras: variable -= variable * weightDecay * lr, before the update, with the step's lr
        const keepFactor = this.constant('weightDecayFactor', 1 - this.weightDecay * lrValue);
        for (const [, v] of pairs) v.assign(mul(v, keepFactor));
      }
      pairs.forEach(([, v], i) => this.updateStep(grads[i], v, this.slotsOf(v), lr, step, lrValue));
      // Keras applies a variable's constraint (MaxNorm, NonNeg...) right after its update
      for (const [, v] of pairs) {
        const c = variableConstraint(v);
        if (c) v.assign(c(v));
      }
    });
    this.steps = step;
  }

  /**
   * Keras 3's `optimizer.apply(grads, variables)`: one step with `grads[i]` for `variables[i]`
   * (a `null` gradient, e.g. from `valueAndGradients` for a weight the loss does not use, is
   * skipped). `variables` defaults to those seen before, in order.
   */
  apply(grads: (Tensor | null)[], variables: Variable[]): void {
    if (!Array.isArray(grads) || !Array.isArray(variables) || grads.length !== variables.length) {
      throw new Error(
        `${this.who}.apply: expects as many gradients as variables, got ${Array.isArray(grads) ? grads.length : describeValue(grads)} gradients ` +
          `for ${Array.isArray(variables) ? variables.length : describeValue(variables)} variables`,
      );
    }
    const pairs: [Tensor, Variable][] = [];
    grads.forEach((g, i) => {
      if (g !== null && g !== undefined) pairs.push([g, variables[i]]);
    });
    this.applyGradients(pairs);
  }

  getConfig(): Config {
    return {
      name: this.name,
      learningRate: typeof this.lr === 'number' ? this.lr : serializeSchedule(this.lr),
      weightDecay: this.weightDecay,
      clipNorm: this.clipNorm,
      clipValue: this.clipValue,
      globalClipNorm: this.globalClipNorm,
      ...this.optimizerConfig(),
    };
  }

  getWeights(): Tensor[] {
    const out: Tensor[] = [scalar(this.steps, 'int32')];
    for (const slots of this.slots.values()) for (const s of slots) out.push(clone(s));
    return out;
  }

  /**
   * Restore the state `getWeights` returned. Reads the iteration count synchronously: on a
   * backend without synchronous reads (WebGPU in Node) give tensors made from host data, or use
   * `setWeightsAsync`.
   */
  setWeights(ws: Tensor[]): void {
    this.restore(ws, readIterations(this.who, ws));
  }

  /** `setWeights` that reads the iteration count asynchronously: works on every backend. */
  async setWeightsAsync(ws: Tensor[]): Promise<void> {
    const first = ws[0];
    const steps = first && !first.isDisposed && first.size === 1 ? (await first.data())[0] : Number.NaN;
    this.restore(ws, steps);
  }

  private restore(ws: Tensor[], stepsRead: number): void {
    const perVar = this.slotNames.length;
    const n = this.slots.size;
    const rest = ws.slice(1);
    const shapeHint = `[iterations, ${perVar} slot(s) (${this.slotNames.join(', ') || 'none'}) per variable]`;
    if (ws.length === 0 || ws[0].size !== 1) {
      throw new Error(`${this.who}.setWeights: expected ${shapeHint} starting with a scalar iterations, got ${ws.length} tensors`);
    }
    if (n > 0 ? rest.length !== n * perVar : perVar === 0 ? rest.length !== 0 : rest.length % perVar !== 0) {
      const expected = n > 0 ? `${1 + n * perVar} tensors` : `1 + a multiple of ${perVar} tensors`;
      throw new Error(`${this.who}.setWeights: expected ${expected} ${shapeHint}, got ${ws.length}`);
    }
    let i = 0;
    for (const [v, slots] of this.slots) {
      for (const s of slots) {
        const w = rest[i++];
        checkShape(this.who, v, w);
        s.assign(w);
      }
    }
    for (const t of this.pending) t.dispose();
    this.pending = n > 0 ? [] : rest.map((t) => clone(t));
    this.steps = Math.round(stepsRead);
  }

  dispose(): void {
    for (const slots of this.slots.values()) for (const s of slots) s.dispose();
    this.slots.clear();
    for (const { tensor } of this.constants.values()) tensor.dispose();
    this.constants.clear();
    for (const t of this.pending) t.dispose();
    this.pending = [];
  }

  private slotsOf(v: Variable): Variable[] {
    let slots = this.slots.get(v);
    if (!slots) {
      slots = this.slotNames.map((name) => {
        const given = this.pending.shift();
        if (given) {
          checkShape(this.who, v, given);
          const s = variable(given, false);
          given.dispose();
          return s;
        }
        return variable(this.initialSlot(name, v), false);
      });
      this.slots.set(v, slots);
    }
    return slots;
  }
}

// The step count of a state list, read synchronously with a clear error where that is impossible.
function readIterations(who: string, ws: Tensor[]): number {
  const first = ws[0];
  if (!first || first.isDisposed || first.size !== 1) return Number.NaN; // restore() reports it
  try {
    return first.dataSync()[0];
  } catch (e) {
    throw new Error(
      `${who}.setWeights: this backend cannot read tensors synchronously (${(e as Error).message}); use await optimizer.setWeightsAsync(weights)`,
      { cause: e },
    );
  }
}

function checkShape(who: string, v: Variable, w: Tensor): void {
  if (w.shape.length !== v.shape.length || w.shape.some((d, i) => d !== v.shape[i]) || w.dtype !== v.dtype) {
    throw new Error(
      `${who}.setWeights: the state of variable "${v.name}" must be ${v.dtype} [${v.shape.join(', ')}], ` +
        `got ${w.dtype} [${w.shape.join(', ')}]`,
    );
  }
}
