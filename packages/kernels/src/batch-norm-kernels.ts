// BatchNormalization's training-mode kernels in two passes each over raw memory (cpu, wasm),
// instead of the portable bodies' chains of 8–12 backend kernels: statistics then the output
// forward; the sums Σdy, Σdy·x̂ then dx backward. Sums are kept in float64, and the forward's
// variance uses sums shifted by the first row (a stable one-pass variance when the mean is large
// against the spread).
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, type BackendMemory, type PortableKernel } from '@neurona/tensor/kernel-api';
import { onePass } from './small-kernels';

/** Forward: `[y, mean, variance]` of x `[rows, channels]`. */
export function batchNormTrainBody(backendName: string, memory: BackendMemory): PortableKernel {
  return onePass(BATCH_NORM_TRAIN, backendName, memory, (raw, inputs, _backend, attrs) => {
    const { x, gamma, beta } = inputs;
    const eps = attrs.epsilon as number;
    const [n, ch] = x.shape;
    // allocate first: on wasm an allocation may move the heap and invalidate earlier views
    const yInfo = raw.alloc([n, ch], 'float32');
    const meanInfo = raw.alloc([ch], 'float32');
    const varInfo = raw.alloc([ch], 'float32');
    const xv = raw.view(x);
    const g = raw.view(gamma);
    const b = raw.view(beta);
    const y = raw.view(yInfo);
    const meanOut = raw.view(meanInfo);
    const varOut = raw.view(varInfo);
    const shift = new Float64Array(ch);
    for (let c = 0; c < ch; c++) shift[c] = n > 0 ? xv[c] : 0;
    const s = new Float64Array(ch);
    const ss = new Float64Array(ch);
    for (let r = 0, o = 0; r < n; r++, o += ch) {
      for (let c = 0; c < ch; c++) {
        const d = xv[o + c] - shift[c];
        s[c] += d;
        ss[c] += d * d;
      }
    }
    const scale = new Float64Array(ch);
    const offset = new Float64Array(ch);
    for (let c = 0; c < ch; c++) {
      const m = s[c] / n;
      const mean = shift[c] + m;
      const variance = Math.max(ss[c] / n - m * m, 0);
      meanOut[c] = mean;
      varOut[c] = variance;
      scale[c] = g[c] / Math.sqrt(variance + eps);
      offset[c] = b[c] - mean * scale[c];
    }
    for (let r = 0, o = 0; r < n; r++, o += ch) {
      for (let c = 0; c < ch; c++) y[o + c] = xv[o + c] * scale[c] + offset[c];
    }
    return [yInfo, meanInfo, varInfo] as unknown as TensorInfo;
  });
}

/** Backward: `[dx, dgamma, dbeta]` from dy, x and the forward's statistics. */
export function batchNormTrainGradBody(backendName: string, memory: BackendMemory): PortableKernel {
  return onePass(BATCH_NORM_TRAIN_GRAD, backendName, memory, (raw, inputs, _backend, attrs) => {
    const { dy, x, mean, variance, gamma } = inputs;
    const eps = attrs.epsilon as number;
    const [n, ch] = x.shape;
    const dxInfo = raw.alloc([n, ch], 'float32');
    const dgInfo = raw.alloc([ch], 'float32');
    const dbInfo = raw.alloc([ch], 'float32');
    const g = raw.view(dy);
    const xv = raw.view(x);
    const mu = raw.view(mean);
    const v = raw.view(variance);
    const gam = raw.view(gamma);
    const dx = raw.view(dxInfo);
    const dgOut = raw.view(dgInfo);
    const dbOut = raw.view(dbInfo);
    const inv = new Float64Array(ch);
    for (let c = 0; c < ch; c++) inv[c] = 1 / Math.sqrt(v[c] + eps);
    const sdb = new Float64Array(ch);
    const sdg = new Float64Array(ch);
    for (let r = 0, o = 0; r < n; r++, o += ch) {
      for (let c = 0; c < ch; c++) {
        const d = g[o + c];
        sdb[c] += d;
        sdg[c] += d * (xv[o + c] - mu[c]) * inv[c];
      }
    }
    const k = new Float64Array(ch);
    const mb = new Float64Array(ch);
    const mg = new Float64Array(ch);
    for (let c = 0; c < ch; c++) {
      dbOut[c] = sdb[c];
      dgOut[c] = sdg[c];
      k[c] = gam[c] * inv[c];
      mb[c] = sdb[c] / n;
      mg[c] = sdg[c] / n;
    }
    for (let r = 0, o = 0; r < n; r++, o += ch) {
      for (let c = 0; c < ch; c++) {
        const xh = (xv[o + c] - mu[c]) * inv[c];
        dx[o + c] = k[c] * (g[o + c] - mb[c] - xh * mg[c]);
      }
    }
    return [dxInfo, dgInfo, dbInfo] as unknown as TensorInfo;
  });
}
