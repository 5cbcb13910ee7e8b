/**
 * lm-evaluation-harness results files (`results*.json`; whole file). Pure (no `vscode`).
 *
 * Two schemas, both `{"results": {task: {metric: value, …}, …}, "config": {"model_args": "pretrained=…", …}}`:
 *  - v0.4+: metric keys carry their filter, `acc,none`, `exact_match,strict-match`, with `acc_stderr,none` beside;
 *    aggregated groups under `groups`; `model_name`, `n-shot`, `lm_eval_version` at the top level.
 *  - v0.3 (e.g. the Pythia evaluations, EleutherAI/pythia evals/): plain `acc`, `acc_stderr`; `versions` at the
 *    top level.
 * One run per file: `eval/<task>/<metric>` (the `,none` filter dropped, other filters kept as `metric[filter]`)
 * and `eval/<task>/<metric>_stderr`, one point each at the checkpoint's step. The step comes from the model
 * reference (`revision=step23000`, `pretrained=out/checkpoint-1000`), else the file's path (`…_step23000.json`,
 * `checkpoint-1000/results.json`), else a top-level `step` / `global_step`; without one the points sit at step 0
 * and an info diagnostic says so. `meta.evaluation` records the step, the checkpoint and the model, so the loader
 * can fold the scores into the training run they belong to (evalLink.ts).
 */
import type { Sniff, WholeReader } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, ParseResult, Sourced } from '../types';
import { RunBuilder, sourced, toNumber } from '../structuredRun';
import { isObject, parseJsonLenient } from '../jsonUtil';
import { checkpointStep, parseModelArgs } from '../evalLink';

/** Per-task keys that are labels or counts, not scores. */
const NOT_SCORES = new Set([
  'alias',
  'name',
  'sample_len',
  'samples',
  'sample_count',
  'num_samples',
  'effective',
  'original',
  ' ',
]);
const MAX_TASKS = 5000;

export const lmEvalReader: WholeReader = {
  format: 'lm-eval',
  kind: 'whole',
  detect: detectLmEval,
  parse: (path, content, o) => parseLmEval(path, content, o?.maxSeriesPoints),
};

/** A JSON object with a `results` object of per-task objects and lm-eval's own companions. */
export function detectLmEval(sniff: Sniff): number {
  const t = sniff.text.trimStart();
  if (!t.startsWith('{')) return 0;
  if (!/"results"\s*:\s*\{\s*"[^"]*"\s*:\s*\{/.test(t)) return 0;
  if (/"log_history"\s*:/.test(t)) return 0;
  let s = 0;
  if (/"[a-z_]+(?:_stderr)?,[^"]*"\s*:/.test(t)) s += 0.5; // v0.4 metric,filter keys
  if (/"[a-z_]+_stderr(?:,[^"]*)?"\s*:/.test(t)) s += 0.3;
  if (/"(?:versions|n-shot|higher_is_better|model_args|lm_eval_version|task_hashes|group_subtasks)"\s*:/.test(t))
    s += 0.3;
  if (/(?:^|[\\/])results[^\\/]*\.json$/i.test(sniff.path)) s += 0.05;
  return Math.min(0.97, s);
}

export function parseLmEval(path: string, content: Uint8Array, maxSeriesPoints?: number): ParseResult {
  const diagnostics: Diagnostic[] = [];
  try {
    return parseInner(path, content, diagnostics, maxSeriesPoints);
  } catch (e) {
    diagnostics.push(
      diag(path, `could not read lm-eval results: ${e instanceof Error ? e.message : String(e)}`, {}, 'error'),
    );
    return { runs: [], diagnostics };
  }
}

/** `acc,none` → `acc`; `exact_match,strict-match` → `exact_match[strict-match]`. */
export function metricName(key: string): string {
  const i = key.indexOf(',');
  if (i < 0) return key;
  const m = key.slice(0, i),
    f = key.slice(i + 1);
  return f === 'none' || f === '' ? m : `${m}[${f}]`;
}

/** A `_stderr` key's metric (`acc_stderr,none` → `acc,none`), or undefined for a score key. */
function stderrOf(key: string): string | undefined {
  const i = key.indexOf(',');
  const m = i < 0 ? key : key.slice(0, i),
    f = i < 0 ? '' : key.slice(i);
  return m.endsWith('_stderr') ? m.slice(0, -'_stderr'.length) + f : undefined;
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
  const doc = p.value;
  const config = isObject(doc.config) ? doc.config : {};
  // model_args: lm-eval's `key=value,…` string, or an object (GPT-NeoX's evaluate.py writes its whole config).
  const args: Record<string, string> = typeof config.model_args === 'string' ? parseModelArgs(config.model_args) : {};
  if (isObject(config.model_args)) {
    for (const [k, v] of Object.entries(config.model_args))
      if (typeof v === 'string' || typeof v === 'number') args[k] = String(v);
  }
  const pretrained =
    args.pretrained ??
    args.model ??
    args.path ??
    args.model_path ??
    args.load ??
    (typeof doc.model_name === 'string' ? doc.model_name : undefined);

  // The checkpoint's step: model reference (revision, then path), file path, then a stated step.
  let step: Sourced<number> | undefined;
  const fromRef = (args.revision && checkpointStep(args.revision)) || (pretrained && checkpointStep(pretrained));
  if (fromRef)
    step = sourced(
      fromRef.step,
      path,
      `lm-eval config.model_args (${fromRef.how}: ${args.revision && checkpointStep(args.revision) ? `revision=${args.revision}` : pretrained})`,
    );
  if (!step) {
    const fromPath = checkpointStep(path);
    if (fromPath) step = sourced(fromPath.step, path, `file path (${fromPath.how})`);
  }
  if (!step) {
    for (const k of ['step', 'global_step', 'iteration', 'train_step']) {
      const v = toNumber(doc[k]) ?? toNumber(config[k]) ?? toNumber(args[k]);
      if (v !== undefined && Number.isFinite(v) && v >= 0) {
        step = sourced(v, path, `lm-eval results ${k}`);
        break;
      }
    }
  }

  const b = new RunBuilder(path, 'lm-eval', path, {}, maxSeriesPoints);
  const meta = b.run.meta;
  const model = pretrained ? pretrained.replace(/[\\/]+$/, '') : undefined;
  meta.evaluation = {
    ...(step ? { step } : {}),
    ...(pretrained ? { checkpoint: sourced(pretrained, path, 'lm-eval config.model_args') } : {}),
    ...(model ? { model: modelWithoutCheckpoint(model) } : {}),
  };
  if (model) meta.name = model + (args.revision ? `@${args.revision}` : '');
  for (const k of ['model', 'num_fewshot', 'batch_size', 'limit', 'bootstrap_iters']) {
    const v = config[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      b.setHparam(`eval.${k}`, v, { path, how: `lm-eval config.${k}` });
  }
  if (typeof doc.lm_eval_version === 'string')
    b.setHparam('eval.lm_eval_version', doc.lm_eval_version, { path, how: 'lm-eval lm_eval_version' });
  const at = step?.value ?? 0;
  // lm-eval writes the file once, when the evaluation is over: it is a finished run, never a live one.
  meta.end = sourced(
    {
      kind: 'completed',
      text: 'lm-evaluation-harness results (written once, at the end of the evaluation)',
      atStep: at,
    },
    path,
    'lm-eval results file',
  );
  if (!step)
    diagnostics.push(
      diag(
        path,
        'lm-eval results: no checkpoint step in model_args, path or file — scores placed at step 0',
        {},
        'info',
      ),
    );

  let tasks = 0,
    scores = 0;
  const seen = new Set<string>();
  const own = new Map<string, ReturnType<RunBuilder['newSeries']>>();
  for (const section of ['results', 'groups']) {
    const res = doc[section];
    if (!isObject(res)) continue;
    for (const [task, m] of Object.entries(res)) {
      if (!isObject(m) || seen.has(task)) continue;
      if (++tasks > MAX_TASKS) {
        diagnostics.push(diag(path, `more than ${MAX_TASKS} tasks: the rest were not read`));
        break;
      }
      seen.add(task);
      for (const [key, raw] of Object.entries(m)) {
        if (NOT_SCORES.has(key)) continue;
        const v = toNumber(raw);
        if (v === undefined) continue; // "N/A", null, text
        const se = stderrOf(key);
        const name = se !== undefined ? `eval/${task}/${metricName(se)}_stderr` : `eval/${task}/${metricName(key)}`;
        let s = own.get(name);
        if (!s) {
          s = b.newSeries(name, `${task}: ${key}`);
          own.set(name, s);
          b.put(s);
        }
        s.append(at, v);
        if (se === undefined) scores++;
      }
    }
  }
  if (!isObject(doc.results)) diagnostics.push(diag(path, 'lm-eval results: no "results" object'));
  else if (!scores) diagnostics.push(diag(path, 'lm-eval results: no numeric score in "results"'));
  return { runs: [b.run], diagnostics };
}

/** `EleutherAI/pythia-160m` for `…/pythia-160m` at any revision; `out` for `out/checkpoint-1000`. */
function modelWithoutCheckpoint(ref: string): string {
  const segs = ref.split(/[\\/]/);
  const i = segs.findIndex((s) => checkpointStep(s));
  return i > 0 ? segs.slice(0, i).join('/') : ref;
}
