export { buildModel, isModelKind, MODEL_KINDS, IMAGE_SHAPE, NUM_CLASSES, CNN_FILTERS, type ModelKind, type BuildModelOptions } from './build-model';
export { trainModel, TRAINING_DEFAULTS, type TrainingDefaults, type TrainingData, type TrainOptions } from './train';
export { predictProbabilities } from './predict';
