/** Serve `dir` on 127.0.0.1 (port 0: a random free one). */
export function serveDir(dir: string, port?: number): Promise<{ origin: string; close: () => Promise<void> }>;
