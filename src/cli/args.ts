/**
 * A small, strict argv parser (no dependency). Each subcommand declares its options; anything else is a
 * usage error. Supports `--name value`, `--name=value`, boolean flags, repeated options and `--` to end
 * options. Pure (no I/O).
 */
import { UsageError } from './errors';

export interface OptionSpec {
  /** `flag`: boolean, no value. `string`/`number`/`int`: takes one value. */
  type: 'flag' | 'string' | 'number' | 'int';
  /** May be given more than once (values collected in order). */
  multiple?: boolean;
  help: string;
  /** Placeholder shown in help, e.g. `N`. */
  arg?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedArgs {
  positionals: string[];
  /** Option values by name: boolean for flags, string/number (or arrays with `multiple`). */
  options: Record<string, string | number | boolean | (string | number)[]>;
}

function convert(command: string, name: string, spec: OptionSpec, raw: string): string | number {
  if (spec.type === 'string') return raw;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v))
    throw new UsageError(`--${name} expects a number, got "${raw}"`, command);
  if (spec.type === 'int' && !Number.isInteger(v))
    throw new UsageError(`--${name} expects an integer, got "${raw}"`, command);
  return v;
}

export function parseArgs(command: string, argv: readonly string[], specs: OptionSpecs): ParsedArgs {
  const positionals: string[] = [];
  const options: ParsedArgs['options'] = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      if (a.startsWith('-') && a.length > 1 && a !== '-h' && !/^-\d/.test(a))
        throw new UsageError(`unknown option "${a}"`, command);
      if (a === '-h') {
        options.help = true;
        continue;
      }
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option "--${name}"`, command);
    let value: string | number | boolean;
    if (spec.type === 'flag') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`, command);
      value = true;
    } else {
      let raw: string;
      if (eq >= 0) raw = a.slice(eq + 1);
      else {
        if (i + 1 >= argv.length)
          throw new UsageError(`--${name} needs a value${spec.arg ? ` (${spec.arg})` : ''}`, command);
        raw = argv[++i];
      }
      value = convert(command, name, spec, raw);
    }
    if (spec.multiple) {
      const prev = options[name];
      options[name] = [...(Array.isArray(prev) ? prev : []), value as string | number];
    } else {
      if (name in options) throw new UsageError(`--${name} given twice`, command);
      options[name] = value;
    }
  }
  return { positionals, options };
}

/** Help text lines for the options of a subcommand. */
export function optionHelp(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => [
    `--${name}${s.type === 'flag' ? '' : ` ${s.arg ?? 'VALUE'}`}`,
    s.help,
  ]);
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([a, h]) => `  ${a.padEnd(w)}  ${h}`).join('\n');
}

/** Typed accessors. */
export const opt = {
  str(p: ParsedArgs, name: string): string | undefined {
    const v = p.options[name];
    return typeof v === 'string' ? v : undefined;
  },
  num(p: ParsedArgs, name: string): number | undefined {
    const v = p.options[name];
    return typeof v === 'number' ? v : undefined;
  },
  flag(p: ParsedArgs, name: string): boolean {
    return p.options[name] === true;
  },
};
