/**
 * Evaluation outputs (lm-evaluation-harness results, eval tables written beside training logs) and the training
 * run and step they belong to. Pure (paths and runs only; no I/O, no `vscode`).
 *
 *  - `checkpointStep`: the training step named by a checkpoint path or a model reference — `checkpoint-1000`,
 *    `global_step1000`, `step1000` / `step-1000` / `_step1000`, `iter_0001000`, `revision=step23000`
 *    (Hugging Face Hub revisions such as Pythia's `stepN` branches), `ckpt-1000`.
 *  - `linkEvaluations`: after every file was read, each evaluation run (`meta.evaluation`) whose checkpoint lies in
 *    the folder of exactly one training run is folded into that run: its scores become points of
 *    `eval/<task>/<metric>` at the checkpoint's step, next to the run's loss. Evaluations of one model that match
 *    no training run are gathered into one run per model (one point per checkpoint). Each decision is an info
 *    diagnostic, so nothing moves silently.
 */
import type { Diagnostic, EvaluationMeta, Run } from './types';
import { ColumnSeries } from './series';

const STEP_PATTERNS: { re: RegExp; how: string }[] = [
  { re: /(?:^|[^A-Za-z0-9])checkpoint[-_](\d+)(?![\d.])/i, how: 'checkpoint-N' },
  { re: /global[_-]?step[-_]?(\d+)(?!\d)/i, how: 'global_stepN' },
  { re: /(?:^|[^A-Za-z0-9])iter[_-]?(\d+)(?!\d)/i, how: 'iter_N' },
  { re: /(?:^|[^A-Za-z0-9])ckpt[-_]?(\d+)(?!\d)/i, how: 'ckpt-N' },
  { re: /(?:^|[^A-Za-z0-9])step[-_]?(\d+)(?!\d)/i, how: 'stepN' },
];

/** The training step a checkpoint path or model reference names, with the pattern that matched; undefined if none. */
export function checkpointStep(text: string): { step: number; how: string } | undefined {
  if (typeof text !== 'string' || !text) return undefined;
  const t = text.length > 4096 ? text.slice(-4096) : text;
  // The last path segment that names a step wins (`…/step1000/hf/model` → 1000; `run_step5/checkpoint-20` → 20).
  const segs = t.split(/[\\/,]/);
  for (let i = segs.length - 1; i >= 0; i--) {
    for (const p of STEP_PATTERNS) {
      const m = p.re.exec(segs[i]);
      if (m) {
        const v = Number(m[1]);
        if (Number.isSafeInteger(v)) return { step: v, how: p.how };
      }
    }
  }
  return undefined;
}

/** `key=value,key=value` (lm-eval `model_args`) → map; values keep their case. */
export function parseModelArgs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof args !== 'string') return out;
  for (const part of args.split(',')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function dirOf(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i > 0 ? p.slice(0, i) : '';
}

function norm(p: string): string {
  return p.replace(/\\/g, '/').replace(/\/+$/, '');
}

/** The folders, innermost first, where the training run of an evaluation may live. */
function candidateDirs(ev: Run, e: EvaluationMeta): string[] {
  const out: string[] = [];
  const add = (d: string) => {
    const n = norm(d);
    if (n && !out.includes(n)) out.push(n);
  };
  const ck = e.checkpoint?.value;
  // A checkpoint given as a path: the folder holding the checkpoint folder (`out/checkpoint-1000` → `out`).
  if (ck && /[\\/]/.test(ck)) {
    const segs = norm(ck).split('/');
    const at = segs.findIndex((s) => checkpointStep(s));
    if (at > 0) add(segs.slice(0, at).join('/'));
    add(dirOf(norm(ck)));
  }
  // The evaluation file's own place: above a checkpoint folder it sits in, else its folder and the one above.
  const segs = norm(ev.path).split('/');
  const at = segs.slice(0, -1).findIndex((s) => checkpointStep(s));
  if (at > 0) add(segs.slice(0, at).join('/'));
  const d = dirOf(norm(ev.path));
  add(d);
  if (/(^|\/)(evals?|evaluations?|lm[-_]?eval\w*|results?|downstream)$/i.test(d)) add(dirOf(d));
  return out;
}

function hasLoss(r: Run): boolean {
  return Object.entries(r.metrics).some(([k, v]) => /(^|\/)loss$|^(train|val|eval)\/loss/.test(k) && v.step.length > 0);
}

/** True for a run that holds evaluation scores rather than a training log. */
export function isEvaluationRun(r: Run): boolean {
  return r.meta.evaluation !== undefined;
}

export interface LinkResult {
  runs: Run[];
  diagnostics: Diagnostic[];
}

/** Training runs by the folder they live in (and, for a folder-read run, by that folder). */
export function runsByDir(runs: Iterable<Run>): Map<string, Run[]> {
  const byDir = new Map<string, Run[]>();
  for (const r of runs) {
    if (isEvaluationRun(r)) continue;
    const d = norm(dirOf(norm(r.path)));
    (byDir.get(d) ?? byDir.set(d, []).get(d)!).push(r);
    const self = norm(r.path);
    if (self !== d) (byDir.get(self) ?? byDir.set(self, []).get(self)!).push(r);
  }
  return byDir;
}

/**
 * The training run an evaluation run scored, or why there is none: the innermost candidate folder holding training
 * runs must hold exactly one, and the evaluation must know its step (or carry steps of its own). Pure; no mutation.
 */
export function linkTarget(ev: Run, byDir: Map<string, Run[]>): { target?: Run; reason?: string } {
  const e = ev.meta.evaluation;
  if (!e) return { reason: 'not an evaluation' };
  for (const d of candidateDirs(ev, e)) {
    const c = byDir.get(d);
    if (!c?.length) continue;
    let distinct = [...new Set(c)];
    // Several runs in the folder: the training run is the one with a loss (a table or text file beside it is not).
    if (distinct.length > 1) {
      const withLoss = distinct.filter(hasLoss);
      if (withLoss.length === 1) distinct = withLoss;
    }
    if (distinct.length > 1)
      return {
        reason: `evaluation not linked: ${distinct.length} training runs in ${d} (${distinct
          .slice(0, 3)
          .map((x) => x.id)
          .join(', ')}…) — which one it scored is ambiguous`,
      };
    if (e.step === undefined && !e.stepwise)
      return {
        reason: `evaluation beside run ${distinct[0].id} not linked: no step in its checkpoint name, path or config`,
      };
    return { target: distinct[0] };
  }
  return {};
}

/**
 * The evaluation scores of `run` without touching it (the extension's run model: live runs are never mutated):
 * `eval/<task>/<metric>` → points over the linked evaluation runs, ordered by step.
 */
export function downstreamSeries(evals: readonly Run[]): Record<string, { step: number[]; value: number[] }> {
  const out: Record<string, [number, number][]> = {};
  for (const ev of evals) {
    const st = ev.meta.evaluation?.step?.value;
    for (const [name, s] of Object.entries(ev.metrics)) {
      const pts = (out[name] ??= []);
      for (let i = 0; i < s.value.length; i++) pts.push([st ?? s.step[i], s.value[i]]);
    }
  }
  return Object.fromEntries(
    Object.entries(out).map(([k, pts]) => {
      pts.sort((a, b) => a[0] - b[0]);
      return [k, { step: pts.map((p) => p[0]), value: pts.map((p) => p[1]) }];
    }),
  );
}

/**
 * Folds evaluation runs into the training runs they belong to (see the module doc). Returns the runs to keep,
 * in their original order (gathered evaluation runs take the place of the first evaluation of their model).
 */
export function linkEvaluations(runs: readonly Run[]): LinkResult {
  const diagnostics: Diagnostic[] = [];
  const byDir = runsByDir(runs);
  const folded = new Set<Run>();
  const gathered = new Map<string, Run>();
  const out: Run[] = [];
  for (const r of runs) {
    if (!isEvaluationRun(r)) {
      out.push(r);
      continue;
    }
    const e = r.meta.evaluation!;
    const { target, reason } = linkTarget(r, byDir);
    if (reason) diagnostics.push({ path: r.path, severity: 'info', message: reason });
    if (target) {
      mergeInto(target, r, e.step?.value);
      folded.add(r);
      const what = e.step
        ? `evaluation of step ${e.step.value} (${e.step.source.how})`
        : 'evaluations (steps from the table)';
      diagnostics.push({
        path: r.path,
        severity: 'info',
        message: `${what} linked to run ${target.id}: its scores are eval/… points of that run`,
      });
      continue;
    }
    // No training run: one run per evaluated model, one point per checkpoint.
    // (Without a model name, the evaluations in one folder are taken to be of one model: the folder is the run.)
    const key = `${dirOf(norm(r.path))}|${e.model ?? ''}`;
    const g = gathered.get(key);
    if (!g) {
      const own: Run = { ...r, metrics: { ...r.metrics }, meta: { ...r.meta } };
      if (e.step) own.meta.evaluations = [{ path: r.path, step: e.step.value, how: e.step.source.how }];
      gathered.set(key, own);
      out.push(own);
      continue;
    }
    const step = e.step?.value;
    if (step === undefined || e.stepwise) {
      out.push(r);
      continue;
    }
    mergeInto(g, r, step);
    g.meta.evaluation = { ...g.meta.evaluation, step: undefined };
    diagnostics.push({
      path: r.path,
      severity: 'info',
      message: `evaluation of ${e.model ?? 'the same model'} at step ${step}: gathered into run ${g.id}`,
    });
  }
  return { runs: out, diagnostics };
}

/**
 * Adds every series of `ev` to `into` — at `step` when given (ev's own step column is replaced), else at ev's own
 * steps — keeping steps ordered.
 */
function mergeInto(into: Run, ev: Run, step: number | undefined): void {
  for (const [name, s] of Object.entries(ev.metrics)) {
    const prev = into.metrics[name];
    const pts: [number, number][] = [];
    if (prev) for (let i = 0; i < prev.step.length; i++) pts.push([prev.step[i], prev.value[i]]);
    for (let i = 0; i < s.value.length; i++) pts.push([step ?? s.step[i], s.value[i]]);
    pts.sort((a, b) => a[0] - b[0]);
    const c = new ColumnSeries(name, prev?.originalName ?? s.originalName);
    for (const [x, y] of pts) c.append(x, y);
    into.metrics[name] = c;
  }
  const steps =
    step !== undefined
      ? [step]
      : [...new Set(Object.values(ev.metrics).flatMap((s) => Array.from(s.step)))].sort((a, b) => a - b);
  for (const st of steps)
    (into.meta.evaluations ??= []).push({
      path: ev.path,
      step: st,
      how: ev.meta.evaluation?.step?.source.how ?? 'the step column of the evaluation table',
    });
}
