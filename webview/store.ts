/**
 * The webview's state and the one way it changes (pure; unit-tested in node). Host messages and the user's actions
 * both go through `Store.dispatch`, which updates the state and returns what changed; `webview/main.ts` draws that
 * change in one render step and persists the view state. Nothing else writes the state.
 */
import { MAX_FILTER } from '../src/shared/runFilter';
import type {
  CurveFitView,
  DashboardOptions,
  DashboardState,
  DownstreamView,
  HostMessage,
  HpLandscapeView,
  RunSummary,
  SeriesData,
} from '../src/protocol';
import { HOST_MESSAGE_TYPES } from '../src/protocol';
import { validOption } from '../src/shared/options';
import { adoptSeries, appendSeries } from './series';

export const seriesKey = (runId: string, metric: string): string => `${runId}\u0000${metric}`;

export const DEFAULT_OPTIONS: DashboardOptions = {
  xAxis: 'step',
  logX: false,
  logY: false,
  smoothing: 0,
  metric: 'auto',
  tab: 'runs',
  curveLaw: 'auto',
  sweepLaw: 'auto',
};

export type Axis = 'N' | 'D' | 'C';

/** What the webview keeps for itself (persisted with the view options, never sent to the host as state). */
export interface ViewState {
  sweepAxis: Axis;
  predictAxis: Axis;
  /** The text in the Predict at… field. */
  predictText: string;
  /** Runs the user hid on the chart (legend or colour bar). */
  hidden: Set<string>;
  /** The run filter's text. */
  filter: string;
  /** The run list's focused row. */
  focusedRun?: string;
}

/** What the user does in the panel. Effects on the host (posting messages) stay in main.ts. */
export type UiAction =
  /** The user changed options in the panel (the host is told by the caller). */
  | { type: 'setOptions'; options: Partial<DashboardOptions> }
  | { type: 'selectRun'; runId: string }
  /** Optimistic: flips the run's exclusion at once; the host's `run`/`sweepFit` messages confirm. */
  | { type: 'toggleExclude'; runId: string }
  /** Shows the runs if all are hidden, else hides them all. */
  | { type: 'toggleHidden'; runIds: string[] }
  | { type: 'unhide'; runId: string }
  | { type: 'focusRun'; runId: string }
  | { type: 'setFilter'; text: string }
  | { type: 'setSweepAxis'; axis: Axis }
  | { type: 'setPredictAxis'; axis: Axis }
  | { type: 'setPredictText'; text: string }
  /** The target loss typed in the panel (shown at once; the host answers with `targetLoss`). */
  | { type: 'setTargetLoss'; value: number | null }
  /** A status line of the webview's own ("Nothing to export yet."). */
  | { type: 'localStatus'; text: string }
  /** The VS Code theme changed: colours are recomputed, everything coloured is redrawn. */
  | { type: 'themeChanged' };

export type Action = HostMessage | UiAction;

/** What a dispatch changed, so the render step redraws only that. */
export interface Change {
  /** A whole new state (init): everything is redrawn. */
  all?: boolean;
  /** Run summaries changed: the run list, its counts and the controls. */
  runs?: boolean;
  /** The chart's points must be rebuilt: runs came or went, a series was replaced or dropped, a run's parameter count or metrics changed. */
  rebuild?: boolean;
  /** Series keys that received points (appended at the end). */
  appended?: Set<string>;
  /** How drawn runs look changed (state, exclusion, hidden, filter, theme). */
  restyle?: boolean;
  /** Fitted curves on the chart (or the target line) changed. */
  curveFits?: boolean;
  /** The fit details of the selected run or the sweep (or the target they are judged against) changed. */
  fitDetails?: boolean;
  /** The sweep chart. */
  sweep?: boolean;
  options?: Partial<DashboardOptions>;
  status?: boolean;
  target?: boolean;
  /** Run colours must be recomputed. */
  colors?: boolean;
  /** The view state (ViewState) changed. */
  view?: boolean;
  /** Options restored from the persisted state on the first init, which the host does not know yet. */
  restored?: Partial<DashboardOptions>;
  /** Host pings to answer once everything before them is drawn. */
  pings?: number[];
  /** issue 15: the downstream / LR × batch views to draw (webview/lawViews.ts keeps them; not part of the state). */
  lawViews?: { downstream?: DownstreamView; hp?: HpLandscapeView };
}

/** Both changes in one (a batch is drawn once). */
export function mergeChanges(a: Change, b: Change): Change {
  const out: Change = { ...a };
  for (const k of [
    'all',
    'runs',
    'rebuild',
    'restyle',
    'curveFits',
    'fitDetails',
    'sweep',
    'status',
    'target',
    'colors',
    'view',
  ] as const)
    if (b[k]) out[k] = true;
  if (b.appended) out.appended = new Set([...(a.appended ?? []), ...b.appended]);
  if (b.options) out.options = { ...a.options, ...b.options };
  if (b.restored) out.restored = { ...a.restored, ...b.restored };
  if (b.pings) out.pings = [...(a.pings ?? []), ...b.pings];
  if (b.lawViews) out.lawViews = { ...a.lawViews, ...b.lawViews };
  return out;
}

const isHostMessage = (a: Action): a is HostMessage => HOST_MESSAGE_TYPES.has(a.type);

export class Store {
  private st: DashboardState = { runs: [], series: [], curveFits: [], options: { ...DEFAULT_OPTIONS }, laws: [] };
  private vs: ViewState;
  private hadInit = false;
  private seriesIndex = new Map<string, SeriesData>();
  private runIndex = new Map<string, RunSummary>();
  private chartedSet: Set<string> | undefined;
  /** The dashboard state, for reading: only `dispatch` changes it. */
  get state(): Readonly<DashboardState> {
    return this.st;
  }
  /** The webview's own view state, for reading: only `dispatch` changes it. */
  get view(): Readonly<ViewState> & { readonly hidden: ReadonlySet<string> } {
    return this.vs;
  }
  /** Whether the host's first `init` has arrived. */
  get initialized(): boolean {
    return this.hadInit;
  }
  /** The persisted state of an earlier session: its view options win on the first init. */
  private readonly restoreFrom: PersistedState | undefined;

  /** Starts from what an earlier session persisted (already validated with `readPersisted`), shown until the host answers. */
  constructor(persisted?: PersistedState) {
    this.restoreFrom = persisted;
    this.vs = {
      sweepAxis: persisted?.sweepAxis ?? 'N',
      predictAxis: persisted?.predictAxis ?? 'N',
      predictText: persisted?.predictText ?? '',
      hidden: new Set(persisted?.hidden ?? []),
      filter: persisted?.filter ?? '',
      focusedRun: persisted?.focusedRun,
    };
    if (persisted?.options) this.st.options = { ...this.st.options, ...persisted.options };
  }

  /** The run is drawn (the host sends its points). Every run when the host did not say. */
  isCharted(runId: string): boolean {
    return !this.chartedSet || this.chartedSet.has(runId);
  }
  /** Number of runs drawn (kept until runs come or go or the charted set changes: the chart asks once per run). */
  chartedCount(): number {
    if (!this.chartedSet) return this.st.runs.length;
    if (this.chartedN === undefined) {
      let n = 0;
      for (const id of this.chartedSet) if (this.runIndex.has(id)) n++;
      this.chartedN = n;
    }
    return this.chartedN;
  }
  private chartedN: number | undefined;
  private reindexRuns(): void {
    this.runIndex = new Map(this.st.runs.map((r) => [r.id, r]));
    this.chartedN = undefined;
  }
  private dropSeriesWhere(drop: (s: SeriesData) => boolean): void {
    this.st.series = this.st.series.filter((s) => !drop(s));
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
    return this.st.curveFits.find((f) => f.runId === runId && f.metric === metric);
  }
  /** The metric shown for a run: the chosen one, or with 'auto' the run's own (forecast) metric. */
  metricFor(run: RunSummary): string {
    const m = this.st.options.metric;
    if (m && m !== 'auto') return m;
    return run.metric ?? run.forecast?.metric ?? run.metrics[0] ?? 'loss';
  }
  /** Every metric any run has, sorted, for the metric picker. */
  allMetrics(): string[] {
    const s = new Set<string>();
    for (const r of this.st.runs) for (const m of r.metrics) s.add(m);
    for (const se of this.st.series) s.add(se.metric);
    return [...s].sort();
  }

  /** The one entry point: applies a host message or a user action and says what changed. */
  dispatch(action: Action): Change {
    return isHostMessage(action) ? this.apply(action) : this.act(action);
  }

  /** The selected run, or the first run when it is gone. */
  private ensureSelection(): void {
    const o = this.st.options;
    if (!this.run(o.selectedRun)) o.selectedRun = this.st.runs[0]?.id;
  }

  /** Replaces a run's summary by a changed copy (summaries are never changed in place, so views can compare them). */
  private replaceRun(prev: RunSummary, next: RunSummary): void {
    this.st.runs[this.st.runs.indexOf(prev)] = next;
    this.runIndex.set(next.id, next);
  }

  /** Host messages. */
  apply(msg: HostMessage): Change {
    switch (msg.type) {
      case 'init': {
        const st = msg.state;
        this.st = {
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
          // The message's columns copied once into growable buffers of the store's own (see adoptSeries).
          const copy = adoptSeries(s);
          this.st.series.push(copy);
          this.seriesIndex.set(seriesKey(s.runId, s.metric), copy);
        }
        const change: Change = { all: true, colors: true };
        if (!this.hadInit) {
          // The first init after a reload: the persisted view options win, and the host is told.
          const { options, changed } = restoreOptions(this.st.options, this.restoreFrom);
          if (changed.selectedRun !== undefined && !this.run(changed.selectedRun)) {
            delete changed.selectedRun;
            options.selectedRun = this.st.options.selectedRun;
          }
          // The host charts what matches this webview's filter box (restored or empty), not a stale one of its own.
          const filter = this.vs.filter.slice(0, MAX_FILTER);
          if ((options.filter ?? '') !== filter) changed.filter = options.filter = filter;
          this.st.options = options;
          if (Object.keys(changed).length) change.restored = changed;
        }
        this.hadInit = true;
        this.ensureSelection();
        return change;
      }
      case 'points': {
        const key = seriesKey(msg.runId, msg.metric);
        let s = this.seriesIndex.get(key);
        let k: number;
        if (!s) {
          // Nothing stored for this series yet: its columns, in growable buffers of the store's own (adoptSeries).
          s = adoptSeries({
            runId: msg.runId,
            metric: msg.metric,
            step: msg.step,
            tokens: msg.tokens,
            time: msg.time,
            y: msg.y,
          });
          k = Math.min(s.y.length, s.step.length);
          this.seriesIndex.set(key, s);
          this.st.series.push(s);
        } else k = appendSeries(s, msg);
        const run = this.run(msg.runId);
        let runs = false;
        if (run && k > 0 && (run.metric === undefined || run.metric === msg.metric)) {
          for (let i = k - 1; i >= 0; i--) {
            if (Number.isFinite(msg.y[i])) {
              this.replaceRun(run, { ...run, lastValue: msg.y[i], lastStep: msg.step[i] });
              runs = true;
              break;
            }
          }
        }
        return runs ? { appended: new Set([key]), runs } : { appended: new Set([key]) };
      }
      case 'run': {
        const r = msg.run;
        const prev = this.runIndex.get(r.id);
        if (prev) this.st.runs[this.st.runs.indexOf(prev)] = r;
        else this.st.runs.push(r);
        this.runIndex.set(r.id, r);
        if (!prev) this.chartedN = undefined;
        this.ensureSelection();
        // Colours are laid out over every run (webview/palette.ts): a new run, or another group, label or size, moves them.
        const colors =
          !prev ||
          prev.group !== r.group ||
          prev.relPath !== r.relPath ||
          prev.label !== r.label ||
          prev.params !== r.params;
        const change: Change = { runs: true, ...(colors ? { colors: true } : {}) };
        // A run the chart does not draw (the host said which: a scan's thousand runs, at most CHART_MAX drawn) changes
        // only the run list; rebuilding the chart for each of them was a chart update per batch of a scan.
        if (this.isCharted(r.id)) {
          // New runs, another parameter count (compute axis) or metric need their points rebuilt; the rest is styling.
          const structural =
            !prev || prev.params !== r.params || prev.metric !== r.metric || !sameStrings(prev.metrics, r.metrics);
          if (structural) change.rebuild = true;
          else change.restyle = true;
        }
        if (r.id === this.st.options.selectedRun) change.fitDetails = true;
        return change;
      }
      case 'series': {
        // Replaces one metric of a run (newly charted, re-read, or a burst sent decimated).
        const s = msg.series;
        const copy = adoptSeries(s);
        const key = seriesKey(s.runId, s.metric);
        const old = this.seriesIndex.get(key);
        if (old) this.st.series[this.st.series.indexOf(old)] = copy;
        else this.st.series.push(copy);
        this.seriesIndex.set(key, copy);
        return { rebuild: true, runs: true };
      }
      case 'charted': {
        this.chartedSet = new Set(msg.runIds);
        this.chartedN = undefined;
        this.st.charted = [...msg.runIds];
        this.dropSeriesWhere((s) => !this.chartedSet!.has(s.runId));
        return { rebuild: true, runs: true };
      }
      case 'targetLoss':
        this.st.targetLoss = msg.value;
        return { target: true, fitDetails: true, curveFits: true };
      case 'removeRun': {
        this.st.runs = this.st.runs.filter((r) => r.id !== msg.runId);
        this.runIndex.delete(msg.runId);
        this.chartedN = undefined;
        this.dropSeriesWhere((s) => s.runId === msg.runId);
        this.st.curveFits = this.st.curveFits.filter((f) => f.runId !== msg.runId);
        this.ensureSelection();
        return { runs: true, rebuild: true, curveFits: true, fitDetails: true, sweep: true, colors: true };
      }
      case 'curveFit': {
        const f = msg.fit;
        const i = this.st.curveFits.findIndex((c) => c.runId === f.runId && c.metric === f.metric);
        if (i >= 0) this.st.curveFits[i] = f;
        else this.st.curveFits.push(f);
        return f.runId === this.st.options.selectedRun ? { curveFits: true, fitDetails: true } : { curveFits: true };
      }
      case 'sweepFit':
        this.st.sweepFit = msg.fit;
        return { sweep: true, fitDetails: true };
      case 'options':
        this.st.options = { ...this.st.options, ...msg.options };
        this.ensureSelection();
        return { options: msg.options };
      case 'status':
        this.st.status = msg.text;
        return { status: true };
      case 'ping':
        return { pings: [msg.id] };
      case 'downstream':
        return { lawViews: { downstream: msg.view } };
      case 'hpLandscape':
        return { lawViews: { hp: msg.view } };
      case 'batch': {
        // Applied in order; everything they change is drawn once.
        let change: Change = {};
        for (const m of msg.messages) {
          if (m && typeof m === 'object' && m.type !== 'batch' && HOST_MESSAGE_TYPES.has(m.type))
            change = mergeChanges(change, this.apply(m));
        }
        return change;
      }
      default:
        return {};
    }
  }

  /** The user's actions. */
  private act(a: UiAction): Change {
    const view = this.vs;
    switch (a.type) {
      case 'setOptions':
        this.st.options = { ...this.st.options, ...a.options };
        return { options: a.options };
      case 'selectRun':
        if (!this.run(a.runId)) return {};
        this.st.options = { ...this.st.options, selectedRun: a.runId };
        return { options: { selectedRun: a.runId } };
      case 'toggleExclude': {
        const change: Change = {};
        const r = this.run(a.runId);
        if (r) {
          this.replaceRun(r, { ...r, excluded: !r.excluded });
          change.runs = true;
          change.restyle = true;
        }
        const sf = this.st.sweepFit;
        if (sf)
          for (const p of sf.points)
            if (p.runId === a.runId) {
              p.excluded = !p.excluded;
              change.sweep = true;
            }
        return change;
      }
      case 'toggleHidden': {
        const show = a.runIds.every((id) => view.hidden.has(id));
        for (const id of a.runIds) {
          if (show) view.hidden.delete(id);
          else view.hidden.add(id);
        }
        return { view: true, restyle: true, runs: true };
      }
      case 'unhide':
        return view.hidden.delete(a.runId) ? { view: true, restyle: true, runs: true } : {};
      case 'focusRun':
        view.focusedRun = a.runId;
        return { view: true };
      case 'setFilter':
        if (a.text === view.filter) return {};
        view.filter = a.text;
        return { view: true, restyle: true, runs: true };
      case 'setSweepAxis':
        if (a.axis === view.sweepAxis) return {};
        view.sweepAxis = a.axis;
        return { view: true, sweep: true };
      case 'setPredictAxis':
        if (a.axis === view.predictAxis) return {};
        view.predictAxis = a.axis;
        return { view: true };
      case 'setPredictText':
        if (a.text === view.predictText) return {};
        view.predictText = a.text;
        return { view: true };
      case 'setTargetLoss':
        if (a.value === (this.st.targetLoss ?? null)) return {};
        this.st.targetLoss = a.value;
        return { fitDetails: true, curveFits: true };
      case 'localStatus':
        this.st.status = a.text;
        return { status: true };
      case 'themeChanged':
        return { colors: true, runs: true, restyle: true, sweep: true };
    }
  }

  /** What `vscode.setState` keeps: the view options and the view state (small: never the data). */
  persisted(): PersistedState {
    const o = this.st.options;
    const options: Partial<DashboardOptions> = {};
    for (const k of VIEW_KEYS) if (o[k] !== undefined) (options as Record<string, unknown>)[k] = o[k];
    const v = this.vs;
    return {
      v: 1,
      options,
      sweepAxis: v.sweepAxis,
      predictAxis: v.predictAxis,
      predictText: v.predictText.slice(0, 64),
      focusedRun: v.focusedRun,
      hidden: [...v.hidden].filter((id) => !this.initialized || this.run(id)).slice(0, 1000),
      filter: v.filter.slice(0, 200),
    };
  }
}

/**
 * Same data, compared field by field: primitives with Object.is, arrays and plain objects (a summary's metrics
 * and forecast, a last value) one level at a time. Run summaries are replaced, never changed in place, by the store.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((x, i) => sameData(x, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
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

export function restoreOptions(
  host: DashboardOptions,
  persisted: PersistedState | undefined,
): { options: DashboardOptions; changed: Partial<DashboardOptions> } {
  const options = { ...host };
  const changed: Partial<DashboardOptions> = {};
  const p = persisted?.v === 1 ? persisted.options : undefined;
  if (p) {
    for (const k of VIEW_KEYS) {
      const v = p[k];
      if (v !== undefined && v !== host[k]) {
        (options as Record<string, unknown>)[k] = v;
        (changed as Record<string, unknown>)[k] = v;
      }
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
  // The view options only, each valid as the host would accept it from the webview (src/shared/options.ts).
  const opts: Record<string, unknown> = {};
  if (o) for (const k of VIEW_KEYS) if (validOption(k, o[k])) opts[k] = o[k];
  return {
    v: 1,
    options: opts as Partial<DashboardOptions>,
    sweepAxis: axis(p.sweepAxis),
    predictAxis: axis(p.predictAxis),
    predictText: typeof p.predictText === 'string' ? p.predictText.slice(0, 64) : undefined,
    focusedRun: typeof p.focusedRun === 'string' ? p.focusedRun : undefined,
    hidden: Array.isArray(p.hidden)
      ? p.hidden.filter((x): x is string => typeof x === 'string').slice(0, 1000)
      : undefined,
    filter: typeof p.filter === 'string' ? p.filter.slice(0, 200) : undefined,
  };
}
