// A developer switch for profiles (NEURONA_PLAN_PROFILE=1, read when the module loads): the time
// of a compiled step split into its phases, summed per epoch and written to stderr at the end of
// each epoch (bench/src/profile-compiled.ts prints it). Off, each phase boundary costs one test.

/** The phases of a step, in the order `mark` is called, after `between` (fit's own code between two steps). */
export const PHASES = ['between steps (fit)', 'batch rows in', 'forward', 'loss + metrics', 'backward', 'penalties + optimizer'] as const;

interface Profile {
  readonly on: boolean;
  readonly ms: Float64Array;
  last: number;
  steps: number;
}

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;

/** The running profile; `on` is false unless NEURONA_PLAN_PROFILE=1. */
export const stepProfile: Profile = { on: env?.NEURONA_PLAN_PROFILE === '1', ms: new Float64Array(PHASES.length), last: 0, steps: 0 };

/** Close phase `i` (the time since the last mark goes to it). */
export function mark(i: number): void {
  const now = performance.now();
  if (stepProfile.last > 0) stepProfile.ms[i] += now - stepProfile.last;
  stepProfile.last = now;
}

/** Write a line of the profile to stderr. */
export function note(line: string): void {
  (globalThis as { process?: { stderr?: { write(s: string): void } } }).process?.stderr?.write(`${line}\n`);
}

/** Write the epoch's per-step averages to stderr and start again. */
export function reportEpoch(): void {
  const p = stepProfile;
  if (p.steps > 0) {
    const parts = PHASES.map((name, i) => `${name} ${(p.ms[i] / p.steps).toFixed(3)}`);
    const total = p.ms.reduce((a, b) => a + b, 0) / p.steps;
    note(`plan profile: ${p.steps} steps, ms per step: ${parts.join(', ')}; total ${total.toFixed(3)}`);
  }
  p.ms.fill(0);
  p.steps = 0;
  p.last = 0;
}
