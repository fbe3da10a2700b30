// Keras's name for a neurona export, where they differ. Two sources: each package's own registry
// (a camelCase function whose snake_case name the registry resolves, as `get` does for
// `compile({ loss: 'categorical_crossentropy' })`, is Keras's `keras.losses.categorical_crossentropy`),
// and docs/keras-names.json for names no registry knows (`plotModel` is `keras.utils.plot_model`).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The Keras module of each package with a registry of Keras names. */
export const KERAS_MODULES = {
  '@neurona/activations': 'keras.activations',
  '@neurona/initializers': 'keras.initializers',
  '@neurona/losses': 'keras.losses',
  '@neurona/metrics': 'keras.metrics',
  '@neurona/optimizers': 'keras.optimizers',
  '@neurona/layers': 'keras.layers',
};

/** `categoricalCrossentropy` → `categorical_crossentropy` (Keras's spelling of a function name). */
export function snake(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** `Map<package name, Map<export, Keras name>>` for every package. */
export async function kerasNames(pkgs) {
  const curated = JSON.parse(readFileSync(join(ROOT, 'docs', 'keras-names.json'), 'utf8'));
  const out = new Map();
  const { useNodeBackend } = await import(pathToFileURL(join(ROOT, 'packages', 'backend-node', 'dist', 'index.js')).href);
  await useNodeBackend({ force: 'cpu', silent: true });
  for (const p of pkgs) {
    const names = new Map();
    const module = KERAS_MODULES[p.name];
    const dist = join(ROOT, 'packages', p.folder, 'dist', 'index.js');
    if (module && existsSync(dist)) {
      const mod = await import(pathToFileURL(dist).href);
      for (const name of Object.keys(mod).toSorted()) {
        if (!/^[a-z][a-z0-9]*[A-Z]/.test(name) || typeof mod[name] !== 'function' || typeof mod.get !== 'function') continue;
        try {
          const found = mod.get(snake(name));
          // the same function, or the registry's Keras-named one (losses and metrics wrap theirs)
          const same = found === mod[name] || found.name === snake(name) || found.className === snake(name);
          if (same) names.set(name, `${module}.${snake(name)}`);
        } catch {
          // not a registered name: no Keras counterpart by that spelling
        }
      }
    }
    for (const [name, keras] of Object.entries(curated[p.name] ?? {})) names.set(name, keras);
    if (names.size) out.set(p.name, names);
  }
  return out;
}
