import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunModel, tokensForSteps, groupOf, primaryMetric, hasFinite } from '../../../src/model/runModel';
import type { ParseResult, Run } from '../../../src/ingest/types';
import { sweepCurves } from '../../../src/model/sweepCurves';
import { honestSweep } from '../../../src/model/fitJobs';
import { seriesFrom } from '../../../src/ingest/series';

function run(id: string, steps: number[], extra: Partial<Run> = {}): Run {
  return {
    id,
    path: id,
    format: 'nanogpt',
    metrics: {
      'train/loss': seriesFrom(
        'train/loss',
        'loss',
        steps,
        steps.map((s) => 3 + 1 / (s + 1)),
      ),
    },
    meta: {},
    ...extra,
  };
}
const res = (...runs: Run[]): ParseResult => ({ runs, diagnostics: [] });

test('increments: appended points are handed out once; a shrunk series comes back whole with reset', () => {
  let now = 0;
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => now);
  m.update('/a.log', res(run('/a.log', [1, 2, 3])), true);
  let inc = m.takeIncrements();
  assert.deepEqual(
    inc.map((i) => [i.metric, i.reset, i.step]),
    [['train/loss', false, [1, 2, 3]]],
  );
  m.update('/a.log', res(run('/a.log', [1, 2, 3, 4, 5])), true);
  inc = m.takeIncrements();
  assert.deepEqual(inc[0].step, [4, 5]);
  assert.equal(inc[0].reset, false);
  assert.deepEqual(m.takeIncrements(), []);
  m.update('/a.log', res(run('/a.log', [1, 2])), true); // truncated and re-read
  inc = m.takeIncrements();
  assert.deepEqual([inc[0].reset, inc[0].step], [true, [1, 2]]);
  // total handed out after the reset equals what the file holds: nothing lost, nothing duplicated
  m.update('/a.log', res(run('/a.log', [1, 2, 3])), true);
  assert.deepEqual(Array.from(m.takeIncrements()[0].step), [3]);
  now = 5000;
  assert.equal(m.state(m.runs.get('/a.log')!), 'finished');
});

test('live → stale when a run with planned steps stops growing', () => {
  let now = 0;
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => now);
  m.update(
    '/b.log',
    res(run('/b.log', [1, 2, 3], { meta: { totalSteps: { value: 100, source: { path: '/b.log', how: 'log' } } } })),
    true,
  );
  assert.equal(m.state(m.runs.get('/b.log')!), 'live');
  now = 10_000;
  assert.equal(m.state(m.runs.get('/b.log')!), 'stale');
});

test('sweep points combine finished runs with N and tokens with points tables; C = 6ND', () => {
  let now = 0;
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => now);
  const r = run('/r.log', [10, 20], {
    meta: {
      params: { value: 1e8, source: { path: '/r.log', how: 'log' } },
      tokensPerStep: { value: 1000, source: { path: '/r.log', how: 'log' } },
    },
  });
  m.update('/r.log', res(r), false);
  m.update(
    '/p.csv',
    {
      runs: [],
      diagnostics: [],
      points: { path: '/p.csv', N: [1e9, 2e9], D: [NaN, 4e10], C: [6e19, NaN], loss: [2.5, 2.4], extra: {} },
    },
    false,
  );
  assert.equal(m.sweepPoints().filter((p) => p.runId === '/r.log').length, 0, 'a live run is not a sweep point yet');
  now = 5000; // the log stopped growing: finished
  const pts = m.sweepPoints();
  assert.equal(pts.length, 3);
  const a = pts.find((p) => p.runId === '/r.log')!;
  assert.equal(a.D, 20_000);
  assert.equal(a.C, 6 * 1e8 * 20_000);
  const b = pts.find((p) => p.runId === '/p.csv#1')!;
  assert.equal(b.D, 6e19 / (6 * 1e9));
  const c = pts.find((p) => p.runId === '/p.csv#2')!;
  assert.equal(c.C, 6 * 2e9 * 4e10);
});

test('tokens for steps interpolate a tokens series', () => {
  const r = run('/t', [0]);
  r.metrics.tokens = seriesFrom('tokens', 'tokens', [10, 20], [100, 300]);
  assert.deepEqual(tokensForSteps(r, [5, 10, 15, 20, 40]), [50, 100, 200, 300, 600]);
});

test('groups: the folder holding a run folder for generic file names', () => {
  assert.equal(groupOf('sweep/gpt-85M/train.log'), 'sweep');
  assert.equal(groupOf('logs/run_a.log'), 'logs');
  assert.equal(groupOf('a.log'), '.');
});

test('primary metric: val/loss once it has 8 finite points, else train/loss, else val/loss (early-exit counting)', () => {
  const series = (name: string, value: number[]) => ({
    name,
    originalName: name,
    step: Float64Array.from(value, (_, i) => i),
    value: Float64Array.from(value),
  });
  const r = (metrics: Record<string, number[]>): Run =>
    ({
      id: 'x',
      path: 'x',
      format: 'jsonl',
      meta: {},
      metrics: Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, series(k, v)])),
    }) as unknown as Run;
  const nan7 = [NaN, 1, 2, 3, 4, 5, 6, 7];
  assert.equal(
    primaryMetric(r({ 'val/loss': nan7, 'train/loss': [1] })),
    'train/loss',
    '7 finite val points are not enough',
  );
  assert.equal(primaryMetric(r({ 'val/loss': [...nan7, 8], 'train/loss': [1] })), 'val/loss');
  assert.equal(primaryMetric(r({ 'val/loss': [NaN, 2], 'train/loss': [NaN, NaN] })), 'val/loss');
  assert.equal(
    primaryMetric(r({ 'val/loss': [1], 'train/loss': [2] }), 'train/loss'),
    'train/loss',
    'an explicit choice wins',
  );
  assert.ok(hasFinite(series('a', [NaN, NaN, 1]), 1) && !hasFinite(series('a', [NaN, Infinity]), 1));
});

test('sweep curves: checkpoints of finished runs with N and tokens, thinned log-spaced, C = 6ND', () => {
  let now = 0;
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => now);
  const steps = Array.from({ length: 5000 }, (_, i) => i + 1);
  const meta = {
    params: { value: 1e8, source: { path: '/r.log', how: 'log' } },
    tokensPerStep: { value: 1000, source: { path: '/r.log', how: 'log' } },
  };
  m.update('/r.log', res(run('/r.log', steps, { meta } as unknown as Partial<Run>)), false);
  m.update('/nop.log', res(run('/nop.log', steps)), false); // no parameter count: not in the sweep
  now = 5000;
  const c = sweepCurves(m, 'auto', 40);
  assert.ok(c.length >= 30 && c.length <= 45, `${c.length} checkpoints`);
  assert.ok(c.every((p) => p.group === '/r.log' && p.N === 1e8 && p.C === 6 * 1e8 * p.D!));
  assert.equal(c[0].D, 1000);
  assert.equal(c[c.length - 1].D, 5000 * 1000, 'the last checkpoint is kept');
  const lr = c.map((p) => Math.log(p.D!));
  const gaps = lr.slice(1).map((v, i) => v - lr[i]);
  const span = lr[lr.length - 1] - lr[0];
  assert.ok(
    gaps.slice(0, -1).every((g) => g >= span / 40 - 1e-9),
    'no two kept checkpoints closer than 1/40 of the log span',
  );
  assert.ok(Math.max(...gaps) < span / 5, 'and no big holes');
});

test('sweep input: finished and stopped-early runs enter (a workspace of old, finished logs has a sweep); one metric for all, and what was left out said with the command that fixes it', () => {
  const now = 10 * 3600_000;
  const m = new RunModel({ liveTimeoutMs: 300_000, relativize: (p) => p }, () => now);
  const src = (p: string) => ({ path: p, how: 'log' });
  const mk = (
    id: string,
    N: number | undefined,
    withVal: boolean,
    extra: Partial<Run['meta']> = {},
    values?: number[],
  ): Run => {
    const steps = [100, 200, 300];
    const r = run(id, steps);
    if (values) r.metrics['train/loss'] = seriesFrom('train/loss', 'loss', steps, values);
    if (withVal) r.metrics['val/loss'] = seriesFrom('val/loss', 'val_loss', [300], [3.1]);
    r.meta = {
      ...(N ? { params: { value: N, source: src(id) } } : {}),
      tokensPerStep: { value: 1000, source: src(id) },
      ...extra,
    };
    return r;
  };
  const old = 0; // mtime: written 10 hours before it was read
  m.update('/a.log', res(mk('/a.log', 1e7, true)), true, old);
  m.update('/b.log', res(mk('/b.log', 2e7, false)), true, old);
  m.update(
    '/c.log',
    res(
      mk('/c.log', 4e7, true, {
        totalSteps: { value: 5000, source: src('/c.log') },
        end: { value: { kind: 'time-limit', text: 'DUE TO TIME LIMIT', atStep: 300 }, source: src('/c.log') },
      }),
    ),
    true,
    old,
  );
  m.update('/d.log', res(mk('/d.log', 8e7, true, { tokensPerStep: undefined })), true, old);
  m.update('/e.log', res(mk('/e.log', 16e7, true, {}, [3, 2.9, NaN])), true, old);
  m.update('/f.log', res(mk('/f.log', 32e7, true)), true); // written now: live
  assert.equal(m.state(m.runs.get('/c.log')!), 'stopped');
  const input = m.sweepInput();
  assert.deepEqual(input.points.map((p) => p.runId).sort(), ['/a.log', '/b.log', '/c.log']);
  assert.equal(input.metric, 'train/loss', 'val/loss is missing in /b.log: train/loss for all');
  assert.match(input.metricNote!, /train\/loss for all runs, because val\/loss is missing in 1 of 4/);
  assert.ok(
    input.points.every((p) => p.loss === 3 + 1 / 301),
    'every point is the final train loss',
  );
  assert.deepEqual(input.notes, [
    "1 run lacks token counts: run 'Scaling Lens: Set Tokens per Step…'",
    '1 run is still training or paused (left out until it finishes)',
    '1 run diverged (left out)',
  ]);
  // A failed fit leads with what is missing, not with "0 < 3 parameters".
  const failed = honestSweep(
    { ok: false, reason: 'not enough points: 0 < 3 parameters', points: [] },
    {
      kind: 'sweep',
      points: [],
      law: 'auto',
      confidence: 0.95,
      bootstrap: 0,
      notes: ["3 runs lack token counts: run 'Scaling Lens: Set Tokens per Step…'"],
      metric: 'train/loss',
      metricNote: input.metricNote,
    },
  );
  assert.match(
    failed.reason!,
    /^3 runs lack token counts: run 'Scaling Lens: Set Tokens per Step…'\. \(not enough points/,
  );
  assert.equal(failed.metric, 'train/loss');
  assert.ok(
    failed.warnings!.some((w) => /train\/loss for all/.test(w)),
    'the metric fallback is said in the fit details',
  );
});

test('one metric for the workspace under auto: train/loss for every run unless every run has val/loss to fit, and the note says why', () => {
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => 0);
  const steps = Array.from({ length: 10 }, (_, i) => (i + 1) * 100);
  const withVal = run('/v.log', steps);
  withVal.metrics['val/loss'] = seriesFrom(
    'val/loss',
    'val_loss',
    steps,
    steps.map(() => 3.2),
  );
  m.update('/v.log', res(withVal), true);
  assert.equal(m.metricOf(withVal), 'val/loss', 'alone, the run with 10 validation points is shown on val/loss');
  const noVal = run('/t.log', steps, { path: '/other/t.log' }); // another folder: the same curve in one folder would be one run (sameRun.ts)
  m.update('/t.log', res(noVal), true);
  assert.equal(m.metricOf(withVal), 'train/loss', 'a run without val/loss joins: train/loss for all, not a mix');
  assert.equal(m.metricOf(noVal), 'train/loss');
  assert.match(m.workspaceMetric().note!, /train\/loss for all runs, because val\/loss is missing in 1 of 2/);
  assert.equal(m.summary(withVal).metric, 'train/loss');
  assert.equal(m.metricOf(withVal, 'val/loss'), 'val/loss', 'an explicit choice is kept');
});

test('sweep view as shown: metric named, identifiability and method disagreement flagged on a successful fit', () => {
  const view = honestSweep(
    {
      ok: true,
      points: [],
      law: 'chinchilla',
      params: [
        { name: 'E', value: 1.62, lower: 8e-13, upper: 1.88 },
        { name: 'alpha', value: 0.34, lower: 0.31, upper: 0.37 },
      ],
      exponents: { a: 0.41, b: 0.59, aInterval: [0.38, 0.45] },
      approaches: [
        { id: 'closed-form', name: 'Parametric fit', a: 0.41 },
        { id: 'envelope', name: 'Loss envelope', a: 0.23 },
      ],
      warnings: ['only 6 points: treat extrapolations with caution'],
    },
    {
      kind: 'sweep',
      points: [],
      law: 'auto',
      confidence: 0.95,
      bootstrap: 200,
      metric: 'val/loss',
      metricNote: 'auto: val/loss (every run logs it)',
      notes: ['2 runs are still training or paused (left out until they finish)'],
    },
  );
  assert.equal(view.metric, 'val/loss');
  assert.equal(view.metricNote, 'auto: val/loss (every run logs it)');
  const w = view.warnings!;
  assert.equal(w[0], 'only 6 points: treat extrapolations with caution', "the fit's own warnings stay first");
  assert.ok(w.includes('2 runs are still training or paused (left out until they finish)'));
  assert.ok(w.some((x) => /^E = 1\.62 in \[8e-13, 1\.88\]: not identified/.test(x)));
  assert.ok(!w.some((x) => /^alpha/.test(x)), 'a tight interval is not flagged');
  assert.ok(w.some((x) => /compute-optimal methods disagree/.test(x)));
  assert.ok(!w.some((x) => /auto: val\/loss/.test(x)), 'a metric note that is no fallback is not a warning');
});

test('siblingsOf: the finished runs of the same folder (thinned, last point kept) are the sweep evidence for a live run', () => {
  let now = 0;
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => now);
  const steps = (n: number) => Array.from({ length: n }, (_, i) => (i + 1) * 10);
  m.update('sweep/a/train.log', res(run('sweep/a/train.log', steps(1000))), true);
  m.update('sweep/b/train.log', res(run('sweep/b/train.log', steps(50))), true);
  m.update('sweep/c/train.log', res(run('sweep/c/train.log', steps(5))), true); // too short to be evidence
  m.update('other/d/train.log', res(run('other/d/train.log', steps(50))), true);
  now = 5000;
  m.update(
    'sweep/live/train.log',
    res(
      run('sweep/live/train.log', steps(20), {
        meta: { totalSteps: { value: 1000, source: { path: 'x', how: 'log' } } },
      }),
    ),
    true,
  );
  const live = m.runs.get('sweep/live/train.log')!;
  assert.equal(m.state(live), 'live');
  const sib = m.siblingsOf(live, 'train/loss', 8, 100);
  assert.deepEqual(sib.map((s) => s.id).sort(), ['sweep/a/train.log', 'sweep/b/train.log']);
  const a = sib.find((s) => s.id === 'sweep/a/train.log')!;
  assert.ok(a.x.length <= 101 && a.x.length >= 90, `${a.x.length} points`);
  assert.equal(a.x[a.x.length - 1], 10_000);
  assert.equal(a.y[a.y.length - 1], 3 + 1 / 10_001);
  assert.equal(sib.find((s) => s.id === 'sweep/b/train.log')!.x.length, 50);
  // a live sibling is not evidence
  assert.ok(!m.siblingsOf(m.runs.get('sweep/a/train.log')!, 'train/loss').some((s) => s.id === 'sweep/live/train.log'));
});

test('action methods: exclusion, forecasts and per-run overrides change the model only through the model', () => {
  const now = 0;
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p.replace(/^\/ws\//, '') }, () => now);
  m.update('/ws/a/train.log', res(run('/ws/a/train.log', [1, 2, 3])), true);
  m.update('/ws/b/train.log', res(run('/ws/b/train.log', [1, 2, 3])), true);
  const a = m.runs.get('/ws/a/train.log')!,
    b = m.runs.get('/ws/b/train.log')!;

  m.setExcluded(a.id, true);
  assert.equal(m.summary(a).excluded, true);
  m.setExcluded(a.id, false);
  assert.equal(m.summary(a).excluded, false);

  const f = { metric: 'train/loss', atStep: 10, value: 2.5, lower: 2.4, upper: 2.6, law: 'x', lawName: 'X' };
  m.setForecast(a.id, f);
  assert.deepEqual(m.summary(a).forecast, f);
  m.setForecast('/ws/gone.log', f);
  assert.equal(m.forecasts.has('/ws/gone.log'), false, 'no forecast for a run the model does not hold');
  m.setForecast(a.id, undefined);
  assert.equal(m.summary(a).forecast, undefined);

  // Keys are relative paths or run ids; a full pass clears runs no longer in the setting.
  m.applyOverrides('params', { 'a/train.log': 1.3e9, [b.id]: 7e6 });
  assert.equal(m.params(a), 1.3e9);
  assert.equal(m.params(b), 7e6);
  assert.equal(m.summary(a).paramsSource, 'user setting');
  m.applyOverrides('params', { [b.id]: 8e6 });
  assert.equal(m.params(a), undefined);
  assert.equal(m.params(b), 8e6);
  // A pass over some runs touches only those.
  m.applyOverrides('tokensPerStep', { 'a/train.log': 1000, 'b/train.log': 2000 }, [a.id]);
  assert.equal(m.tokensOverrides.get(a.id), 1000);
  assert.equal(m.tokensOverrides.has(b.id), false);
  assert.equal(m.withTokens(a).meta.tokensPerStep?.value, 1000);
  m.applyOverrides('tokensPerStep', {}, [a.id]);
  assert.equal(m.tokensOverrides.has(a.id), false);

  // Dropping a run drops what was set for it.
  m.setForecast(b.id, f);
  m.remove('/ws/b/train.log');
  assert.equal(m.forecasts.has(b.id), false);
});
