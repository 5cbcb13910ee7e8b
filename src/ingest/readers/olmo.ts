/**
 * OLMo (allenai/OLMo trainer) logs: tab-separated logger lines
 *   `2025-12-12 11:05:02.009\thost:0\tolmo.train:979\tINFO\t[step=1/15000,epoch=0]`
 * followed by an indented block of metrics with thousands separators:
 *   `    train/CrossEntropyLoss=2.998`, `    optim/total_grad_norm=0.2370`, `    throughput/total_tokens=2,097,152`
 * Each `key=value` line of the block becomes a point at the block's step (time = the header's timestamp, UTC).
 * The block ends at the first line that is not indented `key=value` (so traceback lines never count).
 * `Total number of parameters: …` and the TrainConfig repr (global_train_batch_size × max_sequence_length →
 * tokens per step; run_name) provide metadata.
 * Hot path: the block's `key=value` lines are read straight from bytes (keys interned once per distinct key, values
 * plain or with thousands separators); any other line, and any block line it cannot read exactly as the string
 * path (`nan`, `%`, a value with blanks inside…), takes the string path.
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { normalizeName } from '../names';
import { makeParser, newRun, parseTimestamp, scoreSniff } from '../readerKit';
import type { ColumnSeries } from '../series';
import * as A from '../asciiScan';

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** `\s` among the bytes of an ASCII line (no CR/LF inside a line): tab, VT, FF, space. */
const isWs = (c: number) => c === 32 || c === 9 || c === 11 || c === 12;

const SIGNATURE = /\[step=\d+\/\d+,epoch=\d+\]/m;
const HEADER = /\[step=(\d+)\/(\d+),epoch=\d+\]/;
const KV = /^\s{2,}([A-Za-z][^=\s][^=]*)=(\S+)\s*$/;

export const olmoReader: TextReader = {
  format: 'olmo',
  kind: 'text',
  detect: (sniff) => {
    const s = scoreSniff(sniff, SIGNATURE, 0.85, 0.97);
    if (s > 0) return s;
    return /\tolmo\.[\w.]+:\d+\t/.test(sniff.text) && sniff.text.includes('TrainConfig(') ? 0.75 : 0;
  },
  create(path, options) {
    const { b, meta } = newRun(path, 'olmo', options);
    let step = -1;
    let time: number | undefined;
    let sawConfig = false;
    const keys = new A.ByteKeys<ColumnSeries>((key) => b.series(key, normalizeName(key)));
    /** An indented `key=value` block line (the KV pattern) from bytes; −1 with no effect to decline. */
    const ascii = (buf: Uint8Array, start: number, limit: number, lineNo: number): number => {
      if (step < 0 || (buf[start] !== 32 && buf[start] !== 9)) return -1;
      let i = start;
      while (isWs(buf[i])) i++;
      if (i - start < 2) return -1;
      // key: a letter, a byte that is neither `=` nor a blank, then anything up to the first `=`
      const ks = i;
      if (!isLetter(buf[i]) || buf[i + 1] === 61 || isWs(buf[i + 1]) || buf[i + 1] === 10) return -1;
      i += 2;
      while (i <= limit && buf[i] !== 61 && buf[i] !== 10) i++;
      if (i > limit || buf[i] !== 61) return -1;
      const ke = i;
      // value: non-blanks, then only blanks to the line end
      const vs = ++i;
      while (i <= limit && buf[i] !== 10 && !isWs(buf[i])) i++;
      const ve = i;
      while (i <= limit && isWs(buf[i])) i++;
      if (i > limit || buf[i] !== 10 || ve === vs || ve - vs > 64) return -1; // (parseNumber: ≤ 64 characters)
      let v = A.asciiNumber(buf, vs, ve);
      if (A.numEnd !== ve) {
        v = A.asciiThousands(buf, vs, ve);
        if (v !== v) return -1;
      }
      const series = keys.get(buf, ks, ke);
      if (series === undefined) return -1;
      b.addTo(series, step, v, lineNo, time);
      return i;
    };
    return makeParser(
      b,
      (line, lineNo) => {
        const c = line.charCodeAt(0);
        if (step >= 0 && (c === 32 || c === 9)) {
          const m = KV.exec(line);
          if (m) {
            const v = parseNumber(m[2]);
            if (v !== undefined) b.add(m[1], step, v, lineNo, time, normalizeName(m[1]));
            return true;
          }
        }
        step = -1;
        if (line.includes('[step=')) {
          const m = HEADER.exec(line);
          if (m) {
            step = Number(m[1]);
            time = parseTimestamp(line);
            if (!b.meta.totalSteps) b.setMeta('totalSteps', Number(m[2]), b.at(lineNo, 'log line [step=N/M]'));
            return true;
          }
        }
        if (!sawConfig && line.includes('TrainConfig(')) {
          sawConfig = true;
          configMeta(line, lineNo);
          return true;
        }
        return false;
      },
      meta,
      ascii,
    );

    function configMeta(line: string, lineNo: number): void {
      const get = (k: string) => {
        const m = new RegExp(`[(,\\s]${k}=([^,)]+)`).exec(line);
        return m ? m[1].replace(/^'|'$/g, '') : undefined;
      };
      const name = get('run_name');
      if (name) b.setName(name);
      const gbs = parseNumber(get('global_train_batch_size') ?? '');
      const seq = parseNumber(get('max_sequence_length') ?? '');
      if (gbs && seq)
        b.setMeta(
          'tokensPerStep',
          gbs * seq,
          b.at(lineNo, 'TrainConfig global_train_batch_size × max_sequence_length'),
        );
      for (const k of [
        'global_train_batch_size',
        'max_sequence_length',
        'max_duration',
        'd_model',
        'n_layers',
        'n_heads',
        'seed',
      ]) {
        const v = get(k);
        if (v !== undefined) b.setHparam(k, parseNumber(v) ?? v, b.at(lineNo, 'TrainConfig'));
      }
    }
  },
};
