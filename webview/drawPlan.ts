/**
 * What the next animation frame draws, and when the run list may be redrawn (pure; unit-tested in node). The
 * render step (webview/main.ts) adds what each change touched; the frame takes it.
 *
 * The run list lists every run, so redrawing it costs in proportion to the runs (a thousand rows: their colours,
 * which move whenever a run arrives, their text, the page's style and layout). Host increments that only touch it
 * (runs arriving or changing during a scan) therefore redraw it at most once per `listEveryMs`, whatever the rate
 * of messages; the frame that has to answer a ping, the user's own actions and option changes draw it at once. The
 * charts still draw every frame they have something to draw. Before this, a scan sending 1,000 runs in ~150
 * batches redrew the list (and rebuilt the chart) ~150 times, and the webview answered a ping 10–37 s after the
 * last run had arrived.
 */
import type { DashboardOptions } from '../src/protocol';
import type { Change } from './store';

/** Work waiting for the next frame. */
export interface Pending {
  runsRebuild?: boolean;
  runsStyle?: boolean;
  runsFits?: boolean;
  /** The run list, drawn in the next frame. */
  runList?: boolean;
  /** The run list, drawn when `listEveryMs` has passed since it was last drawn (or a ping waits). */
  runListLater?: boolean;
  appended?: Set<string>;
  sweep?: boolean;
}

/** The run list is redrawn for host increments at most this often (ms). */
export const LIST_EVERY_MS = 250;

export class DrawPlan {
  private pending: Pending = {};
  private listAt = -Infinity;

  constructor(private readonly listEveryMs = LIST_EVERY_MS) {}

  /** Adds to what the next frame draws. */
  add(p: Pending): void {
    const q = this.pending;
    if (p.runsRebuild) q.runsRebuild = true;
    if (p.runsFits) q.runsFits = true;
    if (p.runsStyle) q.runsStyle = true;
    if (p.runList) q.runList = true;
    if (p.runListLater) q.runListLater = true;
    if (p.sweep) q.sweep = true;
    if (p.appended?.size) {
      q.appended ??= new Set();
      for (const k of p.appended) q.appended.add(k);
    }
  }

  /** Whether anything waits (a frame, or a later frame for the run list, is needed). */
  get waiting(): boolean {
    const q = this.pending;
    return !!(q.runsRebuild || q.runsFits || q.runsStyle || q.runList || q.runListLater || q.sweep || q.appended);
  }

  /** The run list was drawn at `now` (also outside a frame: the user's actions draw it at once). */
  listDrawn(now: number): void {
    this.listAt = now;
    this.pending.runList = this.pending.runListLater = undefined;
  }

  /**
   * What the frame at `now` draws (`runList` set when the list is due). `urgent`: a ping waits, so everything is
   * drawn. `laterMs`: the run list still waits, due in that many ms.
   */
  take(now: number, urgent = false): { draw: Pending; laterMs?: number } {
    const q = this.pending;
    let list = !!q.runList;
    let laterMs: number | undefined;
    if (q.runListLater && !list) {
      const wait = this.listAt + this.listEveryMs - now;
      if (urgent || wait <= 0) list = true;
      else laterMs = wait;
    }
    const draw: Pending = { ...q, runList: list || undefined, runListLater: undefined };
    this.pending = laterMs !== undefined ? { runListLater: true } : {};
    if (list) this.listAt = now;
    return laterMs !== undefined ? { draw, laterMs } : { draw };
  }
}

/** What a change (webview/store.ts) asks to draw: `listNow`, the run list at once; `pending`, the frame's part. */
export function workOf(ch: Change, now: boolean, tab: DashboardOptions['tab']): { listNow: boolean; pending: Pending } {
  const o = ch.options ?? {};
  const has = (k: keyof DashboardOptions) => k in o;
  const listNow = !!(ch.all || has('selectedRun') || has('metric') || (now && ch.runs));
  return {
    listNow,
    pending: {
      runsRebuild:
        ch.all || ch.rebuild || has('xAxis') || has('logX') || has('logY') || has('smoothing') || has('metric'),
      runsStyle: ch.restyle || has('selectedRun'),
      runsFits: ch.curveFits,
      // Pinning answers the user (the host confirms with `options`): at once. Runs arriving: throttled.
      runList: has('pinned') && !listNow,
      runListLater: ch.runs && !listNow,
      appended: ch.appended,
      sweep: ch.all || ch.sweep || (has('tab') && tab === 'sweep'),
    },
  };
}
