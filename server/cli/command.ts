/** What a `radreport` subcommand sees of the outside world, so commands can be tested without spawning a process. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT or SIGTERM; the reason is the signal's name. */
  signal: AbortSignal;
}

export interface CliCommand {
  name: string;
  /** One line for `radreport --help`. */
  summary: string;
  /** The full usage text for `radreport NAME --help`. */
  usage: string;
  /** Returns the exit code: 0 success, 1 problems found / failed, 2 usage or I/O error. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A usage error: the command prints the message and its usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  positionals: string[];
  /** Flag values; repeated flags collect into arrays (declared in `repeatable`). */
  flags: Map<string, string | boolean | string[]>;
}

export interface ArgSpec {
  /** Flags that take a value, e.g. `model`, `format`. */
  values?: readonly string[];
  /** Flags that take no value, e.g. `json`, `stem`. */
  booleans?: readonly string[];
  /** Value flags that may repeat, e.g. `lora`. */
  repeatable?: readonly string[];
}

/** Parses `--flag value`, `--flag=value`, boolean `--flag`, and positionals; unknown flags are usage errors. */
export function parseArgs(args: readonly string[], spec: ArgSpec): ParsedArgs {
  const values = new Set([...(spec.values ?? []), ...(spec.repeatable ?? [])]);
  const booleans = new Set(spec.booleans ?? []);
  const repeatable = new Set(spec.repeatable ?? []);
  const flags = new Map<string, string | boolean | string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (booleans.has(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    if (!values.has(name)) throw new UsageError(`unknown option --${name}`);
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (repeatable.has(name)) {
      const list = (flags.get(name) as string[] | undefined) ?? [];
      list.push(value);
      flags.set(name, list);
    } else flags.set(name, value);
  }
  return { positionals, flags };
}

export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function listFlag(parsed: ParsedArgs, name: string): string[] {
  const value = parsed.flags.get(name);
  return Array.isArray(value) ? value : [];
}

export function intFlag(parsed: ParsedArgs, name: string, min = 0): number | undefined {
  const raw = stringFlag(parsed, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}
