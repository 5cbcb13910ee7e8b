/**
 * What the next animation frame draws, and when the run list and the learning-curve chart may be redrawn (pure;
 * unit-tested in node). The render step (webview/main.ts) adds what each change touched; the frame takes it.
 *
 * The run list lists every run, so redrawing it costs in proportion to the runs (a thousand rows: their colours,
 * which move whenever a run arrives, their text, the page's style and layout). Host increments that only touch it
 * (runs arriving or changing during a scan) therefore redraw it at most once per `listEveryMs`, whatever the rate
 * of messages. Likewise the chart's rebuilds, restyles and fitted curves asked for by host increments (the charted
 * set changing, charted runs' summaries, fits finishing, the first points of a series the chart does not draw yet)
 * at most once per `chartEveryMs`, or in a frame that rebuilds, restyles or refits the chart anyway. Live points
 * of drawn series (`appended`) draw in the next frame as before, and the frame that has to answer a ping, the
 * user's own actions and option changes draw everything at once. Before this, a scan
 * sending 1,000 runs in ~150 batches redrew the list and rebuilt the chart ~150 times, and the webview answered a
 * ping 10–37 s after the last run had arrived.
 */
import type { DashboardOptions } from '../src/protocol';
import type { Change } from './store';

/** Work waiting for the next frame; the `…Later` parts wait for their turn (see the module comment). */
export interface Pending {
  runsRebuild?: boolean;
  runsStyle?: boolean;
  runsFits?: boolean;
  runsRebuildLater?: boolean;
  runsStyleLater?: boolean;
  runsFitsLater?: boolean;
  /** The run list, drawn in the next frame. */
  runList?: boolean;
  /** The run list, drawn when `listEveryMs` has passed since it was last drawn (or a ping waits). */
  runListLater?: boolean;
  appended?: Set<string>;
  sweep?: boolean;
}

/** What one frame draws. */
export interface Draw {
  runsRebuild?: boolean;
  runsStyle?: boolean;
  runsFits?: boolean;
  runList?: boolean;
  appended?: Set<string>;
  sweep?: boolean;
}

/** The run list is redrawn for host increments at most this often (ms). */
export const LIST_EVERY_MS = 250;
/** The chart is rebuilt, restyled or given new fitted curves for host increments at most this often (ms). */
export const CHART_EVERY_MS = 250;

const FLAGS = [
  'runsRebuild',
  'runsStyle',
  'runsFits',
  'runsRebuildLater',
  'runsStyleLater',
  'runsFitsLater',
  'runList',
  'runListLater',
  'sweep',
] as const;

export class DrawPlan {
  private pending: Pending = {};
  private listAt = -Infinity;
  private chartAt = -Infinity;

  constructor(
    private readonly listEveryMs = LIST_EVERY_MS,
    private readonly chartEveryMs = CHART_EVERY_MS,
  ) {}

  /** Adds to what the next frame draws. */
  add(p: Pending): void {
    const q = this.pending;
    for (const k of FLAGS) if (p[k]) q[k] = true;
    if (p.appended?.size) {
      q.appended ??= new Set();
      for (const k of p.appended) q.appended.add(k);
    }
  }

  /** Whether anything waits (a frame, or a later frame for the run list or the chart, is needed). */
  get waiting(): boolean {
    const q = this.pending;
    return FLAGS.some((k) => q[k]) || !!q.appended?.size;
  }

  /** The run list was drawn at `now` (also outside a frame: the user's actions draw it at once). */
  listDrawn(now: number): void {
    this.listAt = now;
    this.pending.runList = this.pending.runListLater = undefined;
  }

  /**
   * What the frame at `now` draws. `urgent`: a ping waits, so everything is drawn. `laterMs`: something still
   * waits for its turn, due in that many ms.
   */
  take(now: number, urgent = false): { draw: Draw; laterMs?: number } {
    const q = this.pending;
    const draw: Draw = {};
    if (q.sweep) draw.sweep = true;
    if (q.appended?.size) draw.appended = q.appended;
    // The chart: due when its turn came, or restyled in this frame anyway (then the waiting work costs no extra
    // update). Live points alone do not bring it forward: during a scan every batch has some, for runs just charted.
    const charting = !!(q.runsRebuild || q.runsStyle || q.runsFits);
    const chartDue = urgent || charting || now - this.chartAt >= this.chartEveryMs;
    if (q.runsRebuild || (q.runsRebuildLater && chartDue)) draw.runsRebuild = true;
    if (q.runsStyle || (q.runsStyleLater && chartDue)) draw.runsStyle = true;
    if (q.runsFits || (q.runsFitsLater && chartDue)) draw.runsFits = true;
    const listDue = urgent || now - this.listAt >= this.listEveryMs;
    if (q.runList || (q.runListLater && listDue)) draw.runList = true;
    const left: Pending = {};
    if (!chartDue) {
      if (q.runsRebuildLater) left.runsRebuildLater = true;
      if (q.runsStyleLater) left.runsStyleLater = true;
      if (q.runsFitsLater) left.runsFitsLater = true;
    }
    if (q.runListLater && !draw.runList) left.runListLater = true;
    this.pending = left;
    if (draw.runsRebuild || draw.runsStyle || draw.runsFits) this.chartAt = now;
    if (draw.runList) this.listAt = now;
    const laterMs = this.dueIn(now);
    return laterMs !== undefined ? { draw, laterMs } : { draw };
  }

  /** In how many ms the work waiting for its turn is due (undefined: none waits; 0: due now). */
  dueIn(now: number): number | undefined {
    const q = this.pending;
    const waits: number[] = [];
    if (q.runsRebuild || q.runsStyle || q.runsFits || q.runList || q.sweep || q.appended?.size) waits.push(0);
    if (q.runListLater) waits.push(this.listAt + this.listEveryMs - now);
    if (q.runsRebuildLater || q.runsStyleLater || q.runsFitsLater) waits.push(this.chartAt + this.chartEveryMs - now);
    return waits.length ? Math.max(0, Math.min(...waits)) : undefined;
  }
}

/**
 * What a change (webview/store.ts) asks to draw: `listNow`, the run list at once; `pending`, the frame's part.
 * `now`: the change is the user's own action (drawn at once); else a host message (increments wait for their turn).
 */
export function workOf(ch: Change, now: boolean, tab: DashboardOptions['tab']): { listNow: boolean; pending: Pending } {
  const o = ch.options ?? {};
  const has = (k: keyof DashboardOptions) => k in o;
  const listNow = !!(ch.all || has('selectedRun') || has('metric') || (now && ch.runs));
  return {
    listNow,
    pending: {
      runsRebuild:
        ch.all ||
        (now && ch.rebuild) ||
        has('xAxis') ||
        has('logX') ||
        has('logY') ||
        has('smoothing') ||
        has('metric'),
      runsRebuildLater: !now && ch.rebuild,
      runsStyle: (now && ch.restyle) || has('selectedRun'),
      runsStyleLater: !now && ch.restyle,
      runsFits: now && ch.curveFits,
      runsFitsLater: !now && ch.curveFits,
      // Pinning answers the user (the host confirms with `options`): at once. Runs arriving: throttled.
      runList: has('pinned') && !listNow,
      runListLater: ch.runs && !listNow,
      appended: ch.appended,
      sweep: ch.all || ch.sweep || (has('tab') && tab === 'sweep'),
    },
  };
}
