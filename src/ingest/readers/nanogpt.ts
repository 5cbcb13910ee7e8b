/**
 * nanoGPT (karpathy/nanoGPT train.py) stdout:
 *   `iter 5: loss 4.2082, time 1431.27ms, mfu 0.01%`   (some forks: `iter 100/21400: loss …`)
 *   `step 100: train loss 3.4633, val loss 3.4987`      (periodic evaluation)
 *   `number of parameters: 10.65M`, `tokens per iteration will be: 512`
 * `iter` lines → train/loss, iter_time_ms, mfu (the `-100.00%` placeholder of iter 0 is dropped);
 * `step` lines → val/loss and train/loss_eval (the evaluation-batch estimate of the train loss).
 * `nan` losses are kept as NaN points (flagged once). Hot path: prefix check + hand-written scanning; the
 * canonical `iter N: loss X, time Yms, mfu Z%` line is also read straight from bytes (no string decoded), with
 * the same result as the string path, which takes every other line.
 */
import type { TextReader } from '../reader';
import type { ColumnSeries } from '../series';
import { intAt, numberAfter, parseNumber, scanFloat } from '../numbers';
import * as N from '../numbers';
import * as A from '../asciiScan';
import { makeParser, newRun, scoreSniff } from '../readerKit';

const ITER = A.asciiBytes('iter ');
const LOSS = A.asciiBytes(': loss ');
const TIME = A.asciiBytes(', time ');
const MFU = A.asciiBytes('ms, mfu ');

const SIGNATURE = /^(?:iter \d+(?:\/\d+)?: loss \S+, time|step \d+: train loss \S+, val loss)/m;

export const nanogptReader: TextReader = {
  format: 'nanogpt',
  kind: 'text',
  detect: (sniff) => scoreSniff(sniff, SIGNATURE, 0.8, 0.95),
  create(path, options) {
    const { b, meta } = newRun(path, 'nanogpt', options);
    let lossS: ColumnSeries | undefined;
    let timeS: ColumnSeries | undefined;
    let mfuS: ColumnSeries | undefined;
    /** `iter N[/M]: loss X, time Yms, mfu Z%` exactly; anything else is declined (the string path reads it). */
    const ascii = (buf: Uint8Array, start: number, end: number, lineNo: number): number => {
      if (buf[start] !== 105 /* i */ || !A.asciiAt(buf, start, end, ITER)) return -1;
      const step = A.asciiNumber(buf, start + 5, end);
      let i = A.numEnd;
      if (i < 0 || !Number.isInteger(step)) return -1;
      let total = NaN;
      if (buf[i] === 47 /* / */) {
        total = A.asciiNumber(buf, i + 1, end);
        i = A.numEnd;
        if (i < 0) return -1;
      }
      if (!A.asciiAt(buf, i, end, LOSS)) return -1;
      const loss = A.asciiNumber(buf, i + 7, end);
      i = A.numEnd;
      if (i < 0 || !A.asciiAt(buf, i, end, TIME)) return -1;
      const ms = A.asciiNumber(buf, i + 7, end);
      i = A.numEnd;
      if (i < 0 || !A.asciiAt(buf, i, end, MFU)) return -1;
      const mfu = A.asciiNumber(buf, i + 8, end);
      i = A.numEnd;
      if (i < 0 || buf[i] !== 37 /* % */ || i + 1 > end || buf[i + 1] !== 10) return -1;
      if (total === total && !b.meta.totalSteps) b.setMeta('totalSteps', total, b.at(lineNo, 'log line iter N/M'));
      b.addTo((lossS ??= b.series('loss', 'train/loss')), step, loss, lineNo);
      b.addTo((timeS ??= b.series('time', 'iter_time_ms')), step, ms, lineNo);
      if (mfu >= 0) b.addTo((mfuS ??= b.series('mfu', 'mfu')), step, mfu, lineNo);
      return i + 1;
    };
    return makeParser(
      b,
      (line, lineNo) => {
        if (line.startsWith('iter ')) {
          const step = scanFloat(line, 5);
          let i = N.scanEnd;
          if (i < 0 || !Number.isInteger(step)) return false;
          if (line.charCodeAt(i) === 47 /* / */) {
            const tot = scanFloat(line, i + 1);
            if (N.scanEnd < 0) return false;
            if (!b.meta.totalSteps) b.setMeta('totalSteps', tot, b.at(lineNo, 'log line iter N/M'));
            i = N.scanEnd;
          }
          if (!line.startsWith(': loss ', i)) return false;
          const loss = scanFloat(line, i + 7);
          const e1 = N.scanEnd;
          if (e1 < 0) return false;
          b.add('loss', step, loss, lineNo, undefined, 'train/loss');
          const t = line.indexOf('time ', e1);
          if (t >= 0) {
            const ms = scanFloat(line, t + 5);
            if (N.scanEnd >= 0) b.add('time', step, ms, lineNo, undefined, 'iter_time_ms');
          }
          const m = line.indexOf('mfu ', e1);
          if (m >= 0) {
            const mfu = scanFloat(line, m + 4);
            if (N.scanEnd >= 0 && mfu >= 0) b.add('mfu', step, mfu, lineNo, undefined, 'mfu');
          }
          return true;
        }
        if (line.startsWith('step ') && line.includes('val loss')) {
          const it = intAt(line, 5);
          if (!it || !line.startsWith(': ', it[1])) return false;
          const tr = numberAfter(line, 'train loss ');
          const va = numberAfter(line, 'val loss ');
          if (tr !== undefined) b.add('train loss', it[0], tr, lineNo, undefined, 'train/loss_eval');
          if (va !== undefined) b.add('val loss', it[0], va, lineNo, undefined, 'val/loss');
          return tr !== undefined || va !== undefined;
        }
        if (line.startsWith('tokens per iteration will be: ')) {
          const n = parseNumber(line.slice(30));
          if (n !== undefined) b.setMeta('tokensPerStep', n, b.at(lineNo, 'log line "tokens per iteration"'));
          return true;
        }
        return false;
      },
      meta,
      ascii,
    );
  },
};
