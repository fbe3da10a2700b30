import { registerOptimizer } from '@neurona/optimizers';
import { Lion } from './lion';

export { Lion, type LionOptions, type LionOptimizer } from './lion';

// Importing the package is enough: `compile({ optimizer: 'lion' })`, `get('Lion')` and model
// loading find it through the optimizers registry (names match ignoring case and underscores).
registerOptimizer('Lion', Lion.fromConfig);
