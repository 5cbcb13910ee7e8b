/**
 * MLflow file stores (`mlruns/`), read whole. Pure (no `vscode`). Never throws.
 *
 * Layout (mlflow/store/tracking/file_store.py): `mlruns/<experiment_id>/meta.yaml` (experiment `name`),
 * `mlruns/<experiment_id>/<run_id>/meta.yaml` (`run_name`, `lifecycle_stage`, …), `metrics/<key>` with one
 * `timestamp value step` line per logged value (timestamp in ms; keys containing `/` are sub-folders),
 * `params/<key>` (the value as text), `tags/<key>`. One Run per run folder.
 *
 * `parse(path)` accepts the store root, an experiment folder, a run folder, or any file inside a run folder
 * (then only that run is read). Parameter names are stored lower-cased (one real store has `Epochs` in one run
 * and `epochs` in the others); the provenance keeps the file name as written. Deleted runs are kept, with
 * hparam `mlflow.lifecycle_stage = deleted`.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { Sniff, WholeReader } from '../reader';
import { diag } from '../reader';
import type { Diagnostic, ParseResult, Run } from '../types';
import { RunBuilder, toNumber } from '../structuredRun';
import { parseYamlLite } from '../yamlLite';
import { baseName } from '../csvUtil';

const METRIC_LINE = /^\s*(-?\d+)\s+(\S+)(?:\s+(-?\d+))?\s*$/;
const MAX_RUNS = 10_000;

export const mlflowReader: WholeReader = {
  format: 'mlflow',
  kind: 'whole',
  detect: detectMlflow,
  parse: (path, _content, o) => parseMlflow(path, o?.maxSeriesPoints),
};

/** An `mlruns` folder, or a metric file inside one (`…/mlruns/…/metrics/<key>` with `timestamp value step` lines). */
export function detectMlflow(sniff: Sniff): number {
  const p = sniff.path.replace(/\\/g, '/');
  // The store folder is `mlruns` by default; copies are often renamed (`imageclass_mlruns`).
  if (sniff.head.length === 0 && /mlruns$/i.test(baseName(p))) return 0.95;
  if (/mlruns\/(.+\/)?metrics\//i.test(p)) {
    const first = sniff.text.split('\n')[0] ?? '';
    return METRIC_LINE.test(first) || first === '' ? 0.9 : 0;
  }
  if (sniff.head.length === 0 && /mlruns\//i.test(p)) return 0.8;
  return 0;
}

export function parseMlflow(path: string, maxSeriesPoints?: number): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const runs: Run[] = [];
  try {
    for (const runDir of runDirsFor(path, diagnostics)) {
      if (runs.length >= MAX_RUNS) break;
      const r = readRun(runDir, diagnostics, maxSeriesPoints);
      if (r) runs.push(r);
    }
  } catch (e) {
    diagnostics.push(
      diag(path, `could not read MLflow store: ${e instanceof Error ? e.message : String(e)}`, {}, 'error'),
    );
  }
  return { runs, diagnostics };
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A run folder has `meta.yaml` and a `metrics` (or `params`/`tags`) folder. */
export function isRunDir(dir: string): boolean {
  return (
    isFile(nodePath.join(dir, 'meta.yaml')) && ['metrics', 'params', 'tags'].some((d) => isDir(nodePath.join(dir, d)))
  );
}

function subDirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => nodePath.join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** The run folders `path` designates (see the module doc). */
export function runDirsFor(path: string, diagnostics: Diagnostic[]): string[] {
  if (!isDir(path)) {
    // A file inside a run: walk up to the run folder.
    let d = nodePath.dirname(path);
    for (let i = 0; i < 12; i++) {
      if (isRunDir(d)) return [d];
      const up = nodePath.dirname(d);
      if (up === d) break;
      d = up;
    }
    diagnostics.push(diag(path, 'not inside an MLflow run folder'));
    return [];
  }
  if (isRunDir(path)) return [path];
  const children = subDirs(path);
  const runs = children.filter(isRunDir);
  if (runs.length > 0 || isFile(nodePath.join(path, 'meta.yaml'))) return runs; // an experiment folder
  // The store root: experiments are sub-folders with meta.yaml.
  return children.filter((c) => isFile(nodePath.join(c, 'meta.yaml'))).flatMap((c) => subDirs(c).filter(isRunDir));
}

function readText(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** Files under `dir`, recursively, as `[key with / separators, absolute path]`. */
function filesUnder(dir: string, prefix = '', depth = 0): [string, string][] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: [string, string][] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const key = prefix ? `${prefix}/${e.name}` : e.name;
    const full = nodePath.join(dir, e.name);
    if (e.isDirectory() && depth < 8) out.push(...filesUnder(full, key, depth + 1));
    else if (e.isFile()) out.push([key, full]);
  }
  return out;
}

/** One run folder → Run. */
export function readRun(runDir: string, diagnostics: Diagnostic[], maxSeriesPoints?: number): Run | null {
  const b = new RunBuilder(runDir, 'mlflow', runDir, {}, maxSeriesPoints);
  const metaPath = nodePath.join(runDir, 'meta.yaml');
  const meta = parseYamlLite(readText(metaPath) ?? '');
  const expMetaPath = nodePath.join(nodePath.dirname(runDir), 'meta.yaml');
  const exp = parseYamlLite(readText(expMetaPath) ?? '');
  const runName = readText(nodePath.join(runDir, 'tags', 'mlflow.runName'))?.trim();
  b.run.meta.name = (typeof meta.run_name === 'string' && meta.run_name) || runName || baseName(runDir);
  const src = (how: string, path = metaPath) => ({ path, how });
  if (typeof exp.name === 'string')
    b.setHparam('mlflow.experiment', exp.name, src('MLflow experiment meta.yaml name', expMetaPath));
  for (const k of ['run_id', 'lifecycle_stage', 'status', 'user_id', 'start_time', 'end_time']) {
    const v = meta[k];
    if (v !== null && v !== undefined && v !== '') b.setHparam(`mlflow.${k}`, v, src(`MLflow run meta.yaml ${k}`));
  }
  for (const [key, file] of filesUnder(nodePath.join(runDir, 'params'))) {
    const text = readText(file);
    if (text === undefined) continue;
    const t = text.trim();
    const num = toNumber(t);
    b.setHparam(key.toLowerCase(), num !== undefined && Number.isFinite(num) ? num : t, {
      path: file,
      how: `MLflow param ${key}`,
    });
  }
  b.metaFromHparams(nodePath.join(runDir, 'params'));
  for (const [key, file] of filesUnder(nodePath.join(runDir, 'metrics'))) {
    const text = readText(file);
    if (text === undefined) continue;
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const m = METRIC_LINE.exec(line);
      const value = m ? toNumber(m[2]) : undefined;
      if (!m || value === undefined) {
        diagnostics.push(diag(file, 'not a `timestamp value step` metric line', { line: i + 1 }));
        return;
      }
      b.add(key, m[3] !== undefined ? Number(m[3]) : 0, value, Number(m[1]) / 1000);
    });
  }
  return b.run;
}
