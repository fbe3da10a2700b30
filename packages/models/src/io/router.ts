// A save or load destination given as a string, routed to its handler as tfjs's URL schemes.
import { browserDownloads } from './browser-downloads';
import { fileSystem } from './file-system';
import { http } from './http';
import { browserIndexedDB } from './indexed-db';
import type { IOHandler } from './types';

/** Where a model goes or comes from: a handler, or a string that names one. */
export type ModelLocation = string | IOHandler;

/**
 * The handler for a location: `'indexeddb://name'`, `'downloads://name'` (save only),
 * `'http(s)://.../model.json'` (load only), `'file://dir'` or a plain folder path (Node).
 */
export function handlerFor(location: ModelLocation, use: 'save' | 'load'): IOHandler {
  let handler: IOHandler;
  if (typeof location === 'string') {
    if (location.startsWith('indexeddb://')) handler = browserIndexedDB(location.slice('indexeddb://'.length));
    else if (location.startsWith('downloads://')) handler = browserDownloads(location.slice('downloads://'.length) || 'model');
    else if (/^https?:\/\//i.test(location)) handler = http(location);
    else handler = fileSystem(location);
  } else if (typeof location === 'object' && location !== null && (typeof location.save === 'function' || typeof location.load === 'function')) {
    handler = location;
  } else {
    throw new Error(
      `${use}: expected a folder path, 'indexeddb://name', 'downloads://name', an http(s) URL or an IOHandler { save, load }, got ${location === null ? 'null' : typeof location}`,
    );
  }
  if (typeof handler[use] !== 'function') {
    const where = typeof location === 'string' ? `"${location}"` : 'this IOHandler';
    throw new Error(`${use}: ${where} cannot ${use} models (it has no ${use} method)`);
  }
  return handler;
}
