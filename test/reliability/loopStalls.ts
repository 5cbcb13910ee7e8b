/**
 * Event-loop stalls of this thread, sampled with a timer, split into what held the loop: wall time (what a user
 * feels, including time the OS did not run the thread at all), the thread's own CPU time in the stall (`busy`:
 * synchronous work, ours or VS Code's, and garbage collection on this thread), and the GC pauses inside it (from
 * `PerformanceObserver` gc entries), so that `busyNoGc` is the longest stall of synchronous work with the GC in it
 * taken out. Used by the editor bench (test/bench-host), the VS Code soak and the 10,000-file integration test.
 * Plain Node, no `vscode`.
 */
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** CPU time (ms) of the calling thread only, when Node has it (v23.9+; the extension host runs Node 24). */
export const threadCpuMs: (() => number) | undefined =
  typeof (process as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage === 'function'
    ? () => {
        const u = (process as unknown as { threadCpuUsage: () => { user: number; system: number } }).threadCpuUsage();
        return (u.user + u.system) / 1000;
      }
    : undefined;

export interface Stall {
  /** End of the stall on the monotonic clock CPU profiles use (µs), to find its samples in a profile. */
  endUs: number;
  /** Wall time beyond the timer's interval (ms). */
  lag: number;
  /** The thread's CPU time in it, at most `lag` (ms); undefined without `threadCpuUsage`. */
  busy?: number;
  /** GC pauses inside it (ms), forced ones included. */
  gc: number;
}

export interface StallStats {
  /** Longest wall stall (ms). */
  block: number;
  /** Longest stall counted in the thread's own CPU time (ms). */
  busy?: number;
  /** The thread's CPU time inside the longest wall stall (ms). */
  cpuInLongest?: number;
  /** Longest stall of CPU time with the GC pauses inside it taken out (ms): synchronous work alone. */
  busyNoGc?: number;
  /** Longest GC pause (forced ones excluded) and how many there were. */
  gc: number;
  gcs: number;
  /** The kind of the longest GC pause: minor (scavenge), major (mark-compact), incremental, weakcb. */
  gcKind?: string;
  /** Longest forced GC (`gc()` called by a test to read memory), when any ran while sampling. */
  forcedGc?: number;
  /** The longest stalls (by busy time, else wall time), longest first. */
  top: Stall[];
}

/**
 * Starts sampling at once; `stop()` ends it and returns the figures. `pause()`/`resume()` leave out a stretch the
 * caller causes itself (a forced GC to read memory). Stalls are kept from 1 ms of lag on (a few thousand at most in
 * the runs it is used for) so that GC pauses, delivered later, can be matched to them at the end.
 */
export function sampleStalls(intervalMs = 5): {
  stop(): StallStats;
  pause(): void;
  resume(): void;
  /** The longest wall stall so far (ms). */
  blockSoFar(): number;
} {
  const FORCED = constants.NODE_PERFORMANCE_GC_FLAGS_FORCED;
  const stalls: (Stall & { start: number; end: number })[] = [];
  const gcs: { start: number; end: number; forced: boolean; kind?: number }[] = [];
  let last = performance.now(),
    lastCpu = threadCpuMs?.() ?? 0,
    measuring = true;
  const onGc = (entries: readonly PerformanceEntry[]) => {
    for (const e of entries) {
      const detail = (e as { detail?: { flags?: number; kind?: number } }).detail;
      const flags = detail?.flags ?? 0;
      gcs.push({
        start: e.startTime,
        end: e.startTime + e.duration,
        forced: (flags & FORCED) !== 0,
        kind: detail?.kind,
      });
    }
  };
  const obs = new PerformanceObserver((list) => onGc(list.getEntries()));
  obs.observe({ entryTypes: ['gc'] });
  const iv = setInterval(() => {
    const now = performance.now(),
      cpu = threadCpuMs?.() ?? 0;
    const lag = now - last - intervalMs;
    if (measuring && lag > 1)
      stalls.push({
        start: last,
        end: now,
        endUs: Number(process.hrtime.bigint() / 1000n),
        lag,
        ...(threadCpuMs ? { busy: Math.min(lag, cpu - lastCpu) } : {}),
        gc: 0,
      });
    last = now;
    lastCpu = cpu;
  }, intervalMs);
  return {
    pause() {
      measuring = false;
    },
    blockSoFar: () => stalls.reduce((m, s) => Math.max(m, s.lag), 0),
    resume() {
      last = performance.now();
      lastCpu = threadCpuMs?.() ?? 0;
      measuring = true;
    },
    stop() {
      clearInterval(iv);
      onGc(obs.takeRecords());
      obs.disconnect();
      for (const s of stalls)
        for (const g of gcs)
          if (g.end > s.start && g.start < s.end) s.gc += Math.min(g.end, s.end) - Math.max(g.start, s.start);
      const max = (f: (s: (typeof stalls)[number]) => number) => stalls.reduce((m, s) => Math.max(m, f(s)), 0);
      const longest = stalls.reduce<(typeof stalls)[number] | undefined>(
        (m, s) => (!m || s.lag > m.lag ? s : m),
        undefined,
      );
      const key = (s: Stall) => s.busy ?? s.lag;
      return {
        block: max((s) => s.lag),
        ...(threadCpuMs
          ? {
              busy: max((s) => s.busy!),
              cpuInLongest: longest?.busy ?? 0,
              busyNoGc: max((s) => Math.max(0, s.busy! - s.gc)),
            }
          : {}),
        gc: gcs.reduce((m, g) => (g.forced ? m : Math.max(m, g.end - g.start)), 0),
        gcs: gcs.filter((g) => !g.forced).length,
        ...((g) => (g ? { gcKind: GC_KINDS[g.kind ?? 0] ?? String(g.kind) } : {}))(
          gcs.filter((g) => !g.forced).sort((a, b) => b.end - b.start - (a.end - a.start))[0],
        ),
        ...(gcs.some((g) => g.forced)
          ? { forcedGc: gcs.reduce((m, g) => (g.forced ? Math.max(m, g.end - g.start) : m), 0) }
          : {}),
        top: [...stalls]
          .sort((a, b) => key(b) - key(a))
          .slice(0, 12)
          .map(({ endUs, lag, busy, gc }) => ({
            endUs,
            lag: +lag.toFixed(1),
            ...(busy !== undefined ? { busy: +busy.toFixed(1) } : {}),
            gc: +gc.toFixed(1),
          })),
      };
    },
  };
}

/** The stall figures while `work` runs. */
export async function maxBlock(work: () => Promise<unknown>, intervalMs = 5): Promise<StallStats> {
  const s = sampleStalls(intervalMs);
  try {
    await work();
  } catch (e) {
    s.stop();
    throw e;
  }
  return s.stop();
}
