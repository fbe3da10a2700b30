import type { Shape, Tensor } from '@neurona/tensor';
import type { Layer, LayerConfig, LayerOptions } from '../layer';
import { describeValue } from '../shape';
// a cycle (the registry lists this class), used only inside fromConfig
import { deserializeLayer } from '../registry';
import { RNNCellLayer, type CellDropout, type StepContext, type StepResult } from './rnn-cell';

function isCell(x: unknown): x is RNNCellLayer {
  return x instanceof RNNCellLayer;
}

/**
 * Keras's `StackedRNNCells`: cells run one after the other within each step, the output of one
 * the input of the next. Its states are every cell's states, in order; its output the last
 * cell's. `RNN([LSTMCell(32), LSTMCell(16)])` stacks them.
 */
export class StackedRNNCellsLayer extends RNNCellLayer {
  static override readonly className: string = 'StackedRNNCells';
  readonly cells: RNNCellLayer[];

  constructor(cells: RNNCellLayer[], options: LayerOptions = {}) {
    super(options ?? {}, []);
    if (!Array.isArray(cells) || cells.length === 0 || !cells.every(isCell)) {
      throw new Error(`${this}: expects a non-empty list of recurrent cells (LSTMCell, GRUCell, SimpleRNNCell...), got ${describeValue(cells)}`);
    }
    this.cells = [...cells];
  }

  protected override sublayers(): Layer[] {
    return this.cells;
  }

  get stateSize(): number[] {
    return this.cells.flatMap((c) => c.stateSize);
  }

  get outputSize(): number {
    return this.cells[this.cells.length - 1].outputSize;
  }

  protected buildCell(stepShape: Shape): void {
    let shape = stepShape;
    for (const c of this.cells) {
      c.weightScope = `${this.weightScope ?? this.name}/${c.name}`;
      if (!c.built) c.build(shape);
      shape = c.stepOutputShape(shape);
    }
  }

  /** Each cell's states, in order. */
  private split(states: Tensor[]): Tensor[][] {
    let at = 0;
    return this.cells.map((c) => {
      const part = states.slice(at, at + c.stateSize.length);
      at += c.stateSize.length;
      return part;
    });
  }

  override dropoutMasks(inputShape: number[], stateShape: number[], training: boolean): CellDropout | null {
    if (!training) return null;
    let shape = inputShape;
    const cells = this.cells.map((c, i) => {
      const masks = c.dropoutMasks(shape, [stateShape[0], c.stateSize[0]], training);
      shape = [inputShape[0], this.cells[i].outputSize];
      return masks;
    });
    return cells.some((m) => m) ? { input: null, recurrent: null, cells } : null;
  }

  step(x: Tensor, states: Tensor[], context: StepContext): StepResult {
    let input = x;
    const parts = this.split(states);
    const next: Tensor[] = [];
    this.cells.forEach((c, i) => {
      const r = c.step(input, parts[i], { training: context.training, dropout: context.dropout?.cells?.[i] ?? null });
      input = r.output;
      next.push(...r.states);
    });
    return { output: input, states: next };
  }

  override stepOutputShape(stepShape: Shape): Shape {
    return this.cells.reduce((s, c) => c.stepOutputShape(s), stepShape);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), cells: this.cells.map((c) => ({ className: c.className, config: c.getConfig() })) };
  }

  static fromConfig(config: LayerConfig): StackedRNNCellsLayer {
    const { cells, ...rest } = config;
    if (!Array.isArray(cells)) throw new Error(`StackedRNNCells: config.cells must be a list of serialized cells, got ${describeValue(cells)}`);
    const made = (cells as { className: string; config: LayerConfig }[]).map((c) => deserializeLayer(c));
    return new StackedRNNCellsLayer(made as RNNCellLayer[], rest as LayerOptions);
  }
}

/** The type of what `StackedRNNCells()` returns. */
export type StackedRNNCells = StackedRNNCellsLayer;

/** Cells run in order within each step: `RNN(StackedRNNCells([LSTMCell(32), LSTMCell(16)]))`. */
export function StackedRNNCells(cells: RNNCellLayer[], options: LayerOptions = {}): StackedRNNCells {
  return new StackedRNNCellsLayer(cells, options);
}
