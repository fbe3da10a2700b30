import * as tf from '@tensorflow/tfjs';
// The same 10,000 embedded digits as the neurona page (build @neurona/datasets first).
import binUrl from '../../../packages/datasets/dist/mnist-10k.bin?url';

/** The split the page trains on. */
export interface Split {
  xTrain: tf.Tensor;
  yTrain: tf.Tensor;
  xVal: tf.Tensor;
  yVal: tf.Tensor;
  xTest: tf.Tensor;
  yTest: tf.Tensor;
}

/** mulberry32: a small seeded generator (tfjs has no seeded shuffle of indices). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The first `samples` digits of neurona's binary (`NRMN` header, labels, then pixels), shuffled
 * with a seed and split 70/10/20 (tfjs has no split helper; this one is not stratified).
 */
export async function loadSplit(samples: number): Promise<Split> {
  const res = await fetch(binUrl);
  if (!res.ok) throw new Error(`fetching the MNIST digits failed: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const view = new DataView(bytes.buffer);
  const count = view.getUint32(8, false);
  const n = Math.min(samples, count);
  const labels = bytes.subarray(16, 16 + count);
  const pixels = bytes.subarray(16 + count);
  const order = Array.from({ length: n }, (_, i) => i);
  const next = rng(42);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const part = (idx: number[]) => {
    const x = new Float32Array(idx.length * 784);
    idx.forEach((k, r) => {
      for (let p = 0; p < 784; p++) x[r * 784 + p] = pixels[k * 784 + p] / 255;
    });
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(idx.map((k) => labels[k]), 'int32'), 10).toFloat());
    return [tf.tensor3d(x, [idx.length, 28, 28]), y] as const;
  };
  const nTest = Math.ceil(n * 0.2);
  const nVal = Math.ceil(n * 0.1);
  const [xTest, yTest] = part(order.slice(0, nTest));
  const [xVal, yVal] = part(order.slice(nTest, nTest + nVal));
  const [xTrain, yTrain] = part(order.slice(nTest + nVal));
  return { xTrain, yTrain, xVal, yVal, xTest, yTest };
}
