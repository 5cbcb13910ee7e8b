/**
 * FitClient moves a job's own copies of its points to the worker (CurveJob.transfer) instead of cloning them: the
 * worker gets every point and no `transfer` field, and the host's copies are detached afterwards (moved, not
 * copied). A job without `transfer` is cloned as before: the host's arrays stay intact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { FitClient } from '../../../src/worker/fitClient';
import type { FitJob } from '../../../src/model/fitJobs';
import { REPO } from '../helpers/paths';

const FAULTY = path.join(REPO, 'test', 'reliability', 'workers', 'faulty.js');

test('FitClient: a job’s transfer list is moved to the worker, not cloned; without one the job is cloned', async () => {
  const client = new FitClient({ workerPath: FAULTY, timeoutMs: 10_000 });
  try {
    const step = new Float64Array(200_000).map((_, i) => i);
    const moved = { kind: 'locate', fault: 'echo', step, transfer: [step.buffer] } as unknown as FitJob;
    const r = await client.run(moved);
    assert.deepEqual(
      r.kind === 'locate' && r.lines,
      [[200_000, 0]],
      'the worker got every point and no transfer field',
    );
    assert.equal(step.byteLength, 0, "the host's copy was moved (detached)");

    const kept = new Float64Array(1000);
    const cloned = { kind: 'locate', fault: 'echo', step: kept } as unknown as FitJob;
    const r2 = await client.run(cloned);
    assert.deepEqual(r2.kind === 'locate' && r2.lines, [[1000, 0]]);
    assert.equal(kept.length, 1000, 'without a transfer list the arrays are cloned and stay usable');
  } finally {
    client.dispose();
  }
});
