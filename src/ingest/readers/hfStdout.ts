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
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { normalizeName } from '../names';
import { makeParser, newRun, scoreSniff } from '../readerKit';

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
    return makeParser(
      b,
      (line, lineNo) => {
        const i = line.indexOf("{'");
        if (i < 0 || i > 8 || !line.endsWith('}')) return false;
        const d = parsePyDict(line.slice(i));
        if (d.size === 0) return false;
        const explicit = d.get('step') ?? d.get('global_step');
        if (d.has('train_runtime')) {
          for (const [k, v] of d) b.setHparam(k, v, b.at(lineNo, 'final Trainer summary'));
          return true;
        }
        const isTrain = d.has('loss');
        const isEval = [...d.keys()].some((k) => k.startsWith('eval_'));
        if (!isTrain && !isEval) return false;
        if (isTrain) ordinal++;
        const step = explicit ?? ordinal;
        if (!b.meta.stepAxis || (explicit !== undefined && b.meta.stepAxis.value === 'record order'))
          b.meta.stepAxis =
            explicit !== undefined
              ? { value: d.has('step') ? 'step' : 'global_step', source: b.at(lineNo, 'Trainer dict key') }
              : {
                  value: 'record order',
                  source: b.at(lineNo, 'the dicts carry no step: training-log dicts numbered 1, 2, 3, …'),
                };
        for (const [k, v] of d) {
          if (k === 'step' || k === 'global_step') continue;
          b.add(k, step, v, lineNo, undefined, k === 'epoch' ? (isTrain ? 'epoch' : 'val/epoch') : normalizeName(k));
        }
        return true;
      },
      meta,
    );
  },
};
