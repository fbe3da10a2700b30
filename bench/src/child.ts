// One backend's share of the bench, run in its own process (stdout: the JSON report).
import * as T from '@neurona/tensor';
import { useFastKernels } from '@neurona/kernels';
import type { Tensor } from '@neurona/tensor';
import { startBackend } from './backends';
import { makeDataset, initialWeights, trainingOf, INPUT, CLASSES } from './data';
import { median, log, since, rssMb, peakRssMb } from './measure';
import { handLoop } from './impls/hand-loop';
import { tfjsLayers } from './impls/tfjs-layers';
import { neurona } from './impls/neurona';
import { handLoopLstm, neuronaLstm, tfjsLayersLstm } from './impls/lstm';
import { LSTM_CASE, lstmWeights, makeSequenceDataset } from './sequence-data';
import { Missing, type CaseSetup, type Trainer } from './impls/trainer';
import type { BenchOptions, CaseName, CaseResult, ChildReport, ImplName, ImplResult } from './types';

const PREDICT_SAMPLES = 10000;
const PREDICT_BATCH = 1024;

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

/** The batch sizes of a case: the ones given, else 32 and 128 (the issue's 64 for lstm). */
function batchSizesOf(caseName: CaseName, o: BenchOptions): number[] {
  return caseName === 'lstm' && !o.batchSizeGiven ? [LSTM_CASE.batchSize] : o.batchSizes;
}


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
    await trainer.train(epochs + 1, {
      begin: () => { t0 = performance.now(); },
      end: (e, loss) => {
        const s = since(t0) * scale;
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
    if (o.fastKernels) report.fastKernels = JSON.stringify(useFastKernels(true));
    log(`[${backend}] backend ${JSON.stringify(info.details)}; fast kernels: ${report.fastKernels ?? 'off'}`);
    const t0 = performance.now();
    const data = makeDataset(o.samples, o.seed);
    const x = T.tensor2d(data.x, [o.samples, INPUT]);
    const y = T.tensor2d(data.y, [o.samples, CLASSES]);
    const m = o.tfjsCpuSamples;
    const scaleTfjs = backend === 'cpu' && m < o.samples;
    const xSmall = scaleTfjs ? T.tensor2d(data.x.subarray(0, m * INPUT), [m, INPUT]) : x;
    const ySmall = scaleTfjs ? T.tensor2d(data.y.subarray(0, m * CLASSES), [m, CLASSES]) : y;
    const np = Math.min(PREDICT_SAMPLES, o.samples);
    const predictX = T.tensor2d(data.x.subarray(0, np * INPUT), [np, INPUT]);
    log(`[${backend}] ${o.samples} samples ready in ${since(t0).toFixed(1)} s`);
    // the sequence case's data, made when it runs
    let seq: { x: Tensor; y: Tensor; xSmall: Tensor; ySmall: Tensor; predictX: Tensor } | null = null;
    const sequences = () => {
      if (seq) return seq;
      const d = makeSequenceDataset(o.seqSamples, o.seed);
      const sx = T.tensor2d(d.x, [d.n, LSTM_CASE.steps]);
      const sy = T.tensor2d(d.y, [d.n, 1]);
      // tfjs-layers' LSTM on the cpu backend is slow: a fifth of the sequences, times scaled
      const ms = Math.max(LSTM_CASE.batchSize, Math.floor(d.n / 5));
      const small = backend === 'cpu' && ms < d.n;
      seq = {
        x: sx,
        y: sy,
        xSmall: small ? T.tensor2d(d.x.subarray(0, ms * LSTM_CASE.steps), [ms, LSTM_CASE.steps]) : sx,
        ySmall: small ? T.tensor2d(d.y.subarray(0, ms), [ms, 1]) : sy,
        predictX: T.tensor2d(d.x.subarray(0, Math.min(d.n, 1024) * LSTM_CASE.steps), [Math.min(d.n, 1024), LSTM_CASE.steps]),
      };
      return seq;
    };
    for (const caseName of o.cases) {
      for (const batchSize of batchSizesOf(caseName, o)) {
        const tag = `[${backend}] ${caseName} b${batchSize}`;
        const isSeq = caseName === 'lstm';
        const weights = isSeq ? lstmWeights(o.seed + 1) : initialWeights(caseName, o.seed + 1);
        const result: CaseResult = { case: caseName, backend, batchSize, impls: {}, peakRssMb: 0 };
        // the dataset form of fit is timed on the MNIST-shaped cases only
        const impls = (['hand_loop', 'neurona', 'neurona_dataset', 'tfjs_layers'] as ImplName[]).filter((i) => o.impls.includes(i) && !(isSeq && i === 'neurona_dataset'));
        for (const impl of impls) {
          const s = isSeq ? sequences() : null;
          const small = impl === 'tfjs_layers' && (s ? s.xSmall !== s.x : scaleTfjs);
          const data = s ? { x: small ? s.xSmall : s.x, y: small ? s.ySmall : s.y } : { x: small ? xSmall : x, y: small ? ySmall : y };
          const lr = isSeq ? LSTM_CASE.learningRate : trainingOf(caseName).learningRate;
          const setup: CaseSetup = { caseName, batchSize, learningRate: lr, weights, jitCompile: o.jitCompile, ...data };
          // tfjs-layers is the baseline as users get it: tfjs's own kernels (fast kernels also
          // replace the wasm backend's Identity, a built-in)
          if (o.fastKernels) useFastKernels(impl !== 'tfjs_layers');
          const scale = !small ? 1 : s ? s.x.shape[0] / s.xSmall.shape[0] : o.samples / m;
          result.impls[impl] = await runImpl(impl, setup, o.epochs, scale, s ? s.predictX : predictX, tag);
        }
        result.peakRssMb = peakRssMb();
        report.cases.push(result);
      }
    }
  } catch (e) {
    report.error = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
    log(`[${backend}] failed: ${report.error}`);
  }
  return report;
}
