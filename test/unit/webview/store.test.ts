import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { DashboardState, RunSummary } from '../../../src/protocol';
import { DEFAULT_OPTIONS, readPersisted, restoreOptions, Store } from '../../../webview/store';

const run = (id: string, extra: Partial<RunSummary> = {}): RunSummary => ({
  id, label: id, relPath: `${id}.log`, group: '.', format: 'jsonl', state: 'live', excluded: false, metrics: ['loss'], problems: 0, metric: 'loss', ...extra,
});
const state = (): DashboardState => ({
  runs: [run('a'), run('b')],
  series: [{ runId: 'a', metric: 'loss', step: [1, 2], y: [5, 4] }],
  curveFits: [], laws: [], options: { ...DEFAULT_OPTIONS, selectedRun: 'a' },
});

test('init copies the state; points append without touching the host object', () => {
  const st = state();
  const s = new Store();
  assert.deepEqual(s.apply({ type: 'init', state: st }), { full: true });
  const ch = s.apply({ type: 'points', runId: 'a', metric: 'loss', step: [3, 4], y: [3.5, 3.25] });
  assert.equal(ch.appended!.size, 1);
  assert.deepEqual(s.series('a', 'loss')!.y, [5, 4, 3.5, 3.25]);
  assert.deepEqual(st.series[0].y, [5, 4], 'host object untouched');
  assert.equal(s.run('a')!.lastValue, 3.25);
  assert.equal(s.run('a')!.lastStep, 4);
  s.apply({ type: 'points', runId: 'c', metric: 'loss', step: [1], y: [9] });
  assert.deepEqual(s.series('c', 'loss')!.y, [9], 'points for a new series create it');
});

test('run/removeRun/curveFit/options/status messages', () => {
  const s = new Store();
  s.apply({ type: 'init', state: state() });
  s.apply({ type: 'run', run: run('b', { excluded: true }) });
  assert.equal(s.run('b')!.excluded, true);
  s.apply({ type: 'run', run: run('z') });
  assert.deepEqual(s.state.runs.map((r) => r.id), ['a', 'b', 'z']);
  s.apply({ type: 'curveFit', fit: { runId: 'a', metric: 'loss', ok: false, reason: 'x' } });
  s.apply({ type: 'curveFit', fit: { runId: 'a', metric: 'loss', ok: true } });
  assert.equal(s.state.curveFits.length, 1);
  assert.equal(s.curveFit('a', 'loss')!.ok, true);
  s.apply({ type: 'removeRun', runId: 'a' });
  assert.equal(s.run('a'), undefined);
  assert.equal(s.series('a', 'loss'), undefined);
  assert.equal(s.curveFit('a', 'loss'), undefined);
  assert.equal(s.state.options.selectedRun, 'b', 'selection moves off a removed run');
  s.apply({ type: 'options', options: { xAxis: 'tokens' } });
  assert.equal(s.state.options.xAxis, 'tokens');
  assert.equal(s.state.options.logY, false);
  s.apply({ type: 'status', text: 'Scanning…' });
  assert.equal(s.state.status, 'Scanning…');
});

test("metric 'auto' follows each run's own metric", () => {
  const s = new Store();
  s.apply({ type: 'init', state: { ...state(), runs: [run('a', { metric: 'val/loss', metrics: ['val/loss', 'train/loss'] })] } });
  assert.equal(s.metricFor(s.run('a')!), 'val/loss');
  s.apply({ type: 'options', options: { metric: 'train/loss' } });
  assert.equal(s.metricFor(s.run('a')!), 'train/loss');
  assert.deepEqual(s.allMetrics(), ['loss', 'train/loss', 'val/loss']);
});

test('persisted view options win on the first init and are validated', () => {
  const p = readPersisted({ v: 1, options: { xAxis: 'tokens', logY: true, smoothing: 5, tab: 'nope', selectedRun: 'b', curveLaw: 'x' }, sweepAxis: 'D' });
  assert.ok(p);
  assert.deepEqual(p.options, { xAxis: 'tokens', logY: true, selectedRun: 'b' });
  assert.equal(p.sweepAxis, 'D');
  const { options, changed } = restoreOptions({ ...DEFAULT_OPTIONS, selectedRun: 'a', curveLaw: 'power3' }, p);
  assert.equal(options.xAxis, 'tokens');
  assert.equal(options.curveLaw, 'power3', 'host-owned keys are not overridden');
  assert.deepEqual(changed, { xAxis: 'tokens', logY: true, selectedRun: 'b' });
  assert.equal(readPersisted({ v: 2 }), undefined);
  assert.equal(readPersisted(null), undefined);
});

test('charted runs: only their series are kept; series replaces; targetLoss increments', () => {
  const s = new Store();
  s.apply({ type: 'init', state: { ...state(), charted: ['a'] } });
  assert.equal(s.isCharted('a'), true);
  assert.equal(s.isCharted('b'), false);
  assert.equal(s.chartedCount(), 1);
  s.apply({ type: 'series', series: { runId: 'b', metric: 'loss', step: [1, 2, 3], y: [6, 5, 4] } });
  s.apply({ type: 'charted', runIds: ['b'] });
  assert.equal(s.series('a', 'loss'), undefined, 'a left the chart: its points are dropped');
  assert.deepEqual(s.series('b', 'loss')!.y, [6, 5, 4]);
  s.apply({ type: 'series', series: { runId: 'b', metric: 'loss', step: [1], y: [7] } });
  assert.deepEqual(s.series('b', 'loss')!.y, [7], 'a series message replaces, it does not append');
  assert.equal(s.state.series.filter((x) => x.runId === 'b').length, 1);
  assert.deepEqual(s.apply({ type: 'targetLoss', value: 2.5 }), { target: true });
  assert.equal(s.state.targetLoss, 2.5);
  const fresh = new Store();
  fresh.apply({ type: 'init', state: state() });
  assert.equal(fresh.isCharted('b'), true, 'without a charted list every run is drawn');
});
