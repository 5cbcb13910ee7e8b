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
import { downstreamSeries, isEvaluationRun, linkTarget, runsByDir } from '../ingest/evalLink';
import {
  decideState,
  forecastPlan,
  inSweep,
  LrFloorScan,
  STALE_AFTER_MS,
  type ForecastPlan,
  type RunStateInfo,
} from './runState';
import {
  decideSameRun,
  dirOf,
  mergeSeries,
  planSameRuns,
  runIdTokens,
  type PairDecision,
  type RunView,
} from '../ingest/sameRun';

/**
 * `String.prototype.localeCompare` as one collator: the same order (the spec defines localeCompare as a fresh
 * `Intl.Collator` with the same arguments), without building one per comparison — 10,000+ comparisons a sort of a
 * thousand run summaries.
 */
const byText = new Intl.Collator().compare;
export interface FileEntry {
  path: string;
  runIds: string[];
  diagnostics: Diagnostic[];
  points?: PointsTable;
  /**
   * ms timestamps (injected clock): when the log last grew — on first read, its modification time (an old file
   * is not live because it was opened now), then the time of each growth seen.
   */
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
  /** A run short of its planned end, not growing for this long, is stopped early rather than stale (ms). */
  staleAfterMs?: number;
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
  for (let i = s.value.length - 1; i >= 0; i--)
    if (Number.isFinite(s.value[i])) return { step: s.step[i], value: s.value[i] };
  return undefined;
}

/** Human-readable parameter count: 85.1M, 1.3B (src/shared/format.ts). */
export function formatCount(n: number): string {
  return formatCompact(n);
}

/** Per-run values the user sets in the settings: parameter counts and tokens per step. */
export type OverrideKind = 'params' | 'tokensPerStep';

export class RunModel {
  // The maps are private; callers read them through the read-only views below and change them only through
  // the action methods (update, remove, setExcluded, setForecast, applyOverrides, …).
  private readonly fileMap = new Map<string, FileEntry>();
  private readonly runMap = new Map<string, Run>();
  private readonly excludedSet = new Set<string>();
  private readonly overrideMaps: Record<OverrideKind, Map<string, number>> = {
    params: new Map(),
    tokensPerStep: new Map(),
  };
  private readonly forecastMap = new Map<string, Forecast>();
  readonly files: ReadonlyMap<string, FileEntry> = this.fileMap;
  readonly runs: ReadonlyMap<string, Run> = this.runMap;
  /** Runs the user left out of sweep fits. */
  readonly excluded: ReadonlySet<string> = this.excludedSet;
  /** Parameter counts set by the user (`scalingLens.runParameters`), by run id. */
  readonly paramOverrides: ReadonlyMap<string, number> = this.overrideMaps.params;
  /** Tokens per step set by the user (`scalingLens.runTokensPerStep`), by run id. */
  readonly tokensOverrides: ReadonlyMap<string, number> = this.overrideMaps.tokensPerStep;
  /** Each run's latest forecast (from its curve fit). */
  readonly forecasts: ReadonlyMap<string, Forecast> = this.forecastMap;
  /** run id → metric → points handed out, and the Series object they came from. */
  private readonly sent = new Map<string, Map<string, { n: number; series: Series; passes: number }>>();
  /** run id → the path of the file it was read from (O(1) `fileOf`). */
  private readonly runFile = new Map<string, string>();
  private readonly problemCounts = new Map<string, number>();
  /** LR-at-floor per run, scanned incrementally (O(new points) per state check). */
  private readonly lrFloorScans = new Map<string, LrFloorScan>();
  /** The workspace's `auto` metric (chooseMetric over every run), until the runs change. */
  private wsMetric: { metric?: string; note?: string } | undefined;
  /** Training run id → the evaluation runs linked to it (issue 15), until the runs change. */
  private evalLinks: { byTarget: Map<string, Run[]>; targetOf: Map<string, Run> } | undefined;
  /** The state of each run as last reported by `reevaluate`. */
  private readonly lastStates = new Map<string, RunState>();
  /**
   * Every run as its file gave it. `runMap` holds what the views show: the same, except that the runs of one
   * training run seen in several files (sameRun.ts) are one merged run (under the primary's id; the others hidden,
   * listed in `hiddenIn`) and a run linked to another carries `linkedTo`.
   */
  private readonly rawRuns = new Map<string, Run>();
  /** Hidden run id → the id of the merged run it is part of. */
  private readonly hiddenIn = new Map<string, string>();
  /** Pair decisions, reused while neither run changed (or once settled on plenty of shared steps). */
  private readonly sameRunMemo = new Map<string, Map<string, { na: number; nb: number; d: PairDecision }>>();
  /** Raw run ids by folder and by run-id token of their file name (candidates in O(folder), not O(workspace)). */
  private readonly byDir = new Map<string, Set<string>>();
  private readonly byToken = new Map<string, Set<string>>();

  constructor(
    private readonly opts: RunModelOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records the current parse result of a file. Returns the ids of runs added, changed and removed.
   * `grew` says whether the file gained bytes since the last update (for the live/finished state); `mtimeMs`, the
   * file's modification time, dates the first read (a file last written days ago is not live).
   */
  update(
    path: string,
    result: ParseResult,
    grew: boolean,
    mtimeMs?: number,
  ): { added: string[]; changed: string[]; removed: string[] } {
    const prev = this.files.get(path);
    this.wsMetric = undefined;
    this.evalLinks = undefined;
    const ids = result.runs.map((r) => r.id);
    const gone = prev ? prev.runIds.filter((id) => !ids.includes(id)) : [];
    const seeds = [...result.runs.map((r) => r.path), ...gone.map((id) => this.rawRuns.get(id)?.path ?? path), path];
    const before = this.visibleAround(seeds);
    for (const id of gone) this.dropRun(id);
    for (const run of result.runs) {
      const had = this.rawRuns.get(run.id);
      if (had && had.path !== run.path) this.unindex(had);
      if (!had || had.path !== run.path) this.index(run);
      this.rawRuns.set(run.id, run);
      this.runFile.set(run.id, path);
    }
    this.fileMap.set(path, {
      path,
      runIds: ids,
      diagnostics: result.diagnostics,
      points: result.points,
      lastGrowth: !prev ? Math.min(this.now(), mtimeMs ?? Infinity) : grew ? this.now() : prev.lastGrowth,
    });
    return this.refold(seeds, before, new Set(ids));
  }

  /** Forgets a file (deleted). Returns the ids of the runs removed with it (and of runs it had been merged into). */
  remove(path: string): string[] {
    const prev = this.files.get(path);
    if (!prev) return [];
    this.wsMetric = undefined;
    this.evalLinks = undefined;
    const seeds = [path, ...prev.runIds.map((id) => this.rawRuns.get(id)?.path ?? path)];
    const before = this.visibleAround(seeds);
    this.fileMap.delete(path);
    for (const id of prev.runIds) this.dropRun(id);
    const r = this.refold(seeds, before, new Set());
    return [...new Set([...prev.runIds.filter((id) => before.has(id)), ...r.removed])];
  }

  /** The id of the run shown for `id`: itself, or the merged run it is part of (sameRun.ts). */
  shownAs(id: string): string {
    return this.hiddenIn.get(id) ?? id;
  }

  private index(r: Run): void {
    const add = (m: Map<string, Set<string>>, k: string) => (m.get(k) ?? m.set(k, new Set()).get(k)!).add(r.id);
    add(this.byDir, dirOf(r.path));
    for (const t of runIdTokens(r.path)) add(this.byToken, t);
  }

  private unindex(r: Run): void {
    const del = (m: Map<string, Set<string>>, k: string) => {
      const s = m.get(k);
      if (s) {
        s.delete(r.id);
        if (!s.size) m.delete(k);
      }
    };
    del(this.byDir, dirOf(r.path));
    for (const t of runIdTokens(r.path)) del(this.byToken, t);
  }

  private dropRun(id: string): void {
    const raw = this.rawRuns.get(id);
    if (raw) this.unindex(raw);
    this.hide(id);
    this.rawRuns.delete(id);
    this.runFile.delete(id);
    this.overrideMaps.tokensPerStep.delete(id);
    this.sameRunMemo.delete(id);
    for (const m of this.sameRunMemo.values()) m.delete(id);
  }

  /** Takes a run out of the views (it is gone, or part of a merged run), forgetting its view state. */
  private hide(id: string): void {
    this.runMap.delete(id);
    this.forecastMap.delete(id);
    this.problemCounts.delete(id);
    this.sent.delete(id);
    this.lastStates.delete(id);
    this.lrFloorScans.delete(id);
  }

  /** Raw runs that may be the same training run as a run of `paths`: same folder, or a run id shared by the names. */
  private candidatesAround(paths: readonly string[]): Run[] {
    const ids = new Set<string>();
    for (const p of paths) {
      for (const id of this.byDir.get(dirOf(p)) ?? []) ids.add(id);
      for (const t of runIdTokens(p)) for (const id of this.byToken.get(t) ?? []) ids.add(id);
    }
    const out: Run[] = [];
    for (const id of ids) {
      const r = this.rawRuns.get(id);
      if (r) out.push(r);
    }
    return out;
  }

  /** Ids shown now among the candidates around `paths` (and the merged runs they are part of). */
  private visibleAround(paths: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const r of this.candidatesAround(paths)) if (this.runMap.has(this.shownAs(r.id))) out.add(this.shownAs(r.id));
    return out;
  }

  /**
   * Re-decides which runs around `paths` are one training run (sameRun.ts) and rebuilds what the views show for
   * them. Returns the shown ids added, changed (`touched` ones, and merged runs) and removed since `before`.
   */
  private refold(
    paths: readonly string[],
    before: Set<string>,
    touched: Set<string>,
  ): { added: string[]; changed: string[]; removed: string[] } {
    const cands = this.candidatesAround(paths);
    for (const r of cands) {
      this.hiddenIn.delete(r.id);
      this.runMap.set(r.id, r);
    }
    // A folder of more than 64 logs is a sweep, not one run (planSameRuns skips it too): no pair is compared.
    const sizes = new Map<string, number>();
    const sizeOf = (r: RunView) => {
      let n = sizes.get(r.id);
      if (n === undefined) {
        n = 0;
        for (const k in r.metrics) n += r.metrics[k].step.length;
        sizes.set(r.id, n);
      }
      return n;
    };
    const groups =
      cands.length > 1 && cands.length <= 64 ? planSameRuns(cands, (a, b) => this.decide(a, b, sizeOf)) : [];
    const merged = new Set<string>();
    for (const g of groups) {
      const primary = this.rawRuns.get(g.primary)!;
      if (g.merged.length) {
        const members = [primary, ...g.merged.map((m) => this.rawRuns.get(m.id)!)];
        const { metrics, parts } = mergeSeries(members, g.duplicates);
        const meta = { ...primary.meta };
        for (const m of members.slice(1))
          for (const k of [
            'params',
            'nonEmbeddingParams',
            'totalSteps',
            'plannedEpochs',
            'tokensPerStep',
            'totalTokens',
            'name',
            'stepAxis',
            'end',
          ] as const)
            if (meta[k] === undefined && m.meta[k] !== undefined) (meta as Record<string, unknown>)[k] = m.meta[k];
        this.runMap.set(primary.id, {
          ...primary,
          metrics,
          meta,
          builtFrom: { parts, reason: [...new Set(g.merged.map((m) => m.reason))].join('; ') },
        });
        merged.add(primary.id);
        for (const m of g.merged) {
          this.hide(m.id);
          this.hiddenIn.set(m.id, primary.id);
        }
      }
      for (const l of g.linked) {
        const r = this.rawRuns.get(l.id)!;
        this.runMap.set(l.id, { ...r, linkedTo: { id: primary.id, reason: l.reason } });
      }
    }
    const after = new Set<string>();
    for (const r of cands) after.add(this.shownAs(r.id));
    const added: string[] = [],
      changed: string[] = [],
      removed: string[] = [];
    for (const id of after) {
      if (!before.has(id)) added.push(id);
      else if (touched.has(id) || merged.has(id) || [...touched].some((t) => this.hiddenIn.get(t) === id))
        changed.push(id);
    }
    for (const id of before) {
      if (after.has(id)) continue;
      removed.push(id);
      if (!this.rawRuns.has(id) || this.hiddenIn.has(id)) this.hide(id);
    }
    return { added, changed, removed };
  }

  private decide(a: RunView, b: RunView, sizeOf: (r: RunView) => number): PairDecision {
    let row = this.sameRunMemo.get(a.id);
    if (!row) this.sameRunMemo.set(a.id, (row = new Map()));
    const m = row.get(b.id);
    // Settled on plenty of shared steps: a merge or a clear disagreement does not flip as the files grow.
    // So is a pair that shares no step after both logged 50 points (their step grids do not meet).
    if (
      m &&
      ((m.d.shared >= 20 && (m.d.verdict === 'same' || m.d.agreed < 0.5 * m.d.shared)) ||
        (m.d.shared === 0 && m.na >= 50 && m.nb >= 50))
    )
      return m.d;
    const na = sizeOf(a),
      nb = sizeOf(b);
    if (m && m.na === na && m.nb === nb) return m.d;
    const d = decideSameRun(a, b);
    row.set(b.id, { na, nb, d });
    return d;
  }

  /** Includes a run in sweep fits or leaves it out. */
  setExcluded(runId: string, excluded: boolean): void {
    if (excluded) this.excludedSet.add(runId);
    else this.excludedSet.delete(runId);
  }

  /** The run's forecast from its latest curve fit; undefined clears it. Ignored for a run the model does not have. */
  setForecast(runId: string, forecast: Forecast | undefined): void {
    if (forecast && this.runMap.has(runId)) this.forecastMap.set(runId, forecast);
    else this.forecastMap.delete(runId);
  }

  /**
   * Applies per-run values from a setting (keys: log paths relative to their folder, or run ids) to the given runs,
   * or to every run when `ids` is omitted (then values of runs no longer in the setting are cleared too).
   */
  applyOverrides(kind: OverrideKind, values: Readonly<Record<string, number>>, ids?: readonly string[]): void {
    const map = this.overrideMaps[kind];
    if (!ids) map.clear();
    if (Object.keys(values).length === 0) {
      if (ids) for (const id of ids) map.delete(id);
      return;
    }
    for (const id of ids ?? [...this.runMap.keys()]) {
      const run = this.runMap.get(id);
      if (!run) continue;
      const v = values[this.opts.relativize(run.path)] ?? values[run.id];
      if (v !== undefined) map.set(run.id, v);
      else map.delete(run.id);
    }
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

  /** The run with the user's tokens per step in its metadata, when set (for `tokensAt` / `tokensForSteps`). */
  withTokens(run: Run): Run {
    const v = this.tokensOverrides.get(run.id);
    return v === undefined
      ? run
      : { ...run, meta: { ...run.meta, tokensPerStep: { value: v, source: { path: run.path, how: 'user setting' } } } };
  }

  /**
   * The one metric of the workspace under `auto` (charts, curve fits, hovers, status bar): val/loss when every
   * run has at least 8 validation points (what a curve fit needs), else train/loss for all — `note` says which
   * and why. Cached until a file changes.
   */
  workspaceMetric(): { metric?: string; note?: string } {
    // Evaluation runs (issue 15: scores, no loss) have no say in which loss the workspace shows.
    return (this.wsMetric ??= chooseMetric(
      [...this.runs.values()].filter((r) => !r.meta.evaluation),
      'auto',
      8,
    ));
  }

  /**
   * The metric a run is shown and fitted with: the preference when not `auto`; under `auto`, the workspace's one
   * metric when the run has it (so every run of a chart is the same quantity), else the run's own primary metric.
   */
  metricOf(run: Run, pref = 'auto'): string | undefined {
    if (pref !== 'auto') return primaryMetric(run, pref);
    const ws = this.workspaceMetric().metric;
    return ws && run.metrics[ws] && hasFinite(run.metrics[ws], 1) ? ws : primaryMetric(run);
  }

  /** The run's state (src/model/runState.ts), the one every view shows. */
  state(run: Run): RunState {
    return this.stateInfo(run).state;
  }

  stateInfo(run: Run): RunStateInfo {
    let lastGrowth = this.fileOf(run.id)?.lastGrowth;
    // a merged run grows when any of its files does
    for (const p of run.builtFrom?.parts ?? []) {
      const g = this.fileOf(p.id)?.lastGrowth;
      if (g !== undefined && (lastGrowth === undefined || g > lastGrowth)) lastGrowth = g;
    }
    return decideState(
      run,
      {
        now: this.now(),
        lastGrowth,
        liveTimeoutMs: this.opts.liveTimeoutMs,
        staleAfterMs: this.opts.staleAfterMs ?? STALE_AFTER_MS,
      },
      this.lrFloor(run),
    );
  }

  private lrFloor(run: Run): boolean {
    const lr = run.metrics['lr'];
    if (!lr) return false;
    let scan = this.lrFloorScans.get(run.id);
    if (!scan) this.lrFloorScans.set(run.id, (scan = new LrFloorScan()));
    return scan.update(lr);
  }

  /** What a curve fit of `metric` should forecast for this run, given its state. */
  /**
   * Evidence for a live run's forecast from its sweep (src/fit/curve/sweepPrior.ts): the other runs of the same
   * folder that are finished or stopped early (inSweep), with at least 8 finite points of the same metric, at most
   * `max` of them, each thinned to at most `maxPoints` points (evenly by index, the last point kept).
   */
  siblingsOf(run: Run, metric: string, max = 8, maxPoints = 400): { id: string; x: number[]; y: number[] }[] {
    const group = groupOf(this.opts.relativize(run.path));
    const out: { id: string; x: number[]; y: number[] }[] = [];
    for (const other of this.runs.values()) {
      if (out.length >= max) break;
      if (other.id === run.id || !inSweep(this.state(other))) continue;
      if (groupOf(this.opts.relativize(other.path)) !== group) continue;
      const s = other.metrics[metric];
      if (!s || !hasFinite(s, 8)) continue;
      const n = s.step.length,
        stride = Math.max(1, Math.ceil(n / maxPoints));
      const x: number[] = [],
        y: number[] = [];
      for (let i = 0; i < n; i += stride)
        if (Number.isFinite(s.value[i])) {
          x.push(s.step[i]);
          y.push(s.value[i]);
        }
      if (x[x.length - 1] !== s.step[n - 1] && Number.isFinite(s.value[n - 1])) {
        x.push(s.step[n - 1]);
        y.push(s.value[n - 1]);
      }
      out.push({ id: other.id, x, y });
    }
    return out;
  }

  forecastPlan(run: Run, metric: string): ForecastPlan {
    const last = lastFinite(run.metrics[metric])?.step ?? lastStepOf(run) ?? 0;
    return forecastPlan(this.stateInfo(run), last, run.meta.totalSteps?.value, this.lrFloor(run));
  }

  /**
   * Re-decides every run's state (states change with time alone: a log that stops growing turns finished,
   * stale or stopped). Returns the ids whose state changed since the previous call. O(runs).
   */
  reevaluate(): string[] {
    const changed: string[] = [];
    for (const run of this.runs.values()) {
      const st = this.state(run);
      const prev = this.lastStates.get(run.id);
      if (prev !== undefined && prev !== st) changed.push(run.id);
      this.lastStates.set(run.id, st);
    }
    return changed;
  }

  /** What the run list shows and the filter box matches: label, path relative to its folder, group. */
  summaryLabels(run: Run): { label: string; relPath: string; group: string } {
    const rel = this.opts.relativize(run.path);
    return { label: run.meta.name ?? labelFromPath(rel), relPath: rel, group: groupOf(rel) };
  }

  summary(run: Run, metricPref = 'auto'): RunSummary {
    const metric = this.metricOf(run, metricPref);
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
      ...((info) => ({ state: info.state, stateReason: info.reason }))(this.stateInfo(run)),
      excluded: this.excluded.has(run.id),
      metrics: Object.keys(run.metrics).sort(),
      forecast: this.forecasts.get(run.id),
      problems: this.problemCounts.get(run.id) ?? 0,
      ...(run.builtFrom
        ? {
            builtFrom: {
              files: run.builtFrom.parts.map((p) => this.opts.relativize(p.path)),
              reason: run.builtFrom.reason,
            },
          }
        : {}),
      ...(run.linkedTo ? { linkedTo: run.linkedTo } : {}),
      ...((t) => (t ? { evaluates: { id: t.id, step: run.meta.evaluation?.step?.value } } : {}))(
        this.evaluatedRun(run),
      ),
    };
  }

  summaries(metricPref = 'auto'): RunSummary[] {
    return [...this.runs.values()].map((r) => this.summary(r, metricPref)).sort((a, b) => byText(a.relPath, b.relPath));
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
        const reset =
          !!prev && (n < had || passes !== prev.passes || (prev.series !== s && !samePrefix(prev.series, s, had)));
        if (!reset && n === had) continue;
        const from = reset ? 0 : had;
        const time = s.time;
        out.push({
          runId: id,
          metric,
          reset,
          from,
          step: Array.from(s.step.subarray(from)),
          y: Array.from(s.value.subarray(from)),
          time: time ? Array.from(time.subarray(from)) : undefined,
        });
        sentOfRun.set(metric, { n, series: s, passes });
      }
    }
    return out;
  }

  /**
   * Sweep points: one per run with a known parameter count (final loss of the sweep metric, D from the
   * tokens series or tokens-per-step × last step), plus every row of points tables found in the workspace.
   */
  sweepPoints(metricPref = 'auto'): SweepPoint[] {
    return this.sweepInput(metricPref).points;
  }

  /**
   * The sweep's input, with what was left out and why in plain words (`notes`), and the one metric every point's
   * loss is (`metric`; `metricNote` when `auto` had to fall back to training loss for all runs).
   *
   * Runs enter when finished or stopped early (their last value is their final loss; a run stopped early is a
   * shorter run, which a law in N and D places correctly). Live, stale and diverged runs are left out: a live
   * run's last value is not its final loss, and mixing forecasts into the points would fit a law to our own
   * predictions.
   */
  sweepInput(metricPref = 'auto'): { points: SweepPoint[]; metric?: string; metricNote?: string; notes: string[] } {
    const pts: SweepPoint[] = [];
    // Each run's state decided once (a thousand runs after a scan: this runs on the host's loop when a sweep job
    // is built).
    const states = new Map<string, RunState>();
    for (const r of this.runs.values()) if (!r.meta.evaluation) states.set(r.id, this.state(r));
    const candidates = [...this.runs.values()].filter((r) => !r.meta.evaluation && inSweep(states.get(r.id)!));
    const { metric: chosen, note: metricNote } = chooseMetric(candidates, metricPref);
    const left = { live: 0, diverged: 0, noParams: 0, noTokens: 0, noMetric: 0 };
    for (const run of this.runs.values()) {
      if (run.meta.evaluation) continue; // evaluation scores (issue 15), not a training run: never a sweep point
      if (run.linkedTo) continue; // the same training run as another run: counted once, there
      const st = states.get(run.id)!;
      if (!inSweep(st)) {
        if (st === 'diverged') left.diverged++;
        else left.live++;
        continue;
      }
      const N = this.params(run);
      const metric = chosen ?? primaryMetric(run, metricPref);
      const last = metric && run.metrics[metric] ? lastFinite(run.metrics[metric]) : undefined;
      if (!last) {
        left.noMetric++;
        continue;
      }
      if (N === undefined) {
        left.noParams++;
        continue;
      }
      const D = tokensAt(this.withTokens(run), last.step);
      if (D === undefined) {
        left.noTokens++;
        continue;
      }
      pts.push({
        runId: run.id,
        label: run.meta.name ?? labelFromPath(this.opts.relativize(run.path)),
        N,
        D,
        C: 6 * N * D,
        loss: last.value,
        excluded: this.excluded.has(run.id),
      });
    }
    const notes = sweepNotes(left, chosen);
    for (const f of this.files.values()) {
      const t = f.points;
      if (!t) continue;
      for (let i = 0; i < t.loss.length; i++) {
        const N = t.N[i];
        let D = t.D[i],
          C = t.C[i];
        if (!Number.isFinite(D) && Number.isFinite(C) && Number.isFinite(N)) D = C / (6 * N);
        if (!Number.isFinite(C) && Number.isFinite(N) && Number.isFinite(D)) C = 6 * N * D;
        if (![N, D, C, t.loss[i]].every(Number.isFinite)) continue;
        const id = `${f.path}#${i + 1}`;
        pts.push({
          runId: id,
          label: `${this.opts.relativize(f.path)}:${i + 2}`,
          N,
          D,
          C,
          loss: t.loss[i],
          excluded: this.excluded.has(id),
        });
      }
    }
    return { points: pts, metric: chosen, metricNote, notes };
  }

  // ── issue 15: evaluation scores next to the run's loss (ingest/evalLink.ts; nothing here mutates a run) ──
  /** The evaluation runs (lm-eval results, eval tables) that scored checkpoints of `run`. */
  evaluationsOf(run: Run): Run[] {
    return this.links().byTarget.get(run.id) ?? [];
  }

  /** The training run whose checkpoint the evaluation run `run` scored, when it is linked to one. */
  evaluatedRun(run: Run): Run | undefined {
    return this.links().targetOf.get(run.id);
  }

  private links(): { byTarget: Map<string, Run[]>; targetOf: Map<string, Run> } {
    if (!this.evalLinks) {
      // One pass over the runs (not one per run asked about): a thousand runs stay cheap.
      const byDir = runsByDir(this.runs.values());
      const byTarget = new Map<string, Run[]>();
      const targetOf = new Map<string, Run>();
      for (const r of this.runs.values()) {
        if (!isEvaluationRun(r)) continue;
        const t = linkTarget(r, byDir).target;
        if (!t) continue;
        (byTarget.get(t.id) ?? byTarget.set(t.id, []).get(t.id)!).push(r);
        targetOf.set(r.id, t);
      }
      this.evalLinks = { byTarget, targetOf };
    }
    return this.evalLinks;
  }

  /** `eval/<task>/<metric>` → the run's downstream points by step, from its linked evaluations. */
  downstreamOf(run: Run): Record<string, { step: number[]; value: number[] }> {
    return downstreamSeries(this.evaluationsOf(run));
  }
}

const runs = (n: number) => (n === 1 ? '1 run' : `${n} runs`);

/** Plain-language notes on the runs a sweep left out, each naming what is missing and the command that sets it. */
export function sweepNotes(
  left: { live: number; diverged: number; noParams: number; noTokens: number; noMetric: number },
  metric?: string,
): string[] {
  const out: string[] = [];
  const v = (n: number, one: string, many: string) => `${runs(n)} ${n === 1 ? one : many}`;
  if (left.noParams)
    out.push(`${v(left.noParams, 'lacks', 'lack')} a parameter count: run 'Scaling Lens: Set Run Parameters…'`);
  if (left.noTokens)
    out.push(`${v(left.noTokens, 'lacks', 'lack')} token counts: run 'Scaling Lens: Set Tokens per Step…'`);
  if (left.noMetric) out.push(`${v(left.noMetric, 'has', 'have')} no ${metric ?? 'loss'} values (left out)`);
  if (left.live)
    out.push(
      `${v(left.live, 'is', 'are')} still training or paused (left out until ${left.live === 1 ? 'it finishes' : 'they finish'})`,
    );
  if (left.diverged) out.push(`${runs(left.diverged)} diverged (left out)`);
  return out;
}

/**
 * One metric for a set of runs (a sweep, a chart): the preference when it is not `auto`; under `auto`, val/loss
 * when every run has finite val/loss values, else train/loss for all — with a note saying so. Undefined when
 * the runs share neither (each run then uses its own primary metric, which the note says).
 */
export function chooseMetric(runs: Iterable<Run>, pref = 'auto', minVal = 1): { metric?: string; note?: string } {
  if (pref !== 'auto') return { metric: pref };
  let n = 0,
    val = 0,
    train = 0;
  for (const r of runs) {
    n++;
    if (r.metrics['val/loss'] && hasFinite(r.metrics['val/loss'], minVal)) val++;
    if (r.metrics['train/loss'] && hasFinite(r.metrics['train/loss'], 1)) train++;
  }
  if (n === 0) return {};
  if (val === n) return { metric: 'val/loss', note: 'auto: val/loss (every run logs it)' };
  if (train === n)
    return {
      metric: 'train/loss',
      note: val
        ? `auto: train/loss for all runs, because val/loss is missing in ${n - val} of ${n}`
        : 'auto: train/loss (no run logs val/loss)',
    };
  if (train >= val && train > 0)
    return {
      metric: 'train/loss',
      note: `auto: train/loss (val/loss is missing in ${n - val} of ${n} runs; ${n - train} without train/loss are left out)`,
    };
  if (val > 0) return { metric: 'val/loss', note: `auto: val/loss (${n - val} of ${n} runs without it are left out)` };
  return { note: 'auto: the runs share neither val/loss nor train/loss; each uses its own loss series' };
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
    for (let i = 0; i < t.step.length; i++)
      if (t.step[i] <= step && Number.isFinite(t.value[i])) best = t.value[i] * (step / (t.step[i] || 1));
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
      const s0 = t.step[j],
        v0 = t.value[j];
      if (s <= s0 || j + 1 >= t.step.length) out[i] = s0 > 0 ? v0 * (s / s0) : v0;
      else {
        const s1 = t.step[j + 1],
          v1 = t.value[j + 1];
        out[i] = v0 + ((v1 - v0) * (s - s0)) / (s1 - s0);
      }
    }
    return out;
  }
  const tps = run.meta.tokensPerStep?.value;
  return tps !== undefined ? steps.map((s) => s * tps) : undefined;
}

function labelFromPath(rel: string): string {
  const parts = rel.split('/');
  const file = parts[parts.length - 1];
  return parts.length > 1 && GENERIC_FILE.test(file)
    ? parts[parts.length - 2]
    : file.replace(/\.(log|txt|out|jsonl|csv|json)$/i, '');
}

/** The sweep a run belongs to: the folder holding its run folder (for generic file names) or its file. */
export function groupOf(rel: string): string {
  const parts = rel.split('/');
  const file = parts[parts.length - 1];
  const dirs = parts.slice(0, -1);
  if (GENERIC_FILE.test(file)) dirs.pop();
  return dirs.join('/') || '.';
}
