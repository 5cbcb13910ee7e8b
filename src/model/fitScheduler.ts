/**
 * The fit scheduler: owns every job sent to the fitting worker. Pure (no `vscode`, no timers of its own: the clock
 * and the worker are passed in), so it is unit-tested with a fake clock and a fake worker.
 *
 * - One pending job per key (a run's curve fit, the sweep, one "Predict at…"): a newer mark replaces the older,
 *   and the job is built only when it starts, from the data of that moment.
 * - The worker gets one job at a time, so "started" is known: the timeout counts from there, and fails only that
 *   job (the worker is then stuck in it and is restarted); queued jobs wait, they are never rejected.
 * - A mark with `supersedes` (a setting the running job used changed) discards the running job's answer.
 * - Priorities: focus (charted / selected runs, the sweep, user commands), then live runs, then the rest; first
 *   marked first within a priority. A priority with due work passed over `fairness` times in a row gets the next
 *   start, so busy live runs cannot starve the first fits of everything else.
 * - Every debounce has a `maxWait`: a key marked again and again still runs by `first mark + maxWait`.
 * - A repeatedly marked key waits at least `costFactor ×` its last run time (a slow fit cannot hog the worker).
 * - At most `maxPending` keys wait; a new key beyond that is refused with a diagnostic.
 */
import type { FitJob, FitJobResult } from './fitJobs';

export const PRIORITY = { focus: 0, live: 1, rest: 2 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

export type FitOutcome = { ok: true; result: FitJobResult } | { ok: false; error: string };

/** The worker as the scheduler sees it (FitClient in the extension, a fake in tests). */
export interface FitRunner {
  run(job: FitJob): Promise<FitJobResult>;
  /** Terminates a worker stuck in a job; the next `run` gets a fresh one. */
  restart(reason: string): void;
  /** Milliseconds until `run` can be called (restart backoff); 0 = now. */
  readyIn(): number;
}

export interface SchedulerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FitRequest {
  /** Builds the job when it starts (latest data). `undefined`: nothing to fit any more (the mark is settled). */
  build: () => FitJob | undefined;
  /** Receives the job's answer or failure (never the answer of a discarded job). */
  deliver: (outcome: FitOutcome) => void;
  priority: Priority;
  /** Debounce: start no earlier than this long after the latest mark (ms, default 0). */
  delay?: number;
  /** …and no later than this long after the first mark not yet served (ms, default `delay`). */
  maxWait?: number;
  /** The running job of this key used settings that changed: discard its answer. */
  supersedes?: boolean;
}

export interface SchedulerOptions {
  /** A job that has not answered this long after it STARTED fails, and the worker is restarted. */
  timeoutMs?: number;
  /** Most keys waiting at once. */
  maxPending?: number;
  /** A delayed mark waits at least this many times the key's last run time (capped at `maxCostDelayMs`). */
  costFactor?: number;
  maxCostDelayMs?: number;
  /** A priority passed over this many starts in a row while it has due work gets the next one (default 4). */
  fairness?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string) => void;
}

export interface SchedulerStats {
  started: number;
  delivered: number;
  failed: number;
  /** Answers thrown away because a newer mark superseded the running job. */
  discarded: number;
  timeouts: number;
  /** Marks refused because `maxPending` keys were already waiting. */
  refused: number;
}

interface Pending {
  key: string;
  req: FitRequest;
  dueAt: number;
  deadline: number;
  waiters: (() => void)[];
}

interface Running {
  key: string;
  token: number;
  startedAt: number;
  timer: unknown;
  deliver: FitRequest['deliver'];
  waiters: (() => void)[];
  discarded: boolean;
}

export class FitScheduler {
  private readonly pending = new Map<string, Pending>();
  private running: Running | undefined;
  private readonly cost = new Map<string, number>();
  private wake: { at: number; handle: unknown } | undefined;
  private nextToken = 1;
  /** Per priority: starts given to a better priority in a row while it had due work. */
  private readonly passedOver = [0, 0, 0];
  private disposed = false;
  readonly timeoutMs: number;
  readonly stats: SchedulerStats = { started: 0, delivered: 0, failed: 0, discarded: 0, timeouts: 0, refused: 0 };

  constructor(
    private readonly runner: FitRunner,
    private readonly clock: SchedulerClock,
    private readonly opts: SchedulerOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /** Keys waiting to start. */
  get size(): number {
    return this.pending.size;
  }
  /** The key of the job the worker is running, if any. */
  get runningKey(): string | undefined {
    return this.running?.key;
  }

  /**
   * Asks for a (re)fit of `key`. Resolves once a job that started after this mark has answered (delivered or
   * failed), or when the mark is settled without a job (build gave nothing, cancelled, refused, disposed).
   */
  mark(key: string, req: FitRequest): Promise<void> {
    if (this.disposed) return Promise.resolve();
    const now = this.clock.now();
    let delay = Math.max(0, req.delay ?? 0);
    if (delay > 0)
      delay = Math.max(
        delay,
        Math.min(this.opts.maxCostDelayMs ?? 30_000, (this.opts.costFactor ?? 0) * (this.cost.get(key) ?? 0)),
      );
    const maxWait = Math.max(delay, req.maxWait ?? delay);
    let p = this.pending.get(key);
    if (!p) {
      if (this.pending.size >= (this.opts.maxPending ?? 10_000)) {
        this.stats.refused++;
        this.opts.log?.('warn', `fit queue full (${this.pending.size} waiting): ${key} not queued`);
        return Promise.resolve();
      }
      p = { key, req, dueAt: now + delay, deadline: now + maxWait, waiters: [] };
      this.pending.set(key, p);
    } else {
      p.req = req;
      p.deadline = Math.min(p.deadline, now + maxWait);
      p.dueAt = Math.min(now + delay, p.deadline);
    }
    if (req.supersedes && this.running?.key === key) this.running.discarded = true;
    const done = new Promise<void>((resolve) => p.waiters.push(resolve));
    this.pump();
    return done;
  }

  /** Changes the priority of a waiting key (e.g. a run was selected). */
  setPriority(key: string, priority: Priority): void {
    const p = this.pending.get(key);
    if (p && p.req.priority !== priority) {
      p.req = { ...p.req, priority };
      this.pump();
    }
  }

  /** Forgets `key`: its waiting job is dropped and the running one's answer discarded (the run was removed). */
  cancel(key: string): void {
    const p = this.pending.get(key);
    if (p) {
      this.pending.delete(key);
      settle(p.waiters);
    }
    if (this.running?.key === key) this.running.discarded = true;
    this.cost.delete(key);
  }

  dispose(): void {
    this.disposed = true;
    if (this.wake) this.clock.clearTimeout(this.wake.handle);
    this.wake = undefined;
    if (this.running) {
      this.clock.clearTimeout(this.running.timer);
      settle(this.running.waiters);
      this.running = undefined;
    }
    for (const p of this.pending.values()) settle(p.waiters);
    this.pending.clear();
  }

  /**
   * The next job to start: the first marked due key of the best priority, except that a priority which had due
   * work passed over `fairness` times in a row gets the next start (no priority starves the ones below it).
   */
  private pick(now: number): Pending | undefined {
    const first: (Pending | undefined)[] = [undefined, undefined, undefined];
    for (const p of this.pending.values()) if (p.dueAt <= now && !first[p.req.priority]) first[p.req.priority] = p;
    const levels = [0, 1, 2].filter((l) => first[l]);
    if (!levels.length) return undefined;
    const k = this.opts.fairness ?? 4;
    const chosen = [...levels].reverse().find((l) => this.passedOver[l] >= k) ?? levels[0];
    for (let l = 0; l < 3; l++) this.passedOver[l] = first[l] && l > chosen ? this.passedOver[l] + 1 : 0;
    return first[chosen];
  }

  private pump(): void {
    while (!this.disposed && !this.running && this.pending.size) {
      const wait = this.runner.readyIn();
      if (wait > 0) {
        this.wakeIn(wait);
        return;
      }
      const now = this.clock.now();
      const p = this.pick(now);
      if (!p) {
        let due = Infinity;
        for (const q of this.pending.values()) due = Math.min(due, q.dueAt);
        this.wakeIn(due - now);
        return;
      }
      this.pending.delete(p.key);
      let job: FitJob | undefined;
      try {
        job = p.req.build();
      } catch (e) {
        this.stats.failed++;
        const error = `could not prepare the fit: ${e instanceof Error ? e.message : String(e)}`;
        try {
          p.req.deliver({ ok: false, error });
        } catch {
          /* reported below */
        }
        this.opts.log?.('error', `fit of ${p.key}: ${error}`);
        settle(p.waiters);
        continue;
      }
      if (!job) {
        settle(p.waiters);
        continue;
      }
      this.start(p, job, now);
    }
  }

  private start(p: Pending, job: FitJob, now: number): void {
    const token = this.nextToken++;
    const timer = this.clock.setTimeout(() => this.onTimeout(token), this.timeoutMs);
    this.running = {
      key: p.key,
      token,
      startedAt: now,
      timer,
      deliver: p.req.deliver,
      waiters: p.waiters,
      discarded: false,
    };
    this.stats.started++;
    let answer: Promise<FitJobResult>;
    try {
      answer = this.runner.run(job);
    } catch (e) {
      answer = Promise.reject(e);
    }
    answer.then(
      (result) => this.finish(token, { ok: true, result }),
      (e: unknown) => this.finish(token, { ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  }

  private finish(token: number, outcome: FitOutcome): void {
    const r = this.running;
    if (!r || r.token !== token) return; // timed out (already failed) or disposed
    this.clock.clearTimeout(r.timer);
    this.running = undefined;
    this.cost.set(r.key, this.clock.now() - r.startedAt);
    this.conclude(r, outcome);
    this.pump();
  }

  private onTimeout(token: number): void {
    const r = this.running;
    if (!r || r.token !== token) return;
    this.running = undefined;
    this.stats.timeouts++;
    const reason = `fit of ${r.key} did not finish within ${+(this.timeoutMs / 1000).toFixed(1)} s of starting`;
    this.runner.restart(reason); // a worker thread runs one job synchronously: it is stuck in this one
    this.conclude(r, { ok: false, error: reason });
    this.pump();
  }

  private conclude(r: Running, outcome: FitOutcome): void {
    if (r.discarded) {
      this.stats.discarded++;
      const next = this.pending.get(r.key);
      if (next)
        next.waiters.push(...r.waiters); // they wait for the superseding job
      else settle(r.waiters);
      return;
    }
    if (outcome.ok) this.stats.delivered++;
    else this.stats.failed++;
    try {
      r.deliver(outcome);
    } catch (e) {
      this.opts.log?.(
        'error',
        `fit of ${r.key}: delivering the answer failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    settle(r.waiters);
  }

  private wakeIn(ms: number): void {
    const at = this.clock.now() + Math.max(0, ms);
    if (this.wake && this.wake.at <= at) return;
    if (this.wake) this.clock.clearTimeout(this.wake.handle);
    const handle = this.clock.setTimeout(
      () => {
        this.wake = undefined;
        this.pump();
      },
      Math.max(0, ms),
    );
    this.wake = { at, handle };
  }
}

function settle(waiters: (() => void)[]): void {
  for (const w of waiters.splice(0)) w();
}
