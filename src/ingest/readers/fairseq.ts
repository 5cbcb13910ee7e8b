/**
 * fairseq / metaseq training logs, three progress formats:
 *   simple: `| epoch 001 |  loss 9.712 | ppl 838.6 | wps 12345 | … | num_updates 100 | lr 0.0005 | gnorm 1.2 | …`
 *           `| epoch 001 | valid on 'valid' subset | loss 7.8 | ppl 222 | num_updates 500`
 *   json:   `… | INFO | train_inner | {"epoch": 1, "update": 0.1, "loss": "9.5", …, "num_updates": "100", …}`
 *           `… | INFO | valid | {"epoch": 1, "valid_loss": "7.8", …, "valid_num_updates": "500"}`
 *   kv:     `… | INFO | train_inner | epoch 001:    100 / 1000 loss=9.5, nll_loss=9.1, ppl=…, num_updates=100, lr=…`
 * Step = `num_updates` (the optimizer step). Numbers are often strings; `loss` → train/loss,
 * `valid_loss` / loss on a valid line → val/loss, `gnorm` → grad_norm, `lr` → lr, `ppl` → train/ppl.
 * End-of-epoch `train` summaries (`| INFO | train | {…}`) are skipped (they repeat the last `train_inner`).
 * Hot path: a json-format `train_inner`/`valid` line whose dict holds only plain numbers (bare or in quotes) is
 * read straight from bytes (each key decoded once, no string per line); anything else (`nan`, a text value, a
 * repeated key, the simple and kv formats) is declined and takes the string path, with the same result.
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { normalizeName } from '../names';
import { makeParser, newRun, scoreSniff } from '../readerKit';
import type { ColumnSeries } from '../series';
import * as A from '../asciiScan';

const SIGNATURE =
  /(?:\| (?:train_inner|valid) \| (?:\{"|epoch \d+)|^\| epoch \d{3}(?: \| (?:valid on|\s*loss \d)|:\s+\d+ \/ \d+ loss=))/m;
const JSON_PAIR = /"([^"]{1,80})":\s*("[^"]{0,64}"|[-+0-9.eEnaif]{1,32})/g;
const KV_PAIR = /([A-Za-z_][\w]*)=([^,\s]+)/g;

function pairsOf(text: string, re: RegExp): Map<string, number> {
  const out = new Map<string, number>();
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const v = parseNumber(m[2]);
    if (v !== undefined) out.set(m[1], v);
  }
  return out;
}

/** `| a 1 | b 2 |` → {a:1, b:2} (the last space separates key and value). */
function pipePairs(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const seg of text.split('|')) {
    const t = seg.trim();
    const sp = t.lastIndexOf(' ');
    if (sp <= 0) continue;
    const v = parseNumber(t.slice(sp + 1));
    if (v !== undefined) out.set(t.slice(0, sp).trim(), v);
  }
  return out;
}

const SKIP = new Set([
  'epoch',
  'update',
  'num_updates',
  'wps',
  'ups',
  'wpb',
  'bsz',
  'wall',
  'train_wall',
  'gb_free',
  'cuda_gb_free',
  'clip',
  'oom',
  'wpb',
  'loss_scale',
]);

/** How `emit` treats a key on a train (`t…`) and on a valid (`v…`) line; its series once made. */
interface KeyInfo {
  key: string;
  /** A series name that is also an Object.prototype property (the run's metrics object would misread it). */
  unsafe: boolean;
  /** 1 = `num_updates`, 2 = `valid_num_updates`. */
  stepKey: number;
  tSkip: boolean;
  vSkip: boolean;
  tName: string;
  vName: string;
  t?: ColumnSeries;
  v?: ColumnSeries;
}

function nameOf(k0: string, valid: boolean): { skip: boolean; name: string } {
  const k = valid ? k0.replace(/^valid_/, '') : k0;
  if (SKIP.has(k) || k.startsWith('valid_')) return { skip: true, name: '' };
  let name = normalizeName(k);
  if (k === 'loss') name = valid ? 'val/loss' : 'train/loss';
  else if (k === 'ppl') name = valid ? 'val/ppl' : 'train/ppl';
  else if (valid) name = 'val/' + name;
  return { skip: false, name };
}

function keyInfo(key: string): KeyInfo {
  const t = nameOf(key, false);
  const v = nameOf(key, true);
  return {
    key,
    unsafe: t.name in Object.prototype || v.name in Object.prototype || key in Object.prototype,
    stepKey: key === 'num_updates' ? 1 : key === 'valid_num_updates' ? 2 : 0,
    tSkip: t.skip,
    vSkip: v.skip,
    tName: t.name,
    vName: v.name,
  };
}

const TRAIN_INNER = A.asciiBytes('| train_inner |');
const VALID = A.asciiBytes('| valid |');

export const fairseqReader: TextReader = {
  format: 'fairseq',
  kind: 'text',
  detect: (sniff) => scoreSniff(sniff, SIGNATURE, 0.8, 0.95),
  create(path, options) {
    const { b, meta } = newRun(path, 'fairseq', options);
    const infos = new Map<string, KeyInfo>();
    const infoOf = (k: string): KeyInfo => {
      let x = infos.get(k);
      if (!x) infos.set(k, (x = keyInfo(k)));
      return x;
    };
    const byteKeys = new A.KeySeq(new A.ByteKeys<KeyInfo>(infoOf));
    const keys: KeyInfo[] = [];
    let values = new Float64Array(64);
    /** The dict `keys[0..n)` → `values` (distinct keys, in order) of a train or valid line. */
    const emitN = (n: number, valid: boolean, lineNo: number): boolean => {
      let upd: number | undefined;
      let vupd: number | undefined;
      for (let j = 0; j < n; j++) {
        if (keys[j].stepKey === 1) upd = values[j];
        else if (keys[j].stepKey === 2) vupd = values[j];
      }
      const step = upd ?? vupd;
      if (step === undefined) return false;
      for (let j = 0; j < n; j++) {
        const k = keys[j];
        if (valid ? k.vSkip : k.tSkip) continue;
        const s = valid ? (k.v ??= b.series(k.key, k.vName)) : (k.t ??= b.series(k.key, k.tName));
        b.addTo(s, step, values[j], lineNo);
      }
      return true;
    };
    const emit = (d: Map<string, number>, valid: boolean, lineNo: number) => {
      if (values.length < d.size) values = new Float64Array(d.size);
      let n = 0;
      for (const [k, v] of d) {
        keys[n] = infoOf(k);
        values[n++] = v;
      }
      return emitN(n, valid, lineNo);
    };
    /**
     * `… | train_inner | {"k": v, …}` (or `| valid |`) + newline from bytes, every value a plain number, bare or
     * quoted — what the string path reads from such a line; −1 with no effect otherwise (see the module doc).
     */
    const ascii = (buf: Uint8Array, start: number, limit: number, lineNo: number): number => {
      // the markers before the first `{` (the dict below has no `|`: keys with one are declined)
      let inner = -1;
      let valid = -1;
      let i = start;
      for (; i <= limit; i++) {
        const c = buf[i];
        if (c === 123 /* { */ || c === 10) break;
        if (c === 124 /* | */) {
          if (inner < 0 && A.asciiAt(buf, i, limit, TRAIN_INNER)) inner = i;
          else if (valid < 0 && A.asciiAt(buf, i, limit, VALID)) valid = i;
        }
      }
      if (buf[i] !== 123 || (inner < 0 && valid < 0)) return -1;
      const at = inner >= 0 ? inner + 15 : valid + 9;
      if (at > i) return -1; // (the `{` inside the marker's own text: leave it to the string path)
      let n = 0;
      for (;;) {
        // "key": value
        if (buf[i + 1] !== 34 /* " */) return -1;
        const ks = i + 2;
        // (the key met at this position last line, compared in place; else scanned and looked up)
        let info = byteKeys.match(buf, ks, n, 34);
        let j = byteKeys.end;
        if (info === undefined) {
          j = ks;
          while (j <= limit && buf[j] !== 34 && buf[j] !== 124 && buf[j] !== 10 && buf[j] !== 92) j++;
          if (buf[j] !== 34 || j === ks || j - ks > 80) return -1;
          info = byteKeys.get(buf, ks, j, n);
        }
        if (info === undefined || info.unsafe || buf[j + 1] !== 58) return -1;
        for (let q = 0; q < n; q++) if (keys[q] === info) return -1; // a repeated key: the string path's Map decides
        i = j + 2;
        while (buf[i] === 32) i++;
        let v: number;
        if (buf[i] === 34) {
          v = A.asciiNumber(buf, i + 1, limit);
          const e = A.numEnd;
          if (e < 0 || buf[e] !== 34 || e - i > 63) return -1; // (parseNumber takes ≤ 64 characters, quotes included)
          i = e + 1;
        } else {
          v = A.asciiNumber(buf, i, limit);
          const e = A.numEnd;
          if (e < 0 || e - i > 32 || (buf[e] !== 44 && buf[e] !== 125)) return -1;
          i = e;
        }
        if (n >= values.length) return -1; // (a dict of more than 64 keys: the string path)
        keys[n] = info;
        values[n++] = v;
        if (buf[i] === 125 /* } */) break;
        if (buf[i] !== 44 || buf[i + 1] !== 32) return -1;
        i++;
      }
      if (i + 1 > limit || buf[i + 1] !== 10) return -1;
      let hasStep = false;
      for (let q = 0; q < n; q++) if (keys[q].stepKey) hasStep = true;
      if (!hasStep) return -1; // the string path returns false: the metadata scanner reads the line
      emitN(n, inner < 0, lineNo);
      return i + 1;
    };
    return makeParser(
      b,
      (line, lineNo) => {
        const inner = line.indexOf('| train_inner |');
        const valid = line.indexOf('| valid |');
        const at = inner >= 0 ? inner : valid;
        if (at >= 0) {
          const rest = line.slice(at + (inner >= 0 ? 15 : 9));
          const brace = rest.indexOf('{');
          const d = brace >= 0 ? pairsOf(rest.slice(brace), JSON_PAIR) : pairsOf(rest, KV_PAIR);
          return emit(d, inner < 0, lineNo);
        }
        if (line.startsWith('| epoch ')) {
          if (line.includes('num_updates=')) return emit(pairsOf(line, KV_PAIR), false, lineNo);
          return emit(pipePairs(line), line.includes('| valid on '), lineNo);
        }
        return false;
      },
      meta,
      ascii,
    );
  },
};
