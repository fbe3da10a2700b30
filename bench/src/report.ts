// The table on stdout and bench/results.json.
import { cpus, totalmem, platform, release, arch, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import type { BenchOptions, CaseResult, ChildReport, ImplResult, TorchReport } from './types';

const require = createRequire(import.meta.url);

/** One row of results.json (the fields, then extra detail). */
export interface ResultRow {
  case: string;
  backend: string;
  batchSize: number;
  neurona_s: number | null;
  /** neurona's fit() on a `@neurona/data` dataset of the same batches (prefetch 2). */
  neurona_dataset_s: number | null;
  /** neurona_dataset_s / neurona_s: what streaming the batches costs (target ≤ 1.10). */
  ratio_dataset_vs_arrays: number | null;
  tfjs_layers_s: number | null;
  hand_loop_s: number | null;
  torch_s: number | null;
  ratio_vs_tfjs_layers: number | null;
  ratio_vs_hand_loop: number | null;
  ratio_vs_torch: number | null;
  loss_neurona: number | null;
  loss_tfjs_layers: number | null;
  loss_hand_loop: number | null;
  tensors_leaked: number | null;
  peak_rss_mb: number;
  predict_samples_per_s_neurona: number | null;
  predict_samples_per_s_tfjs_layers: number | null;
  /** The training plan neurona's fit() used: 'compiled' (the traced step) or 'tape' (autodiff per op). */
  plan_neurona: 'compiled' | 'tape' | null;
  /** On WebGPU: neurona's compute dispatches per training step (null on cpu and wasm). */
  kernels_per_step_neurona: number | null;
  notes: string[];
  impls: CaseResult['impls'];
}

const ok = (r: ImplResult | undefined): r is ImplResult => !!r && r.status === 'ok' && r.medianS !== null;
const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? a / b : null);

function version(pkg: string): string | null {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

export function rows(children: ChildReport[], torch: TorchReport): ResultRow[] {
  const out: ResultRow[] = [];
  for (const child of children) {
    for (const c of child.cases) {
      const { neurona: n, neurona_dataset: d, tfjs_layers: l, hand_loop: h } = c.impls;
      const t = torch.results?.find((r) => r.case === c.case && r.batchSize === c.batchSize) ?? null;
      const notes: string[] = [];
      for (const r of [n, d, l, h]) if (r && r.status !== 'ok') notes.push(`${r.impl} ${r.status}: ${r.reason}`);
      if (ok(l) && l.scale !== 1) notes.push(`tfjs_layers timed on ${l.samples} samples, scaled ×${l.scale}; its loss is over those samples`);
      const ns = ok(n) ? n.medianS : null;
      out.push({
        case: c.case,
        backend: c.backend,
        batchSize: c.batchSize,
        neurona_s: ns,
        neurona_dataset_s: ok(d) ? d.medianS : null,
        ratio_dataset_vs_arrays: ratio(ok(d) ? d.medianS : null, ns),
        tfjs_layers_s: ok(l) ? l.medianS : null,
        hand_loop_s: ok(h) ? h.medianS : null,
        torch_s: t ? t.torch_s : null,
        ratio_vs_tfjs_layers: ratio(ns, ok(l) ? l.medianS : null),
        ratio_vs_hand_loop: ratio(ns, ok(h) ? h.medianS : null),
        ratio_vs_torch: ratio(ns, t ? t.torch_s : null),
        loss_neurona: ok(n) ? n.loss : null,
        loss_tfjs_layers: ok(l) ? l.loss : null,
        loss_hand_loop: ok(h) ? h.loss : null,
        tensors_leaked: ok(n) ? n.tensorsLeaked : null,
        peak_rss_mb: Math.round(c.peakRssMb),
        predict_samples_per_s_neurona: ok(n) ? n.predictSamplesPerS : null,
        predict_samples_per_s_tfjs_layers: ok(l) ? l.predictSamplesPerS : null,
        plan_neurona: ok(n) ? (n.plan ?? null) : null,
        kernels_per_step_neurona: ok(n) ? (n.kernelsPerStep ?? null) : null,
        notes,
        impls: c.impls,
      });
    }
  }
  return out;
}

export function machine(torch: TorchReport, children: ChildReport[]): Record<string, unknown> {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    // other processes on the machine inflate wall times: the 1-minute load average at the end
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
    tfjs: version('@tensorflow/tfjs-core'),
    tfjsLayers: version('@tensorflow/tfjs-layers'),
    torch: torch.available ? torch.torch : `not available: ${torch.reason}`,
    torchThreads: torch.threads ?? null,
    backends: Object.fromEntries(children.map((c) => [c.backend, { ...c.backendDetails, fastKernels: c.fastKernels, error: c.error }])),
  };
}

const f = (v: number | null, d = 3) => (v === null ? '—' : v.toFixed(d));
const fx = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)}×`);
const k = (v: number | null) => (v === null ? '—' : v >= 1e5 ? `${(v / 1000).toFixed(0)}k` : `${(v / 1000).toFixed(1)}k`);

/** The results as a Markdown table (also what the bench prints). */
export function table(rs: ResultRow[]): string {
  const head = ['backend', 'case', 'batch', 'plan', 'neurona s/epoch', 'tfjs-layers s', 'hand loop s', 'torch s', 'neurona/tfjs-layers', 'neurona/hand', 'neurona/torch',
    'dataset s', 'dataset/arrays', 'loss neurona', 'loss tfjs-layers', 'loss hand', 'leaked', 'peak RSS MB', 'predict/s neurona', 'predict/s tfjs-layers'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rs) {
    const scaled = r.impls.tfjs_layers && r.impls.tfjs_layers.scale !== 1 ? '*' : '';
    lines.push(`| ${[r.backend, r.case, r.batchSize, r.plan_neurona ?? '—', f(r.neurona_s), f(r.tfjs_layers_s, 2) + scaled, f(r.hand_loop_s), f(r.torch_s),
      fx(r.ratio_vs_tfjs_layers), fx(r.ratio_vs_hand_loop), fx(r.ratio_vs_torch), f(r.neurona_dataset_s), fx(r.ratio_dataset_vs_arrays), f(r.loss_neurona, 4), f(r.loss_tfjs_layers, 4) + scaled, f(r.loss_hand_loop, 4),
      r.tensors_leaked ?? '—', r.peak_rss_mb, k(r.predict_samples_per_s_neurona), k(r.predict_samples_per_s_tfjs_layers)].join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The whole results.json document. */
export function resultsDocument(o: BenchOptions, children: ChildReport[], torch: TorchReport): Record<string, unknown> {
  return {
    machine: machine(torch, children),
    options: {
      ...o,
      learningRate: 0.01,
      optimizer: 'SGD',
      loss: 'categorical_crossentropy',
      lstm: 'Embedding(1000, 64) → LSTM(128) → Dense(1, sigmoid), sequences of 50, binary_crossentropy, SGD 0.1, batch 64',
      cnn: { optimizer: 'Adam', learningRate: 0.001, epsilon: 1e-7, samples: o.cnnSamples, model: 'Conv2D 32 3x3 relu, MaxPooling2D 2, Conv2D 64 3x3 relu, MaxPooling2D 2, Flatten, Dropout 0.5, Dense 10 softmax' },
      warmupEpochs: 1,
    },
    date: new Date().toISOString(),
    torch,
    cases: rows(children, torch),
  };
}
