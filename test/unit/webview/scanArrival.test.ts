// A thousand runs arriving in the open dashboard (a 10,000-file scan): the webview's work is bounded by what it
// draws, not by the number of batches. Counts redraws (no timings): the store says which changes touch the chart,
// and the draw plan redraws the run list at most once per LIST_EVERY_MS of (fake) time while runs stream in.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { DashboardState, HostMessage, RunSummary } from '../../../src/protocol';
import { DEFAULT_OPTIONS, Store } from '../../../webview/store';
import { DrawPlan, workOf } from '../../../webview/drawPlan';

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

/** The scan as the host sends it: `runs` run summaries in `batches` batches 16 ms apart, a `charted` change every 250 ms. */
function scan(runs: number, batches: number) {
  const s = new Store();
  const plan = new DrawPlan();
  s.dispatch({ type: 'init', state: init([run(-1).id]) });
  let t = 0;
  const counts = { list: 0, rebuild: 0, restyle: 0, chart: 0, frames: 0, listRunsAtPong: -1 };
  const frame = (urgent: boolean) => {
    counts.frames++;
    const { draw } = plan.take(t, urgent);
    if (draw.runList) counts.list++;
    if (draw.runsRebuild) counts.rebuild++;
    if (draw.runsStyle) counts.restyle++;
    // Chart updates beyond live points (which draw per frame, and here arrive in every batch).
    if (draw.runsRebuild || draw.runsStyle || draw.runsFits) counts.chart++;
    return draw;
  };
  plan.listDrawn(t); // the init drew it
  const per = Math.ceil(runs / batches);
  let lastCharted = 0;
  for (let k = 0; k < batches; k++) {
    t += 16;
    const messages: HostMessage[] = [];
    for (let i = k * per; i < Math.min(runs, (k + 1) * per); i++) messages.push({ type: 'run', run: run(i) });
    // A charted run's points, its fit finishing and its state changing, in every batch.
    messages.push(
      { type: 'points', runId: run(-1).id, metric: 'train/loss', step: F([3 + k]), y: F([2.4]) },
      { type: 'curveFit', fit: { runId: run(-1).id, metric: 'train/loss', ok: true } },
      { type: 'run', run: run(-1, { state: k % 2 ? 'stale' : 'finished' }) },
    );
    if (t - lastCharted >= 250) {
      lastCharted = t;
      const ids = Array.from({ length: 30 }, (_, j) => run(Math.max(0, k * per - j)).id);
      messages.push({ type: 'charted', runIds: ids });
      for (const id of ids.slice(0, 3))
        messages.push({
          type: 'series',
          series: { runId: id, metric: 'train/loss', step: F([0, 1, 2]), y: F([3, 2.8, 2.5]) },
        });
    }
    const ch = s.dispatch({ type: 'batch', messages });
    plan.add(workOf(ch, false, s.state.options.tab).pending);
    frame(false);
  }
  // The ping after the scan: its frame draws whatever still waits, the run list included.
  t += 16;
  const ch = s.dispatch({ type: 'ping', id: 1 });
  plan.add(workOf(ch, false, s.state.options.tab).pending);
  const last = frame(!!ch.pings);
  if (last.runList || !plan.waiting) counts.listRunsAtPong = s.state.runs.length;
  return { counts, store: s, plan, chartedMessages: Math.ceil((batches * 16) / 250) };
}

test('1,000 runs in 150 batches: the run list is redrawn per 250 ms, not per batch; the chart only when its runs change', () => {
  const { counts, store, plan, chartedMessages } = scan(1000, 150);
  assert.equal(store.state.runs.length, 1001);
  assert.equal(counts.frames, 151);
  // 150 batches over 2.4 s: a redraw per 250 ms plus the ping's (it was 150 before: one per batch).
  const bound = Math.ceil((150 * 16) / 250) + 2;
  assert.ok(counts.list <= bound, `run list drawn ${counts.list} times (≤ ${bound})`);
  assert.ok(counts.list >= 2, 'and still while the runs arrive, not only at the end');
  // The chart is rebuilt when the charted set changes, not for each batch of runs it does not draw; its restyles and
  // fitted curves (a charted run's fit and state in every batch) are drawn per 250 ms too.
  assert.ok(counts.rebuild <= chartedMessages, `chart rebuilt ${counts.rebuild} times (≤ ${chartedMessages})`);
  assert.ok(counts.chart <= bound, `chart updated ${counts.chart} times (≤ ${bound})`);
  assert.equal(counts.listRunsAtPong, 1001, 'the pong frame leaves the run list up to date');
  assert.equal(plan.waiting, false);
});

test('the user’s actions and option changes draw the run list at once; runs arriving wait for the list’s turn', () => {
  const plan = new DrawPlan(250);
  plan.listDrawn(0);
  assert.equal(workOf({ runs: true }, true, 'runs').listNow, true, 'a click redraws the list now');
  assert.equal(workOf({ options: { selectedRun: 'x' } }, false, 'runs').listNow, true);
  assert.equal(workOf({ options: { metric: 'acc' } }, false, 'runs').listNow, true);
  const pinned = workOf({ options: { pinned: ['x'] } }, false, 'runs');
  assert.equal(pinned.pending.runList, true, 'pinning (confirmed by the host) in the next frame');
  plan.add(workOf({ runs: true }, false, 'runs').pending);
  const early = plan.take(100);
  assert.equal(early.draw.runList, undefined);
  assert.equal(early.laterMs, 150, 'due 250 ms after the last redraw');
  assert.equal(plan.waiting, true);
  const due = plan.take(260);
  assert.equal(due.draw.runList, true);
  assert.equal(due.laterMs, undefined);
  // A redraw outside a frame (a user action) satisfies a waiting one.
  plan.add({ runListLater: true });
  plan.listDrawn(300);
  assert.equal(plan.waiting, false);
});

test('the chart: the user’s actions and live points draw in the next frame; host rebuilds, restyles and fits wait for their turn', () => {
  const plan = new DrawPlan(250, 250);
  const user = workOf({ restyle: true, runs: true }, true, 'runs').pending;
  assert.equal(user.runsStyle, true, 'hiding a run restyles at once');
  plan.add(user);
  assert.equal(plan.take(1000).draw.runsStyle, true);
  // A fit finishing 50 ms later waits for the chart's turn…
  plan.add(workOf({ curveFits: true }, false, 'runs').pending);
  const early = plan.take(1050);
  assert.equal(early.draw.runsFits, undefined);
  assert.equal(early.laterMs, 200);
  // Live points draw in the next frame without it (a scan brings points in every batch)…
  plan.add(workOf({ appended: new Set(['a\u0000loss']) }, false, 'runs').pending);
  const live = plan.take(1066);
  assert.equal(live.draw.appended?.size, 1);
  assert.equal(live.draw.runsFits, undefined);
  assert.equal(live.laterMs, 184);
  assert.equal(plan.dueIn(1066), 184);
  // …and a restyle the user asks for takes it along (the chart is updated anyway).
  plan.add(workOf({ restyle: true }, true, 'runs').pending);
  const styled = plan.take(1100);
  assert.equal(styled.draw.runsStyle, true);
  assert.equal(styled.draw.runsFits, true);
  assert.equal(plan.dueIn(1100), undefined);
  // Options from the host (another metric, axis, selection) draw at once.
  assert.equal(workOf({ options: { xAxis: 'tokens' } }, false, 'runs').pending.runsRebuild, true);
  assert.equal(workOf({ options: { selectedRun: 'b' } }, false, 'runs').pending.runsStyle, true);
  // A ping's frame draws what waits.
  plan.add(workOf({ rebuild: true }, false, 'runs').pending);
  assert.equal(plan.take(1110).draw.runsRebuild, undefined);
  assert.equal(plan.take(1111, true).draw.runsRebuild, true);
  assert.equal(plan.waiting, false);
});
