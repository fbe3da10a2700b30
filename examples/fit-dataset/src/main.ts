import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { main } from './program';

// `pnpm --filter fit-dataset start -- --epochs 3 --dir path/to/mnist`
const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    epochs: { type: 'string', default: '3' },
    'batch-size': { type: 'string', default: '64' },
    'shuffle-buffer': { type: 'string', default: '2048' },
    seed: { type: 'string', default: '42' },
  },
});
const int = (name: string, v: string | undefined): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${String(v)}`);
  return n;
};
await main({
  dir: values.dir ?? join(process.env.INIT_CWD ?? process.cwd(), 'fit-dataset-data'),
  epochs: int('epochs', values.epochs),
  batchSize: int('batch-size', values['batch-size']),
  shuffleBuffer: int('shuffle-buffer', values['shuffle-buffer']),
  seed: int('seed', values.seed),
});
