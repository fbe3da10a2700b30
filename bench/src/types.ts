/** The model a case trains. */
export type CaseName = 'perceptron' | 'mlp' | 'mlp_adam' | 'lstm' | 'cnn';
/** A tfjs backend the bench can run on. */
export type BackendName = 'cpu' | 'wasm' | 'webgpu';
/**
 * The implementations timed on each case: neurona's fit() on arrays, neurona's fit() on a
 * `@neurona/data` dataset of the same batches (`fromArrays(x, y).batch(b).prefetch(2)`),
 * tfjs-layers' fit(), and the hand-written loop.
 */
export type ImplName = 'neurona' | 'neurona_dataset' | 'tfjs_layers' | 'hand_loop';

export const CASES: readonly CaseName[] = ['perceptron', 'mlp', 'mlp_adam', 'lstm', 'cnn'];
/** Cases on sequences (their own data, sample count and batch size). */
export const SEQUENCE_CASES: readonly CaseName[] = ['lstm'];
export const BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'webgpu'];
export const IMPLS: readonly ImplName[] = ['neurona', 'neurona_dataset', 'tfjs_layers', 'hand_loop'];

/** What one run of the bench does (from the command line). */
export interface BenchOptions {
  cases: CaseName[];
  backends: BackendName[];
  batchSizes: number[];
  /** Training samples of the cnn case (its epochs are ~50× an MLP's work). */
  cnnSamples: number;
  /** Timed epochs, after one warm-up epoch. */
  epochs: number;
  samples: number;
  /** Training sequences of the sequence cases (`lstm`), per epoch. */
  seqSamples: number;
  /** Whether `--batch-size` was given (else each case uses its own: 32 and 128, the 64 for lstm, Keras's 128 for cnn). */
  batchSizeGiven: boolean;
  /** tfjs-layers on the cpu backend trains on this many samples; its times are scaled to `samples`. */
  tfjsCpuSamples: number;
  impls: ImplName[];
  /** Use @neurona/tensor's fast kernels for neurona and the hand loop (tfjs-layers never gets them). */
  fastKernels: boolean;
  /** neurona's compile({ jitCompile }): false times its tape path where it would compile the step. */
  jitCompile: boolean;
  torch: boolean;
  out: string;
  seed: number;
}

/** One implementation on one case. */
export interface ImplResult {
  impl: ImplName;
  status: 'ok' | 'missing' | 'error';
  reason?: string;
  /** Samples actually trained on per epoch, and the factor its times were multiplied by. */
  samples: number;
  scale: number;
  /** Seconds per timed epoch (scaled), and their median. */
  epochsS: number[];
  medianS: number | null;
  /** Mean training loss of each epoch, warm-up first; `loss` is the last. */
  losses: number[];
  loss: number | null;
  tensorsBefore: number;
  /** Tensors alive after each epoch (warm-up first) and after the model was disposed. */
  tensorsAfterEpoch: number[];
  tensorsAfter: number;
  /** Growth of tensors alive from the first to the last epoch: 0 when nothing leaks. */
  tensorsLeaked: number;
  predictSamplesPerS: number | null;
  /** The training plan neurona's fit() used ('compiled' or 'tape'); null for the other implementations. */
  plan?: 'compiled' | 'tape' | null;
  /** Largest resident set seen at epoch ends, in MB. */
  rssMb: number;
  /** On WebGPU: compute dispatches per training step over the timed epochs (their ends included). */
  kernelsPerStep?: number | null;
}

/** One case on one backend, all implementations. */
export interface CaseResult {
  case: CaseName;
  backend: BackendName;
  batchSize: number;
  impls: Partial<Record<ImplName, ImplResult>>;
  /** Peak RSS of the backend's process at the end of this case, MB. */
  peakRssMb: number;
}

/** What a backend's child process reports. */
export interface ChildReport {
  backend: BackendName;
  backendDetails: Record<string, unknown>;
  fastKernels: string | null;
  cases: CaseResult[];
  error?: string;
}

/** PyTorch's numbers for one case. */
export interface TorchResult {
  case: CaseName;
  batchSize: number;
  torch_s: number;
  loss: number;
  predict_samples_per_s: number;
}

export interface TorchReport {
  available: boolean;
  reason?: string;
  torch?: string;
  threads?: number;
  results?: TorchResult[];
}
