// `pnpm --filter from-keras start [model.keras]` (after `pnpm build`) and `node dist/main.js` run this.
import { useNodeBackend } from '@neurona/backend-node';
import { main, USAGE } from './program';

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) console.log(USAGE);
else {
  await useNodeBackend({ silent: true });
  const result = await main({ file: args[0] });
  if (result.maxError !== null && result.maxError > 1e-4) process.exitCode = 1;
}
