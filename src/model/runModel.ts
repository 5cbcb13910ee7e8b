/**
 * The workspace's runs as the editor sees them: a pure model (no `vscode`), fed with parse results of files
 * and asked for summaries, increments and sweep points. The host owns one; tests drive it directly.
 *
 * Increments: for every (run, metric) the model remembers how many points it has already handed out
 * (`takeIncrements`). A series that shrank, or was re-parsed into a new Series object whose first points differ
 * from those handed out (the file was truncated, rotated or rewritten and re-read from its start), is handed out
 * whole again with `reset: true`, so consumers never duplicate, lose or keep stale points. So is a series whose
 * stored points were rewritten in place by thinning (a capped series merged old points into bins: its
 * `thinned.passes` changed).
 */
import type { ParseResult, Run, Series, PointsTable, Diagnostic } from '../ingest/types';
import type { RunState, RunSummary, SweepPoint, Forecast } from '../protocol';
import { formatCompact } from '../shared/format';

export interface FileEntry {
  path: string;
  runIds: string[];
  diagnostics: Diagnostic[];
  points?: PointsTable;
  /** ms timestamps (injected clock) */
  lastGrowth: number;
}

export interface Increment {
  runId: string;
  metric: string;
  /** True when the series was replaced (not appended): consumers drop what they had first. */
  reset: boolean;
  from: number;
  step: number[];
  y: number[];
  time?: number[];
}

export interface RunModelOptions {
  /** A run whose file has not grown for this long is no longer live (ms). */
  liveTimeoutMs: number;
  /** Label root used to make paths relative for display. */
  relativize: (path: string) => string;
}

/** Preferred metric for forecasts: validation loss, then training loss, then the first loss-like series. */
export function primaryMetric(run: Run, preference = 'auto'): string | undefined {
  const names = Object.keys(run.metrics);
  if (preference !== 'auto' && run.metrics[preference]) return preference;
  // Validation loss is sparse early in a run; prefer it only when it has enough points to fit.
  const val = run.metrics['val/loss'];
  const train = run.metrics['train/loss'];
  // Called on every hover, summary and state check: stops counting as soon as the answer is known (a 1M-point
  // series costs what an 8-point one does).
  if (val && hasFinite(val, 8)) return 'val/loss';
  if (train && hasFinite(train, 1)) return 'train/loss';
  if (val && hasFinite(val, 1)) return 'val/loss';
  return names.find((n) => /loss/i.test(n)) ?? names[0];
}

/** At least `k` finite values (scans only until it has found them). */
export function hasFinite(s: Series, k: number): boolean {
  let n = 0;
  const v = s.value;
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]) && ++n >= k) return true;
  return false;
}

export function finiteCount(s: Series): number {
  let n = 0;
  for (const v of s.value) if (Number.isFinite(v)) n++;
  return n;
}

export function lastFinite(s: Series): { step: number; value: number } | undefined {
  for (let i = s.value.length - 1; i >= 0; i--) if (Number.isFinite(s.value[i])) return { step: s.step[i], value: s.value[i] };
  return undefined;
}

/** Human-readable parameter count: 85.1M, 1.3B (src/shared/format.ts). */
export function formatCount(n: number): string {
  return formatCompact(n);
}

export class RunModel {
  readonly files = new Map<string, FileEntry>();
  readonly runs = new Map<string, Run>();
  readonly excluded = new Set<string>();
  readonly paramOverrides = new Map<string, number>();
  readonly forecasts = new Map<string, Forecast>();
  /** run id → metric → points handed out, and the Series object they came from. */
  private readonly sent = new Map<string, Map<string, { n: number; series: Series; passes: number }>>();
  /** run id → the path of the file it was read from (O(1) `fileOf`). */
  private readonly runFile = new Map<string, string>();
  private readonly problemCounts = new Map<string, number>();

  constructor(private readonly opts: RunModelOptions, private readonly now: () => number = Date.now) {}

  /**
   * Records the current parse result of a file. Returns the ids of runs added, changed and removed.
   * `grew` says whether the file gained bytes since the last update (for the live/finished state).
   */
  update(path: string, result: ParseResult, grew: boolean): { added: string[]; changed: string[]; removed: string[] } {
    const prev = this.files.get(path);
    const ids = result.runs.map((r) => r.id);
    const removed = prev ? prev.runIds.filter((id) => !ids.includes(id)) : [];
    for (const id of removed) this.dropRun(id);
    const added: string[] = [];
    const changed: string[] = [];
    for (const run of result.runs) {
      if (!this.runs.has(run.id)) added.push(run.id);
      else changed.push(run.id);
      this.runs.set(run.id, run);
      this.runFile.set(run.id, path);
    }
    this.files.set(path, {
      path,
      runIds: ids,
      diagnostics: result.diagnostics,
      points: result.points,
      lastGrowth: grew || !prev ? this.now() : prev.lastGrowth,
    });
    return { added, changed, removed };
  }

  /** Forgets a file (deleted). Returns the ids of the runs removed with it. */
  remove(path: string): string[] {
    const prev = this.files.get(path);
    if (!prev) return [];
    this.files.delete(path);
    for (const id of prev.runIds) this.dropRun(id);
    return prev.runIds;
  }

  private dropRun(id: string): void {
    this.runs.delete(id);
    this.runFile.delete(id);
    this.forecasts.delete(id);
    this.problemCounts.delete(id);
    this.sent.delete(id);
  }

  fileOf(runId: string): FileEntry | undefined {
    const p = this.runFile.get(runId);
    return p === undefined ? undefined : this.files.get(p);
  }

  setProblems(runId: string, n: number): void {
    this.problemCounts.set(runId, n);
  }

  params(run: Run): number | undefined {
    return this.paramOverrides.get(run.id) ?? run.meta.params?.value;
  }

  state(run: Run): RunState {
    const f = this.fileOf(run.id);
    const total = run.meta.totalSteps?.value;
    const metric = primaryMetric(run);
    const last = metric ? lastFinite(run.metrics[metric]) : undefined;
    const lastStep = lastStepOf(run);
    if (total !== undefined && lastStep !== undefined && lastStep >= total) return 'finished';
    if (f && this.now() - f.lastGrowth <= this.opts.liveTimeoutMs) return 'live';
    return total !== undefined && last !== undefined && last.step < total ? 'stale' : 'finished';
  }

  summary(run: Run, metricPref = 'auto'): RunSummary {
    const metric = primaryMetric(run, metricPref);
    const last = metric ? lastFinite(run.metrics[metric]) : undefined;
    const params = this.params(run);
    const tokens = run.metrics['tokens'] ? lastFinite(run.metrics['tokens'])?.value : undefined;
    const rel = this.opts.relativize(run.path);
    return {
      id: run.id,
      label: run.meta.name ?? labelFromPath(rel),
      relPath: rel,
      group: groupOf(rel),
      format: run.format,
      params,
      paramsSource: this.paramOverrides.has(run.id) ? 'user setting' : run.meta.params?.source.how,
      tokens,
      lastStep: lastStepOf(run),
      lastValue: last?.value,
      totalSteps: run.meta.totalSteps?.value,
      metric,
      state: this.state(run),
      excluded: this.excluded.has(run.id),
      metrics: Object.keys(run.metrics).sort(),
      forecast: this.forecasts.get(run.id),
      problems: this.problemCounts.get(run.id) ?? 0,
    };
  }

  summaries(metricPref = 'auto'): RunSummary[] {
    return [...this.runs.values()].map((r) => this.summary(r, metricPref)).sort((a, b) => a.relPath.localeCompare(b.relPath));
  }

  /**
   * New points since the last call, for every run and metric (or the given runs). Marks them handed out.
   * A series shorter than what was handed out comes back whole with reset = true.
   */
  takeIncrements(runIds?: Iterable<string>): Increment[] {
    const out: Increment[] = [];
    const ids = runIds ? [...runIds] : [...this.runs.keys()];
    for (const id of ids) {
      const run = this.runs.get(id);
      if (!run) continue;
      let sentOfRun = this.sent.get(id);
      if (!sentOfRun) this.sent.set(id, (sentOfRun = new Map()));
      for (const [metric, s] of Object.entries(run.metrics)) {
        const prev = sentOfRun.get(metric);
        const had = prev?.n ?? 0;
        const n = s.step.length;
        // A different Series object means the series was re-parsed (a whole-file reader, or the file was rotated,
        // truncated or rewritten and re-read from its start): unless the points already handed out are still its
        // prefix, it is handed out whole even when it did not shrink.
        // Thinning rewrites the stored points of the same Series object: a changed pass count is a reset too.
        const passes = s.thinned?.passes ?? 0;
        const reset = !!prev && (n < had || passes !== prev.passes || (prev.series !== s && !samePrefix(prev.series, s, had)));
        if (!reset && n === had) continue;
        const from = reset ? 0 : had;
        const time = s.time;
        out.push({ runId: id, metric, reset, from, step: Array.from(s.step.subarray(from)), y: Array.from(s.value.subarray(from)), time: time ? Array.from(time.subarray(from)) : undefined });
        sentOfRun.set(metric, { n, series: s, passes });
      }
    }
    return out;
  }

  /**
   * Sweep points: one per run with a known parameter count (final loss of the primary metric, D from the
   * tokens series or tokens-per-step × last step), plus every row of points tables found in the workspace.
   */
  sweepPoints(metricPref = 'auto'): SweepPoint[] {
    const pts: SweepPoint[] = [];
    for (const run of this.runs.values()) {
      const N = this.params(run);
      const metric = primaryMetric(run, metricPref);
      // A sweep law relates *final* losses to N and D: runs still training (or stopped early) are not points.
      if (N === undefined || !metric || this.state(run) !== 'finished') continue;
      const last = lastFinite(run.metrics[metric]);
      if (!last) continue;
      const D = tokensAt(run, last.step);
      if (D === undefined) continue;
      pts.push({ runId: run.id, label: run.meta.name ?? labelFromPath(this.opts.relativize(run.path)), N, D, C: 6 * N * D, loss: last.value, excluded: this.excluded.has(run.id) });
    }
    for (const f of this.files.values()) {
      const t = f.points;
      if (!t) continue;
      for (let i = 0; i < t.loss.length; i++) {
        const N = t.N[i];
        let D = t.D[i], C = t.C[i];
        if (!Number.isFinite(D) && Number.isFinite(C) && Number.isFinite(N)) D = C / (6 * N);
        if (!Number.isFinite(C) && Number.isFinite(N) && Number.isFinite(D)) C = 6 * N * D;
        if (![N, D, C, t.loss[i]].every(Number.isFinite)) continue;
        const id = `${f.path}#${i + 1}`;
        pts.push({ runId: id, label: `${this.opts.relativize(f.path)}:${i + 2}`, N, D, C, loss: t.loss[i], excluded: this.excluded.has(id) });
      }
    }
    return pts;
  }
}

/** The first `n` points of `a` and `b` are the same (NaN equals NaN). */
function samePrefix(a: Series, b: Series, n: number): boolean {
  if (a.step.length < n || b.step.length < n) return false;
  for (let i = 0; i < n; i++) {
    if (!Object.is(a.step[i], b.step[i]) && a.step[i] !== b.step[i]) return false;
    if (!Object.is(a.value[i], b.value[i]) && a.value[i] !== b.value[i]) return false;
  }
  return true;
}

export function lastStepOf(run: Run): number | undefined {
  let last: number | undefined;
  for (const s of Object.values(run.metrics)) {
    const n = s.step.length;
    if (n && (last === undefined || s.step[n - 1] > last)) last = s.step[n - 1];
  }
  return last;
}

/** Tokens seen at a step: from a `tokens` series (interpolated), or tokens-per-step × step. */
export function tokensAt(run: Run, step: number): number | undefined {
  const t = run.metrics['tokens'];
  if (t && t.step.length) {
    let best: number | undefined;
    for (let i = 0; i < t.step.length; i++) if (t.step[i] <= step && Number.isFinite(t.value[i])) best = t.value[i] * (step / (t.step[i] || 1));
    if (best !== undefined) return best;
  }
  const tps = run.meta.tokensPerStep?.value;
  if (tps !== undefined && step > 0) return tps * step;
  return undefined;
}

/** A file name that says nothing about the run (the folder names the run instead). */
const GENERIC_FILE = /^(train|log|stdout|output|metrics|trainer_state|trainer_log|events\.out\.tfevents|run|main)\b/i;

/**
 * Tokens seen at each of `steps` (ascending): linear interpolation in a `tokens` series (extrapolated
 * proportionally past its last point), else tokens-per-step × step; undefined when neither is known.
 */
export function tokensForSteps(run: Run, steps: number[]): number[] | undefined {
  const t = run.metrics['tokens'];
  if (t && t.step.length) {
    const out = new Array<number>(steps.length);
    let j = 0;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      while (j + 1 < t.step.length && t.step[j + 1] <= s) j++;
      const s0 = t.step[j], v0 = t.value[j];
      if (s <= s0 || j + 1 >= t.step.length) out[i] = s0 > 0 ? v0 * (s / s0) : v0;
      else { const s1 = t.step[j + 1], v1 = t.value[j + 1]; out[i] = v0 + ((v1 - v0) * (s - s0)) / (s1 - s0); }
    }
    return out;
  }
  const tps = run.meta.tokensPerStep?.value;
  return tps !== undefined ? steps.map((s) => s * tps) : undefined;
}

function labelFromPath(rel: string): string {
  const parts = rel.split('/');
  const file = parts[parts.length - 1];
  return parts.length > 1 && GENERIC_FILE.test(file) ? parts[parts.length - 2] : file.replace(/\.(log|txt|out|jsonl|csv|json)$/i, '');
}

/** The sweep a run belongs to: the folder holding its run folder (for generic file names) or its file. */
export function groupOf(rel: string): string {
  const parts = rel.split('/');
  const file = parts[parts.length - 1];
  const dirs = parts.slice(0, -1);
  if (GENERIC_FILE.test(file)) dirs.pop();
  return dirs.join('/') || '.';
}
