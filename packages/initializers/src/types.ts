import type { Tensor, DataType } from '@neurona/tensor';

/** An initializer's settings as JSON, camelCase keys (`{ mean: 0, stddev: 0.05, seed: null }`). */
export type InitializerConfig = Record<string, number | string | null>;

/** A weight initializer: `GlorotUniform({ seed: 1 })([784, 128])` is a `[784, 128]` tensor. */
export type Initializer = ((shape: number[], dtype?: DataType) => Tensor) & {
  readonly className: string;
  getConfig(): InitializerConfig;
};

/** How an initializer is saved: `{ className: 'GlorotUniform', config: { seed: null } }`. */
export interface SerializedInitializer {
  className: string;
  config: InitializerConfig;
}

/** What `get` accepts: a name, an initializer, a plain `(shape, dtype) => Tensor`, or its serialized form. */
export type InitializerIdentifier =
  | string
  | Initializer
  | ((shape: number[], dtype?: DataType) => Tensor)
  | { className: string; config?: Record<string, unknown> };

/** Options every random initializer takes: a fixed `seed` makes every call return the same values. */
export interface SeedOption {
  seed?: number | null;
}
