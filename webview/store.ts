/** The webview's copy of the dashboard state and how host messages change it (pure; unit-tested in node). */
import type { CurveFitView, DashboardOptions, DashboardState, HostMessage, RunSummary, SeriesData } from '../src/protocol';
import { appendSeries } from './series';

export const seriesKey = (runId: string, metric: string): string => `${runId}\u0000${metric}`;

export const DEFAULT_OPTIONS: DashboardOptions = {
  xAxis: 'step', logX: false, logY: false, smoothing: 0, metric: 'auto', tab: 'runs', curveLaw: 'auto', sweepLaw: 'auto',
};

/** What a message changed, so the view redraws only that. */
export interface Change {
  full?: boolean;
  runs?: boolean;
  /** Series keys that received points (appended at the end). */
  appended?: Set<string>;
  curveFits?: boolean;
  sweep?: boolean;
  options?: Partial<DashboardOptions>;
  status?: boolean;
  target?: boolean;
}

export class Store {
  state: DashboardState = { runs: [], series: [], curveFits: [], options: { ...DEFAULT_OPTIONS }, laws: [] };
  initialized = false;
  private seriesIndex = new Map<string, SeriesData>();
  private runIndex = new Map<string, RunSummary>();
  private chartedSet: Set<string> | undefined;

  /** The run is drawn (the host sends its points). Every run when the host did not say. */
  isCharted(runId: string): boolean {
    return !this.chartedSet || this.chartedSet.has(runId);
  }
  /** Number of runs drawn. */
  chartedCount(): number {
    return this.chartedSet ? this.state.runs.filter((r) => this.chartedSet!.has(r.id)).length : this.state.runs.length;
  }
  private reindexRuns(): void {
    this.runIndex = new Map(this.state.runs.map((r) => [r.id, r]));
  }
  private dropSeriesWhere(drop: (s: SeriesData) => boolean): void {
    this.state.series = this.state.series.filter((s) => !drop(s));
    for (const [k, s] of [...this.seriesIndex]) if (drop(s)) this.seriesIndex.delete(k);
  }

  series(runId: string, metric: string): SeriesData | undefined {
    return this.seriesIndex.get(seriesKey(runId, metric));
  }
  run(id: string | undefined): RunSummary | undefined {
    return id === undefined ? undefined : this.runIndex.get(id);
  }
  curveFit(runId: string | undefined, metric: string): CurveFitView | undefined {
    if (runId === undefined) return undefined;
    return this.state.curveFits.find((f) => f.runId === runId && f.metric === metric);
  }
  /** The metric shown for a run: the chosen one, or with 'auto' the run's own (forecast) metric. */
  metricFor(run: RunSummary): string {
    const m = this.state.options.metric;
    if (m && m !== 'auto') return m;
    return run.metric ?? run.forecast?.metric ?? run.metrics[0] ?? 'loss';
  }
  /** Every metric any run has, sorted, for the metric picker. */
  allMetrics(): string[] {
    const s = new Set<string>();
    for (const r of this.state.runs) for (const m of r.metrics) s.add(m);
    for (const se of this.state.series) s.add(se.metric);
    return [...s].sort();
  }

  apply(msg: HostMessage): Change {
    switch (msg.type) {
      case 'init': {
        const st = msg.state;
        this.state = {
          ...st,
          runs: [...(st.runs ?? [])],
          series: [],
          curveFits: [...(st.curveFits ?? [])],
          laws: [...(st.laws ?? [])],
          options: { ...DEFAULT_OPTIONS, ...(st.options ?? {}) },
        };
        this.seriesIndex.clear();
        this.reindexRuns();
        this.chartedSet = st.charted ? new Set(st.charted) : undefined;
        for (const s of st.series ?? []) {
          // Copy so appends never mutate the host's object (and tokens/time stay parallel to y).
          const copy: SeriesData = { runId: s.runId, metric: s.metric, step: [], y: [] };
          appendSeries(copy, s);
          this.state.series.push(copy);
          this.seriesIndex.set(seriesKey(s.runId, s.metric), copy);
        }
        this.initialized = true;
        return { full: true };
      }
      case 'points': {
        const key = seriesKey(msg.runId, msg.metric);
        let s = this.seriesIndex.get(key);
        if (!s) {
          s = { runId: msg.runId, metric: msg.metric, step: [], y: [] };
          this.seriesIndex.set(key, s);
          this.state.series.push(s);
        }
        const k = appendSeries(s, msg);
        const run = this.run(msg.runId);
        let runs = false;
        if (run && k > 0 && (run.metric === undefined || run.metric === msg.metric)) {
          for (let i = k - 1; i >= 0; i--) {
            if (Number.isFinite(msg.y[i])) { run.lastValue = msg.y[i]; run.lastStep = msg.step[i]; runs = true; break; }
          }
        }
        return { appended: new Set([key]), runs };
      }
      case 'run': {
        const prev = this.runIndex.get(msg.run.id);
        if (prev) this.state.runs[this.state.runs.indexOf(prev)] = msg.run; else this.state.runs.push(msg.run);
        this.runIndex.set(msg.run.id, msg.run);
        return { runs: true };
      }
      case 'series': {
        // Replaces one metric of a run (newly charted, re-read, or a burst sent decimated).
        const s = msg.series;
        const copy: SeriesData = { runId: s.runId, metric: s.metric, step: [], y: [] };
        appendSeries(copy, s);
        const key = seriesKey(s.runId, s.metric);
        const old = this.seriesIndex.get(key);
        if (old) this.state.series[this.state.series.indexOf(old)] = copy; else this.state.series.push(copy);
        this.seriesIndex.set(key, copy);
        return { full: true };
      }
      case 'charted': {
        this.chartedSet = new Set(msg.runIds);
        this.state.charted = [...msg.runIds];
        this.dropSeriesWhere((s) => !this.chartedSet!.has(s.runId));
        return { full: true, runs: true };
      }
      case 'targetLoss':
        this.state.targetLoss = msg.value;
        return { target: true };
      case 'removeRun': {
        this.state.runs = this.state.runs.filter((r) => r.id !== msg.runId);
        this.runIndex.delete(msg.runId);
        this.dropSeriesWhere((s) => s.runId === msg.runId);
        this.state.curveFits = this.state.curveFits.filter((f) => f.runId !== msg.runId);
        if (this.state.options.selectedRun === msg.runId) this.state.options.selectedRun = this.state.runs[0]?.id;
        return { runs: true, curveFits: true, full: true };
      }
      case 'curveFit': {
        const f = msg.fit;
        const i = this.state.curveFits.findIndex((c) => c.runId === f.runId && c.metric === f.metric);
        if (i >= 0) this.state.curveFits[i] = f; else this.state.curveFits.push(f);
        return { curveFits: true };
      }
      case 'sweepFit':
        this.state.sweepFit = msg.fit;
        return { sweep: true };
      case 'options':
        this.state.options = { ...this.state.options, ...msg.options };
        return { options: msg.options };
      case 'status':
        this.state.status = msg.text;
        return { status: true };
      default:
        return {};
    }
  }
}

/** What the webview persists with `vscode.setState` (small: never the data). */
export interface PersistedState {
  v: 1;
  options?: Partial<DashboardOptions>;
  sweepAxis?: 'N' | 'D' | 'C';
  predictAxis?: 'N' | 'D' | 'C';
  predictText?: string;
  focusedRun?: string;
  /** Runs hidden on the chart (legend or colour bar) and the run filter's text. */
  hidden?: string[];
  filter?: string;
}

/** Keys the user changes in the panel; on the first `init` after a reload the persisted ones win. */
export const VIEW_KEYS = ['xAxis', 'logX', 'logY', 'smoothing', 'metric', 'tab', 'selectedRun'] as const;

export function restoreOptions(host: DashboardOptions, persisted: PersistedState | undefined): { options: DashboardOptions; changed: Partial<DashboardOptions> } {
  const options = { ...host };
  const changed: Partial<DashboardOptions> = {};
  const p = persisted?.v === 1 ? persisted.options : undefined;
  if (p) {
    for (const k of VIEW_KEYS) {
      const v = p[k];
      if (v !== undefined && v !== host[k]) { (options as Record<string, unknown>)[k] = v; (changed as Record<string, unknown>)[k] = v; }
    }
  }
  return { options, changed };
}

/** Reads a persisted state defensively (it is whatever an older version wrote). */
export function readPersisted(v: unknown): PersistedState | undefined {
  if (typeof v !== 'object' || v === null || (v as PersistedState).v !== 1) return undefined;
  const p = v as PersistedState;
  const axis = (a: unknown) => (a === 'N' || a === 'D' || a === 'C' ? a : undefined);
  const o = typeof p.options === 'object' && p.options !== null ? p.options : undefined;
  const opts: Partial<DashboardOptions> = {};
  if (o) {
    if (['step', 'tokens', 'compute', 'time'].includes(o.xAxis as string)) opts.xAxis = o.xAxis;
    if (typeof o.logX === 'boolean') opts.logX = o.logX;
    if (typeof o.logY === 'boolean') opts.logY = o.logY;
    if (typeof o.smoothing === 'number' && o.smoothing >= 0 && o.smoothing <= 0.99) opts.smoothing = o.smoothing;
    if (typeof o.metric === 'string') opts.metric = o.metric;
    if (o.tab === 'runs' || o.tab === 'sweep' || o.tab === 'fit') opts.tab = o.tab;
    if (typeof o.selectedRun === 'string') opts.selectedRun = o.selectedRun;
  }
  return {
    v: 1, options: opts, sweepAxis: axis(p.sweepAxis), predictAxis: axis(p.predictAxis),
    predictText: typeof p.predictText === 'string' ? p.predictText.slice(0, 64) : undefined,
    focusedRun: typeof p.focusedRun === 'string' ? p.focusedRun : undefined,
    hidden: Array.isArray(p.hidden) ? p.hidden.filter((x): x is string => typeof x === 'string').slice(0, 1000) : undefined,
    filter: typeof p.filter === 'string' ? p.filter.slice(0, 200) : undefined,
  };
}
