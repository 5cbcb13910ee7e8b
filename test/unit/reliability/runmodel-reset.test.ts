/**
 * Regression (found by file-chaos.test.ts): after a log is rotated/rewritten and re-read from its start, the new
 * Series can have as many points as were handed out before, or more. `takeIncrements` used to compare lengths
 * only, so it handed out just the tail with reset = false and the consumer kept stale values for the first points.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunModel } from '../../../src/model/runModel';
import type { ParseResult } from '../../../src/ingest/types';
import { ColumnSeries, seriesFrom } from '../../../src/ingest/series';

function result(values: number[]): ParseResult {
  return {
    runs: [
      {
        id: 'r',
        path: '/w/train.log',
        format: 'nanogpt',
        meta: {},
        metrics: {
          'train/loss': seriesFrom(
            'train/loss',
            'loss',
            values.map((_, i) => i),
            values,
          ),
        },
      },
    ],
    diagnostics: [],
  };
}

test('RunModel.takeIncrements: a re-read series that did not shrink is handed out whole with reset', () => {
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p });
  m.update('/w/train.log', result([5, 4, 3]), true);
  const a = m.takeIncrements();
  assert.deepEqual(
    a.map((i) => [i.reset, i.from, i.y]),
    [[false, 0, [5, 4, 3]]],
  );
  // The file was rewritten: a fresh parser produced a new Series with different values and one more point.
  m.update('/w/train.log', result([9, 8, 7, 6]), true);
  const b = m.takeIncrements();
  assert.deepEqual(
    b.map((i) => [i.reset, i.from, i.y]),
    [[true, 0, [9, 8, 7, 6]]],
  );
});

test('RunModel.takeIncrements: appends to the same Series stay incremental', () => {
  const m = new RunModel({ liveTimeoutMs: 1000, relativize: (p) => p });
  const r = result([5, 4]);
  m.update('/w/train.log', r, true);
  m.takeIncrements();
  const s = r.runs[0].metrics['train/loss'] as ColumnSeries;
  s.append(2, 3);
  m.update('/w/train.log', r, true);
  assert.deepEqual(
    m.takeIncrements().map((i) => [i.reset, i.from, i.y]),
    [[false, 2, [3]]],
  );
  assert.deepEqual(m.takeIncrements(), []);
});
