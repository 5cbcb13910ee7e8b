/**
 * The fitting worker lowers its own thread's priority on Linux (per-thread nice), so the extension host's thread
 * wins the CPU when both want it; the host's thread keeps its priority. Checked on the built worker
 * (dist/fitWorker.js, the file the extension loads) by reading every thread's nice value from /proc.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { lowerThisThreadPriority, WORKER_NICE } from '../../../src/worker/priority';
import { REPO } from '../helpers/paths';

function niceByThread(): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of fs.readdirSync(`/proc/${process.pid}/task`)) {
    try {
      const st = fs.readFileSync(`/proc/${process.pid}/task/${t}/stat`, 'utf8');
      out.set(Number(t), Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[16])); // field 19: nice
    } catch {
      /* thread ended meanwhile */
    }
  }
  return out;
}

test(
  'the fitting worker runs below normal priority on Linux; the host thread keeps its own',
  { skip: process.platform !== 'linux' && 'per-thread nice is Linux only' },
  async () => {
    const worker = path.join(REPO, 'dist', 'fitWorker.js');
    assert.ok(
      fs.existsSync(worker),
      'dist/fitWorker.js is built (npm test builds first; alone: node scripts/build.mjs)',
    );
    const before = niceByThread();
    assert.equal(before.get(process.pid), 0, 'the test runs at normal priority');
    assert.ok(![...before.values()].includes(WORKER_NICE), 'no thread is niced before the worker starts');
    // The worker is started directly (not through FitClient, which would restart it on the malformed answer an
    // invalid job gets): any answer proves its top-level code, where the priority is set, has run.
    const w = new Worker(worker);
    try {
      await new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
        w.postMessage({ id: 1, job: { kind: 'no-such-job' } });
      });
      const after = niceByThread();
      const niced = [...after].filter(([tid, n]) => n === WORKER_NICE && !before.has(tid));
      assert.equal(niced.length, 1, `exactly one new thread at nice ${WORKER_NICE}: ${JSON.stringify([...after])}`);
      assert.equal(after.get(process.pid), 0, 'the main (host) thread is not niced');
    } finally {
      await w.terminate();
    }
  },
);

test('lowerThisThreadPriority does nothing where nice is per process (it would slow the whole host)', () => {
  assert.equal(lowerThisThreadPriority('darwin'), undefined);
  assert.equal(lowerThisThreadPriority('win32'), undefined);
});
