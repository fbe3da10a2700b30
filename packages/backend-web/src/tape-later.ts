// tfjs-core's gradient tape in a lazy chunk: the engine's `gradients` method (what tf.grad,
// variableGrads and neurona's valueAndGradients run) and tape.js (backpropagation) only run when
// something computes gradients, which a bundled page already does only after `await
// ensureKernels()` of @neurona/tensor (its deferred gradients load there). The engine keeps a
// `gradients` method that hands its work to the deferred code, or throws saying what to await.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const TAPE_IMPORT = "import { backpropagateGradients, getFilteredNodesXToY } from './tape';\n";
const METHOD_START = '    gradients(f, xs, dy, allowNoGradients = false) {\n';
const METHOD_END = '    customGrad(f) {\n';
// what the method's body may use of engine.js's own imports and declarations (passed or imported by the deferred module)
const BODY_NAMES = ['util', 'Tensor', 'getFilteredNodesXToY', 'backpropagateGradients', 'ones', 'add'];

/** The query of gradients.js's id in the deferred chunk (the file as it is; the entry has `gradientsWithoutTape`'s). */
export const LATER_QUERY = '?neurona-later-tape';

/** The message of the error gradient code gets before the deferred tape loaded. */
export const TAPE_NOT_LOADED =
  "tfjs-core's gradient tape (tf.grad, variableGrads, valueAndGradients, training on the tape) is in a lazy chunk of this page (neuronaRegistrations({ laterTape: true }) of @neurona/backend-web/vite-plugin): await ensureKernels() of @neurona/tensor before computing gradients";

/** engine.js's top-level names: what it imports and declares. */
function topLevelNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const [, list] of code.matchAll(/^import \{([^}]*)\} from/gm)) for (const s of list.split(',')) names.add(s.trim().split(/\s+as\s+/).pop() as string);
  for (const [, name] of code.matchAll(/^import \* as (\w+) from/gm)) names.add(name);
  for (const [, name] of code.matchAll(/^(?:export )?(?:function|class|const|let|var) (\w+)/gm)) names.add(name);
  names.delete('');
  return names;
}

/** The `gradients` method's text in tfjs-core's engine.js (`code`): start and end offsets and its body; throws unless found once, as expected. */
function gradientsMethod(code: string, id: string): { start: number; end: number; body: string } {
  const start = code.indexOf(METHOD_START);
  const end = code.indexOf(METHOD_END);
  if (start < 0 || end < start || code.indexOf(METHOD_START, start + 1) >= 0 || code.indexOf(METHOD_END, end + 1) >= 0 || !code.includes(TAPE_IMPORT)) {
    throw new Error(`laterTape: ${id} no longer has the expected gradients method and tape import (another tfjs-core version?)`);
  }
  const body = code.slice(start + METHOD_START.length, end).replace(/\n {4}\}\n$/, '\n');
  const top = topLevelNames(code);
  // what the code says, without its line comments
  const said = body.replace(/\/\/[^\n]*/g, '');
  const used = [...new Set(said.match(/(?<![\w$.])[A-Za-z_$][\w$]*/g) ?? [])].filter((n) => top.has(n));
  const unexpected = used.filter((n) => !BODY_NAMES.includes(n));
  if (unexpected.length || /\bfunction\b|\bsuper\b|\barguments\b|\bthis\b(?!\.)/.test(said)) {
    throw new Error(`laterTape: the gradients method of ${id} uses ${unexpected.join(', ') || 'function, super, arguments or a bare this'}, which the deferred tape does not provide (another tfjs-core version?)`);
  }
  return { start, end, body };
}

/**
 * tfjs-core's `engine.js` (`code`) without tape.js and with a `gradients` method that runs the
 * deferred one (set by `setDeferredTape`, an export added to the module) or throws
 * `TAPE_NOT_LOADED`; `deferredGradients()`, also added, gives the deferred gradients.js (or
 * throws the same). Throws when the module no longer has the expected text.
 */
export function engineWithoutTape(code: string, id: string): string {
  const { start, end } = gradientsMethod(code, id);
  const method = [
    METHOD_START,
    '        // laterTape (@neurona/backend-web/vite-plugin): the tape is in a lazy chunk that ensureKernels() loads\n',
    `        if (deferredTape === null) throw new Error(${JSON.stringify(TAPE_NOT_LOADED)});\n`,
    '        return deferredTape(this, f, xs, dy, allowNoGradients, ones, add);\n',
    '    }\n',
  ].join('');
  const holder = [
    '// laterTape (@neurona/backend-web/vite-plugin): backpropagation and gradients.js come with the deferred gradients',
    'let deferredTape = null;',
    'let deferredGradientsModule = null;',
    'export function setDeferredTape(gradients, gradientsModule) { deferredTape = gradients; deferredGradientsModule = gradientsModule; }',
    `export function deferredGradients() { if (deferredGradientsModule === null) throw new Error(${JSON.stringify(TAPE_NOT_LOADED)}); return deferredGradientsModule; }`,
    '',
  ].join('\n');
  return (code.slice(0, start) + method + code.slice(end)).replace(TAPE_IMPORT, holder);
}

/**
 * The source of the module that hands tfjs-core's engine (`engineFile`, its dist/engine.js) its
 * `gradients` method's original body, with tape.js: imported by the deferred gradients' chunk.
 * Throws when engine.js no longer has the expected text.
 */
export function laterTapeModule(engineFile: string): string {
  const { body } = gradientsMethod(readFileSync(engineFile, 'utf8'), engineFile);
  const dist = dirname(engineFile);
  return [
    "// Generated by @neurona/backend-web (laterTape): tfjs-core's engine.gradients and tape.js, deferred",
    `import * as util from ${JSON.stringify(join(dist, 'util.js'))};`,
    `import { Tensor } from ${JSON.stringify(join(dist, 'tensor.js'))};`,
    `import { backpropagateGradients, getFilteredNodesXToY } from ${JSON.stringify(join(dist, 'tape.js'))};`,
    `import { setDeferredTape } from ${JSON.stringify(engineFile)};`,
    // gradients.js itself, under another id (in the entry it is `gradientsWithoutTape`'s stand-in)
    `import * as gradientsModule from ${JSON.stringify(`${join(dist, 'gradients.js')}${LATER_QUERY}`)};`,
    'setDeferredTape(function gradients(engine, f, xs, dy, allowNoGradients, ones, add) {',
    // the method's body, `this` being the engine
    body.replace(/\bthis\./g, 'engine.').replace(/\n$/, ''),
    '}, gradientsModule);',
    '',
  ].join('\n');
}

/** A stand-in for gradients.js's `name(f)`: the function it returns calls the deferred one's. */
const handOver = (name: string) => `export function ${name}(f) { let g = null; return (...args) => (g ??= deferredGradients().${name}(f))(...args); }`;

const GRADIENTS_EXPORTS = 'export { customGrad, variableGrads, valueAndGrad, valueAndGrads, grad, grads, };';
const CUSTOM_GRAD = 'function customGrad(f) {\n    return ENGINE.customGrad(f);\n}';

/**
 * What the entry gets for tfjs-core's `gradients.js` (`code`): `customGrad` as it is (ops call it
 * in forward passes), and `grad`, `grads`, `valueAndGrad`, `valueAndGrads` and `variableGrads`
 * handing over to the deferred gradients.js (`deferredGradients()` of the engine, which throws
 * `TAPE_NOT_LOADED` before it loaded; the functions `grad(f)` and the like return wait for their
 * first call). Throws when the module no longer has the expected exports.
 */
export function gradientsWithoutTape(code: string, id: string): string {
  if (!code.includes(GRADIENTS_EXPORTS) || !code.includes(CUSTOM_GRAD) || (code.match(/^export /gm) ?? []).length !== 1) {
    throw new Error(`laterTape: ${id} no longer exports just ${GRADIENTS_EXPORTS.slice(7, -1)} with customGrad calling the engine's (another tfjs-core version?)`);
  }
  return [
    "// laterTape (@neurona/backend-web/vite-plugin): tfjs-core's gradient functions are in the deferred gradients' chunk",
    "import { ENGINE, deferredGradients } from './engine';",
    'export function customGrad(f) { return ENGINE.customGrad(f); }',
    ...['grad', 'grads', 'valueAndGrad', 'valueAndGrads'].map(handOver),
    'export function variableGrads(f, varList) { return deferredGradients().variableGrads(f, varList); }',
    '',
  ].join('\n');
}
