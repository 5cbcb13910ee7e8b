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

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

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

/** `lit` occurs in `b` at `i` (and ends by `end`). */
export function asciiAt(b: Uint8Array, i: number, end: number, lit: Uint8Array): boolean {
  const n = lit.length;
  if (i < 0 || i + n > end) return false;
  for (let k = 0; k < n; k++) if (b[i + k] !== lit[k]) return false;
  return true;
}
