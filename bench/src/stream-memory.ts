// `pnpm --filter @neurona/bench stream-memory`: bounded memory when training on a stream.
// Trains an MNIST-shaped MLP (784 → 128 → 10) on 2 million generated samples (6.3 GB of float32
// if they were held) that a generator makes one by one, batched and prefetched by @neurona/data,
// and checks that the process's peak resident memory stays under the limit and that no tensor
// leaks. Exits 1 when either fails.
import * as T from '@neurona/tensor';
import { useFastKernels } from '@neurona/kernels';
import { fromGenerator } from '@neurona/data';
import { Sequential, type FitOptions } from '@neurona/models';
import { Dense } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { startBackend } from './backends';
import { log, peakRssMb, rssMb } from './measure';
import type { BackendName } from './types';

const INPUT = 784;
const CLASSES = 10;

interface StreamOptions {
  samples: number;
  batchSize: number;
  limitMb: number;
  backend: BackendName;
}

function parse(argv: string[]): StreamOptions {
  const o: StreamOptions = { samples: 2_000_000, batchSize: 256, limitMb: 600, backend: 'wasm' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const v = inline ?? argv[++i];
    if (flag === '--samples') o.samples = Number(v);
    else if (flag === '--batch-size') o.batchSize = Number(v);
    else if (flag === '--limit-mb') o.limitMb = Number(v);
    else if (flag === '--backend') o.backend = v as BackendName;
    else throw new Error(`stream-memory: unknown flag ${flag}; expected --samples, --batch-size, --limit-mb or --backend`);
  }
  for (const k of ['samples', 'batchSize', 'limitMb'] as const) {
    if (!Number.isInteger(o[k]) || o[k] <= 0) throw new Error(`stream-memory: ${k} must be a positive integer, got ${o[k]}`);
  }
  return o;
}

/**
 * One sample at a time, as a reader of a big file would give them: a fresh 784-float image
 * (a cheap deterministic pattern, so the generator does not dominate) and its class.
 */
function* mnistShaped(samples: number): Generator<{ x: Float32Array; y: number }> {
  let state = 12345;
  for (let i = 0; i < samples; i++) {
    const label = i % CLASSES;
    const x = new Float32Array(INPUT);
    state = (state * 1103515245 + 12345) >>> 0;
    const shift = state % 97;
    // a class-dependent band plus a moving ramp: learnable, and every sample differs
    for (let j = 0; j < INPUT; j++) x[j] = ((j + shift) % 97) / 97 * 0.2 + (Math.floor(j / 78) === label ? 0.8 : 0);
    yield { x, y: label };
  }
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const info = await startBackend(o.backend);
  useFastKernels(true);
  log(`stream-memory: ${o.samples} samples × ${INPUT} float32 (${((o.samples * INPUT * 4) / 1e9).toFixed(1)} GB if held), batch ${o.batchSize}, backend ${info.name}`);
  const model = Sequential([Dense(128, { activation: 'relu', inputShape: [INPUT] }), Dense(CLASSES, { activation: 'softmax' })]);
  model.compile({ optimizer: SGD(0.05), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const ds = fromGenerator(() => mnistShaped(o.samples), { size: o.samples }).batch(o.batchSize).prefetch(2);

  // one warm-up batch makes the state that lives as long as the model (optimizer and metric
  // variables), so what is left after the big fit, beyond it, is a leak
  await model.fit(fromGenerator(() => mnistShaped(o.batchSize)).batch(o.batchSize), { epochs: 1, verbose: 0 });
  const tensorsBefore = T.memory().numTensors;
  const rssStart = rssMb();
  let rssMax = rssStart;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssMb())), 200);
  const steps = Math.ceil(o.samples / o.batchSize);
  const every = Math.max(1, Math.floor(steps / 10));
  const t0 = performance.now();
  const options: FitOptions = {
    epochs: 1,
    verbose: 0,
    callbacks: [{
      onBatchEnd: (batch: number, logs?: Record<string, number>) => {
        if (batch % every !== 0) return;
        rssMax = Math.max(rssMax, rssMb());
        log(`  step ${batch}/${steps}: loss ${Number(logs?.loss).toFixed(4)}, rss ${rssMb().toFixed(0)} MB, tensors ${T.memory().numTensors}`);
      },
    }],
  };
  const history = await model.fit(ds, options);
  clearInterval(sampler);
  const seconds = (performance.now() - t0) / 1000;
  const tensorsAfter = T.memory().numTensors;
  const peak = Math.max(rssMax, peakRssMb());
  const report = {
    samples: o.samples,
    batchSize: o.batchSize,
    backend: info.name,
    seconds: Number(seconds.toFixed(1)),
    samplesPerS: Math.round(o.samples / seconds),
    loss: history.history.loss[0],
    accuracy: history.history.accuracy[0],
    rssStartMb: Math.round(rssStart),
    peakRssMb: Math.round(peak),
    limitMb: o.limitMb,
    tensorsLeaked: tensorsAfter - tensorsBefore,
  };
  console.log(JSON.stringify(report));
  model.dispose();
  const failures = [
    peak > o.limitMb ? `peak resident memory ${peak.toFixed(0)} MB is over the ${o.limitMb} MB limit` : '',
    tensorsAfter !== tensorsBefore ? `${tensorsAfter - tensorsBefore} tensors leaked` : '',
  ].filter(Boolean);
  if (failures.length) {
    console.error(`stream-memory: FAILED: ${failures.join('; ')}`);
    process.exit(1);
  }
  log(`stream-memory: ok, peak RSS ${peak.toFixed(0)} MB (limit ${o.limitMb}), no tensor leaked, ${report.samplesPerS} samples/s`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
