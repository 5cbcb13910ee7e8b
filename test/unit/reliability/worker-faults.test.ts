/**
 * FitClient against fake fitting workers (test/reliability/workers/*.js) that crash (throw, process.exit),
 * hang, answer garbage or stray messages, fail to load — and one that is healthy. Asserts: callers get rejected
 * promises with clear messages, the client restarts the worker with exponential backoff (restart counter and
 * measured restart windows 0.5 s → 1 s → 2 s), a later request succeeds against a healthy worker, no unhandled
 * rejections, and the host event loop stays responsive (max setInterval lag reported, generous bound asserted).
 * ~8 s; same size in CI and full runs (it is time-based, not count-based).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FitClient } from '../../../src/worker/fitClient';
import type { FitJob } from '../../../src/model/fitJobs';
import { REPO } from '../helpers/paths';

const WORKERS = path.join(REPO, 'test', 'reliability', 'workers');
const FAULTY = path.join(WORKERS, 'faulty.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function job(fault?: string, extra: Record<string, unknown> = {}): FitJob {
  return {
    kind: 'locate',
    path: '/nonexistent',
    format: 'nanogpt',
    runId: 'r',
    metric: 'train/loss',
    indices: [],
    fault,
    ...extra,
  } as unknown as FitJob;
}

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof Error, 'rejected with an Error');
    return e.message;
  }
  assert.fail('expected a rejection');
}

test(
  'FitClient: faults reject clearly, the worker restarts with backoff, healthy requests succeed after',
  { timeout: 60_000 },
  async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (r: unknown) => unhandled.push(r);
    process.on('unhandledRejection', onUnhandled);
    let maxLag = 0;
    let last = performance.now();
    const lagTimer = setInterval(() => {
      const now = performance.now();
      maxLag = Math.max(maxLag, now - last - 10);
      last = now;
    }, 10);
    const logs: string[] = [];
    const health: [boolean, string][] = [];
    const client = new FitClient({
      workerPath: FAULTY,
      timeoutMs: 1500,
      log: (l, m) => logs.push(`${l}: ${m}`),
      onHealth: (h, m) => health.push([h, m]),
    });
    try {
      // healthy
      const ok = await client.run(job());
      assert.equal(ok.kind, 'locate');

      // a job-level error is not a crash
      assert.match(await rejection(client.run(job('error'))), /fit failed: singular matrix/);
      assert.equal(client.restarts, 0);

      // stray/unknown messages are ignored (logged), the real answer still arrives
      assert.equal((await client.run(job('stray'))).kind, 'locate');
      assert.ok(
        logs.some((l) => /unexpected message/.test(l)),
        'stray message logged',
      );
      assert.equal(client.restarts, 0);

      // the host loop is not blocked while the worker computes for 300 ms
      const lagBefore = maxLag;
      await client.run(job('busy', { ms: 300 }));
      const busyLag = maxLag;

      // throw → rejected with the reason; requests during the backoff window are rejected at once; then recovery
      const t0 = Date.now();
      assert.match(await rejection(client.run(job('throw'))), /fitting worker crashed: fake worker: boom/);
      assert.equal(client.restarts, 1);
      assert.match(await rejection(client.run(job())), /fitting worker restarting \(next try in 1 s\)/);
      await sleep(550 - (Date.now() - t0));
      assert.equal((await client.run(job())).kind, 'locate', 'healthy again after the 0.5 s window');
      assert.ok(health.some(([h]) => !h) && health[health.length - 1][0], 'health went down, then up');

      // process.exit in the worker
      assert.match(await rejection(client.run(job('exit'))), /fitting worker exited \(code 3\)/);
      assert.equal(client.restarts, 2);
      await sleep(550);

      // hang → timeout after timeoutMs; every pending request on that worker is rejected with the same reason
      const h0 = Date.now();
      const both = await Promise.all([rejection(client.run(job('hang'))), rejection(client.run(job('hang')))]);
      const hangMs = Date.now() - h0;
      for (const m of both) assert.match(m, /fit did not finish within 1\.5 s/); // not rounded to "2 s" (or "0 s" below 0.5 s)
      assert.ok(hangMs >= 1480 && hangMs < 4000, `timeout after ${hangMs} ms (timeoutMs 1500)`);
      assert.equal(client.restarts, 3);
      await sleep(1050); // second failure in a row (exit, hang): 1 s window

      // garbage result → rejected, worker restarted
      assert.match(await rejection(client.run(job('garbage'))), /malformed result/);
      assert.equal(client.restarts, 4);
      await sleep(2050); // third in a row: 2 s
      assert.equal((await client.run(job())).kind, 'locate');

      // consecutive failures without a success in between: windows double (0.5 s, 1 s, 2 s)
      const windows: number[] = [];
      let crashAt = Date.now();
      assert.match(await rejection(client.run(job('throw'))), /crashed/);
      while (windows.length < 3) {
        const msg = await rejection(client.run(job('throw')));
        if (/restarting/.test(msg)) {
          await sleep(25);
          continue;
        }
        assert.match(msg, /crashed/);
        const now = Date.now();
        windows.push(now - crashAt);
        crashAt = now;
      }
      const expectedWindows = [500, 1000, 2000];
      // lower bound: the backoff is respected; upper bound generous (includes probing every 25 ms + worker spawn)
      windows.forEach((w, i) =>
        assert.ok(
          w >= expectedWindows[i] - 20 && w < expectedWindows[i] + 1500,
          `restart window ${i + 1}: ${w} ms, expected ≈ ${expectedWindows[i]} ms`,
        ),
      );
      assert.match(await rejection(client.run(job())), /restarting \(next try in [34] s\)/, 'fourth window: 4 s');

      // restart(): a stuck job is failed on request (the scheduler's timeout), the next job gets a fresh worker
      const fresh = new FitClient({ workerPath: FAULTY, timeoutMs: 0 });
      const stuck = fresh.run(job('hang'));
      await sleep(100);
      fresh.restart('fit of curve:r did not finish within 0.1 s of starting');
      assert.match(await rejection(stuck), /did not finish within 0\.1 s of starting/);
      assert.equal(fresh.restarts, 1);
      assert.ok(fresh.readyIn() > 0 && fresh.readyIn() <= 500, `backoff ${fresh.readyIn()} ms`);
      await sleep(fresh.readyIn() + 10);
      assert.equal(fresh.readyIn(), 0);
      assert.equal((await fresh.run(job())).kind, 'locate');
      fresh.dispose();

      console.log(
        `worker faults: restarts=${client.restarts} windows=${windows.join('/')} ms timeout=${hangMs} ms maxLag=${maxLag.toFixed(1)} ms (before busy ${lagBefore.toFixed(1)}, during 300 ms worker busy ${busyLag.toFixed(1)})`,
      );
      assert.ok(maxLag < 1000, `event loop lag ${maxLag.toFixed(0)} ms`);
    } finally {
      client.dispose();
      clearInterval(lagTimer);
      await sleep(50);
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, [], 'no unhandled rejections');
  },
);

test(
  'FitClient: workers that fail while loading reject requests (never hang); dispose rejects pending',
  { timeout: 30_000 },
  async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (r: unknown) => unhandled.push(r);
    process.on('unhandledRejection', onUnhandled);
    try {
      const a = new FitClient({ workerPath: path.join(WORKERS, 'crash-on-load.js'), timeoutMs: 5000 });
      assert.match(await rejection(a.run(job())), /fitting worker crashed: fake worker: cannot load/);
      a.dispose();
      const b = new FitClient({ workerPath: path.join(WORKERS, 'exit-on-load.js'), timeoutMs: 5000 });
      assert.match(await rejection(b.run(job())), /fitting worker exited \(code 7\)/);
      b.dispose();
      const c = new FitClient({ workerPath: path.join(WORKERS, 'does-not-exist.js'), timeoutMs: 5000 });
      const msg = await rejection(c.run(job()));
      assert.match(msg, /fitting worker (crashed|exited)|Cannot find module/);
      c.dispose();
      const d = new FitClient({ workerPath: FAULTY, timeoutMs: 5000 });
      const pending = d.run(job('hang'));
      await sleep(100);
      d.dispose();
      assert.match(await rejection(pending), /fit client disposed/);
      assert.match(await rejection(d.run(job())), /fit client disposed/);
    } finally {
      await sleep(50);
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  },
);
