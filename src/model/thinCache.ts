/**
 * The dashboard's thinned series (LTTB to a few thousand points), kept per Series object so that charting a run with
 * millions of points does not re-thin it on the extension host's event loop each time (panel opened, run selected,
 * metric changed), and so that the thinning that is needed runs in slices between event-loop turns (`prepare`).
 *
 * A cached entry stays valid while its Series object only grows (same object, same thinning pass count — the rule
 * `RunModel.takeIncrements` uses): a series that grew by a tail of at most `points` since it was thinned, and is too
 * long to re-thin cheaply (> `syncPoints`), is answered as the thinned prefix plus the raw tail — exactly what a
 * webview holds after the earlier full series plus the raw increments that followed it. Anything else is re-thinned.
 */
import type { Series } from '../ingest/types';
import { LttbJob } from './decimate';

interface Entry {
  passes: number;
  /** Points the series had when thinned. */
  n: number;
  idx: number[];
}

export interface ThinStats {
  /** LTTB slices run (each between two event-loop turns). */
  slices: number;
  /** The most points any one slice visited (the unit `LttbJob.run` budgets). */
  maxSliceWork: number;
}

const passesOf = (s: Series) => s.thinned?.passes ?? 0;

export class SeriesThinCache {
  private entries = new WeakMap<Series, Entry>();
  private queue: Series[] = [];
  private running: Promise<void> | undefined;
  /** Totals over every `prepare` so far (tests and the benchmark read them). */
  readonly stats: ThinStats = { slices: 0, maxSliceWork: 0 };

  /**
   * @param points the thinned size (LTTB threshold)
   * @param sliceBudget points one slice may visit (≈ 1 ms per 100k on the bench machine; see bench row
   *   `host-series-thin-2M`)
   * @param syncPoints series up to this long are re-thinned in place when stale rather than served prefix + tail
   */
  constructor(
    readonly points: number,
    readonly sliceBudget = 200_000,
    readonly syncPoints = 100_000,
    private readonly yieldTurn: () => Promise<void> = () => new Promise((r) => setImmediate(r)),
  ) {}

  /** How `indices` would answer without an LTTB pass: 'exact' (cached), 'tail' (cached prefix + raw tail), or undefined. */
  private cached(s: Series): 'exact' | 'tail' | undefined {
    const e = this.entries.get(s);
    const n = s.step.length;
    if (!e || e.passes !== passesOf(s) || n < e.n) return undefined;
    if (n === e.n) return 'exact';
    return n > this.syncPoints && n - e.n <= this.points ? 'tail' : undefined;
  }

  /**
   * True when `indices(s)` runs no LTTB pass: a series of at most `points` (kept whole) or one cached. Short series
   * are thinned by `prepare` too, since many of them (30 charted runs × their metrics) add up.
   */
  fresh(s: Series): boolean {
    return s.step.length <= this.points || this.cached(s) !== undefined;
  }

  /** The kept indices of `s`, ascending: from the cache when valid, else thinned now (synchronously) and cached. */
  indices(s: Series): number[] {
    const how = this.cached(s);
    const e = this.entries.get(s);
    if (how === 'exact') return e!.idx;
    if (how === 'tail') {
      const out = e!.idx.slice();
      for (let i = e!.n; i < s.step.length; i++) out.push(i);
      return out;
    }
    const job = new LttbJob(s.step, s.value, this.points);
    job.run(Infinity);
    return this.store(s, job, passesOf(s));
  }

  private store(s: Series, job: LttbJob, passes: number): number[] {
    const idx = job.result();
    const had = this.entries.get(s);
    // A newer thinning of the same points (made synchronously while this job was sliced) wins.
    if (!had || had.passes !== passes || had.n <= job.n) this.entries.set(s, { passes, n: job.n, idx });
    return idx;
  }

  /**
   * Thins the given series that are not `fresh` in slices of about `sliceBudget` points, yielding to the event loop
   * between slices, so that `indices` afterwards answers from the cache. Returns undefined when there is nothing to
   * do (callers can then go on synchronously), else a promise that resolves once every queued series is thinned.
   */
  prepare(series: Iterable<Series>): Promise<void> | undefined {
    const stale = [...series].filter((s) => !this.fresh(s));
    if (!stale.length) return undefined;
    this.queue.push(...stale);
    return (this.running ??= this.drain().finally(() => {
      this.running = undefined;
    }));
  }

  private async drain(): Promise<void> {
    // One budget per slice, shared by consecutive series (many short series are thinned in one slice).
    let used = 0;
    let first = true;
    const endSlice = () => {
      if (!used) return;
      this.stats.slices++;
      this.stats.maxSliceWork = Math.max(this.stats.maxSliceWork, used);
      used = 0;
    };
    while (this.queue.length) {
      const s = this.queue.shift()!;
      if (this.fresh(s)) continue;
      // The job keeps the views it started with: appends that reallocate the columns leave those intact, and a
      // thinning pass (in place) changes the pass count, so the stored entry is simply never used.
      const passes = passesOf(s);
      const job = new LttbJob(s.step, s.value, this.points);
      for (;;) {
        if (first || used >= this.sliceBudget) {
          endSlice();
          first = false;
          await this.yieldTurn();
        }
        const before = job.work;
        const done = job.run(this.sliceBudget - used);
        // a job over a series of at most `points` points (nothing to thin) or a bucket costs at least one unit
        used += Math.max(1, job.work - before);
        if (done) break;
      }
      this.store(s, job, passes);
    }
    endSlice();
  }
}
