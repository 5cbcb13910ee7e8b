/**
 * Reading the paths given on the command line into runs and points tables, with the ingest layer's
 * content-based format detection. Pure apart from `node:fs` (no `vscode`).
 *
 *  - A file is read with `LogFile` (the same reader the extension uses), to its end.
 *  - A directory: first a directory format may claim it whole (an MLflow store: a folder named `mlruns`, or
 *    any folder whose layout is `<experiment>/<run>/{meta.yaml,metrics/}`); otherwise it is walked
 *    recursively (hidden folders and node_modules skipped) and every file a reader claims is read. Files no
 *    reader claims are skipped silently inside directories, and reported when named explicitly.
 *  - A path that does not exist is a data error (exit 1).
 */
import { normalizeName } from '../ingest/names';
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { LogFile } from '../ingest/incremental';
import { mlflowReader, isRunDir } from '../ingest/readers/mlflow';
import { planRunFiles } from '../ingest/runGroups';
import { linkEvaluations } from '../ingest/evalLink';
import { mergeSeries, planSameRuns } from '../ingest/sameRun';
import { mergeMeta, metaFromConfig } from '../ingest/metaFiles';
import type { Diagnostic, PointsTable, Provenance, Run } from '../ingest/types';
import { DataError } from './errors';

export interface Loaded {
  runs: Run[];
  tables: PointsTable[];
  diagnostics: Diagnostic[];
}

const MAX_FILES = 20_000;
const SKIP_DIRS = new Set(['node_modules', '.git', '.venv', '__pycache__', 'site-packages']);

/** `maxSeriesPoints`: the per-series cap of the readers (older points merge into bins above it; series.ts). */
export interface LoadOptions {
  maxSeriesPoints?: number;
}

export async function loadPaths(paths: readonly string[], options: LoadOptions = {}): Promise<Loaded> {
  const out: Loaded = { runs: [], tables: [], diagnostics: [] };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new DataError(`no such file or directory: ${p}`);
    }
    if (st.isDirectory()) await loadDir(p, out, { files: 0 }, options);
    else await loadFile(p, out, true, false, options);
  }
  // One training run seen in several files becomes one run first (sameRun.ts); then evaluation scores (lm-eval
  // results, eval tables) join the training run they measured (evalLink.ts).
  foldSameRuns(out);
  const linked = linkEvaluations(out.runs);
  out.runs = linked.runs;
  out.diagnostics.push(...linked.diagnostics);
  return out;
}

/**
 * One training run seen in several files (stdout and its event file, a metrics.csv, …; sameRun.ts): runs whose values
 * agree on their shared steps are merged into one (the primary's id, every file's series, `builtFrom` says which file
 * gave what and why); runs tied by a run id but whose values disagree stay apart, the smaller one `linkedTo` the other
 * and left out of sweep fits. Each merge and link is an info diagnostic.
 */
export function foldSameRuns(out: Loaded): void {
  const groups = planSameRuns(out.runs);
  if (!groups.length) return;
  const byId = new Map(out.runs.map((r) => [r.id, r]));
  const gone = new Set<Run>();
  for (const g of groups) {
    const primary = byId.get(g.primary)!;
    if (g.merged.length) {
      const members = [primary, ...g.merged.map((m) => byId.get(m.id)!)];
      const { metrics, parts } = mergeSeries(members, g.duplicates);
      primary.metrics = metrics;
      const reasons = [...new Set(g.merged.map((m) => m.reason))].join('; ');
      primary.builtFrom = { parts, reason: reasons };
      for (const m of members.slice(1)) {
        mergeMeta(primary.meta, m.meta);
        gone.add(m);
        out.diagnostics.push({
          path: m.path,
          severity: 'info',
          message: `the same training run as ${primary.path}: merged into one run (${g.merged.find((x) => x.id === m.id)!.reason})`,
        });
      }
    }
    for (const l of g.linked) {
      const r = byId.get(l.id)!;
      r.linkedTo = { id: primary.id, reason: l.reason };
      out.diagnostics.push({
        path: r.path,
        severity: 'info',
        message: `the same training run as ${primary.path} (kept apart, counted once in sweep fits: ${l.reason})`,
      });
    }
  }
  out.runs = out.runs.filter((r) => !gone.has(r));
}

async function loadFile(
  path: string,
  out: Loaded,
  explicit: boolean,
  forceMlflow: boolean,
  options: LoadOptions,
): Promise<void> {
  const lf = new LogFile(path, {
    ...(forceMlflow ? { reader: mlflowReader } : {}),
    maxSeriesPoints: options.maxSeriesPoints,
  });
  // poll() reads in bounded chunks up to the current end; loop until it has all of it.
  for (let i = 0; i < 1e6; i++) {
    const r = await lf.poll();
    if (!r.more) break;
  }
  lf.finish();
  if (!lf.format) {
    if (explicit)
      out.diagnostics.push({
        path,
        severity: 'warning',
        message: 'not recognised as a training log, a metrics table or a points table (no reader claimed it)',
      });
    return;
  }
  const res = lf.result();
  out.runs.push(...res.runs);
  if (res.points && res.points.loss.length) out.tables.push(res.points);
  out.diagnostics.push(...res.diagnostics);
}

function listDir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  } catch {
    return [];
  }
}

/** An MLflow file store (or experiment, or run folder) whatever the folder is called. */
export function looksLikeMlflow(dir: string): boolean {
  if (nodePath.basename(dir) === 'mlruns') return true;
  if (isRunDir(dir)) return true;
  const children = listDir(dir)
    .filter((e) => e.isDirectory())
    .map((e) => nodePath.join(dir, e.name));
  // experiment folder: meta.yaml + run folders
  if (fs.existsSync(nodePath.join(dir, 'meta.yaml')) && children.some(isRunDir)) return true;
  // store root: experiment folders holding run folders
  return children.some(
    (c) =>
      fs.existsSync(nodePath.join(c, 'meta.yaml')) &&
      listDir(c).some((e) => e.isDirectory() && isRunDir(nodePath.join(c, e.name))),
  );
}

async function loadDir(dir: string, out: Loaded, budget: { files: number }, options: LoadOptions): Promise<void> {
  const files: string[] = [];
  await collectFiles(dir, files, out, budget, options);
  // One training run is one run: a W&B run folder, an HF output folder with checkpoints (runGroups.ts).
  const plan = planRunFiles(files);
  for (const s of plan.skipped) out.diagnostics.push({ path: s.path, severity: 'info', message: s.reason });
  const runsOf = new Map<string, Run[]>();
  for (const f of plan.read) {
    const before = out.runs.length;
    await loadFile(f, out, false, false, options);
    runsOf.set(f, out.runs.slice(before));
  }
  for (const [group, members] of plan.groups) foldGroup(group, members, runsOf, plan.summaries.get(group) ?? [], out);
}

/** Walks `dir` (MLflow stores are read whole on the way), listing the other files in name order. */
async function collectFiles(
  dir: string,
  files: string[],
  out: Loaded,
  budget: { files: number },
  options: LoadOptions,
): Promise<void> {
  if (looksLikeMlflow(dir)) {
    await loadFile(dir, out, false, true, options);
    return;
  }
  for (const e of listDir(dir)) {
    const full = nodePath.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
      await collectFiles(full, files, out, budget, options);
    } else if (e.isFile()) {
      if (++budget.files > MAX_FILES) {
        if (budget.files === MAX_FILES + 1)
          out.diagnostics.push({
            path: dir,
            severity: 'warning',
            message: `more than ${MAX_FILES} files: the rest were not read`,
          });
        return;
      }
      files.push(full);
    }
  }
}

/**
 * Keeps one run for a group of files that are one training run: the first member (in preference order) that gave
 * a run with points; the other members' runs are dropped with an info diagnostic and their metadata fills what the
 * kept run lacks; stated values from the run's summary file (e.g. `model_params` in `wandb-summary.json`) too.
 */
function foldGroup(
  group: string,
  members: string[],
  runsOf: Map<string, Run[]>,
  summaries: string[],
  out: Loaded,
): void {
  const candidates = members.flatMap((f) => runsOf.get(f) ?? []);
  const what = group.startsWith('wandb:') ? `W&B run folder ${group.slice(6)}` : `output folder ${group.slice(3)}`;
  if (!candidates.length) {
    out.diagnostics.push({
      path: members[0],
      severity: 'warning',
      message: `${what}: no run found in ${members.map((m) => nodePath.basename(m)).join(', ')}`,
    });
    return;
  }
  const kept = candidates.find((r) => Object.values(r.metrics).some((s) => s.step.length > 0)) ?? candidates[0];
  for (const r of candidates) {
    if (r === kept) continue;
    mergeMeta(kept.meta, r.meta);
    out.runs.splice(out.runs.indexOf(r), 1);
    out.diagnostics.push({
      path: r.path,
      severity: 'info',
      message: `the same run as ${kept.path} (${what}): counted once`,
    });
  }
  for (const f of summaries) {
    try {
      const flat = JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, unknown>;
      const found = metaFromConfig(flat, f);
      // A count the summary states beats a size guessed from the path (the lowest priority), not a stated one.
      const stated = found.params && !found.params.source.how.includes('12·L·d²');
      if (stated && kept.meta.params?.source.how.startsWith('run name')) kept.meta.params = found.params;
      mergeMeta(kept.meta, { params: stated ? found.params : undefined, totalSteps: found.totalSteps });
    } catch {
      // a summary is optional metadata
    }
  }
}

/** Last finite value of a series (and its step), or null. */
export function lastFinite(step: ArrayLike<number>, value: ArrayLike<number>): { step: number; value: number } | null {
  for (let i = value.length - 1; i >= 0; i--) if (Number.isFinite(value[i])) return { step: step[i], value: value[i] };
  return null;
}

/** Tokens seen by a run: last `tokens` value, else steps × tokens/step, else the planned total. */
export function runTokens(run: Run): number | null {
  return runTokensSourced(run)?.value ?? null;
}

/** `runTokens` with a description of where the number came from. */
export function runTokensSourced(run: Run): { value: number; source: string } | null {
  const t = run.metrics['tokens'];
  if (t) {
    const l = lastFinite(t.step, t.value);
    if (l && l.value > 0)
      return { value: l.value, source: `last value of the logged "${t.originalName}" series (step ${l.step})` };
  }
  const tps = run.meta.tokensPerStep;
  if (tps && tps.value > 0) {
    let last = -Infinity;
    for (const s of Object.values(run.metrics)) if (s.step.length) last = Math.max(last, s.step[s.step.length - 1]);
    if (Number.isFinite(last) && last > 0)
      return {
        value: last * tps.value,
        source: `last step ${last} × ${tps.value} tokens/step (${describeSource(tps.source)})`,
      };
  }
  const tt = run.meta.totalTokens;
  return tt && tt.value > 0 ? { value: tt.value, source: `planned total (${describeSource(tt.source)})` } : null;
}

/** A provenance as one line: `train.log:3 — log line (nanoGPT)`. */
export function describeSource(p: Provenance): string {
  const file = nodePath.basename(p.path);
  const where = p.line !== undefined ? `${file}:${p.line}` : p.offset !== undefined ? `${file} @${p.offset}` : file;
  return `${where} — ${p.how}`;
}

/**
 * The metric to model: the one asked for, else val/loss, else train/loss. A metric may be named by its
 * normalised name (`train/loss`) or as the log wrote it (`--y loss` for a CSV column `Loss`), case-insensitively.
 */
export function pickMetric(run: Run, wanted?: string): string | null {
  if (wanted) return findMetric(run, wanted);
  for (const m of ['val/loss', 'train/loss', 'loss']) if (run.metrics[m]) return m;
  return null;
}

/** The key in `run.metrics` for a name: exact, then case-insensitive, then as written in the log, then normalised. */
export function findMetric(run: Run, wanted: string): string | null {
  if (run.metrics[wanted]) return wanted;
  const w = wanted.trim().toLowerCase();
  const keys = Object.keys(run.metrics);
  const byKey = keys.find((k) => k.toLowerCase() === w);
  if (byKey) return byKey;
  const byOriginal = keys.find((k) => run.metrics[k].originalName.trim().toLowerCase() === w);
  if (byOriginal) return byOriginal;
  const norm = normalizeName(wanted);
  return run.metrics[norm] ? norm : null;
}
