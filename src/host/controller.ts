/**
 * The extension's state and its flow: watcher → model → fits (in the worker) → views.
 * Views (runs tree, dashboard, hover, status bar, CodeLens, Problems) subscribe to its events and read its
 * state; they never parse or fit anything themselves.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { RunModel, lastFinite, tokensForSteps, type Increment } from '../model/runModel';
import { FitClient } from '../worker/fitClient';
import { epochLengthOf, type CurveJob, type FitJob, type FitJobResult, type SweepJob } from '../model/fitJobs';
import { FitScheduler, PRIORITY, type FitOutcome, type FitRequest, type Priority } from '../model/fitScheduler';
import type {
  CurveFitView,
  DashboardOptions,
  DashboardState,
  SeriesData,
  SweepFitView,
  LawOption,
  Forecast,
} from '../protocol';
import { column } from '../protocol';
import { pick, pickColumn } from '../model/decimate';
import { SeriesThinCache } from '../model/thinCache';
import { LogWatcher, type FileUpdate } from './watcher';
import { readConfig, type Config } from './config';
import { lawOptions } from '../model/fitViews';
import { retarget } from '../model/target';
import { sweepCurves } from '../model/sweepCurves';
import { countedEvent } from './liveCount';
import { nextScanDelay } from '../model/scanCadence';
import { refitsForOptions, refitsForSettings } from '../model/refitRules';
import { isSweepPredictor, type SweepPredictor } from '../model/sweepPredictor';
import { withPrediction } from '../model/sweepPredict';

/** Points per series in a full-state message (increments are sent raw; the chart decimates on screen). */
const INIT_POINTS = 4000;
/** A live run refits at most this often (and waits at least 5× its last fit time: a slow fit cannot hog the worker). */
const CURVE_REFIT_MS = 1500;
/** The sweep refits this long after the last change, but never later than SWEEP_MAX_WAIT_MS after the first. */
const SWEEP_REFIT_MS = 2000;
const SWEEP_MAX_WAIT_MS = 10_000;
/** A fit that has not answered this long after the worker started it fails, and the worker is restarted. */
const FIT_TIMEOUT_MS = 60_000;
const SWEEP_KEY = 'sweep';
const curveKey = (runId: string) => `curve:${runId}`;
/** Paths whose relative form is remembered (see `relativize`); past this, the memo starts over. */
const MAX_REL_PATHS = 20_000;
/** Run states change with time alone (a log stops growing): re-decided this often (O(runs), no parsing). */
const STATE_CHECK_MS = 5000;

/** A change of the workspace's `auto` metric, and the sentence that announces it. */
export interface MetricSwitch {
  from?: string;
  to?: string;
  note?: string;
  text: string;
}

export function metricSwitchText(from: string | undefined, to: string | undefined, note: string | undefined): string {
  return `Scaling Lens now charts and fits ${to ?? "each run's own loss"} (was ${from ?? "each run's own loss"})${note ? `: ${note}` : ''}`;
}

export class Controller implements vscode.Disposable {
  readonly model: RunModel;
  readonly watcher: LogWatcher;
  readonly fits: FitClient;
  /** Owns every fit job: the controller only marks what needs (re)fitting (src/model/fitScheduler.ts). */
  readonly scheduler: FitScheduler;
  config: Config;
  readonly curveFits = new Map<string, CurveFitView>();
  sweepFit: SweepFitView | undefined;
  options: DashboardOptions;
  status = '';
  private readonly disposables: vscode.Disposable[] = [];
  /** The charted series thinned to `INIT_POINTS`, cached per series and computed in slices (see `prepareSeries`). */
  private readonly thin = new SeriesThinCache(INIT_POINTS);
  private lastPredict: SweepJob['predict'];
  /** The last sweep fit's parameters and bootstrap sets, with the key of the job that fitted them (Predict at…). */
  private sweepPredictor: (SweepPredictor & { key?: string }) | undefined;
  /** Sweep fit jobs built so far (tests: a Predict at… answered from the last fit builds none). */
  sweepJobsBuilt = 0;
  /** Runs the dashboard charts: their fits go first. */
  private focusRuns = new Set<string>();

  private readonly _onDidChangeRuns = new vscode.EventEmitter<string[]>();
  /** Run ids added, changed or removed (summaries, tree, status bar). */
  readonly onDidChangeRuns = countedEvent('controller.onDidChangeRuns', this._onDidChangeRuns.event);
  private readonly _onDidAppend = new vscode.EventEmitter<Increment[]>();
  /** New points (dashboard increments). */
  readonly onDidAppend = countedEvent('controller.onDidAppend', this._onDidAppend.event);
  private readonly _onDidRemoveRuns = new vscode.EventEmitter<string[]>();
  readonly onDidRemoveRuns = countedEvent('controller.onDidRemoveRuns', this._onDidRemoveRuns.event);
  private readonly _onDidFit = new vscode.EventEmitter<{ curve?: CurveFitView; sweep?: SweepFitView }>();
  readonly onDidFit = countedEvent('controller.onDidFit', this._onDidFit.event);
  private readonly _onDidChangeStatus = new vscode.EventEmitter<string>();
  readonly onDidChangeStatus = countedEvent('controller.onDidChangeStatus', this._onDidChangeStatus.event);
  private readonly _onDidSwitchMetric = new vscode.EventEmitter<MetricSwitch>();
  /** The workspace's `auto` metric changed (loss → val/loss, …): the notice in the status bar, the output log. */
  readonly onDidSwitchMetric = countedEvent('controller.onDidSwitchMetric', this._onDidSwitchMetric.event);
  /** The last switch of the `auto` metric (tests; the notice shows it). */
  lastMetricSwitch: MetricSwitch | undefined;
  private readonly _onDidChangeTarget = new vscode.EventEmitter<number | null>();
  /** The target loss changed; forecasts already carry the new steps-to-target. */
  readonly onDidChangeTarget = countedEvent('controller.onDidChangeTarget', this._onDidChangeTarget.event);
  private readonly _onDidUpdateFile = new vscode.EventEmitter<FileUpdate>();
  readonly onDidUpdateFile = countedEvent('controller.onDidUpdateFile', this._onDidUpdateFile.event);

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.config = readConfig();
    this.model = new RunModel({
      liveTimeoutMs: this.config.liveTimeoutSeconds * 1000,
      relativize: (p) => this.relativize(p),
    });
    this.options = {
      xAxis: 'step',
      logX: false,
      logY: false,
      smoothing: 0,
      metric: this.config.metric,
      tab: 'runs',
      curveLaw: this.config.curveLaw,
      sweepLaw: this.config.sweepLaw,
      ...context.workspaceState.get<Partial<DashboardOptions>>('scalingLens.dashboardOptions'),
    };
    for (const id of context.workspaceState.get<string[]>('scalingLens.excluded') ?? [])
      this.model.setExcluded(id, true);
    this.fits = new FitClient({
      workerPath: path.join(context.extensionPath, 'dist', 'fitWorker.js'),
      timeoutMs: 0, // the scheduler times each job from its start
      log: (level, msg) => this.log[level](msg),
      onHealth: (ok, msg) => this.setStatus(ok ? '' : msg),
    });
    this.scheduler = new FitScheduler(
      this.fits,
      {
        now: () => performance.now(),
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      },
      {
        timeoutMs: FIT_TIMEOUT_MS,
        costFactor: 5,
        log: (level, msg) => this.log[level](msg),
      },
    );
    this.watcher = new LogWatcher(this.config, log);
    this.disposables.push(
      this._onDidChangeRuns,
      this._onDidAppend,
      this._onDidRemoveRuns,
      this._onDidFit,
      this._onDidChangeStatus,
      this._onDidUpdateFile,
      this._onDidChangeTarget,
      this._onDidSwitchMetric,
      this.watcher,
      this.watcher.onDidUpdate((u) => this.onFileUpdate(u)),
      this.watcher.onDidRemove((p) => this.onFileRemoved(p)),
      this.watcher.onDidSkip(({ path: p, reason }) => this.log.warn(`skipped ${this.relativize(p)}: ${reason}`)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('scalingLens')) this.reloadConfig();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reloadConfig()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.relPaths.clear()),
    );
  }

  /**
   * A path as the views show it: relative to its workspace folder (prefixed with the folder's name when there are
   * several). Remembered per path until the folders change: run summaries ask for every run's path, and with a
   * thousand runs `getWorkspaceFolder` + `path.relative` for each were most of a summaries pass (the runs view's
   * badge, every 250 ms during a scan).
   */
  relativize(p: string): string {
    let rel = this.relPaths.get(p);
    if (rel === undefined) {
      const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(p));
      if (!folder) rel = p;
      else {
        const r = path.relative(folder.uri.fsPath, p).split(path.sep).join('/');
        rel = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folder.name}/${r}` : r;
      }
      if (this.relPaths.size >= MAX_REL_PATHS) this.relPaths.clear();
      this.relPaths.set(p, rel);
    }
    return rel;
  }
  private readonly relPaths = new Map<string, string>();

  async start(): Promise<void> {
    this.setStatus('Scanning workspace for training logs…');
    const t0 = performance.now();
    const n = await this.watcher.restart();
    const firstScanMs = performance.now() - t0;
    this.setStatus(n ? '' : 'No training logs found yet — watching the workspace.');
    void this.scheduleSweepFit();
    // Additive scans for logs no watcher reported (see scanCadence): files created while the watchers were
    // starting, bursts, new folders. Each only reads files not tracked yet (and re-polls the tracked ones).
    const followUp = (lastMs: number) => {
      if (this.disposed) return;
      this.scanTimer = setTimeout(() => {
        const t0 = performance.now();
        void this.watcher.sweep().then(
          (k) => {
            const ms = performance.now() - t0;
            if (k) this.log.info(`periodic scan: ${k} new file(s) no watcher had reported (${ms.toFixed(0)} ms)`);
            followUp(ms);
          },
          () => followUp(lastMs),
        );
      }, nextScanDelay(lastMs));
    };
    followUp(firstScanMs);
    this.model.reevaluate();
    this.stateTimer ??= setInterval(() => this.recheckStates(), STATE_CHECK_MS);
  }
  private stateTimer: ReturnType<typeof setInterval> | undefined;
  private lastWsMetric: string | undefined | null = null;

  /** Runs whose state changed with time (live → finished / stale / stopped): refit their forecast, the sweep, views. */
  private recheckStates(): void {
    // The workspace's `auto` metric switched (e.g. a run without val/loss appeared): every curve is refitted on it.
    const { metric: ws, note } = this.model.workspaceMetric();
    if (ws !== this.lastWsMetric) {
      const first = this.lastWsMetric === null;
      const from = this.lastWsMetric ?? undefined;
      this.lastWsMetric = ws;
      if (!first && this.options.metric === 'auto') {
        for (const id of this.model.runs.keys()) this.scheduleCurveFit(id, 0);
        this._onDidChangeRuns.fire([...this.model.runs.keys()]);
        // Never silent: the charts, forecasts and the sweep now show another quantity.
        const sw: MetricSwitch = { from, to: ws, note, text: metricSwitchText(from, ws, note) };
        this.lastMetricSwitch = sw;
        this.log.info(sw.text);
        this._onDidSwitchMetric.fire(sw);
      }
    }
    const changed = this.model.reevaluate();
    if (!changed.length) return;
    for (const id of changed) this.scheduleCurveFit(id);
    this.scheduleSweepFit();
    this._onDidChangeRuns.fire(changed);
  }
  private scanTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  private reloadConfig(): void {
    const prev = this.config;
    this.config = readConfig();
    this.watcher.setConfig(this.config);
    this.applyRunParameters();
    if (prev.targetLoss !== this.config.targetLoss) this.applyTarget(this.config.targetLoss);
    const refit = refitsForSettings(prev, this.config);
    if (refit.curves) this.refitAllCurves();
    if (refit.sweep) void this.scheduleSweepFit(0, true);
    this._onDidChangeRuns.fire([...this.model.runs.keys()]);
  }

  /**
   * Per-run values set in the settings — parameter counts from `scalingLens.runParameters`, tokens per step from
   * `scalingLens.runTokensPerStep` (keys: log paths relative to their folder, or run ids) — for the given runs (all
   * when omitted). Costs nothing when the settings are empty.
   */
  private applyRunParameters(ids?: readonly string[]): void {
    this.model.applyOverrides('params', this.config.runParameters, ids);
    this.model.applyOverrides('tokensPerStep', this.config.runTokensPerStep ?? {}, ids);
  }

  private onFileUpdate(u: FileUpdate): void {
    const { added, changed, removed } = this.model.update(u.path, u.result, u.grew, u.mtimeMs);
    if (removed.length) this.onRunsRemoved(removed);
    const ids = [...added, ...changed];
    this.applyRunParameters(added);
    const inc = this.model.takeIncrements(ids);
    if (inc.length) this._onDidAppend.fire(inc);
    for (const id of added) void this.scheduleCurveFit(id, 0);
    for (const id of changed) void this.scheduleCurveFit(id, CURVE_REFIT_MS);
    if (ids.length || u.result.points) void this.scheduleSweepFit();
    this._onDidChangeRuns.fire(ids);
    this._onDidUpdateFile.fire(u);
    if (u.result.diagnostics.length)
      for (const d of u.result.diagnostics.slice(0, 20))
        this.log.debug(`${this.relativize(d.path)}${d.line ? `:${d.line}` : ''}: ${d.message}`);
  }

  private onFileRemoved(p: string): void {
    const ids = this.model.remove(p);
    if (ids.length) this.onRunsRemoved(ids);
    void this.scheduleSweepFit();
  }

  private onRunsRemoved(ids: string[]): void {
    for (const id of ids) {
      this.curveFits.delete(id);
      this.scheduler.cancel(curveKey(id));
    }
    this._onDidRemoveRuns.fire(ids);
    this._onDidChangeRuns.fire(ids);
  }

  setStatus(s: string): void {
    this.status = s;
    this._onDidChangeStatus.fire(s);
  }

  // ------------------------------------------------------------------------------------------------ fits

  /**
   * Marks a run's curve fit as needed. `supersedes`: a setting the fit uses changed, so an answer computed with
   * the old one is discarded; without it (new points) the running fit's answer is still shown until the next.
   */
  scheduleCurveFit(runId: string, delay = CURVE_REFIT_MS, supersedes = false): Promise<void> {
    let metric: string | undefined;
    return this.scheduler.mark(curveKey(runId), {
      priority: this.priorityOf(runId),
      delay,
      maxWait: delay,
      supersedes,
      build: () => {
        const job = this.curveJobFor(runId);
        metric = job?.metric;
        return job;
      },
      deliver: (o) => this.onCurveFit(runId, metric ?? this.options.metric, o),
    });
  }

  private refitAllCurves(): void {
    for (const id of this.model.runs.keys()) void this.scheduleCurveFit(id, 0, true);
  }

  /**
   * Charted and selected runs first, then live runs, then the rest. A refit of a run that already has an answer
   * (a live run's new points) waits behind the runs that have none, unless it is charted or selected: otherwise a
   * few busy live runs take most of the worker while hundreds of runs have no forecast yet.
   */
  private priorityOf(runId: string): Priority {
    if (this.focusRuns.has(runId) || this.options.selectedRun === runId || this.options.pinned?.includes(runId))
      return PRIORITY.focus;
    if (this.curveFits.has(runId)) return PRIORITY.rest;
    const run = this.model.runs.get(runId);
    return run && this.model.state(run) === 'live' ? PRIORITY.live : PRIORITY.rest;
  }

  /** The runs the dashboard charts (their waiting fits move to the front). */
  setFocusRuns(ids: readonly string[]): void {
    const before = this.focusRuns;
    this.focusRuns = new Set(ids);
    this.reprioritize([...before, ...ids]);
  }

  private reprioritize(ids: Iterable<string | undefined>): void {
    for (const id of new Set(ids)) if (id !== undefined) this.scheduler.setPriority(curveKey(id), this.priorityOf(id));
  }

  curveJobFor(runId: string): CurveJob | undefined {
    const run = this.model.runs.get(runId);
    if (!run) return undefined;
    const metric = this.model.metricOf(run, this.options.metric);
    if (!metric) return undefined;
    const s = run.metrics[metric];
    const lr = run.metrics['lr'];
    let secondsPerStep: number | undefined;
    if (s.time && s.time.length > 2) {
      const n = s.time.length;
      const dt = s.time[n - 1] - s.time[0],
        ds = s.step[n - 1] - s.step[0];
      if (Number.isFinite(dt) && ds > 0 && dt > 0) secondsPerStep = dt / ds;
    }
    // copies of exactly the stored points (a view would clone its whole backing buffer into the worker), moved to
    // the worker rather than cloned again when the job is sent
    const step = s.step.slice(),
      y = s.value.slice();
    const lrCopy = lr ? { step: lr.step.slice(), value: lr.value.slice() } : undefined;
    return {
      kind: 'curve',
      runId,
      metric,
      step,
      y,
      transfer: [step.buffer, y.buffer, ...(lrCopy ? [lrCopy.step.buffer, lrCopy.value.buffer] : [])],
      totalSteps: run.meta.totalSteps?.value,
      lr: lrCopy,
      targetLoss: this.config.targetLoss,
      law: this.options.curveLaw,
      confidence: this.config.confidence,
      secondsPerStep,
      // the epoch length from a logged `epoch` series: the forecast names the epoch boundaries it crosses
      stepsPerEpoch: epochLengthOf(run.metrics),
      plan: this.model.forecastPlan(run, metric),
      // finished runs of the same sweep folder narrow a live run's forecast at its planned end (fitViews.ts)
      siblings:
        this.model.state(run) === 'live' && run.meta.totalSteps ? this.model.siblingsOf(run, metric) : undefined,
    };
  }

  /** Fits a run's curve now (ahead of waiting automatic fits) and returns its view. */
  async fitCurve(runId: string): Promise<CurveFitView | undefined> {
    if (!this.model.runs.has(runId)) return undefined;
    let metric: string | undefined;
    await this.scheduler.mark(curveKey(runId), {
      priority: PRIORITY.focus,
      build: () => {
        const job = this.curveJobFor(runId);
        metric = job?.metric;
        return job;
      },
      deliver: (o) => this.onCurveFit(runId, metric ?? this.options.metric, o),
    });
    return this.curveFits.get(runId);
  }

  private onCurveFit(runId: string, metric: string, o: FitOutcome): void {
    if (!this.model.runs.has(runId)) return;
    if (o.ok && o.result.kind !== 'curve') return;
    if (o.ok && o.result.kind === 'curve') {
      const view = o.result.view;
      // The target may have changed while the fit ran: answer for the current one.
      if (view.ok && view.end) view.end = retarget(view.end, view.meanCurve, this.config.targetLoss);
      this.curveFits.set(runId, view);
      this.model.setForecast(runId, view.ok ? view.end : undefined);
      this._onDidFit.fire({ curve: view });
      this._onDidChangeRuns.fire([runId]);
      return;
    }
    const view: CurveFitView = { runId, metric, ok: false, reason: o.ok ? 'unexpected answer' : o.error };
    this.curveFits.set(runId, view);
    this._onDidFit.fire({ curve: view });
  }

  /** Marks the sweep fit as needed: it runs `delay` after the last mark, and at most SWEEP_MAX_WAIT_MS after the first. */
  scheduleSweepFit(delay = SWEEP_REFIT_MS, supersedes = false): Promise<void> {
    return this.scheduler.mark(SWEEP_KEY, {
      ...this.sweepRequest,
      delay,
      maxWait: Math.max(delay, SWEEP_MAX_WAIT_MS),
      supersedes,
    });
  }

  private readonly sweepRequest: Pick<FitRequest, 'build' | 'deliver' | 'priority'> = {
    priority: PRIORITY.focus,
    build: () => {
      this.sweepJobsBuilt++;
      return this.sweepJob();
    },
    deliver: (o) => {
      if (o.ok && o.result.kind !== 'sweep') return;
      this.sweepPredictor =
        o.ok && o.result.kind === 'sweep' && o.result.view.ok && isSweepPredictor(o.result.predictor)
          ? o.result.predictor
          : undefined;
      this.sweepFit =
        o.ok && o.result.kind === 'sweep'
          ? o.result.view
          : {
              ok: false,
              reason: o.ok ? 'unexpected answer' : o.error,
              points: this.model.sweepInput(this.options.metric).points,
            };
      this._onDidFit.fire({ sweep: this.sweepFit });
    },
  };

  private sweepJob(): SweepJob {
    const input = this.model.sweepInput(this.options.metric);
    const { points, metric, metricNote, notes } = input;
    const curves = sweepCurves(this.model, this.options.metric, undefined, input);
    return {
      kind: 'sweep',
      points,
      law: this.options.sweepLaw,
      confidence: this.config.confidence,
      bootstrap: Math.min(this.config.bootstrapSamples, 200),
      predict: this.lastPredict,
      curves,
      metric,
      metricNote,
      notes,
      cacheKey: this.sweepCacheKey(),
    };
  }

  /**
   * What makes a sweep fit stale for Predict at…: the law, the metric, the fit options and the runs left out. New
   * points do not (the sweep refits on its own as logs grow; the answer meanwhile comes from the last fit).
   */
  private sweepCacheKey(): string {
    return JSON.stringify([
      this.options.sweepLaw,
      this.options.metric,
      this.config.confidence,
      Math.min(this.config.bootstrapSamples, 200),
      [...this.model.excluded].sort(),
    ]);
  }

  /**
   * Predict at N, D or C: evaluates the last sweep fit and its bootstrap parameter sets at that point (microseconds,
   * no refit) while that fit is current for the law, metric and options; otherwise fits the sweep first. `fitted`
   * says which. The answer also goes to the dashboard, and later refits keep answering the same question.
   */
  async predictSweep(
    q: NonNullable<SweepJob['predict']>,
  ): Promise<{ view: SweepFitView | undefined; fitted: boolean }> {
    const p = this.sweepPredictor,
      view = this.sweepFit;
    if (view?.ok && p && p.key === this.sweepCacheKey()) {
      this.lastPredict = q;
      this.sweepFit = withPrediction(view, p, q);
      this._onDidFit.fire({ sweep: this.sweepFit });
      return { view: this.sweepFit, fitted: false };
    }
    return { view: await this.fitSweep(q), fitted: true };
  }

  /** True when Predict at… can be answered from the last sweep fit without fitting. */
  hasCurrentSweepFit(): boolean {
    return Boolean(this.sweepFit?.ok && this.sweepPredictor && this.sweepPredictor.key === this.sweepCacheKey());
  }

  /** Fits the sweep now (with a prediction, or none) and returns its view. */
  async fitSweep(predict?: SweepJob['predict']): Promise<SweepFitView | undefined> {
    this.lastPredict = predict;
    await this.scheduleSweepFit(0, true);
    return this.sweepFit;
  }

  /**
   * Runs a one-off job (Predict at a step, locating problem lines) through the scheduler. Rejects when it fails,
   * or when a newer request with the same key replaced it before it started.
   */
  runJob(key: string, job: FitJob, priority: Priority = PRIORITY.focus): Promise<FitJobResult> {
    return new Promise<FitJobResult>((resolve, reject) => {
      let answered = false;
      const deliver = (o: FitOutcome) => {
        answered = true;
        if (o.ok) resolve(o.result);
        else reject(new Error(o.error));
      };
      void this.scheduler.mark(key, { priority, build: () => job, deliver, supersedes: true }).then(() => {
        if (!answered) reject(new Error('replaced by a newer request (or the extension is shutting down)'));
      });
    });
  }

  // ------------------------------------------------------------------------------------------------ user actions

  setExcluded(runId: string, excluded: boolean): void {
    this.model.setExcluded(runId, excluded);
    void this.context.workspaceState.update('scalingLens.excluded', [...this.model.excluded]);
    this._onDidChangeRuns.fire([runId]);
    void this.scheduleSweepFit(0, true); // the running sweep fit counted the old exclusions
  }

  /**
   * Sets the target loss at once (hovers, status bar, CodeLens, runs view and dashboard reflect it before the
   * setting is even written): every forecast's steps-to-target is re-read from its fit's mean curve, no refit.
   */
  setTargetLoss(v: number | null): void {
    if (v !== null && !(Number.isFinite(v) && v > 0)) return;
    if (v === this.config.targetLoss) return;
    this.config = { ...this.config, targetLoss: v };
    this.applyTarget(v);
  }

  private applyTarget(v: number | null): void {
    const changed: string[] = [];
    for (const [id, f] of this.model.forecasts) {
      const fit = this.curveFits.get(id);
      const next = retarget(f, fit?.meanCurve, v);
      this.model.setForecast(id, next);
      if (fit?.ok && fit.end) fit.end = retarget(fit.end, fit.meanCurve, v);
      changed.push(id);
    }
    this._onDidChangeTarget.fire(v);
    if (changed.length) this._onDidChangeRuns.fire(changed);
  }

  setOptions(o: Partial<DashboardOptions>): void {
    const refit = refitsForOptions(this.options, o);
    const focusBefore = [this.options.selectedRun, ...(this.options.pinned ?? [])];
    this.options = { ...this.options, ...o };
    void this.context.workspaceState.update('scalingLens.dashboardOptions', this.options);
    if (refit.curves) this.refitAllCurves();
    if (refit.sweep) void this.scheduleSweepFit(0, true);
    if (o.selectedRun !== undefined || o.pinned !== undefined)
      this.reprioritize([...focusBefore, this.options.selectedRun, ...(this.options.pinned ?? [])]);
  }

  forecast(runId: string): Forecast | undefined {
    return this.model.forecasts.get(runId);
  }

  laws(): LawOption[] {
    return lawOptions();
  }

  /** One metric of a run as the dashboard gets it whole: LTTB-decimated to `INIT_POINTS`, with tokens when known. */
  seriesData(runId: string, metric: string): SeriesData | undefined {
    const run = this.model.runs.get(runId);
    const s = run?.metrics[metric];
    if (!run || !s) return undefined;
    const idx = this.thin.indices(s);
    const step = pick(s.step, idx);
    const tokens = tokensForSteps(this.model.withTokens(run), step);
    // Typed-array columns (src/protocol.ts `Column`): posted to the webview as binary, not as JSON numbers.
    return {
      runId: run.id,
      metric,
      step: column(step),
      y: pickColumn(s.value, idx),
      time: s.time ? pickColumn(s.time, idx) : undefined,
      tokens: tokens ? column(tokens) : undefined,
    };
  }

  /**
   * Thins the runs' long series between event-loop turns (src/model/thinCache.ts) so that `seriesData`,
   * `seriesOfRun` and `fullState` for them afterwards do no long synchronous work. Undefined when nothing needs it.
   */
  prepareSeries(runIds: Iterable<string>): Promise<void> | undefined {
    const series = [...runIds].flatMap((id) => Object.values(this.model.runs.get(id)?.metrics ?? {}));
    return this.thin.prepare(series);
  }

  /** Every metric of a run (see `seriesData`). */
  seriesOfRun(runId: string): SeriesData[] {
    const run = this.model.runs.get(runId);
    return run
      ? Object.keys(run.metrics)
          .map((m) => this.seriesData(runId, m)!)
          .filter(Boolean)
      : [];
  }

  /**
   * The full dashboard state: every run's summary; series (decimated for the first paint; increments follow raw)
   * and curve fits only for the charted runs (all runs when `charted` is omitted).
   */
  fullState(charted?: readonly string[]): DashboardState {
    const ids = charted ?? [...this.model.runs.keys()];
    const want = new Set(ids);
    return {
      runs: this.model.summaries(this.options.metric),
      series: ids.flatMap((id) => this.seriesOfRun(id)),
      curveFits: [...this.curveFits.values()].filter((f) => want.has(f.runId)),
      sweepFit: this.sweepFit,
      options: this.options,
      laws: this.laws(),
      targetLoss: this.config.targetLoss,
      status: this.status,
      ...(charted ? { charted: [...charted] } : {}),
    };
  }

  /** Latest finite value of the run's primary metric. */
  latest(runId: string): { metric: string; step: number; value: number } | undefined {
    const run = this.model.runs.get(runId);
    if (!run) return undefined;
    const metric = this.model.metricOf(run, this.options.metric);
    const l = metric ? lastFinite(run.metrics[metric]) : undefined;
    return metric && l ? { metric, ...l } : undefined;
  }

  dispose(): void {
    this.disposed = true;
    if (this.scanTimer) clearTimeout(this.scanTimer);
    this.scheduler.dispose();
    if (this.stateTimer) clearInterval(this.stateTimer);
    this.fits.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
