import type { Loss } from './types';

/** True for a Loss: a function with `className` and `getConfig`. */
export function isLoss(x: unknown): x is Loss {
  return typeof x === 'function' && typeof (x as Partial<Loss>).className === 'string' &&
    typeof (x as Partial<Loss>).getConfig === 'function';
}
