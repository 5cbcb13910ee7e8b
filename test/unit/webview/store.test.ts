import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { DashboardState, RunSummary, SeriesData } from '../../../src/protocol';
import { DEFAULT_OPTIONS, mergeChanges, readPersisted, restoreOptions, Store } from '../../../webview/store';

const F = (a: number[]) => Float64Array.from(a);

const run = (id: string, extra: Partial<RunSummary> = {}): RunSummary => ({
  id,
  label: id,
  relPath: `${id}.log`,
  group: '.',
  format: 'jsonl',
  state: 'live',
  excluded: false,
  metrics: ['loss'],
  problems: 0,
  metric: 'loss',
  ...extra,
});
const state = (): DashboardState => ({
  runs: [run('a'), run('b')],
  series: [{ runId: 'a', metric: 'loss', step: F([1, 2]), y: F([5, 4]) }],
  curveFits: [],
  laws: [],
  options: { ...DEFAULT_OPTIONS, selectedRun: 'a' },
});

test('init adopts the (structured-cloned) message; points append without touching the host object', () => {
  const st = state();
  const s = new Store();
  // The webview receives a structured clone of what the host posted, and the store owns it (adoptSeries):
  // the host's own object is untouched by later appends.
  assert.deepEqual(s.apply({ type: 'init', state: structuredClone(st) }), { all: true, colors: true });
  const ch = s.apply({ type: 'points', runId: 'a', metric: 'loss', step: F([3, 4]), y: F([3.5, 3.25]) });
  assert.equal(ch.appended!.size, 1);
  assert.deepEqual(Array.from(s.series('a', 'loss')!.y), [5, 4, 3.5, 3.25]);
  assert.deepEqual(Array.from(st.series[0].y), [5, 4], 'host object untouched');
  assert.equal(s.run('a')!.lastValue, 3.25);
  assert.equal(s.run('a')!.lastStep, 4);
  s.apply({ type: 'points', runId: 'c', metric: 'loss', step: F([1]), y: F([9]) });
  assert.deepEqual(Array.from(s.series('c', 'loss')!.y), [9], 'points for a new series create it');
});

test('run/removeRun/curveFit/options/status messages', () => {
  const s = new Store();
  s.apply({ type: 'init', state: state() });
  s.apply({ type: 'run', run: run('b', { excluded: true }) });
  assert.equal(s.run('b')!.excluded, true);
  s.apply({ type: 'run', run: run('z') });
  assert.deepEqual(
    s.state.runs.map((r) => r.id),
    ['a', 'b', 'z'],
  );
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
  s.apply({
    type: 'init',
    state: { ...state(), runs: [run('a', { metric: 'val/loss', metrics: ['val/loss', 'train/loss'] })] },
  });
  assert.equal(s.metricFor(s.run('a')!), 'val/loss');
  s.apply({ type: 'options', options: { metric: 'train/loss' } });
  assert.equal(s.metricFor(s.run('a')!), 'train/loss');
  assert.deepEqual(s.allMetrics(), ['loss', 'train/loss', 'val/loss']);
});

test('persisted view options win on the first init and are validated', () => {
  const p = readPersisted({
    v: 1,
    options: { xAxis: 'tokens', logY: true, smoothing: 5, tab: 'nope', selectedRun: 'b', curveLaw: 'x' },
    sweepAxis: 'D',
  });
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
  s.apply({ type: 'series', series: { runId: 'b', metric: 'loss', step: F([1, 2, 3]), y: F([6, 5, 4]) } });
  s.apply({ type: 'charted', runIds: ['b'] });
  assert.equal(s.series('a', 'loss'), undefined, 'a left the chart: its points are dropped');
  assert.deepEqual(Array.from(s.series('b', 'loss')!.y), [6, 5, 4]);
  s.apply({ type: 'series', series: { runId: 'b', metric: 'loss', step: F([1]), y: F([7]) } });
  assert.deepEqual(Array.from(s.series('b', 'loss')!.y), [7], 'a series message replaces, it does not append');
  assert.equal(s.state.series.filter((x) => x.runId === 'b').length, 1);
  assert.deepEqual(s.apply({ type: 'targetLoss', value: 2.5 }), { target: true, fitDetails: true, curveFits: true });
  assert.equal(s.state.targetLoss, 2.5);
  const fresh = new Store();
  fresh.apply({ type: 'init', state: state() });
  assert.equal(fresh.isCharted('b'), true, 'without a charted list every run is drawn');
});

// ------------------------------------------------------------------------------------------------------------
// One path: dispatch applies host messages and user actions alike and says what changed

test('dispatch: a batch is applied in order and its changes merged; nested batches and unknown types are dropped', () => {
  const s = new Store();
  s.dispatch({ type: 'init', state: state() });
  const ch = s.dispatch({
    type: 'batch',
    messages: [
      { type: 'points', runId: 'a', metric: 'loss', step: F([3]), y: F([3.5]) },
      { type: 'run', run: run('c') },
      { type: 'points', runId: 'c', metric: 'loss', step: F([1]), y: F([7]) },
      { type: 'ping', id: 4 },
      { type: 'batch', messages: [{ type: 'status', text: 'nested' }] },
      { type: 'nope' } as never,
      { type: 'status', text: 'ok' },
    ],
  });
  assert.deepEqual([...ch.appended!].sort(), ['a\u0000loss', 'c\u0000loss']);
  assert.equal(ch.runs, true);
  assert.equal(ch.rebuild, true, 'a new run rebuilds the chart');
  assert.deepEqual(ch.pings, [4]);
  assert.equal(s.state.status, 'ok', 'the nested batch was not applied');
  assert.equal(s.run('c')!.lastValue, 7);
});

test('a run summary is replaced, never changed in place, so views can compare old and new by value', () => {
  const s = new Store();
  s.dispatch({ type: 'init', state: state() });
  const before = s.run('a')!;
  s.dispatch({ type: 'points', runId: 'a', metric: 'loss', step: F([3]), y: F([3.5]) });
  assert.notEqual(s.run('a'), before);
  assert.equal(before.lastValue, undefined, 'the old summary is untouched');
  assert.equal(s.run('a')!.lastValue, 3.5);
  assert.equal(s.state.runs[0], s.run('a'), 'the list and the index hold the same object');
  const ch = s.dispatch({ type: 'toggleExclude', runId: 'a' });
  assert.deepEqual(ch, { runs: true, restyle: true });
  assert.equal(s.run('a')!.excluded, true);
  assert.equal(s.state.runs[0].excluded, true);
});

test('a run message rebuilds the chart only when it moves points (new run, parameters, metric); else restyles', () => {
  const s = new Store();
  s.dispatch({ type: 'init', state: state() });
  assert.equal(s.dispatch({ type: 'run', run: run('b', { state: 'finished' }) }).restyle, true);
  assert.equal(s.dispatch({ type: 'run', run: run('b', { state: 'finished' }) }).rebuild, undefined);
  assert.equal(s.dispatch({ type: 'run', run: run('b', { state: 'finished', params: 1e8 }) }).rebuild, true);
  assert.equal(
    s.dispatch({ type: 'run', run: run('b', { state: 'finished', params: 1e8, metrics: ['loss', 'acc'] }) }).rebuild,
    true,
  );
  // The selected run's fit details follow its summary.
  assert.equal(s.dispatch({ type: 'run', run: run('a') }).fitDetails, true);
  assert.equal(
    s.dispatch({ type: 'run', run: run('b', { params: 1e8, metrics: ['loss', 'acc'] }) }).fitDetails,
    undefined,
  );
  assert.equal(s.dispatch({ type: 'curveFit', fit: { runId: 'b', metric: 'loss', ok: true } }).fitDetails, undefined);
  assert.equal(s.dispatch({ type: 'curveFit', fit: { runId: 'a', metric: 'loss', ok: true } }).fitDetails, true);
});

test('the first init restores the persisted view options and reports them for the host; later inits do not', () => {
  const s = new Store(
    readPersisted({
      v: 1,
      options: { logY: true, selectedRun: 'b', tab: 'sweep' },
      sweepAxis: 'C',
      hidden: ['a', 'gone'],
      filter: 'gpt',
    }),
  );
  assert.equal(s.state.options.logY, true, 'shown before the host answers');
  assert.equal(s.view.sweepAxis, 'C');
  const ch = s.dispatch({ type: 'init', state: state() });
  // The restored filter too: the host charts the runs that match it.
  assert.deepEqual(ch.restored, { logY: true, selectedRun: 'b', tab: 'sweep', filter: 'gpt' });
  assert.equal(s.state.options.selectedRun, 'b');
  const again = s.dispatch({ type: 'init', state: state() });
  assert.equal(again.restored, undefined);
  assert.equal(s.state.options.selectedRun, 'a', 'the host’s options stand after the first init');
  // A persisted selection of a run that is gone is not restored.
  const t = new Store(readPersisted({ v: 1, options: { selectedRun: 'gone', logX: true } }));
  assert.deepEqual(t.dispatch({ type: 'init', state: state() }).restored, { logX: true });
  assert.equal(t.state.options.selectedRun, 'a');
  // What is persisted: view options and view state, hidden runs pruned to known runs once initialised.
  const p = s.persisted();
  assert.deepEqual(p.hidden, ['a']);
  assert.equal(p.filter, 'gpt');
  assert.equal(p.sweepAxis, 'C');
  assert.deepEqual(Object.keys(p.options!).sort(), [
    'logX',
    'logY',
    'metric',
    'selectedRun',
    'smoothing',
    'tab',
    'xAxis',
  ]);
  assert.deepEqual(readPersisted(JSON.parse(JSON.stringify(p))), p, 'what is persisted reads back the same');
});

test('user actions: selection, hidden runs, filter, axes, target and status change the state and say what to redraw', () => {
  const s = new Store();
  s.dispatch({ type: 'init', state: state() });
  assert.deepEqual(s.dispatch({ type: 'selectRun', runId: 'zz' }), {}, 'an unknown run is not selected');
  assert.deepEqual(s.dispatch({ type: 'selectRun', runId: 'b' }), { options: { selectedRun: 'b' } });
  assert.equal(s.state.options.selectedRun, 'b');
  assert.deepEqual(s.dispatch({ type: 'setOptions', options: { xAxis: 'tokens' } }), { options: { xAxis: 'tokens' } });
  assert.equal(s.state.options.xAxis, 'tokens');

  assert.deepEqual(s.dispatch({ type: 'toggleHidden', runIds: ['a', 'b'] }), { view: true, restyle: true, runs: true });
  assert.deepEqual([...s.view.hidden].sort(), ['a', 'b']);
  s.dispatch({ type: 'toggleHidden', runIds: ['a'] });
  assert.deepEqual([...s.view.hidden], ['b'], 'all hidden: shown');
  s.dispatch({ type: 'toggleHidden', runIds: ['a', 'b'] });
  assert.deepEqual([...s.view.hidden].sort(), ['a', 'b'], 'some hidden: all hidden');
  assert.equal(s.dispatch({ type: 'unhide', runId: 'a' }).view, true);
  assert.deepEqual(s.dispatch({ type: 'unhide', runId: 'a' }), {}, 'nothing to unhide');

  assert.equal(s.dispatch({ type: 'setFilter', text: 'gpt' }).runs, true);
  assert.deepEqual(s.dispatch({ type: 'setFilter', text: 'gpt' }), {}, 'same text: nothing changed');
  assert.deepEqual(s.dispatch({ type: 'setSweepAxis', axis: 'D' }), { view: true, sweep: true });
  assert.deepEqual(s.dispatch({ type: 'setPredictAxis', axis: 'C' }), { view: true });
  assert.deepEqual(s.dispatch({ type: 'setPredictText', text: '7B' }), { view: true });
  assert.deepEqual(s.dispatch({ type: 'focusRun', runId: 'b' }), { view: true });
  assert.deepEqual(
    s.persisted(),
    {
      v: 1,
      options: {
        xAxis: 'tokens',
        logX: false,
        logY: false,
        smoothing: 0,
        metric: 'auto',
        tab: 'runs',
        selectedRun: 'b',
      },
      sweepAxis: 'D',
      predictAxis: 'C',
      predictText: '7B',
      focusedRun: 'b',
      hidden: ['b'],
      filter: 'gpt',
    },
    'only view options are persisted (not the host-owned laws)',
  );

  assert.deepEqual(s.dispatch({ type: 'setTargetLoss', value: 2.5 }), { fitDetails: true, curveFits: true });
  assert.equal(s.state.targetLoss, 2.5);
  assert.deepEqual(s.dispatch({ type: 'setTargetLoss', value: 2.5 }), {}, 'same target: the host is not asked again');
  assert.deepEqual(s.dispatch({ type: 'localStatus', text: 'Nothing to export yet.' }), { status: true });
  assert.equal(s.state.status, 'Nothing to export yet.');
});

test('excluding a run flips it in the run list and in the sweep points at once (the host confirms later)', () => {
  const s = new Store();
  s.dispatch({
    type: 'init',
    state: {
      ...state(),
      sweepFit: {
        ok: true,
        points: [
          { runId: 'b', N: 1, D: 1, C: 6, loss: 3 },
          { runId: 'x', N: 2, D: 2, C: 24, loss: 2.9 },
        ],
      },
    },
  });
  assert.deepEqual(s.dispatch({ type: 'toggleExclude', runId: 'b' }), { runs: true, restyle: true, sweep: true });
  assert.equal(s.run('b')!.excluded, true);
  assert.equal(s.state.sweepFit!.points[0].excluded, true);
  assert.deepEqual(
    s.dispatch({ type: 'toggleExclude', runId: 'x' }),
    { sweep: true },
    'a points-table row is only in the sweep',
  );
});

test('removing the selected run moves the selection; options from the host keep a valid selection', () => {
  const s = new Store();
  s.dispatch({ type: 'init', state: state() });
  s.dispatch({ type: 'removeRun', runId: 'a' });
  assert.equal(s.state.options.selectedRun, 'b');
  s.dispatch({ type: 'options', options: { selectedRun: 'gone' } });
  assert.equal(s.state.options.selectedRun, 'b');
  assert.deepEqual(
    mergeChanges(
      { runs: true, appended: new Set(['x']), pings: [1] },
      { sweep: true, appended: new Set(['y']), pings: [2] },
    ),
    { runs: true, sweep: true, appended: new Set(['x', 'y']), pings: [1, 2] },
  );
});

test("the store copies a whole series' columns once into growable buffers, so the appends after it copy nothing", () => {
  const s = new Store();
  s.apply({ type: 'init', state: state() });
  const step = F([1, 2, 3]),
    y = F([9, 8, 7]);
  s.apply({ type: 'points', runId: 'c', metric: 'loss', step, y });
  const first = s.series('c', 'loss')!.y;
  assert.notEqual(first.buffer, y.buffer, "a buffer of the store's own, not the message's");
  assert.ok(first.buffer.byteLength >= 1024 * 8, 'with room to grow');
  // the first append after it grows that buffer in place (issue 17: it used to copy the whole column then)
  s.apply({ type: 'points', runId: 'c', metric: 'loss', step: F([4]), y: F([6]) });
  assert.equal(s.series('c', 'loss')!.y.buffer, first.buffer, 'the first append copies nothing');
  assert.deepEqual(Array.from(s.series('c', 'loss')!.y), [9, 8, 7, 6]);
  assert.deepEqual(Array.from(y), [9, 8, 7], "the message's own array is never written past or grown");
  // Later appends grow the store's own buffer in place (amortised), and stay exact.
  const grownBuf = s.series('c', 'loss')!.y.buffer;
  for (let k = 5; k < 200; k++) s.apply({ type: 'points', runId: 'c', metric: 'loss', step: F([k]), y: F([10 - k]) });
  const g = s.series('c', 'loss')!;
  assert.equal(g.y.buffer, grownBuf, 'grown in place');
  assert.deepEqual(
    Array.from(g.step),
    Array.from({ length: 199 }, (_, i) => i + 1),
  );
  assert.deepEqual(
    Array.from(g.y.subarray(3)),
    Array.from({ length: 196 }, (_, i) => 6 - i),
  );
  // Plain arrays (an older message shape) are copied into typed columns.
  s.apply({ type: 'series', series: { runId: 'c', metric: 'old', step: [1, 2], y: [3, 4] } as unknown as SeriesData });
  assert.ok(s.series('c', 'old')!.y instanceof Float64Array);
  assert.deepEqual(Array.from(s.series('c', 'old')!.y), [3, 4]);
  const series = { runId: 'c', metric: 'acc', step: F([1, 2]), y: F([0.5, 0.6]) };
  s.apply({ type: 'series', series });
  assert.deepEqual(Array.from(s.series('c', 'acc')!.step), [1, 2]);
  assert.notEqual(
    s.series('c', 'acc')!.step.buffer,
    series.step.buffer,
    'series message copied into a growable buffer',
  );
  const big = {
    runId: 'c',
    metric: 'big',
    step: F(Array.from({ length: 5000 }, (_, i) => i)),
    y: F(new Array(5000).fill(1)),
  };
  s.apply({ type: 'series', series: big });
  const bigBuf = s.series('c', 'big')!.y.buffer;
  assert.ok(bigBuf.byteLength >= 5000 * 8 * 1.125, 'an eighth to spare');
  s.apply({ type: 'points', runId: 'c', metric: 'big', step: F([5000]), y: F([2]) });
  assert.equal(s.series('c', 'big')!.y.buffer, bigBuf, 'appended in place after a whole series');
  assert.deepEqual(Array.from(big.y.subarray(4998)), [1, 1], "the message's own array untouched");
  // tokens shorter than y: copied and padded with NaN so every axis stays parallel to y
  s.apply({ type: 'series', series: { runId: 'c', metric: 'ppl', step: F([1, 2]), tokens: F([10]), y: F([3, 2]) } });
  const p = s.series('c', 'ppl')!;
  assert.deepEqual(Array.from(p.tokens!), [10, NaN]);
  assert.deepEqual(Array.from(p.y), [3, 2]);
  // step longer than y: copied, cut to y's length
  s.apply({ type: 'points', runId: 'c', metric: 'lr', step: F([1, 2, 3]), y: F([1e-3, 2e-3]) });
  assert.deepEqual(Array.from(s.series('c', 'lr')!.step), [1, 2]);
});
