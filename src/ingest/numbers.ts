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

/** End index of the last `scanFloat` (−1 when no number was found there). */
export let scanEnd = -1;

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/**
 * Hot-path number scanner: reads `[+-]digits[.digits][e[+-]digits]`, `nan`, `inf` at `i` (after optional
 * spaces) without allocating. Sets `scanEnd` (−1 if nothing numeric is there). Exact for mantissas below 2^53
 * and |exponent| ≤ 22 (one correctly-rounded IEEE multiply/divide); otherwise falls back to `Number()`.
 */
export function scanFloat(s: string, i: number): number {
  const n = s.length;
  while (i < n && s.charCodeAt(i) === 32) i++;
  const start = i;
  let neg = false;
  let c = s.charCodeAt(i);
  if (c === 45 /* - */ || c === 43 /* + */) {
    neg = c === 45;
    c = s.charCodeAt(++i);
  }
  let mant = 0;
  let digits = 0;
  let frac = 0;
  while (c >= 48 && c <= 57) {
    mant = mant * 10 + (c - 48);
    digits++;
    c = s.charCodeAt(++i);
  }
  if (c === 46 /* . */) {
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      frac++;
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) {
    // nan / inf
    const lower = s.slice(i, i + 3).toLowerCase();
    if (lower === 'nan' || lower === 'inf') {
      scanEnd = i + 3;
      if (lower === 'inf' && s.slice(i, i + 8).toLowerCase() === 'infinity') scanEnd = i + 8;
      return lower === 'nan' ? NaN : neg ? -Infinity : Infinity;
    }
    scanEnd = -1;
    return NaN;
  }
  let exp = 0;
  if (c === 101 || c === 69 /* e E */) {
    let j = i + 1;
    let ec = s.charCodeAt(j);
    let eneg = false;
    if (ec === 45 || ec === 43) {
      eneg = ec === 45;
      ec = s.charCodeAt(++j);
    }
    if (ec >= 48 && ec <= 57) {
      while (ec >= 48 && ec <= 57) {
        exp = exp * 10 + (ec - 48);
        ec = s.charCodeAt(++j);
      }
      if (eneg) exp = -exp;
      i = j;
    }
  }
  scanEnd = i;
  const e10 = exp - frac;
  let v: number;
  if (digits <= 15 && e10 >= -22 && e10 <= 22) v = e10 >= 0 ? mant * POW10[e10] : mant / POW10[-e10];
  else v = Number(s.slice(start, i));
  return neg && v === v && s.charCodeAt(start) === 45 ? -Math.abs(v) : v;
}
