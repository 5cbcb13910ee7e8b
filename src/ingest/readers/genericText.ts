/**
 * Generic `key: value` / `key=value` line reader — the low-confidence fallback for unknown trainers.
 *   `step: 100, loss: 3.21, lr: 3e-4`   `[INFO] iter=100 train_loss=3.2 val_loss=3.4`   `Step 5 | loss 3.2` (no)
 * A line counts only when it holds a step-like key (`step`, `global_step`, `iter`, `iteration`, `it`, `update`,
 * `num_updates`) with an integer value and at least one other numeric pair. Keys may have up to three
 * words (`train loss: 3.2`); names are normalised (`names.ts`). At most `MAX_SERIES` distinct series are kept.
 * Detection needs ≥ 3 such lines in the sniff and scores at most 0.6, so every specific reader wins over it.
 */
import type { TextReader } from '../reader';
import { parseNumber } from '../numbers';
import { normalizeName } from '../names';
import { makeParser, newRun } from '../readerKit';

const PAIR = /([A-Za-z_][\w./-]{0,40}(?: [A-Za-z_][\w./-]{0,40}){0,2})\s*[:=]\s*([-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf|-inf)(?![\w.]|,\d{3})/gi;
const STEP_KEYS = new Set(['step', 'global_step', 'globalstep', 'iter', 'iteration', 'it', 'update', 'num_updates', 'steps']);
const MAX_SERIES = 32;
const MAX_LINE = 2000;

/** The pairs of one line, or undefined when it has no step-like key or nothing else. */
export function genericPairs(line: string): { step: number; pairs: [string, number][] } | undefined {
  if (line.length > MAX_LINE || (line.indexOf(':') < 0 && line.indexOf('=') < 0)) return undefined;
  PAIR.lastIndex = 0;
  let step: number | undefined;
  const pairs: [string, number][] = [];
  let m: RegExpExecArray | null;
  while ((m = PAIR.exec(line))) {
    const words = m[1].split(' ');
    const last = words[words.length - 1].toLowerCase();
    const v = parseNumber(m[2]);
    if (v === undefined) continue;
    if (step === undefined && STEP_KEYS.has(last) && Number.isInteger(v) && v >= 0) {
      step = v;
      continue;
    }
    // Keep at most the last two words of the key (`INFO train loss` → `train loss`).
    pairs.push([words.slice(-2).join(' '), v]);
  }
  if (step === undefined || pairs.length === 0) return undefined;
  return { step, pairs };
}

export const genericTextReader: TextReader = {
  format: 'generic-text',
  kind: 'text',
  detect: (sniff) => {
    let n = 0;
    let start = 0;
    const text = sniff.text;
    for (let lines = 0; lines < 2000 && start < text.length && n < 10; lines++) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (genericPairs(text.slice(start, end))) n++;
      start = end + 1;
    }
    return n >= 10 ? 0.6 : n >= 3 ? 0.55 : 0;
  },
  create(path, options) {
    const { b, meta } = newRun(path, 'generic-text', options);
    const names = new Map<string, string>();
    return makeParser(
      b,
      (line, lineNo) => {
        const g = genericPairs(line);
        if (!g) return false;
        for (const [k, v] of g.pairs) {
          let name = names.get(k);
          if (name === undefined) {
            if (names.size >= MAX_SERIES) continue;
            name = normalizeName(k);
            names.set(k, name);
          }
          b.add(k, g.step, v, lineNo, undefined, name);
        }
        return true;
      },
      meta,
    );
  },
};
