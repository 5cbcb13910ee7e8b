import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chooseCharted,
  togglePin,
  chartCandidates,
  CHART_MAX,
  sameSet,
  filterMatcher,
} from '../../../src/model/chartSet';
import { RunModel } from '../../../src/model/runModel';
import type { Run } from '../../../src/ingest/types';

test('charted runs: selected, then pinned, then live by recency, then the most recent; capped', () => {
  const cands = Array.from({ length: 1000 }, (_, i) => ({
    id: `r${String(i).padStart(4, '0')}`,
    live: i % 100 === 0,
    recency: i,
  }));
  const out = chooseCharted(cands, 'r0005', ['r0007', 'r0003', 'nope'], 30);
  assert.equal(out.length, 30);
  assert.deepEqual(out.slice(0, 3), ['r0005', 'r0007', 'r0003'], 'selected, then pins in order; unknown ids ignored');
  assert.deepEqual(
    out.slice(3, 13),
    ['r0900', 'r0800', 'r0700', 'r0600', 'r0500', 'r0400', 'r0300', 'r0200', 'r0100', 'r0000'],
    'live runs, newest first',
  );
  assert.deepEqual(out.slice(13, 16), ['r0999', 'r0998', 'r0997'], 'then the most recent');
  assert.equal(new Set(out).size, out.length, 'no duplicates');
  // Few runs: all of them.
  assert.deepEqual(chooseCharted(cands.slice(0, 5), undefined, []).sort(), [
    'r0000',
    'r0001',
    'r0002',
    'r0003',
    'r0004',
  ]);
  // Ties in recency resolve by id, so the choice does not flicker.
  const ties = [
    { id: 'b', live: false, recency: 1 },
    { id: 'a', live: false, recency: 1 },
    { id: 'c', live: false, recency: 1 },
  ];
  assert.deepEqual(chooseCharted(ties, undefined, [], 2), ['a', 'b']);
});

test('pins toggle, and the oldest goes past the cap', () => {
  assert.deepEqual(togglePin(['a', 'b'], 'a'), ['b']);
  assert.deepEqual(togglePin(['a', 'b'], 'c'), ['a', 'b', 'c']);
  assert.deepEqual(togglePin(['a', 'b', 'c'], 'd', 3), ['b', 'c', 'd']);
  const many = Array.from({ length: CHART_MAX }, (_, i) => `p${i}`);
  assert.equal(togglePin(many, 'x').length, CHART_MAX);
  assert.ok(sameSet(['a', 'b'], ['b', 'a']) && !sameSet(['a'], ['a', 'b']) && !sameSet(['a', 'c'], ['a', 'b']));
});

test('candidates from the run model: live = grew within the timeout and not past its planned end', () => {
  let now = 0;
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p }, () => now);
  const run = (id: string, last: number, total?: number): Run =>
    ({
      id,
      path: id,
      format: 'nanogpt',
      metrics: { 'train/loss': { name: 'train/loss', originalName: 'loss', step: [1, last], value: [3, 2] } },
      meta: total ? { totalSteps: { value: total, source: { path: id, how: 'log' } } } : {},
    }) as unknown as Run;
  m.update('/old.log', { runs: [run('/old.log', 10)], diagnostics: [] }, true);
  now = 5000;
  m.update('/new.log', { runs: [run('/new.log', 10)], diagnostics: [] }, true);
  m.update('/done.log', { runs: [run('/done.log', 100, 100)], diagnostics: [] }, true);
  const c = chartCandidates(m);
  const by = Object.fromEntries(c.map((x) => [x.id, x]));
  assert.equal(by['/old.log'].live, false);
  assert.equal(by['/new.log'].live, true);
  assert.equal(by['/done.log'].live, false, 'finished: reached its planned end');
  assert.deepEqual(chooseCharted(c, undefined, [], 2), ['/new.log', '/done.log']);
});

test('a filter charts the runs that match it (after the selected and pinned ones), as the run list matches them', () => {
  // 148 runs in two folders, the 'curves' ones written last: unfiltered, the chart holds only curves.
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p.slice(1) }, () => 1e9);
  const run = (p: string): Run =>
    ({
      id: p,
      path: p,
      format: 'nanogpt',
      metrics: { 'train/loss': { name: 'train/loss', originalName: 'loss', step: [1, 2], value: [3, 2] } },
      meta: {},
    }) as unknown as Run;
  const ids: string[] = [];
  for (let i = 0; i < 90; i++) ids.push(`/logs/nanogpt-${i}/train.log`);
  for (let i = 0; i < 58; i++) ids.push(`/curves/llm-${i}/loss.csv`);
  ids.forEach((p, i) => m.update(p, { runs: [run(p)], diagnostics: [] }, true, i * 1000));
  const c = chartCandidates(m);
  const all = chooseCharted(c, undefined, []);
  assert.ok(
    all.every((id) => id.startsWith('/curves/')),
    'unfiltered: the 30 most recent, all curves',
  );
  assert.equal(filterMatcher(m, '  '), undefined, 'an empty filter matches everything');
  const inc = filterMatcher(m, 'logs/ nanogpt-1 -nanogpt-10')!;
  const want = ids.filter((p) => p.includes('logs/nanogpt-1') && !p.includes('nanogpt-10'));
  const out = chooseCharted(c, '/curves/llm-3/loss.csv', ['/curves/llm-5/loss.csv'], CHART_MAX, inc);
  assert.deepEqual(out.slice(0, 2), ['/curves/llm-3/loss.csv', '/curves/llm-5/loss.csv'], 'selected and pinned stay');
  assert.deepEqual(out.slice(2).sort(), want.sort(), 'then exactly the matching runs');
  // The label (a run's logged name) counts too, like in the list.
  const m2 = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p.slice(1) }, () => 1e9);
  const named = { ...run('/x/a.log'), meta: { name: 'gpt-350M' } } as unknown as Run;
  m2.update('/x/a.log', { runs: [named], diagnostics: [] }, true, 0);
  assert.ok(filterMatcher(m2, '350m')!('/x/a.log'));
});
