/** What the program can be asked to do; every field has a default (see `DEFAULTS`). */
export interface Settings {
  /** Passes over the training windows. */
  epochs: number;
  /** Length of the series (hours). */
  length: number;
  /** Values the model sees before each forecast. */
  window: number;
  /** Standard deviation of the noise. */
  noise: number;
  /** Seed of the series and the weights. */
  seed: number;
  /** Where the training-curve picture goes. */
  outDir: string;
}

export const DEFAULTS: Omit<Settings, 'outDir'> = { epochs: 20, length: 3000, window: 48, noise: 0.1, seed: 7 };

export const USAGE = `Options:
  --epochs N     passes over the training windows (default ${DEFAULTS.epochs})
  --length N     length of the series in hours (default ${DEFAULTS.length})
  --window N     values seen before each forecast (default ${DEFAULTS.window})
  --noise X      standard deviation of the noise (default ${DEFAULTS.noise})
  --seed N       seed of the series and the weights (default ${DEFAULTS.seed})
  --out DIR      where the picture goes (default the directory you ran from)
  --help         this text`;

/** Settings from flags (`--epochs 5`, `--epochs=5`) over `DEFAULTS`. */
export function readSettings(argv: readonly string[], cwd: string): Settings | 'help' {
  const s: Settings = { ...DEFAULTS, outDir: cwd };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') return 'help';
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    const value = m ? (m[2] ?? argv[++i]) : undefined;
    if (!m || value === undefined) throw new Error(`unknown argument "${arg}"\n${USAGE}`);
    const n = Number(value);
    switch (m[1]) {
      case 'out':
        s.outDir = value;
        break;
      case 'noise':
        if (!(n >= 0)) throw new Error(`--noise must be a number >= 0, got "${value}"`);
        s.noise = n;
        break;
      case 'epochs':
      case 'length':
      case 'window':
      case 'seed':
        if (!Number.isInteger(n) || n < 1) throw new Error(`--${m[1]} must be a whole number >= 1, got "${value}"`);
        s[m[1]] = n;
        break;
      default:
        throw new Error(`unknown argument "${arg}"\n${USAGE}`);
    }
  }
  if (s.length < 4 * (s.window + 1)) throw new Error(`--length ${s.length} is too short for --window ${s.window}: give at least ${4 * (s.window + 1)}`);
  return s;
}
