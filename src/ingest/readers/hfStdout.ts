/**
 * Hugging Face Trainer stdout: the `Trainer.log` dicts printed as Python reprs, between tqdm bars.
 *   `{'loss': 2.897, 'learning_rate': 2.26e-05, 'epoch': 0.04}`           (older transformers: numbers)
 *   `{'loss': '2.897', 'grad_norm': '0.7695', …, 'epoch': '0.03579'}`    (newer: strings)
 *   `{'eval_loss': '0.7417', …, 'epoch': '1'}`, final `{'train_runtime': …, 'train_loss': …}`
 * tqdm writes `\r` inside lines; the incremental reader splits on `\r`, so each dict arrives as its own line.
 *
 * Steps: the stdout dicts carry no step, and the tqdm position printed next to them is not reliable (stdout is
 * block-buffered while tqdm writes stderr unbuffered: in the sample, ten dicts appear after the bar already shows
 * step 480). We therefore use, in order: a `step`/`global_step` key when present; otherwise the ORDINAL of the
 * training-log dict (1, 2, 3, … = logging events). Eval dicts take the ordinal of the last training dict.
 * The `epoch` value of every dict is kept as an `epoch` series so consumers can re-map to epochs.
 * `nan`/`inf` (bare or quoted) are kept as non-finite points. `eval_*` keys → validation names.
 * Hot path: a dict line `{'k': v, …}` whose values are all plain numbers (bare or quoted) is read straight from
 * bytes (no string per line; each key decoded once); anything else — a prefix before the `{`, `nan`, a text or
 * `None` value, a repeated key, the final summary — is declined and takes the string path, with the same result.
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { normalizeName } from '../names';
import { makeParser, newRun, scoreSniff, stripAnsi } from '../readerKit';
import type { ColumnSeries } from '../series';
import * as A from '../asciiScan';
import { prefixEnd } from '../infer/prefix';

/** The end of a tqdm bar: `| 200/8264 [23:37<15:44:25,  7.03s/it]`. */
const TQDM_END = /\|\s*\d+\/\d+ \[[^\]]*\]\s*$/;
/** A tqdm bar's `N/M [` counter (M: the bar's total). */
const TQDM_COUNT = /\|\s*\d+\/(\d+) \[[^\]]*\]/;
/**
 * A tqdm bar's count and its elapsed<remaining times, drawn with or without its bar (a notebook's saved output keeps
 * only `20% 266/1330 [02:49<09:37,  1.84it/s]`): N and M.
 */
const TQDM_MID = /(?:^|[\s|])(\d+)\/(\d+) \[\d+(?::\d+)+<\d+(?::\d+)+/;
const SIGNATURE = /^\{'(?:loss|eval_loss|train_runtime)': /m;
const PAIR = /'([^'\\]{1,100})': ('[^']{0,64}'|"[^"]{0,64}"|[^,}]{1,64})/g;

/** key → value pairs of a Python dict repr line (non-numeric values are skipped). */
export function parsePyDict(line: string): Map<string, number> {
  const out = new Map<string, number>();
  PAIR.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PAIR.exec(line))) {
    const v = parseNumber(m[2]);
    if (v !== undefined) out.set(m[1], v);
  }
  return out;
}

/** A dict key, met once per run: what the emitter needs to know about it (and its series, once made). */
interface KeyInfo {
  key: string;
  /** A series name that is also an Object.prototype property (the run's metrics object would misread it). */
  unsafe: boolean;
  /** 1 = `step`, 2 = `global_step`, 0 otherwise. */
  stepKey: number;
  isLoss: boolean;
  isEval: boolean;
  isRuntime: boolean;
  /** The series name on a training dict / on an eval dict. */
  trainName: string;
  evalName: string;
  train?: ColumnSeries;
  eval?: ColumnSeries;
}

/** The Trainer's own loss keys: the only keys whose values are the training / the validation loss. */
const LOSS_KEYS = new Set(['loss', 'eval_loss']);
/** The series names of the Trainer's own loss keys (`train/loss`, `val/loss`). */
const LOSS_NAMES = new Set([...LOSS_KEYS].map(normalizeName));

/**
 * The series name of a dict key: its normalized name, except that a key other than the Trainer's own `loss` /
 * `eval_loss` keeps its own name where normalizing would give it the loss's (`lm_loss`, `eval_lm_loss` printed
 * beside `loss` by a custom `compute_loss`): two keys of one dict never feed one series twice per step.
 */
export function dictKeySeriesName(key: string): string {
  const name = normalizeName(key);
  return LOSS_NAMES.has(name) && !LOSS_KEYS.has(key) ? key : name;
}

function keyInfo(key: string): KeyInfo {
  const name = dictKeySeriesName(key);
  return {
    key,
    unsafe: name in Object.prototype || key in Object.prototype,
    stepKey: key === 'step' ? 1 : key === 'global_step' ? 2 : 0,
    isLoss: key === 'loss',
    isEval: key.startsWith('eval_'),
    isRuntime: key === 'train_runtime',
    trainName: key === 'epoch' ? 'epoch' : name,
    evalName: key === 'epoch' ? 'val/epoch' : name,
  };
}

/**
 * Is `e2` the epoch `e1` rounded for printing: written with d decimals, `e1` with more, `e1` within half a unit of
 * `e2`'s last decimal (Python rounds a tie to even, `round(0.125, 2)` is 0.12: either neighbour of a tie is a
 * rounding)?
 */
function roundedFrom(e1: number, e2: number): boolean {
  let d = 0;
  while (d <= 6 && Number(e2.toFixed(d)) !== e2) d++;
  return d <= 6 && Number(e1.toFixed(d)) !== e1 && Math.abs(e1 - e2) <= 0.5 * 10 ** -d * (1 + 1e-9);
}

export const hfStdoutReader: TextReader = {
  format: 'hf-stdout',
  kind: 'text',
  detect: (sniff) => {
    const s = scoreSniff(sniff, SIGNATURE, 0.8, 0.95);
    if (s > 0) return s;
    // Trainer banner lines, before the first dict is printed.
    // Bounded, newline-free quantifiers: `^\s*` (with /m) and `\d+\/` rescanned blank-/digit-heavy sniffs from every
    // position — O(n²), seconds to minutes on 256 KiB.
    const hints = [
      /^[ \t]*\*{5} Running training \*{5}/m,
      /trainable params: [\d,]+ \|\| all params: [\d,]+/m,
      /\d{1,12}\/\d{1,12} \[\d{1,6}:\d{1,6}<[^\]\n]{0,200}it\/s\]/m,
    ];
    return hints.filter((h) => h.test(sniff.text)).length >= 2 ? 0.6 : 0;
  },
  create(path, options) {
    const { b, meta } = newRun(path, 'hf-stdout', options);
    let ordinal = 0;
    const infos = new Map<string, KeyInfo>();
    const infoOf = (k: string): KeyInfo => {
      let x = infos.get(k);
      if (!x) infos.set(k, (x = keyInfo(k)));
      return x;
    };
    const byteKeys = new A.KeySeq(new A.ByteKeys<KeyInfo>(infoOf));
    const keys: KeyInfo[] = [];
    let values = new Float64Array(64);
    /**
     * The total of the latest tqdm bar (`  1%|   | 1/160 [00:22<59:45, 22.55s/it]`), read until the first training
     * dict: the bar drawn before it is the training loop's, and its total is the planned number of steps (an
     * evaluation bar is drawn after training dicts, so it is not the one read).
     */
    let barTotal = 0;
    /** The last evaluation dict written (its keys, values and step), to tell the same dict printed again. */
    let lastEval: { keys: KeyInfo[]; values: Float64Array; step: number } | undefined;
    /**
     * The keys of the evaluation dict `keys[0..n)` → `values` that the last one, at the same step, already wrote with
     * the same values: the same evaluation printed again (a callback and the Trainer both print it; Qwen2.5-VL's
     * fine-tune prints each `{'eval_loss': …}` twice, the second with more keys) is one point, not two. Empty when it
     * is a new evaluation.
     */
    const printedAgain = (n: number, step: number): Set<KeyInfo> => {
      const last = lastEval;
      const again = new Set<KeyInfo>();
      if (last && last.step === step) {
        let all = true;
        for (let i = 0; i < last.keys.length && all; i++) {
          const j = keys.indexOf(last.keys[i]);
          all =
            j >= 0 &&
            j < n &&
            (Object.is(values[j], last.values[i]) ||
              (keys[j].key === 'epoch' && roundedFrom(last.values[i], values[j])));
          if (all) again.add(last.keys[i]);
        }
        if (!all) again.clear();
      }
      lastEval = { keys: keys.slice(0, n), values: values.slice(0, n), step };
      return again;
    };
    /**
     * The last training dict written (its keys and values, `lastN` of them; −1: none yet), to tell the same dict
     * printed again: buffers reused from line to line (no allocation per dict).
     */
    const lastKeys: KeyInfo[] = [];
    let lastValues = new Float64Array(64);
    let lastN = -1;
    /**
     * Is the training dict `keys[0..n)` → `values` the last one printed again: the same keys with the same values
     * (NaN too), its `epoch` the last one's rounded (a callback prints the exact epoch, `'epoch': 0.158333…`, then the
     * Trainer the same dict with the epoch rounded, `'epoch': 0.16`), or the same many-digit epoch (an exact epoch
     * is never shared by two logging events), or the same epoch in a log already seen printing each dict twice, right
     * after a new one (an exact `0.05` printed again as `0.05`)? Then it is one logging event, not two. Two events
     * that merely repeat a loss differ in their epoch (the later one's is larger than the earlier one's rounding).
     */
    const trainAgain = (n: number): boolean => {
      const again = printedTwice(n);
      if (again) reprints++;
      lastNew = !again;
      return again;
    };
    /** Training dicts found printed again so far (by the epoch's rounding), and was the last one a new event? */
    let reprints = 0;
    let lastNew = false;
    const printedTwice = (n: number): boolean => {
      const again = sameAsLast(n);
      if (lastValues.length < n) lastValues = new Float64Array(Math.max(n, lastValues.length * 2));
      for (let j = 0; j < n; j++) {
        lastKeys[j] = keys[j];
        lastValues[j] = values[j];
      }
      lastN = n;
      return again;
    };
    const sameAsLast = (n: number): boolean => {
      if (lastN !== n) return false;
      let epoch = -1;
      for (let j = 0; j < n; j++) {
        if (lastKeys[j] !== keys[j]) return false;
        if (keys[j].key === 'epoch') epoch = j;
        else if (!Object.is(values[j], lastValues[j])) return false;
      }
      if (epoch < 0) return false;
      const e1 = lastValues[epoch];
      const e2 = values[epoch];
      // the same epoch: a second print when it is exact (many digits), or when this log was seen printing its dicts
      // twice and the last dict was a new event
      if (e1 === e2) return Number(e1.toFixed(2)) !== e1 || (reprints > 0 && lastNew);
      return roundedFrom(e1, e2);
    };
    /** The dict `keys[0..n)` → `values` (distinct keys, in order): the reader's rules for one dict line. */
    const emit = (n: number, lineNo: number): boolean => {
      let isTrain = false;
      let isEval = false;
      let runtime = false;
      let hasStep = false;
      let stepV: number | undefined;
      let gstepV: number | undefined;
      for (let j = 0; j < n; j++) {
        const k = keys[j];
        if (k.stepKey === 1) {
          hasStep = true;
          stepV = values[j];
        } else if (k.stepKey === 2) gstepV = values[j];
        if (k.isLoss) isTrain = true;
        if (k.isEval) isEval = true;
        if (k.isRuntime) runtime = true;
      }
      const explicit = stepV ?? gstepV;
      if (runtime) {
        for (let j = 0; j < n; j++) b.setHparam(keys[j].key, values[j], b.at(lineNo, 'final Trainer summary'));
        return true;
      }
      if (!isTrain && !isEval) return false;
      // the same logging event printed again (`trainAgain`): nothing new
      if (isTrain && explicit === undefined && trainAgain(n)) return true;
      if (isTrain) ordinal++;
      if (isTrain && barTotal > 0 && !b.meta.totalSteps) {
        b.setMeta('totalSteps', barTotal, b.at(lineNo, 'tqdm bar N/M drawn before the first training dict'));
        barTotal = -1;
      }
      const step = explicit ?? ordinal;
      const again = isTrain ? undefined : printedAgain(n, step);
      if (!b.meta.stepAxis || (explicit !== undefined && b.meta.stepAxis.value === 'record order'))
        b.meta.stepAxis =
          explicit !== undefined
            ? { value: hasStep ? 'step' : 'global_step', source: b.at(lineNo, 'Trainer dict key') }
            : {
                value: 'record order',
                source: b.at(lineNo, 'the dicts carry no step: training-log dicts numbered 1, 2, 3, …'),
              };
      for (let j = 0; j < n; j++) {
        const k = keys[j];
        if (k.stepKey || again?.has(k)) continue;
        const s = isTrain ? (k.train ??= b.series(k.key, k.trainName)) : (k.eval ??= b.series(k.key, k.evalName));
        b.addTo(s, step, values[j], lineNo);
      }
      return true;
    };
    /**
     * `{'k': v, 'k2': v2}` + newline from bytes, every value a plain number (bare, or in single quotes) — exactly
     * what `parsePyDict` reads from such a line; −1 with no effect otherwise (see the module doc).
     */
    const ascii = (buf: Uint8Array, start: number, limit: number, lineNo: number): number => {
      if (buf[start] !== 123 /* { */ || buf[start + 1] !== 39 /* ' */) return -1;
      let i = start + 1;
      let n = 0;
      for (;;) {
        // 'key': value
        const ks = i + 1;
        // (the key met at this position last line, compared in place; else scanned and looked up)
        let info = byteKeys.match(buf, ks, n, 39);
        let j = byteKeys.end;
        if (info === undefined) {
          j = ks;
          while (j <= limit && buf[j] !== 39 && buf[j] !== 92 && buf[j] !== 10) j++;
          if (buf[j] !== 39 || j === ks || j - ks > 100) return -1;
          info = byteKeys.get(buf, ks, j, n);
        }
        if (info === undefined || info.unsafe || buf[j + 1] !== 58 || buf[j + 2] !== 32) return -1;
        for (let q = 0; q < n; q++) if (keys[q] === info) return -1; // a repeated key: the string path's Map decides
        i = j + 3;
        let v: number;
        if (buf[i] === 39) {
          v = A.asciiNumber(buf, i + 1, limit);
          const e = A.numEnd;
          if (e < 0 || buf[e] !== 39 || e - i > 63) return -1; // (parseNumber takes ≤ 64 characters, quotes included)
          i = e + 1;
        } else {
          if (buf[i] === 32) return -1; // (the regex's value would start with the space: leave it to the string path)
          v = A.asciiNumber(buf, i, limit);
          const e = A.numEnd;
          if (e < 0 || e - i > 64 || (buf[e] !== 44 && buf[e] !== 125)) return -1;
          i = e;
        }
        if (n >= values.length) return -1; // (a dict of more than 64 keys: the string path)
        keys[n] = info;
        values[n++] = v;
        if (buf[i] === 125 /* } */) break;
        if (buf[i] !== 44 || buf[i + 1] !== 32 || buf[i + 2] !== 39) return -1;
        i += 2;
      }
      if (i + 1 > limit || buf[i + 1] !== 10) return -1;
      // the lines the string path turns down (no train/eval key) or reads as the summary take the string path
      let kind = false;
      for (let q = 0; q < n; q++) {
        const k = keys[q];
        if (k.isRuntime) return -1;
        if (k.isLoss || k.isEval) kind = true;
      }
      if (!kind) return -1;
      emit(n, lineNo);
      return i + 1;
    };
    return makeParser(
      b,
      (line, lineNo) => {
        // colour codes (a rich/colorama console captured to a file colours whole lines: `\x1b[32m{'loss': …}\x1b[0m`)
        // are no part of the text; detection may pick this reader on the raw sniff, without the prefix stripper
        line = stripAnsi(line);
        // a tqdm bar before the first training dict: its total (see barTotal)
        if (barTotal >= 0 && ordinal === 0 && line.includes('/')) {
          const m = TQDM_COUNT.exec(line);
          if (m) barTotal = Number(m[1]);
        } else if (ordinal > 0 && !b.meta.totalSteps && line.includes('/')) {
          // no bar before the first training dict (a notebook's output, where the training bar is kept only when
          // an evaluation interrupts it): a bar drawn between training dicts, part-way (N < M), whose count is at or
          // past the number of training dicts so far, is the training loop's — it counts optimizer steps, and a dict
          // is logged at most once per step; an evaluation bar part-way there counts fewer batches than that
          const m = TQDM_MID.exec(line);
          const n = m ? Number(m[1]) : 0;
          const total = m ? Number(m[2]) : 0;
          if (m && n >= ordinal && n < total)
            b.setMeta('totalSteps', total, b.at(lineNo, 'tqdm bar N/M drawn part-way between the training dicts'));
        }
        const i = line.indexOf("{'");
        // (the dict may be glued to the end of a tqdm bar: `  2%|█▊  | 200/8264 [23:37<15:44:25,  7.03s/it]{'loss': …}`,
        // or follow a logger prefix on every line — `[rank0]: {'loss': …}`, `[2026-03-01 10:00:00,123] INFO - {…}` —
        // which detection may not strip when one dict of the sniff, glued after a bar's `\r`, matched bare)
        if (i < 0 || !line.endsWith('}')) return false;
        if (i > 8 && prefixEnd(line) !== i && !TQDM_END.test(line.slice(0, i))) return false;
        const d = parsePyDict(line.slice(i));
        if (d.size === 0) return false;
        let n = 0;
        if (values.length < d.size) values = new Float64Array(d.size);
        for (const [k, v] of d) {
          keys[n] = infoOf(k);
          values[n++] = v;
        }
        return emit(n, lineNo);
      },
      meta,
      ascii,
    );
  },
};
