export { buildModel } from './build-model';
export { buildModelAsync } from './build-model-async';
export { isModelKind, MODEL_KINDS, IMAGE_SHAPE, NUM_CLASSES, CNN_FILTERS, type ModelKind, type BuildModelOptions } from './kinds';
export { trainModel, TRAINING_DEFAULTS, type TrainingDefaults, type TrainingData, type TrainOptions } from './train';
export { predictProbabilities } from './predict';
