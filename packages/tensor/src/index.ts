// The public names of @neurona/tensor: an explicit list (test/exports.test.ts keeps the built
// entries equal to test/exports.json). Kernel and backend packages use './kernel-api' as well.
import './register';

export type {
  Tensor,
  Variable,
  Scalar,
  Tensor1D,
  Tensor2D,
  Tensor3D,
  Tensor4D,
  Rank,
  DataType,
  TensorLike,
  NamedTensorMap,
  TypedArray,
  NumericDataType,
  TensorContainer,
  MemoryInfo,
  Shape,
} from './types';
export * from './ops';
export { tidy, dispose, keep, memory, isDisposed } from './memory';
export { variable, grads, valueAndGrads, variableGrads, customGrad, valueAndGradients, type LossAndExtras } from './autodiff';
export { ensureKernels, setKernelLoader } from './ensure-kernels';
export { setVariableConstraint, variableConstraint } from './constraint';
export { withLogits, logitsOf, type LogitsRecord } from './logits';
export { withMask, maskOf } from './mask';
export { createRng, setSeed, clearSeed, nextSeed, nextStreamSeed, hasSeed, randomNormal, randomUniform, truncatedNormal, shuffledIndices } from './random';
export { SeedGenerator } from './seed-generator';
export { threefry2x32, dropoutMask, dropoutThreshold, dropoutScale, THREEFRY_PARITY, THREEFRY_ROTATIONS, type Words2 } from './threefry';
export { isTensor, isVariable } from './guards';
export { checkNestedValues } from './create';
export { dense, fusedActivation, type FusedActivation } from './fused';
export { matMulT } from './matmul-t';
export { einsum } from './einsum';
export { softmaxCrossEntropyWithLogits } from './softmax-cross-entropy';
export { gatherRows } from './gather-rows';
export { batchNormTrain } from './batch-norm';
export { embeddingLookup } from './embedding-lookup';
export {
  recurrentSequence,
  recurrentActivation,
  type RecurrentCell,
  type RecurrentActivation,
  type RecurrentSequenceOptions,
  type RecurrentStates,
} from './recurrent';
export { conv, convTranspose, depthwiseConv, type ConvOptions, type ConvTransposeOptions } from './conv-ops';
export type { ConvPadding } from './conv-geometry';
export { maxPooling, averagePooling, type PoolOptions } from './pool';
export {
  registerBackendProvider,
  listBackendProviders,
  setBackend,
  getBackendInfo,
  type BackendProvider,
  type BackendInfo,
  type BackendKind,
} from './backend';
export type { BackendCapabilities, BackendMemory } from './capabilities';
