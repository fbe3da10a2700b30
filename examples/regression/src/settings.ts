import { outDirOf, readFlags, wholeNumber } from '@neurona-examples/kit';

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

export const USAGE = `Options (flags, or the environment variables in brackets):
  --epochs N     passes over the training split (EPOCHS; default ${DEFAULTS.epochs})
  --samples N    samples generated (SAMPLES; default ${DEFAULTS.samples})
  --noise X      standard deviation of the target noise (NOISE; default ${DEFAULTS.noise})
  --seed N       seed of data, split and weights (SEED; default ${DEFAULTS.seed})
  --out DIR      where the pictures go (OUT_DIR; default the directory you ran from)
  --help         this text`;

/** Settings from flags (`--epochs 5`, `--epochs=5`) over environment variables over `DEFAULTS`. */
export function readSettings(argv: readonly string[], env: Record<string, string | undefined>): Settings | 'help' {
  const given = readFlags(argv, env, OPTIONS);
  if (given === 'help') return 'help';
  const num = (flag: keyof typeof OPTIONS, fallback: number, min: number) => (given.has(flag) ? wholeNumber(flag, given.get(flag) as string, min) : fallback);
  const noiseText = given.get('noise');
  const noise = noiseText === undefined ? DEFAULTS.noise : Number(noiseText);
  if (!Number.isFinite(noise) || noise < 0) throw new Error(`--noise must be a number >= 0, got "${noiseText}"`);
  const samples = num('samples', DEFAULTS.samples, 20);
  return {
    epochs: num('epochs', DEFAULTS.epochs, 1),
    samples,
    noise,
    seed: num('seed', DEFAULTS.seed, 0),
    outDir: outDirOf(given.get('out'), env),
  };
}
