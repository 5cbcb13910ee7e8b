/**
 * Byte-level scanning for the text readers' fast path (`LineParser.asciiLine`). Pure, allocation-free.
 *
 * `asciiNumber` reads exactly what `scanFloat` (numbers.ts) reads from the same characters — optional spaces,
 * sign, digits, a fraction, an exponent when digits follow it — with the same arithmetic, so a line handled on
 * bytes yields the same values as on its string; a number with more than 15 significant digits or |exponent| > 22
 * is read by `Number` on its token, as `scanFloat` does. What it does not handle (nan/inf) it declines (`numEnd`
 * = −1), and the caller declines the line, which then takes the string path.
 */

/** End of the number last read by `asciiNumber` (−1 when it declined). */
export let numEnd = -1;

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/**
 * A number at `i` (before `end`) in ASCII bytes; sets `numEnd`. Reads past `end` are harmless (a typed array
 * gives `undefined` out of bounds, which ends every loop), and a number running past `end` is declined.
 */
export function asciiNumber(b: Uint8Array, i: number, end: number): number {
  let c = b[i];
  while (c === 32) c = b[++i];
  const start = i;
  let neg = false;
  if (c === 45 || c === 43) {
    neg = c === 45;
    c = b[++i];
  }
  let mant = 0;
  let digits = 0;
  let frac = 0;
  while (c >= 48 && c <= 57) {
    mant = mant * 10 + (c - 48);
    digits++;
    c = b[++i];
  }
  if (c === 46) {
    c = b[++i];
    while (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      frac++;
      c = b[++i];
    }
  }
  let e10 = -frac;
  if (c === 101 || c === 69) {
    let j = i + 1;
    let ec = b[j];
    let eneg = false;
    if (ec === 45 || ec === 43) {
      eneg = ec === 45;
      ec = b[++j];
    }
    if (ec >= 48 && ec <= 57) {
      let exp = 0;
      while (ec >= 48 && ec <= 57 && exp < 1e6) {
        exp = exp * 10 + (ec - 48);
        ec = b[++j];
      }
      e10 += eneg ? -exp : exp;
      i = j;
    }
  }
  if (digits === 0 || i > end) {
    numEnd = -1;
    return NaN;
  }
  numEnd = i;
  // more digits than a double holds exactly, or a big exponent: the token's own correctly rounded value (as scanFloat)
  if (digits > 15 || e10 < -22 || e10 > 22) return Number(latin1(b, start, i));
  const v = e10 >= 0 ? mant * POW10[e10] : mant / POW10[-e10];
  return neg ? -v : v;
}

/** The value read by the last successful `decimalAt` (a typed array: no number is boxed to pass it). */
export const decimal = new Float64Array(1);

/**
 * The common case of `asciiNumber` for a reader's hot loop: an unsigned `digits[.digits]` at `i` exactly (no space,
 * no sign, no exponent, at most 15 digits), with `asciiNumber`'s arithmetic and so its value, stored in
 * `decimal[0]`; returns its end, or −1 for anything else (the caller then reads the number with `asciiNumber`,
 * which takes every form). The value goes out through a typed array and the end is a small integer, so a call the
 * compiler does not inline allocates nothing. (Issue 17: `asciiNumber`, called four times a nanoGPT line, was the
 * top entry of that reader's profile, and each double it returned was boxed: 178 MB of garbage on a 200 MB log.)
 */
export function decimalAt(b: Uint8Array, i: number, end: number): number {
  const i0 = i;
  let mant = 0;
  let c = b[i];
  while (c >= 48 && c <= 57) {
    mant = mant * 10 + (c - 48);
    c = b[++i];
  }
  let digits = i - i0;
  let frac = 0;
  if (c === 46) {
    const f0 = ++i;
    c = b[i];
    while (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      c = b[++i];
    }
    frac = i - f0;
    digits += frac;
  }
  if (digits === 0 || digits > 15 || c === 101 || c === 69 || i > end) return -1;
  decimal[0] = frac ? mant / POW10[frac] : mant;
  return i;
}

/**
 * A number at `i` by `decimalAt`, else by `asciiNumber` (every form it reads, with the same values): its value in
 * `decimal[0]`, its end returned, or −1 (`decimal[0]` then NaN). One call for a reader's hot loop in place of the
 * pair; only the rare forms `decimalAt` declines pass a boxed double, inside this function.
 */
export function numberAt(b: Uint8Array, i: number, end: number): number {
  const e = decimalAt(b, i, end);
  if (e >= 0) return e;
  decimal[0] = asciiNumber(b, i, end);
  return numEnd;
}

/** The ASCII bytes `b[s..e)` as a string (short tokens only). */
function latin1(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let k = s; k < e; k++) out += String.fromCharCode(b[k]);
  return out;
}

/** The bytes of an ASCII literal, for `asciiAt`. */
export function asciiBytes(lit: string): Uint8Array {
  return Uint8Array.from(lit, (ch) => ch.charCodeAt(0));
}

/** Index in `keys` of the key `b[s..e)`, compared as bytes, or −1. */
export function keyIndexOf(keys: readonly Uint8Array[], b: Uint8Array, s: number, e: number): number {
  outer: for (let k = 0; k < keys.length; k++) {
    const kb = keys[k];
    if (kb.length !== e - s) continue;
    for (let j = 0; j < kb.length; j++) if (b[s + j] !== kb[j]) continue outer;
    return k;
  }
  return -1;
}

/** End of the digits read by the last `asciiUint`. */
export let uintEnd = -1;

/** An unsigned integer of 1–15 digits at `i`, or −1 (its end in `uintEnd`). */
export function asciiUint(b: Uint8Array, i: number): number {
  const s = i;
  let v = 0;
  while (b[i] >= 48 && b[i] <= 57) v = v * 10 + (b[i++] - 48);
  uintEnd = i;
  return i === s || i - s > 15 ? -1 : v;
}

/** `lit` occurs in `b` at `i` (and ends by `end`). */
export function asciiAt(b: Uint8Array, i: number, end: number, lit: Uint8Array): boolean {
  const n = lit.length;
  if (i < 0 || i + n > end) return false;
  for (let k = 0; k < n; k++) if (b[i + k] !== lit[k]) return false;
  return true;
}

/**
 * Keys met as bytes, each turned into its value (a string, a series…) once: `get` hashes `b[s..e)` (FNV-1a),
 * compares the bytes with the keys of that hash and returns the value, or makes it with `make(key)` the first
 * time (the only string made). At most `max` distinct keys; past that `get` returns undefined (callers decline).
 */
export class ByteKeys<T> {
  private readonly byHash = new Map<number, { bytes: Uint8Array; value: T }[]>();
  private count = 0;

  constructor(
    private readonly make: (key: string) => T | undefined,
    private readonly max = 4096,
  ) {}

  get(b: Uint8Array, s: number, e: number): T | undefined {
    let h = 0x811c9dc5;
    for (let k = s; k < e; k++) h = Math.imul(h ^ b[k], 0x01000193);
    let list = this.byHash.get(h);
    if (list) {
      outer: for (const x of list) {
        const kb = x.bytes;
        if (kb.length !== e - s) continue;
        for (let j = 0; j < kb.length; j++) if (kb[j] !== b[s + j]) continue outer;
        return x.value;
      }
    }
    if (this.count >= this.max) return undefined;
    const value = this.make(latin1(b, s, e));
    if (value === undefined) return undefined;
    (list ??= []).push({ bytes: Uint8Array.from(b.subarray(s, e)), value });
    this.byHash.set(h, list);
    this.count++;
    return value;
  }
}

/**
 * A number written with thousands separators (`2,097,152`, `-1,234.5`: the THOUSANDS form of `parseNumber`) in
 * `b[s..e)` exactly, with `Number`'s value after dropping the commas; NaN when the bytes are not that form or
 * have more than 15 significant digits.
 */
export function asciiThousands(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (b[i] === 45 || b[i] === 43) {
    neg = b[i] === 45;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let lead = 0;
  while (i < e && b[i] >= 48 && b[i] <= 57 && lead < 4) {
    mant = mant * 10 + (b[i++] - 48);
    digits++;
    lead++;
  }
  if (lead < 1 || lead > 3) return NaN;
  let groups = 0;
  while (i < e && b[i] === 44) {
    i++;
    for (let k = 0; k < 3; k++, i++) {
      const c = b[i];
      if (i >= e || c < 48 || c > 57) return NaN;
      mant = mant * 10 + (c - 48);
      digits++;
    }
    groups++;
  }
  if (groups === 0) return NaN;
  let frac = 0;
  if (i < e && b[i] === 46) {
    i++;
    if (!(i < e && b[i] >= 48 && b[i] <= 57)) return NaN;
    while (i < e && b[i] >= 48 && b[i] <= 57) {
      mant = mant * 10 + (b[i++] - 48);
      digits++;
      frac++;
    }
  }
  if (i !== e || digits > 15 || frac > 22) return NaN;
  const v = frac ? mant / POW10[frac] : mant;
  return neg ? -v : v;
}

/** Index of the first `lit` in `b[from..end)`, or −1. */
export function asciiIndexOf(b: Uint8Array, from: number, end: number, lit: Uint8Array): number {
  const n = lit.length;
  const c0 = lit[0];
  outer: for (let i = from; i + n <= end; i++) {
    if (b[i] !== c0) continue;
    for (let k = 1; k < n; k++) if (b[i + k] !== lit[k]) continue outer;
    return i;
  }
  return -1;
}

/** Index of the `\n` ending the line at `start` (at or before `limit`), or −1. */
export function lineEnd(b: Uint8Array, start: number, limit: number): number {
  for (let i = start; i <= limit; i++) if (b[i] === 10) return i;
  return -1;
}

/** ASCII whitespace as a regex `\s` sees it (tab, LF, VT, FF, CR, space). */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * `ByteKeys` behind a cache by position: record lines repeat their keys in the same order, so the key at
 * position `pos` is first compared with the bytes met there last time (no hash, no map lookup).
 */
export class KeySeq<T> {
  private readonly vals: (T | undefined)[] = [];
  private readonly bytes: (Uint8Array | undefined)[] = [];

  constructor(private readonly keys: ByteKeys<T>) {}

  /** End of the key matched by the last successful `match`. */
  end = -1;

  /**
   * The value of the key met at `pos` last time when `b` holds that key at `s` followed by the byte `term`
   * (its end in `end`), else undefined — the caller then scans the key and calls `get`.
   */
  match(b: Uint8Array, s: number, pos: number, term: number): T | undefined {
    const kb = this.bytes[pos];
    if (kb === undefined) return undefined;
    const n = kb.length;
    if (b[s + n] !== term) return undefined;
    for (let j = 0; j < n; j++) if (kb[j] !== b[s + j]) return undefined;
    this.end = s + n;
    return this.vals[pos];
  }

  get(b: Uint8Array, s: number, e: number, pos: number): T | undefined {
    const kb = this.bytes[pos];
    if (kb !== undefined && kb.length === e - s) {
      let j = 0;
      while (j < kb.length && kb[j] === b[s + j]) j++;
      if (j === kb.length) return this.vals[pos];
    }
    const v = this.keys.get(b, s, e);
    if (v !== undefined && pos < 256) {
      this.vals[pos] = v;
      this.bytes[pos] = Uint8Array.from(b.subarray(s, e));
    }
    return v;
  }
}
