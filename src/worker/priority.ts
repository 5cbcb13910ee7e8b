/**
 * Background priority for the fitting worker thread.
 *
 * On a busy machine (two cores, a training job, the renderer) the fit worker competes with the extension host's
 * own thread for CPU, and the host's event loop stalls while the kernel runs the worker: the editor feels the fits
 * even though they are off the loop. Linux keeps a nice value per thread, so the worker can lower its own
 * priority and leave the host's thread first in line. Elsewhere `setpriority` applies to the whole process (it
 * would slow the entire extension host), so this does nothing there.
 */
import * as os from 'node:os';

/** Nice value for the fitting worker: "below normal" (numbers still come, just after the editor's work). */
export const WORKER_NICE = 10;

/** Lowers the calling thread's priority on Linux. Returns the nice value set, or undefined when not applied. */
export function lowerThisThreadPriority(platform: NodeJS.Platform = process.platform): number | undefined {
  if (platform !== 'linux') return undefined;
  try {
    os.setPriority(WORKER_NICE); // pid 0: the calling thread, on Linux
    return WORKER_NICE;
  } catch {
    return undefined; // a sandbox that forbids it: run at normal priority
  }
}
