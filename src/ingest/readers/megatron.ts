/**
 * Megatron-LM and Megatron-DeepSpeed stdout (incl. BigScience `0:` rank prefixes and timestamps):
 *   ` iteration      200/  148693 | consumed samples: 25600 | consumed tokens: 52428800 | … | learning rate:
 *     4.152E-05 | global batch size: 128 | lm loss: 9.980914E+00 | loss scale: 1024.0 | grad norm: 9262.586 | …`
 *   `validation loss at iteration 100 | lm loss value: 7.666490E+00 | lm loss PPL: 2.135573E+03 |`
 *   (`valid loss at iteration …` in BigScience logs)
 * Only those two line shapes create points. DeepSpeed's own `steps: 1 loss: 12.63 …` echo, fp16
 * `Grad overflow on iteration: 132` / `loss scale overflow! Skipping step` lines never do; an interval whose
 * iterations were all skipped prints no `lm loss` and so yields no loss point.
 * Per-rank parameter lines, the args dump and `number of skipped iterations` go through the metadata scanner.
 */
import type { TextReader } from '../reader';
import { intAt, parseNumber, skipSpaces } from '../numbers';
import { makeParser, newRun, scoreCount, countLines, stripRankPrefix } from '../readerKit';

// Leading blanks are [ \t]*, not \s*: with /m, \s* also eats newlines, so every line start of a blank-heavy sniff
// (256 KiB of \n or \r) rescanned the rest of it — O(n²), minutes per file.
const ITERATION = /^(?:\d+:)?[ \t]*iteration\s+\d+\/\s*\d+ \|/m;
const VALIDATION = /^(?:\d+:)?[ \t]*valid(?:ation)? loss at iteration \d+ \|/m;
const ARGS_HEADER = /^(?:\d+:)?[ \t]*-+ arguments -+\s*$/m;
const MEGATRON_HINT = /^(?:\d+:)?[ \t]*(?:> building \S+ tokenizer|using world size: \d+, data-parallel[- ]size)/m;

/** Segment names kept as series (others, e.g. timings, are dropped). Key → normalised name. */
const KEEP: Record<string, string> = {
  'lm loss': 'train/loss',
  'learning rate': 'lr',
  'grad norm': 'grad_norm',
  'consumed tokens': 'tokens',
  'consumed samples': 'samples',
  'loss scale': 'loss_scale',
  'global batch size': 'global_batch_size',
  'number of skipped iterations': 'skipped_iterations',
  'number of nan iterations': 'nan_iterations',
};

function detect(text: string): number {
  const it = countLines(text, ITERATION, 3) + countLines(text, VALIDATION, 3);
  if (it > 0) return scoreCount(it, 0.85, 0.97);
  if (ARGS_HEADER.test(text) && MEGATRON_HINT.test(text)) return 0.75;
  if (ARGS_HEADER.test(text) && /^[ \t]*(?:\d+:)?[ \t]*tensor_model_parallel_size \.{3,}/m.test(text)) return 0.7;
  return 0;
}

export const megatronReader: TextReader = {
  format: 'megatron',
  kind: 'text',
  detect: (sniff) => detect(sniff.text),
  create(path, options) {
    const { b, meta } = newRun(path, 'megatron', options);
    const segments = (line: string, from: number, step: number, lineNo: number, prefix: string) => {
      let i = from;
      while (i < line.length) {
        const bar = line.indexOf('|', i);
        const seg = line.slice(i, bar < 0 ? line.length : bar);
        i = bar < 0 ? line.length : bar + 1;
        const colon = seg.lastIndexOf(':');
        if (colon < 0) continue;
        const key = seg.slice(0, colon).trim();
        const name = prefix ? VAL[key] : KEEP[key];
        if (!name) continue;
        const v = parseNumber(seg.slice(colon + 1));
        if (v !== undefined) b.add(prefix + key, step, v, lineNo, undefined, name);
      }
    };
    return makeParser(
      b,
      (raw, lineNo) => {
        const line = stripRankPrefix(raw);
        const j = skipSpaces(line, 0);
        if (line.startsWith('iteration', j)) {
          const s = intAt(line, skipSpaces(line, j + 9));
          if (!s || line.charCodeAt(s[1]) !== 47) return false;
          const tot = intAt(line, skipSpaces(line, s[1] + 1));
          if (!tot) return false;
          const bar = line.indexOf('|', tot[1]);
          if (bar < 0) return false;
          if (!b.meta.totalSteps) b.setMeta('totalSteps', tot[0], b.at(lineNo, 'log line iteration N/M'));
          segments(line, bar + 1, s[0], lineNo, '');
          return true;
        }
        if (line.startsWith('valid', j) && line.includes(' loss at iteration ')) {
          const k = line.indexOf(' loss at iteration ');
          const s = intAt(line, k + 19);
          if (!s) return false;
          segments(line, line.indexOf('|', s[1]) + 1 || line.length, s[0], lineNo, 'validation ');
          return true;
        }
        meta.scan(line, lineNo);
        return true;
      },
      meta,
    );
  },
};

/** Validation segment names → normalised names. */
const VAL: Record<string, string> = {
  'lm loss value': 'val/loss',
  'lm loss PPL': 'val/ppl',
};
