// Seconds per epoch of fit on arrays vs on a dataset of the same batches
// (`fromArrays(x, y).batch(b).prefetch(2)`), for issue 14's "a dataset from memory trains within
// 10% of the arrays path". Both wall time and process CPU time (GEMM worker threads included): on
// a shared machine wall time is noisy, so runs are interleaved (arrays, dataset, arrays, ...) and
// the best epoch of each kind is compared, with the range shown. `--kinds arrays,dataset,tensors`
// adds the same dataset with its batches made as tensors (`.batch(b).map((b) => b).prefetch(2)`:
// `map` drops the row view that `fromArrays(...).batch(b)` gives fit), the path of any other
// dataset. Run after `pnpm build`:
//   node bench/dataset-cpu.mjs [--case mlp|perceptron] [--batch-size 32,128] [--reps 3] [--kinds arrays,dataset]
import { loadavg } from 'node:os';
import * as T from '@neurona/tensor';
import { useNodeBackend } from '@neurona/backend-node';
import { Sequential } from '@neurona/models';
import { Dense } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { fromArrays } from '@neurona/data';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const cases = arg('case', 'mlp,perceptron').split(',');
const batchSizes = arg('batch-size', '32,128').split(',').map(Number);
const reps = Number(arg('reps', '3'));
const kinds = arg('kinds', 'arrays,dataset').split(',');
const epochs = 3; // the first is a warm-up

await useNodeBackend({ force: 'wasm', silent: true });
const n = 60000;
const x = T.randomUniform([n, 784], 0, 1, 'float32', 1);
const y = T.oneHot(T.randomUniform([n], 0, 10, 'int32', 2), 10).cast('float32');
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`load average at start: ${load()}`);

async function run(caseName, bs, kind) {
  const before = T.memory().numTensors;
  T.setSeed(3);
  const m = Sequential();
  if (caseName === 'mlp') {
    m.add(Dense(128, { activation: 'relu', inputShape: [784] }));
    m.add(Dense(10, { activation: 'softmax' }));
  } else {
    m.add(Dense(10, { activation: 'softmax', inputShape: [784] }));
  }
  m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.01) });
  const wall = [];
  const cpus = [];
  let w0 = 0;
  let c0 = 0;
  const cb = {
    onEpochBegin: () => {
      w0 = performance.now();
      c0 = cpu();
    },
    onEpochEnd: () => {
      wall.push((performance.now() - w0) / 1000);
      cpus.push(cpu() - c0);
    },
  };
  const batches = () => (kind === 'tensors' ? fromArrays(x, y).batch(bs).map((b) => b) : fromArrays(x, y).batch(bs));
  const h =
    kind === 'arrays'
      ? await m.fit(x, y, { epochs, batchSize: bs, shuffle: false, verbose: 0, callbacks: [cb] })
      : await m.fit(batches().prefetch(2), { epochs, verbose: 0, callbacks: [cb] });
  m.dispose();
  const leaked = T.memory().numTensors - before;
  return { wall: wall.slice(1), cpu: cpus.slice(1), plan: h.params?.plan, leaked };
}

const fmt = (v) => v.toFixed(3);
const best = (vs) => Math.min(...vs);
const range = (vs) => `${fmt(Math.min(...vs))}–${fmt(Math.max(...vs))}`;
for (const caseName of cases) {
  for (const bs of batchSizes) {
    const all = Object.fromEntries(kinds.map((k) => [k, { wall: [], cpu: [] }]));
    const plans = new Set();
    for (let rep = 0; rep < reps; rep++) {
      for (const kind of kinds) {
        const r = await run(caseName, bs, kind);
        if (r.leaked !== 0) console.log(`  ${kind}: ${r.leaked} tensors leaked`);
        plans.add(`${kind} ${r.plan}`);
        all[kind].wall.push(...r.wall);
        all[kind].cpu.push(...r.cpu);
      }
    }
    const a = all.arrays;
    for (const kind of kinds.filter((k) => k !== 'arrays')) {
      const d = all[kind];
      console.log(
        `${caseName} b${bs} (${[...plans].join(', ')}): wall s/epoch arrays ${range(a.wall)}, ${kind} ${range(d.wall)}; ` +
          `best ${kind}/arrays wall ${(best(d.wall) / best(a.wall)).toFixed(2)}×, CPU ${(best(d.cpu) / best(a.cpu)).toFixed(2)}× ` +
          `(CPU s/epoch arrays ${range(a.cpu)}, ${kind} ${range(d.cpu)})`,
      );
    }
  }
}
console.log(`load average at end: ${load()}`);
