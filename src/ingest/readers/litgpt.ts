/**
 * LitGPT (Lightning-AI/litgpt) logs:
 *   fine-tune: `Epoch 1 | iter 10 step 5 | loss train: 9.123, val: n/a | iter time: 123.45 ms (step) remaining time: …`
 *   older:     `iter 10 step 5: loss 9.1234, iter time: 1234.56ms (optimizer.step)`
 *   validation `iter 100: val loss 7.1234, val time: 4567.89 ms`  /  `Epoch 1 | iter 100 step 50 | loss train: 5.1, val: 5.3 |`
 * The `val:` field of training lines only repeats the last validation, so it makes no point.
 * Step = the optimizer step (`step N`); validation lines that only give `iter N` use the last optimizer step seen
 * at or before that iter (tracked from training lines). → train/loss, val/loss, iter_time_ms.
 * Hot path: a training line whose first `iter ` starts the `iter N step N… loss X` match, with a plain-number
 * loss and (if any) a plain `iter time:`, is read straight from bytes (no string per line); anything else is
 * declined and takes the string path, with the same result.
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { makeParser, newRun, scoreSniff } from '../readerKit';
import type { ColumnSeries } from '../series';
import * as A from '../asciiScan';

const SIGNATURE = /(?:^|\| )iter \d+ step \d+(?::| \|) loss /m;
const TRAIN = /iter (\d+) step (\d+)(?::| \|) loss (?:train: )?([^\s,]+)(?:, val: ([^\s,|]+))?/;
const VAL = /^iter (\d+): val loss ([^\s,]+)/;
const ITER_TIME = /iter time: ([0-9.]+) ?ms/;

const ITER_ = A.asciiBytes('iter ');
const STEP_ = A.asciiBytes(' step ');
const LOSS_ = A.asciiBytes(' loss ');
const TRAIN_ = A.asciiBytes('train: ');
const ITER_TIME_ = A.asciiBytes('iter time: ');

export const litgptReader: TextReader = {
  format: 'litgpt',
  kind: 'text',
  detect: (sniff) => scoreSniff(sniff, SIGNATURE, 0.8, 0.95),
  create(path, options) {
    const { b, meta } = newRun(path, 'litgpt', options);
    let lastStep = 0;
    let lossS: ColumnSeries | undefined;
    let timeS: ColumnSeries | undefined;
    /** A training line (see the module doc) from bytes; −1 with no effect otherwise. */
    const ascii = (buf: Uint8Array, start: number, limit: number, lineNo: number): number => {
      // TRAIN: its match starts at the first `iter ` (a later one would be the regex's match: declined)
      let it = start;
      for (; ; it++) {
        if (it > limit || buf[it] === 10) return -1;
        if (buf[it] === 105 /* i */ && A.asciiAt(buf, it, limit + 1, ITER_)) break;
      }
      A.asciiUint(buf, it + 5);
      let i = A.uintEnd;
      if (i === it + 5 || !A.asciiAt(buf, i, limit + 1, STEP_)) return -1;
      const step = A.asciiUint(buf, i + 6);
      i = A.uintEnd;
      if (step < 0) return -1;
      if (buf[i] === 58 /* : */) i++;
      else if (buf[i] !== 32 || buf[i + 1] !== 124 /* | */) return -1;
      else i += 2;
      if (!A.asciiAt(buf, i, limit + 1, LOSS_)) return -1;
      i += 6;
      if (A.asciiAt(buf, i, limit + 1, TRAIN_)) i += 7;
      // the loss token `[^\s,]+`, a plain number
      if (buf[i] === 32) return -1;
      const loss = A.asciiNumber(buf, i, limit);
      const le = A.numEnd;
      if (le < 0 || le - i > 64 || !(buf[le] === 44 || A.isSpace(buf[le]))) return -1;
      // ITER_TIME: the first `iter time: ` of the line — none can start before `le` (the text up to there is the
      // first `iter ` and the TRAIN match) — then the newline, in one pass
      let tt = -1;
      let nl = le;
      for (; nl <= limit; nl++) {
        const c = buf[nl];
        if (c === 10) break;
        if (c === 105 && A.asciiAt(buf, nl, limit + 1, ITER_TIME_)) {
          tt = nl;
          // (then only the newline is looked for, one test per byte)
          for (nl += 11; nl <= limit && buf[nl] !== 10; nl++);
          break;
        }
      }
      if (nl > limit) return -1;
      let ms = NaN;
      if (tt >= 0) {
        const ts = tt + 11;
        const c = buf[ts];
        if (!((c >= 48 && c <= 57) || c === 46)) return -1;
        ms = A.asciiNumber(buf, ts, nl);
        let e = A.numEnd;
        if (e < 0) return -1;
        const ec = buf[e];
        if ((ec >= 48 && ec <= 57) || ec === 46 || ec === 101 || ec === 69) return -1; // (`1.2.3`, `1e5`: Number differs)
        for (let k = ts; k < e; k++) if (buf[k] !== 46 && (buf[k] < 48 || buf[k] > 57)) return -1; // (an exponent)
        if (buf[e] === 32) e++;
        if (buf[e] !== 109 /* m */ || buf[e + 1] !== 115 /* s */) return -1;
      }
      lastStep = step;
      b.addTo((lossS ??= b.series('loss', 'train/loss')), step, loss, lineNo);
      if (tt >= 0) b.addTo((timeS ??= b.series('iter time', 'iter_time_ms')), step, ms, lineNo);
      return nl;
    };
    return makeParser(
      b,
      (line, lineNo) => {
        if (!line.includes('iter ')) return false;
        const t = TRAIN.exec(line);
        if (t) {
          const step = Number(t[2]);
          lastStep = step;
          const loss = parseNumber(t[3]);
          if (loss !== undefined) b.add('loss', step, loss, lineNo, undefined, 'train/loss');
          // `val: X` on training lines repeats the LAST validation result; the `iter N: val loss` line made that point.
          const it = ITER_TIME.exec(line);
          if (it) b.add('iter time', step, Number(it[1]), lineNo, undefined, 'iter_time_ms');
          return true;
        }
        const v = VAL.exec(line);
        if (v) {
          const val = parseNumber(v[2]);
          if (val !== undefined) b.add('val loss', lastStep, val, lineNo, undefined, 'val/loss');
          return true;
        }
        return false;
      },
      meta,
      ascii,
    );
  },
};
