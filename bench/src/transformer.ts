// The `transformer` case of issue 12: a 2-block encoder (4 heads, d = 64, sequence 64, feed-forward
// 128, residual connections) and a sigmoid output, trained with SGD 0.01 on binary cross-entropy,
// batch 32. neurona's fit() on a functional model with MultiHeadAttention, the hand-written loop
// over @neurona/tensor (the same maths with einsum, valueAndGradients and plain SGD), and PyTorch
// (transformer_reference.py). tfjs-layers 4.22 has no MultiHeadAttention, so it has no column.
// No LayerNormalization in any of them: neurona has none yet, and the three must do the same work.
// Run: node bench/dist/transformer.js [--backend wasm|cpu] [--samples 2048] [--epochs 3]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as T from '@neurona/tensor';
import type { Tensor, Variable } from '@neurona/tensor';
import { useFastKernels } from '@neurona/kernels';
import { startBackend } from './backends';
import type { BackendName } from './types';

const SEQ = 64;
const D = 64;
const HEADS = 4;
const KEY = D / HEADS;
const FF = 128;
const BLOCKS = 2;

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

/** Sequences of Gaussian features; the label says whether the first feature's mean is positive. */
function makeData(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const rng = T.createRng(seed);
  const x = new Float32Array(n * SEQ * D);
  const y = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    let m = 0;
    for (let i = 0; i < SEQ * D; i++) {
      const v = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
      x[s * SEQ * D + i] = v;
      if (i % D === 0) m += v;
    }
    y[s] = m > 0 ? 1 : 0;
  }
  return { x, y };
}

type Timing = { epochsS: number[]; loss: number };

async function neuronaFit(x: Tensor, y: Tensor, epochs: number, batch: number): Promise<Timing> {
  const { Input, MultiHeadAttention, Dense, Add, Flatten } = await import('@neurona/layers');
  const { Model } = await import('@neurona/models');
  const { SGD } = await import('@neurona/optimizers');
  T.setSeed(1);
  const inp = Input({ shape: [SEQ, D] });
  let h = inp as ReturnType<typeof Input>;
  for (let b = 0; b < BLOCKS; b++) {
    const a = MultiHeadAttention({ numHeads: HEADS, keyDim: KEY }).apply([h, h]);
    h = Add().apply([h, a]);
    const f = Dense(D).apply(Dense(FF, { activation: 'relu' }).apply(h));
    h = Add().apply([h, f]);
  }
  const model = Model({ inputs: inp, outputs: Dense(1, { activation: 'sigmoid' }).apply(Flatten().apply(h)) });
  model.compile({ loss: 'binary_crossentropy', optimizer: SGD(0.01) });
  const times: number[] = [];
  let t0 = 0;
  let loss = Number.NaN;
  await model.fit(x, y, {
    epochs: epochs + 1, batchSize: batch, shuffle: false, verbose: 0,
    callbacks: [{ onEpochBegin: () => { t0 = performance.now(); }, onEpochEnd: (e: number, logs?: Record<string, unknown>) => {
      if (e > 0) times.push((performance.now() - t0) / 1000);
      loss = Number(logs?.loss);
    } }],
  });
  model.dispose();
  return { epochsS: times, loss };
}

// The hand loop: the same encoder as plain ops over variables, one valueAndGradients per batch.
function handLoop(x: Tensor, y: Tensor, epochs: number, batch: number): Timing {
  const rng = T.createRng(3);
  const glorot = (shape: number[], fanIn: number, fanOut: number) => {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    const n = shape.reduce((a, b) => a * b, 1);
    return T.variable(T.tensor(Float32Array.from({ length: n }, () => (rng() * 2 - 1) * lim), shape), true);
  };
  const zeros = (shape: number[]) => T.variable(T.zeros(shape), true);
  const blocks = Array.from({ length: BLOCKS }, () => ({
    wq: glorot([D, HEADS, KEY], D, D), bq: zeros([HEADS, KEY]), wk: glorot([D, HEADS, KEY], D, D), bk: zeros([HEADS, KEY]),
    wv: glorot([D, HEADS, KEY], D, D), bv: zeros([HEADS, KEY]), wo: glorot([HEADS, KEY, D], D, D), bo: zeros([D]),
    w1: glorot([D, FF], D, FF), b1: zeros([FF]), w2: glorot([FF, D], FF, D), b2: zeros([D]),
  }));
  const wOut = glorot([SEQ * D, 1], SEQ * D, 1);
  const bOut = zeros([1]);
  const vars: Variable[] = [...blocks.flatMap((b) => Object.values(b)), wOut, bOut];
  const forward = (xb: Tensor): Tensor => {
    let h = xb;
    const n = xb.shape[0];
    for (const b of blocks) {
      const q = T.mul(T.add(T.einsum('abc,cde->abde', h, b.wq), b.bq), 1 / Math.sqrt(KEY));
      const k = T.add(T.einsum('abc,cde->abde', h, b.wk), b.bk);
      const v = T.add(T.einsum('abc,cde->abde', h, b.wv), b.bv);
      const w = T.softmax(T.einsum('aecd,abcd->acbe', k, q));
      const a = T.add(T.einsum('abcd,cde->abe', T.einsum('acbe,aecd->abcd', w, v), b.wo), b.bo);
      h = T.add(h, a);
      const f2 = T.reshape(T.dense(T.dense(T.reshape(h, [n * SEQ, D]), b.w1, b.b1, 'relu'), b.w2, b.b2), [n, SEQ, D]);
      h = T.add(h, f2);
    }
    return T.dense(T.reshape(h, [n, SEQ * D]), wOut, bOut);
  };
  const n = x.shape[0];
  const times: number[] = [];
  let loss = Number.NaN;
  for (let e = 0; e <= epochs; e++) {
    const t0 = performance.now();
    let total = T.scalar(0);
    for (let s = 0; s < n; s += batch) {
      const idx = Int32Array.from({ length: Math.min(batch, n - s) }, (_, i) => s + i);
      const xb = T.gatherRows(x, idx);
      const yb = T.gatherRows(y, idx);
      const { loss: l, grads } = T.valueAndGradients(() => {
        const z = forward(xb);
        // binary cross-entropy from logits: softplus(z) - y·z
        return T.mean(T.sub(T.softplus(z), T.mul(yb, z))) as T.Scalar;
      }, vars);
      T.tidy(() => vars.forEach((v, i) => v.assign(T.sub(v, T.mul(grads[i] as Tensor, 0.01)))));
      const next = T.add(total, T.mul(l, idx.length)) as T.Scalar;
      T.dispose([total, l, xb, yb, ...(grads as Tensor[])]);
      total = next;
    }
    loss = (total.dataSync()[0]) / n;
    total.dispose();
    if (e > 0) times.push((performance.now() - t0) / 1000);
  }
  T.dispose(vars);
  return { epochsS: times, loss };
}

const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];

async function run(): Promise<void> {
  const backend = arg('backend', 'wasm') as BackendName;
  const n = Number(arg('samples', '2048'));
  const epochs = Number(arg('epochs', '3'));
  const batch = Number(arg('batch-size', '32'));
  await startBackend(backend);
  useFastKernels(true);
  const data = makeData(n, 11);
  const x = T.tensor(data.x, [n, SEQ, D]);
  const y = T.tensor(data.y, [n, 1]);
  const nn = await neuronaFit(x, y, epochs, batch);
  const hand = handLoop(x, y, epochs, batch);
  T.dispose([x, y]);
  const here = dirname(fileURLToPath(import.meta.url));
  let torch: { torch_s: number; loss: number } | null = null;
  try {
    const out = execFileSync('/usr/bin/python3', [join(here, '..', 'transformer_reference.py'), '--samples', String(n), '--epochs', String(epochs), '--batch-size', String(batch)], { encoding: 'utf8' });
    torch = JSON.parse(out.trim().split('\n').pop() as string);
  } catch (e) {
    console.log(`torch: not run (${(e as Error).message.split('\n')[0]})`);
  }
  const nm = median(nn.epochsS);
  const hm = median(hand.epochsS);
  console.log(`transformer (2 blocks, 4 heads, d=${D}, seq ${SEQ}, ff ${FF}), ${n} samples, batch ${batch}, backend ${backend}, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.log('| impl | s/epoch (median of timed epochs) | last loss |');
  console.log('|---|---|---|');
  console.log(`| neurona fit() | ${nm.toFixed(3)} | ${nn.loss.toFixed(4)} |`);
  console.log(`| hand loop | ${hm.toFixed(3)} | ${hand.loss.toFixed(4)} |`);
  console.log('| tfjs-layers | — (4.22 has no MultiHeadAttention) | — |');
  if (torch) console.log(`| PyTorch (2 threads) | ${torch.torch_s.toFixed(3)} | ${torch.loss.toFixed(4)} |`);
  console.log(`neurona/hand loop ${(nm / hm).toFixed(2)}×${torch ? `, neurona/PyTorch ${(nm / torch.torch_s).toFixed(2)}×` : ''}`);
}

await run();
