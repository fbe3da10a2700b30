// Save as browser downloads: model.json and the weight file(s), as tfjs's `downloads://`.
import { modelJsonFor, weightBytes } from './model-json';
import type { IOHandler, SaveResult } from './types';

/**
 * Triggers downloads of `<name>.json`, `<name>.weights.bin` and (with optimizer state)
 * `<name>.optimizer.bin` through an anchor with a Blob URL. Load them back with `browserFiles`.
 */
export function browserDownloads(name = 'model'): IOHandler {
  if (typeof name !== 'string' || name.length === 0 || /[\\/]/.test(name)) {
    throw new Error(`browserDownloads: expected a file name without slashes, got ${String(name)}`);
  }
  return {
    async save(artifacts): Promise<SaveResult> {
      const doc = (globalThis as { document?: Document }).document;
      if (!doc || typeof URL.createObjectURL !== 'function') {
        throw new Error("browserDownloads: needs a browser (document and URL.createObjectURL); in Node save to a folder path instead");
      }
      const weightsName = `${name}.weights.bin`;
      const optimizerName = `${name}.optimizer.bin`;
      const json = JSON.stringify(modelJsonFor(artifacts, weightsName, optimizerName));
      const weights = weightBytes(artifacts);
      const files: [string, Blob][] = [[`${name}.json`, new Blob([json], { type: 'application/json' })]];
      if (artifacts.weightSpecs.length > 0) files.push([weightsName, new Blob([weights], { type: 'application/octet-stream' })]);
      const opt = artifacts.optimizerWeightData;
      if (opt && (artifacts.optimizerWeightSpecs?.length ?? 0) > 0) files.push([optimizerName, new Blob([opt], { type: 'application/octet-stream' })]);
      for (const [fileName, blob] of files) {
        const href = URL.createObjectURL(blob);
        const a = doc.createElement('a');
        a.download = fileName;
        a.href = href;
        a.click();
        // revoke later: the download starts asynchronously
        setTimeout(() => URL.revokeObjectURL(href), 10_000);
      }
      return { location: `downloads://${name}`, modelJsonBytes: json.length, weightBytes: weights.byteLength, optimizerBytes: opt?.byteLength ?? 0 };
    },
  };
}
