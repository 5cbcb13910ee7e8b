/**
 * Megatron-LM and Megatron-DeepSpeed stdout (incl. BigScience `0:` rank prefixes and timestamps):
 *   ` iteration      200/  148693 | consumed samples: 25600 | consumed tokens: 52428800 | … | learning rate:
 *     4.152E-05 | global batch size: 128 | lm loss: 9.980914E+00 | loss scale: 1024.0 | grad norm: 9262.586 | …`
 *   `validation loss at iteration 100 | lm loss value: 7.666490E+00 | lm loss PPL: 2.135573E+03 |`
 *   (`valid loss at iteration …` in BigScience logs)
 * Only those two line shapes create points. DeepSpeed's own `steps: 1 loss: 12.63 …` echo, fp16
 * `Grad overflow on iteration: 132` / `loss scale overflow! Skipping step` lines never do; an interval whose
 * iterations were all skipped prints no `lm loss` and so yields no loss point.
 * Per-rank parameter lines, the args dump and `number of skipped iterations` go through the metadata scanner.
 * Hot path: the `iteration` line (optionally behind a numeric rank prefix) is also read straight from bytes — no
 * string, no segment slices — with the same points and metadata as the string path, which takes every other line
 * and any iteration line the byte path declines (a value that is not a plain number, a bracketed rank prefix, …).
 */
import type { TextReader } from '../reader';
import { intAt, parseNumber, skipSpaces } from '../numbers';
import { makeParser, newRun, scoreCount, countLines, stripRankPrefix } from '../readerKit';
import type { ColumnSeries } from '../series';
import * as A from '../asciiScan';

// Leading blanks are [ \t]*, not \s*: with /m, \s* also eats newlines, so every line start of a blank-heavy sniff
// (256 KiB of \n or \r) rescanned the rest of it — O(n²), minutes per file.
const ITERATION = /^(?:\d+:)?[ \t]*iteration\s+\d+\/\s*\d+ \|/m;
const VALIDATION = /^(?:\d+:)?[ \t]*valid(?:ation)? loss at iteration \d+ \|/m;
const ARGS_HEADER = /^(?:\d+:)?[ \t]*-+ arguments -+\s*$/m;
const MEGATRON_HINT = /^(?:\d+:)?[ \t]*(?:> building \S+ tokenizer|using world size: \d+, data-parallel[- ]size)/m;

/** Segment names kept as series (others, e.g. timings, are dropped). Key → normalised name. */
const KEEP: Record<string, string> = {
  'lm loss': 'train/loss',
  'learning rate': 'lr',
  'grad norm': 'grad_norm',
  'consumed tokens': 'tokens',
  'consumed samples': 'samples',
  'loss scale': 'loss_scale',
  'global batch size': 'global_batch_size',
  'number of skipped iterations': 'skipped_iterations',
  'number of nan iterations': 'nan_iterations',
};

const KEEP_KEYS = Object.keys(KEEP);
const KEEP_BYTES = KEEP_KEYS.map(A.asciiBytes);
const ITERATION_BYTES = A.asciiBytes('iteration');

/** String.prototype.trim's whitespace among ASCII bytes other than line ends (tab, VT, FF, space). */
const isBlank = (c: number) => c === 32 || c === 9 || c === 11 || c === 12;

/** The kept keys by length (−1: none), each list in KEEP_KEYS order. */
const BY_LENGTH: number[][] = [];
KEEP_BYTES.forEach((key, k) => (BY_LENGTH[key.length] ??= []).push(k));

/** Index in KEEP_KEYS of the key `buf[s..e)` (trimmed), or −1. */
function keepIndex(buf: Uint8Array, s: number, e: number): number {
  while (s < e && isBlank(buf[s])) s++;
  while (e > s && isBlank(buf[e - 1])) e--;
  const n = e - s;
  const ks = BY_LENGTH[n];
  if (ks === undefined) return -1;
  outer: for (let m = 0; m < ks.length; m++) {
    const key = KEEP_BYTES[ks[m]];
    for (let j = 0; j < n; j++) if (buf[s + j] !== key[j]) continue outer;
    return ks[m];
  }
  return -1;
}

function detect(text: string): number {
  const it = countLines(text, ITERATION, 3) + countLines(text, VALIDATION, 3);
  if (it > 0) return scoreCount(it, 0.85, 0.97);
  if (ARGS_HEADER.test(text) && MEGATRON_HINT.test(text)) return 0.75;
  if (ARGS_HEADER.test(text) && /^[ \t]*(?:\d+:)?[ \t]*tensor_model_parallel_size \.{3,}/m.test(text)) return 0.7;
  return 0;
}

export const megatronReader: TextReader = {
  format: 'megatron',
  kind: 'text',
  detect: (sniff) => detect(sniff.text),
  create(path, options) {
    const { b, meta } = newRun(path, 'megatron', options);
    const segments = (line: string, from: number, step: number, lineNo: number, prefix: string) => {
      let i = from;
      while (i < line.length) {
        const bar = line.indexOf('|', i);
        const seg = line.slice(i, bar < 0 ? line.length : bar);
        i = bar < 0 ? line.length : bar + 1;
        const colon = seg.lastIndexOf(':');
        if (colon < 0) continue;
        const key = seg.slice(0, colon).trim();
        const name = prefix ? VAL[key] : KEEP[key];
        if (!name) continue;
        const v = parseNumber(seg.slice(colon + 1));
        if (v !== undefined) b.add(prefix + key, step, v, lineNo, undefined, name);
      }
    };
    const keepSeries: (ColumnSeries | undefined)[] = [];
    const found = new Int32Array(64);
    const values = new Float64Array(64);
    /** ` iteration N/ M | key: value | …` from bytes (see the module doc); −1 with no effect to decline. */
    const ascii = (buf: Uint8Array, start: number, limit: number, lineNo: number): number => {
      let i = start;
      let c = buf[i];
      if (c >= 48 && c <= 57) {
        // a rank prefix `0: ` (1–4 digits, as stripRankPrefix)
        let j = i;
        while (buf[j] >= 48 && buf[j] <= 57) j++;
        if (buf[j] !== 58 || j - i > 4) return -1;
        i = buf[j + 1] === 32 ? j + 2 : j + 1;
        c = buf[i];
      }
      while (c === 32 || c === 9) c = buf[++i];
      if (c !== 105 /* i */ || !A.asciiAt(buf, i, limit, ITERATION_BYTES)) return -1;
      i += 9;
      while (buf[i] === 32 || buf[i] === 9) i++;
      const step = digitsAt(buf, i);
      if (step < 0) return -1;
      i = digitsEnd;
      if (buf[i] !== 47 /* / */) return -1;
      i++;
      while (buf[i] === 32 || buf[i] === 9) i++;
      const total = digitsAt(buf, i);
      if (total < 0) return -1;
      i = digitsEnd;
      // the first bar after the total (the string path: indexOf('|')); then segments `key: value` between bars
      while (i <= limit && (c = buf[i]) !== 124 && c !== 10) i++;
      if (i > limit || c !== 124) return -1;
      // (bars and the line end found with the native indexOf: ~2× faster than a byte loop on these long lines)
      const nl = buf.indexOf(10, i);
      if (nl < 0 || nl > limit) return -1;
      let nFound = 0;
      let seg = i + 1;
      let e = seg;
      for (;;) {
        // the segment [seg, e) up to the next bar or the line end, then its last colon (the value is short)
        e = buf.indexOf(124, seg);
        if (e < 0 || e > nl) e = nl;
        c = buf[e];
        let colon = e - 1;
        while (colon >= seg && buf[colon] !== 58) colon--;
        if (colon >= seg) {
          const k = keepIndex(buf, seg, colon);
          if (k >= 0) {
            const v = A.asciiNumber(buf, colon + 1, e);
            let q = A.numEnd;
            if (q < 0) return -1; // not a plain number: the string path decides
            let vs = colon + 1;
            while (buf[vs] === 32) vs++;
            if (q - vs > 64) return -1; // (parseNumber gives up on tokens longer than 64 characters)
            while (isBlank(buf[q])) q++;
            if (q !== e || nFound >= found.length) return -1;
            found[nFound] = k;
            values[nFound++] = v;
          }
        }
        if (c === 10) break;
        seg = e + 1;
      }
      if (!b.meta.totalSteps) b.setMeta('totalSteps', total, b.at(lineNo, 'log line iteration N/M'));
      for (let j = 0; j < nFound; j++) {
        const k = found[j];
        const key = KEEP_KEYS[k];
        b.addTo((keepSeries[k] ??= b.series(key, KEEP[key])), step, values[j], lineNo);
      }
      return e;
    };
    return makeParser(
      b,
      (raw, lineNo) => {
        const line = stripRankPrefix(raw);
        const j = skipSpaces(line, 0);
        if (line.startsWith('iteration', j)) {
          const s = intAt(line, skipSpaces(line, j + 9));
          if (!s || line.charCodeAt(s[1]) !== 47) return false;
          const tot = intAt(line, skipSpaces(line, s[1] + 1));
          if (!tot) return false;
          const bar = line.indexOf('|', tot[1]);
          if (bar < 0) return false;
          if (!b.meta.totalSteps) b.setMeta('totalSteps', tot[0], b.at(lineNo, 'log line iteration N/M'));
          segments(line, bar + 1, s[0], lineNo, '');
          return true;
        }
        if (line.startsWith('valid', j) && line.includes(' loss at iteration ')) {
          const k = line.indexOf(' loss at iteration ');
          const s = intAt(line, k + 19);
          if (!s) return false;
          segments(line, line.indexOf('|', s[1]) + 1 || line.length, s[0], lineNo, 'validation ');
          return true;
        }
        meta.scan(line, lineNo);
        return true;
      },
      meta,
      ascii,
    );
  },
};

/** End of the digits read by `digitsAt`. */
let digitsEnd = -1;

/** An unsigned integer of 1–15 digits at `i` (as `intAt`), or −1. */
function digitsAt(buf: Uint8Array, i: number): number {
  let v = 0;
  const s = i;
  let c = buf[i];
  while (c >= 48 && c <= 57) {
    v = v * 10 + (c - 48);
    c = buf[++i];
  }
  digitsEnd = i;
  return i === s || i - s > 15 ? -1 : v;
}

/** Validation segment names → normalised names. */
const VAL: Record<string, string> = {
  'lm loss value': 'val/loss',
  'lm loss PPL': 'val/ppl',
};
