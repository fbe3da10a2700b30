// The root test project has no @neurona/* dependencies of its own (only tensor and backend-node),
// so these tests reach each package's built public entry (its dist/, as users get it) by path.
export * as T from '../../packages/tensor/dist/index.js';
export * as L from '../../packages/layers/dist/index.js';
export * as M from '../../packages/models/dist/index.js';
export * as O from '../../packages/optimizers/dist/index.js';
export * as LS from '../../packages/losses/dist/index.js';
export * as ME from '../../packages/metrics/dist/index.js';
export * as A from '../../packages/activations/dist/index.js';
export * as I from '../../packages/initializers/dist/index.js';
export * as D from '../../packages/data-split/dist/index.js';
export * as DS from '../../packages/datasets/dist/index.js';
export * as DA from '../../packages/data/dist/index.js';
