// The README's program is the main job's (issue 16): its TypeScript block, run as it is, prints the
// same summary, epochs, report and test accuracy as `pnpm start` (the built
// examples/mnist-sequential, default settings) and writes the same training-curves.svg. Editing
// the block (another learning rate, no seed, other epochs) makes this test fail.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const example = join(root, 'examples', 'mnist-sequential');
const backend = process.env.NEURONA_TEST_BACKEND ?? 'cpu';
const run = promisify(execFile);

/** The README's TypeScript code blocks. */
export function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** What both programs must print alike: the parts of the output that hold no timing or path. */
export function comparable(output: string): { summary: string; epochs: string[]; report: string; testAccuracy: string; backend: string } {
  const summary = /^Model: "[^"]+"\n[\s\S]*?^Non-trainable params: .*\n_+$/m.exec(output)?.[0] ?? '';
  // Keras's progress line without its timing: "55/55 [====] 0s 1ms/step - loss: ..." → "55/55 - loss: ..."
  const epochs = [...output.matchAll(/^(Epoch \d+\/\d+)\n(\d+\/\d+) \[=+\] [^-\n]*(- .*)$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
  const report = /^ +precision +recall +f1-score +support\n[\s\S]*?^weighted avg .*$/m.exec(output)?.[0] ?? '';
  const testAccuracy = /test accuracy (\d\.\d{4})/.exec(output)?.[1] ?? '';
  const backendLine = /^neurona backend: .*$/m.exec(output)?.[0] ?? '';
  return { summary, epochs, report, testAccuracy, backend: backendLine };
}

let out: string;
let programFile: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'neurona-readme-'));
  // next to the main job's build, so the workspace packages resolve as they do for it
  programFile = join(example, 'dist', `readme-program-${process.pid}.mjs`);
});
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(programFile, { force: true });
});

describe("the README's program", () => {
  it('finds exactly one TypeScript program in the README, the one the text says pnpm start runs', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const blocks = tsBlocks(readme);
    expect(blocks).toHaveLength(1);
    expect(readme).toContain('This is the program `pnpm start` runs');
  });

  it('run as written, prints what the main job prints (summary, every epoch, report, test accuracy) and writes the same curves', async () => {
    const mainJob = join(example, 'dist', 'main.js');
    if (!existsSync(mainJob)) throw new Error(`${mainJob} is missing: build first (pnpm test does)`);
    const [block] = tsBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
    const js = ts.transpileModule(block, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      reportDiagnostics: true,
    });
    expect(js.diagnostics ?? []).toEqual([]);
    writeFileSync(programFile, js.outputText);

    const env = { ...process.env, NEURONA_BACKEND: backend };
    const readmeDir = mkdtempSync(join(out, 'readme-'));
    const mainDir = mkdtempSync(join(out, 'main-'));
    // one after the other: both use the machine's cores
    const fromReadme = await run(process.execPath, [programFile], { cwd: readmeDir, env, timeout: 120_000 });
    const fromMain = await run(process.execPath, [mainJob, '--out', mainDir], { cwd: example, env, timeout: 120_000 });

    const a = comparable(fromReadme.stdout);
    const b = comparable(fromMain.stdout);
    // each part was found (a regex that matches nothing would make the comparison empty)
    expect(b.summary).toMatch(/Total params: 7,850/);
    expect(b.epochs).toHaveLength(10);
    expect(b.epochs[9]).toMatch(/^Epoch 10\/10 55\/55 - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$/);
    expect(b.report).toMatch(/accuracy +\d\.\d\d +2000$/m);
    expect(b.testAccuracy).toMatch(/^0\.\d{4}$/);
    expect(b.backend).toContain(`neurona backend: ${backend}`);
    expect(a).toEqual(b);
    expect(readFileSync(join(readmeDir, 'training-curves.svg'), 'utf8')).toBe(readFileSync(join(mainDir, 'training-curves.svg'), 'utf8'));
  }, 120_000);

  it('the comparison sees a changed program: another learning rate gives other epochs', () => {
    const base = comparable('Epoch 1/1\n2/2 [==] 0s 3ms/step - loss: 0.5000 - accuracy: 0.9000\n');
    const other = comparable('Epoch 1/1\n2/2 [==] 0s 9ms/step - loss: 0.6000 - accuracy: 0.9000\n');
    expect(base.epochs).toEqual(['Epoch 1/1 2/2 - loss: 0.5000 - accuracy: 0.9000']);
    expect(other).not.toEqual(base);
  });
});
