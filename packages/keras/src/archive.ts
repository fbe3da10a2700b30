// The members of a `.keras` archive, as Keras's saving_lib writes them: metadata.json,
// config.json and model.weights.h5, plus an optional assets/ folder (the vocabularies of adapted
// lookup layers: `assets/<layer path>/vocabulary.txt`). A missing or unexpected member is refused.
import { ModelFileError, parseModelJson } from '@neurona/models';
import { asObject } from './config/json';
import type { JsonObject } from './config/json';
import { MAX_JSON_BYTES } from './limits';
import { extract, listZip } from './zip/read';

/** The parsed members of a `.keras` archive. */
export interface KerasArchive {
  config: JsonObject;
  metadata: JsonObject;
  weights: Uint8Array;
  /** The files under `assets/`, by their full member name. */
  assets: Map<string, Uint8Array>;
}

function json(bytes: Uint8Array, what: string): JsonObject {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    throw new ModelFileError(`${what} is not UTF-8 text`, { cause: e });
  }
  return asObject(parseModelJson(text, what), what);
}

/** The members of a `.keras` archive, checked. */
export function readKerasArchive(bytes: Uint8Array, what: string): KerasArchive {
  const entries = listZip(bytes, what);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const unexpected = entries.filter((e) => !['config.json', 'metadata.json', 'model.weights.h5'].includes(e.name) && !e.name.startsWith('assets/'));
  if (byName.has('model.weights.npz')) throw new ModelFileError(`${what}: weights saved as .npz (weights_format="npz") are not supported; save with the default h5 weights`);
  if (unexpected.length > 0) {
    throw new ModelFileError(`${what}: unexpected member ${JSON.stringify(unexpected[0].name)}; a .keras archive holds metadata.json, config.json, model.weights.h5 and assets/`);
  }
  for (const required of ['config.json', 'metadata.json', 'model.weights.h5']) {
    if (!byName.has(required)) throw new ModelFileError(`${what}: the archive has no ${required}; it is not a complete .keras file`);
  }
  const get = (name: string, max?: number): Uint8Array => extract(bytes, byName.get(name) as NonNullable<ReturnType<typeof byName.get>>, what, max);
  return {
    config: json(get('config.json', MAX_JSON_BYTES), `${what}: config.json`),
    metadata: json(get('metadata.json', MAX_JSON_BYTES), `${what}: metadata.json`),
    weights: get('model.weights.h5'),
    assets: new Map(entries.filter((e) => e.name.startsWith('assets/') && !e.name.endsWith('/')).map((e) => [e.name, get(e.name, MAX_JSON_BYTES)])),
  };
}
