// Model file formats other packages add: `import '@neurona/keras'` registers the Keras format, and
// from then on `loadModel('model.keras')` or `saveModel(model, 'model.h5')` go to it. A path with
// such an extension and no format registered fails with a message saying what to import, rather
// than being mistaken for a folder.
import type { LayersModel } from '../model';
import type { LoadOptions, LoadWeightsOptions } from './artifacts-read';
import type { SaveOptions } from './artifacts-write';
import type { SaveResult } from './types';

/** A file format for `loadModel`/`saveModel`/`loadWeights`/`saveWeights` on string locations. */
export interface ModelFileFormat {
  /** Shown in messages: `'Keras (.keras, .h5)'`. */
  readonly name: string;
  /** True when this format reads and writes `location` (a path or URL), judged by its name. */
  handles(location: string): boolean;
  loadModel(location: string, options: LoadOptions): Promise<LayersModel>;
  saveModel(model: LayersModel, location: string, options: SaveOptions): Promise<SaveResult>;
  loadWeights(model: LayersModel, location: string, options: LoadWeightsOptions): Promise<void>;
  saveWeights(model: LayersModel, location: string): Promise<SaveResult>;
}

const formats: ModelFileFormat[] = [];

/** Extensions of formats that live in other packages, and the package that reads them. */
const KNOWN_ELSEWHERE: { pattern: RegExp; what: string; pkg: string }[] = [
  { pattern: /\.(keras|h5|hdf5)$/i, what: 'Keras files (.keras, .h5, .weights.h5)', pkg: '@neurona/keras' },
];

/** The path part of a location (a URL loses its query and fragment). */
function pathOf(location: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? location.replace(/[?#].*$/, '') : location;
}

/**
 * Make a file format available to `loadModel`, `saveModel`, `loadWeights` and `saveWeights` for
 * string locations it `handles`. Registering the same object twice is harmless; the latest
 * registration wins when two formats handle one location.
 */
export function registerModelFormat(format: ModelFileFormat): void {
  const ok = typeof format === 'object' && format !== null &&
    (['handles', 'loadModel', 'saveModel', 'loadWeights', 'saveWeights'] as const).every((k) => typeof format[k] === 'function');
  if (!ok || typeof format.name !== 'string') {
    throw new Error('registerModelFormat: expected { name, handles, loadModel, saveModel, loadWeights, saveWeights }');
  }
  const i = formats.indexOf(format);
  if (i >= 0) formats.splice(i, 1);
  formats.unshift(format);
}

/**
 * The registered format for a string location, or null when none handles it. Throws when the
 * location names a format another package reads and that package has not been imported.
 */
export function formatFor(location: unknown, use: string): ModelFileFormat | null {
  if (typeof location !== 'string') return null;
  const path = pathOf(location);
  const found = formats.find((f) => f.handles(path));
  if (found) return found;
  const known = KNOWN_ELSEWHERE.find((k) => k.pattern.test(path));
  if (known) {
    throw new Error(
      `${use}("${location}"): ${known.what} are read and written by ${known.pkg}. Install it and import it once before ` +
        `this call (import '${known.pkg}';), or save to a folder for TensorFlow.js's Layers format`,
    );
  }
  return null;
}
