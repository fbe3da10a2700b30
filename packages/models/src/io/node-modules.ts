// Node's fs and path, imported only when a file-system handler runs, so browser bundles of this
// package never pull them in (the specifier is a variable, which bundlers leave alone).

/** The parts of `node:fs/promises` the handlers use. */
export interface NodeFs {
  mkdir(p: string, o?: { recursive?: boolean }): Promise<string | undefined>;
  readdir(p: string): Promise<string[]>;
  readFile(p: string): Promise<Uint8Array>;
  rename(from: string, to: string): Promise<void>;
  rm(p: string, o?: { recursive?: boolean; force?: boolean }): Promise<void>;
  stat(p: string): Promise<{ size: number; isFile(): boolean; isDirectory(): boolean }>;
  lstat(p: string): Promise<{ isSymbolicLink(): boolean; isDirectory(): boolean }>;
  realpath(p: string): Promise<string>;
  open(p: string, flags: string): Promise<NodeFileHandle>;
}

/** An open file (`FileHandle`). */
export interface NodeFileHandle {
  write(data: Uint8Array): Promise<unknown>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The parts of `node:path` the handlers use. */
export interface NodePath {
  resolve(...p: string[]): string;
  dirname(p: string): string;
  basename(p: string): string;
  join(...p: string[]): string;
  relative(from: string, to: string): string;
  isAbsolute(p: string): boolean;
  sep: string;
}

/** `node:fs/promises` and `node:path`, or an error saying this needs Node. */
export async function nodeModules(): Promise<{ fs: NodeFs; path: NodePath }> {
  const fsName = 'node:fs/promises';
  const pathName = 'node:path';
  try {
    const [fs, path] = await Promise.all([import(/* @vite-ignore */ fsName), import(/* @vite-ignore */ pathName)]);
    return { fs: fs as unknown as NodeFs, path: (path as { default?: NodePath }).default ?? (path as unknown as NodePath) };
  } catch (e) {
    throw new Error(
      `Saving to or loading from a folder needs Node.js (node:fs could not be loaded). In a browser use 'indexeddb://name', ` +
        `'downloads://name', an http(s) URL or browserFiles(files)`,
      { cause: e },
    );
  }
}
