/**
 * nanoGPT (karpathy/nanoGPT train.py) stdout:
 *   `iter 5: loss 4.2082, time 1431.27ms, mfu 0.01%`   (some forks: `iter 100/21400: loss …`)
 *   `step 100: train loss 3.4633, val loss 3.4987`      (periodic evaluation)
 *   `number of parameters: 10.65M`, `tokens per iteration will be: 512`
 * `iter` lines → train/loss, iter_time_ms, mfu (the `-100.00%` placeholder of iter 0 is dropped);
 * `step` lines → val/loss and train/loss_eval (the evaluation-batch estimate of the train loss).
 * Configuration (nanoGPT's configurator prints the config file, then each command-line override):
 *   `max_iters = 5000  # comment` (config file), `Overriding: max_iters = 2000` (command line, printed after the
 *   file, so it wins), and `print(config)` dict reprs `{… 'max_iters': 600000, …}` → totalSteps = max_iters (the
 *   loop runs iterations 0…max_iters); the training hyper-parameters among them → hparams.
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

const SIGNATURE = /^(?:iter \d+(?:\/\d+)?: loss \S+, time|step \d+: train loss \S+, val loss)/m;

/** nanoGPT config keys kept as hyper-parameters (train.py's training settings). */
const CONFIG_KEYS = new Set([
  'max_iters',
  'lr_decay_iters',
  'warmup_iters',
  'learning_rate',
  'min_lr',
  'decay_lr',
  'batch_size',
  'block_size',
  'gradient_accumulation_steps',
  'n_layer',
  'n_head',
  'n_embd',
  'dropout',
  'bias',
  'weight_decay',
  'beta1',
  'beta2',
  'grad_clip',
  'dataset',
  'eval_interval',
  'eval_iters',
  'log_interval',
  'init_from',
]);
const ASSIGN = /^(Overriding: )?([a-z_][a-z0-9_]*) = (.*)$/;
const DICT_MAX_ITERS = /'max_iters': (\d+)[,}]/;

/** Points of the byte path held before they are appended to their series (see `flush`). */
const PENDING = 1024;

/** Four ASCII characters as the little-endian word `DataView.getUint32(i, true)` reads from their bytes. */
const word = (s: string): number =>
  (s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24)) >>> 0;
const W_ITER = word('iter');
const W_COLON_LO = word(': lo');
const W_OSS = word('oss ');
const W_COMMA_TI = word(', ti');
const W_IME = word('ime ');
const W_MS = word('ms, ');
const W_MFU = word('mfu ');

/** A Python literal as the configurator prints it: number, True/False, quoted string; a trailing comment dropped. */
function configValue(raw: string): string | number | boolean {
  let s = raw.trim();
  const q = s.charCodeAt(0);
  if (q === 39 || q === 34) {
    const end = s.indexOf(s[0], 1);
    return end > 0 ? s.slice(1, end) : s.slice(1);
  }
  const hash = s.indexOf('#');
  if (hash >= 0) s = s.slice(0, hash).trim();
  if (s === 'True') return true;
  if (s === 'False') return false;
  return parseNumber(s) ?? s;
}

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
    let dvOf: Uint8Array | undefined;
    let dv: DataView = new DataView(new ArrayBuffer(0));
    const ascii = (buf: Uint8Array, start: number, end: number, lineNo: number): number => {
      // The literals are compared four bytes at a time (little-endian words, overlapping for 7-byte ones; issue 17:
      // 27 byte comparisons a line were most of this handler's own time), each after a bound check so that no read
      // leaves the line's limit (`end`) — a literal past it would decline later anyway.
      if (buf !== dvOf) {
        dvOf = buf;
        dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      }
      if (start + 5 > end || dv.getUint32(start, true) !== W_ITER || buf[start + 4] !== 32) return -1;
      // each number by numberAt (the common case by decimalAt, else asciiNumber: same values, asciiScan.ts)
      let i = A.numberAt(buf, start + 5, end);
      const step = A.decimal[0];
      if (i < 0 || !Number.isInteger(step)) return -1;
      let total = NaN;
      if (buf[i] === 47 /* / */) {
        total = A.asciiNumber(buf, i + 1, end);
        i = A.numEnd;
        if (i < 0) return -1;
      }
      // ': loss '
      if (i + 7 > end || dv.getUint32(i, true) !== W_COLON_LO || dv.getUint32(i + 3, true) !== W_OSS) return -1;
      const lossAt = i + 7;
      i = A.numberAt(buf, lossAt, end);
      const loss = A.decimal[0];
      // ', time '
      if (i < 0 || i + 7 > end || dv.getUint32(i, true) !== W_COMMA_TI || dv.getUint32(i + 3, true) !== W_IME)
        return -1;
      const msAt = i + 7;
      i = A.numberAt(buf, msAt, end);
      const ms = A.decimal[0];
      // 'ms, mfu '
      if (i < 0 || i + 8 > end || dv.getUint32(i, true) !== W_MS || dv.getUint32(i + 4, true) !== W_MFU) return -1;
      const mfuAt = i + 8;
      i = A.numberAt(buf, mfuAt, end);
      const mfu = A.decimal[0];
      if (i < 0 || buf[i] !== 37 /* % */ || i + 1 > end || buf[i + 1] !== 10) return -1;
      if (total === total && !b.meta.totalSteps) b.setMeta('totalSteps', total, b.at(lineNo, 'log line iter N/M'));
      // the series are made here, in the order the string path makes them (their order in the result)
      lossS ??= b.series('loss', 'train/loss');
      timeS ??= b.series('time', 'iter_time_ms');
      if (mfu >= 0) mfuS ??= b.series('mfu', 'mfu');
      if (loss - loss !== 0 || ms - ms !== 0 || mfu - mfu !== 0) {
        // a non-finite value (a huge exponent): added now, through the builder, which reports it at this line
        flush();
        b.addTo(lossS, step, loss, lineNo);
        b.addTo(timeS, step, ms, lineNo);
        if (mfu >= 0) b.addTo(mfuS!, step, mfu, lineNo);
        return i + 1;
      }
      const k = pending++;
      pStep[k] = step;
      pLoss[k] = loss;
      pMs[k] = ms;
      pMfu[k] = mfu;
      if (pending === PENDING) flush();
      return i + 1;
    };
    // The byte path's points wait in these columns and are appended in bulk (issue 17: three builder calls a line
    // passed their doubles boxed, 178 MB of garbage on the bench's 200 MB log, and were the next entries of the
    // profile). Everything else that touches the series flushes them first — the string path's lines and result()
    // — so the points reach each series in line order, as before.
    const pStep = new Float64Array(PENDING);
    const pLoss = new Float64Array(PENDING);
    const pMs = new Float64Array(PENDING);
    const pMfu = new Float64Array(PENDING);
    let pending = 0;
    const flush = (): void => {
      const n = pending;
      if (n === 0) return;
      pending = 0;
      const ls = lossS!;
      const ts = timeS!;
      for (let k = 0; k < n; k++) {
        const st = pStep[k];
        ls.append(st, pLoss[k]);
        ts.append(st, pMs[k]);
        if (pMfu[k] >= 0) mfuS!.append(st, pMfu[k]);
      }
    };
    const parser = makeParser(
      b,
      (line, lineNo) => {
        flush();
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
        if (line.includes(' = ')) {
          const m = ASSIGN.exec(line);
          if (!m || !CONFIG_KEYS.has(m[2])) return false;
          const override = m[1] !== undefined;
          const how = override ? `command-line override "Overriding: ${m[2]}"` : `config file line "${m[2]} = …"`;
          const v = configValue(m[3]);
          b.setHparam(m[2], v, b.at(lineNo, how), override);
          if (m[2] === 'max_iters' && typeof v === 'number') b.setMeta('totalSteps', v, b.at(lineNo, how), override);
          return true;
        }
        if (line.includes("'max_iters': ")) {
          const m = DICT_MAX_ITERS.exec(line);
          if (m) b.setMeta('totalSteps', Number(m[1]), b.at(lineNo, "config dict 'max_iters'"));
          return false; // the metadata scanner may still find something in the dict
        }
        return false;
      },
      meta,
      ascii,
    );
    const result = parser.result;
    parser.result = () => {
      flush();
      return result();
    };
    return parser;
  },
};
