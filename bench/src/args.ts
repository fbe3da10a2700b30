import { BACKENDS, CASES, IMPLS, type BackendName, type BenchOptions, type CaseName, type ImplName } from './types';

export const USAGE = `pnpm bench [flags]
  --case perceptron|mlp|mlp_adam|lstm|cnn   one case (default: all)
  --backend cpu|wasm|webgpu    one backend (default: cpu and wasm, one child process each)
  --batch-size N[,N...]        batch sizes, e.g. 32,128,512 (default: 32 and 128)
  --epochs N                   timed epochs after one warm-up (default 3)
  --samples N                  training samples (default 60000)
  --seq-samples N              training sequences of the lstm case (default 3200)
  --cnn-samples N              training samples of the cnn case (default 12800)
  --tfjs-cpu-samples N         tfjs-layers on cpu trains on N samples, times scaled (default 12000)
  --impl neurona|neurona_dataset|tfjs_layers|hand_loop   only this implementation (repeatable)
  --no-fast-kernels            neurona and the hand loop use tfjs's own kernels
  --no-jit-compile             neurona trains on the gradient tape (compile({ jitCompile: false }))
  --no-torch                   skip the PyTorch reference
  --out FILE                   results file (default bench/results.json)`;

function oneOf<T extends string>(flag: string, v: string | undefined, allowed: readonly T[]): T {
  if (v === undefined || !allowed.includes(v as T)) throw new Error(`${flag} expects one of ${allowed.join('|')}, got ${v}`);
  return v as T;
}

function positiveInts(flag: string, v: string | undefined): number[] {
  return (v ?? '').split(',').map((p) => positiveInt(flag, p));
}

function positiveInt(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} expects a positive integer, got ${v}`);
  return n;
}

/** Parse the command line (`--flag value` or `--flag=value`). */
export function parseArgs(argv: string[], defaultOut: string): BenchOptions & { child: boolean; help: boolean } {
  const o: BenchOptions & { child: boolean; help: boolean } = {
    cases: [...CASES],
    backends: ['cpu', 'wasm'],
    batchSizes: [32, 128],
    cnnSamples: 12800,
    epochs: 3,
    samples: 60000,
    seqSamples: 3200,
    batchSizeGiven: false,
    tfjsCpuSamples: 12000,
    impls: [...IMPLS],
    fastKernels: true,
    jitCompile: true,
    torch: true,
    out: defaultOut,
    seed: 20240501,
    child: false,
    help: false,
  };
  const impls: ImplName[] = [];
  const args = argv.flatMap((a) => (a.startsWith('--') && a.includes('=') ? a.split(/=(.*)/s).slice(0, 2) : [a]));
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => args[++i];
    switch (a) {
      case '--case': o.cases = [oneOf<CaseName>(a, next(), CASES)]; break;
      case '--backend': o.backends = [oneOf<BackendName>(a, next(), BACKENDS)]; break;
      case '--batch-size': o.batchSizes = positiveInts(a, next()); o.batchSizeGiven = true; break;
      case '--cnn-samples': o.cnnSamples = positiveInt(a, next()); break;
      case '--epochs': o.epochs = positiveInt(a, next()); break;
      case '--samples': o.samples = positiveInt(a, next()); break;
      case '--seq-samples': o.seqSamples = positiveInt(a, next()); break;
      case '--tfjs-cpu-samples': o.tfjsCpuSamples = positiveInt(a, next()); break;
      case '--impl': impls.push(oneOf<ImplName>(a, next(), IMPLS)); break;
      case '--no-fast-kernels': o.fastKernels = false; break;
      case '--no-jit-compile': o.jitCompile = false; break;
      case '--no-torch': o.torch = false; break;
      case '--out': o.out = next(); break;
      case '--seed': o.seed = positiveInt(a, next()); break;
      case '--child': o.child = true; break;
      case '--help': case '-h': o.help = true; break;
      // \`pnpm bench -- --case mlp\`: pnpm passes the separator on; it separates nothing here
      case '--': break;
      default: throw new Error(`Unknown flag ${a}\n${USAGE}`);
    }
  }
  if (impls.length) o.impls = impls;
  o.tfjsCpuSamples = Math.min(o.tfjsCpuSamples, o.samples);
  return o;
}

/** The flags that give a child process the same options for one backend. */
export function childArgs(o: BenchOptions, backend: BackendName): string[] {
  const a = ['--child', '--backend', backend, '--epochs', String(o.epochs), '--samples', String(o.samples),
    '--tfjs-cpu-samples', String(o.tfjsCpuSamples), '--seed', String(o.seed), '--out', o.out, '--seq-samples', String(o.seqSamples),
    '--cnn-samples', String(o.cnnSamples)];
  if (o.cases.length === 1) a.push('--case', o.cases[0]);
  if (o.batchSizeGiven) a.push('--batch-size', o.batchSizes.join(','));
  if (o.impls.length < IMPLS.length) for (const i of o.impls) a.push('--impl', i);
  if (!o.fastKernels) a.push('--no-fast-kernels');
  if (!o.jitCompile) a.push('--no-jit-compile');
  return a;
}

/**
 * Batch sizes a case runs at: the given one, else the defaults (the cnn case: Keras's 128 only;
 * the lstm case: the 64).
 */
export function batchSizesOf(o: BenchOptions, caseName: CaseName): number[] {
  if (o.batchSizeGiven) return o.batchSizes;
  return caseName === 'cnn' ? [128] : caseName === 'lstm' ? [64] : o.batchSizes;
}
