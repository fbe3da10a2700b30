// `pnpm --filter sequence-forecast start` (after `pnpm build`) and `node dist/main.js` run this.
import { main } from './program';
import { readSettings, USAGE } from './settings';

const settings = readSettings(process.argv.slice(2), process.cwd());
if (settings === 'help') console.log(USAGE);
else await main(settings);
