// The convnet part of a compiled plan, one chunk loaded by compile-plan.ts only for a model with
// conv or pooling layers (a dense model's page never downloads it).
export { featureOf } from './conv-analyze';
export { ConvFront, frontParams } from './conv-front';
