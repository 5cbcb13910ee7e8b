/**
 * Scaling Lens dashboard (runs inside the webview). Talks to the host only through `src/protocol.ts` messages:
 * posts `ready` on load, gets one `init` and then increments. One path for every change: host messages and the
 * user's actions go through `dispatch` into the store (webview/store.ts), which returns what changed; `render`
 * draws that (the charts once per animation frame) and persists the view state with `vscode.setState`, so it
 * survives hiding and reloads.
 *
 * Security: every string from logs (run labels, metric names, reasons) is put in the DOM with textContent or
 * setAttribute only. Colours come from VS Code's CSS variables, re-read when the body's theme class changes.
 */
import type { DashboardOptions, HostMessage, RunSummary, WebviewMessage } from '../src/protocol';
import { HOST_MESSAGE_TYPES } from '../src/protocol';
import { SweepChart, SWEEP_TITLES, X_TITLES } from './charts';
import { compose } from './exportImage';
import { latexToText, paramsLine, type LegendItem } from './exportLayout';
import { groupOf, matchesFilter, orderByGroup } from './grouping';
import { MAX_FILTER } from '../src/shared/runFilter';
import { runColors } from './palette';
import { RunsPanels } from './runsPanels';
import { byId, isChecked, selectValue, setChecked, setSelectOptions, setSelectValue } from './dom';
import { renderCurveFit, renderSweepFit } from './fitView';
import { formatCompact, formatInterval, formatValue, parseQuantity, safeFileName } from './format';
import { RunList, type LastValue } from './runList';
import { DrawPlan, workOf } from './drawPlan';
import { readPersisted, Store, type Action, type Change } from './store';
import { observeTheme, readTheme, type Theme } from './theme';
import { publish } from './testProbe';
import { LawViews } from './lawViews';

interface VsCodeApi {
  postMessage(m: WebviewMessage): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: WebviewMessage) => vscode.postMessage(m);
const TABS: DashboardOptions['tab'][] = ['runs', 'sweep', 'fit'];

/** Everything the panel shows, starting from what an earlier session persisted. */
const store = new Store(readPersisted(vscode.getState()));
const view = store.view;
let theme: Theme = readTheme();

// Elements of the static skeleton (src/host/dashboardHtml.ts).
const $ = {
  empty: byId('empty'),
  tabs: byId('tabs'),
  status: byId('status'),
  runCount: byId('run-count'),
  runList: byId('run-list'),
  metric: byId('metric'),
  xAxis: byId('x-axis'),
  logX: byId('log-x'),
  logY: byId('log-y'),
  smoothing: byId<HTMLInputElement>('smoothing'),
  smoothingValue: byId<HTMLOutputElement>('smoothing-value'),
  revealLog: byId('reveal-log'),
  runsNote: byId('runs-note'),
  targetLoss: byId('target-loss'),
  sweepAxis: byId('sweep-axis'),
  predictForm: byId<HTMLFormElement>('predict-form'),
  predictValue: byId('predict-value'),
  predictAxis: byId('predict-axis'),
  predictGo: byId('predict-go'),
  prediction: byId('prediction'),
  sweepNote: byId('sweep-note'),
  curveLaw: byId('curve-law'),
  sweepLaw: byId('sweep-law'),
  curveFit: byId('curve-fit'),
  sweepFit: byId('sweep-fit'),
  runFilter: byId('run-filter'),
  resetZoom: byId('reset-zoom'),
  exportPng: byId('export-png'),
  exportCsv: byId('export-csv'),
  copyMd: byId('copy-md'),
  copyLatex: byId('copy-latex'),
};

// issue 15: the downstream / hyperparameter section at the end of the Sweep tab (webview/lawViews.ts).
const lawViews = new LawViews(
  document.querySelector<HTMLElement>('.panel-sweep .chart-section') ?? document.body,
  post,
  theme,
);

// ---------------------------------------------------------------------------------------------------------------
// Many runs: colours, hidden runs, the filter box

/**
 * Run colours, recomputed after runs arrive, change or go, or the theme changes (not per lookup). Runs arriving
 * dirty them in every batch of a scan, and recolouring a thousand runs takes milliseconds: the run list recomputes
 * them when it redraws (at most every 250 ms for host increments, see webview/drawPlan.ts), and the chart, which
 * restyles after that (`colorGen`), reads the colours as they are unless a run has none yet.
 */
let colorCache = { dirty: true, kind: '', map: new Map<string, string>() };
/** Incremented whenever the colours are recomputed; `chartColors`: the value the charts were last styled with. */
let colorGen = 0,
  chartColors = 0;

/** Colour of a run: hue band by group, ramp by size (webview/palette.ts). */
function colorOf(runId: string): string {
  if (theme.kind !== colorCache.kind || (colorCache.dirty && !colorCache.map.has(runId))) recolor();
  return colorCache.map.get(runId) ?? theme.fg;
}
function recolor(): void {
  colorGen++;
  colorCache = {
    dirty: false,
    kind: theme.kind,
    map: runColors(
      store.state.runs.map((r) => ({ id: r.id, group: groupOf(r), label: r.label, params: r.params })),
      theme.kind,
    ),
  };
}
function groupOfId(runId: string): string {
  const r = store.run(runId);
  return r ? groupOf(r) : '';
}
function passesFilter(runId: string): boolean {
  const r = store.run(runId);
  return !r || matchesFilter(r, view.filter);
}
/** Hidden runs (legend, colour bar) and those the filter box leaves out are not drawn. */
function isVisible(runId: string): boolean {
  return !view.hidden.has(runId) && passesFilter(runId);
}
/** Shows the runs if all are hidden, else hides them all (a legend item of a group toggles the whole group). */
function toggleHidden(runIds: string[]): void {
  dispatch({ type: 'toggleHidden', runIds }, true);
}

const runsChart = new RunsPanels(byId('runs-panels'), byId<HTMLCanvasElement>('chart-runs'), () => theme, {
  colorOf,
  visible: isVisible,
  passes: passesFilter,
  toggle: toggleHidden,
  groupOf: groupOfId,
  zoomed: () => $.resetZoom.toggleAttribute('disabled', !runsChart.zoomed),
});
const sweepChart = new SweepChart(
  byId<HTMLCanvasElement>('chart-sweep'),
  () => theme,
  (runId) => toggleExclude(runId),
);

function toggleExclude(runId: string): void {
  dispatch({ type: 'toggleExclude', runId }, true);
  post({ type: 'toggleExclude', runId });
}

const runList = new RunList($.runList, {
  toggle: (runId) => toggleExclude(runId),
  select: (runId) => selectRun(runId),
  pin: (runId) => {
    if (store.run(runId)) post({ type: 'togglePin', runId });
  },
  // The colour bar: a run not on the chart is pinned there (the host sends its points); a drawn one is hidden or shown.
  showHide: (runId) => {
    if (!store.run(runId)) return;
    if (!store.isCharted(runId)) {
      dispatch({ type: 'unhide', runId }, true);
      post({ type: 'togglePin', runId });
      return;
    }
    toggleHidden([runId]);
  },
  focusChanged: (runId) => dispatch({ type: 'focusRun', runId }, true),
});
runList.focusedRun = view.focusedRun;

// ---------------------------------------------------------------------------------------------------------------
// The one path: dispatch → store → render

/**
 * Applies a host message or a user action and draws what it changed. `now`: the user's own actions redraw the run
 * list at once; host increments wait for the next frame, so a scan that sends 1,000 runs rebuilds it once.
 */
function dispatch(action: Action, now = false): Change {
  const ch = store.dispatch(action);
  render(ch, now);
  return ch;
}

/** Changes options in the panel: the host is told, the store updated, what depends on them redrawn. */
function setOptions(change: Partial<DashboardOptions>): void {
  post({ type: 'setOptions', options: change });
  dispatch({ type: 'setOptions', options: change }, true);
}

function selectRun(runId: string): void {
  if (!store.run(runId)) return;
  post({ type: 'selectRun', runId });
  dispatch({ type: 'selectRun', runId }, true);
}

/**
 * The render step: draws what a change touched — text and controls at once, the charts in the next animation
 * frame (a burst of `points` messages costs one chart update) — and persists the view state when it changed.
 */
function render(ch: Change, now: boolean): void {
  if (ch.colors) colorCache.dirty = true;
  // The host reloaded us without our view settings: tell it what is on screen.
  if (ch.restored) post({ type: 'setOptions', options: ch.restored });
  const o = ch.options ?? {};
  const has = (k: keyof DashboardOptions) => k in o;
  const options = Object.keys(o).length > 0;
  const work = workOf(ch, now, store.state.options.tab);
  const listNow = work.listNow;
  if (ch.all || options) renderControls();
  if (listNow) renderRunList();
  if (ch.all || ch.fitDetails || has('selectedRun') || has('metric') || has('curveLaw') || has('sweepLaw'))
    renderFits();
  if (ch.all || ch.status) renderStatus();
  if (ch.all || ch.target) renderTarget();
  if (ch.lawViews?.downstream) lawViews.showDownstream(ch.lawViews.downstream);
  if (ch.lawViews?.hp) lawViews.showLandscape(ch.lawViews.hp);
  if (ch.all || has('tab')) showTab();
  if (ch.all || options || ch.view) vscode.setState(store.persisted());
  if (ch.pings) {
    // Answered at the end of the next flush, i.e. after everything posted before it is on screen. Chromium
    // stops animation frames in an iframe it does not render: a timer flushes then (the canvas is still drawn).
    pings.push(...ch.pings);
    setTimeout(() => {
      if (pings.length && frame) {
        cancelAnimationFrame(frame);
        flush();
      }
    }, 1000);
  }
  plan.add(work.pending);
  schedule(!!ch.pings);
}

// ---------------------------------------------------------------------------------------------------------------
// Drawing the charts, coalesced into one animation frame

/** What the next frame draws; the run list waits for its turn while runs stream in (webview/drawPlan.ts). */
const plan = new DrawPlan();
/**
 * The animation frame requested for the next flush (0: none). Live points need no wait of their own: the host
 * coalesces a burst into one batch per frame, and the frame collects whatever arrives before it.
 */
let frame = 0;
/** Host pings waiting for the next flush, and how long the last chart redraw took (sent back with the pong). */
let pings: number[] = [];
let lastDrawMs = 0;

/** The timer of a frame for the run list's next turn (0: none). */
let listTimer: ReturnType<typeof setTimeout> | 0 = 0;

/** Requests the frame when anything waits for it; `force` even when nothing does (a ping). */
function schedule(force = false): void {
  if (!frame && (force || plan.waiting)) frame = requestAnimationFrame(flush);
}

function flush(): void {
  frame = 0;
  const t0 = performance.now();
  const urgent = pings.length > 0;
  const { draw: p } = plan.take(t0, urgent);
  try {
    let runsDirty = false;
    if (p.runList) {
      renderControls();
      renderRunList();
    }
    if (p.runsRebuild) {
      runsChart.rebuild(store);
      chartColors = colorGen;
      runsDirty = true;
    } else {
      if (p.appended?.size) {
        // Points of a series no panel draws yet need a rebuild: now for a ping, else at the chart's turn (a scan's
        // newly charted runs bring their first points in every batch). Points of drawn series are drawn now.
        const drawn = runsChart.drawsAny(p.appended);
        if (runsChart.append(store, p.appended)) {
          if (urgent) {
            runsChart.rebuild(store);
            chartColors = colorGen;
            runsDirty = true;
          } else plan.add({ runsRebuildLater: true });
        }
        if (drawn) runsDirty = true;
      }
      if (p.runsStyle || colorGen !== chartColors) {
        // Also when the run list recoloured the runs (runs that arrived moved the palette) since the chart was styled.
        runsChart.restyle(store);
        chartColors = colorGen;
        runsDirty = true;
      } else if (p.runsFits) {
        runsChart.refreshFits(store);
        runsDirty = true;
      }
    }
    if (runsDirty) {
      runsChart.draw(runsSummary());
      // How long the last redraw took (read by the performance check of the preview harness, and sent with pongs).
      lastDrawMs = performance.now() - t0;
      publish(byId('chart-runs'), { drawMs: lastDrawMs.toFixed(1) });
      const notes: string[] = [];
      if (runsChart.missingAxis.length)
        notes.push(
          `Not shown on the ${X_TITLES[store.state.options.xAxis]} axis (no ${store.state.options.xAxis === 'compute' ? 'tokens or parameter count' : store.state.options.xAxis} in the log): ${runsChart.missingAxis.join(', ')}`,
        );
      if (runsChart.panels.length > 1)
        notes.push(
          `${runsChart.panels.length} panels: one per metric, and runs whose values differ more than 3× (e.g. fine-tunes and pretraining) apart.`,
        );
      const hidden = store.state.runs.filter((r) => store.isCharted(r.id) && !isVisible(r.id)).length;
      if (hidden) notes.push(`${hidden} charted run${hidden === 1 ? '' : 's'} hidden (legend, colour bar or filter).`);
      $.runsNote.textContent = notes.join(' ');
      $.resetZoom.toggleAttribute('disabled', !runsChart.zoomed);
    }
    if (p.sweep) {
      const f = store.state.sweepFit;
      sweepChart.render(f, view.sweepAxis);
      sweepChart.draw(sweepSummary());
      $.sweepNote.textContent = !f
        ? 'No sweep fit yet: it needs finished runs of several sizes with known parameter counts.'
        : !f.ok
          ? `Not fitted: ${f.reason ?? 'unknown reason'}`
          : f.axis && f.axis !== view.sweepAxis
            ? `${f.lawName ?? 'The fitted law'} is a law in ${f.axis}: choose “Loss vs ${SWEEP_TITLES[f.axis]}” to see it.`
            : f.isoflops?.length && view.sweepAxis === 'C'
              ? 'IsoFLOP curves are shown on the N and D axes.'
              : '';
    }
  } catch (err) {
    reportError(err);
  }
  if (pings.length) {
    const ids = pings;
    pings = [];
    for (const id of ids) post({ type: 'pong', id, drawMs: lastDrawMs });
  }
  // What waits for its turn (the run list, the chart's host-driven work) gets a frame when due.
  if (listTimer) clearTimeout(listTimer);
  const laterMs = plan.dueIn(performance.now());
  listTimer =
    laterMs === undefined
      ? 0
      : setTimeout(() => {
          listTimer = 0;
          schedule();
        }, laterMs);
}

function runsSummary(): string {
  const o = store.state.options;
  const runs = store.state.runs;
  const metric = o.metric && o.metric !== 'auto' ? o.metric : 'the main metric';
  let s = `Learning curves of ${metric} against ${X_TITLES[o.xAxis]}${o.logX ? ' (log)' : ''} for ${store.chartedCount() < runs.length ? `${store.chartedCount()} of ` : ''}${runs.length} run${runs.length === 1 ? '' : 's'}, ${runsChart.totalPoints()} points; dashed lines are fitted curves with prediction bands.`;
  const sel = store.run(o.selectedRun);
  if (sel) {
    s += ` Selected: ${sel.label}`;
    if (sel.lastValue !== undefined) s += `, last ${formatValue(sel.lastValue)}`;
    if (sel.forecast)
      s += `, forecast ${formatInterval(sel.forecast.value, sel.forecast.lower, sel.forecast.upper)} at step ${formatCompact(sel.forecast.atStep)}`;
    s += '.';
  }
  return s;
}

function sweepSummary(): string {
  const f = store.state.sweepFit;
  if (!f) return 'Sweep: no data';
  let s = `Final loss against ${SWEEP_TITLES[view.sweepAxis]} for ${f.points.length} runs (log-log)`;
  if (f.ok && f.axis)
    s += `, with the fitted ${f.lawName ?? f.law ?? 'law'}${f.axis === view.sweepAxis ? ' and its band' : ` (a law in ${f.axis}, not drawn on this axis)`}`;
  else if (f.ok)
    s += `, with the fitted ${f.lawName ?? f.law ?? 'law'} compute-optimal frontier${f.isoflops?.length ? ` and ${f.isoflops.length} IsoFLOP curves` : ''}`;
  if (f.exponents) s += `; N_opt ∝ C^${f.exponents.a.toFixed(2)}, D_opt ∝ C^${f.exponents.b.toFixed(2)}`;
  return s + '.';
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering the non-chart parts

function renderControls(): void {
  const o = store.state.options;
  const metrics = store.allMetrics();
  setSelectOptions(
    $.metric,
    [{ value: 'auto', label: 'auto' }, ...metrics.map((m) => ({ value: m, label: m }))],
    o.metric && (o.metric === 'auto' || metrics.includes(o.metric)) ? o.metric : 'auto',
  );
  setSelectValue($.xAxis, o.xAxis);
  setChecked($.logX, o.logX);
  setChecked($.logY, o.logY);
  $.smoothing.value = String(o.smoothing);
  $.smoothingValue.textContent = o.smoothing.toFixed(2);
  setSelectValue($.sweepAxis, view.sweepAxis);
  setSelectValue($.predictAxis, view.predictAxis);
  const laws = store.state.laws;
  const curve = laws.filter((l) => l.scope === 'curve').map((l) => ({ value: l.id, label: l.name }));
  if (!curve.some((l) => l.value === 'auto')) curve.unshift({ value: 'auto', label: 'Auto (lowest held-out error)' });
  setSelectOptions($.curveLaw, curve, o.curveLaw);
  const sweep = laws.filter((l) => l.scope === 'sweep').map((l) => ({ value: l.id, label: l.name }));
  if (!sweep.some((l) => l.value === o.sweepLaw)) sweep.unshift({ value: o.sweepLaw, label: o.sweepLaw });
  setSelectOptions($.sweepLaw, sweep, o.sweepLaw);
  $.revealLog.toggleAttribute('disabled', !store.run(o.selectedRun));
}

function renderRunList(): void {
  plan.listDrawn(performance.now());
  if (colorCache.dirty) recolor();
  const runs = store.state.runs;
  $.empty.hidden = runs.length > 0 || !store.initialized;
  $.tabs.hidden = runs.length === 0 && store.initialized;
  const charted = store.chartedCount();
  $.runCount.textContent = runs.length
    ? `${runs.length} · ${runs.filter((r) => !r.excluded).length} in fits${charted < runs.length ? ` · ${charted} on the chart` : ''}`
    : '';
  const pinned = new Set(store.state.options.pinned ?? []);
  const listed = orderByGroup(runs.filter((r) => matchesFilter(r, view.filter)));
  if (listed.length < runs.length) $.runCount.textContent += ` · ${listed.length} match the filter`;
  runList.render(listed, store.state.options.selectedRun, colorOf, lastFor, {
    charted: (id) => store.isCharted(id),
    pinned: (id) => pinned.has(id),
    hidden: (id) => view.hidden.has(id),
    group: groupOfId,
  });
}

/** Last finite value of the metric on screen (the summary's lastValue is for the run's own metric). */
function lastFor(run: RunSummary): LastValue {
  const metric = store.metricFor(run);
  const s = store.series(run.id, metric);
  if (s) {
    for (let i = s.y.length - 1; i >= 0; i--)
      if (Number.isFinite(s.y[i])) return { metric, value: s.y[i], step: s.step[i] };
  }
  if (run.metric === undefined || run.metric === metric) return { metric, value: run.lastValue, step: run.lastStep };
  return { metric };
}

function renderFits(): void {
  const run = store.run(store.state.options.selectedRun);
  const metric = run ? store.metricFor(run) : '';
  renderCurveFit($.curveFit, run, run ? store.curveFit(run.id, metric) : undefined, metric);
  renderSweepFit($.sweepFit, store.state.sweepFit);
  renderPrediction();
}

function renderPrediction(): void {
  const f = store.state.sweepFit;
  if (f?.predictionError && !f.prediction) {
    $.prediction.textContent = f.predictionError;
    $.prediction.classList.add('error');
    return;
  }
  const p = f?.prediction;
  if (!p) return;
  let s = `Predicted loss at ${p.axis} = ${formatCompact(p.at)}: ${formatInterval(p.value, p.lower, p.upper)}`;
  if (p.N !== undefined && p.D !== undefined)
    s += ` (compute-optimal N ≈ ${formatCompact(p.N)}, D ≈ ${formatCompact(p.D)})`;
  $.prediction.textContent = s;
  $.prediction.classList.remove('error');
}

/** The target-loss field shows the host's value unless the user is typing in it. */
function renderTarget(): void {
  const field = $.targetLoss as HTMLElement & { value: string };
  if (document.activeElement === field || field.matches(':focus-within')) return;
  const v = store.state.targetLoss;
  field.value = v === null || v === undefined ? '' : String(v);
  field.classList.remove('error');
}

function renderStatus(): void {
  $.status.textContent = store.state.status ?? '';
}

function showTab(): void {
  const i = Math.max(0, TABS.indexOf(store.state.options.tab));
  const tabs = $.tabs as HTMLElement & { selectedIndex?: number };
  if (tabs.selectedIndex !== i) tabs.selectedIndex = i;
  tabs.setAttribute('selected-index', String(i));
}

// ---------------------------------------------------------------------------------------------------------------
// Host messages

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as HostMessage | undefined;
  if (!m || typeof m !== 'object' || !HOST_MESSAGE_TYPES.has((m as { type?: string }).type ?? '')) return;
  try {
    dispatch(m);
  } catch (err) {
    reportError(err);
  }
});

function reportError(err: unknown): void {
  const message = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
  post({ type: 'error', message: message.slice(0, 2000) });
}
window.addEventListener('error', (e) => reportError(e.error ?? e.message));

// ---------------------------------------------------------------------------------------------------------------
// UI events

$.tabs.addEventListener('vsc-tabs-select', (e) => {
  const i = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
  const tab = TABS[i];
  if (tab && tab !== store.state.options.tab) setOptions({ tab });
});
$.metric.addEventListener('change', () => {
  const metric = selectValue($.metric);
  if (metric && metric !== store.state.options.metric) setOptions({ metric });
});
$.xAxis.addEventListener('change', () => {
  const v = selectValue($.xAxis) as DashboardOptions['xAxis'];
  if (v && v !== store.state.options.xAxis) setOptions({ xAxis: v });
});
$.logX.addEventListener('change', () => setOptions({ logX: isChecked($.logX) }));
$.logY.addEventListener('change', () => setOptions({ logY: isChecked($.logY) }));
let smoothTimer: ReturnType<typeof setTimeout> | undefined;
let smoothRedraw: ReturnType<typeof setTimeout> | undefined;
$.smoothing.addEventListener('input', () => {
  const smoothing = Math.min(0.99, Math.max(0, Number($.smoothing.value) || 0));
  $.smoothingValue.textContent = smoothing.toFixed(2);
  // Re-smoothing walks every point: follow the slider live for small data, after a pause for millions of points.
  const apply = () => dispatch({ type: 'setOptions', options: { smoothing } }, true);
  clearTimeout(smoothRedraw);
  if (runsChart.totalPoints() < 1_000_000) apply();
  else smoothRedraw = setTimeout(apply, 200);
  // Tell the host once the slider settles, not on every pixel.
  clearTimeout(smoothTimer);
  smoothTimer = setTimeout(() => post({ type: 'setOptions', options: { smoothing } }), 250);
});
/** Enter or leaving the field sets the target (empty clears it); the host answers with `targetLoss` for every view. */
function commitTarget(): void {
  const field = $.targetLoss as HTMLElement & { value: string };
  const text = String(field.value ?? '').trim();
  const value = text === '' ? null : Number(text);
  if (value !== null && !(Number.isFinite(value) && value > 0)) {
    field.classList.add('error');
    field.title = 'A positive number, e.g. 2.8, or empty to clear';
    return;
  }
  field.classList.remove('error');
  field.title = '';
  const ch = dispatch({ type: 'setTargetLoss', value }, true);
  if (Object.keys(ch).length) post({ type: 'setTargetLoss', value });
}
$.targetLoss.addEventListener('keydown', (e) => {
  if ((e as KeyboardEvent).key === 'Enter') commitTarget();
});
$.targetLoss.addEventListener('change', () => commitTarget());
$.revealLog.addEventListener('click', () => {
  const id = store.state.options.selectedRun;
  if (id) post({ type: 'revealLog', runId: id });
});
$.sweepAxis.addEventListener('change', () => {
  const v = selectValue($.sweepAxis);
  if (v === 'N' || v === 'D' || v === 'C') dispatch({ type: 'setSweepAxis', axis: v }, true);
});
$.predictAxis.addEventListener('change', () => {
  const v = selectValue($.predictAxis);
  if (v === 'N' || v === 'D' || v === 'C') dispatch({ type: 'setPredictAxis', axis: v }, true);
});
const predictText = () => String(($.predictValue as HTMLElement & { value?: string }).value ?? '');
$.predictValue.addEventListener('input', () => dispatch({ type: 'setPredictText', text: predictText() }, true));
let lastPredict = { key: '', at: 0 };
function predict(): void {
  const text = predictText();
  const predictAxis = view.predictAxis;
  const value = parseQuantity(text);
  if (value === null) {
    $.prediction.textContent = `“${text.slice(0, 40)}” is not a positive number (examples: 7B, 1.4T, 3e21).`;
    $.prediction.classList.add('error');
    return;
  }
  // Enter in the text field submits the form; a click on Predict right after must not ask twice.
  const key = `${predictAxis}:${value}`;
  if (key === lastPredict.key && performance.now() - lastPredict.at < 100) return;
  lastPredict = { key, at: performance.now() };
  $.prediction.textContent = `Predicting at ${predictAxis} = ${formatCompact(value)}…`;
  $.prediction.classList.remove('error');
  dispatch({ type: 'setPredictText', text }, true);
  post({ type: 'predict', axis: predictAxis, value });
}
$.predictForm.addEventListener('submit', (e) => {
  e.preventDefault();
  predict();
});
$.predictGo.addEventListener('click', () => predict());
$.curveLaw.addEventListener('change', () => {
  const v = selectValue($.curveLaw);
  if (v && v !== store.state.options.curveLaw) setOptions({ curveLaw: v });
});
$.sweepLaw.addEventListener('change', () => {
  const v = selectValue($.sweepLaw);
  if (v && v !== store.state.options.sweepLaw) setOptions({ sweepLaw: v });
});

/** Plain-text number for exported parameter lines (like the Fit details table). */
function num(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** The exported image: title, law and parameters, the chart(s), and a legend of what is drawn. */
function exportImage(onSweep: boolean): string | undefined {
  const o = store.state.options;
  const lines: string[] = [];
  const legend: LegendItem[] = [];
  let title: string;
  let charts: { canvas: HTMLCanvasElement; width: number; height: number; caption?: string }[];
  const size = (c: HTMLCanvasElement) => ({
    canvas: c,
    width: c.clientWidth || c.width,
    height: c.clientHeight || c.height,
  });
  if (onSweep) sweepChart.clearHover();
  else for (const c of runsChart.charts) c.clearHover();
  if (onSweep) {
    const f = store.state.sweepFit;
    if (!f || !sweepChart.toPng()) return undefined;
    title = `Sweep: final loss vs ${SWEEP_TITLES[view.sweepAxis]} (${f.points.length} runs)`;
    if (f.ok) {
      lines.push(`Law: ${f.lawName ?? f.law ?? 'fitted law'}${f.latex ? `   ${latexToText(f.latex)}` : ''}`);
      if (f.params?.length) lines.push(`Parameters [interval]: ${paramsLine(f.params, num)}`);
      if (f.exponents)
        lines.push(`Compute-optimal: N_opt ∝ C^${f.exponents.a.toFixed(3)}, D_opt ∝ C^${f.exponents.b.toFixed(3)}`);
    } else lines.push(`Not fitted: ${f.reason ?? 'unknown reason'}`);
    charts = [size(byId<HTMLCanvasElement>('chart-sweep'))];
    legend.push(...sweepChart.legend());
  } else {
    if (!runsChart.totalPoints()) return undefined;
    const metrics = [...new Set(runsChart.panels.map((p) => p.metric))];
    title = `Learning curves: ${metrics.join(', ') || 'loss'} vs ${X_TITLES[o.xAxis]}${o.smoothing > 0 ? ` (EMA ${o.smoothing.toFixed(2)}, capped for short series)` : ''}`;
    const sel = store.run(o.selectedRun);
    const fit = sel ? store.curveFit(sel.id, store.metricFor(sel)) : undefined;
    if (sel && fit?.ok) {
      lines.push(
        `${sel.label}: ${fit.lawName ?? fit.law ?? 'fitted law'}${fit.latex ? `   ${latexToText(fit.latex)}` : ''}`,
      );
      if (fit.params?.length) lines.push(`Parameters: ${paramsLine(fit.params, num)}`);
      if (fit.end)
        lines.push(
          `Forecast at step ${formatCompact(fit.end.atStep)}: ${formatInterval(fit.end.value, fit.end.lower, fit.end.upper)}`,
        );
    }
    const multi = runsChart.charts.length > 1;
    charts = runsChart.charts.map((c) => ({ ...size(c.canvas), caption: multi ? c.title : undefined }));
    const shown = runsChart.charts.flatMap((c) => c.shownRuns());
    const MAX = 60;
    for (const r of shown.slice(0, MAX)) legend.push({ label: r.label, color: colorOf(r.runId) });
    if (shown.length > MAX) legend.push({ label: `… and ${shown.length - MAX} more runs`, color: 'transparent' });
    if (store.state.curveFits.some((f) => f.ok))
      legend.push({ label: 'fitted curve (dashed)', color: theme.muted, dashed: true });
    if (store.state.targetLoss)
      legend.push({ label: `target ${formatValue(store.state.targetLoss)}`, color: theme.green, dashed: true });
  }
  const painted: string[] = [];
  const canvas = compose({
    title,
    lines,
    charts,
    legend,
    colors: { bg: theme.bg, fg: theme.fg, muted: theme.muted },
    font: theme.font,
    scale: window.devicePixelRatio || 1,
    painted,
  });
  // For the end-to-end test: the texts painted into the image, in order (a canvas has no DOM to read them from).
  publish($.exportPng, { exportText: JSON.stringify({ painted, width: canvas.width, height: canvas.height }) });
  return canvas.toDataURL('image/png');
}

$.exportPng.addEventListener('click', () => {
  const tab = store.state.options.tab;
  const onSweep = tab === 'sweep';
  let dataUrl: string | undefined;
  try {
    dataUrl = exportImage(onSweep);
  } catch (err) {
    reportError(err);
    dataUrl = onSweep ? sweepChart.toPng() : runsChart.charts[0].toPng();
  }
  if (!dataUrl) {
    dispatch({ type: 'localStatus', text: 'Nothing to export yet.' }, true);
    return;
  }
  const sel = store.run(store.state.options.selectedRun);
  const what = onSweep
    ? [`sweep-loss-vs-${view.sweepAxis}`]
    : [sel ? store.metricFor(sel) : 'curves', `vs-${store.state.options.xAxis}`];
  post({ type: 'exportPng', dataUrl, name: safeFileName(['scaling-lens', ...what], 'png') });
});
/** The host charts the runs that match the filter (src/model/chartSet.ts): told once typing pauses. */
let filterTimer: ReturnType<typeof setTimeout> | undefined;
const postFilter = () => post({ type: 'setOptions', options: { filter: view.filter.slice(0, MAX_FILTER) } });
$.runFilter.addEventListener('input', () => {
  dispatch({ type: 'setFilter', text: String(($.runFilter as HTMLElement & { value?: string }).value ?? '') }, true);
  clearTimeout(filterTimer);
  filterTimer = setTimeout(postFilter, 200);
});
$.resetZoom.addEventListener('click', () => {
  runsChart.resetZoom();
  $.resetZoom.toggleAttribute('disabled', true);
});
$.exportCsv.addEventListener('click', () => post({ type: 'exportCsv' }));
$.copyMd.addEventListener('click', () => post({ type: 'copyLaw', format: 'markdown' }));
$.copyLatex.addEventListener('click', () => post({ type: 'copyLaw', format: 'latex' }));

// Theme switches recolour both charts and the run swatches.
observeTheme(() => {
  theme = readTheme();
  dispatch({ type: 'themeChanged' }, true);
  lawViews.setTheme(theme);
});

// Show what an earlier session persisted before the host answers, then say hello.
if (view.filter) ($.runFilter as HTMLElement & { value: string }).value = view.filter;
if (view.predictText) ($.predictValue as HTMLElement & { value: string }).value = view.predictText;
renderControls();
showTab();
post({ type: 'ready' });
