/**
 * How often the workspace is re-listed for logs no watcher reported.
 *
 * File watchers miss events: under bursts, and for files created in a new folder before the watcher has added it
 * (inotify's classic race — a trainer creating `runs/exp42/` and writing `train.log` in it at once). The periodic
 * scan is what finds those, so its period is how long such a run can stay invisible. It adapts to what a scan
 * costs here: 50× the last one (≤ 2 % of the time spent scanning), between 5 s and 60 s. A small workspace is
 * re-listed every 5 s; one where a listing takes a second, every 50 s.
 */
export const MIN_SCAN_PERIOD_MS = 5_000;
export const MAX_SCAN_PERIOD_MS = 60_000;
export const SCAN_COST_FACTOR = 50;

export function nextScanDelay(lastScanMs: number): number {
  const d = SCAN_COST_FACTOR * (Number.isFinite(lastScanMs) && lastScanMs > 0 ? lastScanMs : 0);
  return Math.min(MAX_SCAN_PERIOD_MS, Math.max(MIN_SCAN_PERIOD_MS, d));
}
