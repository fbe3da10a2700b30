import { parseArgs } from 'node:util';
import { main } from './program';

// `pnpm --filter custom-training start -- --epochs 5 --samples 4000`
const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '20' },
    'batch-size': { type: 'string', default: '64' },
    samples: { type: 'string', default: '4000' },
    'latent-dim': { type: 'string', default: '32' },
    seed: { type: 'string', default: '1337' },
    out: { type: 'string' },
  },
});
const int = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${String(v)}`);
  return n;
};
await main({
  epochs: int('epochs', values.epochs),
  batchSize: int('batch-size', values['batch-size']),
  samples: int('samples', values.samples),
  latentDim: int('latent-dim', values['latent-dim']),
  seed: int('seed', values.seed),
  outDir: values.out ?? process.env.INIT_CWD ?? process.cwd(),
});
