import { outDirOf, readFlags, wholeNumber } from '@neurona-examples/kit';

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

export const USAGE = `Options (flags, or the environment variables in brackets):
  --epochs N     passes over the training split (EPOCHS; default ${DEFAULTS.epochs})
  --samples N    digits used out of the 10,000 embedded (SAMPLES; default all)
  --seed N       seed of the split and the weights (SEED; default ${DEFAULTS.seed})
  --out DIR      where training-curves.svg goes (OUT_DIR; default the directory you ran from)
  --help         this text`;

/** Settings from flags (`--epochs 5`, `--epochs=5`) over environment variables over `DEFAULTS`. */
export function readSettings(argv: readonly string[], env: Record<string, string | undefined>): Settings | 'help' {
  const given = readFlags(argv, env, OPTIONS);
  if (given === 'help') return 'help';
  const num = (flag: keyof typeof OPTIONS, fallback: number, min: number) => (given.has(flag) ? wholeNumber(flag, given.get(flag) as string, min) : fallback);
  return {
    epochs: num('epochs', DEFAULTS.epochs, 1),
    samples: num('samples', DEFAULTS.samples, 100),
    seed: num('seed', DEFAULTS.seed, 0),
    outDir: outDirOf(given.get('out'), env),
  };
}
