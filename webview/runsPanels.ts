/**
 * The learning curves as one or more panels (separate charts): one metric per panel, and within a metric, levels
 * far apart (a fine-tune at 0.4 next to pretraining at 3.2) split — see `splitPanels` in ./grouping. The first panel
 * draws on `#chart-runs` (the canvas the harnesses read); further panels get canvases of their own. The harness
 * attributes on `#chart-runs` (data-points, data-runs, data-bands) are totals over the panels.
 */
import { RunsChart, type RunsHooks } from './charts';
import { seriesLevel, splitPanels, type Panel, type PanelInput } from './grouping';
import { seriesKey, type Store } from './store';
import { publish } from './testProbe';
import type { Theme } from './theme';

export class RunsPanels {
  readonly charts: RunsChart[];
  panels: Panel[] = [];

  constructor(
    private box: HTMLElement,
    first: HTMLCanvasElement,
    private theme: () => Theme,
    private hooks: RunsHooks,
  ) {
    this.charts = [new RunsChart(first, theme, hooks)];
  }

  /** Panels of the charted runs that have points of their metric. */
  private split(store: Store): Panel[] {
    const items: PanelInput[] = [];
    for (const run of store.state.runs) {
      if (!store.isCharted(run.id)) continue;
      const metric = store.metricFor(run);
      const s = store.series(run.id, metric);
      if (s) items.push({ runId: run.id, metric, level: seriesLevel(s.y) });
    }
    return splitPanels(items);
  }

  rebuild(store: Store): void {
    this.panels = this.split(store);
    const n = Math.max(1, this.panels.length);
    while (this.charts.length > n) {
      const c = this.charts.pop()!;
      c.destroy();
      c.canvas.parentElement?.remove();
    }
    while (this.charts.length < n) {
      const wrap = document.createElement('div');
      wrap.className = 'panel';
      const canvas = document.createElement('canvas');
      canvas.setAttribute('role', 'img');
      wrap.append(canvas);
      this.box.append(wrap);
      this.charts.push(new RunsChart(canvas, this.theme, this.hooks));
    }
    this.charts.forEach((c, i) => {
      const p = this.panels[i];
      c.rebuild(store, p ? new Set(p.runIds) : new Set(), p?.title);
    });
  }

  /** Whether a panel draws any of these series (by `seriesKey`). */
  drawsAny(keys: Iterable<string>): boolean {
    for (const k of keys) if (this.charts.some((c) => c.has(k))) return true;
    return false;
  }

  /** Appends points; returns true when the panels must be rebuilt (a series no panel draws yet). */
  append(store: Store, keys: Set<string>): boolean {
    let rebuild = false;
    for (const c of this.charts)
      if (
        c.append(
          store,
          [...keys].filter((k) => c.has(k)),
        )
      )
        rebuild = true;
    for (const key of keys) {
      if (this.charts.some((c) => c.has(key))) continue;
      const [runId, metric] = key.split('\u0000');
      const run = store.run(runId);
      if (run && store.isCharted(runId) && store.metricFor(run) === metric && store.series(runId, metric))
        rebuild = true;
    }
    return rebuild;
  }

  restyle(store: Store): void {
    for (const c of this.charts) c.restyle(store);
  }
  refreshFits(store: Store): void {
    for (const c of this.charts) c.refreshFits(store);
  }
  resetZoom(): void {
    for (const c of this.charts) c.resetZoom();
  }
  get zoomed(): boolean {
    return this.charts.some((c) => c.zoomed);
  }
  get missingAxis(): string[] {
    return this.charts.flatMap((c) => c.missingAxis);
  }
  totalPoints(): number {
    return this.charts.reduce((n, c) => n + c.totalPoints(), 0);
  }
  has(runId: string, metric: string): boolean {
    return this.charts.some((c) => c.has(seriesKey(runId, metric)));
  }

  draw(summary: string): void {
    this.charts.forEach((c, i) => c.draw(i === 0 ? summary : `${c.title}: ${summary}`));
    // A panel whose runs are all hidden (filter, legend) gives its room to the others.
    const shown = this.charts.map((c) => this.charts.length === 1 || c.counts().runs > 0);
    if (!shown.some(Boolean)) shown[0] = true;
    this.charts.forEach((c, i) => {
      const w = c.canvas.parentElement;
      if (w && w.hidden !== !shown[i]) w.hidden = !shown[i];
    });
    const n = shown.filter(Boolean).length;
    for (let k = 1; k <= 6; k++) this.box.classList.toggle(`panels-${k}`, k === n);
    // Totals over the panels on the first canvas (what the harnesses read).
    let runs = 0,
      bands = 0;
    for (const c of this.charts) {
      const k = c.counts();
      runs += k.runs;
      bands += k.bands;
    }
    const points = this.totalPoints();
    // `shown`: the ids of the runs drawn, so a test can tell a run hidden from one replaced in the charted set.
    const shownIds = JSON.stringify(this.charts.flatMap((c) => c.shownRuns().map((r) => r.runId)));
    publish(this.charts[0].canvas, {
      points,
      drawn: points > 0,
      runs,
      bands,
      panels: this.panels.length,
      shown: shownIds,
    });
  }
}
