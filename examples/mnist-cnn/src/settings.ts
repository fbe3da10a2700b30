/** What the program can be asked to do; every field has a default (see `DEFAULTS`). */
export interface Settings {
  /** Passes over the training split. */
  epochs: number;
  /** Samples per gradient step. */
  batchSize: number;
  /** Adam's learning rate. */
  learningRate: number;
  /** How many of the 10,000 embedded digits to use (a class-balanced prefix). */
  samples: number;
  /** Seed of the split, the weights and the dropout masks, so two runs print the same numbers. */
  seed: number;
  /** Where `training-curves.svg` goes. */
  outDir: string;
}

/**
 * Keras's example trains 15 epochs of batch 128 with Adam at 0.001 on 54,000 digits. Here there
 * are 7,000 training digits: 12 epochs reach a test accuracy of 0.97 or more (README.md).
 */
export const DEFAULTS: Omit<Settings, 'outDir'> = { epochs: 12, batchSize: 128, learningRate: 0.001, samples: 10_000, seed: 42 };

// flag → environment variable
const OPTIONS = {
  epochs: 'EPOCHS',
  'batch-size': 'BATCH_SIZE',
  lr: 'LR',
  samples: 'SAMPLES',
  seed: 'SEED',
  out: 'OUT_DIR',
} as const;
type Flag = keyof typeof OPTIONS;

export const USAGE = `Options (flags, or the environment variables in brackets):
  --epochs N               passes over the training split (EPOCHS; default 12)
  --batch-size N           samples per step (BATCH_SIZE; default 128)
  --lr X                   Adam's learning rate (LR; default 0.001)
  --samples N              digits used out of the 10,000 embedded (SAMPLES; default all)
  --seed N                 seed of the split, the weights and dropout (SEED; default 42)
  --out DIR                where training-curves.svg goes (OUT_DIR; default the directory you ran from)
  --help                   this text`;

function isFlag(name: string): name is Flag {
  return Object.prototype.hasOwnProperty.call(OPTIONS, name);
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${flag} must be a whole number > 0, got "${text}"`);
  return n;
}

/**
 * Settings from command-line flags (`--epochs 5`, `--epochs=5`) over environment variables
 * (`EPOCHS=5`) over the defaults. `pnpm start` runs in the package directory, so the picture goes
 * to `INIT_CWD` (the directory pnpm was started from) unless `--out` says otherwise.
 */
export function readSettings(argv: readonly string[], env: Record<string, string | undefined>): Settings | 'help' {
  const given = new Map<Flag, string>();
  for (const [flag, envName] of Object.entries(OPTIONS) as [Flag, string][]) {
    const v = env[envName];
    if (v !== undefined && v !== '') given.set(flag, v);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue; // pnpm/npm pass it through
    if (arg === '--help' || arg === '-h') return 'help';
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !isFlag(m[1])) {
      throw new Error(`unknown argument "${arg}". Known: ${Object.keys(OPTIONS).map((f) => `--${f}`).join(', ')}, --help`);
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    given.set(m[1], value);
  }
  const num = (flag: Flag, fallback: number) => (given.has(flag) ? positiveInt(flag, given.get(flag) as string) : fallback);
  let learningRate = DEFAULTS.learningRate;
  const lr = given.get('lr');
  if (lr !== undefined) {
    learningRate = Number(lr);
    if (!Number.isFinite(learningRate) || learningRate <= 0) throw new Error(`--lr must be a number > 0, got "${lr}"`);
  }
  const seed = given.get('seed');
  if (seed !== undefined && !(Number.isInteger(Number(seed)) && Number(seed) >= 0)) throw new Error(`--seed must be a whole number >= 0, got "${seed}"`);
  return {
    epochs: num('epochs', DEFAULTS.epochs),
    batchSize: num('batch-size', DEFAULTS.batchSize),
    learningRate,
    samples: num('samples', DEFAULTS.samples),
    seed: seed === undefined ? DEFAULTS.seed : Number(seed),
    outDir: given.get('out') ?? env.INIT_CWD ?? process.cwd(),
  };
}
