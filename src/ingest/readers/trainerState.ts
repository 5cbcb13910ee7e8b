/**
 * Hugging Face Trainer `trainer_state.json` (whole file, re-read when it changes). Pure (no `vscode`).
 *
 * `log_history` holds one entry per logging step: train entries (`loss`, `learning_rate`, `grad_norm`, `epoch`,
 * TRL's `num_tokens` / `mean_token_accuracy`, …) and eval entries (`eval_*` keys → `eval_loss` is `val/loss`).
 * The final summary entry (`train_runtime`, `train_loss`, …) is not a point. Top level: `max_steps` → totalSteps,
 * `num_input_tokens_seen` (when > 0) → tokens, `total_flos` → hparams. Both the classic and the TRL schema.
 */
import type { Sniff, WholeReader } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, ParseResult } from '../types';
import { RunBuilder, sourced, toNumber } from '../structuredRun';
import { isObject, parseJsonLenient } from '../jsonUtil';
import { baseName } from '../csvUtil';

/** Per-entry bookkeeping that is not a metric. */
const SKIP = new Set(['step', 'eval_runtime', 'eval_samples_per_second', 'eval_steps_per_second']);
/** Keys that mark the final summary entry. */
const SUMMARY = ['train_runtime', 'train_samples_per_second', 'train_steps_per_second'];

export const trainerStateReader: WholeReader = {
  format: 'hf-trainer-state',
  kind: 'whole',
  detect: detectTrainerState,
  parse: (path, content, o) => parseTrainerState(path, content, o?.maxSeriesPoints),
};

/** A JSON object with `log_history` (and usually `global_step`). */
export function detectTrainerState(sniff: Sniff): number {
  const t = sniff.text.trimStart();
  if (!t.startsWith('{')) return 0;
  const hasLog = /"log_history"\s*:/.test(t);
  if (!hasLog) return 0;
  let s = 0.8;
  if (/"global_step"\s*:/.test(t) || /"max_steps"\s*:/.test(t)) s += 0.1;
  if (baseName(sniff.path) === 'trainer_state.json') s += 0.05;
  return s;
}

export function parseTrainerState(path: string, content: Uint8Array, maxSeriesPoints?: number): ParseResult {
  const diagnostics: Diagnostic[] = [];
  try {
    return parseInner(path, content, diagnostics, maxSeriesPoints);
  } catch (e) {
    diagnostics.push(
      diag(path, `could not read trainer state: ${e instanceof Error ? e.message : String(e)}`, {}, 'error'),
    );
    return { runs: [], diagnostics };
  }
}

function parseInner(
  path: string,
  content: Uint8Array,
  diagnostics: Diagnostic[],
  maxSeriesPoints?: number,
): ParseResult {
  const p = parseJsonLenient(new TextDecoder().decode(content));
  if (!p.ok || !isObject(p.value)) {
    diagnostics.push(
      diag(path, p.ok ? 'not a JSON object' : `not valid JSON (${p.error}); the file may be mid-write`, {}, 'warning'),
    );
    return { runs: [], diagnostics };
  }
  const st = p.value;
  const b = new RunBuilder(path, 'hf-trainer-state', path, { num_input_tokens_seen: 'tokens' }, maxSeriesPoints);
  const meta = b.run.meta;
  const maxSteps = toNumber(st.max_steps);
  if (maxSteps !== undefined && maxSteps > 0) meta.totalSteps = sourced(maxSteps, path, 'trainer_state.json max_steps');
  for (const k of [
    'total_flos',
    'num_train_epochs',
    'train_batch_size',
    'logging_steps',
    'eval_steps',
    'save_steps',
    'global_step',
    'best_metric',
  ]) {
    const v = toNumber(st[k]);
    if (v !== undefined) b.setHparam(k, v, { path, how: `trainer_state.json ${k}` });
  }
  const history = st.log_history;
  if (!Array.isArray(history)) {
    diagnostics.push(diag(path, 'no log_history array'));
    return { runs: [b.run], diagnostics };
  }
  if (history.length)
    b.run.meta.stepAxis = {
      value: 'step',
      source: { path, how: 'trainer_state.json log_history[].step (the Trainer global step)' },
    };
  history.forEach((entry, i) => {
    if (!isObject(entry)) {
      diagnostics.push(diag(path, `log_history[${i}] is not an object`));
      return;
    }
    if (SUMMARY.some((k) => k in entry)) return; // the final summary, not a point
    const step = toNumber(entry.step);
    if (step === undefined || !Number.isFinite(step)) {
      diagnostics.push(diag(path, `log_history[${i}] has no step`));
      return;
    }
    for (const k in entry) {
      if (SKIP.has(k)) continue;
      const v = toNumber(entry[k]);
      if (v !== undefined) b.add(k, step, v);
    }
  });
  const seen = toNumber(st.num_input_tokens_seen);
  const gs = toNumber(st.global_step);
  if (seen !== undefined && seen > 0 && gs !== undefined) {
    b.add('num_input_tokens_seen', gs, seen);
  }
  return { runs: [b.run], diagnostics };
}
