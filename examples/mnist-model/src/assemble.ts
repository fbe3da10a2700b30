// What buildModel and buildModelAsync share: checks, the dense layers, the optimizer, compile. The
// convnet's layers come in as a function, so that this module does not import them.
import { Dense, Flatten } from '@neurona/layers';
import { CategoricalCrossentropy } from '@neurona/losses';
import { Sequential } from '@neurona/models';
import { Adam, SGD } from '@neurona/optimizers';
import { setSeed } from '@neurona/tensor';
import { CNN_FILTERS, DEFAULT_ADAM_RATE, IMAGE_SHAPE, isModelKind, MODEL_KINDS, NUM_CLASSES, type BuildModelOptions, type ModelKind } from './kinds';

/** Adds the convnet's feature extractor (Reshape to the classifier's Flatten and Dropout) to a model. */
export type AddConvnet = (model: Sequential, filters: readonly [number, number]) => void;

/** Check `kind` and `options` (messages name `where`); throws what was expected and what was found. */
export function checkBuild(where: string, kind: ModelKind, options: BuildModelOptions): readonly [number, number] {
  if (!isModelKind(kind)) throw new Error(`${where}: kind must be one of ${MODEL_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  const filters = options.filters ?? CNN_FILTERS;
  if (options.filters !== undefined && kind !== 'cnn') throw new Error(`${where}: filters apply to the 'cnn' kind only, got kind ${JSON.stringify(kind)}`);
  if (filters.length !== 2 || !filters.every((f) => Number.isInteger(f) && f > 0)) {
    throw new Error(`${where}: filters must be two positive integers, got ${JSON.stringify(filters)}`);
  }
  return filters;
}

/** Build and compile a checked model; `addConvnet` is called for the CNN only. */
export function assembleModel(kind: ModelKind, options: BuildModelOptions, filters: readonly [number, number], addConvnet: AddConvnet | null): Sequential {
  if (options.seed !== undefined) setSeed(options.seed);
  const model = Sequential({ name: kind });
  if (kind === 'cnn') {
    if (!addConvnet) throw new Error('assembleModel: the CNN needs its convnet layers');
    addConvnet(model, filters);
  } else model.add(Flatten({ inputShape: [...IMAGE_SHAPE] }));
  if (kind === 'mlp') model.add(Dense(128, { activation: 'relu' }));
  model.add(Dense(NUM_CLASSES, { activation: 'softmax' }));
  // The perceptron keeps the course's plain SGD; the MLP and the CNN train in a few epochs with Adam.
  const optimizer = kind === 'perceptron' ? SGD(options.learningRate ?? 0.01) : Adam(options.learningRate ?? DEFAULT_ADAM_RATE[kind]);
  // objects, not names: a page's bundle then carries neither the loss nor the optimizer registry
  model.compile({ loss: CategoricalCrossentropy(), optimizer, metrics: ['accuracy'] });
  return model;
}
