// Fake fitting worker for test/unit/reliability/worker-faults.test.ts. Healthy by default: answers every job
// with a valid `locate` result. A job carrying `fault` misbehaves instead:
//   'throw'   — throws (uncaught error in the worker → 'error' event)
//   'exit'    — process.exit(3) (the worker thread ends)
//   'hang'    — never answers
//   'garbage' — answers a malformed result
//   'stray'   — answers an unknown id first (must be ignored), then the real answer
//   'error'   — answers { id, error } (a job-level failure, not a crash)
//   'busy'    — blocks this worker thread for `ms` milliseconds, then answers (the host loop must not notice)
//   'echo'    — answers a `locate` result whose one line is [points in job.step, 1 if the job kept a `transfer` field]
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  const fault = m && m.job && m.job.fault;
  const ok = () => parentPort.postMessage({ id: m.id, result: { kind: 'locate', lines: [[m.id, 1]] } });
  switch (fault) {
    case 'throw':
      throw new Error('fake worker: boom');
    case 'exit':
      process.exit(3);
      break;
    case 'hang':
      return;
    case 'garbage':
      parentPort.postMessage({ id: m.id, result: { kind: 'curve', view: 'not a view' } });
      return;
    case 'stray':
      parentPort.postMessage({ id: 987654321, result: { kind: 'locate', lines: [] } });
      parentPort.postMessage('nonsense');
      ok();
      return;
    case 'error':
      parentPort.postMessage({ id: m.id, error: 'fit failed: singular matrix' });
      return;
    case 'echo':
      parentPort.postMessage({
        id: m.id,
        result: { kind: 'locate', lines: [[m.job.step ? m.job.step.length : -1, 'transfer' in m.job ? 1 : 0]] },
      });
      return;
    case 'busy': {
      const end = Date.now() + (m.job.ms || 200);
      while (Date.now() < end);
      ok();
      return;
    }
    default:
      ok();
  }
});
