/**
 * modded-nanogpt (KellerJordan/modded-nanogpt) record logs: the training script's source, `nvidia-smi`, then
 *   `step:0/6200 val_loss:10.9264 train_time:285ms step_avg:nanms`
 *   `step:1/6200 train_loss:10.9184 train_time:74701ms step_avg:nanms`
 * → train/loss, val/loss, train_time_ms; total steps from `/6200`. Code lines never match (they start with
 * spaces or Python keywords; the metric lines start with `step:` + digit).
 * The model size is derived from the dumped GPTConfig (`n_layer : int = 12`, `n_embd : int = 768`,
 * `vocab_size : int = 50257`, printed before any step) as 12·L·d² + V·d (Kaplan et al. 2020 non-embedding
 * count 12·L·d² plus the token embedding), provenance "code dump".
 * Hot path: `step:N/M key:value …` lines whose values are plain numbers (`ms` after train_time) are read straight
 * from bytes, no string per line; any other step line (nan, quotes, other separators) takes the string path.
 */
import type { TextReader } from '../reader';
import { intAt, parseNumber, tokenEnd } from '../numbers';
import { makeParser, newRun, scoreSniff } from '../readerKit';
import { paramsFromShape } from '../metaFiles';
import type { ColumnSeries } from '../series';
import * as A from '../asciiScan';

/** The keys kept as series, their normalised names, and their bytes. */
const KEPT = [
  ['train_loss', 'train/loss'],
  ['val_loss', 'val/loss'],
  ['train_time', 'train_time_ms'],
] as const;
const KEPT_BYTES = KEPT.map(([k]) => A.asciiBytes(k));
const TRAIN_TIME = 2;

/** tokenEnd's stop bytes: space, tab, `,`, `|`, `}`, `)`, `;` (and the line end). */
const stops = (c: number) =>
  c === 32 || c === 9 || c === 44 || c === 124 || c === 125 || c === 41 || c === 59 || c === 10;

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
    const series: (ColumnSeries | undefined)[] = [];
    const found = new Int32Array(32);
    const values = new Float64Array(32);
    /** `step:N[/M] key:value …` from bytes (see the module doc); −1 with no effect to decline. */
    const ascii = (buf: Uint8Array, start: number, limit: number, lineNo: number): number => {
      if (
        buf[start] !== 115 ||
        buf[start + 1] !== 116 ||
        buf[start + 2] !== 101 ||
        buf[start + 3] !== 112 ||
        buf[start + 4] !== 58
      )
        return -1;
      let i = start + 5;
      const step = A.asciiUint(buf, i);
      if (step < 0) return -1;
      i = A.uintEnd;
      let total = -1;
      if (buf[i] === 47) {
        const t = A.asciiUint(buf, i + 1);
        if (t >= 0) {
          total = t;
          i = A.uintEnd;
        }
      }
      let n = 0;
      for (;;) {
        while (buf[i] === 32) i++;
        if (buf[i] === 10) break;
        // key up to its colon; then the value token up to tokenEnd's stop bytes
        const ks = i;
        while (i <= limit && buf[i] !== 58 && buf[i] !== 10) i++;
        if (i > limit || buf[i] !== 58) return -1;
        const k = A.keyIndexOf(KEPT_BYTES, buf, ks, i);
        const vs = i + 1;
        let ve = vs;
        while (ve <= limit && !stops(buf[ve])) ve++;
        if (ve > limit) return -1;
        if (buf[ve] !== 32 && buf[ve] !== 10) return -1; // another separator: the string path
        if (k >= 0) {
          let end = ve;
          if (k === TRAIN_TIME && end - vs >= 2 && buf[end - 2] === 109 /* m */ && buf[end - 1] === 115 /* s */)
            end -= 2;
          if (buf[vs] === 32 || end - vs > 64) return -1; // (parseNumber: ≤ 64 characters)
          const v = A.asciiNumber(buf, vs, end);
          if (A.numEnd !== end || n >= found.length) return -1;
          found[n] = k;
          values[n++] = v;
        }
        i = ve;
      }
      if (i > limit) return -1;
      if (total >= 0 && !b.meta.totalSteps) b.setMeta('totalSteps', total, b.at(lineNo, 'log line step:N/M'));
      seenStep = true;
      for (let j = 0; j < n; j++) {
        const k = found[j];
        b.addTo((series[k] ??= b.series(KEPT[k][0], KEPT[k][1])), step, values[j], lineNo);
      }
      return i;
    };
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
              if (v !== undefined)
                b.add(key, s[0], v, lineNo, undefined, key === 'val_loss' ? 'val/loss' : 'train/loss');
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
      ascii,
    );
  },
};
