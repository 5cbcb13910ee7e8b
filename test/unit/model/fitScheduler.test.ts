/**
 * FitScheduler with a fake clock and a fake worker: deterministic, no real timing. The fake worker answers a job
 * `cost(job)` fake milliseconds after it starts (never, for a "stuck" job) and records what it ran.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FitScheduler,
  PRIORITY,
  type FitRunner,
  type SchedulerClock,
  type FitOutcome,
  type Priority,
} from '../../../src/model/fitScheduler';
import type { FitJob, FitJobResult, CurveJob } from '../../../src/model/fitJobs';

class FakeClock implements SchedulerClock {
  t = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; seq: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + Math.max(0, ms), seq: id, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }
  /** Runs timers in time order up to `until` (promise callbacks settle between timers). */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      await flush();
      let next: { id: number; at: number; seq: number; fn: () => void } | undefined;
      for (const [id, t] of this.timers)
        if (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)) next = { id, ...t };
      if (!next || next.at > until) {
        this.t = Math.max(this.t, until);
        await flush();
        return;
      }
      this.timers.delete(next.id);
      this.t = next.at;
      next.fn();
    }
  }
}

const flush = () => new Promise<void>((r) => setImmediate(r));

const STUCK = Infinity;

class FakeWorker implements FitRunner {
  busy = 0;
  maxBusy = 0;
  restarts = 0;
  started: { key: string; at: number }[] = [];
  backoffUntil = 0;
  constructor(
    private readonly clock: FakeClock,
    private readonly cost: (job: FitJob) => number,
  ) {}
  run(job: FitJob): Promise<FitJobResult> {
    this.busy++;
    this.maxBusy = Math.max(this.maxBusy, this.busy);
    this.started.push({ key: keyOf(job), at: this.clock.now() });
    const ms = this.cost(job);
    return new Promise((resolve) => {
      if (ms === STUCK) return;
      this.clock.setTimeout(() => {
        this.busy--;
        resolve(answer(job));
      }, ms);
    });
  }
  restart(): void {
    this.restarts++;
    this.busy = 0;
  }
  readyIn(): number {
    return Math.max(0, this.backoffUntil - this.clock.now());
  }
}

function keyOf(job: FitJob): string {
  return job.kind === 'curve' ? job.runId : job.kind;
}

function curve(runId: string, law = 'auto'): CurveJob {
  return { kind: 'curve', runId, metric: 'loss', step: [1], y: [1], law, confidence: 0.9 };
}
const sweep: FitJob = { kind: 'sweep', points: [], law: 'auto', confidence: 0.9, bootstrap: 0 };

function answer(job: FitJob): FitJobResult {
  if (job.kind === 'curve')
    return { kind: 'curve', view: { runId: job.runId, metric: job.metric, ok: true, lawName: job.law } };
  if (job.kind === 'sweep') return { kind: 'sweep', view: { ok: true, points: [] } };
  return { kind: 'locate', lines: [] };
}

test('2,000 runs appear at once while 20 logs keep growing: every run fitted while they grow, none rejected, no restart, sweep within maxWait', async () => {
  const N = 2000,
    LIVE = 20,
    CURVE_MS = 40,
    SWEEP_MS = 300,
    TIMEOUT = 60_000;
  const SWEEP_DELAY = 2000,
    SWEEP_MAX_WAIT = 10_000,
    CURVE_REFIT = 1500,
    GROW_UNTIL = 240_000;
  const clock = new FakeClock();
  // 2,000 × 40 ms = 80 s of queued work: more than the timeout, so a timeout counted from submission would fire.
  const worker = new FakeWorker(clock, (j) => (j.kind === 'sweep' ? SWEEP_MS : CURVE_MS));
  const s = new FitScheduler(worker, clock, { timeoutMs: TIMEOUT, costFactor: 5 });
  const ids = Array.from({ length: N }, (_, i) => `r${i}`);
  const live = new Set(ids.slice(0, LIVE));
  const focus = new Set(ids.slice(N - 10)); // charted / selected: marked last, fitted first
  const priority = (id: string): Priority =>
    focus.has(id) ? PRIORITY.focus : live.has(id) ? PRIORITY.live : PRIORITY.rest;
  const fitted = new Map<string, number>();
  const failures: string[] = [];
  const deliver = (o: FitOutcome) => {
    if (!o.ok) {
      failures.push(o.error);
      return;
    }
    if (o.result.kind === 'curve') fitted.set(o.result.view.runId, (fitted.get(o.result.view.runId) ?? 0) + 1);
  };
  let sweepWaitingSince: number | undefined;
  const sweepWaits: number[] = [];
  let sweeps = 0;
  const markSweep = () => {
    sweepWaitingSince ??= clock.now();
    void s.mark('sweep', {
      priority: PRIORITY.focus,
      delay: SWEEP_DELAY,
      maxWait: SWEEP_MAX_WAIT,
      build: () => {
        sweepWaits.push(clock.now() - sweepWaitingSince!);
        sweepWaitingSince = undefined;
        return sweep;
      },
      deliver: (o) => {
        if (o.ok) sweeps++;
        else failures.push(o.error);
      },
    });
  };
  const markCurve = (id: string, delay: number) =>
    void s.mark(id, { priority: priority(id), delay, maxWait: delay, build: () => curve(id), deliver });

  for (const id of ids) markCurve(id, 0);
  markSweep();
  for (let t = 1000; t <= GROW_UNTIL; t += 1000) {
    await clock.runUntil(t);
    for (const id of live) markCurve(id, CURVE_REFIT);
    markSweep();
  }
  assert.equal(fitted.size, N, 'every run has a fit while the logs still grow');
  await clock.runUntil(GROW_UNTIL + 60_000);

  assert.deepEqual(failures, [], 'no job failed');
  assert.equal(s.stats.timeouts, 0);
  assert.equal(s.stats.refused, 0);
  assert.equal(worker.restarts, 0, 'the worker was never restarted');
  assert.equal(worker.maxBusy, 1, 'one job at a time in the worker');
  assert.equal(s.size, 0, 'nothing left waiting');
  // The sweep, re-marked every second for two minutes, still ran: each time within maxWait of its first waiting
  // mark, plus the curve job already running (jobs are not pre-empted) and at most two that fairness lets first.
  assert.ok(sweeps >= GROW_UNTIL / (SWEEP_MAX_WAIT + 3 * CURVE_MS + SWEEP_MS) - 1, `${sweeps} sweep fits`);
  assert.ok(
    Math.max(...sweepWaits) <= SWEEP_MAX_WAIT + 3 * CURVE_MS,
    `sweep waited up to ${Math.max(...sweepWaits)} ms`,
  );
  // Live runs kept being refitted during the initial fit of everything.
  for (const id of live) assert.ok(fitted.get(id)! > 10, `live run ${id} refitted ${fitted.get(id)} times`);
  // First fits in priority order: the focus runs, then the live ones, then the rest (the very first mark starts at once).
  const firstStart = new Map<string, number>();
  worker.started.forEach((r, i) => {
    if (r.key !== 'sweep' && !firstStart.has(r.key)) firstStart.set(r.key, i);
  });
  const pos = (set: Iterable<string>) => [...set].map((id) => firstStart.get(id)!);
  const rest = ids.filter((id) => !focus.has(id) && !live.has(id));
  // Fairness gives a waiting lower priority one start in five: focus first fits all within the first
  // 1 (already started) + 10 + 10 / 4 starts, live ones within the first 1 + 10 + 19 + 29 / 4 + 3.
  assert.ok(Math.max(...pos(focus)) < 14, `focus runs first (last at ${Math.max(...pos(focus))})`);
  assert.ok(Math.max(...pos(live)) < 41, `live runs next (last at ${Math.max(...pos(live))})`);
  const lastLive = Math.max(...pos(live));
  const early = pos(rest).filter((p) => p < lastLive).length;
  assert.ok(
    early <= lastLive / 5 + 1,
    `the rest after them, but for their fair share (${early} of the first ${lastLive} starts)`,
  );
});

test('a newer mark replaces a waiting job: only the newest is built and run', async () => {
  const clock = new FakeClock();
  const worker = new FakeWorker(clock, () => 10);
  const s = new FitScheduler(worker, clock);
  const built: string[] = [],
    got: string[] = [];
  const deliver = (o: FitOutcome) => {
    if (o.ok && o.result.kind === 'curve') got.push(`${o.result.view.runId}/${o.result.view.lawName}`);
  };
  void s.mark('busy', { priority: PRIORITY.rest, build: () => curve('busy'), deliver: () => undefined });
  const first = s.mark('a', {
    priority: PRIORITY.rest,
    build: () => {
      built.push('old');
      return curve('a', 'old');
    },
    deliver,
  });
  const second = s.mark('a', {
    priority: PRIORITY.rest,
    build: () => {
      built.push('new');
      return curve('a', 'new');
    },
    deliver,
  });
  await clock.runUntil(1000);
  await Promise.all([first, second]);
  assert.deepEqual(built, ['new']);
  assert.deepEqual(got, ['a/new']);
  assert.equal(s.stats.started, 2);
});

test("supersedes discards the running job's answer; a data-only mark keeps it and refits after", async () => {
  const clock = new FakeClock();
  const worker = new FakeWorker(clock, () => 100);
  const s = new FitScheduler(worker, clock);
  const got: string[] = [];
  const deliver = (o: FitOutcome) => {
    if (o.ok && o.result.kind === 'curve') got.push(o.result.view.lawName!);
  };
  let firstSettled = -1;
  void s.mark('a', { priority: PRIORITY.rest, build: () => curve('a', 'pow3'), deliver }).then(() => {
    firstSettled = clock.now();
  });
  await clock.runUntil(50);
  void s.mark('a', { priority: PRIORITY.rest, supersedes: true, build: () => curve('a', 'mmf'), deliver });
  await clock.runUntil(1000);
  assert.deepEqual(got, ['mmf'], 'the pow3 answer (law changed while it ran) was discarded');
  assert.equal(s.stats.discarded, 1);
  assert.equal(firstSettled, 200, 'the first mark settles when the superseding job answers');

  got.length = 0;
  void s.mark('a', { priority: PRIORITY.rest, build: () => curve('a', 'v1'), deliver });
  await clock.runUntil(1050);
  void s.mark('a', { priority: PRIORITY.rest, build: () => curve('a', 'v2'), deliver }); // more data, same settings
  await clock.runUntil(2000);
  assert.deepEqual(got, ['v1', 'v2']);
});

test('the timeout counts from the start of a job; a stuck job fails alone, queued jobs still run', async () => {
  const clock = new FakeClock();
  const worker = new FakeWorker(clock, (j) => (j.kind === 'curve' && j.runId === 'stuck' ? STUCK : 50_000));
  const s = new FitScheduler(worker, clock, { timeoutMs: 60_000 });
  const outcomes: string[] = [];
  const deliver = (id: string) => (o: FitOutcome) => outcomes.push(`${id}:${o.ok ? 'ok' : o.error}`);
  for (const id of ['a', 'b', 'c'])
    void s.mark(id, { priority: PRIORITY.rest, build: () => curve(id), deliver: deliver(id) });
  await clock.runUntil(200_000);
  // c was submitted at 0 and answered at 150 s: fine, it started at 100 s.
  assert.deepEqual(outcomes, ['a:ok', 'b:ok', 'c:ok']);
  assert.equal(s.stats.timeouts, 0);

  void s.mark('stuck', { priority: PRIORITY.rest, build: () => curve('stuck'), deliver: deliver('stuck') });
  void s.mark('d', { priority: PRIORITY.rest, build: () => curve('d'), deliver: deliver('d') });
  await clock.runUntil(400_000);
  assert.equal(outcomes[3], 'stuck:fit of stuck did not finish within 60 s of starting');
  assert.equal(outcomes[4], 'd:ok', 'the job queued behind the stuck one was not rejected');
  assert.equal(worker.restarts, 1, 'the stuck worker was restarted once');
  assert.equal(s.stats.timeouts, 1);
});

test('maxWait bounds a debounce that is reset again and again', async () => {
  const clock = new FakeClock();
  const worker = new FakeWorker(clock, () => 10);
  const s = new FitScheduler(worker, clock);
  const starts: number[] = [];
  for (let t = 0; t <= 12_000; t += 500) {
    await clock.runUntil(t);
    void s.mark('sweep', {
      priority: PRIORITY.focus,
      delay: 2000,
      maxWait: 5000,
      build: () => {
        starts.push(clock.now());
        return sweep;
      },
      deliver: () => undefined,
    });
  }
  await clock.runUntil(20_000);
  // a mark at 5000 comes after the start at 5000: it opens a new wait (deadline 10 000)
  assert.deepEqual(
    starts,
    [5000, 10_000, 14_000],
    'at most 5 s after the first waiting mark; 2 s after the last one at the end',
  );
});

test('restart backoff: jobs wait for the worker, they are not rejected', async () => {
  const clock = new FakeClock();
  const worker = new FakeWorker(clock, () => 10);
  worker.backoffUntil = 3000;
  const s = new FitScheduler(worker, clock);
  const ok: number[] = [];
  void s.mark('a', {
    priority: PRIORITY.rest,
    build: () => curve('a'),
    deliver: (o) => {
      if (o.ok) ok.push(clock.now());
    },
  });
  await clock.runUntil(10_000);
  assert.deepEqual(ok, [3010]);
});

test('bounded queue, cancel, build returning nothing, cost-based spacing', async () => {
  const clock = new FakeClock();
  const worker = new FakeWorker(clock, (j) => (j.kind === 'curve' && j.runId === 'slow' ? 1000 : 10));
  const logs: string[] = [];
  const s = new FitScheduler(worker, clock, { maxPending: 2, costFactor: 5, log: (_l, m) => logs.push(m) });
  const ran: string[] = [];
  const mk = (id: string, build: () => FitJob | undefined = () => curve(id)) =>
    s.mark(id, {
      priority: PRIORITY.rest,
      delay: 100,
      build,
      deliver: (o) => {
        if (o.ok && o.result.kind === 'curve') ran.push(id);
      },
    });
  void mk('a');
  void mk('b');
  await mk('c'); // refused: two keys already wait
  assert.equal(s.stats.refused, 1);
  assert.match(logs[0], /fit queue full \(2 waiting\): c not queued/);
  s.cancel('a');
  void mk('gone', () => undefined);
  await clock.runUntil(1000);
  assert.deepEqual(ran, ['b']);
  assert.equal(worker.started.length, 1, 'a cancelled job and an empty build start nothing');

  let settled = -1;
  void mk('slow').then(() => {
    settled = clock.now();
  }); // marked at 1000: due at 1100, runs 1000 ms
  await clock.runUntil(3000);
  assert.equal(settled, 2100);
  void mk('slow').then(() => {
    settled = clock.now();
  });
  await clock.runUntil(20_000);
  assert.equal(settled, 3000 + 5000 + 1000, 'the next refit waits 5 × its last run time, then runs');
});
