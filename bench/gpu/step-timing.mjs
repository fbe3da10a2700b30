#!/usr/bin/env node
// ms per training step, compute dispatches per step and queue submits per epoch of neurona's fit
// on WebGPU (the plan records up to 8 steps per command encoder), and ms, dispatches and submits
// of one evaluate of the same rows in the same batches (the plan: one read-back), the WebGPU
// plan (jitCompile on) against the tape (jitCompile: false), interleaved A/B, best-of and range.
// Runs on the built packages (builds nothing). On a machine without a GPU, Dawn needs
// VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (software Vulkan: small shapes).
//   node bench/gpu/step-timing.mjs [--inputs 64] [--hidden 32] [--classes 10] [--rows 1024]
//        [--batch 128] [--epochs 2] [--reps 3] [--optimizer sgd|adam] [--out file.json]
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as T from '@neurona/tensor';
import { useNodeBackend } from '@neurona/backend-node';
import { Dense, resetNames } from '@neurona/layers';
import { Sequential } from '@neurona/models';
import { Adam, SGD } from '@neurona/optimizers';
import { countDispatches, countSubmits, webgpuDevice } from '@neurona/kernels/webgpu';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const inputs = Number(opt('inputs', 64));
const hidden = Number(opt('hidden', 32));
const classes = Number(opt('classes', 10));
const rows = Number(opt('rows', 1024));
const batch = Number(opt('batch', 128));
const epochs = Number(opt('epochs', 2));
const reps = Number(opt('reps', 3));
const optimizer = opt('optimizer', 'sgd');
const out = opt('out', null);

await useNodeBackend({ force: 'webgpu', silent: true, cpuForward: false });
const device = webgpuDevice();
if (!device) throw new Error('no WebGPU device');

T.setSeed(7);
const x = T.randomUniform([rows, inputs]);
const labels = T.argMax(T.slice(x, [0, 0], [rows, classes]), 1);
const y = T.cast(T.oneHot(labels, classes), 'float32');

async function once(jit) {
  resetNames();
  T.setSeed(11);
  const layers = hidden > 0 ? [Dense(hidden, { inputShape: [inputs], activation: 'relu' }), Dense(classes, { activation: 'softmax' })] : [Dense(classes, { inputShape: [inputs], activation: 'softmax' })];
  const model = Sequential(layers);
  model.compile({ loss: 'categorical_crossentropy', optimizer: optimizer === 'adam' ? Adam(0.001) : SGD(0.01), jitCompile: jit });
  await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0, shuffle: false }); // warm-up: pipelines, state
  const counter = countDispatches(device);
  const submits = countSubmits(device);
  const marks = [];
  const t0 = performance.now();
  let h;
  try {
    h = await model.fit(x, y, { epochs, batchSize: batch, verbose: 0, shuffle: false, callbacks: [{ needsWeights: false, onBatchBegin: () => void marks.push([counter.count, submits.count]) }] });
    const w = model.getWeights();
    await w[0].data(); // the queue has run every step
    T.dispose(w);
  } finally {
    counter.stop();
    submits.stop();
  }
  const ms = performance.now() - t0;
  const steps = epochs * Math.ceil(rows / batch);
  // evaluate the same rows in the same batches (the first evaluate of the model warmed its pipelines and metric state)
  await model.evaluate(x, y, { batchSize: batch });
  const evalDispatches = countDispatches(device);
  const evalSubmits = countSubmits(device);
  const e0 = performance.now();
  let evalLoss;
  try {
    evalLoss = await model.evaluate(x, y, { batchSize: batch });
  } finally {
    evalDispatches.stop();
    evalSubmits.stop();
  }
  const evalMs = performance.now() - e0;
  const within = marks.slice(1).map((m, i) => m[0] - marks[i][0]).filter((d) => d >= 0);
  // submits between the first batch's start and the last's (the steps' own, and any weight copies a 100 ms yield makes)
  const between = marks.length > 1 ? (marks[marks.length - 1][1] - marks[0][1]) / (marks.length - 1) : 0;
  const loss = h.history.loss[h.history.loss.length - 1];
  model.dispose();
  return {
    plan: h.params.plan,
    msPerStep: ms / steps,
    dispatchesPerStep: Math.min(...within),
    dispatchesPerStepWithEpochEnds: counter.count / steps,
    // every command buffer submitted to the queue (tfjs's included) per epoch, its end's read-backs and weight copies included
    submitsPerEpoch: submits.count / epochs,
    submitsPerStepWithinEpoch: between,
    loss,
    evaluateMs: evalMs,
    evaluateDispatches: evalDispatches.count,
    evaluateSubmits: evalSubmits.count,
    evaluateLoss: evalLoss,
  };
}

const runs = { compiled: [], tape: [] };
for (let r = 0; r < reps; r++) {
  for (const jit of r % 2 === 0 ? [true, false] : [false, true]) {
    const res = await once(jit);
    runs[jit ? 'compiled' : 'tape'].push(res);
    console.error(
      `rep ${r} ${res.plan}: ${res.msPerStep.toFixed(2)} ms/step, ${res.dispatchesPerStep} dispatches/step (${res.dispatchesPerStepWithEpochEnds.toFixed(2)} with epoch ends), ` +
        `${res.submitsPerEpoch} submits/epoch (${Math.ceil(rows / batch)} steps an epoch; ${res.submitsPerStepWithinEpoch.toFixed(3)} a step between its batches), loss ${res.loss.toFixed(5)}; ` +
        `evaluate ${res.evaluateMs.toFixed(1)} ms, ${res.evaluateDispatches} dispatches, ${res.evaluateSubmits} submits, loss ${res.evaluateLoss.toFixed(5)}`,
    );
  }
}
const summary = (rs) => ({
  plan: rs[0].plan,
  msPerStepBest: Math.min(...rs.map((r) => r.msPerStep)),
  msPerStepRange: [Math.min(...rs.map((r) => r.msPerStep)), Math.max(...rs.map((r) => r.msPerStep))],
  dispatchesPerStep: rs[0].dispatchesPerStep,
  dispatchesPerStepWithEpochEnds: rs[0].dispatchesPerStepWithEpochEnds,
  submitsPerEpoch: rs[0].submitsPerEpoch,
  submitsPerStepWithinEpoch: Math.min(...rs.map((r) => r.submitsPerStepWithinEpoch)),
  stepsPerEpoch: Math.ceil(rows / batch),
  loss: rs[0].loss,
  evaluateMsBest: Math.min(...rs.map((r) => r.evaluateMs)),
  evaluateMsRange: [Math.min(...rs.map((r) => r.evaluateMs)), Math.max(...rs.map((r) => r.evaluateMs))],
  evaluateDispatches: rs[0].evaluateDispatches,
  evaluateSubmits: rs[0].evaluateSubmits,
  evaluateLoss: rs[0].evaluateLoss,
});
const report = {
  shape: { inputs, hidden, classes, rows, batch, epochs, optimizer },
  device: T.getBackendInfo().details ?? null,
  loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
  webgpuPlan: summary(runs.compiled),
  tape: summary(runs.tape),
  runs,
};
const text = JSON.stringify(report, null, 2);
if (out) writeFileSync(out, `${text}\n`);
console.log(text);
T.dispose([x, labels, y]);
