/**
 * The host ⇄ webview protocol of the dashboard, shared by `src/host/dashboard.ts` and `webview/main.ts`.
 * Discriminated unions both ways. The webview is untrusted: every message from it goes through
 * `parseWebviewMessage`, which returns null for anything malformed, oversized or unknown.
 *
 * Flow (after vscode-js-profile-visualizer's realtime view): the webview sends `ready` whenever it (re)loads;
 * the host answers with one `init` carrying the full state, then only increments (`points`, `series`, `run`,
 * `curveFit`, `sweepFit`, `removeRun`, `charted`, `targetLoss`) while the panel is visible. When the panel becomes
 * visible again after being hidden, the host sends a fresh `init` (increments are not queued for hidden panels).
 *
 * Bounded work: the host collects increments and posts them once per frame as one `batch` (coalesced: see
 * src/model/outbox.ts), and sends points only for the charted runs (at most `CHART_MAX`, src/model/chartSet.ts:
 * the selected run, pinned runs, live runs, the most recent); the run list gets every run's summary.
 */

import { validOption } from './shared/options';

// ---------------------------------------------------------------------------------------------------------------
// Shared data shapes

export type XAxis = 'step' | 'tokens' | 'compute' | 'time';
/** The run-state model (src/model/runState.ts): live, finished, stopped early, diverged, stale. */
export type RunState = 'live' | 'finished' | 'stopped' | 'diverged' | 'stale';

export interface Forecast {
  metric: string;
  /** Step the forecast is for (the planned final step, or the horizon). */
  atStep: number;
  value: number;
  lower: number;
  upper: number;
  /** Law id and display name used. */
  law: string;
  lawName: string;
  /** Steps until `targetLoss` is reached (null: not within the horizon; undefined: no target set). */
  stepToTarget?: number | null;
  /**
   * With `stepToTarget`: the steps at which the lower and the upper end of the forecast's band reach the target
   * (null: not within the horizon) — the interval of the answer.
   */
  stepToTargetBand?: [number | null, number | null];
  /** Estimated seconds until the planned final step, from wall times when known. */
  etaSeconds?: number | null;
  /** Schedule-aware forecasts: the LR schedule assumed for the rest of the run (inferred from the logged LR). */
  schedule?: string;
  /** How `atStep` was chosen: "planned end", "assumed end: step 2,000 = 2× the last step (…)", "if continued to …". */
  basis?: string;
  /** The run stopped early: this is what it would reach if continued to `atStep`, not a prediction of its end. */
  hypothetical?: boolean;
  /** Which law or model average (with weights) made the forecast. */
  method?: string;
  /** Which sweep prior (finished runs of the same sweep) narrowed the forecast, and by how much; absent: none. */
  sweepPrior?: string;
  /**
   * The forecast crosses epoch boundaries of a run whose epoch length is logged: how many, and that the loss may
   * step down at each (src/fit/curve/epochs.ts epochNote); absent: none ahead or no epoch length.
   */
  epochs?: string;
}

export interface RunSummary {
  id: string;
  label: string;
  /** Path relative to its workspace folder (for display). */
  relPath: string;
  /** Group: the folder holding the run (a sweep). */
  group: string;
  format: string;
  params?: number;
  paramsSource?: string;
  tokens?: number;
  lastStep?: number;
  lastValue?: number;
  totalSteps?: number;
  metric?: string;
  state: RunState;
  /** The evidence for `state`, in plain words. */
  stateReason?: string;
  excluded: boolean;
  metrics: string[];
  forecast?: Forecast;
  /** Number of diagnostics (NaN, spikes, …) found in the run. */
  problems: number;
  /** When the run was built from several files of one training run (src/ingest/sameRun.ts): their paths, relative, and why. */
  builtFrom?: { files: string[]; reason: string };
  /** When the run is the same training run as another one, kept apart: that run's id (it counts once, there), and why. */
  linkedTo?: { id: string; reason: string };
  /**
   * When the run holds evaluation scores (lm-eval results, an eval table) of a checkpoint of a training run: that
   * run's id and the checkpoint's step. The Runs view lists it under that run, not as a run of its own.
   */
  evaluates?: { id: string; step?: number };
}

/**
 * A column of a series as the host sends it: a Float64Array of its own (not a view into a larger buffer). VS Code
 * (1.57+, with the engine this extension requires) carries ArrayBuffers and typed arrays in `webview.postMessage`
 * as binary, not JSON, and revives them as typed arrays in the webview; a browser's postMessage copies them with one
 * memcpy, where a `number[]` of 10M points was serialized and deserialized value by value (issue 17). The webview
 * never persists them (`setState` keeps the view options only).
 */
export type Column = Float64Array;

/** A column from any numbers (a fresh Float64Array: the message owns it). */
export function column(a: ArrayLike<number>): Column {
  return Float64Array.from(a);
}

/** Points of one metric of one run. `x` arrays are parallel to `y`; missing axes are omitted. */
export interface SeriesData {
  runId: string;
  metric: string;
  step: Column;
  tokens?: Column;
  time?: Column;
  y: Column;
}

export interface Band {
  x: number[];
  y: number[];
  lower: number[];
  upper: number[];
}

export interface ParamView {
  name: string;
  value: number;
  lower?: number;
  upper?: number;
}

export interface CurveFitView {
  runId: string;
  metric: string;
  ok: boolean;
  /** When !ok: why (e.g. "not enough points: 3 < 4 parameters"). */
  reason?: string;
  law?: string;
  lawName?: string;
  latex?: string;
  params?: ParamView[];
  /** Fitted curve with its prediction band, on the step axis, up to the horizon. */
  band?: Band;
  end?: Forecast;
  backtestError?: number;
  explanation?: string;
  warnings?: string[];
  /**
   * The fitted mean on a log grid from the first step to 10× the horizon, for steps-to-target when the target
   * changes (no refit needed; see src/model/target.ts).
   */
  meanCurve?: { x: number[]; y: number[]; lower?: number[]; upper?: number[] };
  /** Schedule-aware forecasts: the LR schedule assumed for the rest of the run. */
  schedule?: string;
  /** Why there is no `end` forecast although the fit succeeded (finished run: its final value is the answer). */
  noForecast?: string;
  /** Which law or model average (with weights) made the forecast. */
  method?: string;
  /** Which sweep prior narrowed the forecast (see Forecast.sweepPrior). */
  sweepPrior?: string;
  /** Epoch boundaries the forecast crosses (see Forecast.epochs). */
  epochs?: string;
}

export interface SweepPoint {
  runId?: string;
  label?: string;
  N: number;
  D: number;
  C: number;
  loss: number;
  excluded?: boolean;
}

export interface SweepFitView {
  ok: boolean;
  reason?: string;
  /** The one metric every sweep point's loss is (runs without it are left out), and how `auto` chose it. */
  metric?: string;
  metricNote?: string;
  law?: string;
  lawName?: string;
  latex?: string;
  params?: ParamView[];
  objective?: number;
  n?: number;
  points: SweepPoint[];
  /** Fitted loss along the compute-optimal frontier: C → loss, N_opt, D_opt. */
  frontier?: { C: number[]; loss: number[]; N: number[]; D: number[] };
  /** IsoFLOP curves: for a few budgets, loss vs N along C = 6ND. */
  isoflops?: { C: number; N: number[]; loss: number[] }[];
  /** Compute-optimal exponents N_opt ∝ C^a, D_opt ∝ C^b. */
  exponents?: { a: number; b: number; aInterval?: [number, number] };
  explanation?: string;
  warnings?: string[];
  /** The answer to the last `predict` request. */
  prediction?: {
    axis: 'N' | 'D' | 'C';
    at: number;
    value: number;
    lower: number;
    upper: number;
    N?: number;
    D?: number;
  };
  /** Why the last `predict` request has no answer with this law (e.g. a law in N asked about C). */
  predictionError?: string;
  /** Input axis of a one-input law (L as a function of N, D or C); absent for Chinchilla L(N, D). */
  axis?: 'N' | 'D' | 'C';
  /** A one-input law along its axis, with its bootstrap band, from half the smallest to 100× the largest point. */
  curve?: { x: number[]; y: number[]; lower: number[]; upper: number[] };
  /** Goodness of fit on the points used: RMSE of log residuals, and R² of log loss. */
  logRmse?: number;
  r2?: number;
  /** Held-out error: fitted on the smaller 75 % of the points (along the law's axis; by C for Chinchilla), log-RMSE on the rest. */
  backtestError?: number;
  /** How `auto` chose the law: every candidate with its score (lower is better) or why it failed. */
  selection?: {
    by: 'held-out log-RMSE' | 'AIC';
    candidates: { law: string; name: string; score?: number; reason?: string }[];
  };
  /**
   * Compute-optimal allocation by several methods (Hoffmann et al. 2022): N_opt ∝ C^a, D_opt ∝ C^b, and the
   * per-budget optima when the method has them; `note` says why a method has no answer.
   */
  approaches?: {
    id: string;
    name: string;
    a?: number;
    b?: number;
    points?: { C: number; N: number; D: number; loss: number }[];
    note?: string;
  }[];
}

// ── issue 15: downstream metrics and the LR × batch-size landscape (webview/lawViews.ts, src/model/lawViews.ts) ──

/** One downstream metric across the workspace: scores against loss and compute, its loss → metric law, the chain. */
export interface DownstreamTaskView {
  /** `eval/<task>/<metric>` */
  metric: string;
  /** One point per (run, evaluated checkpoint): the run's loss at that step, its compute 6·N·D when known. */
  points: { runId: string; label: string; step: number; loss: number; C?: number; value: number }[];
  /** The loss → metric law fitted on the points (id, name, params) with its curve and bootstrap band over loss. */
  fit?: { law: string; lawName: string; params: ParamView[]; curve: Band; warnings: string[] };
  /** Why there is no fit (too few points, degenerate). */
  reason?: string;
  /**
   * The chained prediction N, D → loss → metric: along the sweep law's compute-optimal frontier (C → loss → metric),
   * and at the last `predict` answer, with bands from the loss interval and the metric law's bootstrap.
   */
  chain?: {
    C: number[];
    value: number[];
    lower: number[];
    upper: number[];
    at?: { axis: string; x: number; loss: number; value: number; lower: number; upper: number };
  };
}

export interface DownstreamView {
  tasks: DownstreamTaskView[];
  /** Plain-language notes (no evaluations found, points left out and why). */
  notes: string[];
}

/** The LR × batch-size landscape of a sweep with its optimum, our η*(N, D), B*(D) fits and the published Step Law. */
export interface HpLandscapeView {
  cells: {
    N: number;
    D: number;
    runs: { lr: number; bs: number; loss: number; nearOptimal: boolean }[];
    best: { lr: number; bs: number; loss: number };
    fitted?: { lr: number; bs: number };
    published: { lr: number; bs: number };
  }[];
  fitted?: { lr: ParamView[]; bs: ParamView[] };
  published: { source: string; lr: string; bs: string };
  /** Where the sweep was read from. */
  sources: string[];
  warnings: string[];
}

export interface DashboardOptions {
  xAxis: XAxis;
  logX: boolean;
  logY: boolean;
  /** Exponential-moving-average smoothing weight in [0, 0.99]. */
  smoothing: number;
  metric: string;
  tab: 'runs' | 'sweep' | 'fit';
  selectedRun?: string;
  curveLaw: string;
  sweepLaw: string;
  /** Runs the user chose to keep on the chart (besides the selected one); host-owned, changed with `togglePin`. */
  pinned?: string[];
  /** The filter box's text (src/shared/runFilter.ts): the host charts runs that match it. */
  filter?: string;
}

export interface LawOption {
  id: string;
  name: string;
  scope: 'curve' | 'sweep';
}

export interface DashboardState {
  runs: RunSummary[];
  series: SeriesData[];
  curveFits: CurveFitView[];
  sweepFit?: SweepFitView;
  options: DashboardOptions;
  laws: LawOption[];
  targetLoss?: number | null;
  /** Shown in the panel's status line (e.g. "Scanning 12 files…", "Fitting worker restarted"). */
  status?: string;
  /** Runs drawn on the chart (series and curve fits are sent for these only); absent: every run. */
  charted?: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Host → webview

export type HostMessage =
  | { type: 'init'; state: DashboardState }
  /** Points appended to one metric of a run (columns as in SeriesData). */
  | { type: 'points'; runId: string; metric: string; step: Column; tokens?: Column; time?: Column; y: Column }
  /** Replaces every point of one metric of a run (a newly charted run, a re-read log, a burst too big to send raw). */
  | { type: 'series'; series: SeriesData }
  | { type: 'run'; run: RunSummary }
  | { type: 'removeRun'; runId: string }
  | { type: 'curveFit'; fit: CurveFitView }
  | { type: 'sweepFit'; fit: SweepFitView }
  | { type: 'options'; options: Partial<DashboardOptions> }
  | { type: 'status'; text: string }
  /** Health check: the webview answers `pong` with the same id once everything posted before is drawn. */
  | { type: 'ping'; id: number }
  /** The charted runs changed: the webview drops the series of runs not in the list. */
  | { type: 'charted'; runIds: string[] }
  | { type: 'targetLoss'; value: number | null }
  /** issue 15: answers to `requestLawViews`. */
  | { type: 'downstream'; view: DownstreamView }
  | { type: 'hpLandscape'; view: HpLandscapeView }
  /** Several messages at once, applied in order, drawn once. Never nested. */
  | { type: 'batch'; messages: HostMessage[] };

/** Every host message type, once: a missing or unknown key is a compile error. */
const HOST_TYPES: Record<HostMessage['type'], true> = {
  init: true,
  points: true,
  series: true,
  run: true,
  removeRun: true,
  curveFit: true,
  sweepFit: true,
  options: true,
  status: true,
  ping: true,
  charted: true,
  targetLoss: true,
  batch: true,
  downstream: true,
  hpLandscape: true,
};
/** The types the webview accepts from the host (anything else is dropped). */
export const HOST_MESSAGE_TYPES: ReadonlySet<string> = new Set(Object.keys(HOST_TYPES));

// ---------------------------------------------------------------------------------------------------------------
// Webview → host (untrusted)

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'setOptions'; options: Partial<DashboardOptions> }
  | { type: 'selectRun'; runId: string }
  | { type: 'toggleExclude'; runId: string }
  /** Keep a run on the chart, or stop keeping it there. */
  | { type: 'togglePin'; runId: string }
  /** A positive target loss, or null to clear it. */
  | { type: 'setTargetLoss'; value: number | null }
  | { type: 'predict'; axis: 'N' | 'D' | 'C'; value: number }
  | { type: 'exportPng'; dataUrl: string; name: string }
  | { type: 'exportCsv' }
  | { type: 'copyLaw'; format: 'markdown' | 'latex' }
  | { type: 'revealLog'; runId: string }
  | { type: 'error'; message: string }
  /** Answer to `ping`; `drawMs` is how long the webview's last chart redraw took. */
  | { type: 'pong'; id: number; drawMs: number }
  /** issue 15: compute the downstream and LR × batch views (answered by `downstream` and `hpLandscape`). */
  | { type: 'requestLawViews' };

export const MAX_MESSAGE_STRING = 256;
/** PNG exports are data URLs; cap them (a 4K chart is well under this). */
export const MAX_DATA_URL = 16 * 1024 * 1024;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function shortString(v: unknown, max = MAX_MESSAGE_STRING): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}
function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Validates the option fields one by one (src/shared/options.ts); an unknown key or a wrong value makes the whole message invalid. */
function parseOptions(v: unknown): Partial<DashboardOptions> | null {
  if (!isObj(v)) return null;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!validOption(k, val)) return null;
    out[k] = val;
  }
  return out as Partial<DashboardOptions>;
}

/** The fields (besides `type`) of each webview message. */
const FIELDS: Record<string, readonly string[]> = {
  ready: [],
  exportCsv: [],
  setOptions: ['options'],
  selectRun: ['runId'],
  toggleExclude: ['runId'],
  revealLog: ['runId'],
  togglePin: ['runId'],
  setTargetLoss: ['value'],
  predict: ['axis', 'value'],
  exportPng: ['dataUrl', 'name'],
  copyLaw: ['format'],
  error: ['message'],
  pong: ['id', 'drawMs'],
  requestLawViews: [],
};

/**
 * Parses a message from the webview. Returns null (the caller logs and drops it) for anything that is not
 * exactly one of the `WebviewMessage` shapes: unknown type, missing or mistyped fields, non-finite numbers,
 * oversized strings, extra nesting.
 */
export function parseWebviewMessage(m: unknown): WebviewMessage | null {
  if (!isObj(m) || typeof m.type !== 'string') return null;
  // Exactly the fields of the shape: an unknown top-level key (e.g. an own `__proto__`) rejects the message.
  const fields = Object.prototype.hasOwnProperty.call(FIELDS, m.type) ? FIELDS[m.type] : undefined;
  if (!fields || Object.keys(m).some((k) => k !== 'type' && !fields.includes(k))) return null;
  switch (m.type) {
    case 'ready':
    case 'exportCsv':
    case 'requestLawViews':
      return { type: m.type };
    case 'setOptions': {
      const options = parseOptions(m.options);
      return options ? { type: 'setOptions', options } : null;
    }
    case 'selectRun':
    case 'toggleExclude':
    case 'revealLog':
    case 'togglePin':
      return shortString(m.runId, 4096) ? { type: m.type, runId: m.runId } : null;
    case 'setTargetLoss':
      return m.value === null || (finite(m.value) && m.value > 0) ? { type: 'setTargetLoss', value: m.value } : null;
    case 'predict':
      return (m.axis === 'N' || m.axis === 'D' || m.axis === 'C') && finite(m.value) && m.value > 0
        ? { type: 'predict', axis: m.axis, value: m.value }
        : null;
    case 'exportPng':
      return typeof m.dataUrl === 'string' &&
        m.dataUrl.length <= MAX_DATA_URL &&
        m.dataUrl.startsWith('data:image/png;base64,') &&
        shortString(m.name) &&
        /^[\w.\- ]+$/.test(m.name)
        ? { type: 'exportPng', dataUrl: m.dataUrl, name: m.name }
        : null;
    case 'copyLaw':
      return m.format === 'markdown' || m.format === 'latex' ? { type: 'copyLaw', format: m.format } : null;
    case 'error':
      return typeof m.message === 'string' ? { type: 'error', message: m.message.slice(0, 2000) } : null;
    case 'pong':
      return Number.isSafeInteger(m.id) && (m.id as number) > 0 && finite(m.drawMs) && m.drawMs >= 0
        ? { type: 'pong', id: m.id as number, drawMs: m.drawMs }
        : null;
    default:
      return null;
  }
}
