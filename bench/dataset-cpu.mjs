// CPU seconds per epoch of fit on arrays vs on a dataset of the same batches, for issue 14's
// "datasets cost at most 1.10× arrays". Process CPU time (GEMM worker threads included) instead of
// wall time, which is noise on a shared machine. Run after `pnpm build`: node bench/dataset-cpu.mjs
import * as T from '@neurona/tensor';
import { useNodeBackend } from '@neurona/backend-node';
import { Sequential } from '@neurona/models';
import { Dense } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { fromArrays } from '@neurona/data';
await useNodeBackend({ force: 'wasm', silent: true });
const n = 60000;
const x = T.randomUniform([n, 784], 0, 1, 'float32', 1);
const y = T.oneHot(T.randomUniform([n], 0, 10, 'int32', 2), 10).cast('float32');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
for (const bs of [32, 128]) {
  for (let rep = 0; rep < 2; rep++) {
    for (const kind of ['arrays', 'dataset']) {
      T.setSeed(3);
      const m = Sequential();
      m.add(Dense(128, { activation: 'relu', inputShape: [784] }));
      m.add(Dense(10, { activation: 'softmax' }));
      m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.01) });
      const times = [];
      let c0 = 0;
      const cb = { onEpochBegin: () => { c0 = cpu(); }, onEpochEnd: () => { times.push(cpu() - c0); } };
      if (kind === 'arrays') await m.fit(x, y, { epochs: 3, batchSize: bs, shuffle: false, verbose: 0, callbacks: [cb] });
      else await m.fit(fromArrays(x, y).batch(bs).prefetch(2), { epochs: 3, verbose: 0, callbacks: [cb] });
      console.log(`b${bs} ${kind}: CPU s/epoch ${times.map((t) => t.toFixed(2)).join(' ')} (median of last 2: ${Math.min(times[1], times[2]).toFixed(2)}..${Math.max(times[1], times[2]).toFixed(2)})`);
      m.dispose();
    }
  }
}
