// A tiny static server for dist/ (or any folder) on loopback: `pnpm --filter mnist-web serve [dir] [port]`.
// The browser tests and the epoch-time script use it too.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * Serve `dir` on 127.0.0.1 (port 0: a random free one).
 * @param {string} dir
 * @param {number} [port]
 * @returns {Promise<{ origin: string, close: () => Promise<void> }>}
 */
export async function serveDir(dir, port = 0) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((done) => server.listen(port, '127.0.0.1', () => done(undefined)));
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { origin: `http://127.0.0.1:${actual}`, close: () => new Promise((done) => server.close(() => done(undefined))) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));
  const { origin } = await serveDir(dir, Number(process.argv[3] ?? 5173));
  console.log(`serving ${dir} at ${origin}/  (try ${origin}/?autostart=1&epochs=3&samples=2000)`);
}
