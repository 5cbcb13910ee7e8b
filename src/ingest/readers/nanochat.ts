/**
 * nanochat (karpathy/nanochat base_train.py) logs:
 *   `step 00100/01000 (10.00%) | loss: 3.123456 | grad norm: 0.5000 | lrm: 1.00 | dt: 123.45ms | tok/sec: 123,456 | mfu: 45.67 | total time: 1.23m`
 *   `Step 00250 | Validation bpb: 0.9876`
 * → train/loss, grad_norm, lrm (LR multiplier), mfu, tok_per_sec; val/bpb; total steps from `/01000`.
 * The fine-tuning scripts print the same line without the total (`step 00010 (22.00%) | loss: 7.89 | …`). A step
 * counter that goes back after its run reached its planned total (a training that finished) starts a new run (the
 * SFT that follows pre-training in a speedrun's log); going back before that is a resume of the same run.
 * Hot path: the `step` line is also read straight from bytes when every kept value is a plain number (or has
 * thousands separators, as tok/sec); any other line takes the string path.
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { makeParser, newRun, scoreSniff } from '../readerKit';
import type { ColumnSeries } from '../series';
import { RunBuilder } from '../runBuilder';
import { MetaScanner } from '../metaLines';
import * as A from '../asciiScan';

const SIGNATURE = /^step \d+\/\d+ \([0-9.]+%\) \| loss: /m;
const HEAD = /^step (\d+)(?:\/(\d+))? \([0-9.]+%\)/;
const VAL = /^Step (\d+) \| Validation bpb: (\S+)/;
const KEEP: Record<string, string> = {
  loss: 'train/loss',
  'grad norm': 'grad_norm',
  lrm: 'lrm',
  mfu: 'mfu',
  'tok/sec': 'tok_per_sec',
};

const KEEP_KEYS = Object.keys(KEEP);
const KEEP_BYTES = KEEP_KEYS.map(A.asciiBytes);
/** Object.prototype's property names: the string path looks keys up in an object literal, so these are declined. */
const PROTO_BYTES = Object.getOwnPropertyNames(Object.prototype).map(A.asciiBytes);
const isBlank = (c: number) => c === 32 || c === 9 || c === 11 || c === 12;

/** Index in `list` of the bytes `b[s..e)`, or −1. */
function indexIn(list: readonly Uint8Array[], b: Uint8Array, s: number, e: number): number {
  outer: for (let k = 0; k < list.length; k++) {
    const kb = list[k];
    if (kb.length !== e - s) continue;
    for (let j = 0; j < kb.length; j++) if (b[s + j] !== kb[j]) continue outer;
    return k;
  }
  return -1;
}

export const nanochatReader: TextReader = {
  format: 'nanochat',
  kind: 'text',
  detect: (sniff) => scoreSniff(sniff, SIGNATURE, 0.85, 0.97),
  create(path, options) {
    const first = newRun(path, 'nanochat', options);
    let b = first.b;
    /** The metadata scanner of the run being read (a new run gets its own: its settings are not the first run's). */
    let meta = first.meta;
    const done: RunBuilder[] = [];
    let series: (ColumnSeries | undefined)[] = [];
    let lastStep = -1;
    /** Called with each step line's step: a step going back after the planned total was reached opens a new run. */
    const at = (step: number) => {
      const total = b.meta.totalSteps?.value;
      if (step < lastStep && total !== undefined && lastStep >= total - 1) {
        done.push(b);
        b = new RunBuilder(path, 'nanochat', `#run ${done.length + 1}`, options?.maxSeriesPoints);
        meta = new MetaScanner(b);
        series = [];
      }
      lastStep = step;
    };
    const found = new Int32Array(32);
    const values = new Float64Array(32);
    /** `step N/M (P%) | key: value | …` from bytes (see the module doc); −1 with no effect to decline. */
    const ascii = (buf: Uint8Array, start: number, limit: number, lineNo: number): number => {
      if (
        buf[start] !== 115 ||
        buf[start + 1] !== 116 ||
        buf[start + 2] !== 101 ||
        buf[start + 3] !== 112 ||
        buf[start + 4] !== 32
      )
        return -1;
      const step = A.asciiUint(buf, start + 5);
      if (step < 0 || buf[A.uintEnd] !== 47) return -1;
      const total = A.asciiUint(buf, A.uintEnd + 1);
      let i = A.uintEnd;
      if (total < 0 || buf[i] !== 32 || buf[i + 1] !== 40) return -1;
      i += 2;
      const p0 = i;
      while ((buf[i] >= 48 && buf[i] <= 57) || buf[i] === 46) i++;
      if (i === p0 || buf[i] !== 37 || buf[i + 1] !== 41) return -1;
      const nl = buf.indexOf(10, i);
      if (nl < 0 || nl > limit) return -1;
      let n = 0;
      let bar = buf.indexOf(124, i);
      while (bar >= 0 && bar < nl) {
        const seg = bar + 1;
        let e = buf.indexOf(124, seg);
        if (e < 0 || e > nl) e = nl;
        let colon = seg;
        while (colon < e && buf[colon] !== 58) colon++;
        if (colon < e) {
          let ks = seg;
          let ke = colon;
          while (ks < ke && isBlank(buf[ks])) ks++;
          while (ke > ks && isBlank(buf[ke - 1])) ke--;
          const k = indexIn(KEEP_BYTES, buf, ks, ke);
          if (k < 0 && indexIn(PROTO_BYTES, buf, ks, ke) >= 0) return -1;
          if (k >= 0) {
            let vs = colon + 1;
            let ve = e;
            while (vs < ve && isBlank(buf[vs])) vs++;
            while (ve > vs && isBlank(buf[ve - 1])) ve--;
            // (parseNumber gives up on tokens longer than 64 characters)
            if (ve === vs || ve - vs > 64 || buf[vs] === 39 || buf[vs] === 34) return -1;
            let v = A.asciiNumber(buf, vs, ve);
            if (A.numEnd !== ve) {
              v = A.asciiThousands(buf, vs, ve);
              if (v !== v) return -1;
            }
            if (n >= found.length) return -1;
            found[n] = k;
            values[n++] = v;
          }
        }
        bar = e;
      }
      at(step);
      if (!b.meta.totalSteps) b.setMeta('totalSteps', total, b.at(lineNo, 'log line step N/M'));
      for (let j = 0; j < n; j++) {
        const k = found[j];
        b.addTo((series[k] ??= b.series(KEEP_KEYS[k], KEEP[KEEP_KEYS[k]])), step, values[j], lineNo);
      }
      return nl;
    };
    const parser = makeParser(
      () => b,
      (line, lineNo) => {
        if (line.startsWith('step ')) {
          const h = HEAD.exec(line);
          if (!h) return false;
          const step = Number(h[1]);
          at(step);
          if (!b.meta.totalSteps && h[2]) b.setMeta('totalSteps', Number(h[2]), b.at(lineNo, 'log line step N/M'));
          for (const seg of line.split('|').slice(1)) {
            const c = seg.indexOf(':');
            if (c < 0) continue;
            const key = seg.slice(0, c).trim();
            const name = KEEP[key];
            if (!name) continue;
            const v = parseNumber(seg.slice(c + 1));
            if (v !== undefined) b.add(key, step, v, lineNo, undefined, name);
          }
          return true;
        }
        if (line.startsWith('Step ')) {
          const v = VAL.exec(line);
          if (!v) return false;
          const x = parseNumber(v[2]);
          const vs = Number(v[1]);
          // (the final validation of a finished run, `Step 00020 | Validation bpb: …`, counts as its last step, and
          // the first validation of the next run opens it)
          at(vs);
          if (x !== undefined) b.add('Validation bpb', vs, x, lineNo, undefined, 'val/bpb');
          return true;
        }
        return false;
      },
      { scan: (text, lineNo) => meta.scan(text, lineNo) },
      ascii,
    );
    const result = parser.result;
    parser.result = () => {
      if (!done.length) return result();
      const parts = [...done, b].map((x) => x.result());
      return { runs: parts.flatMap((r) => r.runs), diagnostics: parts.flatMap((r) => r.diagnostics) };
    };
    return parser;
  },
};
