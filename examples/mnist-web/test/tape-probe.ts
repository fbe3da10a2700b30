// A Vite plugin for tests: the built page counts, in `globalThis.neuronaTapeGradients`, every
// gradient tfjs-core's tape computes (its engine's `gradients`, which `variableGrads` and
// `valueAndGrads` go through). A fit that trains on a compiled plan computes none.

const ENGINE = /@tensorflow[\\/]tfjs-core[\\/]dist[\\/]engine\.js$/;
const GRADIENTS = '    gradients(f, xs, dy, allowNoGradients = false) {';

/** The probe: counts the tape's gradient computations. */
export function tapeProbe(): { name: string; enforce: 'pre'; transform(code: string, id: string): string | null } {
  return {
    name: 'neurona-tape-probe',
    enforce: 'pre',
    transform(code, id) {
      if (!ENGINE.test(id.split('?')[0])) return null;
      if (!code.includes(GRADIENTS)) throw new Error(`tapeProbe: ${id} has no "${GRADIENTS.trim()}" (another tfjs-core version?)`);
      return code.replace(GRADIENTS, `${GRADIENTS}\n        globalThis.neuronaTapeGradients = (globalThis.neuronaTapeGradients ?? 0) + 1;`);
    },
  };
}
