/** The two chart.js charts: learning curves (live, incremental) and the sweep (loss vs N/D/C with the fitted law). */
import {
  Chart,
  Interaction,
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  Filler,
  Legend,
  Tooltip,
  Decimation,
  type ChartDataset,
  type ChartOptions,
  type InteractionItem,
  type InteractionModeFunction,
  type LegendItem,
  type Plugin,
  type TooltipItem,
  type Scale,
} from 'chart.js';
import { getRelativePosition } from 'chart.js/helpers';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { Forecast, RunSummary, SweepFitView, XAxis } from '../src/protocol';
import { withAlpha } from './color';
import { formatCompact, formatInterval, formatValue } from './format';
import { decimateView, lowerBound, nearestIndex, upperBound } from './decimate';
import { effectiveSmoothing, stepAtX, stepMapper, xMapper, type XY } from './series';
import { SeriesCache } from './seriesCache';
import { publish } from './testProbe';
import { seriesKey, type Store } from './store';
import type { Theme } from './theme';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  LogarithmicScale,
  Filler,
  Legend,
  Tooltip,
  Decimation,
  zoomPlugin,
);

declare module 'chart.js' {
  interface InteractionModeMap {
    slNearest: InteractionModeFunction;
  }
}

/** Roles that have tooltips on the learning-curve chart. */
const TIP_ROLES = new Set<string>(['data', 'end', 'fit']);

/**
 * The nearest point of a line that has a tooltip (data, forecast, fitted curve), by pixel distance. chart.js's own
 * 'nearest' picks the nearest element of any dataset — often a band edge or the target line, whose tooltip is
 * filtered out, leaving none.
 */
const slNearest: InteractionModeFunction = (chart, e) => {
  const pos = getRelativePosition(e, chart as never);
  let best: InteractionItem | undefined;
  let bestD = Infinity;
  chart.data.datasets.forEach((ds, i) => {
    if (!TIP_ROLES.has((ds as Ds).role) || !chart.isDatasetVisible(i)) return;
    const els = chart.getDatasetMeta(i).data;
    let bj = -1,
      bd = Infinity;
    for (let j = 0; j < els.length; j++) {
      const el = els[j];
      const d = (el.x - pos.x) ** 2 + (el.y - pos.y) ** 2;
      if (d < bd) {
        bd = d;
        bj = j;
      }
    }
    const cache = (ds as Ds).slCache;
    if (cache && bj >= 0) {
      // The drawn line is decimated: the tooltip names the real point nearest the cursor, from the whole series.
      const real = nearestReal(chart as unknown as Chart, cache, pos.x, pos.y);
      if (real && real.d <= bd) {
        bd = real.d;
        const el = new PointElement({}) as PointElement & { $real?: RealPoint };
        Object.assign(el, { x: real.px, y: real.py, options: els[bj].options, $real: real });
        if (bd < bestD) {
          bestD = bd;
          best = { element: el, datasetIndex: i, index: bj };
        }
        return;
      }
    }
    if (bj >= 0 && bd < bestD) {
      bestD = bd;
      best = { element: els[bj], datasetIndex: i, index: bj };
    }
  });
  return best ? [best] : [];
};

/** A series point found for a tooltip: its values, its step, and where it is on the canvas. */
interface RealPoint {
  x: number;
  y: number;
  step: number | undefined;
  px: number;
  py: number;
  d: number;
}

/**
 * The point of the whole (undecimated) series nearest a canvas position: searched among the points within a few
 * pixels of the cursor's x (the nearest pixel column only when those are very many).
 */
function nearestReal(chart: Chart, c: SeriesCache, px: number, py: number): RealPoint | undefined {
  const sx = chart.scales.x,
    sy = chart.scales.y;
  if (!sx || !sy || !c.n) return undefined;
  const log = sx.type === 'logarithmic',
    logY = sy.type === 'logarithmic';
  const range = (r: number) => {
    const a = sx.getValueForPixel(px - r),
      b = sx.getValueForPixel(px + r);
    const lo = Math.min(a ?? -Infinity, b ?? Infinity),
      hi = Math.max(a ?? -Infinity, b ?? Infinity);
    return [log ? Math.max(lo, Number.MIN_VALUE) : lo, hi] as const;
  };
  let [lo, hi] = range(16);
  if (upperBound(c.xs, hi, 0, c.n) - lowerBound(c.xs, lo, 0, c.n) > 200_000) [lo, hi] = range(0.5);
  const toPx = (v: number) => sx.getPixelForValue(v),
    toPy = (v: number) => sy.getPixelForValue(v);
  const best = nearestIndex(c.xs, c.ys, c.n, lo, hi, toPx, toPy, px, py, log, logY);
  if (best < 0) return undefined;
  const bx = toPx(c.xs[best]),
    by = toPy(c.ys[best]),
    bestD = (bx - px) ** 2 + (by - py) ** 2;
  const st = c.series.step[c.srcAt(best)];
  return { x: c.xs[best], y: c.ys[best], step: Number.isFinite(st) ? st : undefined, px: bx, py: by, d: bestD };
}
Interaction.modes.slNearest = slNearest;

/** Up to this many charted runs every run's prediction band is drawn; above it, the selected run's only. */
export const BANDS_FOR_ALL = 6;

type Role =
  | 'data'
  | 'bandLo'
  | 'bandHi'
  | 'fit'
  | 'endBar'
  | 'end'
  | 'points'
  | 'excluded'
  | 'law'
  | 'iso'
  | 'pred'
  | 'predBar'
  | 'target'
  | 'approach';
type Ds = ChartDataset<'line', XY[]> & { role: Role; runId?: string; forecast?: Forecast; slCache?: SeriesCache };

export const X_TITLES: Record<XAxis, string> = {
  step: 'step',
  tokens: 'tokens',
  compute: 'compute (FLOPs)',
  time: 'time (hours)',
};

/** Paints the editor background under the chart, so PNG exports are not transparent. */
const background: Plugin = {
  id: 'slBackground',
  beforeDraw(chart, _args, opts: { color?: string }) {
    if (!opts.color) return;
    const { ctx } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = opts.color;
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

/**
 * Writes the shown tooltip's text to the canvas's data-tooltip (empty when none), for the harnesses: a canvas has
 * no DOM to read, and the tests check what a hovered point says.
 */
const tooltipProbe: Plugin = {
  id: 'slTooltipProbe',
  afterDraw(chart) {
    const tt = chart.tooltip;
    const text =
      tt && tt.opacity > 0 && tt.getActiveElements().length
        ? [...(tt.title ?? []), ...tt.body.flatMap((b) => b.lines)].join(' | ')
        : '';
    if (chart.canvas.dataset.tooltip !== text) publish(chart.canvas, { tooltip: text });
    // Where the legend items are (canvas CSS pixels), so a harness can click one.
    const lg = chart.legend as unknown as
      | {
          legendHitBoxes?: { left: number; top: number; width: number; height: number }[];
          legendItems?: { text: string }[];
        }
      | undefined;
    const boxes = lg?.legendHitBoxes ?? [];
    const legend = JSON.stringify(
      boxes.map((b, i) => ({
        text: lg?.legendItems?.[i]?.text ?? '',
        x: Math.round(b.left + b.width / 2),
        y: Math.round(b.top + b.height / 2),
      })),
    );
    if (chart.canvas.dataset.legend !== legend) publish(chart.canvas, { legend });
    // Where a few drawn data points are (canvas CSS pixels, at most 2 per dataset and 40 in all), so a harness can
    // hover one instead of scanning the canvas.
    const hits: { x: number; y: number }[] = [];
    for (const meta of chart.getSortedVisibleDatasetMetas()) {
      for (const el of meta.data.slice(0, 2))
        if (hits.length < 40 && Number.isFinite(el.x) && Number.isFinite(el.y))
          hits.push({ x: Math.round(el.x), y: Math.round(el.y) });
    }
    const hit = JSON.stringify(hits);
    if (chart.canvas.dataset.hit !== hit) publish(chart.canvas, { hit });
  },
};

/** Hides the tooltip and hover state (before an export, so the image shows the chart, not the mouse). */
export function clearHover(chart: Chart | undefined): void {
  if (!chart) return;
  chart.tooltip?.setActiveElements([], { x: 0, y: 0 });
  chart.setActiveElements([]);
  chart.update('none');
}

function tickLabel(scale: Scale, v: number | string): string {
  const n = Number(v);
  if (scale.type === 'logarithmic') {
    if (!(n > 0)) return '';
    // Narrow log ranges (loss 2–5) keep every tick label; wide ones only 1, 2, 5 × 10^k.
    if (scale.max / scale.min < 30) return formatCompact(n);
    const m = Math.round(n / 10 ** Math.floor(Math.log10(n) + 1e-9));
    if (m !== 1 && m !== 2 && m !== 5) return '';
  }
  return formatCompact(n);
}

/**
 * For the end-to-end test of smoothing on short series: per short drawn series (≤ 1000 points, so this stays
 * cheap), its point count, the EMA weight used, and how far the smoothed line strays from its data (the largest
 * |smoothed − raw| as a fraction of the data's range).
 */
function smoothedProbe(
  entries: Iterable<{ runId: string; cache: { n: number; smoothing: number; ys: Float64Array; raw: Float64Array } }>,
): string {
  const out: Record<string, { n: number; w: number; off: number }> = {};
  for (const { runId, cache: c } of entries) {
    if (c.n > 1000) continue;
    let lo = Infinity,
      hi = -Infinity,
      off = 0;
    for (let i = 0; i < c.n; i++) {
      lo = Math.min(lo, c.raw[i]);
      hi = Math.max(hi, c.raw[i]);
      off = Math.max(off, Math.abs(c.ys[i] - c.raw[i]));
    }
    out[runId] = { n: c.n, w: c.smoothing, off: hi > lo ? off / (hi - lo) : 0 };
  }
  return JSON.stringify(out);
}

function baseOptions(t: Theme, xTitle: string, yTitle: string, logX: boolean, logY: boolean): ChartOptions<'line'> {
  const font = { family: t.font, size: Math.max(10, t.fontSize - 1) };
  const axis = (title: string, log: boolean) => ({
    type: (log ? 'logarithmic' : 'linear') as 'linear',
    title: { display: true, text: title, color: t.muted, font },
    ticks: {
      color: t.muted,
      font,
      maxRotation: 0,
      autoSkipPadding: 12,
      callback(this: Scale, v: number | string) {
        return tickLabel(this, v);
      },
    },
    grid: { color: withAlpha(t.grid, t.kind.startsWith('high-contrast') ? 0.6 : 0.5), tickColor: t.grid },
    border: { color: t.border },
  });
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    parsing: false,
    normalized: false,
    spanGaps: true,
    interaction: { mode: 'nearest', intersect: false },
    scales: { x: axis(xTitle, logX), y: axis(yTitle, logY) },
    plugins: {
      // LTTB down to about one point per pixel column once a series has more than 1,000 visible points (chart.js's
      // default waits for 4× the width): 30 charted runs of a few thousand points each stay a fast redraw.
      decimation: { enabled: true, algorithm: 'lttb', samples: undefined, threshold: 1000 },
      legend: {
        position: 'top',
        align: 'start',
        labels: {
          color: t.fg,
          font,
          boxWidth: 14,
          boxHeight: 3,
          padding: 12,
          sort: (a, b) => a.datasetIndex! - b.datasetIndex!,
          filter: (item, data) => {
            const r = (data.datasets[item.datasetIndex!] as Ds).role;
            return (
              r === 'data' ||
              r === 'points' ||
              r === 'law' ||
              r === 'excluded' ||
              r === 'iso' ||
              r === 'pred' ||
              r === 'target' ||
              r === 'approach'
            );
          },
        },
      },
      tooltip: {
        backgroundColor: withAlpha(t.bg, 0.95),
        titleColor: t.fg,
        bodyColor: t.fg,
        borderColor: t.border,
        borderWidth: 1,
        titleFont: font,
        bodyFont: font,
        padding: 8,
        cornerRadius: 2,
        boxPadding: 4,
      },
      // @ts-expect-error custom plugin options
      slBackground: { color: t.bg },
    },
  };
}

function setCanvasInfo(canvas: HTMLCanvasElement, points: number, label: string): void {
  canvas.setAttribute('aria-label', label);
  publish(canvas, { points, drawn: points > 0 });
}

// ------------------------------------------------------------------------------------------------------------
// Learning curves

interface Entry {
  runId: string;
  metric: string;
  x: (i: number) => number;
  /** The series' transformed points (kept across rebuilds while the series and x axis stay). */
  cache: SeriesCache;
  ds: Ds;
  /** What ds.data was decimated for (view, width, cache version); re-decimated when it differs. */
  drawnFor: string;
}

/** What a learning-curve chart needs from the page: run colours, which runs are shown, and what clicks do. */
export interface RunsHooks {
  colorOf(runId: string): string;
  /** Hidden by the user (legend, run list) or by the filter box. */
  visible(runId: string): boolean;
  /** Matches the filter box (runs that do not are left out of the legend too). */
  passes(runId: string): boolean;
  /** A legend item was clicked: show or hide these runs. */
  toggle(runIds: string[]): void;
  /** The user zoomed or panned (or reset). */
  zoomed(): void;
  /** The group of a run (legend items are groups when a panel holds many runs). */
  groupOf(runId: string): string;
}

/** Up to this many runs in a panel the legend lists runs; above it, groups (folders), each toggling its runs. */
export const LEGEND_RUNS_MAX = 12;
/** Alpha of the runs that are not selected, so the selected one stands out. */
export const DIM_ALPHA = 0.4;

type View = { x: [number, number]; y: [number, number] };

export class RunsChart {
  private chart: Chart<'line', XY[]> | undefined;
  private entries = new Map<string, Entry>();
  /** Transformed series by series key, kept across rebuilds (option changes recompute only what they change). */
  private caches = new Map<string, SeriesCache>();
  /** Redecimates every data line for the visible x range and plot width before chart.js lays them out. */
  private decimator: Plugin = {
    id: 'slDecimate',
    beforeUpdate: (chart) => {
      this.decimate(chart as Chart<'line', XY[]>);
    },
  };
  /** Where non-finite values (divergence) are: a mark at the top of the plot, in the run's colour. */
  private badMarks: Plugin = {
    id: 'slBad',
    afterDatasetsDraw: (chart) => {
      this.drawBad(chart as Chart<'line', XY[]>);
    },
  };
  private opts = { xAxis: 'step' as XAxis, logX: false, logY: false, smoothing: 0 };
  private runIds: Set<string> | undefined;
  /** The zoomed/panned window, kept across rebuilds with the same axes; undefined: everything. */
  private view: View | undefined;
  title = '';
  /** Runs that could not be drawn on the chosen x axis (no tokens/params/time): shown as a note. */
  missingAxis: string[] = [];

  constructor(
    readonly canvas: HTMLCanvasElement,
    private theme: () => Theme,
    private hooks: RunsHooks,
  ) {
    // Double-click resets the zoom, like most charting tools.
    canvas.addEventListener('dblclick', () => this.resetZoom());
  }

  private widthPx(): number {
    return Math.max(200, this.chart?.width || this.canvas.clientWidth || 800);
  }

  /** Whether the user zoomed or panned this chart. */
  get zoomed(): boolean {
    return this.view !== undefined;
  }

  resetZoom(): void {
    if (!this.chart || !this.view) return;
    // The plugin's resetZoom calls onZoomComplete, which would store the full range as a zoomed window (the chart
    // then stayed pinned to it as a live run grew, and Reset zoom came back enabled): forget the window after it.
    this.chart.resetZoom('none');
    this.view = undefined;
    publish(this.canvas, { view: undefined });
    const sc = this.chart.options.scales!;
    for (const k of ['x', 'y'] as const) {
      delete sc[k]!.min;
      delete sc[k]!.max;
    }
    this.chart.update('none');
    this.hooks.zoomed();
  }

  /**
   * Rebuilds every dataset from the raw series (init, option or run-list changes). `runIds`: the runs of this panel
   * (all charted runs when omitted); `title`: the y axis title.
   */
  rebuild(store: Store, runIds?: Set<string>, title?: string): void {
    const o = store.state.options;
    const next = { xAxis: o.xAxis, logX: o.logX, logY: o.logY, smoothing: o.smoothing };
    if (next.xAxis !== this.opts.xAxis || next.logX !== this.opts.logX || next.logY !== this.opts.logY)
      this.view = undefined;
    this.opts = next;
    this.runIds = runIds;
    this.title = title ?? '';
    this.entries.clear();
    this.missingAxis = [];
    const datasets: Ds[] = [];
    for (const run of store.state.runs) {
      // Only the charted runs are drawn (the host sends no points for the others).
      if (!store.isCharted(run.id) || (runIds && !runIds.has(run.id))) continue;
      const metric = store.metricFor(run);
      const s = store.series(run.id, metric);
      if (!s) continue;
      const x = xMapper(o.xAxis, s, run.params);
      if (!x) {
        this.missingAxis.push(run.label);
        continue;
      }
      const key = seriesKey(run.id, metric);
      let cache = this.caches.get(key);
      if (!cache || !cache.fits(s, o.xAxis, run.params)) cache = new SeriesCache(s, o.xAxis, run.params, x);
      cache.sync(this.weightFor(cache, run.id));
      const line: Ds = {
        role: 'data',
        runId: run.id,
        data: [],
        pointRadius: 0,
        pointHoverRadius: 3,
        tension: 0,
        slCache: cache,
      };
      const entry: Entry = { runId: run.id, metric, x, cache, ds: line, drawnFor: '' };
      this.entries.set(key, entry);
      datasets.push(line, ...this.fitDatasets(store, run));
    }
    for (const k of [...this.caches.keys()]) if (!this.entries.has(k)) this.caches.delete(k);
    for (const [k, e] of this.entries) this.caches.set(k, e.cache);
    publish(this.canvas, { smoothed: smoothedProbe(this.entries.values()) });
    this.pushTarget(store, datasets);
    this.styleAll(store, datasets);
    if (!this.chart) {
      this.chart = new Chart(this.canvas, {
        type: 'line',
        data: { datasets },
        options: this.makeOptions(store),
        plugins: [this.decimator, background, this.badMarks, tooltipProbe],
      });
    } else {
      this.chart.data.datasets = datasets;
      this.chart.options = this.makeOptions(store);
    }
  }

  /**
   * The smoothing weight to sync a run's cache with: the chosen one (capped for short series), except that a hidden
   * run keeps the weight its y already has — a smoothing change recomputes only the runs on show (issue 17), and a
   * hidden one when it is shown again (see decimate). A new cache starts at the chosen weight.
   */
  private weightFor(cache: SeriesCache, runId: string): number {
    const w = effectiveSmoothing(this.opts.smoothing, cache.series.y.length);
    return cache.consumed === 0 || this.hooks.visible(runId) ? w : cache.smoothing;
  }

  /**
   * Gives every data line the points to draw for the visible x range (the zoomed window, else all the data) and
   * the plot's width in pixels: min/max per pixel column (./decimate). Runs before each chart.js update, so zoom,
   * pan, resize, appends and option changes all redraw from the whole series; a line whose view, width and points
   * are unchanged keeps its drawn points.
   */
  private decimate(chart: Chart<'line', XY[]>): void {
    if (!this.entries.size) return;
    const sx = chart.options.scales?.x as { min?: unknown; max?: unknown } | undefined;
    const { logX, logY } = this.opts;
    let lo = Infinity,
      hi = -Infinity;
    for (const e of this.entries.values()) {
      const c = e.cache;
      if (!c.n) continue;
      const first = logX ? upperBound(c.xs, 0, 0, c.n) : 0;
      if (first < c.n) {
        lo = Math.min(lo, c.xs[first]);
        hi = Math.max(hi, c.xs[c.n - 1]);
      }
    }
    if (typeof sx?.min === 'number') lo = sx.min;
    if (typeof sx?.max === 'number') hi = sx.max;
    const columns = Math.max(50, Math.round(chart.chartArea?.width || chart.width || this.widthPx()));
    let caughtUp = false;
    for (const e of this.entries.values()) {
      const c = e.cache;
      // A hidden run is neither re-smoothed nor decimated: a run shown again catches up here (its y for the current
      // smoothing, then its drawn points).
      if (!this.hooks.visible(e.runId)) continue;
      if (c.sync(this.weightFor(c, e.runId))) caughtUp = true;
      const key = `${lo} ${hi} ${columns} ${logX} ${logY} ${c.version}`;
      if (key === e.drawnFor) continue;
      e.drawnFor = key;
      const idx = decimateView(c.xs, c.ys, c.n, c.sum, { lo, hi, columns, logX, logY });
      const data: XY[] = new Array(idx.length);
      for (let k = 0; k < idx.length; k++) data[k] = { x: c.xs[idx[k]], y: c.ys[idx[k]] };
      e.ds.data = data;
    }
    if (caughtUp) publish(this.canvas, { smoothed: smoothedProbe(this.entries.values()) });
  }

  /** A small mark at the top of the plot at each x where a shown run has a non-finite value (one per pixel). */
  private drawBad(chart: Chart<'line', XY[]>): void {
    const area = chart.chartArea,
      sx = chart.scales.x;
    if (!area || !sx) return;
    const { ctx } = chart;
    ctx.save();
    for (const e of this.entries.values()) {
      if (!e.cache.bad.length || e.ds.hidden) continue;
      ctx.fillStyle = this.hooks.colorOf(e.runId);
      let last = NaN;
      for (const x of e.cache.bad) {
        if (this.opts.logX && !(x > 0)) continue;
        const px = Math.round(sx.getPixelForValue(x));
        if (px === last || px < area.left || px > area.right) continue;
        last = px;
        ctx.beginPath();
        ctx.moveTo(px - 4, area.top);
        ctx.lineTo(px + 4, area.top);
        ctx.lineTo(px, area.top + 6);
        ctx.closePath();
        ctx.fill();
      }
    }
    ctx.restore();
  }

  private makeOptions(store: Store): ChartOptions<'line'> {
    const o = store.state.options;
    const runs = store.state.runs;
    const metricTitle =
      this.title || (o.metric && o.metric !== 'auto' ? o.metric : runs[0] ? store.metricFor(runs[0]) : 'loss');
    const t = this.theme();
    const options = baseOptions(t, X_TITLES[o.xAxis], metricTitle, o.logX, o.logY);
    publish(this.canvas, { xTitle: X_TITLES[o.xAxis], yTitle: metricTitle });
    options.interaction = { mode: 'slNearest', intersect: false };
    // Data lines are decimated by this chart for the visible range (the slDecimate plugin), not by chart.js.
    options.plugins!.decimation = { enabled: false };
    if (this.view) {
      const sc = options.scales!;
      sc.x!.min = this.view.x[0];
      sc.x!.max = this.view.x[1];
      sc.y!.min = this.view.y[0];
      sc.y!.max = this.view.y[1];
    }
    const onView = ({ chart }: { chart: Chart }) => {
      const { x, y } = chart.scales;
      this.view = { x: [x.min, x.max], y: [y.min, y.max] };
      publish(this.canvas, { view: JSON.stringify(this.view) });
      this.hooks.zoomed();
    };
    // Wheel zooms, dragging draws a box to zoom into, Shift+drag pans, double-click resets.
    options.plugins!.zoom = {
      zoom: {
        wheel: { enabled: true },
        drag: {
          enabled: true,
          threshold: 6,
          backgroundColor: withAlpha(t.focus, 0.15),
          borderColor: t.focus,
          borderWidth: 1,
        },
        mode: 'xy',
        onZoomComplete: onView,
      },
      pan: { enabled: true, modifierKey: 'shift', mode: 'xy', onPanComplete: onView },
    };
    const legend = options.plugins!.legend!;
    legend.labels!.generateLabels = (chart) => this.legendItems(chart as Chart<'line', XY[]>);
    legend.onClick = (_e, item) => {
      const ids = (item as LegendItemX).runIds;
      if (ids?.length) this.hooks.toggle(ids);
    };
    legend.onHover = (e) => {
      (e.native?.target as HTMLElement | undefined)?.style.setProperty('cursor', 'pointer');
    };
    legend.onLeave = (e) => {
      (e.native?.target as HTMLElement | undefined)?.style.removeProperty('cursor');
    };
    options.plugins!.tooltip!.filter = (it: TooltipItem<'line'>) => {
      const r = (it.dataset as Ds).role;
      return (r === 'data' || r === 'end' || r === 'fit') && !it.dataset.hidden;
    };
    options.plugins!.tooltip!.callbacks = {
      title: (items) => {
        const d = items[0]?.dataset as Ds | undefined;
        return d?.runId ? (store.run(d.runId)?.label ?? '') : '';
      },
      label: (it) => {
        const d = it.dataset as Ds;
        const e = d.runId ? this.entries.get(seriesKey(d.runId, this.metricOf(d.runId, store))) : undefined;
        // A data line's tooltip names the real series point nearest the cursor (slNearest), not a drawn one.
        const real = d.role === 'data' ? (it.element as { $real?: RealPoint }).$real : undefined;
        const px = real ? real.x : it.parsed.x,
          py = real ? real.y : it.parsed.y;
        let x = `${X_TITLES[this.opts.xAxis]} ${formatCompact(px)}`;
        // On tokens / compute / time axes, the step too (found in the run's own series).
        if (this.opts.xAxis !== 'step' && e && d.role === 'data') {
          const st = real ? real.step : px === null ? undefined : stepAtX(store.series(e.runId, e.metric), e.x, px);
          if (st !== undefined) x = `step ${formatCompact(st)} · ${x}`;
        }
        if (d.role === 'end' && d.forecast)
          return `forecast at step ${formatCompact(d.forecast.atStep)}: ${formatInterval(d.forecast.value, d.forecast.lower, d.forecast.upper)}`;
        if (d.role === 'fit') return `${x} · fitted ${e?.metric ?? 'curve'} ${formatValue(it.parsed.y)}`;
        const sm = e && e.cache.smoothing > 0 ? ` (smoothed ${e.cache.smoothing.toFixed(2)})` : '';
        return `${x} · ${e?.metric ?? 'value'} ${formatValue(py)}${sm}`;
      },
    };
    return options;
  }

  private metricOf(runId: string, store: Store): string {
    const r = store.run(runId);
    return r ? store.metricFor(r) : '';
  }

  /** Legend: runs (few) or groups (many), each item carrying the runs it toggles; then the target line. */
  private legendItems(chart: Chart<'line', XY[]>): LegendItemX[] {
    const t = this.theme();
    const ds = chart.data.datasets as Ds[];
    const font = t.fg;
    const lines = ds.map((d, i) => ({ d, i })).filter(({ d }) => d.role === 'data' && this.hooks.passes(d.runId!));
    const items: LegendItemX[] = [];
    const item = (
      text: string,
      color: string,
      hidden: boolean,
      runIds: string[],
      datasetIndex: number,
    ): LegendItemX => ({
      text,
      fillStyle: color,
      strokeStyle: color,
      lineWidth: 0,
      hidden,
      fontColor: font,
      datasetIndex,
      runIds,
    });
    if (lines.length <= LEGEND_RUNS_MAX) {
      for (const { d, i } of lines)
        items.push(item(String(d.label), this.hooks.colorOf(d.runId!), !this.hooks.visible(d.runId!), [d.runId!], i));
    } else {
      const groups = new Map<string, { ids: string[]; first: number }>();
      for (const { d, i } of lines) {
        const g = this.hooks.groupOf(d.runId!);
        const e = groups.get(g);
        if (e) e.ids.push(d.runId!);
        else groups.set(g, { ids: [d.runId!], first: i });
      }
      for (const [g, { ids, first }] of groups) {
        const mid = ids[Math.floor(ids.length / 2)];
        items.push(
          item(
            `${g} (${ids.length})`,
            this.hooks.colorOf(mid),
            ids.every((id) => !this.hooks.visible(id)),
            ids,
            first,
          ),
        );
      }
    }
    ds.forEach((d, i) => {
      if (d.role === 'target')
        items.push({ ...item(String(d.label), String(d.borderColor), false, [], i), lineDash: [2, 3] });
    });
    return items;
  }

  /** Colour, width, order, visibility of every dataset: the selected run thick and on top, the others dimmed. */
  private styleAll(store: Store, datasets: Ds[]): void {
    const sel = store.state.options.selectedRun;
    const lines = datasets.filter((d) => d.role === 'data' && this.hooks.visible(d.runId!));
    const dim = lines.length > 1 && lines.some((d) => d.runId === sel);
    // High-contrast themes keep the other runs legible: dimmed less, the selected one still thicker.
    const dimAlpha = this.theme().kind.startsWith('high-contrast') ? 0.7 : DIM_ALPHA;
    for (const d of datasets) {
      if (!d.runId) continue;
      const run = store.run(d.runId);
      if (!run) continue;
      const color = this.hooks.colorOf(d.runId);
      const selected = d.runId === sel;
      const alpha = (run.excluded ? 0.45 : 1) * (dim && !selected ? dimAlpha : 1);
      d.hidden = !this.hooks.visible(d.runId);
      switch (d.role) {
        case 'data':
          d.label = run.label;
          d.borderColor = withAlpha(color, alpha);
          d.backgroundColor = color;
          d.borderWidth = selected ? 2.5 : dim ? 1 : 1.25;
          d.order = selected ? 0 : 1;
          break;
        case 'bandHi':
          d.backgroundColor = withAlpha(color, 0.2 * alpha);
          break;
        case 'fit':
          d.borderColor = withAlpha(color, 0.9 * alpha);
          d.borderWidth = selected ? 1.75 : 1.25;
          break;
        case 'endBar':
          d.borderColor = withAlpha(color, alpha);
          break;
        case 'end':
          d.borderColor = withAlpha(color, alpha);
          d.backgroundColor = withAlpha(color, alpha);
          break;
        default:
          break;
      }
    }
  }

  /**
   * Colours, widths, axis styling and fit overlays without recomputing any point: selection, include/exclude,
   * show/hide and theme changes stay instant with millions of points.
   */
  restyle(store: Store): void {
    if (!this.chart) return;
    this.chart.options = this.makeOptions(store);
    this.refreshFits(store);
  }

  private fitDatasets(store: Store, run: RunSummary): Ds[] {
    const metric = store.metricFor(run);
    const fit = store.curveFit(run.id, metric);
    const s = store.series(run.id, metric);
    const map = stepMapper(this.opts.xAxis, s, run.params);
    if (!map) return [];
    const { logX, logY } = this.opts;
    const ok = (x: number, y: number) =>
      Number.isFinite(x) && Number.isFinite(y) && (!logX || x > 0) && (!logY || y > 0);
    const out: Ds[] = [];
    const color = this.hooks.colorOf(run.id);
    // Prediction bands are filled areas: drawn for every run when only a few are charted, else for the selected run
    // only (thirty overlapping bands are unreadable, and filling them is most of a redraw).
    const band = store.chartedCount() <= BANDS_FOR_ALL || run.id === store.state.options.selectedRun;
    if (fit?.ok && fit.band && fit.band.x.length) {
      const b = fit.band;
      const lo: XY[] = [],
        hi: XY[] = [],
        mid: XY[] = [];
      for (let k = 0; k < b.x.length; k++) {
        const x = map(b.x[k]);
        if (band && ok(x, b.lower[k]) && ok(x, b.upper[k])) {
          lo.push({ x, y: b.lower[k] });
          hi.push({ x, y: b.upper[k] });
        }
        if (ok(x, b.y[k])) mid.push({ x, y: b.y[k] });
      }
      if (band) {
        const common = {
          runId: run.id,
          label: `${run.label} band`,
          pointRadius: 0,
          pointHitRadius: 0,
          borderWidth: 0,
          tension: 0,
          order: 3,
        };
        out.push({
          ...common,
          role: 'bandLo',
          data: lo,
          fill: false,
          borderColor: 'transparent',
          backgroundColor: 'transparent',
        });
        out.push({
          ...common,
          role: 'bandHi',
          data: hi,
          fill: '-1',
          borderColor: 'transparent',
          backgroundColor: withAlpha(color, 0.2),
        });
      }
      out.push({
        role: 'fit',
        runId: run.id,
        label: `${run.label} fit`,
        data: mid,
        borderColor: withAlpha(color, 0.9),
        borderDash: [5, 4],
        borderWidth: 1.25,
        pointRadius: 0,
        pointHitRadius: 0,
        tension: 0,
        order: 2,
        fill: false,
      });
    }
    const f = run.forecast?.metric === metric ? run.forecast : fit?.ok ? fit.end : undefined;
    if (f && Number.isFinite(f.value)) {
      const x = map(f.atStep);
      if (ok(x, f.value)) {
        const bar = [f.lower, f.upper].filter((y) => ok(x, y)).map((y) => ({ x, y }));
        if (bar.length === 2) {
          out.push({
            role: 'endBar',
            runId: run.id,
            label: `${run.label} interval`,
            data: bar,
            borderColor: color,
            borderWidth: 1.5,
            pointStyle: 'line',
            pointRadius: 5,
            pointBorderWidth: 1.5,
            pointHitRadius: 0,
            pointHoverRadius: 5,
            order: 0,
          });
        }
        out.push({
          role: 'end',
          runId: run.id,
          label: run.label,
          forecast: f,
          data: [{ x, y: f.value }],
          showLine: false,
          pointStyle: 'circle',
          pointRadius: 4,
          pointHoverRadius: 5,
          borderColor: color,
          borderWidth: 1.5,
          backgroundColor: color,
          order: 0,
        });
      }
    }
    return out;
  }

  /** Whether this chart draws a series key. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Appends newly arrived points in place. Returns true when a full rebuild is needed (a new series on screen). */
  append(store: Store, keys: Iterable<string>): boolean {
    let needRebuild = false;
    for (const key of keys) {
      const e = this.entries.get(key);
      if (!e) {
        // Only a first series of a metric on screen needs a rebuild; points of other metrics are not drawn.
        const [runId, metric] = key.split('\u0000');
        const run = store.run(runId);
        if (run && store.metricFor(run) === metric && (!this.runIds || this.runIds.has(runId))) {
          const s = store.series(runId, metric);
          if (s && xMapper(this.opts.xAxis, s, run.params)) needRebuild = true;
        }
        continue;
      }
      const s = store.series(e.runId, e.metric);
      if (!s) continue;
      if (!e.cache.fits(s, this.opts.xAxis, e.cache.params)) {
        // The series was replaced (a re-read log): start its points over.
        e.cache = new SeriesCache(
          s,
          this.opts.xAxis,
          e.cache.params,
          xMapper(this.opts.xAxis, s, e.cache.params) ?? e.x,
        );
        e.ds.slCache = e.cache;
        this.caches.set(key, e.cache);
      }
      // Only the new points are transformed (a short series' capped smoothing window grows with it: then y is
      // re-smoothed); the next update re-decimates (slDecimate).
      e.cache.sync(this.weightFor(e.cache, e.runId));
    }
    return needRebuild;
  }

  /** Re-makes the fit/band/forecast datasets (fits and run summaries change without new points). */
  refreshFits(store: Store): void {
    if (!this.chart) return;
    const keep = (this.chart.data.datasets as Ds[]).filter((d) => d.role === 'data');
    const datasets: Ds[] = [];
    for (const d of keep) {
      const run = store.run(d.runId);
      if (!run) continue;
      datasets.push(d, ...this.fitDatasets(store, run));
    }
    this.pushTarget(store, datasets);
    this.styleAll(store, datasets);
    this.chart.data.datasets = datasets;
  }

  /** The target loss (scalingLens.targetLoss) as a dotted horizontal line across the data and forecasts. */
  private pushTarget(store: Store, datasets: Ds[]): void {
    const v = store.state.targetLoss;
    if (v === null || v === undefined || !Number.isFinite(v) || (this.opts.logY && v <= 0)) return;
    let lo = Infinity,
      hi = -Infinity,
      yLo = Infinity,
      yHi = -Infinity;
    const byDs = new Map([...this.entries.values()].map((en) => [en.ds, en] as const));
    for (const d of datasets) {
      if (d.role === 'data') {
        const e = byDs.get(d);
        const c = e?.cache;
        const first = c && this.opts.logX ? upperBound(c.xs, 0, 0, c.n) : 0;
        if (c && first < c.n) {
          lo = Math.min(lo, c.xs[first]);
          hi = Math.max(hi, c.xs[c.n - 1]);
        }
        // The y range from about 2,000 sampled points (this runs on every restyle, with millions of points).
        const n = c?.n ?? 0;
        const stride = Math.max(1, Math.floor(n / 2000));
        for (let i = 0; i < n; i += stride) {
          const y = c!.ys[i];
          if (y < yLo) yLo = y;
          if (y > yHi) yHi = y;
        }
      } else if (d.role === 'fit' || d.role === 'end') {
        for (const p of d.data) {
          lo = Math.min(lo, p.x);
          hi = Math.max(hi, p.x);
        }
      }
    }
    if (!(hi > lo)) return;
    // Only in a panel whose values come near it: a pretraining target of 2.9 means nothing on a fine-tune's 0.4.
    if (yHi >= yLo && (v > 2 * yHi || v < 0.5 * yLo)) return;
    const t = this.theme();
    datasets.push({
      role: 'target',
      label: `target ${formatValue(v)}`,
      data: [
        { x: lo, y: v },
        { x: hi, y: v },
      ],
      borderColor: withAlpha(t.green, 0.9),
      backgroundColor: t.green,
      borderDash: [2, 3],
      borderWidth: 1.25,
      pointRadius: 0,
      pointHitRadius: 0,
      tension: 0,
      order: 4,
    });
  }

  totalPoints(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.cache.n;
    return n;
  }

  /** Runs drawn (shown) and prediction bands drawn. */
  counts(): { runs: number; bands: number } {
    const ds = (this.chart?.data.datasets ?? []) as Ds[];
    return {
      runs: ds.filter((d) => d.role === 'data' && !d.hidden).length,
      bands: ds.filter((d) => d.role === 'bandHi' && !d.hidden).length,
    };
  }

  /** Visible runs with their colours, for the exported legend. */
  shownRuns(): { runId: string; label: string }[] {
    const ds = (this.chart?.data.datasets ?? []) as Ds[];
    return ds.filter((d) => d.role === 'data' && !d.hidden).map((d) => ({ runId: d.runId!, label: String(d.label) }));
  }

  draw(summary: string): void {
    if (!this.chart) return;
    this.chart.update('none');
    setCanvasInfo(this.canvas, this.totalPoints(), summary);
    const c = this.counts();
    publish(this.canvas, { runs: c.runs, bands: c.bands });
  }

  clearHover(): void {
    clearHover(this.chart);
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = undefined;
  }

  toPng(): string | undefined {
    return this.chart ? this.canvas.toDataURL('image/png') : undefined;
  }
}

/** A legend item that knows which runs it shows or hides. */
type LegendItemX = LegendItem & { runIds?: string[] };

// ------------------------------------------------------------------------------------------------------------
// Sweep

export type SweepAxis = 'N' | 'D' | 'C';
type SweepXY = XY & { runId?: string; name: string; N: number; D: number; C: number };
export const SWEEP_TITLES: Record<SweepAxis, string> = { N: 'parameters N', D: 'tokens D', C: 'compute C (FLOPs)' };

export class SweepChart {
  private chart: Chart<'line', XY[]> | undefined;
  points = 0;

  /** `onToggle(runId)`: a sweep point was clicked (include/exclude its run, like the run list's checkbox). */
  constructor(
    private canvas: HTMLCanvasElement,
    private theme: () => Theme,
    private onToggle?: (runId: string) => void,
  ) {
    canvas.addEventListener('dblclick', () => {
      this.chart?.resetZoom('none');
    });
  }

  clearHover(): void {
    clearHover(this.chart);
  }

  /** What the legend shows (points, law, IsoFLOP curves, optima, prediction), for the exported image. */
  legend(): { label: string; color: string; dashed?: boolean }[] {
    const ds = (this.chart?.data.datasets ?? []) as Ds[];
    const shown: Role[] = ['points', 'excluded', 'law', 'iso', 'approach', 'pred'];
    return ds
      .filter((d) => shown.includes(d.role) && d.data.length)
      .map((d) => ({
        label: String(d.label ?? ''),
        color: String(d.borderColor ?? d.backgroundColor ?? ''),
        dashed: !!d.borderDash,
      }));
  }

  render(fit: SweepFitView | undefined, axis: SweepAxis): void {
    const t = this.theme();
    const datasets: Ds[] = [];
    const pos = (x: number, y: number) => Number.isFinite(x) && Number.isFinite(y) && x > 0 && y > 0;
    this.points = 0;
    if (fit) {
      // Points carry their run (for the tooltip and click-to-exclude); sorted by x as line datasets need.
      const pick = (excluded: boolean) =>
        fit.points
          .filter((p) => !!p.excluded === excluded && pos(p[axis], p.loss))
          .map((p) => ({
            x: p[axis],
            y: p.loss,
            runId: p.runId,
            name: p.label ?? p.runId ?? 'run',
            N: p.N,
            D: p.D,
            C: p.C,
          }))
          .sort((a, b) => a.x - b.x);
      const inc = pick(false),
        exc = pick(true);
      this.points = inc.length + exc.length;
      datasets.push({
        role: 'points',
        label: 'runs (in fit)',
        data: inc,
        showLine: false,
        pointRadius: 4.5,
        pointHoverRadius: 6,
        pointStyle: 'circle',
        backgroundColor: t.blue,
        borderColor: t.blue,
        borderWidth: 1.5,
        order: 0,
      });
      if (exc.length) {
        datasets.push({
          role: 'excluded',
          label: 'excluded',
          data: exc,
          showLine: false,
          pointRadius: 4.5,
          pointHoverRadius: 6,
          pointStyle: 'circle',
          backgroundColor: 'transparent',
          borderColor: t.blue,
          borderWidth: 1.5,
          order: 0,
        });
      }
      if (fit.ok && fit.isoflops && axis !== 'C') {
        const iso = fit.isoflops;
        iso.forEach((c, k) => {
          const col = t.palette[(k + 1) % t.palette.length];
          const data: XY[] = [];
          for (let j = 0; j < c.N.length; j++) {
            const x = axis === 'N' ? c.N[j] : c.C / (6 * c.N[j]);
            if (pos(x, c.loss[j])) data.push({ x, y: c.loss[j] });
          }
          data.sort((a, b) => a.x - b.x);
          datasets.push({
            role: 'iso',
            label: `IsoFLOP C=${formatCompact(c.C)}`,
            data,
            borderColor: withAlpha(col, 0.75),
            backgroundColor: col,
            borderWidth: 1,
            pointRadius: 0,
            tension: 0,
            order: 3,
            borderDash: [2, 3],
          });
        });
      }
      if (fit.ok && fit.frontier) {
        const fr = fit.frontier;
        const data: XY[] = [];
        for (let j = 0; j < fr.C.length; j++) {
          const x = axis === 'C' ? fr.C[j] : axis === 'N' ? fr.N[j] : fr.D[j];
          if (pos(x, fr.loss[j])) data.push({ x, y: fr.loss[j] });
        }
        data.sort((a, b) => a.x - b.x);
        datasets.push({
          role: 'law',
          label: `compute-optimal frontier (${fit.lawName ?? fit.law ?? 'fitted law'})`,
          data,
          borderColor: t.red,
          backgroundColor: t.red,
          borderWidth: 2,
          pointRadius: 0,
          tension: 0,
          order: 2,
        });
      }
      if (fit.ok && fit.curve && fit.axis === axis) {
        // A one-input law along this axis: the fitted curve and its bootstrap band (extrapolated past the points).
        const c = fit.curve;
        const lo: XY[] = [],
          hi: XY[] = [],
          mid: XY[] = [];
        for (let j = 0; j < c.x.length; j++) {
          if (pos(c.x[j], c.lower[j]) && pos(c.x[j], c.upper[j])) {
            lo.push({ x: c.x[j], y: c.lower[j] });
            hi.push({ x: c.x[j], y: c.upper[j] });
          }
          if (pos(c.x[j], c.y[j])) mid.push({ x: c.x[j], y: c.y[j] });
        }
        const common = { pointRadius: 0, pointHitRadius: 0, borderWidth: 0, tension: 0, order: 4 };
        datasets.push({
          ...common,
          role: 'bandLo',
          label: 'band',
          data: lo,
          fill: false,
          borderColor: 'transparent',
          backgroundColor: 'transparent',
        });
        datasets.push({
          ...common,
          role: 'bandHi',
          label: 'band',
          data: hi,
          fill: '-1',
          borderColor: 'transparent',
          backgroundColor: withAlpha(t.red, 0.15),
        });
        datasets.push({
          role: 'law',
          label: fit.lawName ?? fit.law ?? 'fitted law',
          data: mid,
          borderColor: t.red,
          backgroundColor: t.red,
          borderWidth: 2,
          pointRadius: 0,
          tension: 0,
          order: 2,
        });
      }
      for (const ap of fit.ok ? (fit.approaches ?? []) : []) {
        // Per-budget optima of methods other than the closed form (IsoFLOP profiles, loss envelope).
        if (!ap.points?.length) continue;
        const data = ap.points
          .map((q) => ({ x: axis === 'N' ? q.N : axis === 'D' ? q.D : q.C, y: q.loss }))
          .filter((q) => pos(q.x, q.y))
          .sort((a, b) => a.x - b.x);
        datasets.push({
          role: 'approach',
          label: `${ap.name}: optima`,
          data,
          showLine: false,
          pointStyle: ap.id === 'isoflop' ? 'triangle' : 'rect',
          pointRadius: 6,
          pointHoverRadius: 7,
          backgroundColor: 'transparent',
          borderColor: ap.id === 'isoflop' ? t.green : t.yellow,
          borderWidth: 1.5,
          order: 0,
        });
      }
      const pr = fit.prediction;
      if (pr) {
        const x =
          pr.axis === axis
            ? pr.at
            : axis === 'N'
              ? pr.N
              : axis === 'D'
                ? pr.D
                : pr.N && pr.D
                  ? 6 * pr.N * pr.D
                  : undefined;
        if (x !== undefined && pos(x, pr.value)) {
          if (pos(x, pr.lower) && pos(x, pr.upper)) {
            datasets.push({
              role: 'predBar',
              label: 'prediction interval',
              data: [
                { x, y: pr.lower },
                { x, y: pr.upper },
              ],
              borderColor: t.yellow,
              borderWidth: 1.5,
              pointStyle: 'line',
              pointRadius: 6,
              pointBorderWidth: 1.5,
              order: 0,
            });
          }
          datasets.push({
            role: 'pred',
            label: 'prediction',
            data: [{ x, y: pr.value }],
            showLine: false,
            pointStyle: 'rectRot',
            pointRadius: 6,
            backgroundColor: t.yellow,
            borderColor: t.yellow,
            order: 0,
          });
        }
      }
      const options = baseOptions(t, SWEEP_TITLES[axis], 'final loss', true, true);
      const runAt = (els: { datasetIndex: number; index: number }[]) => {
        for (const e of els) {
          const d = datasets[e.datasetIndex];
          if (d.role === 'points' || d.role === 'excluded') {
            const id = (d.data[e.index] as SweepXY).runId;
            if (id) return id;
          }
        }
        return undefined;
      };
      options.onClick = (_e, els) => {
        const id = runAt(els);
        if (id) this.onToggle?.(id);
      };
      // Wheel or a dragged box zooms, Shift+drag pans, double-click resets (as on the learning curves).
      options.plugins!.zoom = {
        zoom: {
          wheel: { enabled: true },
          drag: {
            enabled: true,
            threshold: 6,
            backgroundColor: withAlpha(t.focus, 0.15),
            borderColor: t.focus,
            borderWidth: 1,
          },
          mode: 'xy',
        },
        pan: { enabled: true, modifierKey: 'shift', mode: 'xy' },
      };
      options.onHover = (_e, els) => {
        this.canvas.style.cursor = runAt(els) ? 'pointer' : '';
      };
      options.plugins!.tooltip!.filter = (it: TooltipItem<'line'>) => {
        const r = (it.dataset as Ds).role;
        return r === 'points' || r === 'excluded' || r === 'pred' || r === 'law' || r === 'approach';
      };
      options.plugins!.tooltip!.callbacks = {
        title: (items) => {
          const d = items[0]?.dataset as Ds | undefined;
          return !items[0] || d?.role === 'points' || d?.role === 'excluded'
            ? ''
            : `${axis} = ${formatCompact(items[0].parsed.x)}`;
        },
        label: (it) => {
          const d = it.dataset as Ds;
          if (d.role === 'points' || d.role === 'excluded') {
            // Run, N, D and loss (and C on the compute axis); the click hint last.
            const p = it.raw as SweepXY;
            const lines = [
              `${p.name}${d.role === 'excluded' ? ' (excluded)' : ''}`,
              `N ${formatCompact(p.N)} · D ${formatCompact(p.D)}${axis === 'C' ? ` · C ${formatCompact(p.C)}` : ''}`,
              `final loss ${formatValue(p.y)}`,
            ];
            if (p.runId) lines.push(`click to ${d.role === 'excluded' ? 'include' : 'exclude'}`);
            return lines;
          }
          if (d.role === 'pred' && pr) return `prediction: ${formatInterval(pr.value, pr.lower, pr.upper)}`;
          return `${d.label}: ${formatValue(it.parsed.y)}`;
        },
      };
      this.apply(datasets, options);
    } else {
      this.apply([], baseOptions(t, SWEEP_TITLES[axis], 'final loss', true, true));
    }
  }

  private apply(datasets: Ds[], options: ChartOptions<'line'>): void {
    if (!this.chart)
      this.chart = new Chart(this.canvas, {
        type: 'line',
        data: { datasets },
        options,
        plugins: [background, tooltipProbe],
      });
    else {
      this.chart.data.datasets = datasets;
      this.chart.options = options;
    }
  }

  draw(summary: string): void {
    if (!this.chart) return;
    this.chart.update('none');
    setCanvasInfo(this.canvas, this.points, summary);
  }

  toPng(): string | undefined {
    return this.chart ? this.canvas.toDataURL('image/png') : undefined;
  }
}
