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
import type { Diagnostic, PointsTable, Run } from '../ingest/types';
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
  return out;
}

async function loadFile(path: string, out: Loaded, explicit: boolean, forceMlflow: boolean, options: LoadOptions): Promise<void> {
  const lf = new LogFile(path, { ...(forceMlflow ? { reader: mlflowReader } : {}), maxSeriesPoints: options.maxSeriesPoints });
  // poll() reads in bounded chunks up to the current end; loop until it has all of it.
  for (let i = 0; i < 1e6; i++) {
    const r = await lf.poll();
    if (!r.more) break;
  }
  lf.finish();
  if (!lf.format) {
    if (explicit) out.diagnostics.push({ path, severity: 'warning', message: 'not recognised as a training log, a metrics table or a points table (no reader claimed it)' });
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
  const children = listDir(dir).filter((e) => e.isDirectory()).map((e) => nodePath.join(dir, e.name));
  // experiment folder: meta.yaml + run folders
  if (fs.existsSync(nodePath.join(dir, 'meta.yaml')) && children.some(isRunDir)) return true;
  // store root: experiment folders holding run folders
  return children.some((c) => fs.existsSync(nodePath.join(c, 'meta.yaml')) && listDir(c).some((e) => e.isDirectory() && isRunDir(nodePath.join(c, e.name))));
}

async function loadDir(dir: string, out: Loaded, budget: { files: number }, options: LoadOptions): Promise<void> {
  if (looksLikeMlflow(dir)) {
    await loadFile(dir, out, false, true, options);
    return;
  }
  for (const e of listDir(dir)) {
    const full = nodePath.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
      await loadDir(full, out, budget, options);
    } else if (e.isFile()) {
      if (++budget.files > MAX_FILES) {
        if (budget.files === MAX_FILES + 1) out.diagnostics.push({ path: dir, severity: 'warning', message: `more than ${MAX_FILES} files: the rest were not read` });
        return;
      }
      await loadFile(full, out, false, false, options);
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
  const t = run.metrics['tokens'];
  if (t) {
    const l = lastFinite(t.step, t.value);
    if (l && l.value > 0) return l.value;
  }
  const tps = run.meta.tokensPerStep?.value;
  if (tps && tps > 0) {
    let last = -Infinity;
    for (const s of Object.values(run.metrics)) if (s.step.length) last = Math.max(last, s.step[s.step.length - 1]);
    if (Number.isFinite(last) && last > 0) return last * tps;
  }
  const tt = run.meta.totalTokens?.value;
  return tt && tt > 0 ? tt : null;
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
