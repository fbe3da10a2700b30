import { main } from './program';

await main();
