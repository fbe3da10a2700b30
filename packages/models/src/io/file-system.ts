// Node folder handler: `model.json` plus binary weight files, written atomically.
import { ModelFileError } from './errors';
import { artifactsFromModelJson, modelJsonFor, OPTIMIZER_FILE, readModelJson, weightBytes, WEIGHTS_FILE } from './model-json';
import { nodeModules } from './node-modules';
import type { NodeFs, NodePath } from './node-modules';
import { MAX_MODEL_JSON_BYTES } from './safe-json';
import type { IOHandler, ModelArtifacts, SaveResult } from './types';

const MODEL_JSON = 'model.json';
// Leftovers of an interrupted save sit beside the target: `.name.neurona-tmp-<pid>-<rand>` (a new
// complete folder once its model.json exists) and `.name.neurona-old-<pid>-<rand>` (the previous one).
const TMP = 'neurona-tmp';
const OLD = 'neurona-old';

function sideName(base: string, kind: string): string {
  return `.${base}.${kind}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

async function exists(fs: NodeFs, p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

async function writeSynced(fs: NodeFs, file: string, bytes: Uint8Array): Promise<void> {
  const fh = await fs.open(file, 'w');
  try {
    await fh.write(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

// A directory's fsync makes its entries (new files, renames) durable; not every platform allows it.
async function syncDir(fs: NodeFs, dir: string): Promise<void> {
  try {
    const fh = await fs.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Windows cannot open a directory; its renames are durable enough for our purpose
  }
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

interface Leftover {
  path: string;
  kind: 'tmp' | 'old';
  pid: number;
}

async function leftovers(fs: NodeFs, path: NodePath, target: string): Promise<Leftover[]> {
  const parent = path.dirname(target);
  const base = path.basename(target);
  let names: string[];
  try {
    names = await fs.readdir(parent);
  } catch {
    return [];
  }
  const prefix = `.${base}.`;
  return names.flatMap((n) => {
    if (!n.startsWith(prefix)) return [];
    const m = /^(neurona-tmp|neurona-old)-(\d+)-[a-z0-9]+$/.exec(n.slice(prefix.length));
    return m ? [{ path: path.join(parent, n), kind: m[1] === TMP ? ('tmp' as const) : ('old' as const), pid: Number(m[2]) }] : [];
  });
}

/**
 * Folders that can stand in for a missing target after a save was killed between its two
 * renames: the new complete folder first, then the previous one.
 */
async function recoveryCandidates(fs: NodeFs, path: NodePath, target: string): Promise<string[]> {
  const found = (await leftovers(fs, path, target)).filter((l) => !pidAlive(l.pid) || l.pid === process.pid);
  const complete: string[] = [];
  for (const kind of ['tmp', 'old'] as const) {
    for (const l of found) if (l.kind === kind && (await exists(fs, path.join(l.path, MODEL_JSON)))) complete.push(l.path);
  }
  return complete;
}

/** Refuse to replace a folder that is not a saved model (saving to `./src` must not wipe it). */
async function assertReplaceable(fs: NodeFs, path: NodePath, target: string): Promise<void> {
  const st = await fs.lstat(target);
  if (!st.isDirectory() || st.isSymbolicLink()) {
    throw new Error(`save: ${target} exists and is not a folder; expected a model folder (or nothing) there`);
  }
  const names = await fs.readdir(target);
  const foreign = names.filter((n) => n !== MODEL_JSON && !n.endsWith('.bin'));
  if (foreign.length > 0 || (names.length > 0 && !names.includes(MODEL_JSON))) {
    throw new Error(
      `save: refusing to replace ${target}: it is not a saved model (it holds ${names.slice(0, 5).join(', ')}` +
        `${names.length > 5 ? ', ...' : ''}); choose an empty or new folder`,
    );
  }
}

/** Why an OS call failed, in words, from its error code. */
function reasonOf(e: unknown): string {
  const code = (e as { code?: string }).code ?? '';
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is exceeded',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENOENT: 'folders cannot be created there',
    EEXIST: 'something else is already there',
  };
  return words[code] ? `${words[code]} (${code})` : (e as Error).message ?? String(e);
}

/**
 * Make `parent` and its missing ancestors one by one (a recursive mkdir loops on some special
 * file systems, /proc among them), saying which part of `shown` stops it.
 */
async function ensureFolder(fs: NodeFs, path: NodePath, parent: string, shown: string): Promise<void> {
  const missing: string[] = [];
  let p = parent;
  while (!(await exists(fs, p))) {
    missing.unshift(p);
    const up = path.dirname(p);
    if (up === p) break;
    p = up;
  }
  if (await exists(fs, p)) {
    const st = await fs.stat(p).catch(() => null);
    if (st && !st.isDirectory()) throw new Error(`save: cannot write "${shown}": ${p} is a file, not a folder`);
  }
  for (const m of missing) {
    try {
      await fs.mkdir(m);
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST' && (await fs.stat(m).catch(() => null))?.isDirectory()) continue;
      throw new Error(`save: cannot write "${shown}": cannot create the folder ${m}: ${reasonOf(e)}`, { cause: e });
    }
  }
}

async function saveAtomically(dir: string, artifacts: ModelArtifacts): Promise<SaveResult> {
  const { fs, path } = await nodeModules();
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  const base = path.basename(target);
  await ensureFolder(fs, path, parent, dir);
  // finish what an interrupted save left: a missing target comes back first, stale leftovers go
  if (!(await exists(fs, target))) {
    const [recovered] = await recoveryCandidates(fs, path, target);
    if (recovered) await fs.rename(recovered, target);
  }
  for (const l of await leftovers(fs, path, target)) if (!pidAlive(l.pid)) await fs.rm(l.path, { recursive: true, force: true });
  if (await exists(fs, target)) await assertReplaceable(fs, path, target);

  const json = modelJsonFor(artifacts, WEIGHTS_FILE, OPTIMIZER_FILE);
  const jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const weights = new Uint8Array(weightBytes(artifacts));
  const optimizer = artifacts.optimizerWeightData ? new Uint8Array(artifacts.optimizerWeightData) : null;
  const tmp = path.join(parent, sideName(base, TMP));
  let old: string | null = null;
  try {
    await fs.mkdir(tmp);
  } catch (e) {
    throw new Error(`save: cannot write "${dir}": cannot create files in ${parent}: ${reasonOf(e)}`, { cause: e });
  }
  try {
    if (artifacts.weightSpecs.length > 0) await writeSynced(fs, path.join(tmp, WEIGHTS_FILE), weights);
    if (optimizer && (artifacts.optimizerWeightSpecs?.length ?? 0) > 0) await writeSynced(fs, path.join(tmp, OPTIMIZER_FILE), optimizer);
    // model.json last: a temporary folder that has it is complete
    await writeSynced(fs, path.join(tmp, MODEL_JSON), jsonBytes);
    await syncDir(fs, tmp);
    if (await exists(fs, target)) {
      old = path.join(parent, sideName(base, OLD));
      await fs.rename(target, old);
    }
    await fs.rename(tmp, target);
    await syncDir(fs, parent);
  } catch (e) {
    if (old && !(await exists(fs, target))) await fs.rename(old, target).catch(() => undefined);
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    // the OS names the temporary folder; the user knows the path they gave
    if ((e as { code?: string }).code) throw new Error(`save: cannot write "${dir}": ${reasonOf(e)}`, { cause: e });
    throw e;
  }
  if (old) await fs.rm(old, { recursive: true, force: true });
  return { location: target, modelJsonBytes: jsonBytes.byteLength, weightBytes: weights.byteLength, optimizerBytes: optimizer?.byteLength ?? 0 };
}

/** Throws unless `real` is inside the folder `root` (both resolved, symlinks followed). */
function assertInside(path: NodePath, root: string, real: string, shown: string): void {
  const rel = path.relative(root, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new ModelFileError(`weight file "${shown}" resolves to ${real}, outside the model's folder ${root} (a symlink out?); refusing to read it`);
  }
}

async function loadFolder(folder: string): Promise<ModelArtifacts> {
  const { fs, path } = await nodeModules();
  const root = await fs.realpath(folder);
  const jsonPath = path.join(root, MODEL_JSON);
  let st;
  try {
    st = await fs.stat(jsonPath);
  } catch {
    throw new ModelFileError(`no model.json in ${folder}; expected a folder written by saveModel or tfjs-layers`);
  }
  if (!st.isFile()) throw new ModelFileError(`${jsonPath} is not a file`);
  if (st.size > MAX_MODEL_JSON_BYTES) throw new ModelFileError(`${jsonPath} has ${st.size} bytes, more than the ${MAX_MODEL_JSON_BYTES} a model.json may have`);
  assertInside(path, root, await fs.realpath(jsonPath), MODEL_JSON);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(await fs.readFile(jsonPath));
  const json = readModelJson(text, `${folder}/model.json`);
  return artifactsFromModelJson(json, async (paths, expected, what) => {
    // every file is located and sized before one byte is read
    const files: { real: string; size: number }[] = [];
    for (const p of paths) {
      const full = path.join(root, p);
      let real: string;
      try {
        real = await fs.realpath(full);
      } catch {
        throw new ModelFileError(`${what}: weight file "${p}" listed in model.json is missing from ${folder}`);
      }
      assertInside(path, root, real, p);
      const s = await fs.stat(real);
      if (!s.isFile()) throw new ModelFileError(`${what}: weight file "${p}" is not a regular file`);
      files.push({ real, size: s.size });
    }
    const total = files.reduce((n, f) => n + f.size, 0);
    if (total !== expected) {
      throw new ModelFileError(
        `${what}: the weight files hold ${total} bytes but model.json declares ${expected}; ` +
          `${total < expected ? 'they are truncated (or the manifest declares shapes larger than the files)' : 'they are longer than declared'}`,
      );
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const f of files) {
      const bytes = await fs.readFile(f.real);
      if (bytes.byteLength !== f.size) throw new ModelFileError(`${what}: ${f.real} changed size while being read`);
      out.set(bytes, offset);
      offset += bytes.byteLength;
    }
    return out.buffer;
  });
}

/**
 * A folder on disk (Node): `save` writes `model.json`, `group1-shard1of1.bin` and, with optimizer
 * state, `optimizer-shard1of1.bin` into a temporary folder beside `dir`, syncs them, then renames
 * it into place (the previous folder is renamed aside first and removed after), so a process
 * killed at any moment leaves a loadable model. `load` reads such a folder (or one written by
 * tfjs-layers' `file://` handler) and recovers from a save killed between its two renames.
 */
export function fileSystem(dir: string): IOHandler {
  if (typeof dir !== 'string' || dir.length === 0) throw new Error(`fileSystem: expected a folder path, got ${String(dir)}`);
  const folder = dir.replace(/^file:\/\//, '').replace(/[\\/]model\.json$/, '');
  return {
    save: (artifacts) => saveAtomically(folder, artifacts),
    async load() {
      const { fs, path } = await nodeModules();
      const target = path.resolve(folder);
      if (await exists(fs, target)) return loadFolder(target);
      // a save killed between renaming the old folder aside and the new one in
      const candidates = await recoveryCandidates(fs, path, target);
      let lastError: unknown = null;
      for (const c of candidates) {
        try {
          return await loadFolder(c);
        } catch (e) {
          lastError = e;
        }
      }
      if (lastError) throw lastError;
      throw new ModelFileError(`no saved model at ${target} (the folder does not exist)`);
    },
  };
}
