import { Bidirectional, Dense, Dropout, Embedding, Input, LSTM, TextVectorization } from '@neurona/layers';
import { Model } from '@neurona/models';

/** The two models of the example: a bag of words, or a sequence read by a bidirectional LSTM. */
export type ModelKind = 'bow' | 'lstm';

/** The names `--model` and `MODEL` accept. */
export const MODEL_KINDS: readonly ModelKind[] = ['bow', 'lstm'];

/** Sizes of the models (the defaults are the full run's). */
export interface ModelSizes {
  /** Vocabulary size of the `TextVectorization` (with the mask and OOV ids in int mode). */
  maxTokens: number;
  /** lstm: the first this many tokens of each mail are kept (shorter mails are padded with 0). */
  sequenceLength: number;
  /** lstm: the width of the embedding. */
  embeddingDim: number;
  /** lstm: units of each direction's LSTM. */
  lstmUnits: number;
}

/** The kind named by a command-line value, or a clear error. */
export function parseModelKind(value: string): ModelKind {
  const v = value.trim().toLowerCase();
  if ((MODEL_KINDS as readonly string[]).includes(v)) return v as ModelKind;
  throw new Error(`unknown model "${value}": expected one of ${MODEL_KINDS.join(', ')}`);
}

/** The `TextVectorization` the model starts with, not yet adapted. */
export function makeVectorizer(kind: ModelKind, sizes: ModelSizes): TextVectorization {
  return kind === 'bow'
    ? TextVectorization({ maxTokens: sizes.maxTokens, outputMode: 'multi_hot' })
    : TextVectorization({ maxTokens: sizes.maxTokens, outputMode: 'int', outputSequenceLength: sizes.sequenceLength });
}

/** A one-line description of the model for the logs and the README. */
export function describeModel(kind: ModelKind, sizes: ModelSizes): string {
  return kind === 'bow'
    ? `TextVectorization (multi-hot, ${sizes.maxTokens} terms) → Dense 32 relu → Dropout 0.5 → Dense 1 sigmoid`
    : `TextVectorization (int, ${sizes.maxTokens} ids, first ${sizes.sequenceLength} tokens) → Embedding ${sizes.embeddingDim} (maskZero) → Bidirectional(LSTM ${sizes.lstmUnits}) → Dropout 0.5 → Dense 1 sigmoid`;
}

/**
 * The model over mails as strings: `Input({ dtype: 'string' })` → the adapted `tv` → either a
 * hidden layer over the multi-hot bag of words (`bow`), or an `Embedding` whose `maskZero` masks
 * the padding so that the bidirectional LSTM reads only each mail's real tokens (`lstm`).
 */
export function buildModel(kind: ModelKind, tv: TextVectorization, sizes: ModelSizes): Model {
  const input = Input({ shape: [], dtype: 'string', name: 'mail' });
  const features = tv.apply(input);
  const h =
    kind === 'bow'
      ? Dense(32, { activation: 'relu' }).apply(features)
      : Bidirectional(LSTM(sizes.lstmUnits)).apply(Embedding(sizes.maxTokens, sizes.embeddingDim, { maskZero: true }).apply(features));
  return Model({ inputs: input, outputs: Dense(1, { activation: 'sigmoid' }).apply(Dropout(0.5).apply(h)) });
}
