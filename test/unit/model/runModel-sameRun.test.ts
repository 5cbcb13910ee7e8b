/**
 * The extension's run model shows one training run seen in two files as one run (sameRun.ts), through its action
 * methods only: update / remove report the shown runs added, changed and removed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunModel } from '../../../src/model/runModel';
import { seriesFrom } from '../../../src/ingest/series';
import type { ParseResult, Run } from '../../../src/ingest/types';

const steps = Array.from({ length: 50 }, (_, i) => i * 10);
const loss = (seed: number) =>
  steps.map((s, i) => 2 + 8 / Math.sqrt(1 + s / 50) + (((i * 7919 * seed) % 101) - 50) * 1e-3);
function run(
  path: string,
  format: Run['format'],
  metrics: Record<string, { step: number[]; value: number[] }>,
  meta: Run['meta'] = {},
): Run {
  return {
    id: path,
    path,
    format,
    metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, seriesFrom(k, k, v.step, v.value)])),
    meta,
  };
}
const res = (...runs: Run[]): ParseResult => ({ runs, diagnostics: [] });

test('stdout + event file of one run: one run shown, built from both; removing a file shows the other alone', () => {
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => 0);
  const v = loss(1);
  const out = run(
    '/w/run1/train.log',
    'nanogpt',
    { 'train/loss': { step: steps, value: v.map((x) => Number(x.toFixed(4))) } },
    { params: { value: 1.2e7, source: { path: '/w/run1/train.log', how: 'log line' } } },
  );
  const tb = run('/w/run1/events.out.tfevents.1.h.1.0', 'tensorboard', {
    'train/loss': { step: steps, value: v.map(Math.fround) },
    'val/loss': { step: [490], value: [3.3] },
  });
  const r1 = m.update(out.path, res(out), true);
  assert.deepEqual(r1.added, [out.id]);
  const r2 = m.update(tb.path, res(tb), true);
  assert.deepEqual(
    m.summaries().map((s) => s.id),
    [out.id],
    'one run in the views',
  );
  assert.deepEqual(r2.added, []);
  assert.deepEqual(r2.changed, [out.id], 'the stdout run changed (it gained val/loss)');
  const shown = m.runs.get(out.id)!;
  assert.deepEqual(Object.keys(shown.metrics).sort(), ['train/loss', 'val/loss']);
  assert.deepEqual(shown.builtFrom!.parts.map((p) => p.path).sort(), [tb.path, out.path].sort());
  assert.equal(m.params(shown), 1.2e7);
  assert.equal(m.shownAs(tb.id), out.id);
  // the event file grows: still one run
  const tb2 = run(tb.path, 'tensorboard', {
    'train/loss': { step: steps, value: v.map(Math.fround) },
    'val/loss': { step: [240, 490], value: [3.6, 3.3] },
  });
  m.update(tb.path, res(tb2), true);
  assert.equal(m.runs.size, 1);
  assert.equal(m.runs.get(out.id)!.metrics['val/loss'].step.length, 2);
  // the stdout is deleted: the event file's run is shown on its own
  const removed = m.remove(out.path);
  assert.deepEqual(removed, [out.id]);
  assert.deepEqual([...m.runs.keys()], [tb.id]);
  assert.equal(m.runs.get(tb.id)!.builtFrom, undefined);
});

test('two seeds in one folder stay two runs', () => {
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => 0);
  const a = run('/w/sweep/seed1.log', 'nanogpt', {
    'train/loss': { step: steps, value: loss(1) },
    lr: { step: steps, value: steps.map((s) => 1e-3 * s) },
  });
  const b = run('/w/sweep/seed2.log', 'nanogpt', {
    'train/loss': { step: steps, value: loss(2) },
    lr: { step: steps, value: steps.map((s) => 1e-3 * s) },
  });
  m.update(a.path, res(a), true);
  const r = m.update(b.path, res(b), true);
  assert.deepEqual(r.added, [b.id]);
  assert.equal(m.runs.size, 2);
});

test('a linked run is shown but left out of the sweep input', () => {
  const now = 10 * 3600_000;
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => now);
  const meta = (p: string): Run['meta'] => ({
    params: { value: 1e7, source: { path: p, how: 'x' } },
    tokensPerStep: { value: 1000, source: { path: p, how: 'x' } },
  });
  // the same train loss, a validation loss on another subset: one run written two ways
  const raw = loss(3);
  const a = run(
    '/w/logs/train.log',
    'nanogpt',
    { 'train/loss': { step: steps, value: raw }, 'val/loss': { step: steps, value: raw.map((v) => v + 0.3) } },
    meta('/w/logs/train.log'),
  );
  const b = run(
    '/w/logs/metrics.csv',
    'csv',
    { 'train/loss': { step: steps, value: raw }, 'val/loss': { step: steps, value: raw.map((v) => v + 0.5) } },
    meta('/w/logs/metrics.csv'),
  );
  m.update(a.path, res(a), true, 0);
  m.update(b.path, res(b), true, 0);
  assert.equal(m.runs.size, 2);
  const linked = [...m.runs.values()].filter((r) => r.linkedTo);
  assert.equal(linked.length, 1);
  assert.deepEqual(
    m.sweepInput().points.map((p) => p.runId),
    [linked[0].linkedTo!.id],
  );
});

test('a folder of more than 64 logs is a sweep: even identical logs stay one run each, once the folder is that big', () => {
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => 0);
  const v = loss(5);
  for (let k = 0; k < 70; k++) {
    const r = run(`/w/many/f${k}.log`, 'nanogpt', { 'train/loss': { step: steps, value: v } });
    m.update(r.path, res(r), true);
    if (k === 1) assert.equal(m.runs.size, 1, 'two identical logs in one folder: one run');
  }
  assert.equal(m.runs.size, 70);
  assert.ok([...m.runs.values()].every((r) => !r.builtFrom));
});
