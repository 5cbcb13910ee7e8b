/** The table-law worker job (issue 15): the same fit as fitTableLaw, its answer passes the worker-result check. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFitJob, isFitJobResult } from '../../../src/model/fitJobs';
import { fitTableLaw } from '../../../src/fit/tableLaw';
import { downstreamExpLaw } from '../../../src/fit/laws/downstreamExp';

test('a table job returns the catalog fit with intervals and advice; bad jobs come back as ok = false', () => {
  const L = Array.from({ length: 12 }, (_, i) => 2.3 + 0.25 * i);
  const err = L.map((x, i) => 0.857 - 2.206 * Math.exp(-0.7146 * x) + 0.002 * Math.sin(7 * i));
  const r = runFitJob({ kind: 'table', law: 'downstream-exp', inputs: [L], y: err, bootstrap: 40, confidence: 0.9 });
  assert.ok(isFitJobResult(r));
  assert.equal(r.kind, 'table');
  if (r.kind !== 'table') return;
  const direct = fitTableLaw(downstreamExpLaw, [L], err, { bootstrap: 40, confidence: 0.9 });
  assert.ok(direct.ok && r.view.ok);
  if (!direct.ok) return;
  assert.deepEqual(r.view.params, direct.params);
  assert.deepEqual(r.view.intervals, direct.intervals);
  const bad = runFitJob({ kind: 'table', law: 'no-such-law', inputs: [L], y: err, bootstrap: 0, confidence: 0.9 });
  assert.ok(bad.kind === 'table' && !bad.view.ok && /no table law/.test(bad.view.reason ?? ''));
  const few = runFitJob({
    kind: 'table',
    law: 'data-constrained',
    inputs: [[1], [2], [1]],
    y: [3],
    bootstrap: 0,
    confidence: 0.9,
  });
  assert.ok(few.kind === 'table' && !few.view.ok);
});
