/**
 * llm.c (karpathy/llm.c train_gpt2.cu) compact stdout:
 *   `s:12 trl:9.7924 lr:0.000011 norm:3.01`  (train step)
 *   `s:0 tel:11.0092`                          (validation)
 * → train/loss, val/loss, lr, grad_norm. Hot path: prefix `s:` + hand-written key:value scanning.
 */
import type { TextReader } from '../reader';
import { scanFloat, tokenEnd } from '../numbers';
import * as N from '../numbers';
import { makeParser, newRun, scoreSniff } from '../readerKit';

const SIGNATURE = /^s:\d+ t[re]l:/m;
const NAMES: Record<string, string> = { trl: 'train/loss', tel: 'val/loss', lr: 'lr', norm: 'grad_norm' };

export const llmcReader: TextReader = {
  format: 'llmc',
  kind: 'text',
  detect: (sniff) => scoreSniff(sniff, SIGNATURE, 0.85, 0.97),
  create(path, options) {
    const { b, meta } = newRun(path, 'llmc', options);
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
    );
  },
};
