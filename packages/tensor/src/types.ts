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
} from '@tensorflow/tfjs-core';

/** A shape whose batch (or any unknown) dimension may be `null`, as in Keras. */
export type Shape = (number | null)[];
