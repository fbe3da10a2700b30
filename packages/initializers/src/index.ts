export type {
  Initializer,
  InitializerConfig,
  InitializerIdentifier,
  SerializedInitializer,
  SeedOption,
} from './types';
export { computeFans } from './fans';
export { Zeros, Ones, Constant } from './constant';
export type { ConstantOptions } from './constant';
export { RandomNormal, RandomUniform, TruncatedNormal } from './random';
export type { RandomNormalOptions, RandomUniformOptions, TruncatedNormalOptions } from './random';
export {
  VarianceScaling,
  GlorotUniform,
  GlorotNormal,
  HeUniform,
  HeNormal,
  LecunUniform,
  LecunNormal,
} from './variance-scaling';
export type { VarianceScalingOptions, FanMode, VarianceDistribution } from './variance-scaling';
export { Orthogonal } from './orthogonal';
export type { OrthogonalOptions } from './orthogonal';
export { Identity } from './identity';
export type { IdentityOptions } from './identity';
export { registry, get, serialize, registerInitializer } from './registry';
export type { InitializerFactory } from './registry';
