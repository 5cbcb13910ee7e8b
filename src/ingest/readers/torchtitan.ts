/**
 * torchtitan (pytorch/torchtitan) logs, ANSI colour codes stripped first:
 *   `[titan] 2025-01-01 12:00:10,123 - root - INFO - step: 10  loss:  9.3047  grad_norm:  1.2345  memory: 25.17GiB(31.84%)  tps: 5,432  tflops: 123.45  mfu: 12.34%`
 *   `… - INFO - validate step: 100  loss:  5.1234  memory: …`
 * → train/loss (val/loss for `validate step`), grad_norm, tps, tflops, mfu; time from the timestamp (UTC).
 * Hot path: a step line whose kept values are plain numbers (or thousands-separated) is read straight from bytes
 * — colour codes skipped into a scratch buffer, the same matches as the regexes below, no string per line;
 * anything else (`nan`, no value kept, odd keys) is declined and takes the string path, with the same result.
 * Before that, the common line (`[titan] <timestamp>` first, colour codes only between a space or `%` and a
 * letter or the line's end, where cutting them joins no two tokens) is read in one pass over the raw bytes
 * without the copy (`rawStep`); any other line, or any doubt, goes to the copying byte path above.
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { makeParser, newRun, parseTimestamp, scoreSniff, stripAnsi } from '../readerKit';
import type { ColumnSeries } from '../series';
import * as A from '../asciiScan';

const SIGNATURE = /(?:^|\s)step:\s+\d+\s+loss:\s+\S+\s+(?:grad_norm|memory):/m;
const PAIR = /([a-z_]+):\s+([-+0-9.,eE]+|nan|inf)/g;
const KEEP: Record<string, string> = {
  loss: 'train/loss',
  grad_norm: 'grad_norm',
  tps: 'tps',
  tflops: 'tflops',
  mfu: 'mfu',
  lr: 'lr',
};

const KEEP_KEYS = Object.keys(KEEP);
const KEEP_BYTES = KEEP_KEYS.map(A.asciiBytes);
const STEP_COLON = A.asciiBytes('step:');
const VALIDATE_STEP = A.asciiBytes('validate step:');
const TITAN = A.asciiBytes('[titan] ');
const NAN_ = A.asciiBytes('nan');
const INF_ = A.asciiBytes('inf');
const PROTO = [A.asciiBytes('constructor'), A.asciiBytes('__proto__')];

/** `[a-z_]` */
function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || c === 95;
}
/** `[-+0-9.,eE]` */
function isValChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 44 || c === 45 || c === 43 || c === 101 || c === 69;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
/** `\d{n}` at `i` as a number, or −1. */
function digitsAt(b: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = b[i + k];
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** 10^n for a fraction's n ≤ 6 digits (exact doubles: the same as `10 ** n`, without a pow call per line). */
const FRAC_POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000];

let dayY = -1;
let dayMo = -1;
let dayD = -1;
let dayMs = NaN;

/** `parseTimestamp` on the bytes at `i` (before `end`): seconds, undefined when it finds none, NaN to decline. */
function asciiTimestamp(b: Uint8Array, i: number, end: number): number | undefined {
  if (i + 19 > end) return undefined;
  const y = digitsAt(b, i, 4);
  const mo = digitsAt(b, i + 5, 2);
  const d = digitsAt(b, i + 8, 2);
  const h = digitsAt(b, i + 11, 2);
  const mi = digitsAt(b, i + 14, 2);
  const se = digitsAt(b, i + 17, 2);
  const sep = b[i + 10];
  if (
    y < 0 ||
    mo < 0 ||
    d < 0 ||
    h < 0 ||
    mi < 0 ||
    se < 0 ||
    b[i + 4] !== 45 ||
    b[i + 7] !== 45 ||
    (sep !== 32 && sep !== 84) ||
    b[i + 13] !== 58 ||
    b[i + 16] !== 58
  )
    return undefined;
  // Date.UTC(y, mo − 1, d, h, mi, se) = the day's Date.UTC + h, mi, se in ms (exact integers), the day cached
  if (y !== dayY || mo !== dayMo || d !== dayD) {
    dayY = y;
    dayMo = mo;
    dayD = d;
    dayMs = Date.UTC(y, mo - 1, d);
  }
  const ms = dayMs + h * 3600000 + mi * 60000 + se * 1000;
  let frac = 0;
  const f = b[i + 19];
  if ((f === 46 || f === 44) && i + 20 < end && isDigit(b[i + 20])) {
    let k = i + 20;
    let v = 0;
    while (k < end && k < i + 26 && isDigit(b[k])) v = v * 10 + (b[k++] - 48);
    frac = v / FRAC_POW10[k - i - 20]; // = Number('0.' + digits): both the correctly rounded decimal
  }
  return Number.isFinite(ms) ? ms / 1000 + frac : undefined;
}

/** End of the colour code `\x1b[…X` (stripAnsi's pattern) at `i`, or −1 when the ESC there starts none. */
function codeEnd(b: Uint8Array, i: number, limit: number): number {
  let j = i + 1;
  if (b[j] !== 91 /* [ */) return -1;
  j++;
  let c = b[j];
  while ((c >= 48 && c <= 57) || c === 59 || c === 63) c = b[++j];
  return j <= limit && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) ? j + 1 : -1;
}

/**
 * After `rawStep`'s colour codes at `i` (a run of them, then the byte that follows): the index of that byte, or
 * −1 when cutting the run could join two tokens — it must follow a space or `%` (`prev`) and be followed by a
 * lowercase letter or the newline.
 */
function skipCodes(b: Uint8Array, i: number, limit: number, prev: number): number {
  if (prev !== 32 && prev !== 37) return -1;
  do {
    i = codeEnd(b, i, limit);
    if (i < 0) return -1;
  } while (b[i] === 27);
  const c = b[i];
  return (c >= 97 && c <= 122) || c === 10 ? i : -1;
}

const VALIDATE_ = A.asciiBytes('validate ');

/** `rawStep`'s kept values (key indexes in KEEP_KEYS) and the line's step, time and kind. */
const rawKeys = new Int32Array(64);
const rawVals = new Float64Array(64);
let rawN = 0;
let rawStepNo = 0;
let rawTime = 0;
let rawValid = false;

/**
 * The common step line read in one pass over its raw bytes (see the module doc): the index of its `\n`, with the
 * values in `rawKeys`/`rawVals`, or −1 when the line is not of that shape or anything is in doubt (the caller
 * then takes the copying byte path, which reads every line the string path reads). No effect either way.
 */
function rawStep(buf: Uint8Array, start: number, limit: number): number {
  // `[titan] <timestamp>` first: the stripped line's first `[titan] ` is then at 0 and its time is read here
  if (!A.asciiAt(buf, start, limit + 1, TITAN)) return -1;
  const ts = asciiTimestamp(buf, start + 8, limit + 1);
  if (ts === undefined || ts !== ts) return -1;
  let i = start + 27;
  while ((buf[i] >= 48 && buf[i] <= 57) || buf[i] === 44 || buf[i] === 46) i++;
  if (buf[i] === 27) return -1; // (a code inside the time's fraction would join its digits)
  // the first `(validate )?step:\s+\d`
  let afterCode = -1; // the index just after the last run of codes cut
  let runStart = -1; // the ESC starting that run
  let k = -1;
  let valid = false;
  for (;;) {
    const c = buf[i];
    if (i > limit || c === 10) return -1;
    if (c === 27) {
      runStart = i;
      i = afterCode = skipCodes(buf, i, limit, buf[i - 1]);
      if (i < 0) return -1;
      continue;
    }
    if (c === 115 /* s */ && A.asciiAt(buf, i, limit + 1, STEP_COLON)) {
      let j = i + 5;
      if (buf[j] === 27) return -1;
      if (A.isSpace(buf[j])) {
        while (A.isSpace(buf[j])) j++;
        if (buf[j] === 27) return -1;
        if (isDigit(buf[j])) {
          k = i;
          // `validate ` just before, in the stripped line: the 9 bytes before `step:` or before the codes cut
          // just before it; a code among those 9 bytes leaves it in doubt
          const v = i === afterCode ? runStart : i;
          if (v - 9 < start) return -1;
          for (let q = v - 9; q < v; q++) if (buf[q] === 27) return -1;
          valid = A.asciiAt(buf, v - 9, v, VALIDATE_);
          break;
        }
      }
    }
    i++;
  }
  // the step
  let j = k + 5;
  while (A.isSpace(buf[j])) j++;
  const step = A.asciiUint(buf, j);
  if (step < 0 || buf[A.uintEnd] === 27) return -1;
  // PAIR = /([a-z_]+):\s+([-+0-9.,eE]+|nan|inf)/g over the body, the codes skipped where they join no tokens
  let n = 0;
  for (i = k; ;) {
    if (i > limit) return -1;
    const c = buf[i];
    if (c === 10) break;
    if (c === 27) {
      i = skipCodes(buf, i, limit, buf[i - 1]);
      if (i < 0) return -1;
      continue;
    }
    if (!isKeyChar(c)) {
      i++;
      continue;
    }
    const ks = i;
    while (isKeyChar(buf[i])) i++;
    const ke = i;
    if (buf[i] !== 58) continue; // (an ESC here follows a key character: seen as such next round)
    const sp = buf[i + 1];
    if (!A.isSpace(sp)) {
      if (sp === 27) return -1;
      continue;
    }
    let v = i + 1;
    while (A.isSpace(buf[v])) v++;
    const vs = v;
    while (isValChar(buf[v])) v++;
    if (buf[v] === 27 || v === vs) {
      // a code at the value, or no value here: `nan`/`inf` and the rest are the copying path's
      if (v !== vs || buf[v] === 27 || A.asciiAt(buf, vs, limit + 1, NAN_) || A.asciiAt(buf, vs, limit + 1, INF_))
        return -1;
      continue;
    }
    i = v;
    const key = keyOfKept(buf, ks, ke);
    if (key === -2) return -1;
    if (key < 0) continue;
    if (v - vs > 64 || n >= rawKeys.length) return -1;
    let x = A.asciiNumber(buf, vs, v);
    if (A.numEnd !== v) {
      x = A.asciiThousands(buf, vs, v);
      if (x !== x) return -1;
    }
    rawKeys[n] = key;
    rawVals[n++] = x;
  }
  if (n === 0) return -1;
  rawN = n;
  rawStepNo = step;
  rawTime = ts;
  rawValid = valid;
  return i;
}

const TFLOPS = A.asciiBytes('tflops');
const GRAD_NORM = A.asciiBytes('grad_norm');

/**
 * Index in KEEP_KEYS of the key `b[s..e)`, −1 for another key, −2 for Object.prototype's (the string path's):
 * by length and first byte, then the bytes (a loop over the six kept keys per key met was rawStep's top entry).
 */
function keyOfKept(b: Uint8Array, s: number, e: number): number {
  const c = b[s];
  switch (e - s) {
    case 2:
      return c === 108 /* l */ && b[s + 1] === 114 /* r */ ? 5 : -1;
    case 3:
      if (c === 116 /* t */) return b[s + 1] === 112 /* p */ && b[s + 2] === 115 /* s */ ? 2 : -1;
      return c === 109 /* m */ && b[s + 1] === 102 /* f */ && b[s + 2] === 117 /* u */ ? 4 : -1;
    case 4:
      return c === 108 /* l */ && b[s + 1] === 111 && b[s + 2] === 115 && b[s + 3] === 115 ? 0 : -1;
    case 6:
      return c === 116 && A.asciiAt(b, s, e, TFLOPS) ? 3 : -1;
    case 9:
      if (c === 103 /* g */) return A.asciiAt(b, s, e, GRAD_NORM) ? 1 : -1;
      return A.keyIndexOf(PROTO, b, s, e) >= 0 ? -2 : -1;
    case 11:
      return A.keyIndexOf(PROTO, b, s, e) >= 0 ? -2 : -1;
    default:
      return -1;
  }
}

export const torchtitanReader: TextReader = {
  format: 'torchtitan',
  kind: 'text',
  detect: (sniff) => scoreSniff({ ...sniff, text: stripAnsi(sniff.text) }, SIGNATURE, 0.8, 0.95),
  create(path, options) {
    const { b, meta } = newRun(path, 'torchtitan', options);
    const trainS: (ColumnSeries | undefined)[] = [];
    let valS: ColumnSeries | undefined;
    let scratch = new Uint8Array(4096);
    const cuts = new Int32Array(64);
    const found = new Int32Array(64);
    const values = new Float64Array(64);
    /** A step line (see the module doc) from bytes; −1 with no effect otherwise. */
    const ascii = (buf: Uint8Array, start: number, limit: number, lineNo: number): number => {
      const end = rawStep(buf, start, limit);
      if (end >= 0) {
        for (let q = 0; q < rawN; q++) {
          const key = rawKeys[q];
          const s =
            rawValid && key === 0
              ? (valS ??= b.series('loss', 'val/loss'))
              : (trainS[key] ??= b.series(KEEP_KEYS[key], KEEP[KEEP_KEYS[key]]));
          b.addTo(s, rawStepNo, rawVals[q], lineNo, rawTime);
        }
        return end;
      }
      return copied(buf, start, limit, lineNo);
    };
    /** The copying byte path (see the module doc); −1 to decline. */
    const copied = (buf: Uint8Array, start: number, limit: number, lineNo: number): number => {
      // one pass to the newline: the line without its colour codes (`\x1b[…X`, as stripAnsi) into `scratch`,
      // with the output positions where a code was cut (for the raw line's `step:` check below)
      if (scratch.length < limit - start + 1) scratch = new Uint8Array(Math.max(2 * scratch.length, limit - start + 1));
      const l = scratch;
      let o = 0;
      let nrem = 0;
      let i0 = start;
      for (;;) {
        // bytes above ESC (27) are neither the newline nor a code: copied with one test each
        for (let c = buf[i0]; c > 27 && i0 <= limit; c = buf[++i0]) l[o++] = c;
        if (i0 > limit) return -1;
        const c = buf[i0];
        if (c === 10) break;
        if (c === 27 && buf[i0 + 1] === 91 /* [ */) {
          let j = i0 + 2;
          while (j <= limit && ((buf[j] >= 48 && buf[j] <= 57) || buf[j] === 59 || buf[j] === 63)) j++;
          const t = buf[j];
          if (j <= limit && ((t >= 65 && t <= 90) || (t >= 97 && t <= 122))) {
            if (nrem < cuts.length) cuts[nrem] = o;
            nrem++;
            i0 = j + 1;
            continue;
          }
        }
        l[o++] = c;
        i0++;
      }
      const nl = i0;
      const s0 = 0;
      const e0 = o;
      // k = line.search(/(?:validate )?step:\s+\d/)
      let k = -1;
      let valid = false;
      for (let i = s0; i < e0; i++) {
        const c = l[i];
        let j = -1;
        if (c === 118 /* v */ && A.asciiAt(l, i, e0, VALIDATE_STEP)) j = i + 14;
        else if (c === 115 /* s */ && A.asciiAt(l, i, e0, STEP_COLON)) j = i + 5;
        if (j < 0 || !A.isSpace(l[j]) || j >= e0) continue;
        while (j < e0 && A.isSpace(l[j])) j++;
        if (j < e0 && isDigit(l[j])) {
          k = i;
          valid = c === 118;
          break;
        }
      }
      if (k < 0) return -1;
      if (nrem > 0) {
        // the string path needs `step:` in the raw line: here unless a code was cut inside the one found
        const p = k + (valid ? 9 : 0);
        let cut = nrem > cuts.length;
        for (let q = 0; q < nrem && q < cuts.length && !cut; q++) cut = cuts[q] > p && cuts[q] < p + 5;
        if (cut && A.asciiIndexOf(buf, start, nl, STEP_COLON) < 0) return -1;
      }
      const body = k + (valid ? 9 : 0);
      let j = body + 5;
      while (A.isSpace(l[j])) j++;
      const step = A.asciiUint(l, j);
      if (step < 0 || A.uintEnd > e0) return -1;
      let ts: number | undefined;
      const tt = A.asciiIndexOf(l, s0, e0, TITAN);
      if (tt >= 0) {
        ts = asciiTimestamp(l, tt + 8, e0);
        if (ts !== undefined && ts !== ts) return -1;
      }
      // PAIR = /([a-z_]+):\s+([-+0-9.,eE]+|nan|inf)/g over the body
      let n = 0;
      for (let i = body; i < e0;) {
        if (!isKeyChar(l[i])) {
          i++;
          continue;
        }
        const ks = i;
        while (i < e0 && isKeyChar(l[i])) i++;
        const ke = i;
        if (l[i] !== 58 || i + 1 >= e0 || !A.isSpace(l[i + 1])) continue;
        let v = i + 1;
        while (v < e0 && A.isSpace(l[v])) v++;
        const vs = v;
        while (v < e0 && isValChar(l[v])) v++;
        if (v === vs && !A.asciiAt(l, vs, e0, NAN_) && !A.asciiAt(l, vs, e0, INF_)) continue; // no match here
        // a match: keys that are Object.prototype's (KEEP[key] is truthy) are left to the string path
        if ((ke - ks === 9 || ke - ks === 11) && A.keyIndexOf(PROTO, l, ks, ke) >= 0) return -1;
        if (v === vs) {
          // `nan` / `inf`: declined when the key is kept (the point would be non-finite), else skipped as the regex does
          if (A.keyIndexOf(KEEP_BYTES, l, ks, ke) >= 0) return -1;
          i = vs + 3;
          continue;
        }
        i = v;
        const key = A.keyIndexOf(KEEP_BYTES, l, ks, ke);
        if (key < 0) continue;
        if (v - vs > 64 || n >= found.length) return -1;
        let x = A.asciiNumber(l, vs, v);
        if (A.numEnd !== v) {
          x = A.asciiThousands(l, vs, v);
          if (x !== x) return -1; // not a plain number: the string path decides (it may skip it, or read it)
        }
        found[n] = key;
        values[n++] = x;
      }
      if (n === 0) return -1;
      for (let q = 0; q < n; q++) {
        const key = found[q];
        const s =
          valid && key === 0
            ? (valS ??= b.series('loss', 'val/loss'))
            : (trainS[key] ??= b.series(KEEP_KEYS[key], KEEP[KEEP_KEYS[key]]));
        b.addTo(s, step, values[q], lineNo, ts);
      }
      return nl;
    };
    return makeParser(
      b,
      (raw, lineNo) => {
        if (!raw.includes('step:')) return false;
        const line = stripAnsi(raw);
        const k = line.search(/(?:validate )?step:\s+\d/);
        if (k < 0) return false;
        const valid = line.startsWith('validate', k);
        const body = line.slice(k + (valid ? 9 : 0));
        const sm = /^step:\s+(\d+)/.exec(body);
        if (!sm) return false;
        const step = Number(sm[1]);
        const ts = line.indexOf('[titan] ') >= 0 ? parseTimestamp(line.slice(line.indexOf('[titan] ') + 8)) : undefined;
        PAIR.lastIndex = 0;
        let m: RegExpExecArray | null;
        let any = false;
        while ((m = PAIR.exec(body))) {
          const name = KEEP[m[1]];
          if (!name) continue;
          const v = parseNumber(m[2]);
          if (v === undefined) continue;
          b.add(m[1], step, v, lineNo, ts, valid && m[1] === 'loss' ? 'val/loss' : name);
          any = true;
        }
        return any;
      },
      meta,
      ascii,
    );
  },
};
