/**
 * modded-nanogpt (KellerJordan/modded-nanogpt) record logs: the training script's source, `nvidia-smi`, then
 *   `step:0/6200 val_loss:10.9264 train_time:285ms step_avg:nanms`
 *   `step:1/6200 train_loss:10.9184 train_time:74701ms step_avg:nanms`
 * → train/loss, val/loss, train_time_ms; total steps from `/6200`. Code lines never match (they start with
 * spaces or Python keywords; the metric lines start with `step:` + digit).
 * The model size is derived from the dumped GPTConfig (`n_layer : int = 12`, `n_embd : int = 768`,
 * `vocab_size : int = 50257`, printed before any step) as 12·L·d² + V·d (Kaplan et al. 2020 non-embedding
 * count 12·L·d² plus the token embedding), provenance "code dump".
 */
import type { TextReader } from '../reader';
import { intAt, parseNumber, tokenEnd } from '../numbers';
import { makeParser, newRun, scoreSniff } from '../readerKit';
import { paramsFromShape } from '../metaFiles';

const SIGNATURE = /^step:\d+\/\d+ (?:val|train)_loss:/m;
const SHAPE = /^\s+(vocab_size|n_layer|n_embd)\s*:\s*int\s*=\s*(\d+)/;

export const moddedNanogptReader: TextReader = {
  format: 'modded-nanogpt',
  kind: 'text',
  detect: (sniff) => scoreSniff(sniff, SIGNATURE, 0.85, 0.97),
  create(path, options) {
    const { b, meta } = newRun(path, 'modded-nanogpt', options);
    const shape: Record<string, number> = {};
    let shapeLine = 0;
    let seenStep = false;
    return makeParser(
      b,
      (line, lineNo) => {
        if (line.startsWith('step:')) {
          const s = intAt(line, 5);
          if (!s) return false;
          let i = s[1];
          if (line.charCodeAt(i) === 47) {
            const tot = intAt(line, i + 1);
            if (tot) {
              if (!b.meta.totalSteps) b.setMeta('totalSteps', tot[0], b.at(lineNo, 'log line step:N/M'));
              i = tot[1];
            }
          }
          seenStep = true;
          // key:value tokens separated by spaces
          while (i < line.length) {
            while (line.charCodeAt(i) === 32) i++;
            const colon = line.indexOf(':', i);
            if (colon < 0) break;
            const key = line.slice(i, colon);
            const end = tokenEnd(line, colon + 1);
            const raw = line.slice(colon + 1, end);
            i = end;
            if (key === 'train_loss' || key === 'val_loss') {
              const v = parseNumber(raw);
              if (v !== undefined) b.add(key, s[0], v, lineNo, undefined, key === 'val_loss' ? 'val/loss' : 'train/loss');
            } else if (key === 'train_time') {
              const v = parseNumber(raw.endsWith('ms') ? raw.slice(0, -2) : raw);
              if (v !== undefined) b.add(key, s[0], v, lineNo, undefined, 'train_time_ms');
            }
          }
          return true;
        }
        if (!seenStep && line.includes(': int =')) {
          const m = SHAPE.exec(line);
          if (m) {
            shape[m[1]] = Number(m[2]);
            shapeLine ||= lineNo;
            const n = paramsFromShape(shape.n_layer, shape.n_embd, shape.vocab_size);
            if (n !== undefined) b.setMeta('params', n, b.at(shapeLine, 'code dump GPTConfig (12·L·d² + V·d)'), true);
          }
          return true;
        }
        return false;
      },
      meta,
    );
  },
};
