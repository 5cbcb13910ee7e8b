/**
 * Grouping, filtering and chart panels for many runs (pure; unit-tested in node).
 *
 * Panels: runs whose numbers are not comparable get separate charts. First by metric (one metric per chart: a
 * `val/loss` axis never carries `train/loss` or a detection model's `loss_box`), then, within a metric, by level:
 * runs whose typical late value differs by more than `LEVEL_GAP`× from the next run's (sorted by level) start a new
 * panel — a fine-tune at loss 0.4 and a pretraining run at 3.2 share a metric name but not a useful y axis, while
 * model sizes of one sweep (3.4 … 2.6) stay together.
 */

/** A run's group: its folder (a sweep), as the host reports it; runs with none share "(workspace)". */
export function groupOf(run: { group?: string; relPath?: string }): string {
  if (run.group) return run.group;
  const p = run.relPath ?? '';
  const i = p.lastIndexOf('/');
  return i > 0 ? p.slice(0, i) : '(workspace)';
}

// The filter box's rule is shared with the host, which charts the matching runs.
export { matchesFilter } from '../src/shared/runFilter';

/** Runs ordered for the list: by group, then in the host's order inside a group. Stable. */
export function orderByGroup<T extends { group?: string; relPath?: string }>(runs: readonly T[]): T[] {
  return runs
    .map((r, i) => ({ r, i, g: groupOf(r) }))
    .sort((a, b) => (a.g < b.g ? -1 : a.g > b.g ? 1 : a.i - b.i))
    .map((x) => x.r);
}

/** Two runs of one metric whose levels differ by more than this factor go to separate panels. */
export const LEVEL_GAP = 3;
/** At most this many panels; the rest share the last one (titled as mixed). */
export const MAX_PANELS = 6;

export interface PanelInput {
  runId: string;
  metric: string;
  level?: number;
}
export interface Panel {
  key: string;
  metric: string;
  title: string;
  runIds: string[];
}

/**
 * Typical late value of a series: the median of the finite values in its last quarter (undefined if none). Long
 * series are sampled (about 2,000 evenly spaced values), so a 2M-point run costs no more than a short one.
 */
export function seriesLevel(y: ArrayLike<number>): number | undefined {
  const from = Math.floor(y.length * 0.75);
  const stride = Math.max(1, Math.floor((y.length - from) / 2000));
  const v: number[] = [];
  for (let i = from; i < y.length; i += stride) if (Number.isFinite(y[i])) v.push(y[i]);
  if (!v.length) for (let i = 0; i < y.length; i++) if (Number.isFinite(y[i])) v.push(y[i]);
  if (!v.length) return undefined;
  v.sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

function fmtLevel(v: number): string {
  return Math.abs(v) >= 100 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(0) : String(Number(v.toPrecision(2)));
}

/**
 * Splits charted runs into panels (see the module comment). Panels come in order of their first run in `items`;
 * runs without a level (no finite value yet) join the first panel of their metric.
 */
export function splitPanels(items: readonly PanelInput[], gap = LEVEL_GAP, max = MAX_PANELS): Panel[] {
  const byMetric = new Map<string, PanelInput[]>();
  for (const it of items) {
    const l = byMetric.get(it.metric);
    if (l) l.push(it);
    else byMetric.set(it.metric, [it]);
  }
  const firstIndex = new Map(items.map((it, i) => [it.runId, i] as const));
  let panels: (Panel & { first: number })[] = [];
  for (const [metric, list] of byMetric) {
    const known = list
      .filter((x) => x.level !== undefined && x.level > 0 && Number.isFinite(x.level))
      .sort((a, b) => a.level! - b.level!);
    const clusters: PanelInput[][] = [];
    for (const x of known) {
      const last = clusters[clusters.length - 1];
      if (last && x.level! / last[last.length - 1].level! <= gap) last.push(x);
      else clusters.push([x]);
    }
    // Unknown, zero or negative levels (no data yet, a signed metric) are not split: they join the first cluster.
    const rest = list.filter((x) => !known.includes(x));
    if (!clusters.length) clusters.push([]);
    clusters[0].push(...rest);
    clusters.forEach((c, k) => {
      const levels = c.filter((x) => known.includes(x)).map((x) => x.level!);
      const title =
        clusters.length > 1 && levels.length
          ? `${metric} (${levels.length > 1 ? `${fmtLevel(Math.min(...levels))}–${fmtLevel(Math.max(...levels))}` : `≈${fmtLevel(levels[0])}`})`
          : metric;
      const ids = c.map((x) => x.runId).sort((a, b) => firstIndex.get(a)! - firstIndex.get(b)!);
      panels.push({ key: `${metric}\u0000${k}`, metric, title, runIds: ids, first: firstIndex.get(ids[0]) ?? 0 });
    });
  }
  panels.sort((a, b) => a.first - b.first);
  if (panels.length > max) {
    const keep = panels.slice(0, max - 1);
    const rest = panels.slice(max - 1);
    const metrics = [...new Set(rest.map((p) => p.metric))];
    keep.push({
      key: 'mixed',
      metric: metrics.length === 1 ? metrics[0] : 'mixed',
      first: rest[0].first,
      title: metrics.length === 1 ? `${metrics[0]} (other levels)` : `other: ${metrics.join(', ')}`,
      runIds: rest.flatMap((p) => p.runIds),
    });
    panels = keep;
  }
  return panels.map(({ key, metric, title, runIds }) => ({ key, metric, title, runIds }));
}
