import { callableBase } from '@neurona/common';

/** A layer is both an object with Layer's members and a function: `Dense(10)(x)` is `Dense(10).apply(x)`. */
export const CallableBase = callableBase('apply');
