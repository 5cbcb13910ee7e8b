/**
 * nanochat (karpathy/nanochat base_train.py) logs:
 *   `step 00100/01000 (10.00%) | loss: 3.123456 | grad norm: 0.5000 | lrm: 1.00 | dt: 123.45ms | tok/sec: 123,456 | mfu: 45.67 | total time: 1.23m`
 *   `Step 00250 | Validation bpb: 0.9876`
 * → train/loss, grad_norm, lrm (LR multiplier), mfu, tok_per_sec; val/bpb; total steps from `/01000`.
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { makeParser, newRun, scoreSniff } from '../readerKit';

const SIGNATURE = /^step \d+\/\d+ \([0-9.]+%\) \| loss: /m;
const HEAD = /^step (\d+)\/(\d+) \([0-9.]+%\)/;
const VAL = /^Step (\d+) \| Validation bpb: (\S+)/;
const KEEP: Record<string, string> = { loss: 'train/loss', 'grad norm': 'grad_norm', lrm: 'lrm', mfu: 'mfu', 'tok/sec': 'tok_per_sec' };

export const nanochatReader: TextReader = {
  format: 'nanochat',
  kind: 'text',
  detect: (sniff) => scoreSniff(sniff, SIGNATURE, 0.85, 0.97),
  create(path, options) {
    const { b, meta } = newRun(path, 'nanochat', options);
    return makeParser(
      b,
      (line, lineNo) => {
        if (line.startsWith('step ')) {
          const h = HEAD.exec(line);
          if (!h) return false;
          const step = Number(h[1]);
          if (!b.meta.totalSteps) b.setMeta('totalSteps', Number(h[2]), b.at(lineNo, 'log line step N/M'));
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
          if (x !== undefined) b.add('Validation bpb', Number(v[1]), x, lineNo, undefined, 'val/bpb');
          return true;
        }
        return false;
      },
      meta,
    );
  },
};
