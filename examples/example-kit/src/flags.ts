// The example programs' command line: `--name value` or `--name=value` flags over environment
// variables over each program's defaults, with the same messages in every program.

/** Flag name (without `--`) → its environment variable, or a tuple whose first entry is it. */
export type FlagTable = Readonly<Record<string, string | readonly [string, ...string[]]>>;

function envName(entry: string | readonly [string, ...string[]]): string {
  return typeof entry === 'string' ? entry : entry[0];
}

/**
 * The values given for the flags of `table`: the environment variables first (empty ones are
 * ignored), then the flags of `argv` over them; `'help'` for `--help` or `-h`. A lone `--` (which
 * pnpm and npm pass through) is skipped. Throws on an unknown argument or a flag without a value.
 */
export function readFlags<T extends FlagTable>(argv: readonly string[], env: Record<string, string | undefined>, table: T): Map<keyof T & string, string> | 'help' {
  type Flag = keyof T & string;
  const isFlag = (name: string): name is Flag => Object.prototype.hasOwnProperty.call(table, name);
  const given = new Map<Flag, string>();
  for (const [flag, entry] of Object.entries(table) as [Flag, T[Flag]][]) {
    const v = env[envName(entry)];
    if (v !== undefined && v !== '') given.set(flag, v);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') return 'help';
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !isFlag(m[1])) {
      throw new Error(`unknown argument "${arg}". Known: ${Object.keys(table).map((f) => `--${f}`).join(', ')}, --help`);
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    given.set(m[1], value);
  }
  return given;
}

/** The value of `--flag` as a whole number of at least `min`. */
export function wholeNumber(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${flag} must be a whole number >= ${min}, got "${text}"`);
  return n;
}

/** The value of `--flag` as a whole number above 0. */
export function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${flag} must be a whole number > 0, got "${text}"`);
  return n;
}

/** The value of `--flag` as a finite number above 0 (a learning rate). */
export function positiveNumber(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${flag} must be a number > 0, got "${text}"`);
  return n;
}

/**
 * Where a program writes its files: `--out` if given, else `INIT_CWD` (`pnpm start` runs in the
 * package directory; INIT_CWD is the directory pnpm was started from), else the current directory.
 */
export function outDirOf(out: string | undefined, env: Record<string, string | undefined>): string {
  return out ?? env.INIT_CWD ?? process.cwd();
}
