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
    const ascii = (buf: Uint8Array, start: number, end: number, lineNo: number): number => {
      // (the literals are compared byte by byte with constants: a generic loop over a literal array was the top
      // entry of this handler's profile)
      if (
        buf[start] !== 105 /* i */ ||
        buf[start + 1] !== 116 ||
        buf[start + 2] !== 101 ||
        buf[start + 3] !== 114 ||
        buf[start + 4] !== 32
      )
        return -1;
      const step = A.asciiNumber(buf, start + 5, end);
      let i = A.numEnd;
      if (i < 0 || !Number.isInteger(step)) return -1;
      let total = NaN;
      if (buf[i] === 47 /* / */) {
        total = A.asciiNumber(buf, i + 1, end);
        i = A.numEnd;
        if (i < 0) return -1;
      }
      // ': loss '
      if (
        buf[i] !== 58 ||
        buf[i + 1] !== 32 ||
        buf[i + 2] !== 108 ||
        buf[i + 3] !== 111 ||
        buf[i + 4] !== 115 ||
        buf[i + 5] !== 115 ||
        buf[i + 6] !== 32
      )
        return -1;
      const loss = A.asciiNumber(buf, i + 7, end);
      i = A.numEnd;
      // ', time '
      if (
        i < 0 ||
        buf[i] !== 44 ||
        buf[i + 1] !== 32 ||
        buf[i + 2] !== 116 ||
        buf[i + 3] !== 105 ||
        buf[i + 4] !== 109 ||
        buf[i + 5] !== 101 ||
        buf[i + 6] !== 32
      )
        return -1;
      const ms = A.asciiNumber(buf, i + 7, end);
      i = A.numEnd;
      // 'ms, mfu '
      if (
        i < 0 ||
        buf[i] !== 109 ||
        buf[i + 1] !== 115 ||
        buf[i + 2] !== 44 ||
        buf[i + 3] !== 32 ||
        buf[i + 4] !== 109 ||
        buf[i + 5] !== 102 ||
        buf[i + 6] !== 117 ||
        buf[i + 7] !== 32
      )
        return -1;
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
  },
};
