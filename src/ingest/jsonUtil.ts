/**
 * Lenient JSON for logs (part B helpers). Pure (no `vscode`). Never throws.
 *
 * Python's `json.dumps` writes bare `NaN`, `Infinity` and `-Infinity`, which `JSON.parse` rejects; those
 * tokens (outside strings) are turned into strings so `toNumber` keeps them as NaN/±Infinity.
 */
import { toNumber } from './structuredRun';

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

/** Parse JSON, accepting Python's NaN/Infinity. */
export function parseJsonLenient(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    if (!/NaN|Infinity/.test(text)) return { ok: false, error: errText(e) };
    try {
      return { ok: true, value: JSON.parse(quoteNonFinite(text)) };
    } catch (e2) {
      return { ok: false, error: errText(e2) };
    }
  }
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Replace bare NaN / Infinity / -Infinity tokens outside JSON strings by quoted strings. */
export function quoteNonFinite(text: string): string {
  let out = '';
  let last = 0;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inStr = false;
      continue;
    }
    if (c === 34) {
      inStr = true;
      continue;
    }
    let tok = '';
    if (text.startsWith('NaN', i)) tok = 'NaN';
    else if (text.startsWith('-Infinity', i)) tok = '-Infinity';
    else if (text.startsWith('Infinity', i)) tok = 'Infinity';
    if (tok) {
      out += text.slice(last, i) + '"' + tok + '"';
      i += tok.length - 1;
      last = i + 1;
    }
  }
  return out + text.slice(last);
}

/** True for a plain object (not an array, not null). */
export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * A one-element list of a scalar is that scalar: some loggers write every value as a list (`"episode": [3]`,
 * `"loss": ["4.65"]`, EarnMore's SAC logs). Anything else is returned as it is.
 */
export function scalarOf(v: unknown): unknown {
  return Array.isArray(v) && v.length === 1 && (typeof v[0] === 'number' || typeof v[0] === 'string') ? v[0] : v;
}

/**
 * Visit every numeric leaf of a (possibly nested) object as `a/b/c` → number (numeric strings and
 * NaN/Infinity strings included, and one-element lists of them; null/bool/text skipped). Nesting deeper than
 * `maxDepth` is ignored.
 */
export function forEachNumber(
  obj: Record<string, unknown>,
  visit: (key: string, value: number) => void,
  prefix = '',
  maxDepth = 8,
): void {
  for (const k in obj) {
    const v = obj[k];
    const key = prefix ? `${prefix}/${k}` : k;
    if (isObject(v)) {
      if (maxDepth > 0) forEachNumber(v, visit, key, maxDepth - 1);
      continue;
    }
    const n = toNumber(scalarOf(v));
    if (n !== undefined) visit(key, n);
  }
}
