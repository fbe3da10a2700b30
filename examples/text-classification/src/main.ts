import { main } from './program';

await main({ epochs: 5, maxTokens: 20000, svgPath: 'training-curves.svg' });
