import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { AdapterSummary } from '@neurona/backend-core';

/** What a look at Dawn's adapter found: an adapter, or none and what Dawn said. */
export type DawnProbe = { adapter: AdapterSummary } | { adapter: null; message: string };

// Runs in a child process: Dawn and the Vulkan loader print driver warnings straight to the
// process's stderr, a broken driver can crash the process, and a live `gpu` object keeps Node
// from exiting. The child absorbs all three; the parent only reads one line of JSON.
const SCRIPT = `
const { create } = await import(process.argv[1]);
const gpu = create([]);
const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
const i = a ? a.info : null;
process.stdout.write(JSON.stringify(a ? {
  vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description,
  isFallbackAdapter: i.isFallbackAdapter === true || a.isFallbackAdapter === true } : null));
process.exit(0);
`;

/** Ask Dawn (the `webgpu` package at `webgpuEntry`) for its best adapter, in a child process. */
export function probeDawn(webgpuEntry: string, timeoutMs = 20_000): Promise<DawnProbe> {
  return new Promise((resolve) => {
    const env = { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? tmpdir() };
    execFile(
      process.execPath,
      ['--input-type=module', '-e', SCRIPT, pathToFileURL(webgpuEntry).href],
      { env, timeout: timeoutMs, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const said = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/XDG_RUNTIME_DIR/.test(l));
        if (err && !stdout) {
          const why = err.killed ? `timed out after ${timeoutMs} ms` : said.find((l) => /error/i.test(l)) ?? said[0] ?? err.message;
          resolve({ adapter: null, message: `Dawn failed to start: ${why}` });
          return;
        }
        const adapter = JSON.parse(stdout || 'null') as AdapterSummary | null;
        const why = said[0]?.replace(/^Warning:\s*/, '');
        resolve(adapter ? { adapter } : { adapter: null, message: why ? `Dawn: ${why}` : 'Dawn found no Vulkan driver' });
      },
    );
  });
}
