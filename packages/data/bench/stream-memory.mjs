// Bounded memory, measured: streams MNIST-shaped samples (784 floats + a one-hot of 10) from a
// generator through shuffle → batch → prefetch and consumes the batches (disposing them), then
// reports the process's peak resident memory and the live tensors before and after.
//
//   pnpm turbo run build --filter=@neurona/data...
//   node packages/data/bench/stream-memory.mjs [--samples 2000000] [--buffer 10000] [--batch 128]
//        [--prefetch 2] [--backend wasm]
//
// 2,000,000 samples are 6.4 GB of float32 if held; the run must stay under 600 MB of RSS.
import { useNodeBackend } from '@neurona/backend-node';
import { getBackend, memory } from '@neurona/tensor';
import { fromGenerator } from '../dist/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const samples = Number(arg('samples', 2_000_000));
const bufferSize = Number(arg('buffer', 10_000));
const batchSize = Number(arg('batch', 128));
const prefetch = Number(arg('prefetch', 2));
// --hold keeps every sample alive (what reading a whole data set into memory does): the control
// that shows the measurement can see a pipeline that does not bound its memory
const hold = process.argv.includes('--hold');
const held = [];
await useNodeBackend({ force: arg('backend', 'wasm'), silent: true });

const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
const rssStart = process.memoryUsage().rss;
const tensorsBefore = memory().numTensors;

const ds = fromGenerator(
  function* () {
    for (let i = 0; i < samples; i++) {
      const x = new Float32Array(784);
      for (let j = 0; j < 784; j += 97) x[j] = (i + j) % 255;
      const y = new Float32Array(10);
      y[i % 10] = 1;
      if (hold) held.push(x, y);
      yield { x, y };
    }
  },
  { size: samples },
)
  .shuffle(bufferSize, { seed: 1 })
  .batch(batchSize)
  .prefetch(prefetch);

const t0 = performance.now();
let seen = 0;
let checksum = 0;
let peakRss = rssStart;
let batches = 0;
for await (const { x, y } of ds) {
  seen += x.shape[0];
  if (batches++ % 100 === 0) {
    const s = y.sum(); // touch the data so nothing is optimised away
    checksum += s.dataSync()[0];
    s.dispose();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  x.dispose();
  y.dispose();
}
const seconds = (performance.now() - t0) / 1000;
const result = {
  backend: getBackend(),
  samples: seen,
  heldIfMaterialised_MB: Number(mb(seen * (784 + 10) * 4)),
  shuffleBuffer: bufferSize,
  batchSize,
  prefetch,
  seconds: Number(seconds.toFixed(1)),
  samplesPerSecond: Math.round(seen / seconds),
  rssAtStart_MB: Number(mb(rssStart)),
  rssSampledPeak_MB: Number(mb(peakRss)),
  maxRss_MB: Number(mb(process.resourceUsage().maxRSS * 1024)),
  held: hold,
  tensorsBefore,
  tensorsAfter: memory().numTensors,
  checksum,
};
console.log(JSON.stringify(result, null, 2));
if (!hold && (result.maxRss_MB >= 600 || result.tensorsAfter !== tensorsBefore)) process.exitCode = 1;
