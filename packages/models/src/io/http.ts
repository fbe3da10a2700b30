// Load from a URL with fetch: `loadModel('https://example.com/models/mnist/model.json')`.
import { ModelFileError } from './errors';
import { artifactsFromModelJson, readModelJson } from './model-json';
import { MAX_MODEL_JSON_BYTES } from './safe-json';
import type { IOHandler } from './types';

/** Options of `http`. */
export interface HttpOptions {
  /** The fetch to use (default the global one). */
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Passed to every request (headers, credentials...). */
  requestInit?: RequestInit;
}

function declaredLength(res: Response): number | null {
  const v = res.headers?.get?.('content-length');
  const n = v === null || v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * Reads a model.json and its weight files over HTTP(S). Weight paths must stay in the folder of
 * model.json on the same origin (no `../`, no other host), and sizes are checked against the
 * manifest (from Content-Length when the server sends it) before the bodies are read.
 */
export function http(url: string, options: HttpOptions = {}): IOHandler {
  if (typeof url !== 'string' || url.length === 0) throw new Error(`http: expected the URL of a model.json, got ${String(url)}`);
  return {
    async load() {
      const doFetch = options.fetch ?? (globalThis.fetch as HttpOptions['fetch']);
      if (!doFetch) throw new Error('http: no fetch in this environment; pass { fetch }');
      const get = async (u: string): Promise<Response> => {
        const res = await doFetch(u, options.requestInit);
        if (!res.ok) throw new ModelFileError(`http: GET ${u} failed with status ${res.status}`);
        return res;
      };
      let base: URL;
      try {
        base = new URL(url, (globalThis as { location?: { href: string } }).location?.href);
      } catch (e) {
        throw new Error(`http: ${JSON.stringify(url)} is not a valid URL; expected e.g. 'https://example.com/models/model.json'`, { cause: e });
      }
      const res = await get(url);
      const len = declaredLength(res);
      if (len !== null && len > MAX_MODEL_JSON_BYTES) throw new ModelFileError(`http: ${url} is ${len} bytes, more than a model.json may have`);
      const json = readModelJson(await res.text(), url);
      const folder = base.href.slice(0, base.href.lastIndexOf('/') + 1);
      return artifactsFromModelJson(json, async (paths, expected, what) => {
        const parts: ArrayBuffer[] = [];
        let total = 0;
        for (const p of paths) {
          const u = new URL(p, base);
          if (u.origin !== base.origin || !u.href.startsWith(folder)) {
            throw new ModelFileError(`${what}: weight path "${p}" resolves to ${u.href}, outside ${folder}; refusing to fetch it`);
          }
          const r = await get(u.href);
          const n = declaredLength(r);
          if (n !== null && total + n > expected) {
            throw new ModelFileError(`${what}: ${u.href} is ${n} bytes, more than the ${expected - total} model.json leaves for it`);
          }
          const buf = await r.arrayBuffer();
          total += buf.byteLength;
          if (total > expected) throw new ModelFileError(`${what}: the weight files hold more bytes than the ${expected} model.json declares`);
          parts.push(buf);
        }
        if (total !== expected) {
          throw new ModelFileError(`${what}: the weight files hold ${total} bytes but model.json declares ${expected}; they are truncated`);
        }
        const out = new Uint8Array(total);
        let offset = 0;
        for (const b of parts) {
          out.set(new Uint8Array(b), offset);
          offset += b.byteLength;
        }
        return out.buffer;
      });
    },
  };
}
