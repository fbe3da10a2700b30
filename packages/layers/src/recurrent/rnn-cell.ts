import { cast, div, greaterEqual, randomUniform, SeedGenerator, zeros } from '@neurona/tensor';
import type { RecurrentActivation, RecurrentCell, Shape, Tensor } from '@neurona/tensor';
import type { CallKwargs, Layer, LayerInput } from '../layer';
import { ComposedLayer } from '../composed-layer';
import { formatShape } from '../shape';

/** The dropout masks of one sequence (drawn once per call, the same at every step, as Keras). */
export interface CellDropout {
  /** Masks for the step input: one, or one per gate (Keras's `implementation=1`). */
  input: Tensor[] | null;
  /** Masks for the previous output: one, or one per gate. */
  recurrent: Tensor[] | null;
  /** A cell stack: the masks of each cell. */
  cells?: (CellDropout | null)[];
}

/** What a step sees besides its input and states. */
export interface StepContext {
  training: boolean;
  dropout: CellDropout | null;
}

/** What a step returns: the output and the new states. */
export interface StepResult {
  output: Tensor;
  states: Tensor[];
}

/**
 * How a cell runs as one fused sequence op (`recurrentSequence` of @neurona/tensor): the
 * projection `x·kernel + bias` of every step first, then the recurrence.
 */
export interface FusedCell {
  cell: RecurrentCell;
  kernel: Tensor;
  recurrentKernel: Tensor;
  /** Bias of the input projection, or null. */
  bias: Tensor | null;
  /** GRU (`resetAfter`): the bias added to `h·U`, or null. */
  recurrentBias: Tensor | null;
  activation: RecurrentActivation;
  recurrentActivation: RecurrentActivation;
}

/** Dropout with Keras's scaling: 0 with probability `rate`, else `1 / (1 − rate)`. */
export function dropoutMask(shape: number[], rate: number, seed: number): Tensor {
  return div(cast(greaterEqual(randomUniform(shape, 0, 1, 'float32', seed), rate), 'float32'), 1 - rate);
}

/**
 * The base of recurrent cells, as Keras's RNN cells: a layer that computes one time step,
 * `step(x, states) → { output, states }`, with `stateSize` and `outputSize`. The `RNN` layer runs
 * it over a sequence. Called by itself (`cell.apply([x, ...states])`) it returns
 * `[output, ...newStates]`.
 */
export abstract class RNNCellLayer extends ComposedLayer {
  /** Size of each state (`[units, units]` for an LSTM: h and c). */
  abstract get stateSize(): number[];
  /** Size of the output of a step. */
  abstract get outputSize(): number;
  /** Fraction of the step input dropped while training. */
  dropout = 0;
  /** Fraction of the previous output dropped while training. */
  recurrentDropout = 0;
  /** Draws the dropout masks: the cell's own stream (from its `seed`, else from the global seed). */
  private dropoutSeeds = new SeedGenerator();

  protected override sublayers(): Layer[] {
    return [];
  }

  /** One time step on `x` `[batch, ...]` with the states of the step before. */
  abstract step(x: Tensor, states: Tensor[], context: StepContext): StepResult;

  /** Create the weights for step inputs of this shape (`[batch, features]`). */
  protected abstract buildCell(stepShape: Shape): void;

  /** How many dropout masks a step uses for its input and for the previous output (1, or one per gate). */
  protected dropoutMaskCount(): { input: number; recurrent: number } {
    return { input: 1, recurrent: 1 };
  }

  /** The cell as a fused sequence op, or null when it must run step by step (see `FusedCell`). */
  fused(training: boolean): FusedCell | null {
    void training;
    return null;
  }

  /** Keras's `seed` option: the masks' stream starts from it (null: derived from the global seed). */
  protected seedDropout(seed: number | null): void {
    if (seed !== null) this.dropoutSeeds = new SeedGenerator(seed);
  }

  private nextMaskSeed(): number {
    return this.dropoutSeeds.next();
  }

  /**
   * The masks of one sequence call (null when not training or without dropout), for step inputs
   * of `inputShape` and a first state of `stateShape`.
   */
  dropoutMasks(inputShape: number[], stateShape: number[], training: boolean): CellDropout | null {
    if (!training || (this.dropout <= 0 && this.recurrentDropout <= 0)) return null;
    const n = this.dropoutMaskCount();
    const input = this.dropout > 0 ? Array.from({ length: n.input }, () => dropoutMask(inputShape, this.dropout, this.nextMaskSeed())) : null;
    const recurrent = this.recurrentDropout > 0 ? Array.from({ length: n.recurrent }, () => dropoutMask(stateShape, this.recurrentDropout, this.nextMaskSeed())) : null;
    return { input, recurrent };
  }

  /** Zero states for a batch, as Keras's `get_initial_state`. */
  initialStates(batch: number, stepShape?: number[]): Tensor[] {
    void stepShape;
    return this.stateSize.map((n) => zeros([batch, n]));
  }

  /** The shape of state `i` for a batch (`[batch, units]`; convolutional cells have more axes). */
  stateShape(i: number, batch: number | null, stepShape?: Shape): Shape {
    void stepShape;
    return [batch, this.stateSize[i]];
  }

  /** The shape of a step's output for a step input of `stepShape`. */
  stepOutputShape(stepShape: Shape): Shape {
    return [stepShape[0], this.outputSize];
  }

  protected override get takesList(): boolean {
    return true;
  }

  protected override takesListFor(inputs: LayerInput): boolean {
    void inputs;
    return true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : inputShape) as Shape;
    if (s.length < 2) throw new Error(`${this} expects step inputs [batch, features], got ${formatShape(s)}`);
    this.buildCell(s);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const shapes = inputShape as Shape[];
    const x = shapes[0];
    return [this.stepOutputShape(x), ...this.stateSize.map((_, i) => this.stateShape(i, x[0], x))];
  }

  /** `[x, ...states]` → `[output, ...newStates]`. */
  call(inputs: Tensor | Tensor[], kwargs: CallKwargs): Tensor[] {
    const [x, ...states] = inputs as Tensor[];
    if (states.length !== this.stateSize.length) {
      throw new Error(`${this} takes [input, ${this.stateSize.length} state(s)], got ${states.length} state(s)`);
    }
    const training = kwargs.training ?? false;
    const r = this.step(x, states, { training, dropout: this.dropoutMasks(x.shape, states[0].shape, training) });
    return [r.output, ...r.states];
  }
}
