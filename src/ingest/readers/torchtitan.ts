/**
 * torchtitan (pytorch/torchtitan) logs, ANSI colour codes stripped first:
 *   `[titan] 2025-01-01 12:00:10,123 - root - INFO - step: 10  loss:  9.3047  grad_norm:  1.2345  memory: 25.17GiB(31.84%)  tps: 5,432  tflops: 123.45  mfu: 12.34%`
 *   `… - INFO - validate step: 100  loss:  5.1234  memory: …`
 * → train/loss (val/loss for `validate step`), grad_norm, tps, tflops, mfu; time from the timestamp (UTC).
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { makeParser, newRun, parseTimestamp, scoreSniff, stripAnsi } from '../readerKit';

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

export const torchtitanReader: TextReader = {
  format: 'torchtitan',
  kind: 'text',
  detect: (sniff) => scoreSniff({ ...sniff, text: stripAnsi(sniff.text) }, SIGNATURE, 0.8, 0.95),
  create(path, options) {
    const { b, meta } = newRun(path, 'torchtitan', options);
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
    );
  },
};
