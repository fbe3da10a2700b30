// `pnpm --filter mnist-cnn start` and `node dist/main.js` run this.
import { main } from './program';
import { USAGE, readSettings, type Settings } from './settings';

let settings: Settings | 'help' | null = null;
try {
  settings = readSettings(process.argv.slice(2), process.env);
} catch (err) {
  console.error(`mnist-cnn: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
  process.exitCode = 2;
}
if (settings === 'help') console.log(USAGE);
else if (settings !== null) await main(settings);
