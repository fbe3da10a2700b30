// tfjs 4.22's cpu backend computes Add/Sub/Multiply with a broadcast index computation (and an
// allocation) per element whenever the shapes differ, and a modulo per element when they match:
// about 20 ns per element, so an SGD update of a 784×128 kernel (g·lr, then w − that) costs ~4 ms.
// These bodies handle float32 with equal sizes, a scalar, or a trailing-dimensions operand (a
// bias) in plain loops (~1 ns per element) and leave every other case to the original kernel.
// Installed for backends declaring 'host' memory; the probe of raw-data.ts guards the access.
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { rawAccess } from './raw-data';

type Op = (a: number, b: number) => number;

const size = (s: number[]) => s.reduce((p, d) => p * d, 1);

/** Whether `small`'s shape is a suffix of `big`'s (so it repeats along big's leading axes). */
function isSuffix(big: number[], small: number[]): boolean {
  if (small.length > big.length) return false;
  for (let i = 1; i <= small.length; i++) if (small[small.length - i] !== big[big.length - i]) return false;
  return true;
}

function fast(op: Op): (original: KernelFunc, backendName: string) => KernelFunc {
  return (original, backendName) => (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
    const raw = rawAccess(args.backend as KernelBackend, 'host', backendName);
    if (!raw) return original(args);
    const av = raw.view(a);
    const bv = raw.view(b);
    if (!(av instanceof Float32Array) || !(bv instanceof Float32Array)) return original(args);
    const na = av.length;
    const nb = bv.length;
    // which loop, and the output's shape; anything else goes to the original kernel
    let mode: 'same' | 'scalarB' | 'scalarA' | 'suffixB' | 'suffixA';
    if (na === nb && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i])) mode = 'same';
    else if (nb === 1 && b.shape.length <= a.shape.length) mode = 'scalarB';
    else if (na === 1 && a.shape.length <= b.shape.length) mode = 'scalarA';
    else if (nb > 0 && isSuffix(a.shape, b.shape) && na % nb === 0) mode = 'suffixB';
    else if (na > 0 && isSuffix(b.shape, a.shape) && nb % na === 0) mode = 'suffixA';
    else return original(args);
    const shape = mode === 'scalarA' || mode === 'suffixA' ? b.shape : a.shape;
    const n = Math.max(na, nb);
    if (size(shape) !== n) return original(args);
    const info = raw.alloc(shape, 'float32');
    const out = raw.view(info);
    if (mode === 'same') for (let i = 0; i < n; i++) out[i] = op(av[i], bv[i]);
    else if (mode === 'scalarB') for (let i = 0, s = bv[0]; i < n; i++) out[i] = op(av[i], s);
    else if (mode === 'scalarA') for (let i = 0, s = av[0]; i < n; i++) out[i] = op(s, bv[i]);
    else if (mode === 'suffixB') for (let i = 0; i < n; i += nb) for (let j = 0; j < nb; j++) out[i + j] = op(av[i + j], bv[j]);
    else for (let i = 0; i < n; i += na) for (let j = 0; j < na; j++) out[i + j] = op(av[j], bv[i + j]);
    return info;
  };
}

/** Replacement bodies by kernel name. */
export const CPU_ELEMENTWISE: Record<string, (original: KernelFunc, backendName: string) => KernelFunc> = {
  Add: fast((x, y) => x + y),
  Sub: fast((x, y) => x - y),
  Multiply: fast((x, y) => x * y),
};
