/**
 * LitGPT (Lightning-AI/litgpt) logs:
 *   fine-tune: `Epoch 1 | iter 10 step 5 | loss train: 9.123, val: n/a | iter time: 123.45 ms (step) remaining time: …`
 *   older:     `iter 10 step 5: loss 9.1234, iter time: 1234.56ms (optimizer.step)`
 *   validation `iter 100: val loss 7.1234, val time: 4567.89 ms`  /  `Epoch 1 | iter 100 step 50 | loss train: 5.1, val: 5.3 |`
 * The `val:` field of training lines only repeats the last validation, so it makes no point.
 * Step = the optimizer step (`step N`); validation lines that only give `iter N` use the last optimizer step seen
 * at or before that iter (tracked from training lines). → train/loss, val/loss, iter_time_ms.
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { makeParser, newRun, scoreSniff } from '../readerKit';

const SIGNATURE = /(?:^|\| )iter \d+ step \d+(?::| \|) loss /m;
const TRAIN = /iter (\d+) step (\d+)(?::| \|) loss (?:train: )?([^\s,]+)(?:, val: ([^\s,|]+))?/;
const VAL = /^iter (\d+): val loss ([^\s,]+)/;
const ITER_TIME = /iter time: ([0-9.]+) ?ms/;

export const litgptReader: TextReader = {
  format: 'litgpt',
  kind: 'text',
  detect: (sniff) => scoreSniff(sniff, SIGNATURE, 0.8, 0.95),
  create(path, options) {
    const { b, meta } = newRun(path, 'litgpt', options);
    let lastStep = 0;
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
    );
  },
};
