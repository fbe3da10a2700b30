// The fused activations of neurona's conv and dense ops, applied in place in one pass.

/** y ← f(y) for a fused activation name (`'relu'`, `'relu6'`, `'elu'`, `'sigmoid'`, `'leakyrelu'`). */
export function applyActivation(y: Float32Array, activation: string, alpha: number): void {
  const n = y.length;
  switch (activation) {
    case 'relu':
      for (let i = 0; i < n; i++) if (y[i] < 0) y[i] = 0;
      break;
    case 'relu6':
      for (let i = 0; i < n; i++) y[i] = y[i] < 0 ? 0 : y[i] > 6 ? 6 : y[i];
      break;
    case 'elu':
      for (let i = 0; i < n; i++) if (y[i] < 0) y[i] = Math.expm1(y[i]);
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) y[i] = 1 / (1 + Math.exp(-y[i]));
      break;
    case 'leakyrelu':
      for (let i = 0; i < n; i++) if (y[i] < 0) y[i] *= alpha;
      break;
    case 'linear':
      break;
    default:
      throw new Error(`unknown fused activation ${JSON.stringify(activation)}`);
  }
}
