// The batches of a dataset for fit and evaluate, loaded on demand (fit awaits it only when it is
// given a dataset; evaluate is loaded on demand itself): a page that trains on arrays does not
// download it. `streamSource` loads the reader (stream-source.ts) at the first batch.
import type { LayersModel } from './model';
import { streamSteps, type Batch, type BatchSource, type BatchStream } from './batches';
import type { Tensor } from '@neurona/tensor';

/** How a stream source reads its batches. */
export interface StreamOptions {
  /** The method, for messages (`'fit'`). */
  where: string;
  /** `'validationData '` for the validation stream: prefixes the names in messages. */
  prefix?: string;
  /** Whether the model runs its own steps (its data needs no compiled loss). */
  custom: boolean;
  /** Batches per pass; when given, one iterator runs on across passes, as Keras's `steps_per_epoch`. */
  steps?: number;
  /** Whether targets are needed (fit, evaluate) or not (predict). */
  needTargets: boolean;
  /** Turns the targets of a batch into per-sample weights (`classWeight`), multiplied into the element's own. */
  classWeights?: (ys: Tensor[]) => Tensor;
}

/** The batches a stream declares (null: unknown); throws when `o.steps` asks for more. */
export function checkStreamSteps(stream: BatchStream, o: StreamOptions): number | null {
  const declared = streamSteps(stream);
  if (o.steps !== undefined && declared !== null && o.steps > declared) {
    throw new Error(
      `${o.where}: ${o.prefix ?? ''}stepsPerEpoch is ${o.steps} but the dataset has ${declared} batches; ` +
        `give at most ${declared}, or .repeat() the dataset`,
    );
  }
  return declared;
}

/**
 * The batches of a dataset or an (async) iterable, converted and checked as arrays are (the values
 * — NaN/Inf, label ranges — on the first batch of the first pass; shapes on every batch, naming the
 * batch). Every element yielded is the consumer's: it is released after its step. The reader
 * (stream-source.ts) is loaded when the first batch is asked for: a page that trains on arrays
 * never downloads it. A pass started before then (`reset`) starts when it has loaded.
 */
export function streamSource(model: LayersModel, stream: BatchStream, o: StreamOptions): BatchSource {
  const declared = checkStreamSteps(stream, o);
  let loaded: BatchSource | null = null;
  let loading: Promise<BatchSource> | null = null;
  let disposed = false;
  const load = (): Promise<BatchSource> =>
    (loading ??= import('./stream-source').then((m) => {
      loaded = m.loadedStreamSource(model, stream, o);
      return loaded;
    }));
  return {
    get steps() {
      return loaded ? loaded.steps : (o.steps ?? declared);
    },
    get samples() {
      return loaded ? loaded.samples : null;
    },
    // before the reader has loaded there is no pass to reset: its first pass starts fresh
    reset() {
      loaded?.reset();
    },
    async next() {
      if (disposed) return null;
      return (loaded ?? (await load())).next();
    },
    dispose() {
      disposed = true;
      loaded?.dispose();
    },
  };
}

/**
 * `source` with `first` (a batch already read from its first pass) handed out again: the first
 * `reset` keeps the pass going, the next `next` returns `first`. Lets fit read a dataset's first
 * batch before training starts (it builds a Sequential that has no input shape yet).
 */
export function withFirst(source: BatchSource, first: Batch): BatchSource {
  let pending: Batch | null = first;
  let fresh = true;
  return {
    get steps() {
      return source.steps;
    },
    get samples() {
      return source.samples;
    },
    reset() {
      if (fresh) {
        fresh = false;
        return;
      }
      pending?.release();
      pending = null;
      source.reset();
    },
    next() {
      fresh = false;
      const b = pending;
      pending = null;
      return b ? Promise.resolve(b) : source.next();
    },
    dispose() {
      pending?.release();
      pending = null;
      source.dispose();
    },
  };
}
