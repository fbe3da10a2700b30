/** What the program can be asked to do; every field has a default (see `DEFAULTS`). */
export interface Settings {
  /** Passes over the training split, for each of the two models. */
  epochs: number;
  /** Samples generated (70% train, 10% validation, 20% test). */
  samples: number;
  /** Standard deviation of the noise added to the targets. */
  noise: number;
  /** Seed of the data, the split and the weights. */
  seed: number;
  /** Where the training-curve pictures go. */
  outDir: string;
}

export const DEFAULTS: Omit<Settings, 'outDir'> = { epochs: 40, samples: 2000, noise: 0.1, seed: 42 };

// flag → environment variable
const OPTIONS = { epochs: 'EPOCHS', samples: 'SAMPLES', noise: 'NOISE', seed: 'SEED', out: 'OUT_DIR' } as const;
type Flag = keyof typeof OPTIONS;

export const USAGE = `Options (flags, or the environment variables in brackets):
  --epochs N     passes over the training split (EPOCHS; default ${DEFAULTS.epochs})
  --samples N    samples generated (SAMPLES; default ${DEFAULTS.samples})
  --noise X      standard deviation of the target noise (NOISE; default ${DEFAULTS.noise})
  --seed N       seed of data, split and weights (SEED; default ${DEFAULTS.seed})
  --out DIR      where the pictures go (OUT_DIR; default the directory you ran from)
  --help         this text`;

function isFlag(name: string): name is Flag {
  return Object.prototype.hasOwnProperty.call(OPTIONS, name);
}

function wholeNumber(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${flag} must be a whole number >= ${min}, got "${text}"`);
  return n;
}

/** Settings from flags (`--epochs 5`, `--epochs=5`) over environment variables over `DEFAULTS`. */
export function readSettings(argv: readonly string[], env: Record<string, string | undefined>): Settings | 'help' {
  const given = new Map<Flag, string>();
  for (const [flag, envName] of Object.entries(OPTIONS) as [Flag, string][]) {
    const v = env[envName];
    if (v !== undefined && v !== '') given.set(flag, v);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') return 'help';
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !isFlag(m[1])) {
      throw new Error(`unknown argument "${arg}". Known: ${Object.keys(OPTIONS).map((f) => `--${f}`).join(', ')}, --help`);
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    given.set(m[1], value);
  }
  const noiseText = given.get('noise');
  const noise = noiseText === undefined ? DEFAULTS.noise : Number(noiseText);
  if (!Number.isFinite(noise) || noise < 0) throw new Error(`--noise must be a number >= 0, got "${noiseText}"`);
  const samples = given.has('samples') ? wholeNumber('samples', given.get('samples') as string, 20) : DEFAULTS.samples;
  return {
    epochs: given.has('epochs') ? wholeNumber('epochs', given.get('epochs') as string, 1) : DEFAULTS.epochs,
    samples,
    noise,
    seed: given.has('seed') ? wholeNumber('seed', given.get('seed') as string, 0) : DEFAULTS.seed,
    // `pnpm start` runs in the package directory; INIT_CWD is where pnpm was started
    outDir: given.get('out') ?? env.INIT_CWD ?? process.cwd(),
  };
}
