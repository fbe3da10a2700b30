// Developer tool (not part of `pnpm bench`): BatchNormalization's training op on convnet-sized
// activations (channels last, folded to [rows, channels]): forward, and forward + gradients, with
// neurona's fast kernels on (the two-pass bodies of batchNormTrain) and off (its portable body),
// and the same maths composed of tfjs ops under autodiff (what the layer would run without the op);
// one elementwise add over the same tensor gives the scale of a pass. The variants alternate in
// one process, best of 7 each, so a busy machine affects them alike.
// node dist/batch-norm-kernels.js [cpu|wasm] [rounds]
import * as T from '@neurona/tensor';
import { useFastKernels } from '@neurona/kernels';
import { startBackend } from './backends';
import type { BackendName } from './types';

const [be = 'wasm', r = '3'] = process.argv.slice(2);
await startBackend(be as BackendName);

// the activations after the two convolutions of Keras's MNIST convnet, batch 128
const shapes: [number, number][] = [
  [128 * 26 * 26, 32],
  [128 * 11 * 11, 64],
];

function composed(x: T.Tensor, gamma: T.Tensor, beta: T.Tensor): T.Tensor {
  const { mean, variance } = T.moments(x, [0], true);
  return T.add(T.mul(T.sub(x, mean), T.mul(T.rsqrt(T.add(variance, 1e-3)), gamma)), beta);
}

function time(f: () => void): number {
  f();
  let best = Infinity;
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

for (const [rows, ch] of shapes) {
  const x = T.randomNormal([rows, ch], 0.5, 2, 'float32', 1);
  const dy = T.randomNormal([rows, ch], 0, 1, 'float32', 2);
  const gamma = T.randomUniform([ch], 0.5, 1.5, 'float32', 3);
  const beta = T.randomUniform([ch], -0.5, 0.5, 'float32', 4);
  const forward = () => {
    const o = T.batchNormTrain(x, gamma, beta, 1e-3);
    o.y.dataSync();
    T.dispose([o.y, o.mean, o.variance]);
  };
  const backward = (f: (a: T.Tensor, g: T.Tensor, b: T.Tensor) => T.Tensor) => () => {
    const gs = T.grads(f)([x, gamma, beta], dy);
    gs[0].dataSync();
    T.dispose(gs);
  };
  const opGrad = backward((a, g, b) => T.batchNormTrain(a, g, b, 1e-3).y);
  const opsGrad = backward(composed);
  const opsForward = () => {
    const y = composed(x, gamma, beta);
    y.dataSync();
    y.dispose();
  };
  const pass = () => {
    const y = T.add(x, 1);
    y.dataSync();
    y.dispose();
  };
  for (let round = 0; round < Number(r); round++) {
    useFastKernels(true);
    const fastF = time(forward);
    const fastB = time(opGrad);
    useFastKernels(false);
    const portF = time(forward);
    const portB = time(opGrad);
    const opsF = time(opsForward);
    const opsB = time(opsGrad);
    const add = time(pass);
    useFastKernels(true);
    console.log(
      `${be} [${rows}, ${ch}] ms, forward / forward+gradients: fast ${fastF.toFixed(1)} / ${fastB.toFixed(1)}, ` +
        `portable ${portF.toFixed(1)} / ${portB.toFixed(1)}, tfjs ops ${opsF.toFixed(1)} / ${opsB.toFixed(1)}; one add ${add.toFixed(1)}`,
    );
  }
  T.dispose([x, dy, gamma, beta]);
}
process.exit(0);
