import { parseModelKind } from './models';
import { main } from './program';

// `--model bow|lstm` (or MODEL=...): the bag of words is the default, the LSTM is slower
const flag = process.argv.indexOf('--model');
const kind = parseModelKind(flag >= 0 ? (process.argv[flag + 1] ?? '') : (process.env.MODEL ?? 'bow'));

await main(
  kind === 'bow'
    ? { model: 'bow', epochs: 5, maxTokens: 20000, svgPath: 'training-curves.svg' }
    : { model: 'lstm', epochs: 4, maxTokens: 20000, sequenceLength: 256, svgPath: 'training-curves-lstm.svg' },
);
