// One backend's share of the bench, run in its own process (stdout: the JSON report).
import * as T from '@neurona/tensor';
import { setFlagsFromString } from 'node:v8';
import { useFastKernels, relaxedSimdSupported } from '@neurona/kernels';
import { countDispatches, webgpuDevice, type DispatchCounter } from '@neurona/kernels/webgpu';
import type { Tensor } from '@neurona/tensor';
import { startBackend } from './backends';
import { batchSizesOf } from './args';
import { makeDataset, initialWeights, trainingOf, INPUT, CLASSES, type Dataset } from './data';
import { median, log, since, rssMb, peakRssMb } from './measure';
import { handLoop } from './impls/hand-loop';
import { tfjsLayers } from './impls/tfjs-layers';
import { neurona } from './impls/neurona';
import { handLoopLstm, neuronaLstm, tfjsLayersLstm } from './impls/lstm';
import { LSTM_CASE, lstmWeights, makeSequenceDataset } from './sequence-data';
import { Missing, type CaseSetup, type Trainer } from './impls/trainer';
import type { BackendName, BenchOptions, CaseName, CaseResult, ChildReport, ImplName, ImplResult } from './types';

/** The cnn case trains as Keras's example: Adam at its default rate. */
const CNN_LEARNING_RATE = 0.001;
const PREDICT_SAMPLES = 10000;
const PREDICT_BATCH = 1024;
/** tfjs's cpu backend runs a convnet step in seconds: tfjs-layers trains the cnn on this many samples there (times scaled). */
const CNN_TFJS_CPU_SAMPLES = 256;
/** Predict throughput of the cnn: this many samples (256 on the cpu backend). */
const CNN_PREDICT_SAMPLES = 4096;

const MAKERS: Record<ImplName, (s: CaseSetup) => Trainer | Promise<Trainer>> = {
  hand_loop: handLoop,
  neurona,
  neurona_dataset: (s) => neurona(s, 'dataset'),
  tfjs_layers: tfjsLayers,
};

const LSTM_MAKERS: Partial<Record<ImplName, (s: CaseSetup) => Trainer | Promise<Trainer>>> = {
  hand_loop: handLoopLstm,
  neurona: neuronaLstm,
  tfjs_layers: tfjsLayersLstm,
};

function emptyResult(impl: ImplName, samples: number, scale: number): ImplResult {
  return {
    impl, status: 'ok', samples, scale, epochsS: [], medianS: null, losses: [], loss: null,
    tensorsBefore: T.memory().numTensors, tensorsAfterEpoch: [], tensorsAfter: 0, tensorsLeaked: 0,
    predictSamplesPerS: null, rssMb: 0,
  };
}

/** Train one implementation for 1 + `epochs` epochs and measure it. */
async function runImpl(impl: ImplName, setup: CaseSetup, epochs: number, scale: number, predictX: Tensor, tag: string): Promise<ImplResult> {
  const r = emptyResult(impl, setup.x.shape[0], scale);
  let trainer: Trainer | null = null;
  try {
    const make = setup.caseName === 'lstm' ? LSTM_MAKERS[impl] : MAKERS[impl];
    if (!make) throw new Missing(`${impl} has no ${setup.caseName} case`);
    trainer = await make(setup);
    let t0 = 0;
    // on WebGPU, the compute dispatches of the timed epochs (per step: over the epoch, its ends included)
    const device = setup.backend === 'webgpu' ? webgpuDevice() : null;
    let counter: DispatchCounter | null = null;
    let dispatches = 0;
    const stepsPerEpoch = Math.ceil(setup.x.shape[0] / setup.batchSize);
    await trainer.train(epochs + 1, {
      begin: (e) => {
        if (device && e > 0) counter = countDispatches(device);
        t0 = performance.now();
      },
      end: (e, loss) => {
        const s = since(t0) * scale;
        if (counter) {
          dispatches += counter.count;
          counter.stop();
          counter = null;
          r.kernelsPerStep = dispatches / (stepsPerEpoch * e);
        }
        if (e > 0) r.epochsS.push(s);
        r.losses.push(loss);
        r.tensorsAfterEpoch.push(T.memory().numTensors);
        r.rssMb = Math.max(r.rssMb, rssMb());
        log(`  ${tag} ${impl} epoch ${e === 0 ? 'warm-up' : `${e}/${epochs}`}: ${s.toFixed(3)} s${scale !== 1 ? ` (scaled ×${scale})` : ''}, loss ${loss.toFixed(5)}, tensors ${T.memory().numTensors}`);
      },
    });
    r.plan = trainer.plan?.() ?? null;
    r.medianS = median(r.epochsS);
    r.loss = r.losses[r.losses.length - 1];
    r.tensorsLeaked = r.tensorsAfterEpoch[r.tensorsAfterEpoch.length - 1] - r.tensorsAfterEpoch[0];
    // predict: the first call warms up, the second is timed
    for (let i = 0; i < 2; i++) {
      const p0 = performance.now();
      const out = trainer.predict(predictX, PREDICT_BATCH);
      await out.data();
      out.dispose();
      r.predictSamplesPerS = predictX.shape[0] / since(p0);
    }
  } catch (e) {
    r.status = e instanceof Missing ? 'missing' : 'error';
    r.reason = e instanceof Error ? e.message : String(e);
    log(`  ${tag} ${impl}: ${r.status}: ${r.reason}`);
    if (r.status === 'error' && e instanceof Error && e.stack) log(e.stack);
  } finally {
    trainer?.dispose();
    r.tensorsAfter = T.memory().numTensors;
  }
  return r;
}

export async function runChild(o: BenchOptions): Promise<ChildReport> {
  const backend = o.backends[0];
  const report: ChildReport = { backend, backendDetails: {}, fastKernels: null, cases: [] };
  try {
    const info = await startBackend(backend);
    report.backendDetails = info.details;
    // as useNodeBackend does: fused multiply-adds in the GEMM (V8's staged relaxed SIMD on Node
    // 20/21) unless NEURONA_RELAXED_SIMD=0; the fast kernels' status below says which ran
    if (process.env.NEURONA_RELAXED_SIMD?.trim() !== '0' && !relaxedSimdSupported()) setFlagsFromString('--experimental-wasm-relaxed-simd');
    if (o.fastKernels) report.fastKernels = JSON.stringify(useFastKernels(true));
    log(`[${backend}] backend ${JSON.stringify(info.details)}; fast kernels: ${report.fastKernels ?? 'off'}`);
    for (const caseName of o.cases) {
      const data = caseData(caseName, o, backend);
      for (const batchSize of batchSizesOf(o, caseName)) {
        const tag = `[${backend}] ${caseName} b${batchSize}`;
        const isSeq = caseName === 'lstm';
        const cnn = caseName === 'cnn';
        const weights = isSeq ? lstmWeights(o.seed + 1) : initialWeights(caseName, o.seed + 1);
        const result: CaseResult = { case: caseName, backend, batchSize, impls: {}, peakRssMb: 0 };
        // the dataset form of fit is timed on the MNIST-shaped dense cases only
        const impls = (['hand_loop', 'neurona', 'neurona_dataset', 'tfjs_layers'] as ImplName[]).filter((i) => o.impls.includes(i) && !((isSeq || cnn) && i === 'neurona_dataset'));
        for (const impl of impls) {
          const small = impl === 'tfjs_layers' && data.scale !== 1;
          const lr = isSeq ? LSTM_CASE.learningRate : cnn ? CNN_LEARNING_RATE : trainingOf(caseName).learningRate;
          const setup: CaseSetup = {
            caseName, batchSize, learningRate: lr, optimizer: cnn ? 'adam' : trainingOf(caseName).optimizer, backend, jitCompile: o.jitCompile,
            weights, x: small ? data.xSmall : data.x, y: small ? data.ySmall : data.y,
          };
          // tfjs-layers is the baseline as users get it: tfjs's own kernels (fast kernels also
          // replace the wasm backend's Identity, a built-in)
          if (o.fastKernels) useFastKernels(impl !== 'tfjs_layers');
          result.impls[impl] = await runImpl(impl, setup, o.epochs, small ? data.scale : 1, data.predictX, tag);
        }
        result.peakRssMb = peakRssMb();
        report.cases.push(result);
      }
      T.dispose([...new Set([data.x, data.y, data.xSmall, data.ySmall, data.predictX])]);
    }
  } catch (e) {
    report.error = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
    log(`[${backend}] failed: ${report.error}`);
  }
  return report;
}

/** A case's training data, tfjs-layers' smaller share on cpu (`scale` = full / small) and predict inputs. */
interface CaseData {
  x: Tensor;
  y: Tensor;
  xSmall: Tensor;
  ySmall: Tensor;
  scale: number;
  predictX: Tensor;
}

function caseData(caseName: CaseName, o: BenchOptions, backend: BackendName): CaseData {
  const t0 = performance.now();
  if (caseName === 'lstm') {
    const d = makeSequenceDataset(o.seqSamples, o.seed);
    const sx = T.tensor2d(d.x, [d.n, LSTM_CASE.steps]);
    const sy = T.tensor2d(d.y, [d.n, 1]);
    // tfjs-layers' LSTM on the cpu backend is slow: a fifth of the sequences, times scaled
    const ms = Math.max(LSTM_CASE.batchSize, Math.floor(d.n / 5));
    const small = backend === 'cpu' && ms < d.n;
    const np = Math.min(d.n, 1024);
    log(`[${backend}] lstm: ${d.n} sequences ready in ${since(t0).toFixed(1)} s`);
    return {
      x: sx,
      y: sy,
      xSmall: small ? T.tensor2d(d.x.subarray(0, ms * LSTM_CASE.steps), [ms, LSTM_CASE.steps]) : sx,
      ySmall: small ? T.tensor2d(d.y.subarray(0, ms), [ms, 1]) : sy,
      scale: small ? d.n / ms : 1,
      predictX: T.tensor2d(d.x.subarray(0, np * LSTM_CASE.steps), [np, LSTM_CASE.steps]),
    };
  }
  const cnn = caseName === 'cnn';
  const n = cnn ? o.cnnSamples : o.samples;
  const data = makeDataset(n, o.seed);
  // the cnn sees the same images as 28×28×1
  const shapeOf = (m: number) => (cnn ? [m, 28, 28, 1] : [m, INPUT]);
  const rows = (d: Dataset, m: number): [Tensor, Tensor] => [T.tensor(d.x.subarray(0, m * INPUT), shapeOf(m)), T.tensor2d(d.y.subarray(0, m * CLASSES), [m, CLASSES])];
  const [x, y] = rows(data, n);
  const m = Math.min(cnn ? CNN_TFJS_CPU_SAMPLES : o.tfjsCpuSamples, n);
  const scaleTfjs = backend === 'cpu' && m < n;
  const [xSmall, ySmall] = scaleTfjs ? rows(data, m) : [x, y];
  const np = Math.min(cnn ? (backend === 'cpu' ? 256 : CNN_PREDICT_SAMPLES) : PREDICT_SAMPLES, n);
  const predictX = T.tensor(data.x.subarray(0, np * INPUT), shapeOf(np));
  log(`[${backend}] ${caseName}: ${n} samples ready in ${since(t0).toFixed(1)} s`);
  return { x, y, xSmall, ySmall, scale: scaleTfjs ? n / m : 1, predictX };
}
