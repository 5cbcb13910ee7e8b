/**
 * The fitting worker (a `worker_thread` of the extension host, bundled as dist/fitWorker.js).
 * Runs below normal priority on Linux (see priority.ts). Receives `{ id, job }`, answers `{ id, result }` or `{ id, error }`. All numerical work happens here.
 */
import { parentPort } from 'node:worker_threads';
import { runFitJob, type FitJob } from '../model/fitJobs';
import { lowerThisThreadPriority } from './priority';

lowerThisThreadPriority();

parentPort?.on('message', (m: { id: number; job: FitJob }) => {
  try {
    parentPort!.postMessage({ id: m.id, result: runFitJob(m.job) });
  } catch (e) {
    parentPort!.postMessage({ id: m?.id, error: e instanceof Error ? e.message : String(e) });
  }
});
