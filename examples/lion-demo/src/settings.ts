/** What the program can be asked to do; every field has a default (see `DEFAULTS`). */
export interface Settings {
  /** Passes over the training split, for each optimizer. */
  epochs: number;
  /** How many of the 10,000 embedded digits to use. */
  samples: number;
  /** Seed of the split and of the (shared) initial weights. */
  seed: number;
  /** Where `training-curves.svg` goes. */
  outDir: string;
}

export const DEFAULTS: Omit<Settings, 'outDir'> = { epochs: 5, samples: 10_000, seed: 42 };

// flag → environment variable
const OPTIONS = { epochs: 'EPOCHS', samples: 'SAMPLES', seed: 'SEED', out: 'OUT_DIR' } as const;
type Flag = keyof typeof OPTIONS;

export const USAGE = `Options (flags, or the environment variables in brackets):
  --epochs N     passes over the training split (EPOCHS; default ${DEFAULTS.epochs})
  --samples N    digits used out of the 10,000 embedded (SAMPLES; default all)
  --seed N       seed of the split and the weights (SEED; default ${DEFAULTS.seed})
  --out DIR      where training-curves.svg goes (OUT_DIR; default the directory you ran from)
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
  return {
    epochs: given.has('epochs') ? wholeNumber('epochs', given.get('epochs') as string, 1) : DEFAULTS.epochs,
    samples: given.has('samples') ? wholeNumber('samples', given.get('samples') as string, 100) : DEFAULTS.samples,
    seed: given.has('seed') ? wholeNumber('seed', given.get('seed') as string, 0) : DEFAULTS.seed,
    // `pnpm start` runs in the package directory; INIT_CWD is where pnpm was started
    outDir: given.get('out') ?? env.INIT_CWD ?? process.cwd(),
  };
}
