import { outDirOf, readFlags, wholeNumber } from '@neurona-examples/kit';

/** What the program can be asked to do; every field has a default (see `DEFAULTS`). */
export interface Settings {
  /** Epochs of the base model on digits 0-4. */
  pretrainEpochs: number;
  /** Epochs of the new head on the frozen base. */
  headEpochs: number;
  /** Epochs of fine-tuning with the base unfrozen (0 skips it). */
  fineTuneEpochs: number;
  /** Labelled training digits per class of the new task (5-9): the few labels transfer helps with. */
  labelsPerClass: number;
  /** How many of the 10,000 embedded digits to use (a class-balanced prefix). */
  samples: number;
  /** Seed of the splits and of the weights, so two runs print the same numbers. */
  seed: number;
  /** Where the saved models and `training-curves.svg` go. */
  outDir: string;
}

export const DEFAULTS: Omit<Settings, 'outDir'> = { pretrainEpochs: 5, headEpochs: 30, fineTuneEpochs: 10, labelsPerClass: 5, samples: 10_000, seed: 42 };

// flag → [environment variable, field]
const OPTIONS = {
  'pretrain-epochs': ['PRETRAIN_EPOCHS', 'pretrainEpochs'],
  'head-epochs': ['HEAD_EPOCHS', 'headEpochs'],
  'fine-tune-epochs': ['FINE_TUNE_EPOCHS', 'fineTuneEpochs'],
  'labels-per-class': ['LABELS_PER_CLASS', 'labelsPerClass'],
  samples: ['SAMPLES', 'samples'],
  seed: ['SEED', 'seed'],
  out: ['OUT_DIR', 'outDir'],
} as const;

export const USAGE = `Options (flags, or the environment variables in brackets):
  --pretrain-epochs N      epochs of the base on digits 0-4 (PRETRAIN_EPOCHS; default 5)
  --head-epochs N          epochs of the new head, base frozen (HEAD_EPOCHS; default 30)
  --fine-tune-epochs N     epochs with the base unfrozen, 0 to skip (FINE_TUNE_EPOCHS; default 10)
  --labels-per-class N     labelled digits per class of 5-9 (LABELS_PER_CLASS; default 5)
  --samples N              digits used out of the 10,000 embedded (SAMPLES; default all)
  --seed N                 seed of the splits and the weights (SEED; default 42)
  --out DIR                where the models and training-curves.svg go (OUT_DIR; default the directory you ran from)
  --help                   this text`;

/**
 * Settings from command-line flags (`--head-epochs 5`, `--head-epochs=5`) over environment
 * variables over the defaults. `pnpm start` runs in the package directory, so the outputs go to
 * `INIT_CWD` (the directory pnpm was started from) unless `--out` says otherwise.
 */
export function readSettings(argv: readonly string[], env: Record<string, string | undefined>): Settings | 'help' {
  const given = readFlags(argv, env, OPTIONS);
  if (given === 'help') return 'help';
  const d = DEFAULTS;
  const num = (flag: keyof typeof OPTIONS, fallback: number, min = 1) => (given.has(flag) ? wholeNumber(flag, given.get(flag) as string, min) : fallback);
  return {
    pretrainEpochs: num('pretrain-epochs', d.pretrainEpochs),
    headEpochs: num('head-epochs', d.headEpochs),
    fineTuneEpochs: num('fine-tune-epochs', d.fineTuneEpochs, 0),
    labelsPerClass: num('labels-per-class', d.labelsPerClass),
    samples: num('samples', d.samples),
    seed: num('seed', d.seed, 0),
    outDir: outDirOf(given.get('out'), env),
  };
}
