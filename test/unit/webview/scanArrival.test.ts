// A thousand runs arriving in the open dashboard (a 10,000-file scan): the webview's work is bounded by what it
// draws, not by the number of batches. Counts redraws (no timings): the store says which changes touch the chart.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { DashboardState, RunSummary } from '../../../src/protocol';
import { DEFAULT_OPTIONS, Store } from '../../../webview/store';

const F = (a: number[]) => Float64Array.from(a);
const run = (i: number, extra: Partial<RunSummary> = {}): RunSummary => ({
  id: `/ws/scan/f${i}.log`,
  label: `f${i}.log`,
  relPath: `scan/f${i}.log`,
  group: 'scan',
  format: 'nanogpt',
  state: 'finished',
  excluded: false,
  metrics: ['train/loss'],
  problems: 0,
  metric: 'train/loss',
  lastStep: 2,
  lastValue: 2.5,
  ...extra,
});
const init = (charted: string[]): DashboardState => ({
  runs: [run(-1)],
  series: [{ runId: run(-1).id, metric: 'train/loss', step: F([0, 1, 2]), y: F([3, 2.8, 2.5]) }],
  curveFits: [],
  laws: [],
  options: { ...DEFAULT_OPTIONS },
  charted,
});

test('a run outside the charted set changes the run list only; a charted one still rebuilds or restyles the chart', () => {
  const s = new Store();
  s.dispatch({ type: 'init', state: init([run(-1).id]) });
  const fresh = s.dispatch({ type: 'run', run: run(1) });
  assert.equal(fresh.runs, true);
  assert.equal(fresh.colors, true, 'a new run moves the palette');
  assert.equal(fresh.rebuild, undefined, 'not drawn: no chart rebuild');
  assert.equal(fresh.restyle, undefined);
  const again = s.dispatch({ type: 'run', run: run(1, { state: 'stale' }) });
  assert.deepEqual(again, { runs: true }, 'same group, label and size: the colours stand');
  assert.equal(s.dispatch({ type: 'run', run: run(1, { params: 1e8 }) }).colors, true, 'the size ramp moves');
  // The charted run: structural changes rebuild, the rest restyles.
  assert.equal(s.dispatch({ type: 'run', run: run(-1, { params: 1e8 }) }).rebuild, true);
  assert.equal(s.dispatch({ type: 'run', run: run(-1, { params: 1e8, state: 'stale' }) }).restyle, true);
  // Once the host charts it, the same kind of message rebuilds.
  s.dispatch({ type: 'charted', runIds: [run(-1).id, run(1).id] });
  assert.equal(s.dispatch({ type: 'run', run: run(1, { metrics: ['train/loss', 'val/loss'] }) }).rebuild, true);
  // Without a charted set from the host every run is drawn (older hosts, the preview): new runs rebuild.
  const all = new Store();
  all.dispatch({ type: 'init', state: { ...init([]), charted: undefined } });
  assert.equal(all.dispatch({ type: 'run', run: run(5) }).rebuild, true);
});

test('the charted count follows runs arriving and leaving and the charted set', () => {
  const s = new Store();
  s.dispatch({ type: 'init', state: init([run(-1).id, run(3).id]) });
  assert.equal(s.chartedCount(), 1, 'run 3 is charted but not known yet');
  s.dispatch({ type: 'run', run: run(3) });
  assert.equal(s.chartedCount(), 2);
  s.dispatch({ type: 'run', run: run(4) });
  assert.equal(s.chartedCount(), 2);
  s.dispatch({ type: 'charted', runIds: [run(4).id] });
  assert.equal(s.chartedCount(), 1);
  s.dispatch({ type: 'removeRun', runId: run(4).id });
  assert.equal(s.chartedCount(), 0);
  assert.equal(s.state.runs.filter((r) => s.isCharted(r.id)).length, s.chartedCount());
});
