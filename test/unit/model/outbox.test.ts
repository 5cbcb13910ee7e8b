import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Outbox } from '../../../src/model/outbox';
import { Store } from '../../../webview/store';
import type { HostMessage, RunSummary, DashboardState } from '../../../src/protocol';

const F = (a: number[]) => Float64Array.from(a);

/** Small seeded PRNG (Park–Miller). */
function rng(seed: number) {
  let s = seed;
  const next = () => (s = (s * 48271) % 2147483647) / 2147483647;
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(a: readonly T[]) => a[Math.floor(next() * a.length)],
  };
}

const RUNS = ['a', 'b', 'c', 'd'];
const METRICS = ['train/loss', 'val/loss'];

function summary(id: string, v: number): RunSummary {
  return {
    id,
    label: id,
    relPath: `${id}/train.log`,
    group: '.',
    format: 'nanogpt',
    state: 'live',
    excluded: false,
    metrics: METRICS,
    metric: 'train/loss',
    lastValue: v,
    problems: 0,
  };
}

function randomMessage(r: ReturnType<typeof rng>, k: number): HostMessage {
  const id = r.pick(RUNS),
    metric = r.pick(METRICS);
  const n = 1 + r.int(4);
  const steps = Array.from({ length: n }, (_, i) => k * 10 + i);
  const step = F(steps),
    y = F(steps.map((s) => 3 + 1 / (s + 1)));
  switch (r.int(11)) {
    case 0:
    case 1:
    case 2:
      return r.next() < 0.3
        ? { type: 'points', runId: id, metric, step, y, tokens: F(steps.map((s) => s * 1000)) }
        : { type: 'points', runId: id, metric, step, y };
    case 3:
    case 4:
      return { type: 'run', run: summary(id, k) };
    case 5:
      return { type: 'removeRun', runId: id };
    case 6:
      return { type: 'series', series: { runId: id, metric, step, y } };
    case 7:
      return { type: 'curveFit', fit: { runId: id, metric, ok: true, law: `law${k}` } };
    case 8:
      return { type: 'charted', runIds: RUNS.filter(() => r.next() < 0.6) };
    case 9:
      return r.next() < 0.5
        ? {
            type: 'options',
            options: r.next() < 0.5 ? { selectedRun: id } : { tab: r.pick(['runs', 'sweep', 'fit'] as const) },
          }
        : { type: 'targetLoss', value: r.next() < 0.3 ? null : 2 + k / 100 };
    default:
      return r.next() < 0.5
        ? { type: 'status', text: `s${k}` }
        : { type: 'sweepFit', fit: { ok: false, reason: `r${k}`, points: [] } };
  }
}

function initState(): DashboardState {
  return {
    runs: RUNS.map((id) => summary(id, 0)),
    series: [],
    curveFits: [],
    options: {
      xAxis: 'step',
      logX: false,
      logY: false,
      smoothing: 0,
      metric: 'auto',
      tab: 'runs',
      curveLaw: 'auto',
      sweepLaw: 'auto',
    },
    laws: [],
  };
}

test('coalesced batches leave the webview store exactly as the messages one by one would (2,000 random sequences)', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const r = rng(seed);
    const direct = new Store(),
      batched = new Store();
    const init: HostMessage = { type: 'init', state: initState() };
    direct.apply(structuredClone(init));
    batched.apply(structuredClone(init));
    const box = new Outbox();
    let sent = 0;
    const len = 5 + r.int(60);
    for (let k = 0; k < len; k++) {
      const m = randomMessage(r, k);
      direct.apply(structuredClone(m));
      box.push(structuredClone(m));
      if (r.next() < 0.1)
        for (const q of box.take()) {
          batched.apply(q);
          sent++;
        }
    }
    for (const q of box.take()) {
      batched.apply(q);
      sent++;
    }
    assert.deepEqual(
      JSON.parse(JSON.stringify(batched.state)),
      JSON.parse(JSON.stringify(direct.state)),
      `seed ${seed}`,
    );
    assert.ok(sent <= len, `seed ${seed}: ${sent} messages sent for ${len}`);
  }
});

test('a burst of appends to one series becomes one message; summaries of a scan stay one per run', () => {
  const box = new Outbox();
  for (let k = 0; k < 1000; k++)
    box.push({ type: 'points', runId: 'a', metric: 'train/loss', step: F([k]), y: F([3 - k / 1e4]) });
  let q = box.take();
  assert.equal(q.length, 1);
  const p = q[0] as Extract<HostMessage, { type: 'points' }>;
  assert.ok(p.step instanceof Float64Array && p.y instanceof Float64Array, 'typed-array columns');
  assert.equal(p.step.buffer.byteLength, 1000 * 8, 'a column of its own, no spare room posted');
  assert.deepEqual(
    Array.from(p.step),
    Array.from({ length: 1000 }, (_, k) => k),
  );
  for (let k = 0; k < 1000; k++) box.push({ type: 'run', run: summary(`r${k % 100}`, k) });
  q = box.take();
  assert.equal(q.length, 100, 'one summary per run, the latest');
  assert.equal((q[99] as Extract<HostMessage, { type: 'run' }>).run.lastValue, 999);
  box.push({ type: 'points', runId: 'a', metric: 'm', step: F([1]), y: F([1]) });
  box.push({ type: 'init', state: initState() });
  assert.deepEqual(
    box.take().map((m) => m.type),
    ['init'],
    'init supersedes what was queued',
  );
});

test('merging copies the first queued points instead of growing the caller’s arrays', () => {
  const box = new Outbox();
  const mine = { type: 'points' as const, runId: 'a', metric: 'm', step: F([1]), y: F([1]) };
  box.push(mine);
  box.push({ type: 'points', runId: 'a', metric: 'm', step: F([2]), y: F([2]) });
  box.push({ type: 'points', runId: 'a', metric: 'm', step: F([3]), y: F([3]) });
  assert.deepEqual(Array.from(mine.step), [1]);
  assert.equal(mine.step.buffer.byteLength, 8, 'the caller’s buffer was not grown or written');
  assert.deepEqual(Array.from((box.take()[0] as typeof mine).step), [1, 2, 3]);
});
