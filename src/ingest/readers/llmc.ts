/**
 * llm.c (karpathy/llm.c train_gpt2.cu) compact stdout:
 *   `s:12 trl:9.7924 lr:0.000011 norm:3.01`  (train step)
 *   `s:0 tel:11.0092`                          (validation)
 * → train/loss, val/loss, lr, grad_norm. Hot path: prefix `s:` + hand-written key:value scanning; lines made only
 * of the four known keys with plain numbers are read straight from bytes (no string per line), anything else
 * (another key, `nan`, a value glued to text) is declined and takes the string path.
 */
import type { TextReader } from '../reader';
import { scanFloat, tokenEnd } from '../numbers';
import * as N from '../numbers';
import { makeParser, newRun, scoreSniff } from '../readerKit';
import type { ColumnSeries } from '../series';
import * as A from '../asciiScan';

const KEYS = ['trl', 'tel', 'lr', 'norm'];

const SIGNATURE = /^s:\d+ t[re]l:/m;

/** Index in KEYS of the key `buf[s..s+n)` (compared byte by byte: a generic loop over the keys was this path's top cost), or −1. */
function keyOf(buf: Uint8Array, s: number, n: number): number {
  const c = buf[s];
  if (n === 3) {
    if (buf[s + 2] !== 108 /* l */ || c !== 116 /* t */) return -1;
    const m = buf[s + 1];
    return m === 114 /* r */ ? 0 : m === 101 /* e */ ? 1 : -1;
  }
  if (n === 2) return c === 108 && buf[s + 1] === 114 ? 2 : -1;
  if (n === 4) return c === 110 && buf[s + 1] === 111 && buf[s + 2] === 114 && buf[s + 3] === 109 ? 3 : -1;
  return -1;
}
const NAMES: Record<string, string> = { trl: 'train/loss', tel: 'val/loss', lr: 'lr', norm: 'grad_norm' };

export const llmcReader: TextReader = {
  format: 'llmc',
  kind: 'text',
  detect: (sniff) => scoreSniff(sniff, SIGNATURE, 0.85, 0.97),
  create(path, options) {
    const { b, meta } = newRun(path, 'llmc', options);
    const series: (ColumnSeries | undefined)[] = [];
    const found = new Int32Array(16);
    const values = new Float64Array(16);
    /** `s:N key:value …` from bytes, every key one of KEYS (see the module doc); −1 with no effect to decline. */
    const ascii = (buf: Uint8Array, start: number, limit: number, lineNo: number): number => {
      if (buf[start] !== 115 /* s */ || buf[start + 1] !== 58 /* : */) return -1;
      const step = A.asciiNumber(buf, start + 2, limit);
      let i = A.numEnd;
      if (i < 0 || buf[i] !== 32) return -1;
      let n = 0;
      for (;;) {
        while (buf[i] === 32) i++;
        if (buf[i] === 10) break;
        const ks = i;
        while (i <= limit && buf[i] !== 58 && buf[i] !== 10) i++;
        if (i > limit || buf[i] !== 58) return -1; // text without a colon: the string path ignores it; so does it here by declining
        const k = keyOf(buf, ks, i - ks);
        if (k < 0 || n >= found.length) return -1;
        const v = A.asciiNumber(buf, i + 1, limit);
        i = A.numEnd;
        if (i < 0 || (buf[i] !== 32 && buf[i] !== 10)) return -1;
        found[n] = k;
        values[n++] = v;
      }
      if (n === 0 || i > limit) return -1;
      for (let j = 0; j < n; j++) {
        const k = found[j];
        b.addTo((series[k] ??= b.series(KEYS[k], NAMES[KEYS[k]])), step, values[j], lineNo);
      }
      return i;
    };
    return makeParser(
      b,
      (line, lineNo) => {
        if (!line.startsWith('s:')) return false;
        const step = scanFloat(line, 2);
        let i = N.scanEnd;
        if (i < 0 || line.charCodeAt(i) !== 32) return false;
        let any = false;
        while (i < line.length) {
          while (line.charCodeAt(i) === 32) i++;
          const colon = line.indexOf(':', i);
          if (colon < 0) break;
          const key = line.slice(i, colon);
          const name = NAMES[key];
          const v = scanFloat(line, colon + 1);
          const end = N.scanEnd < 0 ? tokenEnd(line, colon + 1) : N.scanEnd;
          if (name && N.scanEnd >= 0) {
            b.add(key, step, v, lineNo, undefined, name);
            any = true;
          }
          i = end;
        }
        return any;
      },
      meta,
      ascii,
    );
  },
};
