// Load from File objects (an <input type="file" multiple>): model.json and its weight files.
import { ModelFileError } from './errors';
import { artifactsFromModelJson, readModelJson } from './model-json';
import { MAX_MODEL_JSON_BYTES } from './safe-json';
import type { IOHandler } from './types';

/** What `browserFiles` needs of a File (a Blob with a name). */
export interface FileLike {
  readonly name: string;
  readonly size: number;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Reads a model from user-picked files: the `.json` one is model.json; each weight path of its
 * manifest must match the name of one of the other files. Sizes are checked before reading.
 */
export function browserFiles(files: readonly FileLike[]): IOHandler {
  if (!Array.isArray(files) || files.length === 0) throw new Error('browserFiles: expected a list of files (model.json and its .bin files), got none');
  return {
    async load() {
      const jsonFiles = files.filter((f) => f.name.endsWith('.json'));
      if (jsonFiles.length !== 1) {
        throw new ModelFileError(`browserFiles: expected exactly one .json file (model.json), got ${jsonFiles.length}: ${files.map((f) => f.name).join(', ')}`);
      }
      const jf = jsonFiles[0];
      if (jf.size > MAX_MODEL_JSON_BYTES) throw new ModelFileError(`browserFiles: ${jf.name} is ${jf.size} bytes, more than a model.json may have`);
      const json = readModelJson(await jf.text(), jf.name);
      const byName = new Map(files.filter((f) => f !== jf).map((f) => [f.name, f]));
      return artifactsFromModelJson(json, async (paths, expected, what) => {
        const picked = paths.map((p) => {
          const name = p.slice(p.lastIndexOf('/') + 1);
          const f = byName.get(name);
          if (!f) throw new ModelFileError(`${what}: model.json lists "${p}" but no file named "${name}" was given (given: ${[...byName.keys()].join(', ') || 'none'})`);
          return f;
        });
        const total = picked.reduce((n, f) => n + f.size, 0);
        if (total !== expected) {
          throw new ModelFileError(`${what}: the weight files hold ${total} bytes but model.json declares ${expected}; they are ${total < expected ? 'truncated' : 'longer than declared'}`);
        }
        const out = new Uint8Array(total);
        let offset = 0;
        for (const f of picked) {
          const b = new Uint8Array(await f.arrayBuffer());
          if (b.byteLength !== f.size) throw new ModelFileError(`${what}: ${f.name} changed size while being read`);
          out.set(b, offset);
          offset += b.byteLength;
        }
        return out.buffer;
      });
    },
  };
}
