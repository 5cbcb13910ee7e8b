/**
 * Number parsing for log text. Pure, never throws.
 *
 * Accepts what trainers print: `7.1E+00`, `-3`, `.5`, `nan`/`NaN`, `inf`/`-inf`/`Infinity`, thousands
 * separators (`1,279,787,008`), Python string-quoted numbers (`'2.897'`, `"5.1"`), a trailing `%`.
 * Returns `undefined` for anything else (so callers can tell "not a number" from NaN).
 */

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const THOUSANDS = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

/** Strips one level of matching quotes. */
function unquote(s: string): string {
  const n = s.length;
  if (n >= 2) {
    const a = s.charCodeAt(0);
    if ((a === 39 || a === 34) && s.charCodeAt(n - 1) === a) return s.slice(1, -1);
  }
  return s;
}

/** Non-finite spellings (lower-cased, sign stripped). */
function nonFinite(lower: string): number | undefined {
  switch (lower) {
    case 'nan':
    case '-nan':
    case '+nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    default:
      return undefined;
  }
}

/** Parses one numeric token (see module doc). */
export function parseNumber(raw: string): number | undefined {
  let s = raw.trim();
  if (s.length === 0 || s.length > 64) return undefined;
  s = unquote(s).trim();
  if (s.endsWith('%')) s = s.slice(0, -1);
  if (NUMERIC.test(s)) return Number(s);
  if (THOUSANDS.test(s)) return Number(s.replace(/,/g, ''));
  return nonFinite(s.toLowerCase());
}

/** Parses a count with an optional magnitude suffix: `123.69M`, `1.3b`, `0.3559B`, `7B`, `350k`, `1.2T`. */
export function parseCount(raw: string): number | undefined {
  const m = /^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([kKmMbBtT]?)\s*$/.exec(raw);
  if (!m) return undefined;
  const base = Number(m[1].replace(/,/g, ''));
  if (!Number.isFinite(base)) return undefined;
  const mult = { '': 1, k: 1e3, m: 1e6, b: 1e9, t: 1e12 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'b' | 't'];
  return Math.round(base * mult);
}

/**
 * Reads an unsigned integer at `i` in `s` (fast path for hot loops). Returns [value, end] or undefined when
 * no digit is at `i`.
 */
export function intAt(s: string, i: number): [number, number] | undefined {
  let v = 0;
  const start = i;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  return i === start ? undefined : [v, i];
}

/** End index of the numeric-ish token starting at `i` (stops at space, comma, pipe, `}` or end). */
export function tokenEnd(s: string, i: number): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // space, tab, ',', '|', '}', ')', ';'
    if (c === 32 || c === 9 || c === 44 || c === 124 || c === 125 || c === 41 || c === 59) break;
  }
  return i;
}

/** Skips spaces and tabs from `i`. */
export function skipSpaces(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** The number that follows `key` (searched from `from`) in `s`, e.g. numberAfter('…| lm loss: 7.1E+00 |', 'lm loss:'). */
export function numberAfter(s: string, key: string, from = 0): number | undefined {
  const k = s.indexOf(key, from);
  if (k < 0) return undefined;
  const i = skipSpaces(s, k + key.length);
  return parseNumber(s.slice(i, tokenEnd(s, i)));
}
