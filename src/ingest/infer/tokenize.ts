/**
 * Splits one log line (bytes) into literal text and numeric fields, without allocating. Pure.
 *
 * The literal text — everything that is not a number, without blanks, ANSI escapes and progress-bar blocks
 * dropped — is the line's TEMPLATE (as in Drain, He et al. 2017: "step <*> | loss <*>"), kept as a 32-bit hash;
 * the numbers are the template's FIELDS, in order. Lines with the same template are lines printed by the same
 * print statement, so the key text before a field (`loss`, `Train Loss:`, `step=`) is the same on every line of
 * a template and is read only once, when the template is first seen (`fieldKey`).
 *
 * A number starts at a digit (or `.5`, or a sign before either) that does not continue an identifier
 * (`rank0`, `gpt2-small`, `v1.2`, `ckpt-1000` are literal text; after a rule of dashes, `-----3------`, it does not). Letters right after a number are its unit
 * (`12ms`, `45%`, `3.5k`) and stay literal, except one upper-case magnitude letter `K`/`M`/`B` ending the word
 * (`8K`, `2M`): the value is scaled and flagged F_ROUNDED. `nan`/`inf` words after a key are fields too (NaN/±Infinity).
 * `N/M` marks M as the TOTAL of N (`iter 3/100`, `Epoch [3/100]`, tqdm's `450/1000`). An integer glued to a file
 * extension (`10264804094.jpg`) is a file name: no field.
 */

export const MAX_FIELDS = 48;
/**
 * A record with more fields than MAX_FIELDS (a detector's or segmenter's log printing forty loss terms, then the total
 * `loss` and the grad norm after them: mmcv's and many hand-written loggers' order) keeps its first
 * MAX_FIELDS - TAIL_FIELDS fields and its LAST TAIL_FIELDS: the summary a trainer prints after the terms it sums is
 * not cut off with them. Past the cap, fields go round a ring of TAIL_FIELDS slots, unrolled into the last slots at
 * the line's end (only lines that long pay for it).
 */
export const TAIL_FIELDS = 12;
const slotOf = (n: number): number => (n < MAX_FIELDS ? n : MAX_FIELDS + ((n - MAX_FIELDS) % TAIL_FIELDS));
const TAIL_VAL = new Float64Array(TAIL_FIELDS);
const TAIL_START = new Int32Array(TAIL_FIELDS);
const TAIL_FLAGS = new Uint8Array(TAIL_FIELDS);

/** Field flags. */
export const F_TOTAL = 1; // the M of `N/M`
export const F_INT = 2; // written without fraction or exponent
export const F_COUNTER = 4; // the N of `N/M`
export const F_ROUNDED = 8; // written with a magnitude suffix (`8K`): rounded for display

/** The result of `tokenize`, reused line after line. */
export class Shape {
  hash = 0;
  nf = 0;
  /** Identifier-like words seen, and punctuation other than blanks, `,`, `|`, tab. */
  words = 0;
  punct = 0;
  readonly val = new Float64Array(MAX_FIELDS + TAIL_FIELDS);
  readonly start = new Int32Array(MAX_FIELDS + TAIL_FIELDS);
  readonly flags = new Uint8Array(MAX_FIELDS + TAIL_FIELDS);
  /** Where the text after the last cursor-up escape (`\x1b[A`) starts, or -1: see `tokenize`. */
  redraw = -1;
  /** Where the line's first ESC byte is (an ANSI escape), or -1: a line without one is never copied to strip them. */
  esc = -1;
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/**
 * Byte classes: 1 digit, 2 identifier start (letters, `_`), 4 identifier character (+ digits, `.`, `-`), 8 blank
 * (space, tab, NUL), 16 a non-ASCII byte (continues a word: `ID_CONT` = 4 | 16), except 0xEF, the lead byte of a
 * full-width `：`/`，`, which is 32 alone (`NON_ASCII` = 16 | 32): a word's loop tests it only where `ID_CONT` ends
 * the word, so the ASCII bytes of a word pay one test each.
 */
const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const digit = c >= 48 && c <= 57;
  const start = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  CLASS[c] =
    (digit ? 1 : 0) |
    (start ? 2 : 0) |
    (start || digit || c === 46 || c === 45 ? 4 : 0) |
    (c === 32 || c === 9 || c === 0 ? 8 : 0) |
    (c >= 0x80 && c !== 0xef ? 16 : 0) |
    (c === 0xef ? 32 : 0);
}
const ID_CONT = 4 | 16;
const FW_LEAD = 32;
const NON_ASCII = 16 | FW_LEAD;
// (`undefined` — a read past the buffer — indexes nothing and gives class 0)
const isIdStart = (c: number) => (CLASS[c] & 2) !== 0;
const isIdChar = (c: number) => (CLASS[c] & 4) !== 0;

function mix(h: number, c: number): number {
  return Math.imul(h ^ c, 16777619);
}

/** Number decoded in the slow path (more than 15 digits or a large exponent): exactly what `Number()` gives. */
function slowNumber(b: Uint8Array, from: number, to: number): number {
  let s = '';
  for (let k = from; k < to; k++) s += String.fromCharCode(b[k]);
  return Number(s);
}

/** Is `b[i..]` a progress-bar / box-drawing character (U+2500–U+259F: E2 94 xx … E2 96 xx)? */
function isBarChar(b: Uint8Array, i: number): boolean {
  return b[i] === 0xe2 && b[i + 1] >= 0x94 && b[i + 1] <= 0x96;
}

/**
 * Tokenizes `b[start..end)` (no newline inside) into `out`. Linear, allocation-free (except numbers with
 * more than 15 significant digits).
 */
export function tokenize(b: Uint8Array, start: number, end: number, out: Shape): void {
  let h = 2166136261 | 0;
  let nf = 0;
  let words = 0;
  let punct = 0;
  let prev = 32; // the previous literal byte (blank at line start)
  let afterNum = false; // `prev` is one punctuation byte right after a number (`2026-`, `1.`)
  let i = start;
  out.redraw = -1;
  out.esc = -1;
  while (i < end) {
    const c = b[i];
    const cls = CLASS[c];
    // blanks (and NUL padding) are not part of the template: alignment padding (`[ 0/200]`, `[10/200]`) varies
    if ((cls & 8) !== 0) {
      i++;
      while (i < end && (CLASS[b[i]] & 8) !== 0) i++;
      prev = 32;
      afterNum = false;
      continue;
    }
    // a full-width `：` or `，` (CJK text: `损失值：10.1`) separates as `:` and `,` do
    if (c === 0xef) {
      const sep = fullwidthSep(b, i);
      if (sep > 0) {
        if (sep !== 44) punct++;
        h = mix(h, sep);
        afterNum = prev === 48;
        prev = sep;
        i += 3;
        continue;
      }
    }
    // a word (an ASCII letter or `_`, or a non-ASCII character that is no bar block): hashed whole, first
    // (the commonest start of a token, and never a number); `nan`/`inf` after a key are values
    if ((cls & 2) !== 0 || ((cls & NON_ASCII) !== 0 && !isBarChar(b, i))) {
      // an underscore joining two numbers separates them, as a `:` would (`12_0.8458`: an epoch and its loss, one
      // line each, written `f"{epoch}_{loss}"`); a group of three digits after it is a digit separator (`1_000_000`)
      if (c === 95 && prev === 48 && (CLASS[b[i + 1]] & 1) !== 0 && !underscoreGroup(b, i, end)) {
        punct++;
        h = mix(h, c);
        afterNum = true;
        prev = c;
        i++;
        continue;
      }
      const s = i;
      // (hashed as it is scanned: one pass over the word, not two — this loop was the top of the profile)
      let hw = h;
      while (i < end) {
        const ci = b[i];
        const k = CLASS[ci];
        if ((k & ID_CONT) === 0 && ((k & FW_LEAD) === 0 || fullwidthSep(b, i) > 0)) break;
        hw = Math.imul(hw ^ ci, 16777619);
        i++;
      }
      const len = i - s;
      // a unit glued to a number ends where digits follow its letters: the next number of a compound quantity
      // (`0m50s`), parsed as a number, like one after a blank (checked after the scan: the hot loop stays as it was)
      const unitCut = prev === 48 && len > 1 ? unitEnd(b, s, i) : -1;
      if (unitCut > 0) {
        hw = h;
        for (let k = s; k < unitCut; k++) hw = Math.imul(hw ^ b[k], 16777619);
        h = hw;
        i = unitCut;
        prev = 32;
        afterNum = false;
        continue;
      }
      // a date written with its weekday and month names (`Fri Oct 24 19:45:03 2025`: Python's `time.ctime()` and
      // `asctime()`, the `date` command in a job script, `Sat, 03 Nov 2018 16:39:48`) is literal text, as a clock
      // printed in digits is no metric: one marker in the template whatever the date, and no fields
      if (len === 3 && c >= 65 && c <= 90 && (b[i] === 32 || b[i] === 44)) {
        const e = weekdayDateEnd(b, s, end);
        if (e > 0) {
          h = mix(h, 64);
          i = e;
          prev = 32;
          afterNum = false;
          continue;
        }
      }
      // a URL (`https://…`, `s3://bucket/run-3/step_200`, `tinker://<id>:train:0/weights`) is one address, literal
      // text up to the next blank: its digits and `name:0` pieces are no values, and lines naming different
      // addresses keep one template (one marker for the whole address)
      if (len >= 2 && b[i] === 58 && b[i + 1] === 47 && b[i + 2] === 47 && prev !== 48) {
        i += 3;
        while (i < end && (CLASS[b[i]] & 8) === 0) i++;
        words++;
        h = mix(hw, 38);
        prev = 32;
        afterNum = false;
        continue;
      }
      if ((len === 3 || len === 8) && prev !== 48 && nanOrInf(b, s, len)) {
        const neg = s > start && b[s - 1] === 45;
        const at = slotOf(nf);
        out.val[at] = (b[s] | 32) === 110 ? NaN : neg ? -Infinity : Infinity;
        out.start[at] = s;
        out.flags[at] = 0;
        nf++;
        h = mix(h, 35);
        prev = 48;
        continue;
      }
      // a loop counter glued to its key (`Iter-100;`, `epoch_12 loss`, `epoch12/100`): the key is the word, the
      // number a field (only after a counter's name: `ckpt-1000`, `rank0`, `gpt2` stay literal text)
      const cut = (CLASS[b[i - 1]] & 1) !== 0 ? gluedCounter(b, s, i) : -1;
      if (cut > 0) {
        hw = h;
        for (let k = s; k < cut; k++) hw = Math.imul(hw ^ b[k], 16777619);
        if (prev !== 48) words++;
        h = hw;
        i = cut;
        prev = 32;
        afterNum = false;
        continue;
      }
      if (prev !== 48) words++;
      h = hw;
      prev = b[i - 1];
      afterNum = false;
      continue;
    }
    // ANSI escape: dropped. A cursor-up (`\x1b[A`, `\x1b[2A`) moves back to a line above to write over it: the text
    // before it was a progress bar's redraw, and the line that stays on screen starts after it (`redraw`)
    if (c === 27) {
      if (out.esc < 0) out.esc = i;
      i++;
      if (b[i] === 91) {
        i++;
        while (i < end && ((b[i] >= 48 && b[i] <= 57) || b[i] === 59 || b[i] === 63)) i++;
        if (i < end && b[i] === 65) out.redraw = i + 1;
        if (i < end) i++;
      }
      continue;
    }
    // a number?
    let j = i;
    if ((c === 45 || c === 43) && !((CLASS[prev] & 4) !== 0 || prev === 41 || prev === 93)) j++;
    const d = b[j];
    if (
      ((CLASS[d] & 1) !== 0 || (d === 46 && (CLASS[b[j + 1]] & 1) !== 0)) &&
      ((CLASS[prev] & 4) === 0 || (afterNum && j === i) || (prev === 45 && i >= start + 2 && b[i - 2] === 45))
    ) {
      const numStart = i;
      const neg = c === 45 && j > i;
      let mant = 0;
      let digits = 0;
      let frac = 0;
      let k = j;
      let ch = b[k];
      while ((CLASS[ch] & 1) !== 0) {
        mant = mant * 10 + (ch - 48);
        digits++;
        ch = b[++k];
      }
      // thousands separators in a value written after a key (`iter:  99,700`, `params = 1,651,494`) are one
      // number, and so are both sides of an `N/M` counter (`Step 1,000/50,000`, `Step 500/50,000`: the groups end
      // at the `/`, or the `/` is glued to a number before); a table's cells (`3,100,2.5`: no `:`/`=` before, or a
      // group that is not three digits) are not
      if (ch === 44 && digits <= 3 && k + 4 <= end) {
        const m = groupsEnd(b, k, end);
        if (
          m > k &&
          (afterKeySep(b, start, numStart) ||
            (b[m] === 47 && (CLASS[b[m + 1]] & 1) !== 0) ||
            (numStart - 2 >= start && b[numStart - 1] === 47 && (CLASS[b[numStart - 2]] & 1) !== 0))
        ) {
          for (; k < m; k++)
            if (b[k] !== 44) {
              mant = mant * 10 + (b[k] - 48);
              digits++;
            }
          ch = b[k];
        }
      }
      let isInt = true;
      if (ch === 46 && (CLASS[b[k + 1]] & 1) !== 0) {
        isInt = false;
        ch = b[++k];
        while ((CLASS[ch] & 1) !== 0) {
          mant = mant * 10 + (ch - 48);
          digits++;
          frac++;
          ch = b[++k];
        }
      }
      // (`5.` — a trailing dot, end of a sentence or Python's `5.` — leaves the dot as literal text)
      let e10 = -frac;
      if ((ch === 101 || ch === 69) && k < end) {
        let m = k + 1;
        let ec = b[m];
        let eneg = false;
        if (ec === 45 || ec === 43) {
          eneg = ec === 45;
          ec = b[++m];
        }
        if ((CLASS[ec] & 1) !== 0) {
          let exp = 0;
          while ((CLASS[ec] & 1) !== 0 && m < end) {
            if (exp < 1e6) exp = exp * 10 + (ec - 48);
            ec = b[++m];
          }
          e10 += eneg ? -exp : exp;
          k = m;
          isInt = false;
        }
      }
      if (k > end) k = end;
      // an integer glued to a file extension (`10264804094.jpg`, `000123.png`) is a file name, not a value: one
      // marker in the template for every such name, so that lines naming different files keep one template
      if (isInt && ch === 46 && k + 1 < end && (CLASS[b[k + 1]] & 2) !== 0 && !neg) {
        h = mix(h, 36);
        i = k;
        prev = 48;
        afterNum = false;
        continue;
      }
      // a magnitude suffix (`step:8K`, `smpl:2M`, `1.2B`: a number rounded for display) scales the value, and the
      // line keeps the template of the unsuffixed number (`step:800` and `step:1K` are one print statement)
      let scale = 1;
      const u = b[k];
      if ((u === 75 || u === 77 || u === 66) && k + 1 <= end && (k + 1 === end || (CLASS[b[k + 1]] & 3) === 0)) {
        scale = u === 75 ? 1e3 : u === 77 ? 1e6 : 1e9;
        k++;
      }
      let v =
        digits <= 15 && e10 >= -22 && e10 <= 22
          ? e10 >= 0
            ? mant * POW10[e10]
            : mant / POW10[-e10]
          : slowNumber(b, j, k);
      if (neg) v = -v;
      if (scale !== 1) v *= scale;
      {
        const at = slotOf(nf);
        const pa = nf > 0 ? slotOf(nf - 1) : 0;
        let f = isInt ? F_INT : 0;
        if (scale !== 1) f |= F_ROUNDED;
        // `N/M`: this field is the total of the previous one
        if (nf > 0 && prev === 47 && b[numStart - 1] === 47) {
          f |= F_TOTAL;
          out.flags[pa] |= F_COUNTER;
        } else if (nf > 0 && prev === 32 && slashNear(b, numStart) && slashBefore(b, start, numStart, out.start[pa])) {
          f |= F_TOTAL; // `200/  148693` (Megatron pads the total), `[1,    50/ 2562]`
          out.flags[pa] |= F_COUNTER;
        } else if (
          nf > 0 &&
          isInt &&
          pipeNear(b, numStart) &&
          bracketedPipePair(b, start, end, out.start[pa], numStart, k)
        ) {
          f |= F_TOTAL; // `Batch:[ 100 | 2068 ]`
          out.flags[pa] |= F_COUNTER;
        }
        out.val[at] = v;
        out.start[at] = numStart;
        out.flags[at] = f;
      }
      nf++;
      h = mix(h, 35);
      i = k;
      prev = 48; // a digit: letters right after are a unit, not a new identifier
      afterNum = false;
      // a unit glued to the number stays literal, hashed as such (`12ms`, `45%`)
      continue;
    }
    // progress-bar blocks: dropped as blanks are (any other non-ASCII byte started a word above), so a bar's first
    // draws, its cells still empty (`  0%|          | 1/97`), have the template of the draws after (`2%|▏ | 2/97`)
    if (c >= 0x80) {
      while (i < end && (isBarChar(b, i) || b[i] === 32)) i += b[i] === 32 ? 1 : 3;
      prev = 32;
      continue;
    }
    // an ASCII progress bar in brackets (Keras `[=====>........]`, `[####....]`): one marker whatever its fill, so
    // the draws of one bar at different fills are one template (the fill is not text the print statement chose)
    if (prev === 91 && ASCII_BAR[c]) {
      const e = asciiBarEnd(b, i, end);
      if (e > 0) {
        punct++;
        h = mix(h, 61);
        prev = 61;
        afterNum = false;
        i = e;
        continue;
      }
    }
    if (c !== 44 && c !== 124) punct++;
    h = mix(h, c);
    afterNum = prev === 48;
    prev = c;
    i++;
  }
  if (nf > MAX_FIELDS) {
    // the ring's last TAIL_FIELDS fields, in order, into the last slots kept
    for (let k = 0; k < TAIL_FIELDS; k++) {
      const from = slotOf(nf - TAIL_FIELDS + k);
      TAIL_VAL[k] = out.val[from];
      TAIL_START[k] = out.start[from];
      TAIL_FLAGS[k] = out.flags[from];
    }
    const to = MAX_FIELDS - TAIL_FIELDS;
    // a total whose counter was dropped is no total (nor a counter whose total was)
    if (TAIL_FLAGS[0] & F_TOTAL) TAIL_FLAGS[0] &= ~F_TOTAL;
    if (out.flags[to - 1] & F_COUNTER) out.flags[to - 1] &= ~F_COUNTER;
    out.val.set(TAIL_VAL, to);
    out.start.set(TAIL_START, to);
    out.flags.set(TAIL_FLAGS, to);
  }
  out.hash = mix(h, nf) >>> 0;
  out.nf = nf;
  out.words = words;
  out.punct = punct;
}

/** Weekday and month names as written by C's `%a`/`%b` (Python's `ctime()`, the `date` command), as 3-byte codes. */
const WEEKDAY3 = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map(code3));
const MONTH3 = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(code3));
function code3(w: string): number {
  return (w.charCodeAt(0) << 16) | (w.charCodeAt(1) << 8) | w.charCodeAt(2);
}
const isDigitByte = (c: number) => c >= 48 && c <= 57;

/** The end of a run of 1 to `most` digits at `i` (`i` itself: none). */
function digitsEnd(b: Uint8Array, i: number, end: number, most: number): number {
  let j = i;
  while (j < end && j - i < most && isDigitByte(b[j])) j++;
  return j < end && isDigitByte(b[j]) ? i : j;
}

/** The end of a clock `HH:MM`, `HH:MM:SS`, `HH:MM:SS.ffffff` at `i`, or −1. */
function clockEnd(b: Uint8Array, i: number, end: number): number {
  let j = digitsEnd(b, i, end, 2);
  if (j === i || b[j] !== 58) return -1;
  const m = j + 1;
  j = digitsEnd(b, m, end, 2);
  if (j - m !== 2) return -1;
  if (b[j] === 58) {
    const s = j + 1;
    j = digitsEnd(b, s, end, 2);
    if (j - s !== 2) return -1;
    if (b[j] === 46 && isDigitByte(b[j + 1])) for (j++; j < end && isDigitByte(b[j]); j++);
  }
  return j;
}

/**
 * Where a date that starts with a capitalised weekday name at `s` ends, or −1: C's `%c`/ctime form `Fri Oct 24
 * 19:45:03 2025` (a day padded with a blank, `Mon Jan  5 …`; the `date` command's zone before the year, `… 19:45:03
 * CEST 2025`; the year left out), or the day before the month, `Fri, 24 Oct 2025 19:45:03` (RFC 2822) and `Fri 24 Oct
 * 2025 07:45:03 PM UTC` (`date` in an English locale). Only with a clock: a weekday and a day alone may be text.
 */
function weekdayDateEnd(b: Uint8Array, s: number, end: number): number {
  if (!WEEKDAY3.has(code3b(b, s))) return -1;
  let j = s + 3;
  if (b[j] === 44) j++;
  if (b[j] !== 32) return -1;
  while (j < end && b[j] === 32) j++;
  let t: number;
  if (isDigitByte(b[j])) {
    // the day, then the month and the year
    const d = digitsEnd(b, j, end, 2);
    if (d === j || b[d] !== 32 || !MONTH3.has(code3b(b, d + 1)) || b[d + 4] !== 32) return -1;
    const y = digitsEnd(b, d + 5, end, 4);
    if (y - (d + 5) !== 4 || b[y] !== 32) return -1;
    t = clockEnd(b, y + 1, end);
    if (t < 0) return -1;
  } else {
    // the month, then the day (blank-padded) and the clock
    if (!MONTH3.has(code3b(b, j)) || b[j + 3] !== 32) return -1;
    j += 4;
    while (j < end && b[j] === 32) j++;
    const d = digitsEnd(b, j, end, 2);
    if (d === j || b[d] !== 32) return -1;
    t = clockEnd(b, d + 1, end);
    if (t < 0) return -1;
  }
  // after the clock: `AM`/`PM`, a zone of capitals (`UTC`, `CEST`) or an offset (`+0000`), and the year, each optional
  for (let part = 0; part < 3; part++) {
    if (t + 1 >= end || b[t] !== 32) break;
    const k = t + 1;
    if (isDigitByte(b[k])) {
      const y = digitsEnd(b, k, end, 4);
      if (y - k === 4 && (y === end || !isIdChar(b[y]))) t = y;
      break;
    }
    if (b[k] === 43 || b[k] === 45) {
      const o = digitsEnd(b, k + 1, end, 4);
      if (o - k - 1 !== 4 || (o < end && isIdChar(b[o]))) break;
      t = o;
      continue;
    }
    let z = k;
    while (z < end && z - k <= 5 && b[z] >= 65 && b[z] <= 90) z++;
    if (z - k < 2 || z - k > 5 || (z < end && isIdChar(b[z]))) break;
    t = z;
  }
  return t;
}

function code3b(b: Uint8Array, i: number): number {
  return (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
}

/** Bytes an ASCII progress bar is drawn with: `=`, `>`, `.`, `#`, `-`, `*`, `_`. */
const ASCII_BAR = new Uint8Array(256);
for (const ch of '=>.#-*_') ASCII_BAR[ch.charCodeAt(0)] = 1;

/**
 * Where the bar starting at `b[i]` (right after a `[`) ends: the index of its closing `]`, when at least three bar
 * bytes (and nothing else but blanks) lead to it; else -1.
 */
function asciiBarEnd(b: Uint8Array, i: number, end: number): number {
  let k = i;
  while (k < end && (ASCII_BAR[b[k]] || b[k] === 32)) k++;
  return k < end && b[k] === 93 && k - i >= 3 ? k : -1;
}

/**
 * Is the `_` at `b[i]` followed by a group of exactly three digits that ends there (no digit nor `.` after it): a
 * digit separator of Python's `1_000_000`, not a separator between two numbers?
 */
function underscoreGroup(b: Uint8Array, i: number, end: number): boolean {
  if (i + 3 >= end || (CLASS[b[i + 2]] & 1) === 0 || (CLASS[b[i + 3]] & 1) === 0) return false;
  return i + 4 >= end || ((CLASS[b[i + 4]] & 1) === 0 && b[i + 4] !== 46);
}

/** The ASCII separator a full-width `：` (U+FF1A) or `，` (U+FF0C) at `b[i..]` stands for (58, 44), or 0. */
export function fullwidthSep(b: Uint8Array, i: number): number {
  if (b[i] !== 0xef || b[i + 1] !== 0xbc) return 0;
  return b[i + 2] === 0x9a ? 58 : b[i + 2] === 0x8c ? 44 : 0;
}

/**
 * Where a run of `,ddd` groups starting at `k` (a comma) ends, or `k` when there is none or the run is followed
 * by another `,` and a digit (a list of numbers, not one number).
 */
function groupsEnd(b: Uint8Array, k: number, end: number): number {
  let m = k;
  while (
    m + 3 < end &&
    b[m] === 44 &&
    (CLASS[b[m + 1]] & 1) !== 0 &&
    (CLASS[b[m + 2]] & 1) !== 0 &&
    (CLASS[b[m + 3]] & 1) !== 0 &&
    (m + 4 >= end || (CLASS[b[m + 4]] & 1) === 0)
  )
    m += 4;
  if (m + 1 < end && b[m] === 44 && (CLASS[b[m + 1]] & 1) !== 0) return k;
  return m;
}

/**
 * Is the byte before `numStart`, blanks skipped, a `/` glued to the end of the previous number (which started at
 * `prevStart`): `200/  148693`?
 */
function slashBefore(b: Uint8Array, start: number, numStart: number, prevStart: number): boolean {
  let j = numStart - 1;
  while (j > start && (b[j] === 32 || b[j] === 9)) j--;
  return b[j] === 47 && j - 1 >= prevStart && (CLASS[b[j - 1]] & 1) !== 0;
}

/**
 * What `slashBefore` needs of the two bytes before `numStart`: a `/` right before, or a blank there and a `/` or a
 * blank before it (the common `grad_norm 0.5`, `10:00` are out after two reads, without the backward scan).
 */
function slashNear(b: Uint8Array, numStart: number): boolean {
  const q = b[numStart - 1];
  if (q === 47) return true;
  if (q !== 32 && q !== 9) return false;
  const r = b[numStart - 2];
  return r === 47 || r === 32 || r === 9;
}

/**
 * What `bracketedPipePair` needs of the two bytes before `numStart`: a `|` right before, or a blank there and a `|` or
 * a blank before it (cheap, so that most numbers after a blank are out after two reads).
 */
function pipeNear(b: Uint8Array, numStart: number): boolean {
  const q = b[numStart - 1];
  if (q === 124) return true;
  if (q !== 32) return false;
  const r = b[numStart - 2];
  return r === 124 || r === 32;
}

/**
 * Is the number at `numStart..numEnd` the second of two integers alone in a bracket, separated by a `|`
 * (`Epoch:[ 3 | 19 ]`, `Batch:[100|2068]`, blanks allowed)? Such a pair is a counter and its total, as `[100/2068]`
 * is; a `|` between table cells (`| 3 | 0.5 |`) has no bracket around the pair.
 */
function bracketedPipePair(
  b: Uint8Array,
  start: number,
  end: number,
  prevStart: number,
  numStart: number,
  numEnd: number,
): boolean {
  let j = numStart - 1;
  while (j > start && b[j] === 32) j--;
  if (b[j] !== 124) return false;
  j--;
  while (j > start && b[j] === 32) j--;
  if (j < prevStart) return false;
  for (let i = prevStart; i <= j; i++) if (b[i] < 48 || b[i] > 57) return false;
  let i = prevStart - 1;
  while (i > start && b[i] === 32) i--;
  if (i < start || b[i] !== 91) return false;
  let m = numEnd;
  while (m < end && b[m] === 32) m++;
  return m < end && b[m] === 93;
}

/** Is the byte before `numStart` (blanks skipped) a key's `:` or `=`? */
function afterKeySep(b: Uint8Array, start: number, numStart: number): boolean {
  let j = numStart - 1;
  while (j >= start && (b[j] === 32 || b[j] === 9)) j--;
  return j >= start && (b[j] === 58 || b[j] === 61);
}

/** Names of a loop counter that a script may glue to its number (`Iter-100`, `epoch_12`, `epoch12`), lower case. */
export const GLUED_COUNTERS = new Set([
  'it',
  'iter',
  'iters',
  'iteration',
  'step',
  'epoch',
  'ep',
  'episode',
  'batch',
  'update',
]);

/**
 * Where the number starts in the word `b[s..e)` when the word is a counter's name, an optional `-`/`_`, then only
 * digits (`Iter-100`, `epoch_12`, `epoch12`, and `E3` before `/10`); -1 otherwise.
 */
function gluedCounter(b: Uint8Array, s: number, e: number): number {
  let p = s;
  while (p < e && ((b[p] >= 65 && b[p] <= 90) || (b[p] >= 97 && b[p] <= 122))) p++;
  // `E3/10` (an epoch of its total): one letter is a counter's name only before an `N/M` counter
  const single = p - s === 1 && (b[s] | 32) === 101 && b[e] === 47 && b[e + 1] >= 48 && b[e + 1] <= 57;
  // a learning rate glued to its key, a decimal (`lr0.009925650290240803`, `lr0.01`): the key is `lr`, the number a
  // field, not a word `lr0` whose every value makes a template of its own
  if (p - s === 2 && (b[s] | 32) === 108 && (b[s + 1] | 32) === 114) {
    let q = p;
    while (q < e && b[q] >= 48 && b[q] <= 57) q++;
    if (q === p || b[q] !== 46) return -1;
    const f = ++q;
    while (q < e && b[q] >= 48 && b[q] <= 57) q++;
    return q === e && q > f ? p : -1;
  }
  if (!single && (p - s < 2 || p - s > 9 || !isGluedName(b, s, p - s))) return -1;
  if (b[p] === 45 || b[p] === 95) p++;
  const d = p;
  while (p < e && b[p] >= 48 && b[p] <= 57) p++;
  return p === e && p > d ? d : -1;
}

/**
 * Where the unit glued to a number ends inside the word `b[s..e)`: at the first digit right after the unit's letters
 * (-1: none). A quantity written in several units, each glued to its number — a duration `0h 0m50s`, `1h2m3s` (C's
 * `%2dm%2ds` pads the seconds with a blank below ten) — is a number per unit: the unit is its letters alone, so
 * `0m50s` and `0m 9s` are the same literal text (`m`, `s`) around the same fields, not a unit word `m50s` that makes a
 * template per value.
 */
function unitEnd(b: Uint8Array, s: number, e: number): number {
  for (let p = s + 1; p < e; p++) {
    const c = b[p - 1];
    if (b[p] >= 48 && b[p] <= 57 && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return p;
  }
  return -1;
}

/**
 * Where the word that owns a possessive `'s` starts, when the key word `b[s..e)` is that `s` (LightGBM's
 * `training's binary_logloss: 0.21`, `valid_0's l2: 0.3`: the set's name and `'s` are one word of the key, not an
 * `s` cut off at the apostrophe); else `s`.
 */
function possessor(b: Uint8Array, lineStart: number, s: number, e: number): number {
  if (e - s !== 1 || b[s] !== 115 || s - 2 < lineStart || b[s - 1] !== 39 || !isIdChar(b[s - 2])) return s;
  let o = s - 2;
  while (o >= lineStart && isIdChar(b[o])) o--;
  return isIdStart(b[o + 1]) ? o + 1 : s;
}

/**
 * Where the letters start in the word `b[s..e)` when it is digits, then three or more letters or `_` and nothing else
 * (`0loss`); −1 otherwise.
 */
function gluedKeyStart(b: Uint8Array, s: number, e: number): number {
  let p = s;
  while (p < e && b[p] >= 48 && b[p] <= 57) p++;
  if (p === s || e - p < 3) return -1;
  for (let q = p; q < e; q++) if (!((b[q] | 32) >= 97 && (b[q] | 32) <= 122) && b[q] !== 95) return -1;
  return p;
}

/** `GLUED_COUNTERS` as bytes: compared in place, with no string made for each word that ends with a digit. */
const GLUED_BYTES = [...GLUED_COUNTERS].map((w) => Uint8Array.from(w, (ch) => ch.charCodeAt(0)));

/** Is the ASCII-letter word `b[s..s+len)`, lower-cased, one of `GLUED_COUNTERS`? */
function isGluedName(b: Uint8Array, s: number, len: number): boolean {
  for (const w of GLUED_BYTES) {
    if (w.length !== len) continue;
    let k = 0;
    while (k < len && (b[s + k] | 32) === w[k]) k++;
    if (k === len) return true;
  }
  return false;
}

/** `nan`, `inf`, `infinity` (any case). */
function nanOrInf(b: Uint8Array, s: number, len: number): boolean {
  const a = b[s] | 32,
    c1 = b[s + 1] | 32,
    c2 = b[s + 2] | 32;
  if (len === 3) return (a === 110 && c1 === 97 && c2 === 110) || (a === 105 && c1 === 110 && c2 === 102);
  return (
    a === 105 &&
    c1 === 110 &&
    c2 === 102 &&
    (b[s + 3] | 32) === 105 &&
    (b[s + 4] | 32) === 110 &&
    (b[s + 5] | 32) === 105 &&
    (b[s + 6] | 32) === 116 &&
    (b[s + 7] | 32) === 121
  );
}

/** A word naming a data split (`val`, `VAL`, `test`, `train`). */
const SPLIT_WORD = /^(?:train|training|val|valid|validation|eval|test|dev)$/i;
/** Calls that print a scalar around its value (PyTorch, TensorFlow, NumPy, JAX, MindSpore, Paddle). */
const WRAPPER =
  /^(?:(?:torch|tf|np|numpy|jnp|jax\.numpy|ms|mindspore|paddle)\.)?(?:tensor|array|devicearray|arrayimpl|float(?:16|32|64)?|bfloat16|decimal)$/i;
/** Accelerator names written before a device index (`cuda:0`). */
const DEVICE = /^(?:cuda|xpu|npu|hpu|mps|gpu|tpu)$/i;
/** The identifier (letters, digits, `.`, `-`, `_`) that ends right before index `end`, as latin1 text. */
function wordBefore(b: Uint8Array, lineStart: number, end: number): string {
  let s = end - 1;
  while (s >= lineStart && isIdChar(b[s])) s--;
  return Buffer.from(b.buffer, b.byteOffset + s + 1, end - s - 1).toString('latin1');
}

/**
 * Is the number (or `N/M`) that starts at `s` closed by a `}` right after it (`loss : {2.0086918}`, `epoch: {3/300}`:
 * a format string's braces printed around each value)? Then the `{` before it opens the value as a `[` would; a
 * dict (`{0: 0.91, 1: 0.85}`) is not read so.
 */
function bracedAlone(b: Uint8Array, s: number): boolean {
  let e = s;
  while (
    e < b.length &&
    e < s + 40 &&
    ((b[e] >= 48 && b[e] <= 57) || b[e] === 46 || b[e] === 45 || b[e] === 43 || b[e] === 47 || (b[e] | 32) === 101)
  )
    e++;
  return b[e] === 125;
}

/** A byte of a number written in a list of values (digits, `.`, sign, exponent) or its `,` and blanks. */
const inValueList = (c: number) =>
  (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || (c | 32) === 101 || c === 44 || c === 32 || c === 9;

/**
 * The name of the value at `fieldStart` when the line lists the names in one bracket and the values in the next
 * (`[Avg. Loss, Loss]: [10.4, 7.2]`, Keras' `print(model.metrics_names, scores)` → `['loss', 'acc'] [0.31, 0.9]`):
 * the value's place in its list picks the name at the same place; the two lists must be as long, two or more, and the
 * names words (a leading letter), not numbers. null when the field is not so listed. Read once per template.
 */
function listedName(b: Uint8Array, lineStart: number, fieldStart: number): string | null {
  let o = fieldStart - 1;
  let at = 0;
  while (o >= lineStart && o > fieldStart - 400 && inValueList(b[o])) if (b[o--] === 44) at++;
  if (o < lineStart || b[o] !== 91) return null;
  let e = fieldStart;
  let n = at + 1;
  while (e < b.length && e < fieldStart + 400 && inValueList(b[e])) if (b[e++] === 44) n++;
  if (b[e] !== 93 || n < 2) return null;
  let c = o - 1;
  while (c >= lineStart && (b[c] === 32 || b[c] === 9)) c--;
  if (c >= lineStart && (b[c] === 58 || b[c] === 61)) c--;
  while (c >= lineStart && (b[c] === 32 || b[c] === 9)) c--;
  if (c < lineStart || b[c] !== 93) return null;
  let p = c - 1;
  while (p >= lineStart && p > c - 400 && b[p] !== 91 && b[p] !== 93 && b[p] !== 10) p--;
  if (p < lineStart || b[p] !== 91) return null;
  const names = Buffer.from(b.buffer, b.byteOffset + p + 1, c - p - 1)
    .toString('utf8')
    .split(',')
    .map((w) =>
      w
        .trim()
        .replace(/^(['"])(.*)\1$/, '$2')
        .trim(),
    );
  if (names.length !== n || !names.every((w) => /^[A-Za-z_]/.test(w))) return null;
  return names[at];
}

/**
 * The key written before the field that starts at `fieldStart`: up to three words (four when a split word qualifies
 * them, `VAL LOSS OVER EPOCHS`; five before `is`/`was`/`are`), skipping one `:`/`=` and
 * one `[`/`(` (`Train Loss: 4.05` → `Train Loss`; `Step [200/500]` → `Step`; `loss=0.13` → `loss`), or ''
 * when a number, other punctuation or the line start comes first; `atLeast` words when the key has that many (a
 * caller that needs the word before a three-word key). Read once per template (allocates).
 */
export function fieldKey(b: Uint8Array, lineStart: number, fieldStart: number, atLeast = 0): string {
  let j = fieldStart - 1;
  const blank = (c: number) => c === 32 || c === 9 || c === 0;
  /** Skips blanks and ANSI escapes (`\x1b[1m`) backwards from j. */
  const skip = (j: number): number => {
    for (;;) {
      while (j >= lineStart && blank(b[j])) j--;
      if (j < lineStart || !isIdStart(b[j])) return j;
      let k = j - 1;
      while (k >= lineStart && ((b[k] >= 48 && b[k] <= 57) || b[k] === 59 || b[k] === 63)) k--;
      if (k - 1 >= lineStart && b[k] === 91 && b[k - 1] === 27) j = k - 2;
      else return j;
    }
  };
  j = skip(j);
  // a value in a bracketed list whose names are listed in the bracket before (`[Avg. Loss, Loss]: [10.4, 7.2]`)
  if (j >= lineStart && (b[j] === 91 || b[j] === 44)) {
    const listed = listedName(b, lineStart, fieldStart);
    if (listed !== null) return listed;
  }
  // a device index (`cuda:0`, `device='npu:1'`) is not a value
  if (j >= lineStart && b[j] === 58 && j + 1 === fieldStart && DEVICE.test(wordBefore(b, lineStart, j))) return '';
  // a value printed inside a wrapper (`loss: tensor(2.31, device='cuda:0')`, `tf.Tensor(8.07, shape=(), …)`,
  // `np.float32(3.1)`, `array(0.5, dtype=float32)`, `tensor([2.31])`): its key is the one before the wrapper
  if (j > lineStart && (b[j] === 40 || (b[j] === 91 && b[j - 1] === 40))) {
    const o = b[j] === 40 ? j : j - 1;
    const name = wordBefore(b, lineStart, o);
    if (WRAPPER.test(name)) j = skip(o - name.length - 1);
  }
  // a value written as a quoted string that holds only the number (`"loss": "0.264"`, fairseq's JSON dicts; not
  // `"name": "2024-03/29"`): the key is before the quote
  if (j > lineStart && (b[j] === 34 || b[j] === 39)) {
    let e = fieldStart;
    while (
      e < b.length &&
      ((b[e] >= 48 && b[e] <= 57) || b[e] === 46 || b[e] === 45 || b[e] === 43 || (b[e] | 32) === 101)
    )
      e++;
    const k = skip(j - 1);
    if (b[e] === b[j] && k >= lineStart && (b[k] === 58 || b[k] === 61)) j = k;
  }
  // one `:`/`=` and one `[`/`(`, in either order (`Step [200`, `Epoch: [ 0`)
  let sep = false;
  let open = false;
  // a key and its value separated by a comma, the key a comma-separated cell of its own, glued to that comma
  // (`epoch 1, phase train, step 10, loss_train, 0.833`): the comma is the key's separator
  if (j > lineStart && b[j] === 44 && isIdChar(b[j - 1])) {
    let s = j - 1;
    while (s >= lineStart && isIdChar(b[s])) s--;
    const k = skip(s);
    if (isIdStart(b[s + 1]) && (k < lineStart || b[k] === 44)) {
      sep = true;
      j--;
    }
  }
  for (let r = 0; r < 2; r++) {
    if (!sep && j >= lineStart && (b[j] === 58 || b[j] === 61)) {
      sep = true;
      j--;
    } else if (!sep && j - 2 >= lineStart && fullwidthSep(b, j - 2) === 58) {
      sep = true;
      j -= 3;
    } else if (
      !open &&
      j >= lineStart &&
      (b[j] === 91 || b[j] === 40 || (b[j] === 123 && bracedAlone(b, fieldStart)))
    ) {
      open = true;
      j--;
    }
    j = skip(j);
  }
  // a quoted key (`'loss': 1.2`, `"loss": 1.2` in a printed dict) is read without its quotes
  const quoted = sep && j > lineStart && (b[j] === 39 || b[j] === 34);
  if (quoted) j--;
  // a qualifier in parentheses after the key's words, with a blank before it or glued to them (`Autoencoder Loss
  // (total): 350.8`, `Time (s): 5`, `train loss(phase): 0.08`): read with them, as `Autoencoder Loss (total)`
  let qual = '';
  if (sep && j > lineStart && b[j] === 41) {
    let o = j - 1;
    while (o >= lineStart && o > j - 24 && (isIdChar(b[o]) || b[o] === 32 || b[o] === 37)) o--;
    if (o > lineStart && b[o] === 40 && o < j - 1 && isIdStart(b[o + 1])) {
      const k = skip(o - 1);
      if (k >= lineStart && isIdChar(b[k])) {
        qual = ` (${Buffer.from(b.buffer, b.byteOffset + o + 1, j - o - 1).toString('latin1')})`;
        j = k;
      }
    }
  }
  const words: string[] = [];
  // a sentence (`avg loss so far is 0.1`) keeps up to five words: its name stands further back than its verb
  // and a split word before a key's three words says which split it is (`VAL LOSS OVER EPOCHS`): kept with them
  const most = () =>
    Math.max(
      atLeast,
      words.length && /^(?:is|was|are)$/i.test(words[words.length - 1])
        ? 5
        : words.length === 3 && splitBefore()
          ? 4
          : 3,
    );
  const splitBefore = () => {
    let s = j;
    while (s >= lineStart && isIdChar(b[s])) s--;
    return (
      j - s >= 3 &&
      j - s <= 10 &&
      SPLIT_WORD.test(Buffer.from(b.buffer, b.byteOffset + s + 1, j - s).toString('latin1'))
    );
  };
  while (words.length < most() && j >= lineStart) {
    const e = j + 1;
    while (j >= lineStart && (isIdChar(b[j]) || b[j] === 47 || b[j] >= 0x80)) j--;
    let s = j + 1;
    const ansi = s - 2 >= lineStart && b[s - 1] === 91 && b[s - 2] === 27;
    if (ansi) {
      // `\x1b[1mloss`: the escape's parameters and final letter are not part of the word
      while (s < e && ((b[s] >= 48 && b[s] <= 57) || b[s] === 59)) s++;
      s++;
    }
    if (s >= e || !(isIdStart(b[s]) || b[s] >= 0x80)) {
      // a key glued to the whole number before it (`idx: 0loss: tensor(8.46, …)`, a print that left out the blank):
      // the letters after that number's digits, three or more (`1st`, `2nd` are ordinals, `8K`, `3ms` units)
      const g = words.length === 0 ? gluedKeyStart(b, s, e) : -1;
      if (g > 0) words.unshift(Buffer.from(b.buffer, b.byteOffset + g, e - g).toString('latin1'));
      break;
    }
    const own = possessor(b, lineStart, s, e);
    if (own < s) j = (s = own) - 1;
    words.unshift(Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('utf8'));
    if (ansi || quoted) break;
    if (j - 1 >= lineStart && b[j] === 32 && (isIdChar(b[j - 1]) || b[j - 1] >= 0x80)) j--;
    else break;
  }
  const key = words.join(' ').replace(/[-./_]+$/, '');
  return key && key + qual;
}
